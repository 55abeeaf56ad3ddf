//! Every fault kind, as a client on the wire sees it, and what the service did.

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::{call, parsed, read_head, signed, write_request};
use wsc_core::error::{GatewayErrorKind, ServiceErrorKind};
use wsc_core::sans_io::{CancelJob, Operation, OperationKind};
use wsc_core::{CreateJob, ListJobs};
use wsc_core::{Error, InstanceId};
use wsc_mock::{
    Fault, FaultRule, Findings, LostReply, MockConfig, MockServer, Phase, PreloadJob, Route, When,
};

fn server() -> MockServer {
    MockServer::start(MockConfig::default()).unwrap()
}

fn gateway_kind(s: &MockServer) -> GatewayErrorKind {
    match parsed(s, &ListJobs::default()) {
        Err(Error::Gateway(g)) => g.kind(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn gateway_status_faults_have_the_documented_codes() {
    let s = server();
    let list = Route::Op(OperationKind::ListJobs);
    for (fault, kind) in [
        (
            Fault::TooManyRequests {
                code: 400,
                retry_after: None,
            },
            GatewayErrorKind::QuotaExceeded,
        ),
        (
            Fault::TooManyRequests {
                code: 410,
                retry_after: None,
            },
            GatewayErrorKind::ThrottleLimited,
        ),
        (
            Fault::TooManyRequests {
                code: 420,
                retry_after: None,
            },
            GatewayErrorKind::RateLimited,
        ),
        (Fault::EndpointError, GatewayErrorKind::EndpointError),
        (Fault::EndpointTimeout, GatewayErrorKind::EndpointTimeout),
        (Fault::UnexpectedError, GatewayErrorKind::UnexpectedError),
    ] {
        s.inject(list, When::Next(1), fault.clone());
        assert_eq!(gateway_kind(&s), kind, "{fault:?}");
    }
    // The script is spent: the next call succeeds.
    assert!(parsed(&s, &ListJobs::default()).is_ok());
}

#[test]
fn retry_after_is_sent_when_scripted() {
    let s = server();
    s.inject(
        Route::Any,
        When::Next(1),
        Fault::TooManyRequests {
            code: 410,
            retry_after: Some(2),
        },
    );
    let raw = call(&s, &ListJobs::default()).unwrap();
    assert_eq!(raw.status, 429);
    assert_eq!(raw.header("retry-after"), Some("2"));
}

#[test]
fn service_901_with_any_status() {
    let s = server();
    for status in [200, 400, 401] {
        s.inject(
            Route::Any,
            When::Next(1),
            Fault::ServiceUnavailable { status },
        );
        let raw = call(&s, &ListJobs::default()).unwrap();
        assert_eq!(raw.status, status);
        let err = ListJobs::default()
            .parse_response(&raw.to_http())
            .unwrap_err();
        assert!(
            matches!(err, Error::Service(ref e) if e.kind() == ServiceErrorKind::ApiCallFail),
            "{err:?}"
        );
    }
}

#[test]
fn html_502_and_garbage() {
    let s = server();
    s.inject(Route::Any, When::Next(1), Fault::HtmlBadGateway);
    let raw = call(&s, &ListJobs::default()).unwrap();
    assert_eq!(raw.status, 502);
    assert!(raw.header("content-type").unwrap().starts_with("text/html"));
    s.inject(Route::Any, When::Next(1), Fault::Garbage);
    let raw = call(&s, &ListJobs::default()).unwrap();
    assert!(raw.header("content-type").unwrap().contains("json"));
    assert!(matches!(
        ListJobs::default().parse_response(&raw.to_http()),
        Err(Error::UnexpectedResponse(_))
    ));
}

#[test]
fn resets_before_and_after_the_service_acted() {
    let s = server();
    let job = CreateJob::builder("https://a.example").build().unwrap();
    s.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::ResetBeforeRead,
    );
    assert!(call(&s, &job).is_err(), "no response at all");
    assert_eq!(
        s.served(OperationKind::CreateJob),
        0,
        "the service never saw it"
    );
    s.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::ResetAfterRead,
    );
    assert!(call(&s, &job).is_err(), "no response at all");
    assert_eq!(
        s.served(OperationKind::CreateJob),
        1,
        "but the job was created"
    );
    assert_eq!(s.job_ids().len(), 1);
}

#[test]
fn truncated_body_declares_more_than_it_sends() {
    let s = server();
    s.inject(Route::Any, When::Next(1), Fault::TruncatedBody);
    let raw = call(&s, &ListJobs::default()).unwrap();
    assert_eq!(raw.status, 200);
    assert!(!raw.complete, "the body must end early");
    assert!(ListJobs::default().parse_response(&raw.to_http()).is_err());
}

#[test]
fn slow_headers_and_slow_body() {
    let s = server();
    for fault in [
        Fault::SlowHeaders(Duration::from_millis(300)),
        Fault::SlowBody(Duration::from_millis(300)),
    ] {
        s.inject(Route::Any, When::Next(1), fault.clone());
        let start = Instant::now();
        let raw = call(&s, &ListJobs::default()).unwrap();
        assert!(start.elapsed() >= Duration::from_millis(290), "{fault:?}");
        assert!(raw.complete && raw.status == 200, "{fault:?}");
        assert!(ListJobs::default().parse_response(&raw.to_http()).is_ok());
    }
}

#[test]
fn nth_attempt_scripting_and_the_journal() {
    let s = server();
    s.inject(
        Route::Op(OperationKind::ListJobs),
        When::Nth(2),
        Fault::EndpointError,
    );
    let statuses: Vec<u16> = (0..3)
        .map(|_| call(&s, &ListJobs::default()).unwrap().status)
        .collect();
    assert_eq!(statuses, [200, 503, 200]);
    let faults: Vec<_> = s
        .requests()
        .into_iter()
        .map(|r| r.fault.is_some())
        .collect();
    assert_eq!(faults, [false, true, false]);
}

fn create() -> CreateJob {
    CreateJob::builder("https://a.example").build().unwrap()
}

/// A reserved (cancellable) job.
fn reserved(s: &MockServer) -> InstanceId {
    s.preload(PreloadJob {
        start_url: "https://r.example".into(),
        memo: "reserved".into(),
        held: Some(Phase::Reserved),
        findings: Findings::default(),
    })
    .unwrap()
}

#[test]
fn acted_then_every_lost_reply_still_creates_the_job() {
    let s = server();
    let create_job = Route::Op(OperationKind::CreateJob);
    for (n, lost) in LostReply::ALL.into_iter().enumerate() {
        s.inject(create_job, When::Next(1), Fault::ActedThen(lost));
        let mut stream =
            write_request(s.addr(), &signed(&s, &create()), Duration::from_secs(1)).unwrap();
        let mut bytes = Vec::new();
        let ended = stream.read_to_end(&mut bytes).is_ok();
        let text = String::from_utf8_lossy(&bytes);
        match lost {
            LostReply::EndpointError => assert!(text.starts_with("HTTP/1.1 503"), "{text}"),
            LostReply::EndpointTimeout => assert!(text.starts_with("HTTP/1.1 504"), "{text}"),
            LostReply::UnexpectedError => {
                assert!(
                    text.starts_with("HTTP/1.1 500") && text.contains("\"900\""),
                    "{text}"
                )
            }
            LostReply::HtmlBadGateway => {
                assert!(
                    text.starts_with("HTTP/1.1 502") && text.contains("<html>"),
                    "{text}"
                )
            }
            LostReply::Garbage => {
                let raw = call_result(&bytes, ended);
                assert!(create().parse_response(&raw.to_http()).is_err(), "{text}");
            }
            LostReply::Reset => assert!(bytes.is_empty(), "{text}"),
            LostReply::TruncatedBody => {
                let raw = call_result(&bytes, ended);
                assert!(raw.status == 200 && !raw.complete, "{text}");
            }
            LostReply::NeverAnswer => {
                assert!(
                    !ended && bytes.is_empty(),
                    "nothing until we gave up: {text}"
                )
            }
            _ => unreachable!(),
        }
        assert_eq!(s.served(OperationKind::CreateJob), n + 1, "{lost:?}");
        assert_eq!(s.job_ids().len(), n + 1, "{lost:?}: the job exists");
    }
    // The rules are spent: the next create answers normally.
    assert_eq!(call(&s, &create()).unwrap().status, 200);
    assert_eq!(s.job_ids().len(), LostReply::ALL.len() + 1);
}

fn call_result(bytes: &[u8], ended: bool) -> common::Raw {
    common::parse_bytes(bytes, ended).unwrap()
}

#[test]
fn acted_then_applies_the_cancel() {
    let s = server();
    let id = reserved(&s);
    s.inject(
        Route::Op(OperationKind::CancelJob),
        When::Nth(1),
        Fault::ActedThen(LostReply::EndpointError),
    );
    let raw = call(&s, &CancelJob::new(id)).unwrap();
    assert_eq!(raw.status, 503);
    assert_eq!(
        s.phase(id),
        Some(Phase::Cancelled),
        "the cancel was applied"
    );
}

#[test]
fn only_the_first_create_fails() {
    let s = server();
    s.inject_rule(
        "createJob:first:acted-then-html-502"
            .parse::<FaultRule>()
            .unwrap(),
    );
    // Other operations do not count towards the rule.
    assert_eq!(call(&s, &ListJobs::default()).unwrap().status, 200);
    let statuses: Vec<u16> = (0..3)
        .map(|_| call(&s, &create()).unwrap().status)
        .collect();
    assert_eq!(statuses, [502, 200, 200]);
    assert_eq!(s.job_ids().len(), 3, "every create was carried out");
}

#[test]
fn never_answer_sends_nothing_and_the_service_never_sees_it() {
    let s = server();
    s.inject(Route::Any, When::Next(1), Fault::NeverAnswer);
    let mut stream =
        write_request(s.addr(), &signed(&s, &create()), Duration::from_millis(800)).unwrap();
    let mut buf = [0u8; 64];
    let read = stream.read(&mut buf);
    assert!(
        matches!(&read, Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
        "nothing arrives: {read:?}"
    );
    drop(stream);
    assert_eq!(s.served(OperationKind::CreateJob), 0);
    assert!(s.job_ids().is_empty());
    let journal = s.requests();
    assert_eq!(journal.len(), 1, "the request was read");
    assert_eq!(journal[0].fault.as_deref(), Some("NeverAnswer"));
    // The server is not wedged.
    assert_eq!(call(&s, &create()).unwrap().status, 200);
}

#[test]
fn headers_then_stall_sends_the_head_and_no_body() {
    let s = server();
    s.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::HeadersThenStall,
    );
    let mut stream =
        write_request(s.addr(), &signed(&s, &create()), Duration::from_millis(800)).unwrap();
    let (head, body) = read_head(&mut stream).unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let declared = content_length(&head);
    assert!(declared > 0, "{head}");
    assert!(body.is_empty(), "{body:?}");
    let mut buf = [0u8; 64];
    assert!(
        stream.read(&mut buf).is_err(),
        "no body byte before we gave up"
    );
    assert_eq!(s.job_ids().len(), 1, "the service acted");
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or_else(|| panic!("no content-length in {head}"))
}

#[test]
fn dribble_sends_the_head_then_the_body_a_byte_at_a_time() {
    let s = server();
    s.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::DribbleBody(Duration::from_millis(200)),
    );
    let mut stream =
        write_request(s.addr(), &signed(&s, &create()), Duration::from_secs(10)).unwrap();
    let (head, mut body) = read_head(&mut stream).unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let declared = content_length(&head);
    // Read until three body bytes are here: most of the body is still to come.
    let mut buf = [0u8; 4096];
    while body.len() < 3 {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "closed early");
        body.extend_from_slice(&buf[..n]);
    }
    assert!(
        body.len() < declared / 2,
        "{} of {declared} bytes arrived at once",
        body.len()
    );
    assert_eq!(s.job_ids().len(), 1, "the service acted");

    // A fast dribble delivers the whole, intact body.
    s.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::DribbleBody(Duration::from_millis(2)),
    );
    let raw = call(&s, &create()).unwrap();
    assert!(raw.complete && raw.status == 200);
    assert!(create().parse_response(&raw.to_http()).is_ok());
}

#[test]
fn acted_twice_then_creates_two_identical_jobs() {
    let s = server();
    s.inject_rule(
        "createJob:first:acted-twice-then-endpoint-error"
            .parse::<FaultRule>()
            .unwrap(),
    );
    let job = CreateJob::builder("https://twice.example")
        .memo("nightly")
        .build()
        .unwrap();
    assert_eq!(call(&s, &job).unwrap().status, 503);
    assert_eq!(s.job_ids().len(), 2, "the re-sent copy made a second job");
    assert_eq!(s.served(OperationKind::CreateJob), 1, "one request arrived");
    let page = parsed(&s, &ListJobs::default()).unwrap();
    assert_eq!(page.records.len(), 2);
    assert!(
        page.records
            .iter()
            .all(|r| r.start_url == "https://twice.example" && r.memo == "nightly"),
        "{page:?}"
    );
    // Spent: the next create makes one job.
    assert_eq!(call(&s, &job).unwrap().status, 200);
    assert_eq!(s.job_ids().len(), 3);
}
