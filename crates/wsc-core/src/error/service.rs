//! Errors in the WSC service's own words, and responses of no known shape.

use http::StatusCode;

use crate::error::ErrorCode;

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
