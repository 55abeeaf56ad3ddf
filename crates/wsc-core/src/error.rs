//! The one error type of the core, and the context structs it carries.
//!
//! Actionable failures are enum variants with a context struct (smithy-rs RFC 0022
//! style); the enum is `#[non_exhaustive]` so new classes can be added without a
//! breaking change. Every `Display` is one line and never contains a secret key, a
//! signature or a createJob `Headers` value: server-supplied text is shortened and
//! stripped of control characters before it is stored.

use http::StatusCode;

pub use crate::invalid_input::InvalidInput;
pub use gateway::{ErrorCode, GatewayError, GatewayErrorKind, RetryAfter};
pub use service::{ServiceError, ServiceErrorKind, UnexpectedResponse};
pub(crate) use text::{body_excerpt, sanitize_server_text};
pub use transport::{Delivery, TransportError, TransportFailureKind};

mod gateway;
mod service;
mod text;
mod transport;

/// Everything that can go wrong in the core: bad input, a refusal from the API
/// gateway, an error from the WSC service, a response that could not be understood,
/// or a configuration problem.
///
/// For a billed call, [`Error::may_have_reached_service`] is the question
/// that matters: `false` proves no scan was started.
///
/// ```
/// use wsc_core::error::{Delivery, TransportError, TransportFailureKind};
/// use wsc_core::{Error, InstanceId};
///
/// let refused = Error::Transport(TransportError::new(
///     TransportFailureKind::Connect, Delivery::NotSent, "connection refused"));
/// assert!(!refused.may_have_reached_service());
///
/// let timed_out = Error::Transport(TransportError::new(
///     TransportFailureKind::Timeout, Delivery::MaybeSent, "no response within 30 s"));
/// assert!(timed_out.may_have_reached_service());
///
/// let bad_id: Error = InstanceId::new(0).unwrap_err().into();
/// assert!(matches!(bad_id, Error::InvalidInput(_)) && !bad_id.may_have_reached_service());
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller's input was rejected before anything was built or sent.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// The NCP API gateway refused the request (auth, throttling, routing...).
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    /// The Web Security Checker service answered with an error code.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The response was not one of the shapes the service is known to send.
    #[error(transparent)]
    UnexpectedResponse(#[from] UnexpectedResponse),
    /// Credentials, profile or endpoint could not be resolved.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The HTTP exchange itself failed (reported by a transport).
    #[error(transparent)]
    Transport(#[from] TransportError),
}

impl Error {
    /// Whether the request may have been acted on by the WSC service.
    ///
    /// `false` only when the failure proves the service never saw it: invalid
    /// input, configuration, or a gateway refusal that happens before routing
    /// (authentication, permission, quota, throttling, size, unknown route).
    pub fn may_have_reached_service(&self) -> bool {
        match self {
            Error::InvalidInput(_) | Error::Config(_) => false,
            Error::Gateway(g) => !g.kind().rejected_before_routing(),
            Error::Service(_) | Error::UnexpectedResponse(_) => true,
            Error::Transport(t) => t.delivery == Delivery::MaybeSent,
        }
    }

    /// Whether sending the same call (of kind `operation`) again is safe,
    /// and why: the rule the client's own attempts follow, for a failure it
    /// returned (see [`RetryAdvice`](crate::retry::RetryAdvice), with an
    /// example). A billed createJob is never safe as it is.
    pub fn retry_advice(
        &self,
        operation: crate::operations::OperationKind,
    ) -> crate::retry::RetryAdvice {
        crate::retry::advice(self, operation)
    }

    /// The HTTP status of the response behind this error, if there was one.
    pub fn http_status(&self) -> Option<StatusCode> {
        match self {
            Error::Gateway(g) => Some(g.status),
            Error::Service(s) => Some(s.status),
            Error::UnexpectedResponse(u) => Some(u.status),
            Error::InvalidInput(_) | Error::Config(_) | Error::Transport(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use text::MAX_MESSAGE_CHARS;

    #[test]
    fn excerpts_never_carry_a_login_or_header_value() {
        let whole = br#"{"resources":{"Scan":{"Login_Info":"Cookie: SESSION=abc"}}}"#;
        let excerpt = body_excerpt(whole);
        assert!(!excerpt.contains("SESSION"), "{excerpt}");
        assert!(excerpt.contains("** redacted **"), "{excerpt}");

        let truncated = br#"{"resources":{"Headers":{"Cookie":"SESSION=abc"#;
        let excerpt = body_excerpt(truncated);
        assert!(!excerpt.contains("SESSION"), "{excerpt}");
        assert!(excerpt.starts_with(r#"{"resources":{""#), "{excerpt}");
    }

    #[test]
    fn server_text_is_one_line_and_bounded() {
        let long = "a\nb\u{1b}[31m".repeat(100);
        let clean = sanitize_server_text(&long);
        assert!(!clean.contains('\n') && !clean.contains('\u{1b}'));
        assert!(clean.chars().count() <= MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        assert_eq!(
            RetryAfter::parse(b"7"),
            Some(RetryAfter::Delay(Duration::from_secs(7)))
        );
        let at = RetryAfter::parse(b"Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:30 GMT").unwrap();
        assert_eq!(at.delay_from(now), Duration::from_secs(7));
        assert_eq!(RetryAfter::parse(b"soon"), None);
    }

    #[test]
    fn gateway_codes_are_classified_by_value() {
        for (code, kind) in [
            ("100", GatewayErrorKind::BadRequest),
            ("200", GatewayErrorKind::AuthenticationFailed),
            ("400", GatewayErrorKind::QuotaExceeded),
            ("410", GatewayErrorKind::ThrottleLimited),
            ("420", GatewayErrorKind::RateLimited),
            ("510", GatewayErrorKind::EndpointTimeout),
            ("901", GatewayErrorKind::Other),
        ] {
            assert_eq!(
                GatewayErrorKind::from_code(&ErrorCode::new(code.into())),
                kind,
                "{code}"
            );
        }
    }
}
