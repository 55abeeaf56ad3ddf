//! What only the ureq stack decides, beyond the conformance suite every
//! stack passes (tests/conformance.rs): its TLS roots and extra CA, no
//! downgrade to plain HTTP, its pool and timeout limits, the body cap with
//! either framing, and its own error kept as the source.

use std::time::{Duration, Instant};

use wsc_core::ListJobs;
use wsc_core::RetryPolicy;
use wsc_core::transport::TrustRoots;
use wsc_core::transport::{Delivery, TransportFailureKind};
use wsc_core::{Credentials, Endpoint, Error};
use wsc_mock::{CreateResponse, Fault, MockConfig, MockServer, Route, When};
use wsc_ureq::{Client, Timeouts};

fn demo() -> MockServer {
    MockServer::start(MockConfig {
        preload_demo_jobs: true,
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    })
    .unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(3)
        .with_base_delay(Duration::from_millis(1))
        .with_throttle_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
        .with_max_retry_after(Duration::from_secs(2))
}

fn transport_kind(error: &Error) -> (TransportFailureKind, Delivery) {
    match error {
        Error::Transport(t) => (t.kind, t.delivery),
        other => panic!("not a transport error: {other:?}"),
    }
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
fn webpki_roots_and_the_extra_ca_are_trusted_together() {
    let s = MockServer::start(MockConfig {
        tls: true,
        ..MockConfig::default()
    })
    .unwrap();
    let endpoint = Endpoint::parse(s.base_url()).unwrap();
    let with_ca = Client::builder(s.credentials(), endpoint.clone())
        .trust_roots(TrustRoots::WebPki)
        .ca_bundle_pem(s.ca_pem().unwrap())
        .build()
        .unwrap();
    with_ca.list_jobs(&ListJobs::default()).unwrap();
    let without = Client::builder(s.credentials(), endpoint)
        .trust_roots(TrustRoots::WebPki)
        .build()
        .unwrap();
    let err = without.list_jobs(&ListJobs::default()).unwrap_err();
    assert_eq!(transport_kind(&err).0, TransportFailureKind::Tls, "{err}");
}

#[test]
fn an_unusable_ca_bundle_fails_when_the_client_is_built() {
    let endpoint = Endpoint::parse("http://127.0.0.1:9").unwrap();
    let not_der = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    for pem in [&b"not a certificate"[..], &not_der[..], b""] {
        let err = Client::builder(Credentials::new("AK", "SK").unwrap(), endpoint.clone())
            .ca_bundle_pem(pem)
            .build()
            .unwrap_err();
        match &err {
            wsc_core::error::BuildError::Setup(t) => {
                assert_eq!(
                    (t.kind, t.delivery),
                    (TransportFailureKind::Setup, Delivery::NotSent),
                    "{err}"
                );
            }
            other => panic!("not a setup error: {other:?}"),
        }
    }
}
