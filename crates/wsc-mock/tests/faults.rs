//! Every fault kind, as a client on the wire sees it, and what the service did.

mod common;

use std::time::{Duration, Instant};

use common::{call, parsed};
use wsc_core::Error;
use wsc_core::error::{GatewayErrorKind, ServiceErrorKind};
use wsc_core::operations::{CreateJob, ListJobs, Operation, OperationKind};
use wsc_mock::{Fault, MockConfig, MockServer, Route, When};

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
