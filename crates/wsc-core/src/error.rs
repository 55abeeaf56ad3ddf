//! The one error type of the core, and the context structs it carries.
//!
//! Actionable failures are enum variants with a context struct (smithy-rs RFC 0022
//! style); the enum is `#[non_exhaustive]` so new classes can be added without a
//! breaking change. Every `Display` is one line and never contains a secret key, a
//! signature or a createJob `Headers` value: server-supplied text is shortened and
//! stripped of control characters before it is stored.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::StatusCode;

pub use crate::invalid_input::InvalidInput;

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
    /// use wsc_core::error::{Delivery, TransportError, TransportFailureKind};
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

/// The code in an error body: the wire sends it as a number (service) or a
/// string (gateway); both are kept as text and compared by value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode(String);

impl ErrorCode {
    pub(crate) fn new(code: String) -> Self {
        Self(code)
    }

    /// The code as the wire sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as an integer when it is one.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The documented API gateway error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayErrorKind {
    /// 400 / 100 Bad Request Exception.
    BadRequest,
    /// 401 / 200 Authentication Failed (wrong keys or a clock off by more than 5 minutes).
    AuthenticationFailed,
    /// 401 / 210 Permission Denied.
    PermissionDenied,
    /// 403 / 230 Forbidden.
    Forbidden,
    /// 404 / 300 Not Found Exception.
    NotFound,
    /// 413 / 430 Request Entity Too Large.
    RequestTooLarge,
    /// 429 / 400 Quota Exceeded (a quota, not a rate: never retried).
    QuotaExceeded,
    /// 429 / 410 Throttle Limited.
    ThrottleLimited,
    /// 429 / 420 Rate Limited.
    RateLimited,
    /// 503 / 500 Endpoint Error.
    EndpointError,
    /// 504 / 510 Endpoint Timeout.
    EndpointTimeout,
    /// 500 / 900 Unexpected Error.
    UnexpectedError,
    /// A code the gateway table does not list.
    Other,
}

impl GatewayErrorKind {
    /// Maps a gateway code to its kind.
    pub(crate) fn from_code(code: &ErrorCode) -> Self {
        match code.as_u64() {
            Some(100) => Self::BadRequest,
            Some(200) => Self::AuthenticationFailed,
            Some(210) => Self::PermissionDenied,
            Some(230) => Self::Forbidden,
            Some(300) => Self::NotFound,
            Some(430) => Self::RequestTooLarge,
            Some(400) => Self::QuotaExceeded,
            Some(410) => Self::ThrottleLimited,
            Some(420) => Self::RateLimited,
            Some(500) => Self::EndpointError,
            Some(510) => Self::EndpointTimeout,
            Some(900) => Self::UnexpectedError,
            _ => Self::Other,
        }
    }

    /// Whether a code is one of the gateway's (as opposed to the WSC service's).
    pub(crate) fn is_gateway_code(code: &ErrorCode) -> bool {
        !matches!(Self::from_code(code), Self::Other)
    }

    /// True when the gateway answers before forwarding to the service.
    pub(crate) fn rejected_before_routing(self) -> bool {
        matches!(
            self,
            Self::BadRequest
                | Self::AuthenticationFailed
                | Self::PermissionDenied
                | Self::Forbidden
                | Self::NotFound
                | Self::RequestTooLarge
                | Self::QuotaExceeded
                | Self::ThrottleLimited
                | Self::RateLimited
        )
    }
}

/// When the server asked the client to come back (`Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    Delay(Duration),
    /// `Retry-After: <HTTP-date>`.
    At(SystemTime),
}

impl RetryAfter {
    /// Parses a `Retry-After` header value; `None` when it is neither form.
    pub(crate) fn parse(value: &[u8]) -> Option<Self> {
        let text = std::str::from_utf8(value).ok()?.trim();
        if let Ok(secs) = text.parse::<u64>() {
            return Some(Self::Delay(Duration::from_secs(secs)));
        }
        httpdate::parse_http_date(text).ok().map(Self::At)
    }

    /// The delay this asks for, counted from `now`.
    pub fn delay_from(self, now: SystemTime) -> Duration {
        match self {
            Self::Delay(d) => d,
            Self::At(t) => t.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

/// A refusal from the NCP API gateway.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("API gateway refused the request: HTTP {}, code {code} {message}{}", status.as_u16(), details.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
pub struct GatewayError {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// The gateway's `errorCode`.
    pub code: ErrorCode,
    /// The gateway's `message` (shortened, control characters removed).
    pub message: String,
    /// The gateway's optional `details`.
    pub details: Option<String>,
    /// The server's `Retry-After`, if it sent one.
    pub retry_after: Option<RetryAfter>,
}

impl GatewayError {
    /// The documented meaning of [`GatewayError::code`].
    pub fn kind(&self) -> GatewayErrorKind {
        GatewayErrorKind::from_code(&self.code)
    }
}

/// The documented WSC service error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServiceErrorKind {
    /// 901 API Call Fail: temporarily unavailable, or an id in the wrong state / unknown.
    ApiCallFail,
    /// 169201 Auth Check Error: no permission to use WSC.
    AuthCheck,
    /// 169202 User Check Error: the account could not be verified.
    UserCheck,
    /// 160331 ActionURL Check Error.
    ActionUrlCheck,
    /// 160332 Param Check Error.
    ParamCheck,
    /// 160351 Login_Check_Fail.
    LoginCheckFail,
    /// 160353 URL Connection Error.
    UrlConnection,
    /// Any other code.
    Other,
}

impl ServiceErrorKind {
    /// Maps a service code to its kind.
    pub(crate) fn from_code(code: &ErrorCode) -> Self {
        match code.as_u64() {
            Some(901) => Self::ApiCallFail,
            Some(169201) => Self::AuthCheck,
            Some(169202) => Self::UserCheck,
            Some(160331) => Self::ActionUrlCheck,
            Some(160332) => Self::ParamCheck,
            Some(160351) => Self::LoginCheckFail,
            Some(160353) => Self::UrlConnection,
            _ => Self::Other,
        }
    }
}

/// An error reported by the Web Security Checker service itself.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Web Security Checker error: code {code} {message} (HTTP {})", status.as_u16())]
pub struct ServiceError {
    /// HTTP status of the response (200 in older docs, 400/401 in newer ones).
    pub status: StatusCode,
    /// The service's `errorCode` (or a non-zero `returnCode`).
    pub code: ErrorCode,
    /// The service's `message` (shortened, control characters removed).
    pub message: String,
}

impl ServiceError {
    /// The documented meaning of [`ServiceError::code`].
    pub fn kind(&self) -> ServiceErrorKind {
        ServiceErrorKind::from_code(&self.code)
    }
}

/// A response that is none of the shapes the service is known to send.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unexpected response (HTTP {}{}): {reason}{}; body starts: {excerpt:?}",
    status.as_u16(),
    content_type.as_deref().map(|c| format!(", {c}")).unwrap_or_default(),
    json_path.as_deref().map(|p| format!(" at `{p}`")).unwrap_or_default())]
pub struct UnexpectedResponse {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// Its `Content-Type`, if any.
    pub content_type: Option<String>,
    /// What was wrong.
    pub reason: String,
    /// The JSON path at which typed parsing failed, if it got that far.
    pub json_path: Option<String>,
    /// The first characters of the body, control characters escaped.
    pub excerpt: String,
}

/// Longest server-supplied message kept in an error.
const MAX_MESSAGE_CHARS: usize = 200;
/// Longest body excerpt kept in an error.
pub(crate) const MAX_EXCERPT_CHARS: usize = 120;

/// Shortens server-supplied text and drops control characters so that an error
/// stays one line and a hostile body cannot inject terminal escapes.
pub(crate) fn sanitize_server_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE_CHARS));
    for (i, c) in text.chars().enumerate() {
        if i == MAX_MESSAGE_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out.trim().to_owned()
}

/// A short, printable excerpt of a body (lossy UTF-8, control characters
/// escaped, secrets masked: a JSON body goes through
/// [`redact_json`](crate::redact::redact_json); other text, such as a
/// truncated body, is cut where it first names a secret field).
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut value) => {
            crate::redact::redact_json(&mut value);
            value.to_string()
        }
        Err(_) => {
            let mut text = String::from_utf8_lossy(body).into_owned();
            if let Some(at) = crate::redact::first_secret_name(&text) {
                text.truncate(at);
                text.push_str("[the rest is not shown: it may hold a secret]");
            }
            text
        }
    };
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_EXCERPT_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('�'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
