//! The async client against wsc-mock on loopback.

use std::sync::Arc;
use std::time::{Duration, Instant};

use wsc_core::cassette::{Cassette, Recorder};
use wsc_core::error::{GatewayErrorKind, TransportFailureKind};
use wsc_core::operations::{CreateJob, ListJobs, OperationKind, SearchBy, SearchJobs};
use wsc_core::retry::RetryPolicy;
use wsc_core::wait::{Outcome, WaitEnd, WaitOptions};
use wsc_core::{Endpoint, Error, JobStatus, Limit, PageNumber, Timeouts};
use wsc_hyper::Client;
use wsc_mock::{
    CreateResponse, Fault, Findings, MockConfig, MockServer, Phase, PreloadJob, Route, When,
};

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
            .with_attempt(Duration::from_secs(2))
            .with_report_attempt(Duration::from_secs(2)),
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

fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn every_operation_end_to_end() {
    let s = demo();
    let c = client_for(&s);
    let list = ListJobs::default();
    let fut = c.list_jobs(&list);
    assert_send(&fut);
    let page = fut.await.unwrap();
    assert_eq!(page.records.len(), 5);
    let search = SearchJobs::new(
        SearchBy::Url("shop".into()),
        None,
        Limit::default(),
        PageNumber::FIRST,
    )
    .unwrap();
    let found = c.search_jobs(&search).await.unwrap();
    assert_eq!(
        c.get_report(found.records[0].instance_no)
            .await
            .unwrap()
            .risk_counts()
            .unwrap()
            .high,
        1
    );
    let reserved = page
        .records
        .iter()
        .find(|r| r.status() == JobStatus::Reserved)
        .unwrap()
        .instance_no;
    c.cancel_job(reserved).await.unwrap();
    let running = page
        .records
        .iter()
        .find(|r| r.status() == JobStatus::DiagnosisRunning)
        .unwrap()
        .instance_no;
    c.stop_job(running).await.unwrap();
    let id = c
        .create_job(&CreateJob::builder("https://n.example").build().unwrap())
        .await
        .unwrap()
        .instance_no
        .unwrap();
    assert!(c.find_job(id).await.unwrap().is_some());
    let ua = s.requests()[0].header("user-agent").unwrap().to_owned();
    assert!(ua.contains("(hyper)"), "{ua}");
}

#[tokio::test]
async fn paging_and_waiting() {
    let s = MockServer::start(MockConfig {
        clock_speed: 40.0,
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    })
    .unwrap();
    for i in 0..23 {
        s.preload(PreloadJob {
            start_url: format!("https://p{i}.example"),
            memo: String::new(),
            held: Some(Phase::Completed),
            findings: Findings::default(),
        });
    }
    let c = client_for(&s);
    let all = c
        .all_pages(
            &ListJobs::new(Limit::new(4).unwrap(), PageNumber::FIRST),
            |_, _| {},
        )
        .await
        .unwrap();
    assert_eq!((all.records.len(), all.truncated), (23, false));
    let id = c
        .create_job(&CreateJob::builder("https://w.example").build().unwrap())
        .await
        .unwrap()
        .instance_no
        .unwrap();
    let opts = WaitOptions::default()
        .with_interval(Duration::from_millis(50))
        .with_timeout(Some(Duration::from_secs(20)))
        .with_not_found_tolerance(2);
    let mut polls = 0;
    let report = c.wait(id, opts, |_| polls += 1).await.unwrap();
    assert_eq!(report.end, WaitEnd::Finished(Outcome::Completed));
    assert!(polls >= 2);
}

#[tokio::test]
async fn faults_on_reads_and_the_billed_call() {
    let read_cases: Vec<(Fault, usize, bool)> = vec![
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
                code: 400,
                retry_after: None,
            },
            1,
            false,
        ),
        (Fault::EndpointError, 2, true),
        (Fault::EndpointTimeout, 2, true),
        (Fault::ServiceUnavailable { status: 401 }, 1, false),
        (Fault::HtmlBadGateway, 2, true),
        (Fault::ResetBeforeRead, 2, true),
        (Fault::ResetAfterRead, 2, true),
        (Fault::TruncatedBody, 2, true),
        (Fault::Garbage, 1, false),
        (Fault::SlowBody(Duration::from_millis(30)), 1, true),
    ];
    for (fault, expected, recovers) in read_cases {
        let s = demo();
        let c = client_for(&s);
        s.inject(
            Route::Op(OperationKind::ListJobs),
            When::Next(1),
            fault.clone(),
        );
        let result = c.list_jobs(&ListJobs::default()).await;
        assert_eq!(result.is_ok(), recovers, "{fault:?}: {result:?}");
        assert_eq!(attempts(&s, OperationKind::ListJobs), expected, "{fault:?}");
    }
    let create_cases: Vec<(Fault, usize, usize)> = vec![
        (
            Fault::TooManyRequests {
                code: 420,
                retry_after: None,
            },
            // Never re-sent without a listing: `create_and_identify` does that.
            1,
            0,
        ),
        (Fault::EndpointError, 1, 0),
        (Fault::EndpointTimeout, 1, 1),
        (Fault::ResetBeforeRead, 1, 0),
        (Fault::ResetAfterRead, 1, 1),
        (Fault::TruncatedBody, 1, 1),
    ];
    for (fault, expected, created) in create_cases {
        let s = MockServer::start(MockConfig::default()).unwrap();
        let c = client_for(&s);
        s.inject(
            Route::Op(OperationKind::CreateJob),
            When::Next(1),
            fault.clone(),
        );
        let _ = c
            .create_job(&CreateJob::builder("https://b.example").build().unwrap())
            .await;
        assert_eq!(
            attempts(&s, OperationKind::CreateJob),
            expected,
            "{fault:?}"
        );
        assert_eq!(s.job_ids().len(), created, "{fault:?}");
    }
}

#[tokio::test]
async fn skewed_clock_and_wrong_keys() {
    let s = demo();
    s.set_clock_skew_ms(7 * 60 * 1000);
    let c = client_for(&s);
    c.list_jobs(&ListJobs::default()).await.unwrap();
    assert_eq!(s.requests().len(), 2);
    let bad = Client::builder(
        wsc_core::Credentials::new("NOPE", "nope").unwrap(),
        Endpoint::parse(s.base_url()).unwrap(),
    )
    .build()
    .unwrap();
    let err = bad.list_jobs(&ListJobs::default()).await.unwrap_err();
    assert!(
        matches!(err, Error::Gateway(ref g) if g.kind() == GatewayErrorKind::AuthenticationFailed),
        "{err}"
    );
}

#[tokio::test]
async fn timeouts_and_refused_connections_are_classified() {
    let s = demo();
    let c = Client::builder(s.credentials(), Endpoint::parse(s.base_url()).unwrap())
        .retry_policy(RetryPolicy::never())
        .timeouts(Timeouts::default().with_attempt(Duration::from_millis(150)))
        .build()
        .unwrap();
    s.inject(
        Route::Any,
        When::Next(1),
        Fault::SlowHeaders(Duration::from_millis(600)),
    );
    let started = Instant::now();
    let err = c.list_jobs(&ListJobs::default()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(550));
    assert!(
        matches!(err, Error::Transport(ref t) if t.kind == TransportFailureKind::Timeout),
        "{err}"
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = Client::builder(
        s.credentials(),
        Endpoint::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
    )
    .retry_policy(fast_retries())
    .build()
    .unwrap();
    let err = dead
        .create_job(&CreateJob::builder("https://a.example").build().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref t) if t.kind == TransportFailureKind::Connect),
        "{err}"
    );
    assert!(!err.may_have_reached_service());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_hundred_concurrent_calls_on_one_client() {
    let s = demo();
    let c = client_for(&s);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move {
                c.list_jobs(&ListJobs::default())
                    .await
                    .map(|p| p.records.len())
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 5);
    }
    assert_eq!(attempts(&s, OperationKind::ListJobs), 100);
}

/// 64 calls in flight at once, each held open by a slow server.
async fn sixty_four_slow_calls(c: &Client) {
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.list_jobs(&ListJobs::default()).await.map(|_| ()) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_pool_keeps_a_connection_per_concurrent_call() {
    let s = demo();
    let c = client_for(&s);
    s.inject(
        Route::Any,
        When::Always,
        Fault::SlowHeaders(Duration::from_millis(200)),
    );
    sixty_four_slow_calls(&c).await;
    let after_first_round = s.connections_accepted();
    assert!(after_first_round >= 64, "{after_first_round}");
    // A pool smaller than the concurrency would close the surplus after each
    // response, and the next round would reconnect.
    sixty_four_slow_calls(&c).await;
    assert_eq!(s.connections_accepted(), after_first_round);
}

#[tokio::test]
async fn dropping_a_call_leaves_the_client_usable() {
    let s = demo();
    let c = client_for(&s);
    s.inject(
        Route::Any,
        When::Next(1),
        Fault::SlowHeaders(Duration::from_millis(500)),
    );
    let dropped =
        tokio::time::timeout(Duration::from_millis(50), c.list_jobs(&ListJobs::default())).await;
    assert!(
        dropped.is_err(),
        "the slow call was cancelled by dropping it"
    );
    assert_eq!(
        c.list_jobs(&ListJobs::default())
            .await
            .unwrap()
            .records
            .len(),
        5
    );
}

#[tokio::test]
async fn record_then_replay() {
    let s = demo();
    let recorder = Arc::new(Recorder::new());
    let c = Client::builder(s.credentials(), Endpoint::parse(s.base_url()).unwrap())
        .recorder(recorder)
        .build()
        .unwrap();
    let page = c.list_jobs(&ListJobs::default()).await.unwrap();
    let cassette = c.recording().unwrap();
    let replay = MockServer::start_replay(
        MockConfig::default(),
        Cassette::from_json(cassette.to_json().as_bytes()).unwrap(),
    )
    .unwrap();
    assert_eq!(
        client_for(&replay)
            .list_jobs(&ListJobs::default())
            .await
            .unwrap(),
        page
    );
    assert_eq!(replay.replay_remaining(), 0);
}

#[tokio::test]
async fn the_default_tls_stack_needs_no_process_provider_and_never_downgrades() {
    // Builds with rustls + ring passed explicitly (no process-level provider installed).
    assert!(
        Client::new(
            wsc_core::Credentials::new("A", "S").unwrap(),
            Endpoint::from_site(wsc_core::Site::Public)
        )
        .is_ok()
    );
    // TLS to a plain-HTTP server fails as TLS, is not retried, and is not downgraded.
    let s = demo();
    let https = format!("https://{}", s.addr());
    let c = Client::builder(s.credentials(), Endpoint::parse(&https).unwrap())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = c.list_jobs(&ListJobs::default()).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref t) if t.kind == TransportFailureKind::Tls),
        "{err}"
    );
    assert_eq!(s.requests().len(), 0, "no plain-HTTP request was made");
}

#[tokio::test]
async fn redirects_are_not_followed() {
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
        let cassette = Cassette::new(vec![wsc_core::cassette::Exchange::new(
            wsc_core::cassette::RecordedRequest::from_http(&req),
            wsc_core::cassette::RecordedResponse::from_http(&resp),
        )]);
        let s = MockServer::start_replay(MockConfig::default(), cassette).unwrap();
        let err = client_for(&s)
            .list_jobs(&ListJobs::default())
            .await
            .unwrap_err();
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

#[tokio::test]
async fn any_idle_pool_size_builds_without_panicking() {
    for connections in [0, 1, usize::MAX] {
        let built = Client::builder(
            wsc_core::Credentials::new("AK", "SK").unwrap(),
            Endpoint::parse("http://127.0.0.1:1").unwrap(),
        )
        .max_idle_connections_per_host(connections)
        .build();
        assert!(built.is_ok(), "{connections}");
    }
}

#[tokio::test]
async fn unbounded_timeouts_work_without_panicking() {
    let s = MockServer::start(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    })
    .unwrap();
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
    assert_eq!(
        c.list_jobs(&ListJobs::default())
            .await
            .unwrap()
            .records
            .len(),
        5
    );
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

#[tokio::test]
async fn a_body_one_byte_over_the_default_cap_is_refused_with_or_without_a_length() {
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
        let err = c.list_jobs(&ListJobs::default()).await.unwrap_err();
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
