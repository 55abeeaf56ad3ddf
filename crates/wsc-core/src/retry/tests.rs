use super::*;
use crate::error::{
    Delivery, ErrorCode, GatewayError, ServiceError, TransportFailureKind, UnexpectedResponse,
};
use http::StatusCode;

const ALL_OPS: [OperationKind; 6] = [
    OperationKind::ListJobs,
    OperationKind::SearchJobs,
    OperationKind::CreateJob,
    OperationKind::CancelJob,
    OperationKind::StopJob,
    OperationKind::GetReport,
];

fn gateway(status: u16, code: &str, retry_after: Option<RetryAfter>) -> Error {
    Error::Gateway(GatewayError {
        status: StatusCode::from_u16(status).unwrap(),
        code: ErrorCode::new(code.into()),
        message: String::new(),
        details: None,
        retry_after,
    })
}

fn transport(kind: TransportFailureKind, delivery: Delivery) -> Error {
    Error::Transport(crate::error::TransportError::new(kind, delivery, ""))
}

fn decide(op: OperationKind, failure: &Error) -> RetryDecision {
    let mut rng = || 12345u64;
    RetryState::new(RetryPolicy::default(), op).on_failure(
        failure,
        ClockSkew::NONE,
        SystemTime::UNIX_EPOCH,
        &mut rng,
    )
}

fn retries(d: RetryDecision) -> bool {
    matches!(d, RetryDecision::Retry { .. })
}

#[test]
fn table_of_decisions_per_operation() {
    let e503 = gateway(503, "500", None);
    let e504 = gateway(504, "510", None);
    let e500 = gateway(500, "900", None);
    let throttle = gateway(429, "410", None);
    let rate = gateway(429, "420", None);
    let quota = gateway(429, "400", None);
    let auth = gateway(401, "200", None);
    let denied = gateway(401, "210", None);
    let not_found = gateway(404, "300", None);
    let s901 = Error::Service(ServiceError {
        status: StatusCode::OK,
        code: ErrorCode::new("901".into()),
        message: String::new(),
    });
    let html502 = Error::UnexpectedResponse(UnexpectedResponse {
        status: StatusCode::BAD_GATEWAY,
        content_type: Some("text/html".into()),
        reason: String::new(),
        json_path: None,
        excerpt: String::new(),
    });
    // (failure, reads retry?, cancel/stop retry?, create re-sent once a
    // listing proves no job was started?). The attempt loop itself never
    // re-sends a create.
    let table: Vec<(&str, Error, bool, bool, bool)> = vec![
        ("503/500", e503, true, true, false),
        ("504/510", e504, true, true, false),
        ("500/900", e500, true, false, false),
        ("429/410", throttle, true, true, true),
        ("429/420", rate, true, true, true),
        ("429/400 quota", quota, false, false, false),
        ("401/200 no skew", auth, false, false, false),
        ("401/210", denied, false, false, false),
        ("404/300", not_found, false, false, false),
        ("901", s901, false, false, false),
        ("HTML 502", html502, true, true, false),
        (
            "connect refused",
            transport(TransportFailureKind::Connect, Delivery::NotSent),
            true,
            true,
            true,
        ),
        (
            "dns",
            transport(TransportFailureKind::Dns, Delivery::NotSent),
            true,
            true,
            true,
        ),
        (
            "tls",
            transport(TransportFailureKind::Tls, Delivery::NotSent),
            false,
            false,
            false,
        ),
        (
            "timeout",
            transport(TransportFailureKind::Timeout, Delivery::MaybeSent),
            true,
            true,
            false,
        ),
        (
            "reset after send",
            transport(TransportFailureKind::ConnectionClosed, Delivery::MaybeSent),
            true,
            true,
            false,
        ),
        (
            "body too large",
            transport(TransportFailureKind::BodyTooLarge, Delivery::MaybeSent),
            false,
            false,
            false,
        ),
    ];
    for (name, failure, read, change, create) in &table {
        for op in ALL_OPS {
            if op.is_billed() {
                assert!(
                    !retries(decide(op, failure)),
                    "{name} / {op} re-sent without proof"
                );
                let mut state = RetryState::new(RetryPolicy::default(), op);
                let mut rng = || 0u64;
                let after_proof = state.resend_after_proof(
                    failure,
                    ClockSkew::NONE,
                    SystemTime::UNIX_EPOCH,
                    &mut rng,
                );
                assert_eq!(retries(after_proof), *create, "{name} / {op} after proof");
                continue;
            }
            let want = if op.is_read() { *read } else { *change };
            assert_eq!(retries(decide(op, failure)), want, "{name} / {op}");
        }
    }
}

#[test]
fn create_is_not_retried_after_a_timeout() {
    let d = decide(
        OperationKind::CreateJob,
        &transport(TransportFailureKind::Timeout, Delivery::MaybeSent),
    );
    assert_eq!(
        d,
        RetryDecision::GiveUp(GiveUpReason::MayDuplicateBilledCall)
    );
}

#[test]
fn retries_stop_at_the_budget() {
    let policy = RetryPolicy::default().with_max_retries(2);
    let mut state = RetryState::new(policy, OperationKind::ListJobs);
    let f = transport(TransportFailureKind::Connect, Delivery::NotSent);
    let mut rng = || 1u64;
    let mut decisions = Vec::new();
    for _ in 0..4 {
        decisions.push(state.on_failure(&f, ClockSkew::NONE, SystemTime::UNIX_EPOCH, &mut rng));
    }
    assert!(retries(decisions[0]) && retries(decisions[1]));
    assert_eq!(
        decisions[2],
        RetryDecision::GiveUp(GiveUpReason::RetriesExhausted)
    );
    assert_eq!(state.retries(), 2);
}

#[test]
fn backoff_is_full_jitter_and_capped() {
    let policy = RetryPolicy::default().with_max_retries(30);
    let f = transport(TransportFailureKind::Connect, Delivery::NotSent);
    // The largest random value gives the ceiling of each step.
    let mut state = RetryState::new(policy, OperationKind::ListJobs);
    let mut max_rng = || u64::MAX;
    let mut ceilings = Vec::new();
    for _ in 0..10 {
        if let RetryDecision::Retry { after, .. } =
            state.on_failure(&f, ClockSkew::NONE, SystemTime::UNIX_EPOCH, &mut max_rng)
        {
            ceilings.push(after);
        }
    }
    assert!(ceilings.iter().all(|d| *d <= policy.max_delay));
    assert!(ceilings.windows(2).all(|w| w[0] <= w[1]), "{ceilings:?}");
    // Zero randomness gives zero delay: jitter spans the whole range.
    let mut zero = || 0u64;
    let d = RetryState::new(policy, OperationKind::ListJobs).on_failure(
        &f,
        ClockSkew::NONE,
        SystemTime::UNIX_EPOCH,
        &mut zero,
    );
    assert_eq!(
        d,
        RetryDecision::Retry {
            after: Duration::ZERO,
            reason: RetryReason::Transient
        }
    );
}

#[test]
fn retry_after_is_honoured_within_bounds() {
    let ok = gateway(429, "420", Some(RetryAfter::Delay(Duration::from_secs(5))));
    let d = decide(OperationKind::ListJobs, &ok);
    assert_eq!(
        d,
        RetryDecision::Retry {
            after: Duration::from_secs(5),
            reason: RetryReason::Throttled
        }
    );

    let long = gateway(
        429,
        "410",
        Some(RetryAfter::Delay(Duration::from_secs(3600))),
    );
    let d = decide(OperationKind::ListJobs, &long);
    assert_eq!(
        d,
        RetryDecision::GiveUp(GiveUpReason::RetryAfterTooLong(Duration::from_secs(3600)))
    );
}

#[test]
fn a_401_with_a_skewed_clock_resends_a_create_once_and_only_after_proof() {
    let auth = gateway(401, "200", None);
    let skew = ClockSkew::from_offset_ms(-400_000);
    let mut state = RetryState::new(RetryPolicy::default(), OperationKind::CreateJob);
    let mut rng = || 0u64;
    let first = state.on_failure(&auth, skew, SystemTime::UNIX_EPOCH, &mut rng);
    assert_eq!(
        first,
        RetryDecision::GiveUp(GiveUpReason::BilledResendNeedsProof)
    );
    let proven = state.resend_after_proof(&auth, skew, SystemTime::UNIX_EPOCH, &mut rng);
    assert_eq!(
        proven,
        RetryDecision::Retry {
            after: Duration::ZERO,
            reason: RetryReason::ClockSkew
        }
    );
    let again = state.resend_after_proof(&auth, skew, SystemTime::UNIX_EPOCH, &mut rng);
    assert_eq!(again, RetryDecision::GiveUp(GiveUpReason::NotRetryable));
    // Without a skew to correct, a 401 is final.
    let mut state = RetryState::new(RetryPolicy::default(), OperationKind::CreateJob);
    let plain = state.on_failure(&auth, ClockSkew::NONE, SystemTime::UNIX_EPOCH, &mut rng);
    assert_eq!(plain, RetryDecision::GiveUp(GiveUpReason::NotRetryable));
}

/// `Error::retry_advice` says what the policy does, for every failure and
/// every kind of call: safe ⇔ the attempt loop retries it; after proof ⇔
/// the loop stops but a listing's proof lets it go again; never ⇔ neither.
#[test]
fn the_public_advice_is_the_policys_own_answer() {
    let failures = [
        gateway(429, "410", None),
        gateway(429, "420", None),
        gateway(429, "400", None),
        gateway(401, "200", None),
        gateway(400, "100", None),
        gateway(503, "500", None),
        gateway(504, "510", None),
        gateway(500, "900", None),
        gateway(404, "300", None),
        transport(TransportFailureKind::Connect, Delivery::NotSent),
        transport(TransportFailureKind::Dns, Delivery::NotSent),
        transport(TransportFailureKind::Timeout, Delivery::MaybeSent),
        transport(TransportFailureKind::ConnectionClosed, Delivery::MaybeSent),
        transport(TransportFailureKind::Tls, Delivery::NotSent),
        transport(TransportFailureKind::BodyTooLarge, Delivery::MaybeSent),
        Error::Service(ServiceError {
            status: StatusCode::OK,
            code: ErrorCode::new("901".into()),
            message: String::new(),
        }),
        Error::UnexpectedResponse(UnexpectedResponse {
            status: StatusCode::BAD_GATEWAY,
            content_type: None,
            reason: String::new(),
            json_path: None,
            excerpt: String::new(),
        }),
    ];
    for failure in &failures {
        for op in ALL_OPS {
            let advice = failure.retry_advice(op);
            let looped = decide(op, failure);
            let mut rng = || 12345u64;
            let proven = RetryState::new(RetryPolicy::default(), op).resend_after_proof(
                failure,
                ClockSkew::NONE,
                SystemTime::UNIX_EPOCH,
                &mut rng,
            );
            match advice {
                RetryAdvice::Safe(reason) => {
                    assert!(!op.is_billed(), "{op:?} {failure:?}");
                    assert!(
                        matches!(looped, RetryDecision::Retry { reason: r, .. } if r == reason),
                        "{op:?} {failure:?}: {looped:?}"
                    );
                }
                RetryAdvice::AfterProof => {
                    assert!(op.is_billed(), "{op:?} {failure:?}");
                    assert_eq!(
                        looped,
                        RetryDecision::GiveUp(GiveUpReason::BilledResendNeedsProof),
                        "{failure:?}"
                    );
                    assert!(retries(proven), "{failure:?}: {proven:?}");
                }
                RetryAdvice::Never(why) => {
                    assert_eq!(looped, RetryDecision::GiveUp(why), "{op:?} {failure:?}");
                    if op.is_billed() {
                        assert!(!retries(proven), "{failure:?}: {proven:?}");
                    }
                }
            }
            assert_eq!(advice.is_safe(), matches!(advice, RetryAdvice::Safe(_)));
        }
    }
}
