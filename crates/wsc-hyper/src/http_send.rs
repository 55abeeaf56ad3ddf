//! The seam between the client and an HTTP stack: one exchange, from a
//! request to a response whose body has been read in full (and capped).
//!
//! Two stacks sit behind it: the default [`OriginPool`], called directly so
//! an exchange costs no allocation, and a caller-built hyper-util client
//! (`ClientBuilder::hyper_client`) behind the [`HttpSend`] trait.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use http::{HeaderValue, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use wsc_core::error::TransportError;

use crate::pool::OriginPool;
use crate::transport_error;

/// The HTTP stack a client sends through.
pub(crate) enum Stack {
    /// The default stack, connecting directly.
    Direct(OriginPool<HttpsConnector<HttpConnector>>),
    /// The default stack, through an HTTPS proxy's CONNECT tunnel.
    Tunneled(OriginPool<HttpsConnector<Tunnel<HttpConnector>>>),
    /// A caller-built client.
    Custom(Arc<dyn HttpSend>),
}

impl Stack {
    /// Sends `request` and reads the response body, failing once it passes
    /// `max_body` bytes.
    pub(crate) async fn exchange(
        &self,
        request: Request<Full<Bytes>>,
        max_body: usize,
    ) -> Result<Response<Bytes>, TransportError> {
        match self {
            Self::Direct(pool) => pool.exchange(request, max_body).await,
            Self::Tunneled(pool) => pool.exchange(request, max_body).await,
            Self::Custom(http) => http.exchange(request, max_body).await,
        }
    }

    /// The `Host` header this stack wants on every request, when it does not
    /// add one itself (the client puts it in the signed-header template).
    pub(crate) fn host_header(&self) -> Option<HeaderValue> {
        match self {
            Self::Direct(pool) => Some(pool.host().clone()),
            Self::Tunneled(pool) => Some(pool.host().clone()),
            Self::Custom(_) => None,
        }
    }
}

/// A boxed exchange.
pub(crate) type Exchange<'a> =
    Pin<Box<dyn Future<Output = Result<Response<Bytes>, TransportError>> + Send + 'a>>;

/// A caller-built HTTP client that can carry one request and bring back the
/// whole response.
pub(crate) trait HttpSend: Send + Sync {
    /// Sends `request` and reads the response body, failing once it passes
    /// `max_body` bytes.
    fn exchange(&self, request: Request<Full<Bytes>>, max_body: usize) -> Exchange<'_>;
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

/// Reads a response body in full, up to `limit` bytes. A body that arrives
/// as one chunk (the usual case) is handed on as it is, without a copy; the
/// core parses any `AsRef<[u8]>`.
pub(crate) async fn read_body(
    response: Response<Incoming>,
    limit: usize,
) -> Result<Response<Bytes>, TransportError> {
    let (parts, mut body) = response.into_parts();
    let mut collected = BodyBuffer::default();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| transport_error::body_error(e.to_string(), false))?;
        // Trailers carry nothing the API uses.
        if let Ok(data) = frame.into_data() {
            collected.push(data, limit)?;
        }
    }
    Ok(Response::from_parts(parts, collected.into_bytes()))
}

/// The chunks of a body read so far: the first kept as it came, any later
/// ones appended to a copy.
#[derive(Default)]
struct BodyBuffer {
    first: Bytes,
    more: Option<BytesMut>,
}

impl BodyBuffer {
    fn len(&self) -> usize {
        self.more.as_ref().map_or(self.first.len(), BytesMut::len)
    }

    fn push(&mut self, chunk: Bytes, limit: usize) -> Result<(), TransportError> {
        if chunk.len() > limit.saturating_sub(self.len()) {
            return Err(transport_error::body_error(
                format!("the response body is larger than the {limit}-byte limit"),
                true,
            ));
        }
        if let Some(more) = &mut self.more {
            more.extend_from_slice(&chunk);
        } else if self.first.is_empty() {
            self.first = chunk;
        } else if !chunk.is_empty() {
            let mut more = BytesMut::with_capacity(self.first.len() + chunk.len());
            more.extend_from_slice(&self.first);
            more.extend_from_slice(&chunk);
            self.more = Some(more);
        }
        Ok(())
    }

    fn into_bytes(self) -> Bytes {
        self.more.map_or(self.first, BytesMut::freeze)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(chunks: &[&'static [u8]], limit: usize) -> Result<Bytes, TransportError> {
        let mut buffer = BodyBuffer::default();
        for chunk in chunks {
            buffer.push(Bytes::from_static(chunk), limit)?;
        }
        Ok(buffer.into_bytes())
    }

    #[test]
    fn chunks_are_joined_in_order_and_a_single_chunk_is_not_copied() {
        let single: &'static [u8] = b"{\"a\":1}";
        let out = collect(&[single], 100).unwrap();
        assert_eq!(out.as_ptr(), single.as_ptr(), "one chunk is passed through");
        assert_eq!(
            collect(&[b"", b"ab", b"", b"cd", b"e"], 100).unwrap(),
            "abcde"
        );
        assert_eq!(collect(&[], 100).unwrap(), "");
    }

    #[test]
    fn the_limit_counts_every_chunk() {
        assert_eq!(collect(&[b"abc", b"de"], 5).unwrap(), "abcde");
        let err = collect(&[b"abc", b"def"], 5).unwrap_err();
        assert_eq!(
            err.kind,
            wsc_core::error::TransportFailureKind::BodyTooLarge
        );
        assert!(err.to_string().contains("5-byte limit"), "{err}");
        assert!(collect(&[b"abcdef"], 5).is_err());
    }
}
