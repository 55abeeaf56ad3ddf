//! The CI scripts as a runner meets them: `ci/wsc-action.sh` (stale files,
//! atomic outputs, the gate's verdict once, inputs refused before anything
//! billed), `ci/install-wsc.sh` (a checksum-verified archive, a tampered one
//! refused, the build from source only when no archive fits) and the one
//! repository URL and version the recipes name. Against wsc-mock on loopback.
#![cfg(unix)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};
use support::{ACCESS, SECRET, World, world_with};
use wsc_mock::{CreateResponse, MockConfig};

/// The six files the action script leaves for upload.
const OUTPUTS: [&str; 6] = [
    "wsc.sarif",
    "wsc-junit.xml",
    "wsc-report.html",
    "wsc-summary.md",
    "wsc-report.json",
    "wsc-result.json",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn workspace_field(name: &str) -> String {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let table = manifest.split("[workspace.package]").nth(1).unwrap();
    table
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once('=')?;
            (key.trim() == name).then(|| value.trim().trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| panic!("no {name} in [workspace.package]"))
}

fn mock() -> World {
    world_with(MockConfig {
        clock_speed: 40.0,
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    })
}

/// The action script for `url` against the world's mock, writing into `out`.
fn action(w: &World, out: &Path, url: &str, extra: &[(&str, &str)]) -> (i32, String) {
    action_with_bin(w, out, url, &assert_cmd::cargo::cargo_bin("wsc"), extra)
}

fn action_with_bin(
    w: &World,
    out: &Path,
    url: &str,
    bin: &Path,
    extra: &[(&str, &str)],
) -> (i32, String) {
    let mut c = Command::new("bash");
    c.arg(root().join("ci/wsc-action.sh"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", w.home.path())
        .env("NO_COLOR", "1")
        .env("WSC_ENDPOINT", w.server.base_url())
        .env("NCLOUD_ACCESS_KEY_ID", ACCESS)
        .env("NCLOUD_SECRET_ACCESS_KEY", SECRET)
        .env("WSC_BIN", bin)
        .env("WSC_URL", url)
        .env("WSC_INTERVAL", "1")
        .env("WSC_OUT_DIR", out);
    for (k, v) in extra {
        c.env(k, v);
    }
    let output = c.output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!err.contains(SECRET), "the secret was printed: {err}");
    (output.status.code().unwrap_or(-1), err)
}

fn plant_stale_files(out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    for file in OUTPUTS {
        std::fs::write(out.join(file), "STALE from an earlier run").unwrap();
    }
}

fn assert_nothing_stale(out: &Path) {
    for file in OUTPUTS {
        if let Ok(text) = std::fs::read_to_string(out.join(file)) {
            assert!(
                !text.contains("STALE"),
                "{file} was left from an earlier run"
            );
        }
    }
}

#[test]
fn a_scan_that_does_not_complete_leaves_no_file_of_an_earlier_run() {
    let w = mock();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    plant_stale_files(&out);
    // The wait gives up at once: exit 3, nothing to report on.
    let (code, err) = action(
        &w,
        &out,
        "https://shop.example.com",
        &[("WSC_WAIT_TIMEOUT", "1")],
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("no completed scan to report on"), "{err}");
    assert_nothing_stale(&out);
    for file in OUTPUTS.iter().filter(|f| **f != "wsc-result.json") {
        assert!(!out.join(file).exists(), "{file} exists without a report");
    }
    // The wait outcome of this run is kept (it names the job to look at).
    let result = std::fs::read_to_string(out.join("wsc-result.json")).unwrap();
    assert!(result.contains("\"id\""), "{result}");
}

#[test]
fn a_failing_report_step_leaves_its_file_absent_and_fails_the_run() {
    let w = mock();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    plant_stale_files(&out);
    // A wsc whose HTML report fails after writing half a file somewhere else.
    let wrapper = dir.path().join("wsc-failing-html");
    std::fs::write(
        &wrapper,
        format!(
            "#!/usr/bin/env bash\nfor a in \"$@\"; do [ \"$a\" = html ] && {{ echo 'error: disk full' >&2; exit 5; }}; done\nexec {:?} \"$@\"\n",
            assert_cmd::cargo::cargo_bin("wsc")
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let (code, err) = action_with_bin(&w, &out, "https://clean.example", &wrapper, &[]);
    assert_eq!(code, 5, "the report step's failure is the run's: {err}");
    assert!(
        err.contains("error: disk full") && err.contains("-o html"),
        "{err}"
    );
    assert_nothing_stale(&out);
    assert!(!out.join("wsc-report.html").exists());
    for file in [
        "wsc.sarif",
        "wsc-junit.xml",
        "wsc-summary.md",
        "wsc-report.json",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    // No temporary file is left beside them.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| OUTPUTS.contains(&n.as_str())),
        "{names:?}"
    );
}

#[test]
fn the_gate_verdict_is_printed_once() {
    let w = mock();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, err) = action(
        &w,
        &out,
        "https://shop.example.com",
        &[("WSC_FAIL_ON", "low")],
    );
    assert_eq!(
        code, 10,
        "the seeded mock gives this target findings: {err}"
    );
    assert_eq!(
        err.matches("at or above low").count(),
        1,
        "the gate's message, once: {err}"
    );
    for file in OUTPUTS {
        assert!(out.join(file).is_file(), "{file} missing");
    }
}

#[test]
fn sites_the_cli_does_not_know_and_missing_ca_bundles_are_refused_before_the_billed_call() {
    let w = mock();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let missing = dir.path().join("missing.pem");
    for (name, value, says) in [
        ("WSC_SITE", "fin", "WSC_ENDPOINT"),
        ("WSC_CA_BUNDLE", missing.to_str().unwrap(), "WSC_CA_BUNDLE"),
        (
            "WSC_CA_BUNDLE",
            dir.path().to_str().unwrap(),
            "WSC_CA_BUNDLE",
        ),
    ] {
        let (code, err) = action(&w, &out, "https://shop.example.com", &[(name, value)]);
        assert_eq!(code, 2, "{name}={value}: {err}");
        assert!(
            err.contains(says) && err.contains("no scan was started"),
            "{err}"
        );
    }
    assert!(w.server.requests().is_empty(), "something was sent");
}

#[test]
fn no_recipe_offers_a_site_the_cli_rejects() {
    for file in [
        "action.yml",
        "ci/gitlab/wsc.gitlab-ci.yml",
        "ci/wsc-action.sh",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let words = text.split(|c: char| !c.is_ascii_alphanumeric());
        assert!(
            !words.into_iter().any(|w| w == "fin"),
            "{file} offers the fin site"
        );
    }
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for (input, var) in [("endpoint", "WSC_ENDPOINT"), ("ca-bundle", "WSC_CA_BUNDLE")] {
        assert!(action.contains(&format!("\n  {input}:\n")), "input {input}");
        assert!(
            action.contains(&format!("{var}: ${{{{ inputs.{input} }}}}")),
            "{input} → {var}"
        );
    }
}

/// Every GitHub address in the repository's text is the workspace's
/// `repository`, and the GitLab template installs this version.
#[test]
fn recipes_name_one_repository_and_this_version() {
    let repository = workspace_field("repository");
    let version = workspace_field("version");
    let slug = repository
        .strip_prefix("https://github.com/")
        .expect("the repository is on GitHub");
    let mut files = vec![
        root().join("README.md"),
        root().join("action.yml"),
        root().join("ci/gitlab/wsc.gitlab-ci.yml"),
        root().join("ci/wsc-action.sh"),
        root().join("ci/install-wsc.sh"),
    ];
    for dir in ["docs", "crates", ".github/workflows"] {
        collect_text(&root().join(dir), &mut files);
    }
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for host in ["https://github.com/", "https://raw.githubusercontent.com/"] {
            for (at, _) in text.match_indices(host) {
                let rest = &text[at + host.len()..];
                let owner_repo: String = rest
                    .split('/')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join("/")
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || "-_./".contains(*c))
                    .collect();
                let owner_repo = owner_repo.trim_end_matches(".git");
                // Other projects' pages (the SARIF spec, GitHub's docs) are fine.
                if owner_repo.starts_with(slug.split('/').next().unwrap()) {
                    assert_eq!(owner_repo, slug, "{} names {owner_repo}", file.display());
                }
            }
        }
    }
    let gitlab = std::fs::read_to_string(root().join("ci/gitlab/wsc.gitlab-ci.yml")).unwrap();
    assert!(
        gitlab.contains(&format!("WSC_VERSION: \"{version}\"")),
        "the GitLab template installs {version}"
    );
    assert!(gitlab.contains(&format!("/{slug}/v{version}/ci/gitlab/wsc.gitlab-ci.yml")));
    assert!(gitlab.contains(&format!("{repository}/releases/download/v${{WSC_VERSION}}")));
}

fn collect_text(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "target" | "fuzz" | "fixtures" | "snapshots") {
                collect_text(&path, files);
            }
        } else if [".md", ".rs", ".toml", ".yml", ".yaml", ".sh"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            files.push(path);
        }
    }
}

// ---- ci/install-wsc.sh ----

const TARGET: &str = "x86_64-unknown-linux-musl";

/// A release directory with an archive of the test's `wsc`, laid out as
/// `cargo xtask dist` lays it out, and its SHA256SUMS.
fn release(dir: &Path, version: &str) -> (PathBuf, String) {
    let stem = format!("ncloud-wsc-{version}-{TARGET}");
    let staging = dir.join("staging").join(&stem);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::copy(assert_cmd::cargo::cargo_bin("wsc"), staging.join("wsc")).unwrap();
    let releases = dir.join("release");
    std::fs::create_dir_all(&releases).unwrap();
    let archive = format!("{stem}.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(releases.join(&archive))
        .arg("-C")
        .arg(dir.join("staging"))
        .arg(&stem)
        .status()
        .unwrap();
    assert!(status.success());
    let digest: String = Sha256::digest(std::fs::read(releases.join(&archive)).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::write(
        releases.join("SHA256SUMS"),
        format!(
            "{digest}  {archive}\n{}  ncloud-wsc-{version}-aarch64-apple-darwin.tar.gz\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    (releases, archive)
}

/// Runs the install script; a fake `cargo` records what it was asked to do.
fn install(dir: &Path, release: &Path, version: &str) -> (i32, String, String, PathBuf) {
    let bin = dir.join("bin");
    let cargo_log = dir.join("cargo.log");
    let fake_cargo = dir.join("fake-cargo");
    std::fs::write(
        &fake_cargo,
        format!(
            "#!/usr/bin/env bash\necho \"$*\" >>{cargo_log:?}\nroot=$(echo \"$*\" | sed -n 's/.*--root \\([^ ]*\\).*/\\1/p')\nmkdir -p \"$root/bin\" && printf '#!/bin/sh\\necho built\\n' >\"$root/bin/wsc\" && chmod +x \"$root/bin/wsc\"\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &fake_cargo,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let github_path = dir.join("github-path");
    let output = Command::new("bash")
        .arg(root().join("ci/install-wsc.sh"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("WSC_RELEASE_URL", format!("file://{}", release.display()))
        .env("WSC_VERSION", version)
        .env("WSC_TARGET", TARGET)
        .env("WSC_INSTALL_DIR", &bin)
        .env("GITHUB_PATH", &github_path)
        .env("CARGO", &fake_cargo)
        .output()
        .unwrap();
    let cargo = std::fs::read_to_string(&cargo_log).unwrap_or_default();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned() + &cargo,
        bin,
    )
}

#[test]
fn the_install_script_installs_a_verified_archive() {
    let dir = tempfile::tempdir().unwrap();
    let (release, _) = release(dir.path(), "9.8.7");
    let (code, stdout, err, bin) = install(dir.path(), &release, "9.8.7");
    assert_eq!(code, 0, "{err}");
    assert_eq!(stdout.trim(), bin.join("wsc").display().to_string());
    assert!(err.contains("verified ncloud-wsc-9.8.7-"), "{err}");
    assert!(
        !err.contains("install --locked"),
        "built from source: {err}"
    );
    let version = Command::new(bin.join("wsc"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("wsc "));
    let path = std::fs::read_to_string(dir.path().join("github-path")).unwrap();
    assert_eq!(path.trim(), bin.display().to_string());
}

#[test]
fn the_install_script_refuses_a_tampered_archive_and_does_not_fall_back() {
    let dir = tempfile::tempdir().unwrap();
    let (release, archive) = release(dir.path(), "9.8.7");
    let mut bytes = std::fs::read(release.join(&archive)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(release.join(&archive), bytes).unwrap();
    let (code, _, err, bin) = install(dir.path(), &release, "9.8.7");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("does not match SHA256SUMS") && err.contains("not installing"),
        "{err}"
    );
    assert!(!bin.join("wsc").exists(), "a tampered binary was installed");
    assert!(
        !err.contains("install --locked"),
        "fell back to a build: {err}"
    );
}

#[test]
fn the_install_script_builds_from_source_only_without_a_fitting_archive() {
    let dir = tempfile::tempdir().unwrap();
    // A release with no archive for this target.
    let (release, archive) = release(dir.path(), "9.8.7");
    std::fs::remove_file(release.join(&archive)).unwrap();
    let sums = std::fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    let other: String = sums.lines().filter(|l| !l.contains(TARGET)).collect();
    std::fs::write(release.join("SHA256SUMS"), other + "\n").unwrap();
    let (code, stdout, err, bin) = install(dir.path(), &release, "9.8.7");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("has no ncloud-wsc-9.8.7-{TARGET}.tar.gz")),
        "{err}"
    );
    assert!(
        err.contains("install --locked --root") && err.contains("crates/wsc-cli"),
        "{err}"
    );
    assert_eq!(stdout.trim(), bin.join("wsc").display().to_string());

    // No release at all (nothing at the URL): the same fallback.
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err, _) = install(dir.path(), empty.path(), "9.8.7");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no release at"), "{err}");
}

/// The GitHub Action's steps (its script, not GitHub) against wsc-mock: the
/// upload files, the job summary, the outputs, and the baseline gate on a
/// second run.
#[test]
fn the_action_script_writes_the_reports_the_summary_and_the_outputs() {
    let w = mock();
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("step-summary.md");
    let outputs = dir.path().join("github-output");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let github = [
        ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ("GITHUB_OUTPUT", outputs.to_str().unwrap()),
        ("WSC_MEMO", "ci run"),
    ];
    let with = |extra: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        github
            .iter()
            .chain(extra)
            .map(|(k, v)| (*k, v.to_string()))
            .collect()
    };
    let run = |out: &Path, url: &str, env: Vec<(&'static str, String)>| {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        action(&w, out, url, &env)
    };

    let first = dir.path().join("first");
    let (code, err) = run(
        &first,
        "https://clean.example",
        with(&[("WSC_FAIL_ON", "high")]),
    );
    assert_eq!(code, 0, "{err}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(first.join("wsc.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let junit = std::fs::read_to_string(first.join("wsc-junit.xml")).unwrap();
    assert!(
        junit.contains("<testsuites") && !junit.contains("<failure"),
        "{junit}"
    );
    let html = std::fs::read_to_string(first.join("wsc-report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("verdict passed"));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("# earlier step\n## Web Security Checker: job "),
        "{text}"
    );
    // The target, with its autolink broken (see markdown::escape).
    assert!(
        text.contains("| high | 0 |") && text.contains("https&#8203;://clean.example"),
        "{text}"
    );
    let out = std::fs::read_to_string(&outputs).unwrap();
    assert!(
        out.contains("exit-code=0") && out.contains("job-id=12345"),
        "{out}"
    );

    // Second run: findings, compared with the first run's report.
    let baseline = first.join("wsc-report.json");
    let second = dir.path().join("second");
    let (code, err) = run(
        &second,
        "https://shop.example.com",
        with(&[
            ("WSC_FAIL_ON", ""),
            ("WSC_BASELINE", baseline.to_str().unwrap()),
            // The first run scanned another target.
            ("WSC_BASELINE_ANY_TARGET", "true"),
            ("WSC_FAIL_ON_NEW", "low"),
        ]),
    );
    let result: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(second.join("wsc-result.json")).unwrap())
            .unwrap();
    let grew = result["new_at_or_above"].as_array().unwrap();
    assert!(
        !grew.is_empty(),
        "the seeded mock gives shop.example.com findings: {result}"
    );
    assert_eq!(code, 10, "{err}");
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.contains("| level | findings | baseline | change |"),
        "{text}"
    );
    assert!(text.contains("**New findings at or above low:**"), "{text}");
    for file in OUTPUTS {
        assert!(second.join(file).is_file(), "{file}");
    }

    // No URL: a usage error before anything is sent.
    let (code, err) = run(&dir.path().join("third"), "", with(&[]));
    assert_eq!(code, 2, "{err}");
}

/// action.yml and the GitLab template hand every input to the script under the
/// name it reads.
#[test]
fn ci_recipes_pass_their_inputs_to_the_script() {
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let gitlab = std::fs::read_to_string(root().join("ci/gitlab/wsc.gitlab-ci.yml")).unwrap();
    let script = std::fs::read_to_string(root().join("ci/wsc-action.sh")).unwrap();
    assert!(action.contains("using: composite") && action.contains("ci/wsc-action.sh"));
    assert!(gitlab.contains("wsc-action.sh") && gitlab.contains("junit: wsc-junit.xml"));
    for (input, var) in [
        ("url", "WSC_URL"),
        ("fail-on", "WSC_FAIL_ON"),
        ("fail-on-new", "WSC_FAIL_ON_NEW"),
        ("baseline", "WSC_BASELINE"),
        ("baseline-any-target", "WSC_BASELINE_ANY_TARGET"),
        ("memo", "WSC_MEMO"),
        ("site", "WSC_SITE"),
        ("endpoint", "WSC_ENDPOINT"),
        ("ca-bundle", "WSC_CA_BUNDLE"),
    ] {
        assert!(action.contains(&format!("\n  {input}:\n")), "input {input}");
        assert!(
            action.contains(&format!("{var}: ${{{{ inputs.{input} }}}}")),
            "{input} → {var}"
        );
        assert!(gitlab.contains(&format!("\n  {var}: ")), "GitLab {var}");
        assert!(script.contains(var), "the script reads {var}");
    }
}

#[test]
fn the_action_script_checks_its_inputs_before_the_billed_call() {
    let w = mock();
    let dir = tempfile::tempdir().unwrap();
    let a_file = dir.path().join("a-file");
    std::fs::write(&a_file, "").unwrap();
    let missing = dir.path().join("missing.json").display().to_string();
    // A directory under a file can be neither made nor written, even by root.
    let unwritable = a_file.join("out").display().to_string();
    let cases: [(&str, &str); 6] = [
        ("WSC_HISTORY", "-1"),
        ("WSC_HISTORY", "101"),
        ("WSC_INTERVAL", "soon"),
        ("WSC_FAIL_ON", "critical"),
        ("WSC_BASELINE", &missing),
        ("WSC_OUT_DIR", &unwritable),
    ];
    for (name, value) in cases {
        let (code, err) = action(
            &w,
            &dir.path().join("out"),
            "https://shop.example.com",
            &[(name, value)],
        );
        assert_eq!(code, 2, "{name}={value}: {err}");
        assert!(
            err.contains(name) && err.contains("no scan was started"),
            "{err}"
        );
    }
    assert!(w.server.requests().is_empty(), "something was sent");
}
