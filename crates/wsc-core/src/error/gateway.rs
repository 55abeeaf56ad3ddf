//! Refusals from the NCP API gateway, and when it asks to come back.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::StatusCode;

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
