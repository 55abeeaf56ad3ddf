//! The one error type of the core, and the context structs it carries.
//!
//! Actionable failures are enum variants with a context struct (smithy-rs RFC 0022
//! style); the enum is `#[non_exhaustive]` so new classes can be added without a
//! breaking change. Every `Display` is one line and never contains a secret key, a
//! signature or a createJob `Headers` value: server-supplied text is shortened and
//! stripped of control characters before it is stored.

pub(crate) use crate::invalid_input::InvalidInput;
pub use crate::retry::{GiveUpReason, RetryAdvice, RetryReason};
pub use build::BuildError;
pub use gateway::{ErrorCode, GatewayError, GatewayErrorKind, RetryAfter};
pub use journal::JournalError;
pub use service::{ServiceError, ServiceErrorKind, UnexpectedResponse};
pub(crate) use text::{body_excerpt, sanitize_server_text};
pub(crate) use transport::{Delivery, TransportError, TransportFailureKind};

mod build;
mod gateway;
mod journal;
mod service;
mod text;
pub(crate) mod top;
pub(crate) mod transport;

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
