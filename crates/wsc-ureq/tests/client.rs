//! The blocking client against wsc-mock on loopback: every operation, every
//! fault, retries observed at the server, and the billed-call rule.

use std::sync::Arc;
use std::time::{Duration, Instant};

use wsc_core::cassette::Recorder;
use wsc_core::error::{GatewayErrorKind, ServiceErrorKind, TransportFailureKind};
use wsc_core::operations::{CreateJob, ListJobs, OperationKind, SearchBy, SearchJobs};
use wsc_core::retry::RetryPolicy;
use wsc_core::wait::{Outcome, WaitEnd, WaitOptions};
use wsc_core::{Endpoint, Error, JobStatus, Limit, PageNumber};
use wsc_mock::{
    CreateResponse, Fault, Findings, MockConfig, MockServer, Phase, PreloadJob, Route, When,
};
use wsc_ureq::{Client, Timeouts};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(3)
        .with_base_delay(Duration::from_millis(1))
        .with_throttle_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
        .with_max_retry_after(Duration::from_secs(2))
}

fn client_for(server: &MockServer) -> Client {
    Client::builder(
        server.credentials(),
        Endpoint::parse(server.base_url()).unwrap(),
    )
    .retry_policy(fast_retries())
    .timeouts(
        Timeouts::default()
            .with_connect(Duration::from_secs(2))
            .with_attempt(Duration::from_secs(2))
            .with_report_attempt(Duration::from_secs(2))
            .with_overall(Duration::from_secs(20)),
    )
    .build()
    .unwrap()
}

fn demo() -> MockServer {
    MockServer::start(MockConfig {
        preload_demo_jobs: true,
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    })
    .unwrap()
}

fn attempts(server: &MockServer, op: OperationKind) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.operation == Some(op))
        .count()
}

#[test]
fn every_operation_end_to_end() {
    let s = demo();
    let c = client_for(&s);
    let page = c.list_jobs(&ListJobs::default()).unwrap();
    assert_eq!(page.records.len(), 5);
    let found = c
        .search_jobs(
            &SearchJobs::new(
                SearchBy::Memo("weekly".into()),
                None,
                Limit::default(),
                PageNumber::FIRST,
            )
            .unwrap(),
        )
        .unwrap();
    assert_eq!(found.records.len(), 1);
    let completed = found.records[0].instance_no;
    let report = c.get_report(completed).unwrap();
    assert_eq!(report.risk_counts().unwrap().high, 1);

    let reserved = page
        .records
        .iter()
        .find(|r| r.status() == JobStatus::Reserved)
        .unwrap()
        .instance_no;
    c.cancel_job(reserved).unwrap();
    let running = page
        .records
        .iter()
        .find(|r| r.status() == JobStatus::DiagnosisRunning)
        .unwrap()
        .instance_no;
    c.stop_job(running).unwrap();

    let created = c
        .create_job(
            &CreateJob::builder("https://new.example")
                .memo("t")
                .build()
                .unwrap(),
        )
        .unwrap();
    let id = created.instance_no.unwrap();
    assert_eq!(c.find_job(id).unwrap().unwrap().memo, "t");
    let ua = s.requests()[0].header("user-agent").unwrap().to_owned();
    assert!(ua.starts_with("wsc-rs/") && ua.contains("(ureq)"), "{ua}");
}

#[test]
fn wrong_state_is_a_901_not_retried() {
    let s = demo();
    let c = client_for(&s);
    let completed = c
        .list_jobs(&ListJobs::default())
        .unwrap()
        .records
        .iter()
        .find(|r| r.status() == JobStatus::Completed)
        .unwrap()
        .instance_no;
    let err = c.stop_job(completed).unwrap_err();
    assert!(
        matches!(err, Error::Service(ref e) if e.kind() == ServiceErrorKind::ApiCallFail),
        "{err}"
    );
    assert_eq!(attempts(&s, OperationKind::StopJob), 1);
}

#[test]
fn paging_across_many_pages() {
    let s = MockServer::start(MockConfig::default()).unwrap();
    for i in 0..57 {
        s.preload(PreloadJob {
            start_url: format!("https://p{i}.example"),
            memo: String::new(),
            held: Some(Phase::Completed),
            findings: Findings::default(),
        });
    }
    let c = client_for(&s);
    let mut pages = Vec::new();
    let all = c
        .all_pages(
            &ListJobs::new(Limit::new(5).unwrap(), PageNumber::FIRST),
            |p, _| pages.push(p.get()),
        )
        .unwrap();
    assert_eq!(all.records.len(), 57);
    assert!(!all.truncated);
    assert_eq!(pages, (1..=12).collect::<Vec<_>>());
}

#[test]
fn wait_until_done_under_the_simulated_clock() {
    let s = MockServer::start(MockConfig {
        clock_speed: 40.0,
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    })
    .unwrap();
    let c = client_for(&s);
    let id = c
        .create_job(&CreateJob::builder("https://w.example").build().unwrap())
        .unwrap()
        .instance_no
        .unwrap();
    let mut seen = Vec::new();
    let opts = WaitOptions::default()
        .with_interval(Duration::from_millis(50))
        .with_timeout(Some(Duration::from_secs(20)))
        .with_not_found_tolerance(2);
    let report = c
        .wait(id, opts, |r| {
            let st = r.status();
            if seen.last() != Some(&st) {
                seen.push(st);
            }
        })
        .unwrap();
    assert_eq!(report.end, WaitEnd::Finished(Outcome::Completed));
    assert!(seen.len() >= 3, "saw the job move: {seen:?}");
    assert_eq!(seen.last(), Some(&JobStatus::Completed));
    assert_eq!(
        s.served(OperationKind::CancelJob) + s.served(OperationKind::StopJob),
        0
    );
}

#[test]
fn wait_times_out_without_touching_the_job() {
    let s = MockServer::start(MockConfig {
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    })
    .unwrap();
    let c = client_for(&s);
    let id = c
        .create_job(&CreateJob::builder("https://w.example").build().unwrap())
        .unwrap()
        .instance_no
        .unwrap();
    let opts = WaitOptions::default()
        .with_interval(Duration::from_millis(20))
        .with_timeout(Some(Duration::from_millis(100)))
        .with_not_found_tolerance(2);
    let report = c.wait(id, opts, |_| {}).unwrap();
    assert_eq!(report.end, WaitEnd::TimedOut);
    assert_eq!(
        s.served(OperationKind::CancelJob) + s.served(OperationKind::StopJob),
        0
    );
}

/// (fault, reads retried?, expected attempts for one list call with 3 retries)
#[test]
fn every_fault_on_a_read_gives_the_expected_retries_and_error() {
    let cases: Vec<(Fault, usize, bool)> = vec![
        (
            Fault::TooManyRequests {
                code: 410,
                retry_after: None,
            },
            2,
            true,
        ),
        (
            Fault::TooManyRequests {
                code: 420,
                retry_after: Some(1),
            },
            2,
            true,
        ),
        (
            Fault::TooManyRequests {
                code: 400,
                retry_after: None,
            },
            1,
            false,
        ),
        (Fault::EndpointError, 2, true),
        (Fault::EndpointTimeout, 2, true),
        (Fault::UnexpectedError, 2, true),
        (Fault::ServiceUnavailable { status: 200 }, 1, false),
        (Fault::HtmlBadGateway, 2, true),
        (Fault::ResetBeforeRead, 2, true),
        (Fault::ResetAfterRead, 2, true),
        (Fault::TruncatedBody, 2, true),
        (Fault::Garbage, 1, false),
        (Fault::SlowBody(Duration::from_millis(50)), 1, true),
    ];
    for (fault, expected_attempts, recovers) in cases {
        let s = demo();
        let c = client_for(&s);
        s.inject(
            Route::Op(OperationKind::ListJobs),
            When::Next(1),
            fault.clone(),
        );
        let result = c.list_jobs(&ListJobs::default());
        assert_eq!(result.is_ok(), recovers, "{fault:?}: {result:?}");
        assert_eq!(
            attempts(&s, OperationKind::ListJobs),
            expected_attempts,
            "{fault:?}"
        );
        if let Err(e) = result {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}

#[test]
fn retry_after_is_waited_for() {
    let s = demo();
    let c = client_for(&s);
    s.inject(
        Route::Any,
        When::Next(1),
        Fault::TooManyRequests {
            code: 420,
            retry_after: Some(1),
        },
    );
    let start = Instant::now();
    c.list_jobs(&ListJobs::default()).unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn persistent_failure_exhausts_the_budget() {
    let s = demo();
    let c = client_for(&s);
    s.inject(Route::Any, When::Always, Fault::EndpointError);
    let err = c.list_jobs(&ListJobs::default()).unwrap_err();
    assert!(
        matches!(err, Error::Gateway(ref g) if g.kind() == GatewayErrorKind::EndpointError),
        "{err}"
    );
    assert_eq!(attempts(&s, OperationKind::ListJobs), 4, "1 + 3 retries");
}

#[test]
fn create_job_is_sent_at_most_once() {
    // (fault, attempts at the server, jobs created). A plain create_job never
    // re-sends, not even after a 429: create_and_identify does, after a listing.
    let cases: Vec<(Fault, usize, usize)> = vec![
        (
            Fault::TooManyRequests {
                code: 410,
                retry_after: None,
            },
            1,
            0,
        ),
        (
            Fault::TooManyRequests {
                code: 400,
                retry_after: None,
            },
            1,
            0,
        ),
        (Fault::EndpointError, 1, 0),
        (Fault::EndpointTimeout, 1, 1),
        (Fault::UnexpectedError, 1, 1),
        (Fault::ServiceUnavailable { status: 400 }, 1, 0),
        (Fault::HtmlBadGateway, 1, 0),
        (Fault::ResetBeforeRead, 1, 0),
        (Fault::ResetAfterRead, 1, 1),
        (Fault::TruncatedBody, 1, 1),
        (Fault::Garbage, 1, 1),
    ];
    for (fault, expected_attempts, created) in cases {
        let s = MockServer::start(MockConfig::default()).unwrap();
        let c = client_for(&s);
        s.inject(
            Route::Op(OperationKind::CreateJob),
            When::Next(1),
            fault.clone(),
        );
        let result = c.create_job(&CreateJob::builder("https://bill.example").build().unwrap());
        assert_eq!(
            attempts(&s, OperationKind::CreateJob),
            expected_attempts,
            "{fault:?}: {result:?}"
        );
        assert_eq!(s.job_ids().len(), created, "{fault:?}");
        assert!(s.served(OperationKind::CreateJob) <= 1, "{fault:?}");
        if expected_attempts == 1 && created == 1 {
            let err = result.unwrap_err();
            assert!(err.may_have_reached_service(), "{fault:?}: {err}");
        }
    }
}

#[test]
fn a_connection_refused_create_is_retried_because_it_never_arrived() {
    // Nothing listens on this port: every attempt is refused before sending.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder(
        wsc_core::Credentials::new("A", "S").unwrap(),
        Endpoint::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
    )
    .retry_policy(fast_retries())
    .build()
    .unwrap();
    let err = c
        .create_job(&CreateJob::builder("https://a.example").build().unwrap())
        .unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind, TransportFailureKind::Connect);
    assert!(!err.may_have_reached_service());
    assert!(err.to_string().contains("not sent"), "{err}");
}

#[test]
fn a_skewed_server_clock_is_corrected_once() {
    let s = demo();
    s.set_clock_skew_ms(-8 * 60 * 1000);
    let c = client_for(&s);
    let page = c.list_jobs(&ListJobs::default()).unwrap();
    assert_eq!(page.records.len(), 5);
    let reqs = s.requests();
    assert_eq!(reqs.len(), 2);
    assert!(!reqs[0].authenticated && reqs[1].authenticated);
    assert!(c.clock_skew().offset_ms() < -7 * 60 * 1000);
    // The estimate is kept: the next call succeeds at once.
    c.list_jobs(&ListJobs::default()).unwrap();
    assert_eq!(s.requests().len(), 3);
}

#[test]
fn a_wrong_secret_is_reported_and_not_retried() {
    let s = demo();
    let creds =
        wsc_core::Credentials::new(s.credentials().access_key().as_str(), "wrong-secret").unwrap();
    let c = Client::builder(creds, Endpoint::parse(s.base_url()).unwrap())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = c.list_jobs(&ListJobs::default()).unwrap_err();
    assert!(
        matches!(err, Error::Gateway(ref g) if g.kind() == GatewayErrorKind::AuthenticationFailed),
        "{err}"
    );
    assert_eq!(s.requests().len(), 1);
}

#[test]
fn timeouts_are_hit_and_reported() {
    let s = demo();
    let c = Client::builder(s.credentials(), Endpoint::parse(s.base_url()).unwrap())
        .retry_policy(RetryPolicy::never())
        .timeouts(Timeouts::default().with_attempt(Duration::from_millis(200)))
        .build()
        .unwrap();
    s.inject(
        Route::Any,
        When::Next(1),
        Fault::SlowHeaders(Duration::from_millis(800)),
    );
    let started = Instant::now();
    let err = c.list_jobs(&ListJobs::default()).unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(700));
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind, TransportFailureKind::Timeout);
    assert_eq!(t.detail, "no complete response within 200 ms", "{err}");
    assert!(err.may_have_reached_service());
}

#[test]
fn a_body_over_the_cap_is_refused() {
    let s = demo();
    let c = Client::builder(s.credentials(), Endpoint::parse(s.base_url()).unwrap())
        .max_body_bytes(100)
        .build()
        .unwrap();
    let err = c.list_jobs(&ListJobs::default()).unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref t) if t.kind == TransportFailureKind::BodyTooLarge),
        "{err}"
    );
}

#[test]
fn recording_then_replaying_reproduces_the_results() {
    let s = demo();
    let recorder = Arc::new(Recorder::new());
    let c = Client::builder(s.credentials(), Endpoint::parse(s.base_url()).unwrap())
        .recorder(recorder.clone())
        .build()
        .unwrap();
    let page = c.list_jobs(&ListJobs::default()).unwrap();
    let search = SearchJobs::new(
        SearchBy::Url("shop".into()),
        None,
        Limit::default(),
        PageNumber::FIRST,
    )
    .unwrap();
    let found = c.search_jobs(&search).unwrap();
    let report = c.get_report(found.records[0].instance_no).unwrap();
    let cassette = c.recording().unwrap();
    assert_eq!(cassette.exchanges.len(), 3);
    let text = cassette.to_json();
    assert!(!text.contains(s.credentials().secret_key().expose_secret()));

    let replay = MockServer::start_replay(
        MockConfig::default(),
        wsc_core::cassette::Cassette::from_json(text.as_bytes()).unwrap(),
    )
    .unwrap();
    let r = client_for(&replay);
    assert_eq!(r.list_jobs(&ListJobs::default()).unwrap(), page);
    assert_eq!(r.search_jobs(&search).unwrap(), found);
    assert_eq!(r.get_report(found.records[0].instance_no).unwrap(), report);
    assert_eq!(replay.replay_remaining(), 0);
}

#[test]
fn redirects_are_not_followed() {
    // A replayed redirect stands in for a misbehaving proxy; it points at a
    // second server (the "other host") that counts what reaches it.
    let other = demo();
    for status in [301, 302, 303, 307, 308] {
        let creds = wsc_core::Credentials::new("REC", "rec").unwrap();
        let req = wsc_core::operations::build_request(
            &ListJobs::default(),
            &Endpoint::parse("http://127.0.0.1:1").unwrap(),
            &creds,
            wsc_core::TimestampMs(1),
        )
        .unwrap();
        let target = req.uri().path_and_query().unwrap().as_str();
        let resp = http::Response::builder()
            .status(status)
            .header("location", format!("{}{target}", other.base_url()))
            .body(Vec::new())
            .unwrap();
        let cassette = wsc_core::cassette::Cassette::new(vec![wsc_core::cassette::Exchange::new(
            wsc_core::cassette::RecordedRequest::from_http(&req),
            wsc_core::cassette::RecordedResponse::from_http(&resp),
        )]);
        let s = MockServer::start_replay(MockConfig::default(), cassette).unwrap();
        let err = client_for(&s).list_jobs(&ListJobs::default()).unwrap_err();
        assert!(err.to_string().contains("redirect"), "{status}: {err}");
        assert_eq!(s.requests().len(), 1, "{status}: not retried");
        assert_eq!(
            other.connections_accepted(),
            0,
            "{status}: nothing may reach the other host"
        );
        assert!(other.requests().is_empty(), "{status}");
    }
}

#[test]
fn tls_failures_are_errors_never_downgraded() {
    let s = demo();
    let https = format!("https://{}", s.addr());
    let c = Client::builder(s.credentials(), Endpoint::parse(&https).unwrap())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = c.list_jobs(&ListJobs::default()).unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref t) if t.kind == TransportFailureKind::Tls),
        "{err:?}"
    );
    assert_eq!(s.requests().len(), 0, "no plain-HTTP request was made");
}

#[test]
fn any_idle_pool_size_builds_without_panicking() {
    for connections in [0, 1, usize::MAX / 2 + 1, usize::MAX] {
        let built = Client::builder(
            wsc_core::Credentials::new("AK", "SK").unwrap(),
            Endpoint::parse("http://127.0.0.1:1").unwrap(),
        )
        .max_idle_connections_per_host(connections)
        .build();
        assert!(built.is_ok(), "{connections}");
    }
}

#[test]
fn unbounded_timeouts_work_without_panicking() {
    let s = demo();
    let c = Client::builder(s.credentials(), Endpoint::parse(s.base_url()).unwrap())
        .timeouts(
            Timeouts::default()
                .with_connect(Duration::MAX)
                .with_attempt(Duration::MAX)
                .with_report_attempt(Duration::MAX)
                .with_overall(Duration::MAX),
        )
        .build()
        .unwrap();
    assert_eq!(c.list_jobs(&ListJobs::default()).unwrap().records.len(), 5);
}

/// A loopback server that answers each of `bodies.len()` connections with a
/// 200 whose body is one of `bodies` (chunked when the flag is set).
fn serve_bodies(bodies: Vec<(Vec<u8>, bool)>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for (body, chunked) in bodies {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut out = stream;
            let head = if chunked {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_owned()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                )
            };
            let _ = out.write_all(head.as_bytes());
            if chunked {
                for chunk in body.chunks(1 << 16) {
                    let _ = out.write_all(format!("{:x}\r\n", chunk.len()).as_bytes());
                    let _ = out.write_all(chunk);
                    let _ = out.write_all(b"\r\n");
                }
                let _ = out.write_all(b"0\r\n\r\n");
            } else {
                let _ = out.write_all(&body);
            }
        }
    });
    url
}

#[test]
fn a_body_one_byte_over_the_default_cap_is_refused_with_or_without_a_length() {
    let over = vec![b' '; wsc_core::client::DEFAULT_MAX_BODY_BYTES + 1];
    let url = serve_bodies(vec![(over.clone(), false), (over, true)]);
    let c = Client::builder(
        wsc_core::Credentials::new("AK", "SK").unwrap(),
        Endpoint::parse(&url).unwrap(),
    )
    .retry_policy(RetryPolicy::never())
    .build()
    .unwrap();
    for framing in ["content-length", "chunked"] {
        let err = c.list_jobs(&ListJobs::default()).unwrap_err();
        let Error::Transport(t) = &err else {
            panic!("{framing}: {err:?}")
        };
        assert_eq!(
            t.kind,
            TransportFailureKind::BodyTooLarge,
            "{framing}: {err}"
        );
        assert!(err.may_have_reached_service(), "{framing}");
    }
}
