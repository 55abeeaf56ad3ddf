//! The seam between the client and an HTTP stack: send one request within a
//! timeout, return the response with its body read in full (and capped), or
//! say how the exchange failed — above all whether the request may have left.
//!
//! Implement [`HttpClient`] (blocking) or [`AsyncHttpClient`] for your stack
//! and the whole client ([`crate::client::Client`], [`crate::client::AsyncClient`])
//! works over it: attempts, deadlines, paging, waiting, finding a created job.
//!
//! **Do not follow redirects**: a signed request must never go to another host.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};

use crate::error::TransportError;

/// The limits of one attempt, handed to the transport with the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptLimits {
    /// The whole attempt — DNS, connect, TLS, sending, headers and body — must
    /// end within this. Already cut to what remains of the call's deadline.
    pub timeout: Duration,
    /// Fail with [`TransportFailureKind::BodyTooLarge`](crate::error::TransportFailureKind::BodyTooLarge)
    /// once the body passes this many bytes.
    pub max_body_bytes: usize,
}

/// The longest timeout handed to a stack (about a century): longer ones, up
/// to `Duration::MAX`, mean "no limit" and are cut to this so a stack can add
/// it to an `Instant` without overflowing.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

impl AttemptLimits {
    /// Limits of `timeout` (cut to [`MAX_TIMEOUT`]) and `max_body_bytes`.
    pub fn new(timeout: Duration, max_body_bytes: usize) -> Self {
        Self {
            timeout: timeout.min(MAX_TIMEOUT),
            max_body_bytes,
        }
    }
}

/// A blocking HTTP stack.
///
/// Classify failures with care: [`Delivery::NotSent`](crate::error::Delivery::NotSent)
/// (DNS failure, refused connection, TLS failure — nothing was written) lets
/// the client send a billed createJob again; anything after the first byte
/// was written is [`Delivery::MaybeSent`](crate::error::Delivery::MaybeSent).
/// Keep the stack's own error with [`TransportError::with_source`].
///
/// Any closure of the right shape is an `HttpClient`, which makes tests easy:
///
/// ```
/// use wsc_core::client::{AttemptLimits, Client};
/// use wsc_core::{Credentials, Endpoint};
/// let http = |req: http::Request<Vec<u8>>, _limits: AttemptLimits| {
///     assert!(req.headers().contains_key("x-ncp-apigw-signature-v2"));
///     let body = r#"{"returnCode":"0","resources":{"total_cnt":0,"total_page_cnt":0,"record_data":[]}}"#;
///     Ok(http::Response::new(bytes::Bytes::from_static(body.as_bytes())))
/// };
/// let client = Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("http://127.0.0.1:1")?)
///     .build_with(http);
/// assert!(client.list_jobs(&Default::default())?.records.is_empty());
/// # Ok::<(), wsc_core::Error>(())
/// ```
pub trait HttpClient: Send + Sync {
    /// Sends `request` and reads the whole response within `limits`.
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError>;

    /// Pauses between attempts and polls (the default sleeps the thread).
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }

    /// A short name for the `User-Agent` (`wsc-rs/<version> (<name>)`).
    fn name(&self) -> &'static str {
        "custom"
    }

    /// 32 random bits for a create's tag ([`CreateTag`](crate::CreateTag)),
    /// from a source fit for identifiers (the operating system's), or `None`
    /// when this stack has none (the default): a create is then tagged only
    /// when its [`CreateJob`](crate::operations::CreateJob) carries a tag.
    fn tag_bits(&self) -> Option<u32> {
        None
    }
}

impl<F> HttpClient for F
where
    F: Fn(Request<Vec<u8>>, AttemptLimits) -> Result<Response<Bytes>, TransportError> + Send + Sync,
{
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError> {
        self(request, limits)
    }
}

/// An async HTTP stack: the twin of [`HttpClient`], plus a timer, so the core
/// needs no runtime of its own. The same classification rules apply.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::client::{AsyncHttpClient, AttemptLimits};
/// use wsc_core::error::TransportError;
///
/// struct Canned;
/// impl AsyncHttpClient for Canned {
///     async fn send(&self, _req: http::Request<Vec<u8>>, _limits: AttemptLimits)
///         -> Result<http::Response<bytes::Bytes>, TransportError> {
///         Ok(http::Response::new(bytes::Bytes::from_static(b"{}")))
///     }
///     async fn sleep(&self, _duration: Duration) {}
/// }
/// ```
pub trait AsyncHttpClient: Send + Sync {
    /// Sends `request` and reads the whole response within `limits`.
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send;

    /// Waits `duration` (between attempts and polls) on the caller's runtime.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;

    /// A short name for the `User-Agent` (`wsc-rs/<version> (<name>)`).
    fn name(&self) -> &'static str {
        "custom"
    }

    /// 32 random bits for a create's tag ([`CreateTag`](crate::CreateTag)),
    /// from a source fit for identifiers (the operating system's), or `None`
    /// when this stack has none (the default): a create is then tagged only
    /// when its [`CreateJob`](crate::operations::CreateJob) carries a tag.
    fn tag_bits(&self) -> Option<u32> {
        None
    }
}

/// A blocking stack seen through the async trait: its futures are ready on
/// their first poll, so the blocking client drives the one async
/// implementation to completion without a runtime.
pub(crate) struct Blocking<H>(pub(crate) H);

impl<H: HttpClient> AsyncHttpClient for Blocking<H> {
    async fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError> {
        self.0.send(request, limits)
    }

    async fn sleep(&self, duration: Duration) {
        self.0.sleep(duration);
    }

    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn tag_bits(&self) -> Option<u32> {
        self.0.tag_bits()
    }
}
