//! Classifying hyper-util's errors for the core's retry policy: above all,
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

pub(crate) fn classify_request(error: &hyper_util::client::legacy::Error) -> TransportError {
    let detail = chain(error)
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    let lower = detail.to_ascii_lowercase();
    let tls_words = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "peer is incompatible",
        "invalidcontenttype",
    ];
    let (kind, delivery) = if error.is_connect() {
        if has_tls_cause(error) || tls_words.iter().any(|w| lower.contains(w)) {
            (Kind::Tls, Delivery::NotSent)
        } else if detail.contains("dns error") {
            (Kind::Dns, Delivery::NotSent)
        } else if detail.contains("timed out") || detail.contains("timeout") {
            (Kind::ConnectTimeout, Delivery::NotSent)
        } else {
            (Kind::Connect, Delivery::NotSent)
        }
    } else {
        (Kind::ConnectionClosed, Delivery::MaybeSent)
    };
    TransportError::new(kind, delivery, detail)
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
