//! Replay mode: in-order matching, loud mismatches, exhaustion, auth still checked.

mod common;

use std::time::SystemTime;

use common::{call, call_as, parsed};
use wsc_core::cassette::{Cassette, Exchange, RecordedRequest, RecordedResponse};
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::{CancelJob, build_request};
use wsc_core::{Credentials, Endpoint, InstanceId, Limit, PageNumber};
use wsc_core::{ListJobs, SearchBy, SearchJobs};
use wsc_mock::{MockConfig, MockServer};

const DOCUMENTED_SEARCH: &str = include_str!("../../wsc-core/tests/fixtures/searchJobs.ok.ko.json");
const DOCUMENTED_CANCEL_ERROR: &str =
    include_str!("../../wsc-core/tests/fixtures/cancelJob.error.json");

fn exchange<O: wsc_core::sans_io::Operation>(op: &O, status: u16, body: &str) -> Exchange {
    let creds = Credentials::new("RECORDER", "recorder-secret").unwrap();
    let req = build_request(
        op,
        &Endpoint::parse("http://127.0.0.1:1").unwrap(),
        &creds,
        TimestampMs(1),
    )
    .unwrap();
    let resp = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap();
    Exchange::new(
        RecordedRequest::from_http(&req),
        RecordedResponse::from_http(&resp),
    )
}

fn search() -> SearchJobs {
    SearchJobs::new(
        SearchBy::Url("target-domain.com".into()),
        None,
        Limit::new(10).unwrap(),
        PageNumber::FIRST,
    )
    .unwrap()
}

fn cassette() -> Cassette {
    let cancel = CancelJob::new(InstanceId::new(1234567890).unwrap());
    Cassette::new(vec![
        exchange(&search(), 200, DOCUMENTED_SEARCH),
        exchange(&cancel, 400, DOCUMENTED_CANCEL_ERROR),
    ])
}

#[test]
fn the_documented_exchanges_replay_in_order() {
    let s = MockServer::start_replay(MockConfig::default(), cassette()).unwrap();
    let page = parsed(&s, &search()).unwrap();
    assert_eq!(page.records[0].status_label, "URL 수집중");
    let err = parsed(&s, &CancelJob::new(InstanceId::new(1234567890).unwrap())).unwrap_err();
    assert!(err.to_string().contains("901"));
    assert_eq!(s.replay_remaining(), 0);
}

#[test]
fn bodies_match_ignoring_key_order() {
    let mut c = cassette();
    let body = c.exchanges[0].request.body.body.clone().unwrap();
    let value: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&body).unwrap();
    let reversed: serde_json::Map<_, _> = value.into_iter().rev().collect();
    c.exchanges[0].request.body.body = Some(serde_json::to_string(&reversed).unwrap());
    let s = MockServer::start_replay(MockConfig::default(), c).unwrap();
    assert!(parsed(&s, &search()).is_ok());
}

#[test]
fn a_mismatch_is_a_loud_500_naming_both_requests() {
    let s = MockServer::start_replay(MockConfig::default(), cassette()).unwrap();
    let raw = call(&s, &ListJobs::default()).unwrap();
    assert_eq!(raw.status, 500);
    let text = String::from_utf8(raw.body).unwrap();
    assert!(text.contains("expected POST /api/v1/jobs/search"), "{text}");
    assert!(
        text.contains("received GET /api/v1/jobs?limit=20&page=1"),
        "{text}"
    );
    assert_eq!(
        s.replay_remaining(),
        2,
        "a mismatch does not consume the exchange"
    );
}

#[test]
fn an_exhausted_cassette_says_so() {
    let s = MockServer::start_replay(MockConfig::default(), Cassette::default()).unwrap();
    let raw = call(&s, &ListJobs::default()).unwrap();
    assert_eq!(raw.status, 500);
    assert!(String::from_utf8(raw.body).unwrap().contains("exhausted"));
}

#[test]
fn auth_is_verified_not_compared() {
    let s = MockServer::start_replay(MockConfig::default(), cassette()).unwrap();
    let wrong = Credentials::new(s.credentials().access_key().as_str(), "wrong").unwrap();
    assert_eq!(
        call_as(&s, &search(), &wrong, SystemTime::now())
            .unwrap()
            .status,
        401
    );
    assert_eq!(s.replay_remaining(), 2);
}
