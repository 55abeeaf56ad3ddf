//! Exit codes and the one-line error + hint the user sees.

use wsc_core::Error;
use wsc_core::error::{GatewayErrorKind, ServiceErrorKind};
use wsc_core::sans_io::OperationKind;
use wsc_core::transport::TransportFailureKind;

/// Success.
pub const OK: u8 = 0;
/// Any other error.
pub const OTHER: u8 = 1;
/// Bad usage or input.
pub const USAGE: u8 = 2;
/// `wait` timed out.
pub const WAIT_TIMEOUT: u8 = 3;
/// Missing credentials or authentication failed.
pub const AUTH: u8 = 4;
/// API or service error.
pub const API: u8 = 5;
/// The job ended failed, cancelled, stopped or expired.
pub const JOB_ENDED_BADLY: u8 = 6;
/// Could not reach the service.
pub const UNREACHABLE: u8 = 7;
/// Findings at or above `--fail-on`.
pub const FINDINGS: u8 = 10;
/// Interrupted by Ctrl-C (SIGTERM exits 143).
pub const INTERRUPTED: u8 = 130;
/// Standard output was closed (`wsc list | head`): quiet, as for `SIGPIPE`.
pub const BROKEN_PIPE: u8 = 141;

/// The other reason a call on job `id` is refused.
fn no_such_job(id: Option<&str>) -> String {
    format!(
        "job {} may not exist (ids are per account and site: check the id, --profile and --site/--endpoint);",
        id.unwrap_or("ID")
    )
}

/// A failure ready to show: one line, an optional hint, an exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
    pub hint: Option<String>,
    /// Print nothing (a closed pipe).
    pub silent: bool,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: None,
            silent: false,
        }
    }

    /// A failure that prints nothing.
    pub fn silent(mut self) -> Self {
        self.silent = true;
        self
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(USAGE, message)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A configuration that could not be resolved: credentials, profile or
    /// endpoint.
    pub fn from_config_error(error: &wsc_core::config::ConfigError) -> Self {
        Self::new(AUTH, error.to_string()).hint(
            "run `wsc configure`, or set NCLOUD_ACCESS_KEY_ID and NCLOUD_SECRET_ACCESS_KEY (secret via --secret-key-stdin)",
        )
    }

    /// Maps a library error to a code and a hint, knowing which operation
    /// (and job id) it came from. A refused job call may name a job that does
    /// not exist here: the service answers the same for an id of another
    /// account or site, so the hint says so.
    pub fn from_error(error: &Error, op: Option<OperationKind>, id: Option<&str>) -> Self {
        let see_job = || match id {
            Some(id) => format!("see `wsc get {id}`"),
            None => "see `wsc list`".to_owned(),
        };
        let message = error.to_string();
        // Core's answer for this kind of call (a read when none is named).
        let retry_is_safe = || {
            error
                .retry_advice(op.unwrap_or(OperationKind::ListJobs))
                .is_safe()
        };
        match error {
            Error::InvalidInput(_) => Self::usage(message),
            Error::Gateway(g) => match g.kind() {
                GatewayErrorKind::AuthenticationFailed => Self::new(AUTH, message)
                    .hint("check the access key and secret key, and your clock: the gateway allows ±5 minutes"),
                GatewayErrorKind::PermissionDenied | GatewayErrorKind::Forbidden => Self::new(AUTH, message)
                    .hint("the key lacks permission: a sub account needs the NCP_WEB_SECURITY_CHECKER_MANAGER policy"),
                GatewayErrorKind::QuotaExceeded => Self::new(API, message).hint("the API quota is used up; try later or raise the quota"),
                GatewayErrorKind::ThrottleLimited | GatewayErrorKind::RateLimited => {
                    Self::new(API, message).hint("the gateway is throttling; retry later or raise --retries")
                }
                GatewayErrorKind::NotFound => Self::new(API, message).hint("check --endpoint: it should be the WSC base URL"),
                // The same request would fail the same way: say what to change.
                GatewayErrorKind::BadRequest => Self::new(API, message)
                    .hint("the gateway refused the request as malformed: check the values given (URLs, --header, --from-file) and --endpoint"),
                GatewayErrorKind::RequestTooLarge => Self::new(API, message)
                    .hint("the request is too large: fewer or shorter --exclude and --header values, or a shorter memo"),
                _ if op == Some(OperationKind::CreateJob) => Self::new(API, message)
                    .hint("the scan may have started: run `wsc recover` (or `wsc list`) before creating it again"),
                // "Try again" only where core's policy says a retry is safe.
                _ if retry_is_safe() => Self::new(API, message)
                    .hint("the service had a temporary problem (retried, see --retries); try again later"),
                _ => Self::new(API, message).hint("the gateway refused the call, and sending it again as it is would not help; -vv shows the exchange"),
            },
            Error::Service(s) => match (s.kind(), op) {
                (ServiceErrorKind::ApiCallFail, Some(OperationKind::StopJob)) => Self::new(API, message)
                    .hint(format!("the job is not running, or {} {}", no_such_job(id), see_job())),
                (ServiceErrorKind::ApiCallFail, Some(OperationKind::CancelJob)) => Self::new(API, message)
                    .hint(format!("only a job that has not started can be cancelled, or {} {}", no_such_job(id), see_job())),
                (ServiceErrorKind::ApiCallFail, Some(OperationKind::GetReport)) => Self::new(API, message)
                    .hint(format!("reports exist only for completed jobs, or {} {}", no_such_job(id), see_job())),
                (ServiceErrorKind::ApiCallFail, Some(OperationKind::CreateJob)) => Self::new(API, message)
                    .hint("the scan was refused: check the URL (hosted on NCP), the WSC subscription and --rescan-of"),
                (ServiceErrorKind::ApiCallFail, _) => {
                    Self::new(API, message).hint("the service refused the call (invalid input or temporarily unavailable)")
                }
                (ServiceErrorKind::AuthCheck | ServiceErrorKind::UserCheck, _) => Self::new(AUTH, message)
                    .hint("the account cannot use Web Security Checker: check the subscription and permissions"),
                _ => Self::new(API, message),
            },
            Error::UnexpectedResponse(_) => Self::new(API, message)
                .hint("the response was not the API's; check --endpoint and any proxy (-vv shows more)"),
            Error::Transport(t) => {
                let hint = match t.kind {
                    TransportFailureKind::Tls => "TLS failed: check the endpoint's certificate and any intercepting proxy",
                    TransportFailureKind::Dns | TransportFailureKind::Connect | TransportFailureKind::ConnectTimeout => {
                        "check your network, proxy settings (HTTPS_PROXY/NO_PROXY) and --endpoint"
                    }
                    _ if op == Some(OperationKind::CreateJob) => {
                        "the scan may have started: check `wsc list` before creating it again"
                    }
                    TransportFailureKind::BodyTooLarge => {
                        "the response passed the 16 MiB limit: check --endpoint and any proxy"
                    }
                    TransportFailureKind::Timeout if retry_is_safe() => {
                        "the service did not answer in time; try again, or raise --timeout"
                    }
                    _ if retry_is_safe() => "the network or service is unavailable; try again",
                    _ => "the network or service failed after the request may have arrived: check the job's state before sending it again",
                };
                Self::new(UNREACHABLE, message).hint(hint)
            }
            _ => Self::new(OTHER, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wsc_core::ListJobs;
    use wsc_core::sans_io::Operation;

    fn gateway(status: u16, code: &str) -> Error {
        let body = format!(r#"{{"error":{{"errorCode":"{code}","message":"m"}}}}"#);
        let response = wsc_core::http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(wsc_core::bytes::Bytes::from(body))
            .unwrap();
        ListJobs::default().parse_response(&response).unwrap_err()
    }

    /// "Try again" exactly where core's retry advice says a retry is safe.
    #[test]
    fn try_again_only_when_core_says_a_retry_is_safe() {
        for (status, code) in [
            (503, "500"),
            (504, "510"),
            (500, "900"),
            (418, "777"),
            (401, "200"),
            (400, "100"),
            (429, "400"),
        ] {
            let error = gateway(status, code);
            for op in [
                OperationKind::ListJobs,
                OperationKind::CancelJob,
                OperationKind::CreateJob,
            ] {
                let hint = Failure::from_error(&error, Some(op), Some("1"))
                    .hint
                    .unwrap_or_default();
                let says_retry = hint.contains("try again");
                assert_eq!(
                    says_retry,
                    error.retry_advice(op).is_safe(),
                    "{status}/{code} {op:?}: {hint}"
                );
            }
        }
    }
}
