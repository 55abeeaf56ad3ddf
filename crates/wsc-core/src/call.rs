//! One logical call as a state machine: the whole life of a request, minus the I/O.
//!
//! The client drives it in a short loop (quinn-proto style), and so can a
//! program with its own HTTP stack and loop:
//!
//! ```text
//! let mut call = Call::new(&operation, &endpoint, policy)?;
//! loop {
//!     let sent_at = now(); // wsc_core::sans_io::Now: wall-clock and monotonic time
//!     let request = call.next_request(&credentials, skew, sent_at);
//!     let limit = call.attempt_timeout(sent_at.instant())?;
//!     let step = match send(request, limit) {
//!         Ok(response) => call.on_response(&response, sent_at, now(), &mut skew, &mut rng),
//!         Err(transport_error) => call.on_failure(transport_error.into(), skew, now(), &mut rng),
//!     };
//!     match step {
//!         Step::Done(output) => return Ok(output),
//!         Step::RetryAfter(delay) => sleep(delay),
//!         Step::Fail(error) => return Err(error),
//!     }
//! }
//! ```
//!
//! Every attempt gets a fresh timestamp and signature; the clock-skew estimate is
//! updated from each response's `Date`; retries follow [`crate::retry`].
//! Deadlines are kept on the monotonic clock ([`Now::instant`]).

use std::time::{Duration, Instant};

use http::{Request, Response};

use crate::clock_skew::ClockSkew;
use crate::operations::{Operation, OperationKind, PreparedRequest, prepare};
use crate::retry::{RandomSource, RetryDecision, RetryPolicy, RetryState};
use crate::{Credentials, Endpoint, Error, Now};

/// The mutable state a client shares across its calls and clones: the
/// clock-skew estimate and the jitter generator. Thread-safe; the client
/// seeds the generator from its clock's first reading.
#[derive(Debug)]
pub(crate) struct ClientState {
    skew_ms: std::sync::atomic::AtomicI64,
    jitter: std::sync::Mutex<crate::retry::Jitter>,
}

impl ClientState {
    /// Fresh state with no known skew and a generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            skew_ms: std::sync::atomic::AtomicI64::new(0),
            jitter: std::sync::Mutex::new(crate::retry::Jitter::new(seed)),
        }
    }

    /// The current clock-skew estimate.
    pub(crate) fn skew(&self) -> ClockSkew {
        ClockSkew::from_offset_ms(self.skew_ms.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Stores a new estimate.
    pub(crate) fn set_skew(&self, skew: ClockSkew) {
        self.skew_ms
            .store(skew.offset_ms(), std::sync::atomic::Ordering::Relaxed);
    }
}

impl RandomSource for &ClientState {
    fn next_u64(&mut self) -> u64 {
        self.jitter
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .next_u64()
    }
}

/// What the loop driving the call does next.
#[derive(Debug)]
pub enum Step<T> {
    /// The call succeeded.
    Done(T),
    /// Sleep this long, then ask for the next request.
    RetryAfter(Duration),
    /// The call failed for good.
    Fail(Error),
}

/// The state of one logical call of operation `O`.
pub struct Call<'a, O: Operation> {
    operation: &'a O,
    prepared: PreparedRequest,
    retry: RetryState,
    attempts: u32,
    /// The overall budget, counted from the first attempt.
    overall: Option<Duration>,
    /// An absolute cap on the call (e.g. a wait's own deadline).
    hard_stop: Option<Instant>,
    /// The budget of one attempt, when set by [`Call::with_timeouts`].
    attempt_budget: Option<Duration>,
    first_sent: Option<Instant>,
    /// Whether any attempt so far may have reached the service.
    maybe_sent: bool,
}

impl<O: Operation> std::fmt::Debug for Call<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.prepared)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl<'a, O: Operation> Call<'a, O> {
    /// Prepares the request of `operation` (validation already happened when
    /// the operation was constructed).
    pub fn new(operation: &'a O, endpoint: &Endpoint, policy: RetryPolicy) -> Result<Self, Error> {
        Ok(Self {
            operation,
            prepared: prepare(operation, endpoint)?,
            retry: RetryState::new(policy, O::KIND),
            attempts: 0,
            overall: None,
            hard_stop: None,
            attempt_budget: None,
            first_sent: None,
            maybe_sent: false,
        })
    }

    /// Ends the call at `overall` after its first attempt: no retry starts or
    /// sleeps past it, and [`Call::attempt_timeout`] never reaches beyond it.
    pub fn with_deadline(mut self, overall: Duration) -> Self {
        self.overall = Some(overall);
        self
    }

    /// Ends the call at the monotonic instant `at` at the latest (on top of
    /// any overall budget): a caller's own deadline, such as a wait's.
    pub fn with_deadline_at(mut self, at: Instant) -> Self {
        self.hard_stop = Some(self.hard_stop.map_or(at, |t| t.min(at)));
        self
    }

    /// Takes the overall deadline and the per-attempt budget of this
    /// operation from `timeouts`.
    pub fn with_timeouts(mut self, timeouts: &crate::Timeouts) -> Self {
        self.attempt_budget = Some(timeouts.attempt_for(O::KIND));
        self.with_deadline(timeouts.overall())
    }

    /// The instant the call must end by, once known.
    fn deadline(&self) -> Option<Instant> {
        let from_overall = match (self.overall, self.first_sent) {
            (Some(overall), Some(first)) => first.checked_add(overall),
            _ => None,
        };
        match (from_overall, self.hard_stop) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// How long the attempt about to start (at `now`) may take: the attempt
    /// budget, cut to what remains of the deadline. An error when nothing
    /// remains. Call it after [`Call::next_request`].
    ///
    /// ```
    /// # use std::time::{Duration, Instant, SystemTime};
    /// # use wsc_core::sans_io::{Call, ClockSkew, Now};
    /// # use wsc_core::*;
    /// let op = ListJobs::default();
    /// let timeouts = Timeouts::default().with_overall(Duration::from_secs(10));
    /// let mut call = Call::new(&op, &Endpoint::from_site(Site::Public), RetryPolicy::default())?.with_timeouts(&timeouts);
    /// let t0 = Now::new(SystemTime::UNIX_EPOCH, Instant::now());
    /// let _request = call.next_request(&Credentials::new("AK", "SK")?, ClockSkew::NONE, t0);
    /// assert_eq!(call.attempt_timeout(t0.instant())?, Duration::from_secs(10));
    /// assert!(call.attempt_timeout(t0.instant() + Duration::from_secs(10)).is_err());
    /// # Ok::<(), wsc_core::Error>(())
    /// ```
    pub fn attempt_timeout(&self, now: Instant) -> Result<Duration, Error> {
        let budget = self.attempt_budget.unwrap_or(Duration::MAX);
        match self.deadline() {
            None => Ok(budget),
            Some(deadline) => match deadline.checked_duration_since(now) {
                Some(left) if !left.is_zero() => Ok(budget.min(left)),
                _ => Err(self.deadline_error()),
            },
        }
    }

    /// The error a call ends with at its deadline: a timeout that may have
    /// reached the service if any attempt may have.
    fn deadline_error(&self) -> Error {
        use crate::error::{Delivery, TransportError, TransportFailureKind};
        let delivery = if self.maybe_sent {
            Delivery::MaybeSent
        } else {
            Delivery::NotSent
        };
        let budget = match (self.overall, self.first_sent, self.hard_stop) {
            (_, Some(first), Some(stop)) if self.deadline() == Some(stop) => {
                stop.saturating_duration_since(first)
            }
            (Some(overall), _, _) => overall,
            _ => Duration::ZERO,
        };
        Error::Transport(TransportError::new(
            TransportFailureKind::Timeout,
            delivery,
            format!(
                "deadline of {budget:?} reached after {} attempt(s)",
                self.attempts
            ),
        ))
    }

    /// The operation.
    pub fn kind(&self) -> OperationKind {
        O::KIND
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The prepared (unsigned) request.
    pub fn prepared(&self) -> &PreparedRequest {
        &self.prepared
    }

    /// The signed request of the next attempt, stamped with the skew-corrected time.
    pub fn next_request(
        &mut self,
        credentials: &Credentials,
        skew: ClockSkew,
        now: Now,
    ) -> Request<Vec<u8>> {
        self.attempts += 1;
        self.first_sent.get_or_insert(now.instant());
        self.prepared.sign(credentials, skew.timestamp(now.wall()))
    }

    /// Handles a response: updates `skew` from its `Date`, parses it, and
    /// decides. `sent_at`/`received_at` are the clock readings around the attempt.
    pub fn on_response<B: AsRef<[u8]>>(
        &mut self,
        response: &Response<B>,
        sent_at: Now,
        received_at: Now,
        skew: &mut ClockSkew,
        rng: &mut dyn RandomSource,
    ) -> Step<O::Output> {
        self.maybe_sent = true;
        if let Some(estimate) =
            ClockSkew::estimate(response.headers(), sent_at.wall(), received_at.wall())
        {
            *skew = estimate;
        }
        match self.operation.parse_response(response) {
            Ok(output) => Step::Done(output),
            Err(error) => self.on_failure(error, *skew, received_at, rng),
        }
    }

    /// Handles a failure (a transport error, or an error the caller produced).
    pub fn on_failure(
        &mut self,
        error: Error,
        skew: ClockSkew,
        now: Now,
        rng: &mut dyn RandomSource,
    ) -> Step<O::Output> {
        self.maybe_sent |= error.may_have_reached_service();
        match self.retry.on_failure(&error, skew, now.wall(), rng) {
            RetryDecision::Retry { after, .. } => match self.deadline() {
                Some(deadline)
                    if now
                        .instant()
                        .checked_add(after)
                        .is_none_or(|at| at >= deadline) =>
                {
                    Step::Fail(self.deadline_error())
                }
                _ => Step::RetryAfter(after),
            },
            RetryDecision::GiveUp(_) => Step::Fail(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::{CreateJob, ListJobs};

    fn creds() -> Credentials {
        Credentials::new("AK", "SK").unwrap()
    }

    fn endpoint() -> Endpoint {
        Endpoint::parse("http://127.0.0.1:1").unwrap()
    }

    use std::time::SystemTime;

    fn at(secs: u64) -> Now {
        thread_local!(static BASE: Instant = Instant::now());
        BASE.with(|base| {
            Now::new(SystemTime::UNIX_EPOCH, *base).advanced(Duration::from_secs(secs))
        })
    }

    fn response(status: u16, body: &str, date: Option<SystemTime>) -> Response<Vec<u8>> {
        let mut b = Response::builder().status(status);
        if let Some(d) = date {
            b = b.header("date", httpdate::fmt_http_date(d));
        }
        b.body(body.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn a_skewed_401_is_resigned_with_the_server_time() {
        let op = ListJobs::default();
        let mut call = Call::new(&op, &endpoint(), RetryPolicy::default()).unwrap();
        let mut skew = ClockSkew::NONE;
        let now = at(1_700_000_000);
        let server_time = now.wall() + Duration::from_secs(600);
        let first = call.next_request(&creds(), skew, now);
        assert_eq!(first.headers()["x-ncp-apigw-timestamp"], "1700000000000");
        let auth = r#"{"error":{"errorCode":"200","message":"Authentication Failed"}}"#;
        let step = call.on_response(
            &response(401, auth, Some(server_time)),
            now,
            now,
            &mut skew,
            &mut || 0u64,
        );
        assert!(
            matches!(step, Step::RetryAfter(d) if d == Duration::ZERO),
            "{step:?}"
        );
        let second = call.next_request(&creds(), skew, now);
        assert_eq!(second.headers()["x-ncp-apigw-timestamp"], "1700000600000");
        assert_ne!(
            first.headers()["x-ncp-apigw-signature-v2"],
            second.headers()["x-ncp-apigw-signature-v2"]
        );
        assert_eq!(call.attempts(), 2);
    }

    #[test]
    fn a_billed_call_fails_on_a_5xx() {
        let op = CreateJob::builder("https://a.example").build().unwrap();
        let mut call = Call::new(&op, &endpoint(), RetryPolicy::default()).unwrap();
        let mut skew = ClockSkew::NONE;
        let now = at(0);
        let _ = call.next_request(&creds(), skew, now);
        let body = r#"{"error":{"errorCode":"500","message":"Endpoint Error"}}"#;
        let step = call.on_response(&response(503, body, None), now, now, &mut skew, &mut || {
            0u64
        });
        assert!(matches!(step, Step::Fail(Error::Gateway(_))), "{step:?}");
    }

    #[test]
    fn a_retry_past_the_overall_deadline_ends_the_call() {
        let op = ListJobs::default();
        let mut call = Call::new(&op, &endpoint(), RetryPolicy::default())
            .unwrap()
            .with_deadline(Duration::from_secs(10));
        let mut skew = ClockSkew::NONE;
        let start = at(1_000);
        let _ = call.next_request(&creds(), skew, start);
        let busy = r#"{"error":{"errorCode":"500","message":"Endpoint Error"}}"#;
        let early = call.on_response(
            &response(503, busy, None),
            start,
            start,
            &mut skew,
            &mut || 0u64,
        );
        assert!(matches!(early, Step::RetryAfter(_)), "{early:?}");
        let _ = call.next_request(&creds(), skew, start);
        let late = start.advanced(Duration::from_secs(11));
        let step = call.on_response(
            &response(503, busy, None),
            late,
            late,
            &mut skew,
            &mut || 0u64,
        );
        assert!(matches!(step, Step::Fail(Error::Transport(_))), "{step:?}");
    }

    #[test]
    fn client_state_keeps_the_skew_and_draws_jitter() {
        let state = ClientState::new(7);
        state.set_skew(ClockSkew::from_offset_ms(-5));
        assert_eq!(state.skew().offset_ms(), -5);
        let (a, b) = ((&state).next_u64(), (&state).next_u64());
        assert_ne!(a, b);
    }

    #[test]
    fn success_is_done() {
        let op = ListJobs::default();
        let mut call = Call::new(&op, &endpoint(), RetryPolicy::default()).unwrap();
        let mut skew = ClockSkew::NONE;
        let _ = call.next_request(&creds(), skew, at(0));
        let ok =
            r#"{"returnCode":"0","resources":{"total_cnt":0,"total_page_cnt":0,"record_data":[]}}"#;
        let step = call.on_response(
            &response(200, ok, None),
            at(0),
            at(0),
            &mut skew,
            &mut || 0u64,
        );
        assert!(
            matches!(step, Step::Done(ref p) if p.records.is_empty()),
            "{step:?}"
        );
    }
}
