use http::{Method, Response};
use serde_json::Value;

use super::{Operation, OperationKind, PathBuilder, sealed, write_job_path};
use crate::Error;
use crate::model::{InstanceId, Report};
use crate::response::{Parts, parse_maybe_enveloped};

/// getReport: the report of a completed job (`GET /api/v1/jobs/{id}/report`).
///
/// The report may come inside the success envelope or bare; both are accepted.
///
/// ```
/// use wsc_core::sans_io::{GetReport, prepare};
/// use wsc_core::{Endpoint, InstanceId};
/// let op = GetReport::new(InstanceId::new(1234567890)?);
/// let request = prepare(&op, &Endpoint::default_public())?;
/// assert_eq!(request.request_target(), "/api/v1/jobs/1234567890/report");
/// # Ok::<(), wsc_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetReport {
    /// The job whose report to fetch.
    id: InstanceId,
}

impl GetReport {
    /// The report of `id`.
    pub fn new(id: InstanceId) -> Self {
        Self { id }
    }

    /// The job this acts on.
    pub fn id(&self) -> InstanceId {
        self.id
    }
}

impl sealed::Request for GetReport {
    fn method(&self) -> Method {
        Method::GET
    }

    fn write_path(&self, out: &mut PathBuilder) {
        write_job_path(out, self.id, "report");
    }

    fn body(&self) -> Vec<u8> {
        Vec::new()
    }
}

impl Operation for GetReport {
    type Output = Report;
    const KIND: OperationKind = OperationKind::GetReport;

    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Report, Error> {
        let parts = Parts::of(response);
        match parse_maybe_enveloped(&parts)? {
            Some(Value::Object(map)) => {
                Report::from_object(map).map_err(|e| parts.unexpected(e, None))
            }
            Some(_) => Err(parts.unexpected("the report is not a JSON object", None)),
            None => Err(parts.unexpected("the response carries no report", None)),
        }
    }
}
