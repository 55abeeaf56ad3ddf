//! The `reqwest` example against `wsc-mock`: it lists the mock's jobs, and its
//! adapter keeps the transport rules (no redirects, the attempt timeout over
//! the whole exchange, the body cap, connect failures as never sent).
//!
//! The example is compiled into this test as a module, so the test calls the
//! very code `cargo run --example reqwest` runs, with its environment given
//! as a map.

#[allow(dead_code)] // its `main` is the example's, not the test's
#[path = "../examples/reqwest.rs"]
mod example;

use std::collections::HashMap;
use std::error::Error as _;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use example::Reqwest;
use wsc_core::Endpoint;
use wsc_core::ListJobs;
use wsc_core::sans_io::ClockSkew;
use wsc_core::sans_io::build_request;
use wsc_core::transport::{AsyncHttpClient, AttemptLimits};
use wsc_core::transport::{Delivery, TransportError, TransportFailureKind};
use wsc_mock::{DEMO_ACCESS_KEY, DEMO_SECRET_KEY, Fault, MockConfig, MockServer, Route, When};

fn demo_server() -> MockServer {
    MockServer::start(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    })
    .expect("the mock starts")
}

fn env_for(server: &MockServer) -> HashMap<&'static str, String> {
    HashMap::from([
        ("WSC_ENDPOINT", server.base_url().to_owned()),
        ("NCLOUD_ACCESS_KEY", DEMO_ACCESS_KEY.to_owned()),
        ("NCLOUD_SECRET_KEY", DEMO_SECRET_KEY.to_owned()),
    ])
}

/// Runs the example's body with `env`: what it printed, or its error's message.
async fn run_example(env: &HashMap<&'static str, String>) -> (String, Result<(), String>) {
    let mut out = Vec::new();
    let result = example::run(&|name| env.get(name).cloned(), &mut out).await;
    let printed = String::from_utf8(out).expect("the example prints UTF-8");
    (printed, result.map_err(|e| e.to_string()))
}

/// The example's adapter, built as the example builds it.
fn adapter() -> Reqwest {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client");
    Reqwest(http)
}

/// A signed getJobs for `endpoint`, with the mock's demo keys.
fn signed_list(endpoint: &str) -> http::Request<Vec<u8>> {
    let keys = wsc_core::Credentials::new(DEMO_ACCESS_KEY, DEMO_SECRET_KEY).unwrap();
    let endpoint = Endpoint::parse(endpoint).unwrap();
    let now = ClockSkew::NONE.timestamp(SystemTime::now());
    build_request(&ListJobs::default(), &endpoint, &keys, now).unwrap()
}

fn limits(timeout: Duration, max_body_bytes: usize) -> AttemptLimits {
    AttemptLimits::new(timeout, max_body_bytes)
}

#[tokio::test]
async fn the_example_prints_the_id_of_every_mock_job() {
    let server = demo_server();
    let expected: String = server
        .job_ids()
        .iter()
        .map(|id| format!("{id}\n"))
        .collect();
    assert!(!expected.is_empty(), "the demo jobs are preloaded");

    let (printed, result) = run_example(&env_for(&server)).await;

    assert_eq!(result, Ok(()));
    assert_eq!(printed, expected);
    let sent = server.requests();
    assert_eq!(sent.len(), 1, "one page, one request");
    assert!(sent[0].authenticated, "the mock accepted the signature");
    let agent = sent[0].header("user-agent");
    assert!(agent.is_some_and(|a| a.starts_with("wsc-rs/")), "{agent:?}");
}

#[tokio::test]
async fn a_missing_variable_is_named_and_nothing_is_sent() {
    let server = demo_server();
    for missing in ["WSC_ENDPOINT", "NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_KEY"] {
        let mut env = env_for(&server);
        env.remove(missing);

        let (printed, result) = run_example(&env).await;

        assert_eq!(result, Err(format!("{missing} is not set")));
        assert_eq!(printed, "");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_wrong_secret_key_is_the_gateway_refusal_in_one_line() {
    let server = demo_server();
    let mut env = env_for(&server);
    env.insert("NCLOUD_SECRET_KEY", "not-the-mock-secret".to_owned());

    let (printed, result) = run_example(&env).await;

    let message = result.expect_err("the mock refuses the signature");
    assert!(!message.contains('\n'), "{message}");
    assert!(!message.contains("not-the-mock-secret"), "{message}");
    assert_eq!(printed, "");
    assert!(server.requests().iter().all(|r| !r.authenticated));
}

#[tokio::test]
async fn a_refused_connection_was_never_sent_and_keeps_the_reqwest_error() {
    // A port that was just free: nothing listens on it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let request = signed_list(&format!("http://127.0.0.1:{port}"));

    let error = adapter()
        .send(request, limits(Duration::from_secs(10), 1 << 20))
        .await
        .expect_err("nothing listens there");

    assert_eq!(error.kind, TransportFailureKind::Connect);
    assert_eq!(error.delivery, Delivery::NotSent);
    let source = error.source().expect("the reqwest error is kept");
    assert!(source.is::<reqwest::Error>(), "{source:?}");
}

#[tokio::test]
async fn the_example_says_a_refused_connection_was_not_sent() {
    let server = demo_server();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut env = env_for(&server);
    env.insert("WSC_ENDPOINT", format!("http://127.0.0.1:{port}"));

    let (printed, result) = run_example(&env).await;

    let message = result.expect_err("nothing listens there");
    // "could not connect (client error (Connect): …); the request was not sent"
    let bare = TransportError::new(TransportFailureKind::Connect, Delivery::NotSent, "");
    let (what, delivery) = bare
        .to_string()
        .split_once("; ")
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .unwrap();
    assert!(
        message.starts_with(&what) && message.ends_with(&delivery),
        "{message}"
    );
    assert!(
        !message.contains(&format!("127.0.0.1:{port}")),
        "the URL is left out: {message}"
    );
    assert!(!message.contains('\n'), "{message}");
    assert_eq!(printed, "");
}

#[tokio::test]
async fn a_stalled_body_ends_at_the_attempt_timeout_as_maybe_sent() {
    let server = demo_server();
    server.inject(Route::Any, When::Always, Fault::HeadersThenStall);

    let error = adapter()
        .send(
            signed_list(server.base_url()),
            limits(Duration::from_millis(300), 1 << 20),
        )
        .await
        .expect_err("the body never comes");

    assert_eq!(error.kind, TransportFailureKind::Timeout);
    assert_eq!(error.delivery, Delivery::MaybeSent);
    assert!(error.source().is_some_and(|s| s.is::<reqwest::Error>()));
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_and_under_it_is_returned_whole() {
    let server = demo_server();
    let whole = adapter()
        .send(
            signed_list(server.base_url()),
            limits(Duration::from_secs(10), 1 << 20),
        )
        .await
        .expect("the listing");
    assert_eq!(whole.status(), 200);
    assert!(whole.headers().contains_key(http::header::DATE));
    let size = whole.body().len();
    assert!(size > 64, "the demo listing is {size} bytes");

    let at_cap = adapter()
        .send(
            signed_list(server.base_url()),
            limits(Duration::from_secs(10), size),
        )
        .await
        .expect("a body of exactly the cap");
    assert_eq!(at_cap.body(), whole.body());

    let error = adapter()
        .send(
            signed_list(server.base_url()),
            limits(Duration::from_secs(10), size - 1),
        )
        .await
        .expect_err("one byte over the cap");
    assert_eq!(error.kind, TransportFailureKind::BodyTooLarge);
    assert_eq!(error.delivery, Delivery::MaybeSent);
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    let server = demo_server();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut env = env_for(&server);
    env.insert(
        "WSC_ENDPOINT",
        format!("http://{}", listener.local_addr().unwrap()),
    );
    let location = format!("{}/api/v1/jobs", server.base_url());
    // Answers each request with a redirect to the mock, until the example ends
    // (and for 20 s at most).
    let done = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&done);
    let redirector = std::thread::spawn(move || -> std::io::Result<usize> {
        let mut answered = 0;
        listener.set_nonblocking(true)?;
        for _ in 0..800 {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let Ok((mut stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(25));
                continue;
            };
            stream.set_nonblocking(false)?;
            stream.set_read_timeout(Some(Duration::from_secs(5)))?;
            let (mut head, mut byte) = (Vec::new(), [0u8; 1]);
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte)? == 1 {
                head.push(byte[0]);
            }
            let reply = format!(
                "HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            stream.write_all(reply.as_bytes())?;
            answered += 1;
        }
        Ok(answered)
    });

    let (printed, result) = run_example(&env).await;
    done.store(true, Ordering::SeqCst);

    let message = result.expect_err("a redirect is not an answer");
    assert!(message.contains("302"), "{message}");
    assert_eq!(printed, "");
    assert!(
        server.requests().is_empty(),
        "the signed request went on to the mock"
    );
    assert!(redirector.join().unwrap().unwrap() >= 1);
}
