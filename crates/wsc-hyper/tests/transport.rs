//! What only the hyper stack decides, beyond the conformance suite every
//! stack passes (tests/conformance.rs): concurrency on one pooled client,
//! dropped calls, its TLS roots, extra CA and a caller's rustls config, no
//! downgrade to plain HTTP, its pool and timeout limits, the body cap with
//! either framing, and its own error kept as the source.

use std::time::Duration;

use wsc_core::ListJobs;
use wsc_core::RetryPolicy;
use wsc_core::sans_io::OperationKind;
use wsc_core::transport::TrustRoots;
use wsc_core::transport::{Delivery, TransportFailureKind};
use wsc_core::{Credentials, Endpoint, Error};
use wsc_hyper::{Client, Timeouts};
use wsc_mock::{CreateResponse, Fault, MockConfig, MockServer, Route, When};

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

fn assert_send<T: Send>(_: &T) {}

/// The client's futures can be spawned on a multi-threaded runtime.
#[tokio::test]
async fn the_clients_futures_are_send() {
    let s = demo();
    let c = client_for(&s);
    let create = wsc_core::CreateJob::builder("https://a.example")
        .build()
        .unwrap();
    let list = ListJobs::default();
    assert_send(&c.list_jobs(&list));
    assert_send(&c.create_and_identify(&create));
    assert_send(&c.wait(
        wsc_core::InstanceId::new(1).unwrap(),
        wsc_core::wait::WaitOptions::default(),
        |_| {},
    ));
    assert_send(&c.all_pages(&list, |_, _| {}));
    assert_eq!(
        tokio::spawn(async move { c.list_jobs(&list).await.map(|p| p.records.len()) })
            .await
            .unwrap()
            .unwrap(),
        5
    );
}

fn transport_kind(error: &Error) -> (TransportFailureKind, Delivery) {
    match error {
        Error::Transport(t) => (t.kind, t.delivery),
        other => panic!("not a transport error: {other:?}"),
    }
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
    assert_eq!(s.served(OperationKind::ListJobs), 100);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webpki_roots_and_the_extra_ca_are_trusted_together() {
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
    with_ca.list_jobs(&ListJobs::default()).await.unwrap();
    let without = Client::builder(s.credentials(), endpoint)
        .trust_roots(TrustRoots::WebPki)
        .build()
        .unwrap();
    let err = without.list_jobs(&ListJobs::default()).await.unwrap_err();
    assert_eq!(transport_kind(&err).0, TransportFailureKind::Tls, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callers_rustls_config_decides_what_is_trusted() {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let s = MockServer::start(MockConfig {
        tls: true,
        ..MockConfig::default()
    })
    .unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(s.ca_pem().unwrap().as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let tls = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let transport = wsc_hyper::Transport::with_tls_config(tls, &Default::default()).unwrap();
    let client = Client::builder(s.credentials(), Endpoint::parse(s.base_url()).unwrap())
        .build_with(transport);
    client.list_jobs(&ListJobs::default()).await.unwrap();
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
