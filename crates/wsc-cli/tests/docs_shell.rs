//! Shell blocks in README.md and docs/*.md marked
//! `<!-- checked: run against wsc-mock ...; exits N or M -->` are run, as
//! written, with the built `wsc` first on PATH and pointed at wsc-mock: a
//! recipe in the docs that stops working fails here.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use wsc_mock::{MockConfig, MockServer, Timings};

const MARKER: &str = "<!-- checked: run against wsc-mock";

/// A marked block: its page, its text and the exit codes it may end with.
struct Block {
    page: String,
    script: String,
    exits: Vec<i32>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn marked_blocks() -> Vec<Block> {
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut blocks = Vec::new();
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with(MARKER) {
                continue;
            }
            let exits = line
                .split("exits ")
                .nth(1)
                .unwrap_or("0")
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            assert_eq!(
                lines.get(i + 1),
                Some(&"```sh"),
                "{}: a marker must precede a ```sh block",
                page.display()
            );
            let script: Vec<&str> = lines[i + 2..]
                .iter()
                .take_while(|l| !l.starts_with("```"))
                .copied()
                .collect();
            blocks.push(Block {
                page: page.display().to_string(),
                script: script.join("\n"),
                exits,
            });
        }
    }
    blocks
}

#[test]
fn marked_shell_blocks_in_the_docs_run_against_the_mock() {
    let blocks = marked_blocks();
    assert!(!blocks.is_empty(), "no marked block: the marker changed?");
    for block in blocks {
        // Jobs finish at once, so `--wait` returns at its first poll.
        let zero = Duration::ZERO;
        let server = MockServer::start(MockConfig {
            timings: Timings {
                url_pending: zero,
                collecting: zero,
                collected: zero,
                diagnosis_pending: zero,
                diagnosing: zero,
                stopping: zero,
            },
            preload_demo_jobs: true,
            ..MockConfig::default()
        })
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_wsc"), bin.join("wsc")).unwrap();
        let credentials = server.credentials();
        let output = Command::new("bash")
            .arg("-c")
            .arg(&block.script)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("HOME", dir.path())
            .env("WSC_ENDPOINT", server.base_url())
            .env("NCLOUD_ACCESS_KEY_ID", credentials.access_key().as_str())
            .env(
                "NCLOUD_SECRET_ACCESS_KEY",
                credentials.secret_key().expose_secret(),
            )
            .env("BUILD_ID", "42")
            .output()
            .unwrap();
        let code = output.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            block.exits.contains(&code),
            "{}: exited {code}, expected one of {:?}:\n{stderr}\n{}",
            block.page,
            block.exits,
            block.script
        );
        // Every file the block names with --out was written.
        let outs: Vec<&str> = block
            .script
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .filter(|w| w[0] == "--out")
            .map(|w| w[1])
            .collect();
        for name in outs {
            let written = std::fs::metadata(dir.path().join(name))
                .map(|m| m.len())
                .unwrap_or(0);
            assert!(
                written > 0,
                "{}: {name} was not written:\n{stderr}",
                block.page
            );
        }
    }
}
