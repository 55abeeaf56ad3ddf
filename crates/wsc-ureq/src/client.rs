//! The blocking client: configuration, the per-call loop and the helpers
//! (all pages, find by id, wait) built from the core's state machines.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tracing::{debug, info_span};
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
    ClockSkew, Credentials, Endpoint, Error, InstanceId, JobPage, JobRecord, PageNumber, Report,
    Timeouts,
};

/// Builds a [`Client`].
#[must_use]
pub struct ClientBuilder {
    credentials: Credentials,
    endpoint: Endpoint,
    agent: Option<ureq::Agent>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body_bytes: u64,
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
    /// Uses a caller-built agent (its pool, proxy and TLS settings are kept;
    /// per request we only switch off redirects and status-as-error and set the
    /// attempt timeout).
    pub fn agent(mut self, agent: ureq::Agent) -> Self {
        self.agent = Some(agent);
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

    /// Caps response bodies (default 16 MiB).
    pub fn max_body_bytes(mut self, bytes: u64) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Appends to the `User-Agent` (`wsc-rs/<version> (ureq) <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Records every exchange (secrets redacted) into `recorder`.
    pub fn recorder(mut self, recorder: Arc<Recorder>) -> Self {
        self.recorder = Some(recorder);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Client {
        let agent = self.agent.unwrap_or_else(|| default_agent(&self.timeouts));
        let user_agent = wsc_core::user_agent::value("ureq", self.user_agent_suffix.as_deref());
        Client {
            inner: Arc::new(Inner {
                agent,
                endpoint: self.endpoint,
                // The User-Agent rides in the credentials' header template.
                credentials: self.credentials.with_user_agent(user_agent),
                timeouts: self.timeouts,
                retry: self.retry,
                max_body_bytes: self.max_body_bytes,
                recorder: self.recorder,
                state: ClientState::new(seed()),
            }),
        }
    }
}

/// The agent we build when none is given: rustls with the ring provider and
/// webpki roots (no OpenSSL, no process-wide provider), a bounded pool,
/// proxies from `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`, no redirects.
fn default_agent(t: &Timeouts) -> ureq::Agent {
    use ureq::tls::{RootCerts, TlsConfig, TlsProvider};
    let tls = TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .root_certs(RootCerts::WebPki)
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .proxy(ureq::Proxy::try_from_env())
        .timeout_connect(Some(t.connect))
        .max_idle_connections(8)
        .max_idle_connections_per_host(4)
        .max_idle_age(Duration::from_secs(30))
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .https_only(false)
        .build()
        .into()
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
    h.finish() | 1
}

struct Inner {
    agent: ureq::Agent,
    endpoint: Endpoint,
    credentials: Credentials,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body_bytes: u64,
    recorder: Option<Arc<Recorder>>,
    /// The clock-skew estimate and jitter, shared by clones.
    state: ClientState,
}

/// A blocking WSC client. Cheap to clone; clones share the pool and the
/// clock-skew estimate.
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
    /// A client with the default agent, timeouts and retry policy.
    pub fn new(credentials: Credentials, endpoint: Endpoint) -> Self {
        Self::builder(credentials, endpoint).build()
    }

    /// A client built from resolved configuration (see [`wsc_core::config`]).
    pub fn from_config(config: &wsc_core::config::ResolvedConfig) -> Self {
        Self::new(config.credentials.clone(), config.endpoint.clone())
    }

    /// Starts configuring a client.
    pub fn builder(credentials: Credentials, endpoint: Endpoint) -> ClientBuilder {
        ClientBuilder {
            credentials,
            endpoint,
            agent: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            max_body_bytes: 16 * 1024 * 1024,
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
    pub fn list_jobs(&self, op: &ListJobs) -> Result<JobPage, Error> {
        self.execute(op)
    }

    /// searchJobs.
    pub fn search_jobs(&self, op: &SearchJobs) -> Result<JobPage, Error> {
        self.execute(op)
    }

    /// createJob. **Billed; starts a scan.** Never sent twice unless the first
    /// attempt provably never reached the service.
    pub fn create_job(&self, op: &CreateJob) -> Result<CreatedJob, Error> {
        self.execute(op)
    }

    /// cancelJob.
    pub fn cancel_job(&self, id: InstanceId) -> Result<(), Error> {
        self.execute(&CancelJob::new(id))
    }

    /// stopJob.
    pub fn stop_job(&self, id: InstanceId) -> Result<(), Error> {
        self.execute(&StopJob::new(id))
    }

    /// getReport.
    pub fn get_report(&self, id: InstanceId) -> Result<Report, Error> {
        self.execute(&GetReport::new(id))
    }

    /// Runs any operation: the core's call state machine, driven over ureq.
    pub fn execute<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        let inner = &*self.inner;
        let span = info_span!("wsc.call", operation = O::KIND.name());
        let _entered = span.enter();
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
            let step = match self.send(request, attempt_timeout) {
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
                    std::thread::sleep(delay);
                }
            }
        }
    }

    /// One HTTP exchange under the attempt timeout, body capped.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Duration,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let inner = &*self.inner;
        let configured = inner
            .agent
            .configure_request(request)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            // Per-phase timeouts, not a global one: with a global timeout ureq
            // resolves the host on a new thread for every request.
            .timeout_send_request(Some(timeout))
            .timeout_recv_response(Some(timeout))
            .timeout_recv_body(Some(timeout))
            .build();
        let response = inner
            .agent
            .run(configured)
            .map_err(|e| crate::transport_error::classify(&e))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(inner.max_body_bytes)
            .read_to_vec()
            .map_err(|e| crate::transport_error::classify(&e))?;
        Ok(http::Response::from_parts(parts, bytes))
    }

    /// Every record of a paged query, from its page onwards, without duplicates.
    /// `on_page` sees each page number as it is fetched (for progress display).
    /// Returns the records and whether the page cap cut the walk short.
    pub fn all_pages<P: Paged>(
        &self,
        query: &P,
        mut on_page: impl FnMut(PageNumber, Option<u64>),
    ) -> Result<(Vec<JobRecord>, bool), Error> {
        let mut pager = Pager::new(query.page_number());
        let mut records = Vec::new();
        while let Some(page) = pager.next_page() {
            let fetched = self.execute(&query.at_page(page))?;
            on_page(page, fetched.total_pages);
            records.extend(pager.observe(fetched));
        }
        Ok((records, pager.truncated()))
    }

    /// Finds one job by id by paging through getJobs (100 per page).
    pub fn find_job(&self, id: InstanceId) -> Result<Option<JobRecord>, Error> {
        let mut finder = JobFinder::new(id);
        while let Some(query) = finder.next_query() {
            let page = self.execute(&query)?;
            if let Some(found) = finder.observe(page) {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Waits for a job to finish, polling with `options`; `on_progress` sees
    /// every record polled. Never cancels or stops the scan.
    pub fn wait(
        &self,
        id: InstanceId,
        options: WaitOptions,
        mut on_progress: impl FnMut(&JobRecord),
    ) -> Result<WaitReport, Error> {
        let origin = Instant::now();
        let mut waiter = Waiter::new(id, options, Duration::ZERO);
        let mut last = None;
        let mut polls = 0;
        loop {
            let record = self.find_job(id)?;
            polls += 1;
            if let Some(r) = &record {
                on_progress(r);
                last = Some(r.clone());
            }
            match waiter.observe(origin.elapsed(), record.as_ref()) {
                WaitStep::PollAt(at) => std::thread::sleep(at.saturating_sub(origin.elapsed())),
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
