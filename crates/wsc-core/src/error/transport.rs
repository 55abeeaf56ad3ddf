//! A failed exchange as the HTTP stack classifies it, above all whether the
//! request may have left.

use std::fmt;

use crate::error::text::sanitize_server_text;

/// How a transport-level failure relates to delivery of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Delivery {
    /// Provably never sent: no connection was made (DNS, refused, TLS handshake).
    NotSent,
    /// The request may have been received and acted on.
    MaybeSent,
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportFailureKind {
    /// Name resolution failed.
    Dns,
    /// The connection was refused or could not be opened.
    Connect,
    /// Connecting took too long.
    ConnectTimeout,
    /// The TLS handshake failed (never retried: a certificate problem does not heal).
    Tls,
    /// The attempt timed out after connecting.
    Timeout,
    /// The connection was reset or closed early.
    ConnectionClosed,
    /// The response body exceeded the size cap.
    BodyTooLarge,
    /// The request could not be built or sent as given (e.g. a proxy misconfiguration).
    InvalidRequest,
    /// Any other I/O failure.
    Io,
    /// The HTTP stack could not be set up as configured (an unusable extra CA
    /// bundle, a malformed proxy URL): found when the client is built, before
    /// anything is sent, and never retried.
    Setup,
    /// A [`DryRun`](crate::dry_run::DryRun) stack kept the request and sent
    /// nothing, by design; never retried.
    DryRun,
}

/// A failed HTTP exchange, as the transport classifies it.
///
/// The HTTP stack's own error, when there is one, is kept as
/// [`std::error::Error::source`]; equality compares kind, delivery and detail.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TransportError {
    /// What happened.
    pub kind: TransportFailureKind,
    /// Whether the request may have reached the server.
    pub delivery: Delivery,
    /// What the transport said (shortened; never holds a secret).
    pub detail: String,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TransportError {
    /// A transport error; `detail` is sanitized to one short line.
    pub fn new(kind: TransportFailureKind, delivery: Delivery, detail: impl AsRef<str>) -> Self {
        Self {
            kind,
            delivery,
            detail: sanitize_server_text(detail.as_ref()),
            source: None,
        }
    }

    /// Keeps the HTTP stack's original error as the [`source`](std::error::Error::source).
    ///
    /// ```
    /// use std::error::Error as _;
    /// use wsc_core::transport::{Delivery, TransportError, TransportFailureKind};
    /// let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
    /// let e = TransportError::new(TransportFailureKind::Connect, Delivery::NotSent, "refused")
    ///     .with_source(io);
    /// assert!(e.source().unwrap().to_string().contains("refused"));
    /// ```
    #[must_use]
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(std::sync::Arc::from(source.into()));
        self
    }

    /// Whether the request provably never left (safe to send again, even a billed one).
    pub fn never_sent(&self) -> bool {
        self.delivery == Delivery::NotSent
    }
}

impl PartialEq for TransportError {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.delivery == other.delivery && self.detail == other.detail
    }
}

impl Eq for TransportError {}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportFailureKind::Dns => "could not resolve the host",
            TransportFailureKind::Connect => "could not connect",
            TransportFailureKind::ConnectTimeout => "timed out connecting",
            TransportFailureKind::Tls => "TLS failure (certificate or handshake)",
            TransportFailureKind::Timeout => "timed out waiting for the response",
            TransportFailureKind::ConnectionClosed => {
                "the connection closed before a complete response"
            }
            TransportFailureKind::BodyTooLarge => "the response body exceeds the size limit",
            TransportFailureKind::InvalidRequest => "the request could not be sent",
            TransportFailureKind::Io => "network error",
            TransportFailureKind::Setup => "the HTTP client cannot be set up",
            TransportFailureKind::DryRun => "dry run",
        };
        let delivery = match self.delivery {
            Delivery::NotSent => "the request was not sent",
            Delivery::MaybeSent => "the request may have reached the service",
        };
        if self.detail.is_empty() {
            write!(f, "{what}; {delivery}")
        } else {
            write!(f, "{what} ({}); {delivery}", self.detail)
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
