//! # wsc-core
//!
//! A sans-IO client for the NAVER Cloud Platform **Web Security Checker** API.
//! This crate builds signed [`http::Request`] values and parses
//! [`http::Response`] values into typed results and typed errors. It opens no
//! sockets, reads no environment or file ([`config`] resolves values you pass
//! in), and starts no runtime; the client reads time only through the
//! [`client::Clock`] it is handed (the system clock by default). You drive it
//! with any HTTP client. `wsc-ureq` (blocking) and `wsc-hyper` (async) are
//! ready-made drivers.
//!
//! ## The flow of one call
//!
//! ```text
//! input (validated) ─prepare─▶ PreparedRequest ─sign(credentials, timestamp)─▶ http::Request
//!     your HTTP client sends it ─▶ http::Response<bytes>
//!     ─parse_response─▶ Ok(output) | Err(Error) ─RetryState::on_failure─▶ retry after d | give up
//! ```
//!
//! Here a closure stands in for the HTTP client:
//!
//! ```
//! use std::time::{Instant, SystemTime};
//! use wsc_core::call::{Call, Step};
//! use wsc_core::operations::ListJobs;
//! use wsc_core::retry::RetryPolicy;
//! use wsc_core::{ClockSkew, Credentials, Endpoint, Limit, Now, PageNumber};
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
//! [`client::HttpClient`] (or [`client::AsyncHttpClient`]) for your HTTP stack,
//! or take `wsc-ureq` / `wsc-hyper`, and every operation, paging, waiting,
//! the hard deadline and create-and-identify come with it.
//!
//! ## Where things live
//!
//! | concept | module |
//! |---|---|
//! | access/secret keys, redaction, pre-keyed HMAC | [`credentials`] |
//! | Signature V2 | [`signing`] |
//! | sites and base URLs | [`endpoint`] |
//! | when two target URLs are the same site | [`target`] |
//! | the six operations (input, request, response) | [`operations`] |
//! | ids, statuses, records, pages, reports | [`model`] |
//! | masking secrets in anything written out | [`redact`] |
//! | the error type | [`error`] |
//! | the client over any HTTP stack (blocking and async) | [`client`] |
//! | the tag a create leaves in its memo | [`create_tag`] |
//! | finding the job a createJob started | [`identify`] |
//! | one call as a state machine | [`call`] |
//! | retry decisions | [`retry`] |
//! | transport timeouts | [`timeouts`] |
//! | `--dry-run`: a stack that keeps the signed request and sends nothing | [`dry_run`] |
//! | clock-skew estimate | [`clock_skew`] |
//! | waiting for a job | [`wait`] |
//! | walking pages | [`paging`] |
//! | env + profile file → configuration | [`config`] |
//! | recorded exchanges | [`cassette`] |

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod call;
pub mod cassette;
pub mod client;
pub mod clock_skew;
pub mod config;
pub mod create_flow;
pub mod create_tag;
pub mod credentials;
pub mod dry_run;
pub mod endpoint;
pub mod error;
pub mod identify;
mod invalid_input;
pub mod model;
mod now;
pub mod operations;
pub mod paging;
pub mod redact;
mod response;
pub mod retry;
pub mod signing;
pub mod target;
#[cfg(any(test, feature = "testing"))]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
pub mod timeouts;
mod user_agent;
pub mod wait;

pub use clock_skew::ClockSkew;
pub use create_tag::CreateTag;
pub use credentials::{AccessKey, Credentials, REDACTED, SecretKey};
pub use endpoint::{Endpoint, Site};
pub use error::{Error, InvalidInput};
pub use model::{
    DomainCounts, InstanceId, JobPage, JobRecord, JobStatus, JobStatusCode, Limit, PageNumber,
    Report, ReportSummary, RiskCounts, RiskLevel,
};
pub use now::Now;
pub use signing::TimestampMs;
pub use target::Target;
pub use timeouts::Timeouts;

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
