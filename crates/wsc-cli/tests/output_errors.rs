//! Standard output that cannot be written: a full device is an error with a
//! one-line message; a closed pipe is quiet (exit 141, as for SIGPIPE).

#![cfg(unix)]

mod support;

use std::process::Stdio;

use support::{check, world};
use wsc_mock::Phase;

fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

#[test]
fn every_command_fails_when_stdout_is_full() {
    let w = world();
    let completed = w.id_with_phase(Phase::Completed);
    for args in [
        vec!["-o", "json", "list"],
        vec!["list"],
        vec!["get", &completed],
        vec!["-o", "json", "report", &completed],
        vec!["report", &completed],
        vec!["wait", &completed, "--interval", "1"],
        vec!["create", "--url", "https://full.example", "--yes"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--dry-run", "list"],
    ] {
        let output = w
            .std_wsc()
            .args(&args)
            .stdout(dev_full())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let (code, _, err) = check(output);
        assert_eq!(code, 1, "{args:?}: {err}");
        // Progress lines may come first; the error is one line, and last.
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{args:?}: {err}");
        assert!(
            err.lines()
                .last()
                .is_some_and(|l| l.starts_with("error: cannot write the output")),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn help_and_version_fail_when_stdout_is_full() {
    let w = world();
    for args in [
        vec!["--help"],
        vec!["create", "--help"],
        vec!["-h"],
        vec!["--version"],
    ] {
        let output = w
            .std_wsc()
            .args(&args)
            .stdout(dev_full())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let (code, _, err) = check(output);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(
            err.starts_with("error: cannot write the output"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_closed_pipe_is_quiet() {
    let w = world();
    for args in [vec!["list"], vec!["-o", "json", "list", "--all"]] {
        let mut child = w
            .std_wsc()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        // Close the reading end before wsc has asked the mock anything.
        drop(child.stdout.take());
        let (code, _, err) = check(child.wait_with_output().unwrap());
        assert!(code == 141 || code == 0, "{args:?}: {code} {err}");
        assert!(err.is_empty(), "{args:?}: quiet: {err}");
    }
}

#[test]
fn a_created_jobs_id_reaches_stderr_when_stdout_is_full() {
    let w = world();
    let output = w
        .std_wsc()
        .args([
            "create",
            "--url",
            "https://full.example",
            "--yes",
            "-o",
            "json",
        ])
        .stdout(dev_full())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let (code, _, err) = check(output);
    assert_ne!(code, 0, "{err}");
    let id = w.server.job_ids()[0].to_string();
    assert!(err.contains(&format!("job {id} was created")), "{err}");
}
