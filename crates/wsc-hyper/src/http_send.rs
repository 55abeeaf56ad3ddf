//! The seam between the client and an HTTP stack: one exchange, from a
//! request to a response whose body has been read in full (and capped).
//!
//! Two stacks sit behind it: the default [`crate::pool::OriginPool`], and a
//! caller-built hyper-util client (`ClientBuilder::hyper_client`).

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use http::{HeaderValue, Request, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::Connect;
use wsc_core::error::TransportError;

use crate::transport_error;

/// A boxed exchange: the client's one allocation for the future of a send,
/// which also keeps the large future out of every layer wrapped around it.
pub(crate) type Exchange<'a> =
    Pin<Box<dyn Future<Output = Result<Response<Bytes>, TransportError>> + Send + 'a>>;

/// Anything that can carry one request and bring back the whole response.
pub(crate) trait HttpSend: Send + Sync {
    /// Sends `request` and reads the response body, failing once it passes
    /// `max_body` bytes.
    fn exchange(&self, request: Request<Full<Bytes>>, max_body: usize) -> Exchange<'_>;

    /// The `Host` header this stack wants on every request, when it does not
    /// add one itself (the client puts it in the signed-header template).
    fn host_header(&self) -> Option<HeaderValue> {
        None
    }
}

impl<C: Connect + Clone + Send + Sync + 'static> HttpSend for HyperClient<C, Full<Bytes>> {
    fn exchange(&self, request: Request<Full<Bytes>>, max_body: usize) -> Exchange<'_> {
        Box::pin(async move {
            let response = self
                .request(request)
                .await
                .map_err(|e| transport_error::classify_request(&e))?;
            read_body(response, max_body).await
        })
    }
}

/// Reads a response body in full, up to `limit` bytes. The collected bytes
/// are handed on as they are (the core parses any `AsRef<[u8]>`).
pub(crate) async fn read_body(
    response: Response<Incoming>,
    limit: usize,
) -> Result<Response<Bytes>, TransportError> {
    let (parts, body) = response.into_parts();
    let collected = Limited::new(body, limit).collect().await.map_err(|e| {
        let too_large = e
            .downcast_ref::<http_body_util::LengthLimitError>()
            .is_some();
        transport_error::body_error(e.to_string(), too_large)
    })?;
    Ok(Response::from_parts(parts, collected.to_bytes()))
}
