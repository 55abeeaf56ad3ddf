//! The client, written once: every operation and helper over an
//! [`AsyncHttpClient`]. The blocking [`Client`](crate::client::Client) drives
//! this same code over a stack whose futures are always ready.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::HeaderValue;
use tracing::{Instrument, debug, info_span};

use crate::call::{Call, ClientState, Step};
use crate::cassette::{Cassette, RecordedRequest, Recorder};
use crate::client::builder::{ClientBuilder, DefaultTransport, FromSettings, Settings, sealed};
use crate::client::clock::Clock;
use crate::client::http::{AsyncHttpClient, AttemptLimits};
use crate::error::{Delivery, TransportError, TransportFailureKind, UnexpectedResponse};
use crate::identify::{
    CreateOutcome, IdSource, Identification, Identifier, IdentifyStep, NotStartedReason,
    ReplyCheck, Unidentified,
};
use crate::operations::{
    CancelJob, CreateJob, CreatedJob, GetReport, ListJobs, Operation, OperationKind, Paged,
    SearchJobs, StopJob,
};
use crate::paging::{JobFinder, Pager};
use crate::retry::{RetryDecision, RetryPolicy, RetryState};
use crate::wait::{WaitEnd, WaitOptions, WaitReport, WaitStep, Waiter};
use crate::{
    ClockSkew, CreateTag, Credentials, Endpoint, Error, InstanceId, JobPage, JobRecord, Limit,
    PageNumber, Report, Timeouts,
};

/// How long the jobs are listed after the service refused a createJob, to
/// confirm it started nothing.
const REFUSAL_CONFIRMATION: Duration = Duration::from_secs(5);

pub(crate) struct Shared<H> {
    pub(crate) http: H,
    endpoint: Endpoint,
    credentials: Credentials,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body_bytes: usize,
    user_agent: HeaderValue,
    recorder: Option<Arc<Recorder>>,
    clock: Arc<dyn Clock>,
    /// Whether an untagged create gets a tag from the stack's random bits.
    create_tags: bool,
    /// The clock-skew estimate and jitter, shared by clones.
    state: ClientState,
}

/// Every record of a paged query, as [`AsyncClient::all_pages`] returns it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AllPages {
    /// The records, without duplicates, in the order served.
    pub records: Vec<JobRecord>,
    /// True when the walk stopped at a cap, or on a repeated page, before the
    /// last page the server announced: records may be missing.
    pub truncated: bool,
    /// The total the server reported, if it did.
    pub reported_total: Option<u64>,
}

/// An async WSC client over any [`AsyncHttpClient`]. Cheap to clone; clones
/// share the stack and the clock-skew estimate. Its futures are `Send` when
/// the stack's are, and dropping one simply abandons the call.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::client::{AsyncClient, AsyncHttpClient, AttemptLimits};
/// use wsc_core::error::TransportError;
/// use wsc_core::{Credentials, Endpoint};
///
/// struct Canned;
/// impl AsyncHttpClient for Canned {
///     async fn send(&self, _req: http::Request<Vec<u8>>, _limits: AttemptLimits)
///         -> Result<http::Response<bytes::Bytes>, TransportError> {
///         let body = r#"{"returnCode":"0","resources":{"total_page_cnt":0,"record_data":[]}}"#;
///         Ok(http::Response::new(bytes::Bytes::from_static(body.as_bytes())))
///     }
///     async fn sleep(&self, _duration: Duration) {}
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
    shared: Arc<Shared<H>>,
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
    pub fn new(credentials: Credentials, endpoint: Endpoint) -> Result<Self, Error>
    where
        H: DefaultTransport,
    {
        Self::builder(credentials, endpoint).build()
    }

    /// A client for resolved configuration (see [`crate::config`]).
    pub fn from_config(config: &crate::config::ResolvedConfig) -> Result<Self, Error>
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

    /// getReport.
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
    async fn execute_until<O>(&self, op: &O, stop: Option<Instant>) -> Result<O::Output, Error>
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
                    shared.http.sleep(delay).await;
                }
            }
        }
    }

    /// Every record of a paged query, from its page onwards, without
    /// duplicates; `on_page` sees each page number and the server's page
    /// count as it is fetched. Bounded: see [`Pager`].
    pub async fn all_pages<P>(
        &self,
        query: &P,
        mut on_page: impl FnMut(PageNumber, Option<u64>),
    ) -> Result<AllPages, Error>
    where
        P: Paged,
    {
        let mut pager = Pager::new(query.page_number());
        let mut records = Vec::new();
        while let Some(page) = pager.next_page() {
            let fetched = self.execute(&query.at_page(page)).await?;
            on_page(page, fetched.total_pages);
            records.extend(pager.observe(fetched));
        }
        Ok(AllPages {
            records,
            truncated: pager.truncated(),
            reported_total: pager.reported_total(),
        })
    }

    /// Finds one job by id, paging through getJobs (100 per page). `Ok(None)`
    /// means every page was seen without it; a walk that stopped early (the
    /// server repeated a page, or the cap of [`Pager`] was reached) is an
    /// [`Error::UnexpectedResponse`], as the job's absence then proves nothing.
    pub async fn find_job(&self, id: InstanceId) -> Result<Option<JobRecord>, Error> {
        self.find_job_until(id, None).await
    }

    async fn find_job_until(
        &self,
        id: InstanceId,
        stop: Option<Instant>,
    ) -> Result<Option<JobRecord>, Error> {
        let mut finder = JobFinder::new(id);
        while let Some(query) = finder.next_query() {
            let page = self.execute_until(&query, stop).await?;
            if let Some(found) = finder.observe(page) {
                return Ok(Some(found));
            }
        }
        if finder.truncated() {
            return Err(Error::UnexpectedResponse(UnexpectedResponse {
                status: http::StatusCode::OK,
                content_type: None,
                reason: format!(
                    "the job listing repeated a page or passed the paging cap before job {id} was found; \
                     its absence proves nothing"
                ),
                json_path: None,
                excerpt: String::new(),
            }));
        }
        Ok(None)
    }

    /// Waits for a job to end, polling with `options`; `on_progress` sees
    /// every record polled. The wait's timeout bounds every poll too: a
    /// request still running at the deadline ends it ([`WaitEnd::TimedOut`]).
    /// Never cancels or stops the scan.
    pub async fn wait(
        &self,
        id: InstanceId,
        options: WaitOptions,
        mut on_progress: impl FnMut(&JobRecord),
    ) -> Result<WaitReport, Error> {
        let clock = &self.shared.clock;
        let origin = clock.now().instant();
        let elapsed = || clock.now().instant().saturating_duration_since(origin);
        let stop = options.timeout().and_then(|t| origin.checked_add(t));
        let mut waiter = Waiter::new(id, options, Duration::ZERO);
        let mut last = None;
        let mut polls = 0;
        loop {
            let record = match self.find_job_until(id, stop).await {
                Ok(record) => record,
                Err(_) if stop.is_some_and(|s| clock.now().instant() >= s) => {
                    return Ok(WaitReport::new(WaitEnd::TimedOut, last, polls));
                }
                Err(error) => return Err(error),
            };
            polls += 1;
            if let Some(r) = &record {
                on_progress(r);
                last = Some(r.clone());
            }
            match waiter.observe(elapsed(), record.as_ref()) {
                WaitStep::PollAt(at) => self.shared.http.sleep(at.saturating_sub(elapsed())).await,
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

    /// createJob, then the job it started. **Billed; starts a scan.**
    ///
    /// A create that carries no tag is given one from the stack's random bits
    /// ([`AsyncHttpClient::tag_bits`]; the `wsc-ureq` and `wsc-hyper` stacks
    /// draw them from the operating system) unless
    /// [`ClientBuilder::create_tags`](crate::client::ClientBuilder::create_tags)
    /// is off; the tag used is in [`CreateOutcome::tag`].
    ///
    /// Lists the newest jobs first (a failure there sends nothing billed and
    /// is returned as is). The job is then identified by listing, on the
    /// identifier's [`ListingSchedule`](crate::identify::ListingSchedule) for
    /// as long as the overall timeout allows:
    ///
    /// - **with a tag** ([`CreateJobBuilder::tag`](crate::operations::CreateJobBuilder::tag)),
    ///   exactly: the one new job whose memo carries it. An id the reply
    ///   names is believed only once a listing shows that job carries the
    ///   tag ([`IdSource::Response`]); otherwise the tagged job is the answer
    ///   ([`IdSource::Tag`]). When the call was throttled, refused for clock
    ///   skew or never sent, it is sent again (within the retry policy) only
    ///   after a listing shows no tagged job; a tagged job, if listed, is the
    ///   result.
    /// - **without a tag**, by the one new job with the same target, memo and
    ///   start time ([`IdSource::Listing`]; concurrent identical creates can
    ///   confuse it), or the reply's id when it names one not listed before
    ///   the call. The call is never sent twice.
    ///
    /// A reply lost after the request may have arrived (a reset, a timeout, a
    /// 5xx, garbage) is never followed by a second createJob. The outcome is
    /// one of three cases, to be matched whole:
    ///
    /// - [`CreateOutcome::Identified`]: the job and how it was found (with the
    ///   lost reply's error, when it was found by listing after one);
    /// - [`CreateOutcome::NotStarted`]: nothing was started or billed — the
    ///   call was never sent (the listing before it failed), provably never
    ///   arrived, or the service refused it and no matching job appeared;
    /// - [`CreateOutcome::Unidentified`]: a job started, or may have (the
    ///   reply was lost), and it cannot be named: several new jobs match (the
    ///   candidates), none was listed before the deadline, or listing failed.
    pub async fn create_and_identify(&self, op: &CreateJob) -> CreateOutcome {
        let tagged;
        let op = match (
            op.tag(),
            self.shared.create_tags,
            self.shared.http.tag_bits(),
        ) {
            (None, true, Some(bits)) => match op.clone().with_tag(CreateTag::from_bits(bits)) {
                Ok(op) => {
                    tagged = op;
                    &tagged
                }
                Err(error) => {
                    return CreateOutcome::not_started(NotStartedReason::NotSent, error.into());
                }
            },
            _ => op,
        };
        self.create_and_identify_as_is(op).await.with_tag(op.tag())
    }

    async fn create_and_identify_as_is(&self, op: &CreateJob) -> CreateOutcome {
        let not_sent = |error| CreateOutcome::not_started(NotStartedReason::NotSent, error);
        let newest = match Limit::new(Limit::MAX) {
            Ok(limit) => ListJobs::new(limit, PageNumber::FIRST),
            Err(error) => return not_sent(error.into()),
        };
        let before = match self.list_jobs(&newest).await {
            Ok(page) => page,
            Err(error) => return not_sent(error),
        };
        let sent_at = self
            .clock_skew()
            .timestamp(self.shared.clock.now().wall())
            .to_system_time();
        let mut identifier = Identifier::new(op, &before, sent_at);
        let mut resends = RetryState::new(self.shared.retry, OperationKind::CreateJob);
        let mut reply_id = None;
        let reply_error = loop {
            match self.create_job(op).await {
                Ok(CreatedJob {
                    instance_no: Some(id),
                    ..
                }) => match identifier.check_reply(id) {
                    ReplyCheck::Believe => {
                        return CreateOutcome::identified(id, IdSource::Response, None, None);
                    }
                    ReplyCheck::ConfirmByListing => {
                        reply_id = Some(id);
                        break None;
                    }
                    _ => break None,
                },
                Ok(_) => break None,
                Err(error) if !error.may_have_reached_service() => {
                    // Throttled, refused for skew, or never sent: no job was
                    // started. Without a tag, that is the answer.
                    let never_arrived =
                        |error| CreateOutcome::not_started(NotStartedReason::NeverArrived, error);
                    if !identifier.is_tagged() {
                        return never_arrived(error);
                    }
                    let now = self.shared.clock.now().wall();
                    let decision = resends.resend_after_proof(
                        &error,
                        self.clock_skew(),
                        now,
                        &mut &self.shared.state,
                    );
                    let RetryDecision::Retry { after, .. } = decision else {
                        return never_arrived(error);
                    };
                    if !after.is_zero() {
                        self.shared.http.sleep(after).await;
                    }
                    // The proof: no job carries the tag, or the tagged job is the answer.
                    let Ok(page) = self.list_jobs(&newest).await else {
                        return never_arrived(error);
                    };
                    if let Some(job) = identifier
                        .observe(&page, self.shared.clock.now().instant())
                        .settled(None, &identifier)
                    {
                        return outcome_of(job, Some(error));
                    }
                }
                Err(error) => break Some(error),
            }
        };
        let start = self.shared.clock.now().instant();
        // A refusal in the service's own words started nothing, as a rule: a
        // few listings confirm it. Anything else is looked for until the end.
        let window = match &reply_error {
            Some(Error::Service(_)) => REFUSAL_CONFIRMATION.min(self.shared.timeouts.overall()),
            _ => self.shared.timeouts.overall(),
        };
        if let Some(deadline) = start.checked_add(window) {
            identifier = identifier.deadline(deadline);
        }
        let mut step = identifier.next(start);
        let job = loop {
            if let Some(job) = step.clone().settled(reply_id, &identifier) {
                break job;
            }
            match step {
                IdentifyStep::ListAfter(delay) => {
                    if !delay.is_zero() {
                        self.shared.http.sleep(delay).await;
                    }
                    match self.list_jobs(&newest).await {
                        Ok(page) => {
                            step = identifier.observe(&page, self.shared.clock.now().instant());
                        }
                        Err(error) => {
                            break Identification::Unidentified(Unidentified::ListingFailed(error));
                        }
                    }
                }
                _ => match reply_error {
                    // The service refused in its own words, and no job appeared.
                    Some(refusal @ Error::Service(_)) => {
                        return CreateOutcome::not_started(NotStartedReason::Refused, refusal);
                    }
                    _ => break Identification::Unidentified(Unidentified::NotListed),
                },
            }
        };
        outcome_of(job, reply_error)
    }
}

/// The outcome of a settled identification; `lost_reply` is the failure that
/// stood in for the reply, if any.
fn outcome_of(job: Identification, lost_reply: Option<Error>) -> CreateOutcome {
    match job {
        Identification::Identified { id, source, record } => {
            CreateOutcome::identified(id, source, record, lost_reply)
        }
        Identification::Unidentified(why) => CreateOutcome::unidentified(why, lost_reply),
    }
}
