//! An HTTP stack that answers from a script and a small job table, on a
//! manual clock.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};

use crate::client::{AsyncHttpClient, AttemptLimits, HttpClient, MaybeSend};
use crate::error::TransportError;
use crate::model::InstanceId;
use crate::operations::OperationKind;
use crate::testing::ManualClock;
use crate::testing::reply::Reply;
use crate::testing::service::add_job;

/// One request the stack received.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SeenRequest {
    /// The operation it was routed to (`None`: no WSC route).
    pub kind: Option<OperationKind>,
    /// Method and target, e.g. `GET /api/v1/jobs?limit=100&page=1`.
    pub line: String,
    /// Monotonic time since the clock was made, when it arrived.
    pub at: Duration,
    /// The attempt's timeout the client handed over.
    pub timeout: Duration,
    /// The body, as text.
    pub body: String,
}

/// A job in the scripted service's table.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pub(super) id: u64,
    pub(super) start_url: String,
    pub(super) memo: String,
    /// Monotonic time since the clock's start when it finishes, if ever.
    pub(super) done_at: Option<Duration>,
    pub(super) ended: Option<&'static str>,
}

#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) queued: HashMap<OperationKindKey, VecDeque<Reply>>,
    pub(super) always: HashMap<OperationKindKey, Reply>,
    pub(super) jobs: Vec<Job>,
    pub(super) next_id: u64,
    pub(super) seen: Vec<SeenRequest>,
    pub(super) latency: Duration,
}

/// `OperationKind` is `#[non_exhaustive]` and hashable; a key by name keeps
/// the map independent of its derive list.
type OperationKindKey = &'static str;

/// A scripted WSC service as an HTTP stack, on a [`ManualClock`]. Clones
/// share the script, the job table and the record of requests.
///
/// Unscripted requests get [`Reply::service`]. Scripted replies for an
/// operation are used in order ([`ScriptedHttp::reply`]), then its standing
/// reply if any ([`ScriptedHttp::always`]). A client on the same clock
/// pauses on it ([`ManualClock::pauses`]), which advances it.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::Client;
/// use wsc_core::sans_io::OperationKind;
/// use wsc_core::testing::{ManualClock, Reply, ScriptedHttp};
/// use wsc_core::wait::{WaitEnd, WaitOptions};
/// use wsc_core::{Credentials, Endpoint};
///
/// let clock = ManualClock::new();
/// let http = ScriptedHttp::new(clock.clone());
/// let id = http.add_job("https://shop.example.com", "nightly", Some(Duration::from_secs(600)));
/// let client = Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("https://wsc.test")?)
///     .clock(clock.clone())
///     .build_with(http.clone());
/// let report = client.wait(id, WaitOptions::default().with_interval(Duration::from_secs(60)), |_| {})?;
/// assert!(matches!(report.end, WaitEnd::Finished(_)));
/// assert!(clock.elapsed() >= Duration::from_secs(600)); // ten virtual minutes, no real ones
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ScriptedHttp {
    pub(super) clock: ManualClock,
    pub(super) state: Arc<Mutex<State>>,
}

impl ScriptedHttp {
    /// An empty service on `clock`.
    pub fn new(clock: ManualClock) -> Self {
        Self {
            clock,
            state: Arc::new(Mutex::new(State {
                next_id: 1_000_000_001,
                ..State::default()
            })),
        }
    }

    pub(super) fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The clock the stack advances.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// Queues `reply` for the next unanswered request of `kind`.
    pub fn reply(&self, kind: OperationKind, reply: Reply) -> &Self {
        self.state()
            .queued
            .entry(kind.name())
            .or_default()
            .push_back(reply);
        self
    }

    /// Answers every request of `kind` with `reply` once the queued replies
    /// are used.
    pub fn always(&self, kind: OperationKind, reply: Reply) -> &Self {
        self.state().always.insert(kind.name(), reply);
        self
    }

    /// Every request takes `latency` of virtual time.
    pub fn latency(&self, latency: Duration) -> &Self {
        self.state().latency = latency;
        self
    }

    /// Adds a job to the table: running until `done_after` from now (never
    /// finishing with `None`), then completed. Returns its id.
    pub fn add_job(&self, start_url: &str, memo: &str, done_after: Option<Duration>) -> InstanceId {
        let now = self.clock.elapsed();
        let mut state = self.state();
        add_job(
            &mut state,
            start_url.to_owned(),
            memo.to_owned(),
            done_after.map(|d| now.saturating_add(d)),
        )
    }

    /// The ids in the job table, newest first.
    pub fn job_ids(&self) -> Vec<InstanceId> {
        self.state()
            .jobs
            .iter()
            .rev()
            .map(|j| InstanceId(j.id))
            .collect()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.state().seen.clone()
    }

    /// How many requests of `kind` were received.
    pub fn count(&self, kind: OperationKind) -> usize {
        self.state()
            .seen
            .iter()
            .filter(|r| r.kind == Some(kind))
            .count()
    }
}

impl HttpClient for ScriptedHttp {
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError> {
        self.answer(request, limits)
    }

    fn name(&self) -> &'static str {
        "scripted"
    }
}

impl AsyncHttpClient for ScriptedHttp {
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + MaybeSend {
        std::future::ready(self.answer(request, limits))
    }

    fn name(&self) -> &'static str {
        "scripted"
    }
}
