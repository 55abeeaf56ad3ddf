//! # wsc-ureq — the Web Security Checker client over ureq 3 (blocking)
//!
//! An adapter: [`Transport`] implements [`wsc_core::transport::HttpClient`] with a
//! [`ureq::Agent`], and [`Client`] is the core's client over it. All API logic
//! (signing, retries, the deadline, paging, waiting, identifying a created job)
//! lives in `wsc-core`; this crate sends bytes, sets up TLS and proxies, and
//! classifies ureq's errors — above all, whether a failed request may have
//! reached the service.
//!
//! ```no_run
//! use wsc_core::{Credentials, Endpoint, Site};
//!
//! let client = wsc_ureq::Client::new(
//!     Credentials::new("ACCESS_KEY", "SECRET_KEY")?,
//!     Endpoint::from_site(Site::Public),
//! )?;
//! for job in client.list_jobs(&Default::default())?.records {
//!     println!("{} {} {}", job.instance_no, job.status(), job.start_url);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Configure it, or bring your own agent (its pool, proxy and TLS settings are
//! kept; each request still refuses redirects):
//!
//! ```no_run
//! # use wsc_core::{Credentials, Endpoint, Site};
//! let configured = wsc_ureq::Client::builder(Credentials::new("AK", "SK")?, Endpoint::from_site(Site::Gov))
//!     .ca_bundle_pem(std::fs::read("corporate-ca.pem").unwrap_or_default())
//!     .user_agent_suffix("my-scanner/2.1")
//!     .build()?;
//! let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
//! let own = wsc_ureq::Client::builder(Credentials::new("AK", "SK")?, Endpoint::from_site(Site::Gov))
//!     .build_with(wsc_ureq::Transport::from_agent(agent));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod classify;
mod transport;

pub use transport::Transport;
pub use wsc_core;
pub use wsc_core::Error;
pub use wsc_core::Timeouts;

/// The blocking client over ureq: [`wsc_core::Client`] with [`Transport`].
pub type Client = wsc_core::Client<Transport>;

/// The README's examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
