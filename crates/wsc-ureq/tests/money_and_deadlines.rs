//! The guarantees issue by issue, through ureq against wsc-mock: one timeout
//! bounds an attempt, the overall deadline is hard, a failed lookup was never
//! sent, a lost createJob reply is never re-sent but found by listing, and
//! TLS is verified for real.

use std::time::{Duration, Instant};

use wsc_core::client::TrustRoots;
use wsc_core::error::{Delivery, TransportFailureKind};
use wsc_core::identify::{CreateOutcome, IdSource, NotStartedReason, Unidentified};
use wsc_core::operations::{CreateJob, ListJobs, OperationKind};
use wsc_core::retry::RetryPolicy;
use wsc_core::{Credentials, Endpoint, Error};
use wsc_mock::{Fault, Findings, LostReply, MockConfig, MockServer, PreloadJob, Route, When};
use wsc_ureq::{Client, Timeouts};

fn client(server: &MockServer, attempt: Duration, overall: Duration) -> Client {
    Client::builder(
        server.credentials(),
        Endpoint::parse(server.base_url()).unwrap(),
    )
    .retry_policy(RetryPolicy::never())
    .timeouts(
        Timeouts::default()
            .with_attempt(attempt)
            .with_overall(overall),
    )
    .build()
    .unwrap()
}

fn transport_kind(error: &Error) -> (TransportFailureKind, Delivery) {
    match error {
        Error::Transport(t) => (t.kind, t.delivery),
        other => panic!("not a transport error: {other:?}"),
    }
}

#[test]
fn a_dribbled_body_ends_at_the_attempt_timeout_not_a_multiple() {
    let s = MockServer::start(MockConfig::default()).unwrap();
    s.inject(
        Route::Any,
        When::Always,
        Fault::DribbleBody(Duration::from_secs(1)),
    );
    let c = client(&s, Duration::from_millis(1500), Duration::from_secs(60));
    let started = Instant::now();
    let err = c.list_jobs(&ListJobs::default()).unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        transport_kind(&err).0,
        TransportFailureKind::Timeout,
        "{err}"
    );
    // Per-phase budgets would let send, headers and body each take 1.5 s.
    assert!(
        took >= Duration::from_millis(1400) && took < Duration::from_millis(2900),
        "{took:?}"
    );
}

#[test]
fn an_overall_deadline_shorter_than_the_answer_ends_the_call_at_the_deadline() {
    let s = MockServer::start(MockConfig::default()).unwrap();
    s.inject(
        Route::Any,
        When::Always,
        Fault::SlowHeaders(Duration::from_secs(3)),
    );
    let c = client(&s, Duration::from_secs(30), Duration::from_millis(700));
    let started = Instant::now();
    let err = c.list_jobs(&ListJobs::default()).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        transport_kind(&err),
        (TransportFailureKind::Timeout, Delivery::MaybeSent)
    );
}

#[test]
fn a_failed_lookup_was_never_sent() {
    let c = Client::builder(
        wsc_core::Credentials::new("AK", "SK").unwrap(),
        Endpoint::parse("https://nosuchhost.invalid").unwrap(),
    )
    .retry_policy(RetryPolicy::never())
    .build()
    .unwrap();
    let err = c.list_jobs(&ListJobs::default()).unwrap_err();
    assert_eq!(
        transport_kind(&err),
        (TransportFailureKind::Dns, Delivery::NotSent),
        "{err}"
    );
    assert!(!err.may_have_reached_service());
    assert!(
        std::error::Error::source(&err).is_some(),
        "ureq's error is kept"
    );
}

#[test]
fn a_lost_create_reply_is_never_resent_and_the_job_is_found_by_listing() {
    for lost in [
        LostReply::EndpointError,
        LostReply::HtmlBadGateway,
        LostReply::Garbage,
        LostReply::Reset,
        LostReply::TruncatedBody,
    ] {
        let s = MockServer::start(MockConfig {
            preload_demo_jobs: true,
            ..MockConfig::default()
        })
        .unwrap();
        s.inject(
            Route::Op(OperationKind::CreateJob),
            When::Next(1),
            Fault::ActedThen(lost),
        );
        let c = client(&s, Duration::from_secs(5), Duration::from_secs(30));
        let op = CreateJob::builder("https://shop.example.com")
            .memo("weekly scan")
            .build()
            .unwrap();
        let outcome = c.create_and_identify(&op);
        assert_eq!(s.served(OperationKind::CreateJob), 1, "{lost:?}");
        // The client tagged the create with the stack's random bits.
        assert!(outcome.tag().is_some(), "{outcome:?}");
        match outcome {
            CreateOutcome::Identified {
                id,
                source,
                lost_reply,
                ..
            } => {
                assert!(lost_reply.is_some(), "{lost:?}");
                assert_eq!(id, s.job_ids()[0], "{lost:?}");
                assert_eq!(source, IdSource::Tag);
            }
            other => panic!("{lost:?}: {other:?}"),
        }
    }
}

#[test]
fn two_new_matching_untagged_jobs_cannot_be_told_apart() {
    let s = MockServer::start(MockConfig::default()).unwrap();
    // The create is carried out but its reply never comes; meanwhile someone
    // else starts the same scan.
    s.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::ActedThen(LostReply::NeverAnswer),
    );
    // Without tags: the fallback matching cannot tell them apart.
    let c = Client::builder(s.credentials(), Endpoint::parse(s.base_url()).unwrap())
        .retry_policy(RetryPolicy::never())
        .timeouts(
            Timeouts::default()
                .with_attempt(Duration::from_millis(1500))
                .with_overall(Duration::from_secs(30)),
        )
        .create_tags(false)
        .build()
        .unwrap();
    let op = CreateJob::builder("https://twin.example")
        .memo("nightly")
        .build()
        .unwrap();
    let outcome = std::thread::scope(|scope| {
        let create = scope.spawn(|| c.create_and_identify(&op));
        let deadline = Instant::now() + Duration::from_secs(10);
        while s.served(OperationKind::CreateJob) == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        s.preload(PreloadJob {
            start_url: "https://twin.example".into(),
            memo: "nightly".into(),
            held: None,
            findings: Findings::default(),
        });
        create.join().unwrap()
    });
    assert_eq!(s.served(OperationKind::CreateJob), 1);
    match outcome {
        CreateOutcome::Unidentified {
            why: Unidentified::Ambiguous(candidates),
            lost_reply: Some(_),
            ..
        } => assert_eq!(candidates.len(), 2),
        other => panic!("{other:?}"),
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
        assert_eq!(
            transport_kind(&err),
            (TransportFailureKind::Setup, Delivery::NotSent),
            "{err}"
        );
    }
}

#[test]
fn https_is_verified_with_the_extra_ca_and_refused_without_it() {
    let s = MockServer::start(MockConfig {
        tls: true,
        ..MockConfig::default()
    })
    .unwrap();
    let endpoint = Endpoint::parse(s.base_url()).unwrap();
    let trusted = Client::builder(s.credentials(), endpoint.clone())
        .ca_bundle_pem(s.ca_pem().unwrap())
        .build()
        .unwrap();
    trusted.list_jobs(&ListJobs::default()).unwrap();
    let served = s.requests().len();
    let untrusted = Client::builder(s.credentials(), endpoint).build().unwrap();
    let err = untrusted.list_jobs(&ListJobs::default()).unwrap_err();
    assert_eq!(
        transport_kind(&err),
        (TransportFailureKind::Tls, Delivery::NotSent),
        "{err}"
    );
    assert_eq!(
        s.requests().len(),
        served,
        "a TLS failure is never retried or sent"
    );
}

#[test]
fn a_create_the_service_refuses_is_an_error_not_a_lost_reply() {
    let s = MockServer::start(MockConfig::default()).unwrap();
    s.inject(
        Route::Op(OperationKind::CreateJob),
        When::Always,
        Fault::ServiceUnavailable { status: 400 },
    );
    let c = client(&s, Duration::from_secs(5), Duration::from_secs(30));
    let op = CreateJob::builder("https://shop.example.com")
        .build()
        .unwrap();
    match c.create_and_identify(&op) {
        CreateOutcome::NotStarted {
            reason: NotStartedReason::Refused,
            error: Error::Service(_),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    // Listed before the call, then until no matching job is confirmed.
    assert_eq!(s.served(OperationKind::ListJobs), 4);
    assert_eq!(s.served(OperationKind::CreateJob), 1);
}
