//! The retry policy: a pure decision per failed attempt.
//!
//! One [`RetryState`] per logical call (the client's, or a
//! [`Call`](crate::call::Call) driven by hand). After each failed attempt,
//! [`RetryState::on_failure`] takes the failure (an [`Error`]) and says what
//! to do: sleep for the returned delay, re-sign with a fresh timestamp and
//! send again — or give up.
//!
//! Rules (see `docs/api-notes.md` for the table):
//! - full-jitter exponential backoff, capped; throttling (429 with 410/420)
//!   backs off from a larger base than transient failures;
//! - `Retry-After` is honoured when within [`RetryPolicy::max_retry_after`], and
//!   ends the call when beyond it;
//! - quota (429/400), authentication, permission, 4xx and 901 are never retried;
//! - **createJob is never re-sent by the attempt loop.** A failure that may
//!   have reached the service (a timeout, a reset after sending, any 5xx)
//!   ends the call for good; one that proves the service did not act (nothing
//!   was sent, throttled, or refused for clock skew) ends it with
//!   [`GiveUpReason::BilledResendNeedsProof`], and create-and-identify sends
//!   it again ([`RetryState::resend_after_proof`]) only once a listing shows
//!   that no job was started;
//! - a 401 while the clock-skew estimate exceeds the gateway window is retried
//!   once, immediately, re-signed with the corrected clock.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::Error;
use crate::clock_skew::ClockSkew;
use crate::error::{Delivery, GatewayErrorKind, RetryAfter, TransportFailureKind};
use crate::operations::OperationKind;

/// Tunables of the retry policy. The defaults suit interactive and CI use.
///
/// Start from [`RetryPolicy::default`] (or [`RetryPolicy::never`]) and change
/// what you need; each `with_*` returns the changed policy.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::retry::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_retries(5)
///     .with_max_delay(Duration::from_secs(5));
/// assert_eq!(policy.max_retries(), 5);
/// assert_eq!(policy.base_delay(), Duration::from_millis(200));
/// assert_eq!(RetryPolicy::never().max_retries(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    throttle_base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries; backoff from 200 ms (1 s when throttled) up to 20 s; a
    /// `Retry-After` of up to 60 s honoured.
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            throttle_base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self::default().with_max_retries(0)
    }

    /// Retries after the first attempt (0: never retry).
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Backoff base for transient failures.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// Backoff base for throttling (429 with 410/420).
    pub fn throttle_base_delay(&self) -> Duration {
        self.throttle_base_delay
    }

    /// Upper bound of any computed backoff.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The longest `Retry-After` honoured; a longer one ends the call.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// This policy with [`RetryPolicy::max_retries`] set to `retries`.
    #[must_use]
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// This policy with [`RetryPolicy::base_delay`] set to `delay`.
    #[must_use]
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// This policy with [`RetryPolicy::throttle_base_delay`] set to `delay`.
    #[must_use]
    pub fn with_throttle_base_delay(mut self, delay: Duration) -> Self {
        self.throttle_base_delay = delay;
        self
    }

    /// This policy with [`RetryPolicy::max_delay`] set to `delay`.
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// This policy with [`RetryPolicy::max_retry_after`] set to `limit`.
    #[must_use]
    pub fn with_max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }
}

/// Why a retry is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// Throttled by the gateway (429 410/420).
    Throttled,
    /// A transient failure (connect error, 502/503/504, gateway 500/510/900).
    Transient,
    /// The gateway rejected the timestamp; the clock is now corrected.
    ClockSkew,
}

/// Why the call ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUpReason {
    /// The failure is not one that a retry can fix.
    NotRetryable,
    /// Retrying could run a billed createJob twice.
    MayDuplicateBilledCall,
    /// A billed createJob could be sent again, but only once a listing proves
    /// that no job was started: the attempt loop never re-sends it; the
    /// create-and-identify call decides (see [`RetryState::resend_after_proof`]).
    BilledResendNeedsProof,
    /// The retry budget is spent.
    RetriesExhausted,
    /// The server asked for a longer wait than the policy allows.
    RetryAfterTooLong(Duration),
}

impl fmt::Display for GiveUpReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRetryable => f.write_str("not retryable"),
            Self::MayDuplicateBilledCall => {
                f.write_str("createJob is never retried once it may have reached the service")
            }
            Self::RetriesExhausted => f.write_str("retries exhausted"),
            Self::BilledResendNeedsProof => {
                f.write_str("createJob is sent again only after a listing shows no job was started")
            }
            Self::RetryAfterTooLong(d) => write!(
                f,
                "the server asked to retry after {}s, beyond the limit",
                d.as_secs()
            ),
        }
    }
}

/// Whether a failed call may be sent again, as [`Error::retry_advice`]
/// answers for a kind of call: the policy the client's own attempts follow,
/// for a caller deciding what to do with a failure the client returned.
///
/// Exhaustive by design: these are the three answers there are, so a
/// caller's `match` needs no wildcard and a new answer would not compile
/// silently.
///
/// ```
/// use wsc_core::error::{Delivery, TransportError, TransportFailureKind};
/// use wsc_core::operations::OperationKind;
/// use wsc_core::retry::{GiveUpReason, RetryAdvice, RetryReason};
/// use wsc_core::Error;
///
/// let lost = Error::Transport(TransportError::new(
///     TransportFailureKind::Timeout, Delivery::MaybeSent, "no answer in 30 s"));
/// // A read may be sent again; a billed create never: it may have started a scan.
/// assert_eq!(lost.retry_advice(OperationKind::ListJobs), RetryAdvice::Safe(RetryReason::Transient));
/// assert_eq!(
///     lost.retry_advice(OperationKind::CreateJob),
///     RetryAdvice::Never(GiveUpReason::MayDuplicateBilledCall)
/// );
///
/// let refused = Error::Transport(TransportError::new(
///     TransportFailureKind::Connect, Delivery::NotSent, "connection refused"));
/// // Never sent: a create may go again, once a listing shows no job started.
/// assert_eq!(refused.retry_advice(OperationKind::CreateJob), RetryAdvice::AfterProof);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAdvice {
    /// Sending the call again is safe: the failure is transient or a
    /// throttle, and the call is not billed (later is better: the client
    /// already retried within its policy).
    Safe(RetryReason),
    /// A billed createJob that provably started nothing (never sent,
    /// throttled, refused for clock skew): send it again only once a listing
    /// shows no job was started, as `create_and_identify` does.
    AfterProof,
    /// Do not send it again as it is, for the reason given.
    Never(GiveUpReason),
}

impl RetryAdvice {
    /// Whether the call may be sent again as it is.
    pub fn is_safe(self) -> bool {
        matches!(self, Self::Safe(_))
    }
}

/// The answer of [`Error::retry_advice`]: the classes of [`RetryState`]
/// without its budget and delays.
pub(crate) fn advice(failure: &Error, operation: OperationKind) -> RetryAdvice {
    let billed = operation.is_billed();
    match classify(failure) {
        Class::Fatal | Class::AuthFailed => RetryAdvice::Never(GiveUpReason::NotRetryable),
        Class::Throttle(_) | Class::TransientNotReached if billed => RetryAdvice::AfterProof,
        Class::Throttle(_) => RetryAdvice::Safe(RetryReason::Throttled),
        Class::TransientNotReached => RetryAdvice::Safe(RetryReason::Transient),
        Class::TransientMaybeReached | Class::ReadOnlyTransient if billed => {
            RetryAdvice::Never(GiveUpReason::MayDuplicateBilledCall)
        }
        Class::TransientMaybeReached => RetryAdvice::Safe(RetryReason::Transient),
        Class::ReadOnlyTransient if operation.is_read() => {
            RetryAdvice::Safe(RetryReason::Transient)
        }
        Class::ReadOnlyTransient => RetryAdvice::Never(GiveUpReason::NotRetryable),
    }
}

/// The policy's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Sleep `after`, then send again with a fresh timestamp and signature.
    Retry {
        /// The delay before the next attempt.
        after: Duration,
        /// Why.
        reason: RetryReason,
    },
    /// Stop and report the failure.
    GiveUp(GiveUpReason),
}

/// A source of randomness for jitter (any RNG; a closure works).
pub trait RandomSource {
    /// A uniformly distributed `u64`.
    fn next_u64(&mut self) -> u64;
}

impl<F: FnMut() -> u64> RandomSource for F {
    fn next_u64(&mut self) -> u64 {
        self()
    }
}

/// A small seeded generator (xorshift64*) for jitter: the caller seeds it, so
/// the core stays deterministic. Not for anything secret.
#[derive(Debug, Clone)]
pub struct Jitter {
    state: u64,
}

impl Jitter {
    /// A generator from `seed` (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Self { state: seed | 1 }
    }
}

impl RandomSource for Jitter {
    fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// What a failure means to the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Throttle(Option<RetryAfter>),
    /// Transient, and the service never saw the request.
    TransientNotReached,
    /// Transient, but the service may have acted on it.
    TransientMaybeReached,
    /// Transient for reads only (gateway 500/900).
    ReadOnlyTransient,
    AuthFailed,
    Fatal,
}

fn classify(failure: &Error) -> Class {
    match failure {
        Error::Transport(t) => match (t.kind, t.delivery) {
            (
                TransportFailureKind::Tls
                | TransportFailureKind::BodyTooLarge
                | TransportFailureKind::InvalidRequest
                | TransportFailureKind::Setup
                | TransportFailureKind::DryRun,
                _,
            ) => Class::Fatal,
            (_, Delivery::NotSent) => Class::TransientNotReached,
            (_, Delivery::MaybeSent) => Class::TransientMaybeReached,
        },
        Error::Gateway(g) => match g.kind() {
            GatewayErrorKind::ThrottleLimited | GatewayErrorKind::RateLimited => {
                Class::Throttle(g.retry_after)
            }
            GatewayErrorKind::AuthenticationFailed => Class::AuthFailed,
            GatewayErrorKind::EndpointError | GatewayErrorKind::EndpointTimeout => {
                Class::TransientMaybeReached
            }
            GatewayErrorKind::UnexpectedError => Class::ReadOnlyTransient,
            _ => Class::Fatal,
        },
        Error::UnexpectedResponse(u) => match u.status.as_u16() {
            502..=504 => Class::TransientMaybeReached,
            _ => Class::Fatal,
        },
        _ => Class::Fatal,
    }
}

/// The retry state of one logical call (a small state machine).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use wsc_core::error::{Delivery, TransportError, TransportFailureKind};
/// use wsc_core::retry::{RetryDecision, RetryPolicy, RetryState};
/// use wsc_core::{ClockSkew, Error, operations::OperationKind};
///
/// let mut state = RetryState::new(RetryPolicy::default(), OperationKind::CreateJob);
/// let timeout = Error::Transport(TransportError::new(TransportFailureKind::Timeout, Delivery::MaybeSent, "read timed out"));
/// let mut rng = || 7u64;
/// let d = state.on_failure(&timeout, ClockSkew::NONE, SystemTime::UNIX_EPOCH, &mut rng);
/// assert!(matches!(d, RetryDecision::GiveUp(_)), "a billed call is never re-sent after a timeout");
/// ```
#[derive(Debug, Clone)]
pub struct RetryState {
    policy: RetryPolicy,
    operation: OperationKind,
    retries: u32,
    skew_retry_used: bool,
}

impl RetryState {
    /// A fresh state for one call of `operation`.
    pub fn new(policy: RetryPolicy, operation: OperationKind) -> Self {
        Self {
            policy,
            operation,
            retries: 0,
            skew_retry_used: false,
        }
    }

    /// Retries granted so far.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// Decides what follows a failed attempt (a response that parsed into an
    /// error, or an [`Error::Transport`]). `skew` is the client's current
    /// estimate (already updated from this response's `Date`), `now` the local
    /// time, `rng` the jitter source.
    pub fn on_failure(
        &mut self,
        failure: &Error,
        skew: ClockSkew,
        now: SystemTime,
        rng: &mut dyn RandomSource,
    ) -> RetryDecision {
        let class = classify(failure);
        let billed = self.operation.is_billed();
        let reads = self.operation.is_read();

        if billed && class != Class::Fatal {
            return RetryDecision::GiveUp(match class {
                Class::TransientMaybeReached | Class::ReadOnlyTransient => {
                    GiveUpReason::MayDuplicateBilledCall
                }
                Class::AuthFailed if !skew.exceeds_gateway_window() || self.skew_retry_used => {
                    GiveUpReason::NotRetryable
                }
                _ => GiveUpReason::BilledResendNeedsProof,
            });
        }
        self.decide(class, reads, skew, now, rng)
    }

    /// Decides whether a billed call that failed where the service provably
    /// did not act (throttled, refused for clock skew, or never sent) may be
    /// sent again, and when: the same budget and delays as any other call.
    /// Call it only once a listing shows that no job was started; anything
    /// that may have reached the service is never re-sent.
    pub fn resend_after_proof(
        &mut self,
        failure: &Error,
        skew: ClockSkew,
        now: SystemTime,
        rng: &mut dyn RandomSource,
    ) -> RetryDecision {
        match classify(failure) {
            class @ (Class::Throttle(_) | Class::AuthFailed | Class::TransientNotReached) => {
                self.decide(class, false, skew, now, rng)
            }
            Class::Fatal => RetryDecision::GiveUp(GiveUpReason::NotRetryable),
            _ => RetryDecision::GiveUp(GiveUpReason::MayDuplicateBilledCall),
        }
    }

    fn decide(
        &mut self,
        class: Class,
        reads: bool,
        skew: ClockSkew,
        now: SystemTime,
        rng: &mut dyn RandomSource,
    ) -> RetryDecision {
        let reason = match class {
            Class::Fatal => return RetryDecision::GiveUp(GiveUpReason::NotRetryable),
            Class::AuthFailed => {
                if skew.exceeds_gateway_window() && !self.skew_retry_used {
                    // The gateway rejects before routing: safe even for createJob.
                    self.skew_retry_used = true;
                    return RetryDecision::Retry {
                        after: Duration::ZERO,
                        reason: RetryReason::ClockSkew,
                    };
                }
                return RetryDecision::GiveUp(GiveUpReason::NotRetryable);
            }
            Class::Throttle(_) => RetryReason::Throttled,
            Class::TransientNotReached | Class::TransientMaybeReached => RetryReason::Transient,
            Class::ReadOnlyTransient if reads => RetryReason::Transient,
            Class::ReadOnlyTransient => return RetryDecision::GiveUp(GiveUpReason::NotRetryable),
        };

        if self.retries >= self.policy.max_retries {
            return RetryDecision::GiveUp(GiveUpReason::RetriesExhausted);
        }

        let base = if reason == RetryReason::Throttled {
            self.policy.throttle_base_delay
        } else {
            self.policy.base_delay
        };
        let mut after = full_jitter(base, self.retries, self.policy.max_delay, rng);
        if let Class::Throttle(Some(retry_after)) = class {
            let asked = retry_after.delay_from(now);
            if asked > self.policy.max_retry_after {
                return RetryDecision::GiveUp(GiveUpReason::RetryAfterTooLong(asked));
            }
            after = asked.max(after.min(base));
        }
        self.retries += 1;
        RetryDecision::Retry { after, reason }
    }
}

/// Full jitter: uniform in `[0, min(cap, base · 2^retry)]`.
fn full_jitter(base: Duration, retry: u32, cap: Duration, rng: &mut dyn RandomSource) -> Duration {
    let ceiling = base
        .saturating_mul(1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX))
        .min(cap);
    let ceiling_ms = ceiling.as_millis() as u64;
    if ceiling_ms == 0 {
        return Duration::ZERO;
    }
    // Multiply-shift maps a u64 uniformly onto [0, ceiling] without modulo bias.
    let scaled = (u128::from(rng.next_u64()) * u128::from(ceiling_ms + 1)) >> 64;
    Duration::from_millis(scaled as u64)
}

#[cfg(test)]
mod tests;
