//! `wsc configure` and the files wsc writes: locking, duplicates, CRLF,
//! symlinks and special files, dry runs, saved endpoints and sites.

#![cfg(unix)]

mod support;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::process::Stdio;

use support::{ACCESS, SECRET, json, run, world};
use wsc_core::config::ConfigFile;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn ten_parallel_runs_keep_ten_profiles() {
    let w = world();
    let children: Vec<_> = (0..10)
        .map(|i| {
            let mut child = w
                .std_wsc()
                .args(["configure", "--profile", &format!("p{i}")])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            std::io::Write::write_all(
                child.stdin.as_mut().unwrap(),
                format!("AK{i}\nSK{i}\n").as_bytes(),
            )
            .unwrap();
            drop(child.stdin.take());
            child
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = std::fs::read_to_string(w.config_path()).unwrap();
    let file = ConfigFile::parse("f", &text);
    for i in 0..10 {
        assert_eq!(
            file.value(&format!("p{i}"), "ncloud_access_key_id"),
            Some(format!("AK{i}").as_str()),
            "p{i} lost:\n{text}"
        );
    }
}

#[test]
fn duplicate_sections_get_one_answer_and_crlf_stays() {
    let w = world();
    let path = w.write_config(
        "[DEFAULT]\r\nncloud_access_key_id = OLD1\r\nncloud_secret_access_key = old1\r\n\r\n[DEFAULT]\r\nncloud_access_key_id = OLD2\r\nncloud_secret_access_key = old2\r\n",
    );
    let (code, _, err) = run(w
        .bare()
        .arg("configure")
        .write_stdin(format!("{ACCESS}\n{SECRET}\n")));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("appears 2 times"), "{err}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("OLD"), "{text}");
    assert_eq!(
        text.matches("\r\n").count(),
        text.matches('\n').count(),
        "CRLF kept: {text:?}"
    );
    // The keys just saved are the ones used.
    let (code, _, err) = run(w
        .bare()
        .env("WSC_ENDPOINT", w.server.base_url())
        .arg("list"));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_symlinked_file_is_written_through_and_the_directory_is_private() {
    let w = world();
    // A fresh HOME under umask 000: the directory is 0700 all the same.
    let (code, _, err) = run(assert_cmd::Command::new("sh")
        .env_clear()
        .env("HOME", w.home.path())
        .env("WSC", assert_cmd::cargo::cargo_bin("wsc"))
        .args(["-c", "umask 000; exec \"$WSC\" configure"])
        .write_stdin("AK1\nSK1\n")
        .timeout(std::time::Duration::from_secs(60)));
    assert_eq!(code, 0, "{err}");
    let dir = w.home.path().join(".ncloud");
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&w.config_path()), 0o600);

    // The file is a link to another file: the link stays, the target changes.
    let real = w.home.path().join("dotfiles-configure");
    std::fs::rename(w.config_path(), &real).unwrap();
    std::os::unix::fs::symlink(&real, w.config_path()).unwrap();
    let (code, _, err) = run(w
        .bare()
        .args(["configure", "--profile", "ci"])
        .write_stdin("AK2\nSK2\n"));
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(w.config_path())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("AK1") && text.contains("AK2"), "{text}");

    // A link to a device is refused, not replaced.
    std::fs::remove_file(w.config_path()).unwrap();
    std::os::unix::fs::symlink("/dev/null", w.config_path()).unwrap();
    let (code, _, err) = run(w.bare().arg("configure").write_stdin("AK3\nSK3\n"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("refusing"), "{err}");
    assert!(
        std::fs::symlink_metadata(w.config_path())
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn dry_run_writes_nothing_and_masks_the_secret() {
    let w = world();
    for format in ["table", "json"] {
        let (code, out, err) = run(w
            .bare()
            .args(["configure", "--dry-run", "-o", format, "--site", "gov"])
            .write_stdin(format!("{ACCESS}\n{SECRET}\n")));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("redacted") && out.contains("gov"), "{out}");
        assert!(!out.contains(ACCESS), "the access key is masked: {out}");
    }
    assert!(!w.home.path().join(".ncloud").exists(), "nothing written");
}

#[test]
fn endpoint_and_site_are_saved_and_json_shows_the_profile() {
    let w = world();
    let (code, out, err) = run(w
        .bare()
        .args([
            "configure",
            "--profile",
            "mock",
            "--endpoint",
            w.server.base_url(),
            "-o",
            "json",
        ])
        .write_stdin(format!("{ACCESS}\n{SECRET}\n")));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["profile"], "mock");
    assert_eq!(v["endpoint"], w.server.base_url());
    assert_eq!(v["secret_key"], "** redacted **");
    assert_ne!(v["access_key"], ACCESS);
    // The saved endpoint is used with no variable set.
    let (code, _, err) = run(w.bare().args(["--profile", "mock", "list"]));
    assert_eq!(code, 0, "{err}");

    // A piped third line sets the site; --site does too.
    let (code, _, err) = run(w
        .bare()
        .args(["configure", "--profile", "g1"])
        .write_stdin("AK\nSK\ngov\n"));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(w
        .bare()
        .args(["configure", "--profile", "g2", "--site", "gov"])
        .write_stdin("AK\nSK\n"));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(w.config_path()).unwrap();
    let file = ConfigFile::parse("f", &text);
    for p in ["g1", "g2"] {
        assert_eq!(
            file.value(p, "ncloud_api_url"),
            Some("https://ncloud.apigw.gov-ntruss.com"),
            "{text}"
        );
    }
    let (code, _, err) = run(w
        .bare()
        .args(["configure", "--profile", "g3"])
        .write_stdin("AK\nSK\nmars\n"));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_endpoint_is_asked_for_and_saved() {
    let w = world();
    // Piped: access key, secret key, a blank site, then the endpoint.
    let (code, out, err) = run(w
        .bare()
        .args(["configure", "--profile", "asked", "-o", "json"])
        .write_stdin(format!("{ACCESS}\n{SECRET}\n\n{}\n", w.server.base_url())));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["endpoint"], w.server.base_url());
    // Saved: every later command of the profile uses it.
    let (code, _, err) = run(w.bare().args(["--profile", "asked", "list"]));
    assert_eq!(code, 0, "{err}");
    // A blank answer saves none; a bad one is a usage error saying what is wanted.
    let (code, out, err) = run(w
        .bare()
        .args(["configure", "--profile", "blank", "-o", "json"])
        .write_stdin("AK\nSK\n\n\n"));
    assert_eq!(code, 0, "{err}");
    assert!(json(&out)["endpoint"].is_null(), "{out}");
    let (code, _, err) = run(w
        .bare()
        .args(["configure", "--profile", "bad"])
        .write_stdin("AK\nSK\n\nftp://x.example\n"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the endpoint") && err.contains("https://"),
        "{err}"
    );
}

#[test]
fn configure_help_lists_only_what_configure_uses_and_says_what_is_saved() {
    let w = world();
    let (code, out, _) = run(w.bare().args(["configure", "--help"]));
    assert_eq!(code, 0);
    for absent in [
        "--retries",
        "--record",
        "--ca-bundle",
        "--secret-key-stdin",
        "--verbose",
        "--timeout",
        "markdown",
        "junit",
        "sarif",
        "send nothing",
    ] {
        assert!(!out.contains(absent), "{absent} in:\n{out}");
    }
    for present in [
        "--endpoint <URL>",
        "to save in the profile",
        "--site <SITE>",
        "Profile to write",
        "write nothing",
        "optional endpoint",
    ] {
        assert!(out.contains(present), "{present} not in:\n{out}");
    }
}

#[test]
fn quiet_keeps_the_open_permissions_warning() {
    let w = world();
    let path = w.write_config(&format!(
        "ncloud_access_key_id = {ACCESS}\nncloud_secret_access_key = {SECRET}\n"
    ));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = run(w
        .bare()
        .env("WSC_ENDPOINT", w.server.base_url())
        .args(["-q", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("readable by other users"), "{err}");
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn out_and_record_refuse_fifos_and_devices() {
    let w = world();
    let fifo = w.home.path().join("fifo");
    mkfifo(&fifo);
    let link = w.home.path().join("to-null");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let completed = w.id_with_phase(wsc_mock::Phase::Completed);
    for (flag, target) in [("--out", &fifo), ("--record", &fifo), ("--out", &link)] {
        let target = target.to_str().unwrap();
        let (code, _, err) = run(w.wsc().args(["report", &completed, flag, target]));
        assert_eq!(code, 2, "{flag} {target}: {err}");
        assert!(err.contains("refusing"), "{err}");
    }
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(w.server.requests().is_empty(), "refused before sending");
}

#[test]
fn a_job_file_is_read_up_to_one_mebibyte() {
    let w = world();
    let (code, _, err) = run(w
        .wsc()
        .args(["create", "--from-file", "/dev/zero", "--yes"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    let big = w.home.path().join("big.json");
    std::fs::write(&big, vec![b' '; (1 << 20) + 1]).unwrap();
    let (code, _, err) = run(w
        .wsc()
        .args(["create", "--from-file"])
        .arg(&big)
        .arg("--yes"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("larger than"), "{err}");
    assert!(w.server.requests().is_empty());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_where_files_are_read_are_refused_at_once() {
    let w = world();
    let fifo = w.home.path().join("fifo");
    mkfifo(&fifo);
    let started = std::time::Instant::now();
    for args in [
        vec![
            "create",
            "--url",
            "https://x.example",
            "--yes",
            "--ca-bundle",
        ],
        vec![
            "report",
            "1234567001",
            "--fail-on-new",
            "high",
            "--baseline",
        ],
        vec!["create", "--yes", "--from-file"],
    ] {
        let (code, _, err) = run(w.wsc().args(&args).arg(&fifo));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
    // The configure file as a fifo: credentials from the environment still work.
    std::fs::create_dir_all(w.home.path().join(".ncloud")).unwrap();
    mkfifo(&w.home.path().join(".ncloud/configure"));
    let (code, _, err) = run(w.wsc().arg("list"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("not a regular file"),
        "the unreadable file is named: {err}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "a read waited"
    );
    assert_eq!(
        w.server.served(wsc_core::sans_io::OperationKind::CreateJob),
        0
    );
}

#[test]
fn a_malformed_configure_file_does_not_block_the_environments_credentials() {
    let w = world();
    std::fs::create_dir_all(w.home.path().join(".ncloud")).unwrap();
    std::fs::write(
        w.home.path().join(".ncloud/configure"),
        b"[default]\nkey=\xff\xfe\n",
    )
    .unwrap();
    let (code, _, err) = run(w.wsc().arg("list"));
    assert_eq!(code, 0, "{err}");
    // Without credentials in the environment the file is needed: its error.
    let (code, _, err) = run(w.bare().arg("list"));
    assert_ne!(code, 0);
    assert!(err.contains("UTF-8"), "{err}");
}

#[test]
fn a_profile_name_that_could_break_the_file_is_refused() {
    let w = world();
    let path = w.home.path().join(".ncloud/configure");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "[default]\nncloud_access_key_id = A\n").unwrap();
    for bad in ["x]\n[default", "a b", &"p".repeat(65)] {
        let (code, _, err) = run(w
            .bare()
            .args(["configure", "--profile", bad])
            .write_stdin("AK\nSK\n"));
        assert_eq!(code, 2, "{bad:?}: {err}");
        let (code, _, err) = run(w.wsc().args(["--profile", bad, "list"]));
        assert_eq!(code, 2, "{bad:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "[default]\nncloud_access_key_id = A\n",
        "the file is untouched"
    );
}

#[cfg(unix)]
#[test]
fn an_endless_secret_on_stdin_is_refused_not_read_forever() {
    let w = world();
    let output = w
        .std_wsc()
        .env_remove("NCLOUD_SECRET_ACCESS_KEY")
        .args(["--secret-key-stdin", "list"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    let (code, _, err) = support::check(output);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("within 4 KiB"), "{err}");
    assert!(w.server.requests().is_empty());
}

#[cfg(target_os = "linux")]
#[test]
fn the_process_holding_the_secret_leaves_no_core_file() {
    let w = world();
    w.server.inject(
        wsc_mock::Route::Any,
        wsc_mock::When::Always,
        wsc_mock::Fault::NeverAnswer,
    );
    let mut child = w
        .std_wsc()
        .args(["--timeout", "10", "list"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let limits = format!("/proc/{}/limits", child.id());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while w.server.requests().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let text = std::fs::read_to_string(&limits).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let core = text
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_lock_file_is_never_opened_through() {
    let w = world();
    let dir = w.home.path().join(".ncloud");
    std::fs::create_dir_all(&dir).unwrap();
    let victim = w.home.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("configure.lock")).unwrap();
    let (code, _, err) = run(w
        .bare()
        .args(["configure", "--profile", "ci"])
        .write_stdin("AK\nSK\n"));
    assert_ne!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    let mode = std::fs::metadata(&victim).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o644,
        "the lock's chmod went through the link"
    );
}
