//! Implementing an HTTP stack for the clients: the one-method traits, the
//! limits of an attempt, how a failed exchange is classified, the clock, and
//! the options a default stack is built from. `wsc-ureq` and `wsc-hyper` are
//! implementations; [`DryRun`] is one that sends nothing.

pub use crate::client::{
    AsyncHttpClient, AttemptLimits, Clock, DEFAULT_MAX_BODY_BYTES, DefaultTransport, FromSettings,
    HttpClient, MAX_TIMEOUT, MaybeSend, MaybeSync, TransportOptions, TrustRoots,
};
pub use crate::dry_run::{DryRun, DryRunRequest};
pub use crate::error::transport::{Delivery, TransportError, TransportFailureKind};
