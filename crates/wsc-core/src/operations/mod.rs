//! The six WSC operations: one file each, holding the typed input (validated on
//! construction), how its request is built, and how its response is parsed.
//!
//! [`prepare`] turns an operation into a [`PreparedRequest`] (method, absolute
//! URI, body) once; [`PreparedRequest::sign`] stamps it with a timestamp and
//! credentials, so a transport can re-sign every retry without rebuilding.

mod cancel_job;
mod create_job;
mod get_report;
mod list_jobs;
mod search_jobs;
mod stop_job;

use std::fmt;

use http::{Method, Request, Response, Uri};

pub use cancel_job::CancelJob;
pub use create_job::{
    CreateJob, CreateJobBuilder, CreatedJob, DOCUMENTED_VULN_ITEMS, Speed, UserAgent,
    documented_vuln_item,
};
pub use get_report::GetReport;
pub use list_jobs::ListJobs;
pub use search_jobs::{SearchBy, SearchJobs};
pub use stop_job::StopJob;

use crate::signing::{self, TimestampMs};
use crate::{Credentials, Endpoint, Error};

/// Which operation a request is; what retry and logging decisions key on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OperationKind {
    /// getJobs.
    ListJobs,
    /// searchJobs.
    SearchJobs,
    /// createJob (billed, starts a scan).
    CreateJob,
    /// cancelJob.
    CancelJob,
    /// stopJob.
    StopJob,
    /// getReport.
    GetReport,
}

impl OperationKind {
    /// The API's name for the operation (`getJobs`, `createJob`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::ListJobs => "getJobs",
            Self::SearchJobs => "searchJobs",
            Self::CreateJob => "createJob",
            Self::CancelJob => "cancelJob",
            Self::StopJob => "stopJob",
            Self::GetReport => "getReport",
        }
    }

    /// True for operations that only read.
    pub fn is_read(self) -> bool {
        matches!(self, Self::ListJobs | Self::SearchJobs | Self::GetReport)
    }

    /// True for the billed operation that must never be sent twice by accident.
    pub fn is_billed(self) -> bool {
        matches!(self, Self::CreateJob)
    }
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One WSC operation: what to send and how to read the answer.
///
/// Implemented by [`ListJobs`], [`SearchJobs`], [`CreateJob`], [`CancelJob`],
/// [`StopJob`] and [`GetReport`].
pub trait Operation {
    /// The typed result of a successful call.
    type Output;

    /// Which operation this is.
    const KIND: OperationKind;

    /// The HTTP method.
    fn method(&self) -> Method;

    /// Appends the path and query below `/api/v1` (starting with `/`) to `out`.
    fn write_path(&self, out: &mut PathBuilder);

    /// The request body (empty for none).
    fn body(&self) -> Vec<u8>;

    /// Parses a response into the output or a typed error.
    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>)
    -> Result<Self::Output, Error>;
}

/// A small stack buffer that operations write their path and query into,
/// so building a request costs no allocation for it.
pub struct PathBuilder {
    buf: [u8; 256],
    len: usize,
    overflow: bool,
}

impl PathBuilder {
    fn new() -> Self {
        Self {
            buf: [0; 256],
            len: 0,
            overflow: false,
        }
    }

    /// Appends `s`; text beyond 256 bytes makes [`prepare`] fail cleanly.
    pub fn push_str(&mut self, s: &str) {
        let end = self.len + s.len();
        if end > self.buf.len() {
            self.overflow = true;
            return;
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
    }

    /// What was written so far, as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// What was written so far.
    pub fn as_str(&self) -> &str {
        // Only whole `&str`s are copied in, so the bytes are valid UTF-8.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// An operation that returns one page of jobs and can ask for any page
/// (getJobs, searchJobs): what "iterate all pages" helpers walk.
pub trait Paged: Operation<Output = crate::JobPage> + Clone {
    /// The same query for `page`.
    fn at_page(&self, page: crate::PageNumber) -> Self;
    /// The page this query asks for.
    fn page_number(&self) -> crate::PageNumber;
}

impl Paged for ListJobs {
    fn at_page(&self, page: crate::PageNumber) -> Self {
        Self { page, ..*self }
    }
    fn page_number(&self) -> crate::PageNumber {
        self.page
    }
}

impl Paged for SearchJobs {
    fn at_page(&self, page: crate::PageNumber) -> Self {
        self.with_page(page)
    }
    fn page_number(&self) -> crate::PageNumber {
        self.page()
    }
}

/// A request ready to be signed: built once per logical call, signed once per attempt.
#[derive(Clone)]
pub struct PreparedRequest {
    kind: OperationKind,
    method: Method,
    uri: Uri,
    body: Vec<u8>,
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may hold createJob `Headers` (target-site secrets): never print it.
        f.debug_struct("PreparedRequest")
            .field("kind", &self.kind)
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl PreparedRequest {
    /// The operation.
    pub fn kind(&self) -> OperationKind {
        self.kind
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The absolute URI.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The request-target exactly as sent on the wire and signed.
    pub fn request_target(&self) -> &str {
        self.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
    }

    /// The body (may contain createJob `Headers` secrets).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The string-to-sign for `timestamp`, for diagnostics.
    pub fn string_to_sign(&self, credentials: &Credentials, timestamp: TimestampMs) -> String {
        signing::string_to_sign(
            &self.method,
            self.request_target(),
            timestamp,
            credentials.access_key(),
        )
    }

    /// A complete signed `http::Request` for one attempt (the prepared
    /// request stays, ready for the next attempt).
    pub fn sign(&self, credentials: &Credentials, timestamp: TimestampMs) -> Request<Vec<u8>> {
        self.clone().into_signed(credentials, timestamp)
    }

    /// Consumes the prepared request into a signed one (no copies).
    pub fn into_signed(
        self,
        credentials: &Credentials,
        timestamp: TimestampMs,
    ) -> Request<Vec<u8>> {
        let (ts, signature) =
            signing::signed_values(&self.method, self.request_target(), timestamp, credentials);
        let mut request = Request::new(self.body);
        *request.method_mut() = self.method;
        *request.uri_mut() = self.uri;
        let headers = request.headers_mut();
        headers.reserve(5);
        signing::insert_auth_headers(headers, ts, credentials.access_key_header(), signature);
        request
    }
}

/// Builds the unsigned request of `operation` against `endpoint`.
pub fn prepare<O: Operation>(operation: &O, endpoint: &Endpoint) -> Result<PreparedRequest, Error> {
    let mut path = PathBuilder::new();
    operation.write_path(&mut path);
    if path.overflow {
        return Err(crate::InvalidInput::new("request path", "is longer than 256 bytes").into());
    }
    let target = endpoint.request_target(path.as_bytes())?;
    let uri = endpoint.uri_for(target)?;
    Ok(PreparedRequest {
        kind: O::KIND,
        method: operation.method(),
        uri,
        body: operation.body(),
    })
}

/// Builds and signs `operation` in one step.
///
/// ```
/// use wsc_core::{operations::{build_request, ListJobs}, Credentials, Endpoint, Site, TimestampMs};
/// let creds = Credentials::new("C9zxQyBQVqcRNQmcAXKn", "NDgSdssXg4RiMMN1f5dqIe775GJXzSe8hWpd2X3g").unwrap();
/// let req = build_request(&ListJobs::default(), &Endpoint::from_site(Site::Public), &creds, TimestampMs(1_700_000_000_000)).unwrap();
/// assert_eq!(req.uri(), "https://wsc.apigw.ntruss.com/api/v1/jobs?limit=20&page=1");
/// assert_eq!(req.headers()["x-ncp-iam-access-key"], "C9zxQyBQVqcRNQmcAXKn");
/// ```
pub fn build_request<O: Operation>(
    operation: &O,
    endpoint: &Endpoint,
    credentials: &Credentials,
    timestamp: TimestampMs,
) -> Result<Request<Vec<u8>>, Error> {
    Ok(prepare(operation, endpoint)?.into_signed(credentials, timestamp))
}

/// Appends `/jobs/{id}/{action}`: the path shape of cancel, stop and report.
fn write_job_path(out: &mut PathBuilder, id: crate::InstanceId, action: &str) {
    let mut buf = itoa::Buffer::new();
    out.push_str("/jobs/");
    out.push_str(buf.format(id.get()));
    out.push_str("/");
    out.push_str(action);
}
