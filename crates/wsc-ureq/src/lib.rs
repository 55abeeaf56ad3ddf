//! # wsc-ureq — a blocking Web Security Checker client
//!
//! A thin shell that executes [`wsc_core`] requests with [ureq] 3: build → sign
//! → send → parse → ask the core what next. No API knowledge, retry decision or
//! parsing lives here — only I/O, timeouts, TLS and proxies.
//!
//! ```no_run
//! use wsc_core::{Credentials, Endpoint, Site};
//! use wsc_core::operations::ListJobs;
//!
//! let client = wsc_ureq::Client::new(
//!     Credentials::new("ACCESS_KEY", "SECRET_KEY")?,
//!     Endpoint::from_site(Site::Public),
//! );
//! for job in client.list_jobs(&ListJobs::default())?.records {
//!     println!("{} {} {}", job.instance_no, job.status(), job.start_url);
//! }
//! # Ok::<(), wsc_core::Error>(())
//! ```
//!
//! Bring your own agent (your pool, proxy and TLS settings are kept):
//!
//! ```no_run
//! # use wsc_core::{Credentials, Endpoint, Site};
//! let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
//! let client = wsc_ureq::Client::builder(Credentials::new("AK", "SK")?, Endpoint::from_site(Site::Gov))
//!     .agent(agent)
//!     .user_agent_suffix("my-scanner/2.1")
//!     .build();
//! # Ok::<(), wsc_core::Error>(())
//! ```

mod client;
mod transport_error;

pub use client::{Client, ClientBuilder};
pub use wsc_core;
pub use wsc_core::Error;
pub use wsc_core::Timeouts;
