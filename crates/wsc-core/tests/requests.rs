//! Built requests, snapshotted as a human reads them.

use std::fmt::Write as _;

use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::{CancelJob, GetReport, Operation, StopJob, build_request, prepare};
use wsc_core::{CreateJob, ListJobs, ScanUserAgent, SearchBy, SearchJobs, Speed};
use wsc_core::{Credentials, Endpoint, InstanceId, JobStatus, Limit, PageNumber, Site};

fn creds() -> Credentials {
    Credentials::new(
        "C9zxQyBQVqcRNQmcAXKn",
        "NDgSdssXg4RiMMN1f5dqIe775GJXzSe8hWpd2X3g",
    )
    .unwrap()
}

fn render<O: Operation>(op: &O) -> String {
    let req = build_request(
        op,
        &Endpoint::from_site(Site::Public),
        &creds(),
        TimestampMs(1_700_000_000_000),
    )
    .unwrap();
    let mut out = format!("{} {}\n", req.method(), req.uri());
    for (name, value) in req.headers() {
        writeln!(out, "{name}: {}", value.to_str().unwrap()).unwrap();
    }
    if !req.body().is_empty() {
        writeln!(out, "\n{}", String::from_utf8_lossy(req.body())).unwrap();
    }
    out
}

fn id() -> InstanceId {
    InstanceId::new(1234111231).unwrap()
}

#[test]
fn every_operation_request() {
    insta::assert_snapshot!(
        "list_jobs",
        render(&ListJobs::new(Limit::new(10).unwrap(), PageNumber::FIRST))
    );
    insta::assert_snapshot!("cancel_job", render(&CancelJob::new(id())));
    insta::assert_snapshot!("stop_job", render(&StopJob::new(id())));
    insta::assert_snapshot!("get_report", render(&GetReport::new(id())));
    let search = SearchJobs::new(
        SearchBy::Memo("nightly".into()),
        JobStatus::Completed.code(),
        Limit::default(),
        PageNumber::new(2).unwrap(),
    )
    .unwrap();
    insta::assert_snapshot!("search_jobs", render(&search));
    let create = CreateJob::builder("https://www.example.com")
        .exclude_url("https://www.example.com/logout")
        .vuln_item("XSS")
        .vuln_item("SSI Injection")
        .user_agent(ScanUserAgent::Android)
        .speed(Speed::Fast)
        .memo("release gate")
        .rescan_of(id())
        .build()
        .unwrap();
    insta::assert_snapshot!("create_job", render(&create));
}

#[test]
fn search_body_matches_the_documented_example() {
    let search = SearchJobs::new(
        SearchBy::Url("http://your-domain".into()),
        None,
        Limit::new(10).unwrap(),
        PageNumber::FIRST,
    )
    .unwrap();
    let documented: serde_json::Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/searchJobs.request.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let body = prepare(&search, &Endpoint::from_site(Site::Public))
        .unwrap()
        .body()
        .to_vec();
    let ours: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(ours, documented);
    // `statusCode: null` is written out, not omitted.
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("\"statusCode\":null")
    );
}

#[test]
fn list_request_reproduces_the_documented_signature() {
    let req = build_request(
        &ListJobs::new(Limit::new(10).unwrap(), PageNumber::FIRST),
        &Endpoint::from_site(Site::Public),
        &creds(),
        TimestampMs(1_700_000_000_000),
    )
    .unwrap();
    assert_eq!(
        req.headers()["x-ncp-apigw-signature-v2"],
        "x3Nd7Xi2IEPCup9CrU+qgMfuqTBNuDOAHwZX50g1m/Q="
    );
    assert_eq!(req.headers()["content-type"], "application/json");
}

#[test]
fn a_path_prefix_is_kept_and_signed() {
    let e = Endpoint::parse("http://127.0.0.1:8080/gw").unwrap();
    let req = build_request(&CancelJob::new(id()), &e, &creds(), TimestampMs(1)).unwrap();
    assert_eq!(req.uri().path(), "/gw/api/v1/jobs/1234111231/cancel");
}
