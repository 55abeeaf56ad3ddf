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

use std::time::{Duration, SystemTime};

use crate::Error;
use crate::clock_skew::ClockSkew;
use crate::error::{Delivery, GatewayErrorKind, RetryAfter, TransportFailureKind};
use crate::operations::OperationKind;

mod advice;
mod jitter;
mod policy;

pub(crate) use advice::advice;
pub use advice::{GiveUpReason, RetryAdvice, RetryReason};
use jitter::full_jitter;
pub use jitter::{Jitter, RandomSource};
pub use policy::RetryPolicy;

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

/// What a failure means to the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
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

pub(super) fn classify(failure: &Error) -> Class {
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
    #[cfg(test)]
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

#[cfg(test)]
mod tests;
