//! The one error type of the core: what every call returns.

use http::StatusCode;

use crate::error::{
    Delivery, GatewayError, InvalidInput, JournalError, ServiceError, TransportError,
    UnexpectedResponse,
};

/// Everything that can go wrong in the core: bad input, a refusal from the API
/// gateway, an error from the WSC service, a response that could not be understood,
/// or a failed exchange. What can only go wrong while a client is configured
/// and built is a [`BuildError`](crate::error::BuildError) instead, returned
/// by the builders and never by a call.
///
/// For a billed call, [`Error::may_have_reached_service`] is the question
/// that matters: `false` proves no scan was started.
///
/// ```
/// use wsc_core::transport::{Delivery, TransportError, TransportFailureKind};
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
    /// The HTTP exchange itself failed (reported by a transport).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The client's [`CreateJournal`](crate::journal::CreateJournal) could
    /// not record a create, so it was not sent.
    #[error(transparent)]
    Journal(#[from] JournalError),
}

impl Error {
    /// Whether the request may have been acted on by the WSC service.
    ///
    /// `false` only when the failure proves the service never saw it: invalid
    /// input, configuration, or a gateway refusal that happens before routing
    /// (authentication, permission, quota, throttling, size, unknown route).
    pub fn may_have_reached_service(&self) -> bool {
        match self {
            Error::InvalidInput(_) | Error::Journal(_) => false,
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
            Error::InvalidInput(_) | Error::Transport(_) | Error::Journal(_) => None,
        }
    }
}
