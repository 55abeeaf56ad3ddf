//! ureq's errors in the core's terms: above all, whether the request may have
//! reached the service (which decides whether a billed createJob may be sent
//! again). The original error is kept as the source.

use std::io::ErrorKind;

use wsc_core::transport::{Delivery, TransportError, TransportFailureKind as Kind};

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
        // Raised before any byte of the request is written: an unusable name
        // or TLS configuration (ureq makes the rustls connection before
        // connecting it), a certificate file, or https required.
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
    // rustls' errors arrive wrapped in an I/O error, from the handshake and
    // from reading the response alike.
    if let Some(tls) = io
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return (Kind::Tls, wsc_rustls::handshake_delivery(tls));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::time::Duration;

    fn wrapped(error: rustls::Error) -> ureq::Error {
        ureq::Error::Io(io::Error::new(io::ErrorKind::InvalidData, error))
    }

    #[test]
    fn only_handshake_errors_prove_nothing_was_sent() {
        let t = Duration::from_secs(1);
        let untrusted = wrapped(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ));
        assert_eq!(classify(untrusted, t).delivery, Delivery::NotSent);
        let incompatible = wrapped(rustls::Error::PeerIncompatible(
            rustls::PeerIncompatible::Tls13RequiredForQuic,
        ));
        assert_eq!(classify(incompatible, t).delivery, Delivery::NotSent);
        for after in [
            rustls::Error::DecryptError,
            rustls::Error::AlertReceived(rustls::AlertDescription::BadRecordMac),
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            rustls::Error::General("record overflow".into()),
        ] {
            let e = classify(wrapped(after.clone()), t);
            assert_eq!(e.delivery, Delivery::MaybeSent, "{after:?}");
            assert_eq!(e.kind, Kind::Tls, "{after:?}");
        }
    }
}
