//! # wsc-hyper — an async Web Security Checker client
//!
//! A thin shell that executes [`wsc_core`] requests with hyper 1 on tokio:
//! build → sign → send → parse → ask the core what next. The default stack
//! keeps HTTP/1 connections to the client's one endpoint in a small pool of
//! its own (rustls for `https://`); bring a hyper-util client to use yours.
//! Futures are `Send` and cancel-safe (dropping a call leaves nothing behind:
//! its connection is closed rather than reused); the client is cheap to clone
//! and safe to share across tasks.
//!
//! ```no_run
//! # async fn demo() -> Result<(), wsc_core::Error> {
//! use wsc_core::{Credentials, Endpoint, Site};
//! use wsc_core::operations::ListJobs;
//!
//! let client = wsc_hyper::Client::new(Credentials::new("ACCESS_KEY", "SECRET_KEY")?, Endpoint::from_site(Site::Public))?;
//! let page = client.list_jobs(&ListJobs::default()).await?;
//! println!("{} jobs", page.records.len());
//! # Ok(()) }
//! ```
//!
//! Bring your own hyper-util client (your connector, pool, proxy and TLS):
//!
//! ```no_run
//! # fn demo() -> Result<(), wsc_core::Error> {
//! use hyper_util::client::legacy::Client as HyperClient;
//! use hyper_util::rt::TokioExecutor;
//! # use wsc_core::{Credentials, Endpoint, Site};
//! let http = HyperClient::builder(TokioExecutor::new()).build_http();
//! let client = wsc_hyper::Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("http://127.0.0.1:8080")?)
//!     .hyper_client(http)
//!     .build()?;
//! # Ok(()) }
//! ```

mod client;
mod connector;
mod http_send;
mod pool;
mod transport_error;

pub use client::{Client, ClientBuilder};
pub use wsc_core;
pub use wsc_core::Error;
pub use wsc_core::Timeouts;
