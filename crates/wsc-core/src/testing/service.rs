//! The scripted service's answers: the job table, the scripted replies, and
//! the service's behaviour for what is not scripted.

use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use serde_json::{Value, json};

use std::collections::VecDeque;

use super::reply::{Kind, Reply};
use super::scripted::{Job, ScriptedHttp, SeenRequest, State};
use crate::client::AttemptLimits;
use crate::error::{Delivery, TransportError, TransportFailureKind};
use crate::model::InstanceId;
use crate::operations::OperationKind;

impl ScriptedHttp {
    pub(super) fn answer(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError> {
        let line = format!(
            "{} {}",
            request.method(),
            request.uri().path_and_query().map_or("/", |p| p.as_str())
        );
        let kind =
            OperationKind::route(request.method(), request.uri().path()).map(|(kind, _)| kind);
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

pub(super) fn add_job(
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

fn job_id(path: &str) -> Option<u64> {
    path.split('/').nth(4)?.parse().ok()
}
