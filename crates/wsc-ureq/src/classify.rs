//! ureq's errors in the core's terms: above all, whether the request may have
//! reached the service (which decides whether a billed createJob may be sent
//! again). The original error is kept as the source.

use std::io::ErrorKind;

use wsc_core::error::{Delivery, TransportError, TransportFailureKind as Kind};

/// `timeout` is the attempt's: a timeout is reported in its terms rather
/// than ureq's (`timeout: global`).
pub(crate) fn classify(error: ureq::Error, timeout: std::time::Duration) -> TransportError {
    use ureq::Error as E;
    use ureq::Timeout as T;
    let (kind, delivery) = match &error {
        E::HostNotFound | E::Timeout(T::Resolve) => (Kind::Dns, Delivery::NotSent),
        E::ConnectionFailed => (Kind::Connect, Delivery::NotSent),
        E::Timeout(T::Connect) => (Kind::ConnectTimeout, Delivery::NotSent),
        E::Timeout(_) => (Kind::Timeout, Delivery::MaybeSent),
        E::Tls(_) | E::Rustls(_) | E::Pem(_) | E::TlsRequired => (Kind::Tls, Delivery::NotSent),
        E::BodyExceedsLimit(_) => (Kind::BodyTooLarge, Delivery::MaybeSent),
        E::InvalidProxyUrl
        | E::ConnectProxyFailed(_)
        | E::BadUri(_)
        | E::Http(_)
        | E::RequireHttpsOnly(_) => (Kind::InvalidRequest, Delivery::NotSent),
        E::Io(io) => classify_io(io),
        E::Protocol(_) | E::BodyStalled => (Kind::ConnectionClosed, Delivery::MaybeSent),
        _ => (Kind::Io, Delivery::MaybeSent),
    };
    let detail = match &error {
        E::Timeout(T::Global | T::PerCall) => {
            format!("no complete response within {} ms", timeout.as_millis())
        }
        _ => error.to_string(),
    };
    TransportError::new(kind, delivery, detail).with_source(error)
}

fn classify_io(io: &std::io::Error) -> (Kind, Delivery) {
    // A handshake failure arrives as an I/O error wrapping rustls' error.
    if io
        .get_ref()
        .is_some_and(|inner| inner.is::<rustls::Error>())
    {
        return (Kind::Tls, Delivery::NotSent);
    }
    match io.kind() {
        ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable => {
            (Kind::Connect, Delivery::NotSent)
        }
        ErrorKind::TimedOut | ErrorKind::WouldBlock => (Kind::Timeout, Delivery::MaybeSent),
        ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::UnexpectedEof
        | ErrorKind::BrokenPipe => (Kind::ConnectionClosed, Delivery::MaybeSent),
        // ureq resolves with the standard library, whose lookup failures
        // carry no kind of their own, only this text; resolution always
        // precedes connecting, so nothing was sent.
        _ if io.raw_os_error().is_none()
            && io
                .to_string()
                .starts_with("failed to lookup address information") =>
        {
            (Kind::Dns, Delivery::NotSent)
        }
        _ => (Kind::Io, Delivery::MaybeSent),
    }
}
