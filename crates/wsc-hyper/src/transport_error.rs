//! Classifying hyper's and hyper-util's errors for the core's retry policy: above all,
//! whether the request may have reached the service.

use std::error::Error as StdError;

use wsc_core::error::{Delivery, TransportError, TransportFailureKind as Kind};

fn chain<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&e| e.source())
}

fn has_tls_cause(error: &(dyn StdError + 'static)) -> bool {
    chain(error).any(|e| {
        e.downcast_ref::<rustls::Error>().is_some()
            || e.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
    })
}

/// A failure to open a connection (DNS, TCP, TLS, proxy tunnel): the request
/// never left.
pub(crate) fn classify_connect(error: &(dyn StdError + 'static)) -> TransportError {
    let detail = describe(error);
    let lower = detail.to_ascii_lowercase();
    let tls_words = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "peer is incompatible",
        "invalidcontenttype",
    ];
    let kind = if has_tls_cause(error) || tls_words.iter().any(|w| lower.contains(w)) {
        Kind::Tls
    } else if detail.contains("dns error") {
        Kind::Dns
    } else if detail.contains("timed out") || detail.contains("timeout") {
        Kind::ConnectTimeout
    } else {
        Kind::Connect
    };
    TransportError::new(kind, Delivery::NotSent, detail)
}

/// A failure on an open connection. `written` is false only when hyper handed
/// the request back unsent.
pub(crate) fn classify_send(error: &hyper::Error, written: bool) -> TransportError {
    let delivery = if written {
        Delivery::MaybeSent
    } else {
        Delivery::NotSent
    };
    TransportError::new(Kind::ConnectionClosed, delivery, describe(error))
}

/// A failure reported by a caller-built hyper-util client.
pub(crate) fn classify_request(error: &hyper_util::client::legacy::Error) -> TransportError {
    if error.is_connect() {
        classify_connect(error)
    } else {
        TransportError::new(Kind::ConnectionClosed, Delivery::MaybeSent, describe(error))
    }
}

/// Every message in the error's chain, outermost first.
fn describe(error: &(dyn StdError + 'static)) -> String {
    chain(error)
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

pub(crate) fn body_error(detail: impl AsRef<str>, too_large: bool) -> TransportError {
    if too_large {
        TransportError::new(Kind::BodyTooLarge, Delivery::MaybeSent, detail)
    } else {
        TransportError::new(Kind::ConnectionClosed, Delivery::MaybeSent, detail)
    }
}

pub(crate) fn timeout(after: std::time::Duration) -> TransportError {
    TransportError::new(
        Kind::Timeout,
        Delivery::MaybeSent,
        format!("no complete response within {} ms", after.as_millis()),
    )
}
