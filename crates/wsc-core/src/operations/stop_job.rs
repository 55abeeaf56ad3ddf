use http::{Method, Response};

use super::{Operation, OperationKind, PathBuilder, sealed, write_job_path};
use crate::Error;
use crate::model::InstanceId;
use crate::response::{Parts, parse_enveloped};

/// stopJob: stop a running job (`PATCH /api/v1/jobs/{id}/stop`).
///
/// The service answers 901 for a job that is not running (or does not exist).
///
/// ```
/// use wsc_core::sans_io::{StopJob, prepare};
/// use wsc_core::{Endpoint, InstanceId};
/// let request = prepare(&StopJob::new(InstanceId::new(42)?), &Endpoint::default_public())?;
/// assert_eq!((request.method().as_str(), request.request_target()), ("PATCH", "/api/v1/jobs/42/stop"));
/// # Ok::<(), wsc_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopJob {
    /// The job to stop.
    id: InstanceId,
}

impl StopJob {
    /// Stops `id`.
    pub fn new(id: InstanceId) -> Self {
        Self { id }
    }

    /// The job this acts on.
    pub fn id(&self) -> InstanceId {
        self.id
    }
}

impl sealed::Request for StopJob {
    fn method(&self) -> Method {
        Method::PATCH
    }

    fn write_path(&self, out: &mut PathBuilder) {
        write_job_path(out, self.id, "stop");
    }

    fn body(&self) -> Vec<u8> {
        Vec::new()
    }
}

impl Operation for StopJob {
    type Output = ();
    const KIND: OperationKind = OperationKind::StopJob;

    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<(), Error> {
        parse_enveloped::<serde::de::IgnoredAny>(&Parts::of(response), false).map(drop)
    }
}
