//! Classifying ureq's errors for the core's retry policy: above all, whether the
//! request may have reached the service.

use std::io::ErrorKind;

use wsc_core::error::{Delivery, TransportError, TransportFailureKind as Kind};

pub(crate) fn classify(error: &ureq::Error) -> TransportError {
    use ureq::Error as E;
    use ureq::Timeout as T;
    let (kind, delivery) = match error {
        E::HostNotFound => (Kind::Dns, Delivery::NotSent),
        E::ConnectionFailed => (Kind::Connect, Delivery::NotSent),
        E::Timeout(T::Resolve) => (Kind::Dns, Delivery::NotSent),
        E::Timeout(T::Connect) => (Kind::ConnectTimeout, Delivery::NotSent),
        E::Timeout(_) => (Kind::Timeout, Delivery::MaybeSent),
        E::Tls(_) | E::Rustls(_) | E::Pem(_) | E::TlsRequired => (Kind::Tls, Delivery::NotSent),
        E::BodyExceedsLimit(_) => (Kind::BodyTooLarge, Delivery::MaybeSent),
        E::InvalidProxyUrl
        | E::ConnectProxyFailed(_)
        | E::BadUri(_)
        | E::Http(_)
        | E::RequireHttpsOnly(_) => (Kind::InvalidRequest, Delivery::NotSent),
        // A handshake failure arrives as an I/O error wrapping rustls' error.
        E::Io(io)
            if io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>()) =>
        {
            (Kind::Tls, Delivery::NotSent)
        }
        E::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable => {
                (Kind::Connect, Delivery::NotSent)
            }
            ErrorKind::TimedOut | ErrorKind::WouldBlock => (Kind::Timeout, Delivery::MaybeSent),
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::UnexpectedEof
            | ErrorKind::BrokenPipe => (Kind::ConnectionClosed, Delivery::MaybeSent),
            _ => (Kind::Io, Delivery::MaybeSent),
        },
        E::Protocol(_) | E::BodyStalled => (Kind::ConnectionClosed, Delivery::MaybeSent),
        _ => (Kind::Io, Delivery::MaybeSent),
    };
    TransportError::new(kind, delivery, error.to_string())
}
