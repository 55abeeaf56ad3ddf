//! The core's failures as one exception, `NativeError(kind, message,
//! details)`; `ncloud_wsc` raises the class `kind` names. `details` always
//! holds `retryable`: the core's own answer ([`wsc_core::Error::retry_advice`])
//! for the kind of call that failed.

use pyo3::prelude::*;
use serde_json::{Value, json};
use wsc_core::error::{BuildError, RetryAdvice};
use wsc_core::sans_io::OperationKind;
use wsc_core::{CreateOutcome, Error, InvalidInput, NotStartedReason, Unidentified};

use crate::NativeError;
use crate::convert::{job_json, value};

/// The exception for `kind`, `message` and `details`.
pub(crate) fn native(py: Python<'_>, kind: &str, message: String, details: Value) -> PyErr {
    match value(py, &details) {
        Ok(details) => NativeError::new_err((kind.to_owned(), message, details)),
        Err(e) => e,
    }
}

/// A failed call of kind `op`.
pub(crate) fn call(py: Python<'_>, error: &Error, op: OperationKind) -> PyErr {
    let retryable = matches!(error.retry_advice(op), RetryAdvice::Safe(_));
    let message = error.to_string();
    match error {
        Error::InvalidInput(_) => native(py, "invalid_input", message, json!({"retryable": false})),
        Error::Gateway(g) => native(
            py,
            "gateway",
            message,
            json!({"retryable": retryable, "status": g.status.as_u16(), "code": g.code.as_str()}),
        ),
        Error::Service(s) => native(
            py,
            "service",
            message,
            json!({"retryable": retryable, "status": s.status.as_u16(), "code": s.code.as_str()}),
        ),
        Error::Transport(t) => native(
            py,
            "transport",
            message,
            json!({"retryable": retryable, "may_have_reached_service": error.may_have_reached_service(), "kind": format!("{:?}", t.kind)}),
        ),
        other => native(
            py,
            "unexpected",
            other.to_string(),
            json!({"retryable": retryable, "status": other.http_status().map(|s| s.as_u16())}),
        ),
    }
}

/// Bad input from the caller (also a `ValueError` in Python).
pub(crate) fn invalid(py: Python<'_>, error: &InvalidInput) -> PyErr {
    native(
        py,
        "invalid_input",
        error.to_string(),
        json!({"retryable": false}),
    )
}

/// A client that could not be configured or built.
pub(crate) fn build(py: Python<'_>, error: &BuildError) -> PyErr {
    native(py, "config", error.to_string(), json!({"retryable": false}))
}

/// A create that did not end with its job identified: `NotStarted` (nothing
/// billed) or `MayHaveStarted` (look before creating it again).
pub(crate) fn create(py: Python<'_>, outcome: &CreateOutcome, url: &str) -> PyErr {
    let tag = outcome.tag().map(|t| t.to_string());
    let look = match &tag {
        Some(tag) => format!(
            "search_jobs(url={url:?}) and look for the job whose memo ends with {tag} before creating it again"
        ),
        None => format!("search_jobs(url={url:?}) before creating it again"),
    };
    match outcome {
        CreateOutcome::NotStarted { reason, error, .. } => {
            let reason = match reason {
                NotStartedReason::NotSent => "not_sent",
                NotStartedReason::NeverArrived => "never_arrived",
                NotStartedReason::Refused => "refused",
            };
            let retryable = !matches!(error, Error::InvalidInput(_)) && reason != "refused";
            native(
                py,
                "not_started",
                format!("no scan was started: {error}"),
                json!({"retryable": retryable, "reason": reason, "tag": tag}),
            )
        }
        CreateOutcome::Unidentified {
            why, lost_reply, ..
        } => {
            let (reason, candidates) = match why {
                Unidentified::NotListed => ("not_listed", Vec::new()),
                Unidentified::Ambiguous(jobs) => ("ambiguous", jobs.iter().map(job_json).collect()),
                Unidentified::ListingFailed(_) => ("listing_failed", Vec::new()),
            };
            let started = match lost_reply {
                Some(e) => format!("the scan may have started (the reply was lost: {e})"),
                None => "a scan started".to_owned(),
            };
            native(
                py,
                "may_have_started",
                format!("{started}, and its job could not be named ({reason}); {look}"),
                json!({"retryable": false, "reason": reason, "tag": tag, "candidates": candidates}),
            )
        }
        CreateOutcome::Identified { .. } => native(
            py,
            "unexpected",
            "the job was identified".into(),
            json!({"retryable": false}),
        ),
    }
}
