//! Why a failure is retried or not, and the answer a caller can act on:
//! is it safe to try this call again?

use std::fmt;
use std::time::Duration;

use crate::Error;
use crate::operations::OperationKind;
use crate::retry::{Class, classify};

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
    /// create-and-identify call decides (see [`CreateFlow`](crate::sans_io::CreateFlow)).
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
/// use wsc_core::transport::{Delivery, TransportError, TransportFailureKind};
/// use wsc_core::sans_io::OperationKind;
/// use wsc_core::error::{GiveUpReason, RetryAdvice, RetryReason};
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
