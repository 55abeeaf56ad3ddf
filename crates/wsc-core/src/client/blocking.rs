//! The blocking client: the async client driven over a blocking stack whose
//! futures are always ready, so each call runs to completion on the calling
//! thread, in one poll, without a runtime. Nothing here can park the thread:
//! a future that is not ready after that poll (impossible over [`Blocking`],
//! whose every future is ready at once) is an error, not a wait.

use std::future::Future;
use std::task::{Context, Poll, Waker};

use crate::cassette::Cassette;
use crate::client::asynchronous::AsyncClient;
use crate::client::builder::{ClientBuilder, DefaultTransport, FromSettings, Settings, sealed};
use crate::client::http::{Blocking, HttpClient};
use crate::client::polling::AllPages;
use crate::error::{Delivery, TransportError, TransportFailureKind};
use crate::identify::CreateOutcome;
use crate::operations::{CreateJob, CreatedJob, ListJobs, Operation, Paged, SearchJobs};
use crate::wait::{WaitOptions, WaitReport};
use crate::{
    ClockSkew, Credentials, Endpoint, Error, InstanceId, JobPage, JobRecord, PageNumber, Report,
};

/// A blocking WSC client over any [`HttpClient`]. Cheap to clone; clones share
/// the stack and the clock-skew estimate.
///
/// `wsc_ureq::Client` is this type over ureq; see [`HttpClient`] for a client
/// over a closure.
pub struct Client<H> {
    inner: AsyncClient<Blocking<H>>,
}

impl<H> Clone for Client<H> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<H> std::fmt::Debug for Client<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<H> sealed::Sealed for Client<H> {}

impl<H: HttpClient> FromSettings for Client<H> {
    type Http = H;

    fn from_settings(mut settings: Settings, http: H) -> Self {
        settings.clock = std::sync::Arc::new(crate::client::clock::Blocking(settings.clock));
        Self {
            inner: AsyncClient::from_settings(settings, Blocking(http)),
        }
    }
}

impl<H: HttpClient> Client<H> {
    /// A client over the transport's default stack, with default settings.
    pub fn new(
        credentials: Credentials,
        endpoint: Endpoint,
    ) -> Result<Self, crate::error::BuildError>
    where
        H: DefaultTransport,
    {
        Self::builder(credentials, endpoint).build()
    }

    /// A client for resolved configuration (see [`crate::config`]).
    pub fn from_config(
        config: &crate::config::ResolvedConfig,
    ) -> Result<Self, crate::error::BuildError>
    where
        H: DefaultTransport,
    {
        Self::new(config.credentials.clone(), config.endpoint.clone())
    }

    /// Starts configuring a client.
    pub fn builder(credentials: Credentials, endpoint: Endpoint) -> ClientBuilder<Self> {
        ClientBuilder::new(credentials, endpoint)
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &Endpoint {
        self.inner.endpoint()
    }

    /// The HTTP stack.
    pub fn http(&self) -> &H {
        &self.inner.http().0
    }

    /// The exchanges recorded so far (when a recorder was configured).
    pub fn recording(&self) -> Option<Cassette> {
        self.inner.recording()
    }

    /// The current clock-skew estimate (server minus local).
    pub fn clock_skew(&self) -> ClockSkew {
        self.inner.clock_skew()
    }

    /// getJobs.
    pub fn list_jobs(&self, op: &ListJobs) -> Result<JobPage, Error> {
        run(self.inner.list_jobs(op))
    }

    /// searchJobs.
    pub fn search_jobs(&self, op: &SearchJobs) -> Result<JobPage, Error> {
        run(self.inner.search_jobs(op))
    }

    /// createJob alone; see [`AsyncClient::create_job`]. **Billed.**
    pub fn create_job(&self, op: &CreateJob) -> Result<CreatedJob, Error> {
        run(self.inner.create_job(op))
    }

    /// createJob, then the job it started; see [`AsyncClient::create_and_identify`]. **Billed.**
    pub fn create_and_identify(&self, op: &CreateJob) -> CreateOutcome {
        poll_once(self.inner.create_and_identify(op)).unwrap_or_else(|error| {
            // Whatever was under way may have sent the billed request.
            CreateOutcome::unidentified(
                crate::identify::Unidentified::ListingFailed(error.clone()),
                Some(error),
            )
        })
    }

    /// cancelJob.
    pub fn cancel_job(&self, id: InstanceId) -> Result<(), Error> {
        run(self.inner.cancel_job(id))
    }

    /// stopJob.
    pub fn stop_job(&self, id: InstanceId) -> Result<(), Error> {
        run(self.inner.stop_job(id))
    }

    /// getReport: the report of a completed job, within the report's own
    /// attempt timeout (`Timeouts::report_attempt`, 120 s by default).
    ///
    /// A report holds counts — per risk level, per scanned domain — and the
    /// categories checked, not the individual findings (those are in the NCP
    /// console). [`Report::summary`] reads what a caller usually wants;
    /// [`Report::redacted`] masks `Login_Info` and headers before a report
    /// is stored or printed (its `Debug` already does).
    ///
    /// The service refuses (an [`Error::Service`]) a job that has not
    /// completed, and an id it does not know — which includes another
    /// account's or site's job.
    ///
    /// ```
    /// use wsc_core::bytes::Bytes;
    /// use wsc_core::transport::AttemptLimits;
    /// use wsc_core::Client;
    /// use wsc_core::transport::TransportError;
    /// use wsc_core::{Credentials, Endpoint, InstanceId, http};
    /// use wsc_core::report::RiskLevel;
    ///
    /// // Stands in for a real stack: one completed job's report.
    /// let http = |_: http::Request<Vec<u8>>, _: AttemptLimits| {
    ///     let body = r#"{"returnCode":"0","resources":{
    ///         "Target_Info":"https://shop.example.com","report_date":"2026/11/30 10:00:00",
    ///         "Classify_byRisk_Level":{"Total":"7","High":"1","Medium":"2","Low":"4"},
    ///         "Classify_byRisk_Domain":[{"Domain":"shop.example.com","High":1,"Medium":2,"Low":4}],
    ///         "Vulnerability_Category":["ALL"],"Login_Info":{"Cookie":"SESSION=secret"}}}"#;
    ///     Ok::<_, TransportError>(http::Response::new(Bytes::from_static(body.as_bytes())))
    /// };
    /// let client = Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("http://127.0.0.1:1")?)
    ///     .build_with(http);
    /// let report = client.get_report("1234567001".parse::<InstanceId>()?)?;
    /// let summary = report.summary();
    /// let risk = summary.risk().expect("a completed report has counts");
    /// assert_eq!((risk.high, risk.medium, risk.low), (1, 2, 4));
    /// assert_eq!(risk.at_or_above(RiskLevel::Medium), 3);
    /// for domain in summary.domains() {
    ///     assert_eq!((domain.domain.as_str(), domain.total()), ("shop.example.com", 7));
    /// }
    /// assert!(!format!("{report:?}").contains("SESSION=secret"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_report(&self, id: InstanceId) -> Result<Report, Error> {
        run(self.inner.get_report(id))
    }

    /// Runs any operation under the client's timeouts and retry policy.
    pub fn execute<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        run(self.inner.execute(op))
    }

    /// Every record of a paged query; see [`AsyncClient::all_pages`].
    pub fn all_pages<P: Paged>(
        &self,
        query: &P,
        on_page: impl FnMut(PageNumber, Option<u64>),
    ) -> Result<AllPages, Error> {
        run(self.inner.all_pages(query, on_page))
    }

    /// Finds one job by id; see [`AsyncClient::find_job`].
    pub fn find_job(&self, id: InstanceId) -> Result<Option<JobRecord>, Error> {
        run(self.inner.find_job(id))
    }

    /// Waits for a job to end; see [`AsyncClient::wait`].
    pub fn wait(
        &self,
        id: InstanceId,
        options: WaitOptions,
        on_progress: impl FnMut(&JobRecord),
    ) -> Result<WaitReport, Error> {
        run(self.inner.wait(id, options, on_progress))
    }
}

/// Runs a fallible future of the async client to completion in one poll.
fn run<T>(future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    poll_once(future)?
}

/// Polls `future` once: over [`Blocking`] every future it awaits is ready at
/// once, so the whole future is. A `Pending` (a future that would wait for a
/// wake-up no one will send) is an error, never a parked thread.
pub(crate) fn poll_once<T>(future: impl Future<Output = T>) -> Result<T, Error> {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err(Error::Transport(TransportError::new(
            TransportFailureKind::Io,
            Delivery::MaybeSent,
            "the blocking client's call did not complete at once (its HTTP stack returned \
             a future that was not ready); it was abandoned, and the request may have been sent",
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_future_is_an_error_not_a_hang() {
        let error = run(std::future::pending::<Result<(), Error>>()).unwrap_err();
        assert!(error.may_have_reached_service(), "{error}");
        assert!(
            error.to_string().contains("did not complete at once"),
            "{error}"
        );
    }

    #[test]
    fn a_ready_future_gives_its_output() {
        assert_eq!(run(async { Ok::<_, Error>(7) }).unwrap(), 7);
    }
}
