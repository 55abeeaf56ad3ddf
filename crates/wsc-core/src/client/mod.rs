//! The client, written once over a one-method HTTP trait.
//!
//! | you have | use |
//! |---|---|
//! | a blocking HTTP stack | implement [`HttpClient`] (or pass a closure), then [`Client`] |
//! | an async HTTP stack | implement [`AsyncHttpClient`], then [`AsyncClient`] |
//! | ureq 3 / hyper 1 | the `wsc-ureq` / `wsc-hyper` crates: adapters to these traits |
//! | your own loop | the sans-IO state machines below this layer: [`crate::call::Call`], [`crate::paging::Pager`], [`crate::wait::Waiter`], [`crate::identify::Identifier`] |
//!
//! The client does everything that is not moving bytes: signing each attempt,
//! the retry policy, the clock-skew estimate, a hard overall deadline (each
//! attempt's timeout is cut to what remains of it), paging, finding a job,
//! waiting, and finding the job a billed createJob started. It reads time
//! from a [`Clock`] it is handed and performs no I/O except through the trait.
//! `wsc_core::testing` (feature `testing`) runs it on virtual time.

mod asynchronous;
mod blocking;
mod builder;
mod clock;
mod create;
mod http;
mod polling;
mod trust;

#[cfg(test)]
mod tests;

pub use asynchronous::AsyncClient;
pub use blocking::Client;
pub use builder::{
    ClientBuilder, DEFAULT_MAX_BODY_BYTES, DefaultTransport, FromSettings, TransportOptions,
};
pub use clock::Clock;
#[cfg(any(test, feature = "testing"))]
pub(crate) use clock::Pause;
pub use http::{AsyncHttpClient, AttemptLimits, HttpClient, MAX_TIMEOUT, MaybeSend, MaybeSync};
pub use polling::AllPages;
pub use trust::TrustRoots;
