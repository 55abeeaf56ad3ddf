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
