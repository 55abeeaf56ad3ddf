//! The async client: configuration, the per-call loop and the helpers (all
//! pages, find by id, wait) built from the core's state machines.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::Full;
use tracing::{Instrument, debug, info_span};
use wsc_core::call::{Call, ClientState, Step};
use wsc_core::cassette::{Cassette, RecordedRequest, Recorder};
use wsc_core::error::TransportError;
use wsc_core::operations::{
    CancelJob, CreateJob, CreatedJob, GetReport, ListJobs, Operation, Paged, SearchJobs, StopJob,
};
use wsc_core::paging::{JobFinder, Pager};
use wsc_core::retry::RetryPolicy;
use wsc_core::wait::{WaitEnd, WaitOptions, WaitReport, WaitStep, Waiter};
use wsc_core::{
    ClockSkew, Credentials, Endpoint, Error, InstanceId, JobPage, JobRecord, Report, Timeouts,
};

use crate::connector::{DEFAULT_MAX_IDLE_PER_HOST, default_stack};
use crate::http_send::{HttpSend, Stack};
use crate::transport_error;

/// Builds a [`Client`].
#[must_use]
pub struct ClientBuilder {
    credentials: Credentials,
    endpoint: Endpoint,
    http: Option<Arc<dyn HttpSend>>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body_bytes: usize,
    max_idle_per_host: usize,
    user_agent_suffix: Option<String>,
    recorder: Option<Arc<Recorder>>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Uses a caller-built hyper-util client (any connector: your pool, proxy
    /// and TLS settings are kept).
    pub fn hyper_client<C>(
        mut self,
        client: hyper_util::client::legacy::Client<C, Full<Bytes>>,
    ) -> Self
    where
        C: hyper_util::client::legacy::connect::Connect + Clone + Send + Sync + 'static,
    {
        self.http = Some(Arc::new(client));
        self
    }

    /// Sets the timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How many idle connections the default stack keeps open to the endpoint
    /// (default 128). Set it to at least the number of calls you run at once:
    /// a response that finds the pool full closes its connection, and the
    /// next call opens a new one. Ignored with [`ClientBuilder::hyper_client`],
    /// whose pool is yours.
    ///
    /// ```
    /// # fn main() -> Result<(), wsc_core::Error> {
    /// use wsc_core::{Credentials, Endpoint, Site};
    /// let creds = Credentials::new("ACCESS_KEY", "SECRET_KEY")?;
    /// let client = wsc_hyper::Client::builder(creds, Endpoint::from_site(Site::Public))
    ///     .max_idle_connections_per_host(256)
    ///     .build()?;
    /// # drop(client);
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_idle_connections_per_host(mut self, connections: usize) -> Self {
        self.max_idle_per_host = connections;
        self
    }

    /// Caps response bodies (default 16 MiB).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Appends to the `User-Agent` (`wsc-rs/<version> (hyper) <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Records every exchange (secrets redacted) into `recorder`.
    pub fn recorder(mut self, recorder: Arc<Recorder>) -> Self {
        self.recorder = Some(recorder);
        self
    }

    /// Builds the client (the default TLS stack is built once, here).
    pub fn build(self) -> Result<Client, Error> {
        let http = match self.http {
            Some(http) => Stack::Custom(http),
            None => default_stack(
                &self.endpoint,
                self.timeouts.connect,
                self.max_idle_per_host,
            )?,
        };
        let user_agent = wsc_core::user_agent::value("hyper", self.user_agent_suffix.as_deref());
        // The User-Agent (and the Host, when the stack wants it from us) ride
        // in the credentials' header template.
        let mut credentials = self.credentials.with_user_agent(user_agent);
        if let Some(host) = http.host_header() {
            credentials = credentials.with_host(host);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint: self.endpoint,
                credentials,
                timeouts: self.timeouts,
                retry: self.retry,
                max_body_bytes: self.max_body_bytes,
                recorder: self.recorder,
                state: ClientState::new(seed()),
            }),
        })
    }
}

fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

struct Inner {
    http: Stack,
    endpoint: Endpoint,
    credentials: Credentials,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body_bytes: usize,
    recorder: Option<Arc<Recorder>>,
    /// The clock-skew estimate and jitter, shared by clones.
    state: ClientState,
}

/// An async WSC client. Cheap to clone; clones share the connection pool and
/// the clock-skew estimate, and may be used from many tasks at once.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("access_key", &self.inner.credentials.access_key().as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the default stack, timeouts and retry policy.
    pub fn new(credentials: Credentials, endpoint: Endpoint) -> Result<Self, Error> {
        Self::builder(credentials, endpoint).build()
    }

    /// A client built from resolved configuration (see [`wsc_core::config`]).
    pub fn from_config(config: &wsc_core::config::ResolvedConfig) -> Result<Self, Error> {
        Self::new(config.credentials.clone(), config.endpoint.clone())
    }

    /// Starts configuring a client.
    pub fn builder(credentials: Credentials, endpoint: Endpoint) -> ClientBuilder {
        ClientBuilder {
            credentials,
            endpoint,
            http: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            max_body_bytes: 16 * 1024 * 1024,
            max_idle_per_host: DEFAULT_MAX_IDLE_PER_HOST,
            user_agent_suffix: None,
            recorder: None,
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The exchanges recorded so far (when a recorder was configured).
    pub fn recording(&self) -> Option<Cassette> {
        self.inner.recorder.as_ref().map(|r| r.cassette())
    }

    /// The current clock-skew estimate (server minus local).
    pub fn clock_skew(&self) -> ClockSkew {
        self.inner.state.skew()
    }

    /// getJobs.
    pub async fn list_jobs(&self, op: &ListJobs) -> Result<JobPage, Error> {
        self.execute(op).await
    }

    /// searchJobs.
    pub async fn search_jobs(&self, op: &SearchJobs) -> Result<JobPage, Error> {
        self.execute(op).await
    }

    /// createJob. **Billed; starts a scan.** Never sent twice unless the first
    /// attempt provably never reached the service.
    pub async fn create_job(&self, op: &CreateJob) -> Result<CreatedJob, Error> {
        self.execute(op).await
    }

    /// cancelJob.
    pub async fn cancel_job(&self, id: InstanceId) -> Result<(), Error> {
        self.execute(&CancelJob::new(id)).await
    }

    /// stopJob.
    pub async fn stop_job(&self, id: InstanceId) -> Result<(), Error> {
        self.execute(&StopJob::new(id)).await
    }

    /// getReport.
    pub async fn get_report(&self, id: InstanceId) -> Result<Report, Error> {
        self.execute(&GetReport::new(id)).await
    }

    /// Runs any operation: the core's call state machine, driven over hyper.
    pub async fn execute<O>(&self, op: &O) -> Result<O::Output, Error>
    where
        O: Operation + Sync,
        O::Output: Send,
    {
        let span = info_span!("wsc.call", operation = O::KIND.name());
        self.execute_inner(op).instrument(span).await
    }

    async fn execute_inner<O>(&self, op: &O) -> Result<O::Output, Error>
    where
        O: Operation + Sync,
        O::Output: Send,
    {
        let inner = &*self.inner;
        let mut call =
            Call::new(op, &inner.endpoint, inner.retry)?.with_deadline(inner.timeouts.overall);
        let attempt_timeout = inner.timeouts.attempt_for(O::KIND);
        loop {
            let mut skew = inner.state.skew();
            let sent_at = SystemTime::now();
            let request = call.next_request(&inner.credentials, skew, sent_at);
            let attempt_started = Instant::now();
            let recorded = inner
                .recorder
                .as_ref()
                .map(|_| RecordedRequest::from_http(&request));
            let step = match self.send(request, attempt_timeout).await {
                Ok(response) => {
                    debug!(
                        attempt = call.attempts(),
                        status = response.status().as_u16(),
                        latency_ms = attempt_started.elapsed().as_millis() as u64,
                        "wsc attempt"
                    );
                    if let (Some(recorder), Some(recorded)) = (&inner.recorder, recorded) {
                        recorder.record_response(recorded, &response);
                    }
                    let step = call.on_response(
                        &response,
                        sent_at,
                        SystemTime::now(),
                        &mut skew,
                        &mut &inner.state,
                    );
                    inner.state.set_skew(skew);
                    step
                }
                Err(error) => {
                    debug!(attempt = call.attempts(), error = %error, latency_ms = attempt_started.elapsed().as_millis() as u64, "wsc attempt failed");
                    call.on_failure(
                        Error::Transport(error),
                        skew,
                        SystemTime::now(),
                        &mut &inner.state,
                    )
                }
            };
            match step {
                Step::Done(output) => return Ok(output),
                Step::Fail(error) => return Err(error),
                Step::RetryAfter(delay) => {
                    debug!(delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// One HTTP exchange under the attempt timeout, body capped.
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Duration,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let exchange = self.inner.http.exchange(
            request.map(|b| Full::new(Bytes::from(b))),
            self.inner.max_body_bytes,
        );
        match tokio::time::timeout(timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(transport_error::timeout(timeout)),
        }
    }

    /// Every record of a paged query, from its page onwards, without duplicates.
    /// Returns the records and whether the page cap cut the walk short.
    pub async fn all_pages<P>(&self, query: &P) -> Result<(Vec<JobRecord>, bool), Error>
    where
        P: Paged + Sync,
    {
        let mut pager = Pager::new(query.page_number());
        let mut records = Vec::new();
        while let Some(page) = pager.next_page() {
            let fetched = self.execute(&query.at_page(page)).await?;
            records.extend(pager.observe(fetched));
        }
        Ok((records, pager.truncated()))
    }

    /// Finds one job by id by paging through getJobs (100 per page).
    pub async fn find_job(&self, id: InstanceId) -> Result<Option<JobRecord>, Error> {
        let mut finder = JobFinder::new(id);
        while let Some(query) = finder.next_query() {
            let page = self.execute(&query).await?;
            if let Some(found) = finder.observe(page) {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Waits for a job to finish, polling with `options`; `on_progress` sees
    /// every record polled. Never cancels or stops the scan; dropping the
    /// future simply stops waiting.
    pub async fn wait(
        &self,
        id: InstanceId,
        options: WaitOptions,
        mut on_progress: impl FnMut(&JobRecord) + Send,
    ) -> Result<WaitReport, Error> {
        let origin = Instant::now();
        let mut waiter = Waiter::new(id, options, Duration::ZERO);
        let mut last = None;
        let mut polls = 0;
        loop {
            let record = self.find_job(id).await?;
            polls += 1;
            if let Some(r) = &record {
                on_progress(r);
                last = Some(r.clone());
            }
            match waiter.observe(origin.elapsed(), record.as_ref()) {
                WaitStep::PollAt(at) => {
                    tokio::time::sleep(at.saturating_sub(origin.elapsed())).await
                }
                WaitStep::Done(outcome) => {
                    return Ok(WaitReport::new(WaitEnd::Finished(outcome), last, polls));
                }
                WaitStep::TimedOut { .. } => {
                    return Ok(WaitReport::new(WaitEnd::TimedOut, last, polls));
                }
                WaitStep::NotFound => return Ok(WaitReport::new(WaitEnd::NotFound, last, polls)),
            }
        }
    }
}
