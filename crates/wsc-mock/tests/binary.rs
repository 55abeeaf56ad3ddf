//! `wsc-mock serve` prints its address first and answers signed requests.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use wsc_core::operations::{ListJobs, Operation, build_request};
use wsc_core::{Credentials, Endpoint, TimestampMs};

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

/// Starts `wsc-mock` with `args` and returns it with its base URL.
fn spawn(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wsc-mock"))
        .args(args)
        .env_remove("WSC_MOCK_ACCESS_KEY")
        .env_remove("WSC_MOCK_SECRET_KEY")
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
    (child, url)
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
    let (mut child, url) = spawn(&[
        "serve",
        "--no-demo-jobs",
        "--fault",
        "createJob:first:acted-then-endpoint-error",
        "--fault",
        "getJobs:nth=2:html-502",
    ]);
    let create = wsc_core::operations::CreateJob::builder("https://a.example")
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
