//! The client, written once: every operation and helper over an
//! [`AsyncHttpClient`]. The blocking [`Client`](crate::client::Client) drives
//! this same code over a stack whose futures are always ready.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use http::HeaderValue;
use tracing::{Instrument, debug, info_span};

use crate::call::{Call, ClientState, Step};
use crate::cassette::{Cassette, RecordedRequest, Recorder};
use crate::client::builder::{
    ClientBuilder, DefaultTransport, FromSettings, RandomSource, Settings, sealed,
};
use crate::client::clock::Clock;
use crate::client::http::{AsyncHttpClient, AttemptLimits};
use crate::error::{Delivery, TransportError, TransportFailureKind};
use crate::operations::{
    CancelJob, CreateJob, CreatedJob, GetReport, ListJobs, Operation, SearchJobs, StopJob,
};
use crate::retry::RetryPolicy;
use crate::{ClockSkew, Credentials, Endpoint, Error, InstanceId, JobPage, Report, Timeouts};

pub(crate) struct Shared<H> {
    pub(crate) http: H,
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: Credentials,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_body_bytes: usize,
    pub(crate) user_agent: HeaderValue,
    pub(crate) recorder: Option<Arc<Recorder>>,
    pub(crate) clock: Arc<dyn Clock>,
    /// Whether an untagged create gets a tag from `random`.
    pub(crate) create_tags: bool,
    pub(crate) random: Arc<dyn RandomSource>,
    /// Where billed creates are recorded, if anywhere.
    pub(crate) journal: Option<Arc<dyn crate::journal::CreateJournal>>,
    /// The clock-skew estimate and jitter, shared by clones.
    pub(crate) state: ClientState,
}

/// An async WSC client over any [`AsyncHttpClient`]. Cheap to clone; clones
/// share the stack and the clock-skew estimate. Its futures are `Send` when
/// the stack's are, and dropping one simply abandons the call.
///
/// ```
/// use wsc_core::AsyncClient;
/// use wsc_core::transport::{AsyncHttpClient, AttemptLimits};
/// use wsc_core::transport::TransportError;
/// use wsc_core::{Credentials, Endpoint};
///
/// struct Canned;
/// impl AsyncHttpClient for Canned {
///     async fn send(&self, _req: http::Request<Vec<u8>>, _limits: AttemptLimits)
///         -> Result<http::Response<bytes::Bytes>, TransportError> {
///         let body = r#"{"returnCode":"0","resources":{"total_page_cnt":0,"record_data":[]}}"#;
///         Ok(http::Response::new(bytes::Bytes::from_static(body.as_bytes())))
///     }
/// }
///
/// # async fn demo() -> Result<(), wsc_core::Error> {
/// let client = AsyncClient::builder(Credentials::new("AK", "SK")?, Endpoint::parse("http://127.0.0.1:1")?)
///     .build_with(Canned);
/// let page = client.list_jobs(&Default::default()).await?;
/// assert!(page.records.is_empty());
/// # Ok(()) }
/// ```
pub struct AsyncClient<H> {
    pub(super) shared: Arc<Shared<H>>,
}

impl<H> Clone for AsyncClient<H> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<H> std::fmt::Debug for AsyncClient<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncClient")
            .field("endpoint", &self.shared.endpoint)
            .field("access_key", &self.shared.credentials.access_key().as_str())
            .finish_non_exhaustive()
    }
}

impl<H> sealed::Sealed for AsyncClient<H> {}

impl<H: AsyncHttpClient> FromSettings for AsyncClient<H> {
    type Http = H;

    fn from_settings(settings: Settings, http: H) -> Self {
        let user_agent =
            crate::user_agent::value(http.name(), settings.user_agent_suffix.as_deref());
        let seed = seed_from(settings.clock.now().wall());
        Self {
            shared: Arc::new(Shared {
                http,
                endpoint: settings.endpoint,
                credentials: settings.credentials,
                timeouts: settings.timeouts,
                retry: settings.retry,
                max_body_bytes: settings.max_body_bytes,
                user_agent,
                recorder: settings.recorder,
                clock: settings.clock,
                create_tags: settings.create_tags,
                random: settings.random,
                journal: settings.journal,
                state: ClientState::new(seed),
            }),
        }
    }
}

/// A jitter seed from the time the client was built.
fn seed_from(now: SystemTime) -> u64 {
    let nanos = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (nanos as u64) ^ ((nanos >> 64) as u64) | 1
}

/// The body cap, checked again here so a stack that forgets it cannot hand
/// the parser an unbounded body.
fn over_cap(body: &Bytes, cap: usize) -> Option<TransportError> {
    (body.len() > cap).then(|| {
        TransportError::new(
            TransportFailureKind::BodyTooLarge,
            Delivery::MaybeSent,
            format!("response body exceeds {cap} bytes"),
        )
    })
}

impl<H: AsyncHttpClient> AsyncClient<H> {
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
        &self.shared.endpoint
    }

    /// The HTTP stack.
    pub fn http(&self) -> &H {
        &self.shared.http
    }

    /// The exchanges recorded so far (when a recorder was configured).
    pub fn recording(&self) -> Option<Cassette> {
        self.shared.recorder.as_ref().map(|r| r.cassette())
    }

    /// The current clock-skew estimate (server minus local).
    pub fn clock_skew(&self) -> ClockSkew {
        self.shared.state.skew()
    }

    /// getJobs.
    pub async fn list_jobs(&self, op: &ListJobs) -> Result<JobPage, Error> {
        self.execute(op).await
    }

    /// searchJobs.
    pub async fn search_jobs(&self, op: &SearchJobs) -> Result<JobPage, Error> {
        self.execute(op).await
    }

    /// createJob alone. **Billed; starts a scan.** Never sent twice unless the
    /// first attempt provably never left. The reply rarely names the job: use
    /// [`AsyncClient::create_and_identify`] to learn which job you paid for.
    pub async fn create_job(&self, op: &CreateJob) -> Result<CreatedJob, Error> {
        self.execute(op).await
    }

    /// cancelJob (a job that has not started).
    pub async fn cancel_job(&self, id: InstanceId) -> Result<(), Error> {
        self.execute(&CancelJob::new(id)).await
    }

    /// stopJob (a running job).
    pub async fn stop_job(&self, id: InstanceId) -> Result<(), Error> {
        self.execute(&StopJob::new(id)).await
    }

    /// getReport: the report of a completed job (see
    /// [`Client::get_report`](crate::client::Client::get_report) for what it
    /// holds, the errors and an example).
    pub async fn get_report(&self, id: InstanceId) -> Result<Report, Error> {
        self.execute(&GetReport::new(id)).await
    }

    /// Runs any operation under the client's timeouts and retry policy.
    pub async fn execute<O>(&self, op: &O) -> Result<O::Output, Error>
    where
        O: Operation,
    {
        self.execute_until(op, None).await
    }

    /// Runs `op`, ending it at `stop` at the latest.
    pub(super) async fn execute_until<O>(
        &self,
        op: &O,
        stop: Option<Instant>,
    ) -> Result<O::Output, Error>
    where
        O: Operation,
    {
        let span = info_span!("wsc.call", operation = O::KIND.name());
        self.drive(op, stop).instrument(span).await
    }

    /// The attempt loop: the core's [`Call`] state machine over the stack.
    async fn drive<O>(&self, op: &O, stop: Option<Instant>) -> Result<O::Output, Error>
    where
        O: Operation,
    {
        let shared = &*self.shared;
        let mut call =
            Call::new(op, &shared.endpoint, shared.retry)?.with_timeouts(&shared.timeouts);
        if let Some(stop) = stop {
            call = call.with_deadline_at(stop);
        }
        loop {
            let mut skew = shared.state.skew();
            let sent_at = shared.clock.now();
            let mut request = call.next_request(&shared.credentials, skew, sent_at);
            request
                .headers_mut()
                .insert(http::header::USER_AGENT, shared.user_agent.clone());
            let timeout = call.attempt_timeout(sent_at.instant())?;
            let recorded = shared
                .recorder
                .as_ref()
                .map(|_| RecordedRequest::from_http(&request));
            let limits = AttemptLimits::new(timeout, shared.max_body_bytes);
            let result =
                shared
                    .http
                    .send(request, limits)
                    .await
                    .and_then(
                        |response| match over_cap(response.body(), limits.max_body_bytes) {
                            Some(error) => Err(error),
                            None => Ok(response),
                        },
                    );
            let received_at = shared.clock.now();
            let latency_ms = received_at
                .instant()
                .saturating_duration_since(sent_at.instant())
                .as_millis() as u64;
            let step = match result {
                Ok(response) => {
                    debug!(
                        attempt = call.attempts(),
                        status = response.status().as_u16(),
                        latency_ms,
                        "wsc attempt"
                    );
                    if let (Some(recorder), Some(recorded)) = (&shared.recorder, recorded) {
                        recorder.record_response(recorded, &response);
                    }
                    let step = call.on_response(
                        &response,
                        sent_at,
                        received_at,
                        &mut skew,
                        &mut &shared.state,
                    );
                    shared.state.set_skew(skew);
                    step
                }
                Err(error) => {
                    debug!(attempt = call.attempts(), error = %error, latency_ms, "wsc attempt failed");
                    call.on_failure(
                        Error::Transport(error),
                        skew,
                        received_at,
                        &mut &shared.state,
                    )
                }
            };
            match step {
                Step::Done(output) => return Ok(output),
                Step::Fail(error) => return Err(error),
                Step::RetryAfter(delay) => {
                    debug!(delay_ms = delay.as_millis() as u64, "retrying");
                    shared.clock.pause(delay).await;
                }
            }
        }
    }
}
