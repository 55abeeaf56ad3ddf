//! # wsc-core
//!
//! A sans-IO client for the NAVER Cloud Platform **Web Security Checker** API.
//! This crate builds signed [`http::Request`] values and parses
//! [`http::Response`] values into typed results and typed errors. It opens no
//! sockets, reads no environment or file ([`config`] resolves values you pass
//! in), and starts no runtime; the client reads time only through the
//! [`transport::Clock`] it is handed (the system clock by default). You drive
//! it with any HTTP client. `wsc-ureq` (blocking) and `wsc-hyper` (async) are
//! ready-made drivers.
//!
//! ## The flow of one call
//!
//! ```text
//! input (validated) ─prepare─▶ PreparedRequest ─sign(credentials, timestamp)─▶ http::Request
//!     your HTTP client sends it ─▶ http::Response<bytes>
//!     ─parse_response─▶ Ok(output) | Err(Error) ─retry policy─▶ retry after d | give up
//! ```
//!
//! Here a closure stands in for the HTTP client:
//!
//! ```
//! use std::time::{Instant, SystemTime};
//! use wsc_core::sans_io::{Call, Step};
//! use wsc_core::ListJobs;
//! use wsc_core::RetryPolicy;
//! use wsc_core::sans_io::{ClockSkew, Now};
//! use wsc_core::{Credentials, Endpoint, Limit, PageNumber};
//!
//! // Any HTTP client: here, a closure that answers like the service.
//! let send = |req: http::Request<Vec<u8>>| -> http::Response<Vec<u8>> {
//!     assert!(req.headers().contains_key("x-ncp-apigw-signature-v2"));
//!     let body = r#"{"returnCode":"0","returnDesc":"Request Success","returnMessage":"Success",
//!         "resources":{"total_cnt":1,"total_page_cnt":1,"current_start_page":1,"current_end_page":1,
//!         "record_data":[{"instanceNo":"1234567890","status":"진단 완료","progress":"100",
//!         "start_url":"https://example.com","crawl_cnt":"12","scan_cnt":"3","memo":"","result_button":"report"}]}}"#;
//!     http::Response::new(body.as_bytes().to_vec())
//! };
//!
//! let credentials = Credentials::new("MY_ACCESS_KEY", "MY_SECRET_KEY")?;
//! let endpoint = Endpoint::parse("https://wsc.apigw.ntruss.com")?;
//! let operation = ListJobs::new(Limit::new(10)?, PageNumber::FIRST);
//!
//! // build → sign → send elsewhere → parse → decide, as a loop.
//! let mut call = Call::new(&operation, &endpoint, RetryPolicy::default())?;
//! let mut skew = ClockSkew::NONE; // shared per client in a real transport
//! let mut jitter = || 4u64;       // any random source
//! let page = loop {
//!     let sent_at = Now::new(SystemTime::now(), Instant::now()); // the caller owns the clocks
//!     let response = send(call.next_request(&credentials, skew, sent_at));
//!     match call.on_response(&response, sent_at, Now::new(SystemTime::now(), Instant::now()), &mut skew, &mut jitter) {
//!         Step::Done(page) => break page,
//!         Step::RetryAfter(delay) => std::thread::sleep(delay),
//!         Step::Fail(error) => return Err(error.into()),
//!     }
//! };
//! let job = &page.records[0];
//! assert_eq!(job.instance_no.get(), 1234567890);
//! assert_eq!(job.status(), wsc_core::JobStatus::Completed);
//! assert_eq!(job.scan_count, Some(3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Most programs use the client instead of this loop: implement
//! [`transport::HttpClient`] (or [`transport::AsyncHttpClient`]) for your HTTP
//! stack, or take `wsc-ureq` / `wsc-hyper`, and every operation, paging,
//! waiting, the hard deadline and create-and-identify come with it.
//!
//! ## Where things live
//!
//! The root holds what a user of the client names: [`Client`] and
//! [`AsyncClient`] with their [`ClientBuilder`], [`Credentials`],
//! [`Endpoint`], the operations' inputs ([`ListJobs`], [`SearchJobs`],
//! [`CreateJob`]), their results ([`JobPage`], [`JobRecord`], [`Report`],
//! [`CreateOutcome`]) and [`Error`]. Every other public name is in one
//! module, reachable by one path:
//!
//! | module | what is in it |
//! |---|---|
//! | [`transport`] | implementing an HTTP stack: the one-method traits, attempt limits, failure classification, the clock, default-stack options, a dry run |
//! | [`sans_io`] | driving your own I/O: signing, each operation's request and response, one call with retries, the billed create |
//! | [`error`] | what an [`Error`] carries, and whether to retry it |
//! | [`wait`] | waiting for a job to end |
//! | [`report`] | a report read into counts |
//! | [`config`] | environment and profile file → configuration |
//! | [`journal`] | a record of billed creates that outlives the process, and recovery after a crash |
//! | [`cassette`] | recorded exchanges |
//! | [`redact`] | masking secrets in anything written out |
//! | `testing` (feature `testing`) | a scripted service and a virtual clock |
//!
//! Enums that say how something ended ([`CreateOutcome`],
//! [`NotStartedReason`], [`IdSource`], [`Unidentified`], [`wait::WaitEnd`])
//! are exhaustive by design: match them whole, with no `_` arm. Enums that
//! classify what the service or a stack reports ([`Error`],
//! [`transport::TransportFailureKind`], the error kinds) and structs that
//! will grow are `#[non_exhaustive]`.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod call;
pub mod cassette;
mod client;
mod clock_skew;
pub mod config;
mod create_flow;
mod create_tag;
mod credentials;
mod dry_run;
mod endpoint;
pub mod error;
mod identify;
mod invalid_input;
pub mod journal;
mod model;
mod now;
mod operations;
mod paging;
pub mod redact;
mod response;
mod retry;
pub mod sans_io;
mod signing;
mod target;
#[cfg(any(test, feature = "testing"))]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod timeouts;
pub mod transport;
mod user_agent;

/// A job's report, read: counts per risk level and per scanned domain.
pub mod report {
    pub use crate::model::{DomainCounts, ReportSummary, RiskCounts, RiskLevel};
}

pub mod wait;

pub use client::{AllPages, AsyncClient, Client, ClientBuilder};
pub use create_tag::CreateTag;
pub use credentials::Credentials;
pub use endpoint::{Endpoint, Site};
pub use error::top::Error;
pub use identify::{CreateOutcome, IdSource, NotStartedReason, Unidentified};
pub use invalid_input::InvalidInput;
pub use model::{
    InstanceId, JobPage, JobRecord, JobStatus, JobStatusCode, Limit, PageNumber, Report,
};
pub use operations::{
    CreateJob, CreateJobBuilder, ListJobs, ScanUserAgent, SearchBy, SearchJobs, Speed,
};
pub use retry::RetryPolicy;
pub use target::Target;
pub use timeouts::Timeouts;

// Crate-internal shorthands (not public paths).
pub(crate) use clock_skew::ClockSkew;
pub(crate) use credentials::{AccessKey, REDACTED, SecretKey};
pub(crate) use now::Now;

/// The `bytes` crate (response bodies are `bytes::Bytes`).
pub use bytes;
/// The `http` crate this API is built on, for implementors of the HTTP traits.
pub use http;

/// The crate version, for `User-Agent` strings.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
