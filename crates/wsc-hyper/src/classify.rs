//! hyper-util's errors in the core's terms. Whether a request may have left
//! comes from hyper-util's own signal: a connect error means no connection
//! carried it (its pool re-sends a request it never wrote on a reused
//! connection by itself). The cause chain only picks the kind of a connect
//! failure. The original error is kept as the source.

use std::error::Error as StdError;
use std::io::ErrorKind;

use wsc_core::transport::{Delivery, TransportError, TransportFailureKind as Kind};

fn chain<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&e| e.source())
}

/// Every message in the error's chain, outermost first.
fn describe(error: &(dyn StdError + 'static)) -> String {
    chain(error)
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

/// Which connect step failed.
fn connect_kind(error: &(dyn StdError + 'static)) -> Kind {
    for cause in chain(error) {
        if cause.is::<rustls::Error>() {
            return Kind::Tls;
        }
        // I/O errors nest (the TLS stream's inside the connector's): walk
        // their payloads too.
        let mut io = cause.downcast_ref::<std::io::Error>();
        while let Some(current) = io {
            if current.kind() == ErrorKind::TimedOut {
                return Kind::ConnectTimeout;
            }
            let inner = current.get_ref();
            if inner.is_some_and(|e| e.is::<rustls::Error>()) {
                return Kind::Tls;
            }
            io = inner.and_then(|e| e.downcast_ref::<std::io::Error>());
        }
        // hyper-util's HttpConnector names its resolution step this way.
        if cause.to_string() == "dns error" {
            return Kind::Dns;
        }
    }
    Kind::Connect
}

/// A failed `request`: before a connection existed (never sent) or after.
pub(crate) fn request(error: hyper_util::client::legacy::Error) -> TransportError {
    let (kind, delivery) = if error.is_connect() {
        (connect_kind(&error), Delivery::NotSent)
    } else {
        (Kind::ConnectionClosed, Delivery::MaybeSent)
    };
    TransportError::new(kind, delivery, describe(&error)).with_source(error)
}

/// A failure while reading the body (the request was sent).
pub(crate) fn body(error: Box<dyn StdError + Send + Sync>) -> TransportError {
    let kind = if error.is::<http_body_util::LengthLimitError>() {
        Kind::BodyTooLarge
    } else {
        Kind::ConnectionClosed
    };
    let detail = describe(error.as_ref());
    TransportError::new(kind, Delivery::MaybeSent, detail).with_source(error)
}

/// The attempt's timeout passed.
pub(crate) fn timed_out(after: std::time::Duration) -> TransportError {
    TransportError::new(
        Kind::Timeout,
        Delivery::MaybeSent,
        format!("no complete response within {} ms", after.as_millis()),
    )
}
