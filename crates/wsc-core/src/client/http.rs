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

/// `Send`, on every target but WebAssembly, where nothing is: the bound on
/// what an HTTP stack, a clock and their futures must be, so that a
/// single-threaded stack (a browser's `fetch`) can implement the traits
/// there while native clients stay `Send`. Implemented for every type that
/// qualifies; there is nothing to implement.
#[cfg(not(target_family = "wasm"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_family = "wasm"))]
impl<T: Send + ?Sized> MaybeSend for T {}
/// `Send`, on every target but WebAssembly, where nothing is.
#[cfg(target_family = "wasm")]
pub trait MaybeSend {}
#[cfg(target_family = "wasm")]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync`, on every target but WebAssembly, where nothing is (see [`MaybeSend`]).
#[cfg(not(target_family = "wasm"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_family = "wasm"))]
impl<T: Sync + ?Sized> MaybeSync for T {}
/// `Sync`, on every target but WebAssembly, where nothing is.
#[cfg(target_family = "wasm")]
pub trait MaybeSync {}
#[cfg(target_family = "wasm")]
impl<T: ?Sized> MaybeSync for T {}

/// A blocking HTTP stack: one required method, [`HttpClient::send`].
///
/// Pauses between attempts come from the client's [`Clock`](crate::client::Clock)
/// and a create's tag from the client's random source
/// ([`ClientBuilder::random_source`](crate::client::ClientBuilder::random_source)),
/// so a stack only moves bytes.
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
/// use wsc_core::transport::AttemptLimits;
/// use wsc_core::Client;
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
pub trait HttpClient: MaybeSend + MaybeSync {
    /// Sends `request` and reads the whole response within `limits`.
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError>;

    /// A short name for the `User-Agent` (`wsc-rs/<version> (<name>)`).
    fn name(&self) -> &'static str {
        "custom"
    }
}

impl<F> HttpClient for F
where
    F: Fn(Request<Vec<u8>>, AttemptLimits) -> Result<Response<Bytes>, TransportError>
        + MaybeSend
        + MaybeSync,
{
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError> {
        self(request, limits)
    }
}

/// An async HTTP stack: the twin of [`HttpClient`], with one required
/// method. The same classification rules apply; the client waits between
/// attempts on its [`Clock`](crate::client::Clock), so the core needs no
/// runtime of its own.
///
/// ```
/// use wsc_core::transport::{AsyncHttpClient, AttemptLimits};
/// use wsc_core::transport::TransportError;
///
/// struct Canned;
/// impl AsyncHttpClient for Canned {
///     async fn send(&self, _req: http::Request<Vec<u8>>, _limits: AttemptLimits)
///         -> Result<http::Response<bytes::Bytes>, TransportError> {
///         Ok(http::Response::new(bytes::Bytes::from_static(b"{}")))
///     }
/// }
/// ```
pub trait AsyncHttpClient: MaybeSend + MaybeSync {
    /// Sends `request` and reads the whole response within `limits`.
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + MaybeSend;

    /// A short name for the `User-Agent` (`wsc-rs/<version> (<name>)`).
    fn name(&self) -> &'static str {
        "custom"
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

    fn name(&self) -> &'static str {
        self.0.name()
    }
}
