use http::{Method, Response};

use super::{Operation, OperationKind, PathBuilder, sealed, write_job_path};
use crate::Error;
use crate::model::InstanceId;
use crate::response::{Parts, parse_enveloped};

/// cancelJob: cancel a job that has not started (`PATCH /api/v1/jobs/{id}/cancel`).
///
/// The service answers 901 for a job that is not pending (or does not exist).
///
/// ```
/// use wsc_core::sans_io::{CancelJob, prepare};
/// use wsc_core::{Endpoint, InstanceId};
/// let request = prepare(&CancelJob::new(InstanceId::new(42)?), &Endpoint::default_public())?;
/// assert_eq!((request.method().as_str(), request.request_target()), ("PATCH", "/api/v1/jobs/42/cancel"));
/// # Ok::<(), wsc_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancelJob {
    /// The job to cancel.
    id: InstanceId,
}

impl CancelJob {
    /// Cancels `id`.
    pub fn new(id: InstanceId) -> Self {
        Self { id }
    }

    /// The job this acts on.
    pub fn id(&self) -> InstanceId {
        self.id
    }
}

impl sealed::Request for CancelJob {
    fn method(&self) -> Method {
        Method::PATCH
    }

    fn write_path(&self, out: &mut PathBuilder) {
        write_job_path(out, self.id, "cancel");
    }

    fn body(&self) -> Vec<u8> {
        Vec::new()
    }
}

impl Operation for CancelJob {
    type Output = ();
    const KIND: OperationKind = OperationKind::CancelJob;

    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<(), Error> {
        parse_enveloped::<serde::de::IgnoredAny>(&Parts::of(response), false).map(drop)
    }
}
