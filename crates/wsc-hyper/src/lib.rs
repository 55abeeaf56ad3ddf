//! # wsc-hyper — the Web Security Checker client over hyper 1 (async, tokio)
//!
//! An adapter: [`Transport`] implements [`wsc_core::transport::AsyncHttpClient`]
//! with hyper-util's pooled legacy client, and [`Client`] is the core's async
//! client over it. All API logic (signing, retries, the deadline, paging,
//! waiting, identifying a created job) lives in `wsc-core`; this crate sends
//! bytes on tokio, sets up TLS and proxies, and classifies hyper's errors —
//! above all, whether a failed request may have reached the service.
//!
//! Futures are `Send`; dropping one abandons the call. The client is cheap to
//! clone and safe to share across tasks.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use wsc_core::{Credentials, Endpoint, Site};
//!
//! let client = wsc_hyper::Client::new(
//!     Credentials::new("ACCESS_KEY", "SECRET_KEY")?,
//!     Endpoint::from_site(Site::Public),
//! )?;
//! let page = client.list_jobs(&Default::default()).await?;
//! println!("{} jobs", page.records.len());
//! # Ok(()) }
//! ```
//!
//! Configure it, or bring your own hyper-util client (your connector, pool,
//! proxy and TLS):
//!
//! ```no_run
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use hyper_util::client::legacy::Client as HyperClient;
//! use hyper_util::rt::TokioExecutor;
//! # use wsc_core::{Credentials, Endpoint, Site};
//! let configured = wsc_hyper::Client::builder(Credentials::new("AK", "SK")?, Endpoint::from_site(Site::Gov))
//!     .max_idle_connections_per_host(64)
//!     .build()?;
//! let http = HyperClient::builder(TokioExecutor::new()).build_http();
//! let own = wsc_hyper::Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("http://127.0.0.1:8080")?)
//!     .build_with(wsc_hyper::Transport::from_hyper(http));
//! # Ok(()) }
//! ```

mod classify;
mod proxy;
mod transport;

pub use transport::Transport;
pub use wsc_core;
pub use wsc_core::Error;
pub use wsc_core::Timeouts;

/// The async client over hyper: [`wsc_core::AsyncClient`] with [`Transport`].
pub type Client = wsc_core::AsyncClient<Transport>;

/// The README's examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
