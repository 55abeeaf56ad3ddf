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
mod path;
mod search_jobs;
mod stop_job;

use std::fmt;

use http::{Method, Request, Response, Uri};

pub use cancel_job::CancelJob;
pub use create_job::{
    CreateJob, CreateJobBuilder, CreatedJob, DOCUMENTED_VULN_ITEMS, ScanUserAgent, Speed,
    documented_vuln_item,
};
pub use get_report::GetReport;
pub use list_jobs::ListJobs;
pub use search_jobs::{SearchBy, SearchJobs};
pub use stop_job::StopJob;

use crate::signing::{self, TimestampMs};
use crate::{Credentials, Endpoint, Error};
use path::PathBuilder;

/// Which operation a request is; what retry and logging decisions key on.
///
/// ```
/// use wsc_core::CreateJob;
/// use wsc_core::sans_io::{Operation, OperationKind};
/// assert_eq!(CreateJob::KIND, OperationKind::CreateJob);
/// assert!(OperationKind::CreateJob.is_billed());
/// assert_eq!(OperationKind::ListJobs.name(), "getJobs");
/// ```
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

    /// The operation a request line names, as the gateway routes it, with the
    /// job id in its path (digits only) for the operations on one job; `None`
    /// for anything the API does not have. `target` is the request-target
    /// (path and query); only the path is routed. The one routing table:
    /// the simulators (`wsc-mock`, the `testing` service) route with it, and
    /// a test checks every operation's request routes back to it.
    ///
    /// ```
    /// use wsc_core::http::Method;
    /// use wsc_core::sans_io::OperationKind;
    /// assert_eq!(
    ///     OperationKind::route(&Method::PATCH, "/api/v1/jobs/12/stop"),
    ///     Some((OperationKind::StopJob, Some(12)))
    /// );
    /// assert_eq!(OperationKind::route(&Method::GET, "/api/v1/jobs?limit=5"), Some((OperationKind::ListJobs, None)));
    /// assert_eq!(OperationKind::route(&Method::PATCH, "/api/v1/jobs/x/stop"), None);
    /// ```
    pub fn route(method: &Method, target: &str) -> Option<(Self, Option<u64>)> {
        let path = target.split_once('?').map_or(target, |(path, _)| path);
        let segments: Vec<&str> = path.strip_prefix("/api/v1/")?.split('/').collect();
        let id = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        Some(match (method, segments.as_slice()) {
            (&Method::GET, ["jobs"]) => (Self::ListJobs, None),
            (&Method::POST, ["jobs", "search"]) => (Self::SearchJobs, None),
            (&Method::PUT, ["job"]) => (Self::CreateJob, None),
            (&Method::PATCH, ["jobs", n, "cancel"]) => (Self::CancelJob, Some(id(n)?)),
            (&Method::PATCH, ["jobs", n, "stop"]) => (Self::StopJob, Some(id(n)?)),
            (&Method::GET, ["jobs", n, "report"]) => (Self::GetReport, Some(id(n)?)),
            _ => return None,
        })
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
/// [`StopJob`] and [`GetReport`], and sealed: the API has these six
/// operations, so the trait can gain methods without breaking anyone. Give an
/// operation to a client ([`Client::execute`](crate::client::Client::execute)),
/// to [`prepare`] / [`build_request`], or to a [`Call`](crate::call::Call).
///
/// No other crate can implement it (`Mine` does not implement the sealed
/// supertrait, error E0277; a unit test shows the same implementation
/// compiles inside this crate, with it):
///
/// ```compile_fail,E0277
/// use wsc_core::sans_io::{Operation, OperationKind};
///
/// struct Mine;
/// impl Operation for Mine {
///     type Output = ();
///     const KIND: OperationKind = OperationKind::ListJobs;
///     fn parse_response<B: AsRef<[u8]>>(&self, _: &http::Response<B>) -> Result<(), wsc_core::Error> {
///         Ok(())
///     }
/// }
/// ```
pub trait Operation: sealed::Request {
    /// The typed result of a successful call.
    type Output;

    /// Which operation this is.
    const KIND: OperationKind;

    /// Parses a response into the output or a typed error.
    ///
    /// ```
    /// use wsc_core::ListJobs;
    /// use wsc_core::sans_io::Operation;
    /// let body = r#"{"returnCode":"0","resources":{"total_cnt":0,"total_page_cnt":0,"record_data":[]}}"#;
    /// let page = ListJobs::default().parse_response(&http::Response::new(body))?;
    /// assert!(page.records.is_empty());
    /// # Ok::<(), wsc_core::Error>(())
    /// ```
    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>)
    -> Result<Self::Output, Error>;
}

/// How an operation's request is made: implemented by this crate's six
/// operations only, which is what seals [`Operation`].
pub(crate) mod sealed {
    use http::Method;

    use super::PathBuilder;

    /// The parts of an operation's request [`super::prepare`] assembles.
    pub trait Request {
        /// The HTTP method.
        fn method(&self) -> Method;

        /// Appends the path and query below `/api/v1` (starting with `/`) to `out`.
        fn write_path(&self, out: &mut PathBuilder);

        /// The request body (empty for none).
        fn body(&self) -> Vec<u8>;
    }
}

/// An operation that returns one page of jobs and can ask for any page
/// (getJobs, searchJobs): what "iterate all pages" helpers walk.
/// Sealed, as [`Operation`] is.
pub trait Paged: Operation<Output = crate::JobPage> + Clone {
    /// The same query for `page`.
    fn at_page(&self, page: crate::PageNumber) -> Self;
    /// The page this query asks for.
    fn page_number(&self) -> crate::PageNumber;
}

impl Paged for ListJobs {
    fn at_page(&self, page: crate::PageNumber) -> Self {
        ListJobs::new(self.limit(), page)
    }
    fn page_number(&self) -> crate::PageNumber {
        self.page()
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
///
/// ```
/// use wsc_core::ListJobs;
/// use wsc_core::sans_io::prepare;
/// use wsc_core::{Credentials, Endpoint};
/// use wsc_core::sans_io::TimestampMs;
/// let prepared = prepare(&ListJobs::default(), &Endpoint::default_public())?;
/// let credentials = Credentials::new("AK", "SK")?;
/// let first = prepared.sign(&credentials, TimestampMs(1_700_000_000_000));
/// let retry = prepared.sign(&credentials, TimestampMs(1_700_000_001_000));
/// assert_eq!(first.uri(), retry.uri());
/// assert_ne!(first.headers()["x-ncp-apigw-signature-v2"], retry.headers()["x-ncp-apigw-signature-v2"]);
/// # Ok::<(), wsc_core::Error>(())
/// ```
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
    if path.overflowed() {
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
/// use wsc_core::sans_io::{build_request, TimestampMs};
/// use wsc_core::{Credentials, Endpoint, ListJobs, Site};
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The routing table and the operations' own paths cannot disagree:
    /// every operation's request routes back to that operation (and id).
    #[test]
    fn every_operations_request_routes_back_to_it() {
        fn check<O: Operation>(op: &O, id: Option<u64>) {
            let endpoint = Endpoint::parse("https://wsc.example").unwrap();
            let prepared = prepare(op, &endpoint).unwrap();
            assert_eq!(
                OperationKind::route(prepared.method(), prepared.request_target()),
                Some((O::KIND, id)),
                "{} {}",
                prepared.method(),
                prepared.request_target()
            );
        }
        let job = crate::InstanceId::new(1_234_567_001).unwrap();
        check(&ListJobs::default(), None);
        check(
            &SearchJobs::new(
                SearchBy::All,
                None,
                Default::default(),
                crate::PageNumber::FIRST,
            )
            .unwrap(),
            None,
        );
        check(
            &CreateJob::builder("https://shop.example.com")
                .build()
                .unwrap(),
            None,
        );
        check(&CancelJob::new(job), Some(job.get()));
        check(&StopJob::new(job), Some(job.get()));
        check(&GetReport::new(job), Some(job.get()));
    }

    /// The `compile_fail` example on [`Operation`] implements the trait
    /// outside this crate. This is the same implementation inside it, plus
    /// the sealed part: it compiles, so the example fails only for want of
    /// [`sealed::Request`], which no other crate can name.
    #[test]
    fn the_outside_implementation_lacks_only_the_sealed_part() {
        struct Mine;
        impl sealed::Request for Mine {
            fn method(&self) -> Method {
                Method::GET
            }
            fn write_path(&self, out: &mut PathBuilder) {
                out.push_str("/jobs");
            }
            fn body(&self) -> Vec<u8> {
                Vec::new()
            }
        }
        impl Operation for Mine {
            type Output = ();
            const KIND: OperationKind = OperationKind::ListJobs;
            fn parse_response<B: AsRef<[u8]>>(&self, _: &http::Response<B>) -> Result<(), Error> {
                Ok(())
            }
        }
        let endpoint = Endpoint::parse("https://wsc.example").unwrap();
        assert_eq!(
            prepare(&Mine, &endpoint).unwrap().request_target(),
            "/api/v1/jobs"
        );
        assert_eq!(Mine.parse_response(&http::Response::new("")), Ok(()));
    }
}
