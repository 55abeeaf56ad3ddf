//! The machines, for a program that drives its own I/O: signing, each
//! operation's request and response, one call with its retries
//! ([`Call`]), and the billed create ([`CreateFlow`]). The clients are
//! these machines driven over an HTTP stack; nothing here sends, sleeps or
//! reads a clock.
//!
//! **Time**, in every machine: the caller hands in [`Now`] (the wall clock,
//! for signatures and the service's time, and the monotonic clock, for
//! deadlines); what comes back is absolute — an [`Instant`](std::time::Instant)
//! to wait until — or a [`Duration`](std::time::Duration) to pause from the
//! moment it was returned.

pub use crate::call::{Call, Step};
pub use crate::clock_skew::ClockSkew;
pub use crate::create_flow::{CreateFlow, CreateStep};
pub use crate::credentials::{AccessKey, REDACTED, SecretKey};
pub use crate::identify::may_be_created_job;
pub use crate::now::Now;
pub use crate::operations::{
    CancelJob, CreatedJob, DOCUMENTED_VULN_ITEMS, GetReport, Operation, OperationKind, Paged,
    PreparedRequest, StopJob, build_request, documented_vuln_item, prepare,
};
pub use crate::retry::{Jitter, RandomSource};
pub use crate::signing::{
    ACCESS_KEY_HEADER, SIGNATURE_HEADER, Signature, SignedHeaders, TIMESTAMP_HEADER, TimestampMs,
    sign, signature, string_to_sign,
};
