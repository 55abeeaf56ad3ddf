//! A test kit for code built on the client: a scripted HTTP stack and a
//! manual clock, so a test runs every attempt, retry, deadline, wait and
//! identification on virtual time — in microseconds, with no socket and no
//! real sleep. Enabled by the `testing` feature:
//!
//! ```toml
//! [dev-dependencies]
//! wsc-core = { version = "0.1", features = ["testing"] }
//! ```
//!
//! [`ScriptedHttp`] is an [`HttpClient`](crate::client::HttpClient) (and an
//! [`AsyncHttpClient`](crate::client::AsyncHttpClient)) that answers like a
//! small WSC service — a job table that createJob adds to, that getJobs and
//! searchJobs list, and whose jobs finish at a virtual time you choose — or
//! with the [`Reply`] you script for an operation: an HTTP answer, a
//! transport failure, "the service acted but the reply was lost", a hang.
//! Its `sleep` advances the [`ManualClock`] instead of the thread.
//!
//! ```
//! use std::time::Duration;
//! use wsc_core::Client;
//! use wsc_core::transport::{Delivery, TransportFailureKind};
//! use wsc_core::CreateJob;
//! use wsc_core::sans_io::OperationKind;
//! use wsc_core::CreateOutcome;
//! use wsc_core::testing::{ManualClock, Reply, ScriptedHttp};
//! use wsc_core::{Credentials, Endpoint};
//!
//! let clock = ManualClock::new();
//! let http = ScriptedHttp::new(clock.clone());
//! // The service starts the scan, then the connection drops before the reply.
//! http.reply(OperationKind::CreateJob, Reply::acted_then_fail(TransportFailureKind::ConnectionClosed));
//! let client = Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("https://wsc.test")?)
//!     .clock(clock.clone())
//!     .build_with(http.clone());
//!
//! let outcome = client.create_and_identify(&CreateJob::builder("https://shop.example.com").build()?);
//! assert!(matches!(outcome, CreateOutcome::Identified { .. }), "{outcome:?}");
//! assert_eq!(http.count(OperationKind::CreateJob), 1); // never sent twice
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod clock;
mod reply;
mod scripted;
mod service;

pub use clock::ManualClock;
pub use reply::Reply;
pub use scripted::{ScriptedHttp, SeenRequest};
