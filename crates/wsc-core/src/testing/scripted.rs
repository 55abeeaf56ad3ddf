//! An HTTP stack that answers from a script and a small job table, on a
//! manual clock.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response};
use serde_json::{Value, json};

use crate::client::{AsyncHttpClient, AttemptLimits, HttpClient, MaybeSend};
use crate::error::{Delivery, TransportError, TransportFailureKind};
use crate::model::InstanceId;
use crate::operations::OperationKind;
use crate::testing::ManualClock;

/// What [`ScriptedHttp`] does with one request.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::transport::{Delivery, TransportFailureKind};
/// use wsc_core::testing::Reply;
/// let throttled = Reply::http(429, r#"{"error":{"errorCode":"410","message":"Throttle"}}"#)
///     .with_header("retry-after", "3");
/// let refused = Reply::fail(TransportFailureKind::Connect, Delivery::NotSent);
/// let slow = Reply::after(Duration::from_secs(2), Reply::service());
/// # let _ = (throttled, refused, slow);
/// ```
#[derive(Debug, Clone)]
pub struct Reply(Kind);

#[derive(Debug, Clone)]
enum Kind {
    Service,
    Http {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    Fail(TransportFailureKind, Delivery),
    ActedThenFail {
        times: u32,
        kind: TransportFailureKind,
    },
    Hang,
    After(Duration, Box<Reply>),
}

impl Reply {
    /// The service's own answer: getJobs and searchJobs list the job table,
    /// createJob adds a job and answers the documented success (no id),
    /// cancelJob and stopJob end the job, getReport answers a report of
    /// zero findings.
    pub fn service() -> Self {
        Reply(Kind::Service)
    }

    /// An HTTP response of `status` with the JSON `body`; the service does
    /// not act.
    pub fn http(status: u16, body: impl Into<String>) -> Self {
        Reply(Kind::Http {
            status,
            body: body.into(),
            headers: Vec::new(),
        })
    }

    /// The response with a header added (an [`Reply::http`] reply; other
    /// replies are returned unchanged).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Kind::Http { headers, .. } = &mut self.0 {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// A transport failure; the service does not act.
    pub fn fail(kind: TransportFailureKind, delivery: Delivery) -> Self {
        Reply(Kind::Fail(kind, delivery))
    }

    /// The service acts on the request (createJob adds its job), then the
    /// reply is lost as a `kind` failure that may have reached the service.
    pub fn acted_then_fail(kind: TransportFailureKind) -> Self {
        Reply(Kind::ActedThenFail { times: 1, kind })
    }

    /// As [`Reply::acted_then_fail`], but the service acts twice (a proxy
    /// re-sent the request: createJob adds two identical jobs).
    pub fn acted_twice_then_fail(kind: TransportFailureKind) -> Self {
        Reply(Kind::ActedThenFail { times: 2, kind })
    }

    /// Nothing comes back: the clock moves to the end of the attempt's
    /// timeout, which fails as a timeout that may have reached the service.
    /// The service does not act.
    pub fn hang() -> Self {
        Reply(Kind::Hang)
    }

    /// `reply`, `delay` later; past the attempt's timeout it is a
    /// [`Reply::hang`].
    pub fn after(delay: Duration, reply: Reply) -> Self {
        Reply(Kind::After(delay, Box::new(reply)))
    }
}

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
struct Job {
    id: u64,
    start_url: String,
    memo: String,
    /// Monotonic time since the clock's start when it finishes, if ever.
    done_at: Option<Duration>,
    ended: Option<&'static str>,
}

#[derive(Debug, Default)]
struct State {
    queued: HashMap<OperationKindKey, VecDeque<Reply>>,
    always: HashMap<OperationKindKey, Reply>,
    jobs: Vec<Job>,
    next_id: u64,
    seen: Vec<SeenRequest>,
    latency: Duration,
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
    clock: ManualClock,
    state: Arc<Mutex<State>>,
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

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
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

    fn answer(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError> {
        let line = format!(
            "{} {}",
            request.method(),
            request.uri().path_and_query().map_or("/", |p| p.as_str())
        );
        let kind = route(request.method(), request.uri().path());
        let body = String::from_utf8_lossy(request.body()).into_owned();
        let latency = {
            let mut state = self.state();
            state.seen.push(SeenRequest {
                kind,
                line,
                at: self.clock.elapsed(),
                timeout: limits.timeout,
                body: body.clone(),
            });
            state.latency
        };
        let Some(kind) = kind else {
            return Ok(json_response(
                404,
                r#"{"error":{"errorCode":"300","message":"Not Found Exception"}}"#.to_owned(),
                &[],
            ));
        };
        let reply = {
            let mut state = self.state();
            let queued = state
                .queued
                .get_mut(kind.name())
                .and_then(VecDeque::pop_front);
            queued
                .or_else(|| state.always.get(kind.name()).cloned())
                .unwrap_or_else(Reply::service)
        };
        self.apply(reply, kind, &request, &body, latency, limits)
    }

    fn apply(
        &self,
        reply: Reply,
        kind: OperationKind,
        request: &Request<Vec<u8>>,
        body: &str,
        delay: Duration,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError> {
        if delay >= limits.timeout {
            return Err(self.time_out(limits));
        }
        self.clock.advance(delay);
        let left = AttemptLimits::new(limits.timeout - delay, limits.max_body_bytes);
        match reply.0 {
            Kind::Service => Ok(self.service(kind, request, body)),
            Kind::Http {
                status,
                body,
                headers,
            } => Ok(json_response(status, body, &headers)),
            Kind::Fail(kind, delivery) => Err(TransportError::new(
                kind,
                delivery,
                format!("scripted {kind:?} failure"),
            )),
            Kind::ActedThenFail { times, kind: lost } => {
                for _ in 0..times {
                    let _ = self.service(kind, request, body);
                }
                Err(TransportError::new(
                    lost,
                    Delivery::MaybeSent,
                    format!("scripted {lost:?} failure after the service acted"),
                ))
            }
            Kind::Hang => Err(self.time_out(left)),
            Kind::After(more, inner) => self.apply(*inner, kind, request, body, more, left),
        }
    }

    fn time_out(&self, limits: AttemptLimits) -> TransportError {
        self.clock.advance(limits.timeout);
        TransportError::new(
            TransportFailureKind::Timeout,
            Delivery::MaybeSent,
            format!(
                "no complete response within {} ms",
                limits.timeout.as_millis()
            ),
        )
    }

    /// The scripted service's own answer to `kind`.
    fn service(
        &self,
        kind: OperationKind,
        request: &Request<Vec<u8>>,
        body: &str,
    ) -> Response<Bytes> {
        let now = self.clock.elapsed();
        let mut state = self.state();
        let ok = |resources: Value| {
            let mut doc = json!({
                "returnCode": "0",
                "returnDesc": "Request Success",
                "returnMessage": "Success",
            });
            if !resources.is_null() {
                doc["resources"] = resources;
            }
            json_response(200, doc.to_string(), &[])
        };
        match kind {
            OperationKind::ListJobs | OperationKind::SearchJobs => {
                let query = request.uri().query().unwrap_or("");
                let param = |name: &str| {
                    query
                        .split('&')
                        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
                        .and_then(|v| v.parse::<usize>().ok())
                };
                let search: Value = serde_json::from_str(body).unwrap_or(Value::Null);
                let (limit, page) = match kind {
                    OperationKind::SearchJobs => (
                        search["limit"].as_u64().map_or(10, |n| n as usize),
                        search["page"].as_u64().map_or(1, |n| n as usize),
                    ),
                    _ => (param("limit").unwrap_or(10), param("page").unwrap_or(1)),
                };
                // searchJobs: `searchType` (url or memo) and `searchKeyword`, matched as
                // a substring in any case (as wsc-mock does); getJobs lists everything.
                let keyword = search["searchKeyword"]
                    .as_str()
                    .unwrap_or("")
                    .to_lowercase();
                let by_memo = search["searchType"].as_str() == Some("memo");
                let records: Vec<Value> = state
                    .jobs
                    .iter()
                    .rev()
                    .filter(|j| {
                        let field = if by_memo { &j.memo } else { &j.start_url };
                        kind != OperationKind::SearchJobs || field.to_lowercase().contains(&keyword)
                    })
                    .map(|j| record(j, now))
                    .collect();
                let limit = limit.max(1);
                let pages = records.len().div_ceil(limit);
                let start = page
                    .saturating_sub(1)
                    .saturating_mul(limit)
                    .min(records.len());
                let end = start.saturating_add(limit).min(records.len());
                ok(json!({
                    "total_cnt": records.len(),
                    "total_page_cnt": pages,
                    "current_start_page": 1,
                    "current_end_page": pages.max(1),
                    "record_data": records[start..end],
                }))
            }
            OperationKind::CreateJob => {
                let wire: Value = serde_json::from_str(body).unwrap_or(Value::Null);
                add_job(
                    &mut state,
                    wire["StartUrl"].as_str().unwrap_or("").to_owned(),
                    wire["Memo"].as_str().unwrap_or("").to_owned(),
                    None,
                );
                ok(Value::Null)
            }
            OperationKind::CancelJob | OperationKind::StopJob => {
                let id = job_id(request.uri().path());
                let label = if kind == OperationKind::CancelJob {
                    "진단 취소"
                } else {
                    "작업 중지"
                };
                match state.jobs.iter_mut().find(|j| Some(j.id) == id) {
                    Some(job) => {
                        job.ended = Some(label);
                        ok(Value::Null)
                    }
                    None => json_response(
                        200,
                        r#"{"returnCode":"901","returnDesc":"API Call Fail","returnMessage":"no such job"}"#
                            .to_owned(),
                        &[],
                    ),
                }
            }
            _ => ok(json!({
                "Target_Info": "https://scripted.example",
                "Total_Vulnerability_Count": { "Total": "0", "High": "0", "Medium": 0, "Low": 0 },
            })),
        }
    }
}

fn add_job(
    state: &mut State,
    start_url: String,
    memo: String,
    done_at: Option<Duration>,
) -> InstanceId {
    let id = state.next_id;
    state.next_id += 1;
    state.jobs.push(Job {
        id,
        start_url,
        memo,
        done_at,
        ended: None,
    });
    // Ids start at 1,000,000,001 and only grow: never 0.
    InstanceId(id)
}

/// A job's getJobs record at `now`, with the wire's quirks (strings, nulls).
fn record(job: &Job, now: Duration) -> Value {
    let done = job.done_at.is_some_and(|at| now >= at);
    let (status, progress) = match (job.ended, done) {
        (Some(label), _) => (label, Value::Null),
        (None, true) => ("진단 완료", json!("100")),
        (None, false) => ("진단 진행 중", json!(50)),
    };
    json!({
        "instanceNo": job.id.to_string(),
        "start_date": "",
        "end_date": "",
        "status": status,
        "progress": progress,
        "start_url": job.start_url,
        "crawl_cnt": "",
        "scan_cnt": "",
        "memo": job.memo,
        "result_button": if done { "report" } else { "" },
        "result_desc": "",
        "rescan_button": "",
        "slave_data": Value::Null,
    })
}

fn json_response(status: u16, body: String, headers: &[(String, String)]) -> Response<Bytes> {
    let mut builder = Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json;charset=UTF-8");
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Bytes::from(body))
        .unwrap_or_else(|_| Response::new(Bytes::new()))
}

/// The operation a request line names, as the gateway routes it.
fn route(method: &Method, path: &str) -> Option<OperationKind> {
    let rest = path.strip_prefix("/api/v1/")?;
    let segments: Vec<&str> = rest.split('/').collect();
    match (method, segments.as_slice()) {
        (&Method::GET, ["jobs"]) => Some(OperationKind::ListJobs),
        (&Method::POST, ["jobs", "search"]) => Some(OperationKind::SearchJobs),
        (&Method::PUT, ["job"]) => Some(OperationKind::CreateJob),
        (&Method::PATCH, ["jobs", _, "cancel"]) => Some(OperationKind::CancelJob),
        (&Method::PATCH, ["jobs", _, "stop"]) => Some(OperationKind::StopJob),
        (&Method::GET, ["jobs", _, "report"]) => Some(OperationKind::GetReport),
        _ => None,
    }
}

fn job_id(path: &str) -> Option<u64> {
    path.split('/').nth(4)?.parse().ok()
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
