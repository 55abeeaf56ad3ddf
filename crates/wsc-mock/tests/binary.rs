//! `wsc-mock serve` prints its address first and answers signed requests.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use wsc_core::ListJobs;
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::{Operation, build_request};
use wsc_core::{Credentials, Endpoint};

#[test]
fn serve_prints_its_address_first_and_uses_env_keys() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wsc-mock"))
        .arg("serve")
        .env("WSC_MOCK_ACCESS_KEY", "ENVKEY")
        .env("WSC_MOCK_SECRET_KEY", "env-secret")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"));

    let creds = Credentials::new("ENVKEY", "env-secret").unwrap();
    let req = build_request(
        &ListJobs::default(),
        &Endpoint::parse(&url).unwrap(),
        &creds,
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .unwrap();
    let addr = url.trim_start_matches("http://").parse().unwrap();
    let raw = common::send(addr, &req).unwrap();
    let page = ListJobs::default().parse_response(&raw.to_http()).unwrap();
    assert_eq!(page.records.len(), 5, "serve preloads the demo jobs");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_port_in_use_is_named_with_the_way_out() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_wsc-mock"))
        .args(["serve", "--port", &port])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!("port {port} of 127.0.0.1 is in use")) && err.contains("--port 0"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
}

/// Starts `wsc-mock` with `args` (demo keys) and returns it with what it
/// printed up to and including its `export` line.
fn spawn(args: &[&str]) -> (std::process::Child, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wsc-mock"))
        .args(args)
        .env_remove("WSC_MOCK_ACCESS_KEY")
        .env_remove("WSC_MOCK_SECRET_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = banner_lines(child.stdout.take().unwrap());
    (child, lines)
}

/// The lines a child prints up to and including its `export` line, read on a
/// thread so that a child that never prints it fails the test after 30 s
/// instead of hanging it.
fn banner_lines(stdout: std::process::ChildStdout) -> Vec<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().take(10) {
            let Ok(line) = line else { break };
            let done = line.starts_with("export ");
            if tx.send(line).is_err() || done {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(30)) {
        lines.push(line);
    }
    lines
}

fn url_of(lines: &[String]) -> String {
    lines[0]
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{lines:?}"))
        .to_owned()
}

fn demo_call<O: Operation>(url: &str, op: &O) -> common::Raw {
    let creds = Credentials::new(wsc_mock::DEMO_ACCESS_KEY, wsc_mock::DEMO_SECRET_KEY).unwrap();
    let req = build_request(
        op,
        &Endpoint::parse(url).unwrap(),
        &creds,
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .unwrap();
    let addr = url.trim_start_matches("http://").parse().unwrap();
    common::send(addr, &req).unwrap()
}

#[test]
fn fault_flags_apply_per_operation_and_count() {
    let (mut child, lines) = spawn(&[
        "serve",
        "--no-demo-jobs",
        "--fault",
        "createJob:first:acted-then-endpoint-error",
        "--fault",
        "getJobs:nth=2:html-502",
    ]);
    let url = url_of(&lines);
    let create = wsc_core::CreateJob::builder("https://a.example")
        .build()
        .unwrap();
    let creates: Vec<u16> = (0..2).map(|_| demo_call(&url, &create).status).collect();
    let lists: Vec<u16> = (0..3)
        .map(|_| demo_call(&url, &ListJobs::default()).status)
        .collect();
    // The failed create was still carried out: the listing shows two jobs.
    let page = ListJobs::default()
        .parse_response(&demo_call(&url, &ListJobs::default()).to_http())
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(creates, [503, 200]);
    assert_eq!(lists, [200, 502, 200]);
    assert_eq!(page.records.len(), 2);
}

#[test]
fn a_bad_fault_flag_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_wsc-mock"))
        .args(["serve", "--fault", "createJob:first:explode"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("explode") && err.contains("unknown fault"),
        "{err}"
    );
}

#[test]
fn serve_prints_the_demo_keys_and_an_export_line() {
    let (mut child, lines) = spawn(&["serve", "--no-demo-jobs"]);
    child.kill().unwrap();
    child.wait().unwrap();
    let url = url_of(&lines);
    assert!(url.starts_with("http://127.0.0.1:"), "{lines:?}");
    let text = lines.join("\n");
    assert!(text.contains(wsc_mock::DEMO_ACCESS_KEY), "{text}");
    assert!(text.contains(wsc_mock::DEMO_SECRET_KEY), "{text}");
    assert_eq!(
        lines.last().unwrap(),
        &format!(
            "export WSC_ENDPOINT={url} NCLOUD_ACCESS_KEY_ID={} NCLOUD_SECRET_ACCESS_KEY={}",
            wsc_mock::DEMO_ACCESS_KEY,
            wsc_mock::DEMO_SECRET_KEY
        )
    );
}

#[test]
fn serve_never_prints_a_configured_secret() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wsc-mock"))
        .args(["serve", "--no-demo-jobs"])
        .env("WSC_MOCK_ACCESS_KEY", "ENVKEY")
        .env("WSC_MOCK_SECRET_KEY", "env-secret-value")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let text = banner_lines(child.stdout.take().unwrap()).join("\n");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!text.contains("env-secret-value"), "{text}");
    assert!(
        text.contains(
            "NCLOUD_ACCESS_KEY_ID=ENVKEY NCLOUD_SECRET_ACCESS_KEY=\"$WSC_MOCK_SECRET_KEY\""
        ),
        "{text}"
    );
}

#[test]
fn tls_writes_the_ca_it_serves_with() {
    let dir = tempfile::tempdir().unwrap();
    let ca_path = dir.path().join("ca.pem");
    let (mut child, lines) = spawn(&["serve", "--tls", "--ca-out", ca_path.to_str().unwrap()]);
    let url = url_of(&lines);
    assert!(url.starts_with("https://127.0.0.1:"), "{lines:?}");
    assert_eq!(lines[1], format!("ca certificate: {}", ca_path.display()));
    assert!(
        lines
            .last()
            .unwrap()
            .ends_with(&format!(" WSC_CA_BUNDLE={}", ca_path.display())),
        "{lines:?}"
    );
    let pem = std::fs::read_to_string(&ca_path).unwrap();
    let addr = url.trim_start_matches("https://").parse().unwrap();
    let trusted = common::tls::handshake(addr, common::tls::client(&[&pem]), "localhost");
    let untrusted = common::tls::handshake(addr, common::tls::client(&[]), "localhost");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(trusted.is_ok(), "{:?}", trusted.err());
    assert!(untrusted.is_err());
}
