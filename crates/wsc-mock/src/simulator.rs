//! The stateful WSC service: jobs, their lifecycle, and the six operations,
//! validated like the real service and answering with its wire quirks.

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};
use wsc_core::sans_io::OperationKind;

use crate::config::{CreateResponse, MockConfig};
use crate::demo::demo_jobs;
use crate::job::{Findings, Intervention, Job, Phase, Plan, phase_at};
use crate::reply::Reply;
use crate::routes::Routed;

/// Reserved words accepted in `UserAgent`.
const USER_AGENTS: [&str; 4] = ["Android", "iPhone", "PC Chrome", "PC IE"];
/// First id handed out.
const FIRST_ID: u64 = 1_234_567_000;

/// A job to preload, held in a phase (or left to run from its start).
#[derive(Debug, Clone)]
pub struct PreloadJob {
    /// Target URL.
    pub start_url: String,
    /// Memo.
    pub memo: String,
    /// Phase to hold it in (`None`: let it run from now).
    pub held: Option<Phase>,
    /// Findings (for completed jobs' reports).
    pub findings: Findings,
}

pub(crate) struct Simulator {
    pub jobs: Vec<Job>,
    /// When (real time) each job created through createJob was created: the
    /// listing hides it until `MockConfig::listing_delay` has passed.
    created_real: std::collections::HashMap<u64, std::time::Instant>,
    next_id: u64,
    seed: u64,
    pub epoch: SystemTime,
}

impl Simulator {
    pub fn new(config: &MockConfig) -> Self {
        let mut sim = Self {
            jobs: Vec::new(),
            created_real: std::collections::HashMap::new(),
            next_id: FIRST_ID,
            seed: config.seed,
            epoch: SystemTime::now(),
        };
        if config.preload_demo_jobs {
            for job in demo_jobs() {
                sim.preload(job, Duration::ZERO);
            }
        }
        sim
    }

    pub fn preload(&mut self, p: PreloadJob, now: Duration) -> u64 {
        let id = self.allocate_id();
        self.jobs.push(Job {
            id,
            start_url: p.start_url,
            exclude_urls: Vec::new(),
            vuln_items: vec!["ALL".into()],
            user_agent: "PC Chrome".into(),
            memo: p.memo,
            login_cookie: None,
            created_at: now,
            plan: Plan::Complete,
            findings: p.findings,
            crawl_total: 40 + id % 200,
            held: p.held,
            intervention: None,
            speed: 1,
        });
        id
    }

    fn allocate_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn handle(
        &mut self,
        routed: &Routed,
        body: &[u8],
        now: Duration,
        config: &MockConfig,
    ) -> (Reply, Option<String>) {
        match routed.op {
            OperationKind::ListJobs => match (routed.limit, routed.page) {
                (Some(limit), Some(page)) if limit > 0 && page > 0 => (
                    self.page(
                        self.visible(now, config, |_| true),
                        limit,
                        page,
                        now,
                        config,
                    ),
                    None,
                ),
                _ => (
                    Reply::gateway(
                        400,
                        "100",
                        "Bad Request Exception",
                        Some("limit and page are required positive integers"),
                    ),
                    Some("bad paging".into()),
                ),
            },
            OperationKind::SearchJobs => self.search(body, now, config),
            OperationKind::CreateJob => self.create(body, now, config),
            OperationKind::CancelJob => {
                self.act(routed.id, now, config, Phase::cancellable, |job, _| {
                    job.intervention = Some(Intervention::Cancelled { at: now });
                })
            }
            OperationKind::StopJob => {
                self.act(routed.id, now, config, Phase::stoppable, |job, now| {
                    job.intervention = Some(Intervention::Stopped { at: now });
                })
            }
            OperationKind::GetReport => self.report(routed.id, now, config),
            _ => (
                Reply::gateway(404, "300", "Not Found Exception", None),
                Some("unknown operation".into()),
            ),
        }
    }

    fn visible(
        &self,
        now: Duration,
        config: &MockConfig,
        keep: impl Fn(&(Phase, &Job)) -> bool,
    ) -> Vec<Value> {
        let mut jobs: Vec<&Job> = self.jobs.iter().collect();
        jobs.sort_by_key(|j| std::cmp::Reverse(j.id)); // newest first
        let listed = |j: &&Job| {
            self.created_real
                .get(&j.id)
                .is_none_or(|at| at.elapsed() >= config.listing_delay)
        };
        jobs.into_iter()
            .filter(listed)
            .map(|j| (phase_at(j, now, &config.timings).0, j))
            .filter(|pair| keep(pair))
            .map(|(_, j)| j.record(now, &config.timings, config.language, self.epoch))
            .collect()
    }

    fn page(
        &self,
        records: Vec<Value>,
        limit: u32,
        page: u32,
        _now: Duration,
        _config: &MockConfig,
    ) -> Reply {
        let total = records.len() as u64;
        let limit = u64::from(limit);
        let total_pages = total.div_ceil(limit);
        let page = u64::from(page);
        let block_start = (page - 1) / 10 * 10 + 1;
        let block_end = (block_start + 9).min(total_pages.max(1));
        let start = ((page - 1) * limit).min(total) as usize;
        let end = (page * limit).min(total) as usize;
        Reply::success(json!({
            "total_cnt": total,
            "total_page_cnt": total_pages,
            "current_start_page": block_start,
            "current_end_page": block_end,
            "record_data": records[start..end],
        }))
    }

    fn search(&self, body: &[u8], now: Duration, config: &MockConfig) -> (Reply, Option<String>) {
        let bad = |why: &str| {
            (
                Reply::gateway(400, "100", "Bad Request Exception", Some(why)),
                Some(why.to_owned()),
            )
        };
        let Ok(Value::Object(b)) = serde_json::from_slice::<Value>(body) else {
            return bad("the body must be a JSON object");
        };
        for key in ["searchType", "searchKeyword", "statusCode", "limit", "page"] {
            if !b.contains_key(key) {
                return bad(
                    "searchType, searchKeyword, statusCode, limit and page are all required",
                );
            }
        }
        let search_type = b["searchType"].as_str().unwrap_or_default().to_owned();
        let keyword = b["searchKeyword"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        let status = match &b["statusCode"] {
            Value::Null => None,
            v => match v.as_u64() {
                Some(code) => Some(code),
                None => return bad("statusCode must be an integer or null"),
            },
        };
        let (Some(limit), Some(page)) = (b["limit"].as_u64(), b["page"].as_u64()) else {
            return bad("limit and page must be integers");
        };
        if limit == 0 || page == 0 || limit > u64::from(u32::MAX) || page > u64::from(u32::MAX) {
            return bad("limit and page must be positive");
        }
        let records = self.visible(now, config, |(phase, job)| {
            let text_ok = match search_type.as_str() {
                "url" => job.start_url.to_lowercase().contains(&keyword),
                "memo" => job.memo.to_lowercase().contains(&keyword),
                _ => true,
            };
            let status_ok = status.is_none_or(|s| phase.code().map(u64::from) == Some(s));
            text_ok && status_ok
        });
        (
            self.page(records, limit as u32, page as u32, now, config),
            None,
        )
    }

    fn create(
        &mut self,
        body: &[u8],
        now: Duration,
        config: &MockConfig,
    ) -> (Reply, Option<String>) {
        let fail = |why: String| (Reply::api_call_fail(), Some(why));
        let Ok(Value::Object(b)) = serde_json::from_slice::<Value>(body) else {
            return fail("createJob body is not a JSON object".into());
        };
        let text = |k: &str| b.get(k).and_then(Value::as_str).map(str::to_owned);
        let Some(start_url) =
            text("StartUrl").filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        else {
            return fail("StartUrl is required and must be an http(s) URL".into());
        };
        let vuln_items: Vec<String> = match b.get("VulnItems") {
            Some(Value::Array(items))
                if !items.is_empty() && items.iter().all(Value::is_string) =>
            {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            }
            _ => return fail("VulnItems is required: a non-empty list of strings".into()),
        };
        let Some(user_agent) = text("UserAgent").filter(|ua| USER_AGENTS.contains(&ua.as_str()))
        else {
            return fail("UserAgent must be one of Android, iPhone, PC Chrome, PC IE".into());
        };
        let speed = match b.get("Speed") {
            Some(Value::String(s)) if matches!(s.as_str(), "1" | "2" | "3") => {
                s.parse::<u32>().unwrap_or(1)
            }
            _ => return fail("Speed must be the string \"1\", \"2\" or \"3\"".into()),
        };
        let exclude_urls: Vec<String> = match b.get("ExcludeUrl") {
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            None => Vec::new(),
            _ => return fail("ExcludeUrl must be a list of strings".into()),
        };
        let headers: Map<String, Value> = match b.get("Headers") {
            Some(Value::Object(h)) if h.values().all(Value::is_string) => h.clone(),
            None | Some(Value::Null) => Map::new(),
            _ => return fail("Headers must be an object of strings".into()),
        };
        if let Some(master) = b
            .get("MasterInstanceNo")
            .filter(|v| !v.is_null() && *v != "")
        {
            let Some(id) = master.as_str().and_then(|s| s.parse::<u64>().ok()) else {
                return fail("MasterInstanceNo must be a job id as a string".into());
            };
            let completed = self
                .jobs
                .iter()
                .any(|j| j.id == id && phase_at(j, now, &config.timings).0 == Phase::Completed);
            if !completed {
                return fail(format!("MasterInstanceNo {id} is not a completed job"));
            }
        }
        let memo = text("Memo").unwrap_or_default();
        let id = self.allocate_id();
        let host = start_url.to_lowercase();
        let plan = if host.contains("unreachable") {
            Plan::FailCollection
        } else if host.contains("fail") {
            Plan::FailDiagnosis
        } else {
            Plan::Complete
        };
        let mut rng = self.seed ^ id.wrapping_mul(0x2545_F491_4F6C_DD1D);
        let findings = if host.contains("clean") {
            Findings::default()
        } else {
            Findings {
                high: crate::splitmix(&mut rng) % 3,
                medium: crate::splitmix(&mut rng) % 5,
                low: crate::splitmix(&mut rng) % 9,
            }
        };
        let login_cookie = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("cookie"))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_owned);
        self.created_real.insert(id, std::time::Instant::now());
        self.jobs.push(Job {
            id,
            start_url,
            exclude_urls,
            vuln_items,
            user_agent,
            memo,
            login_cookie,
            created_at: now,
            plan,
            findings,
            crawl_total: 20 + crate::splitmix(&mut rng) % 400,
            held: None,
            intervention: None,
            speed,
        });
        let resources = match config.create_response {
            CreateResponse::NullResources => Value::Null,
            CreateResponse::WithId => json!({ "instanceNo": id.to_string() }),
        };
        (Reply::success(resources), None)
    }

    fn act(
        &mut self,
        id: Option<u64>,
        now: Duration,
        config: &MockConfig,
        allowed: fn(Phase) -> bool,
        apply: impl FnOnce(&mut Job, Duration),
    ) -> (Reply, Option<String>) {
        let Some(job) = self.jobs.iter_mut().find(|j| Some(j.id) == id) else {
            return (Reply::api_call_fail(), Some("no such job".into()));
        };
        let phase = phase_at(job, now, &config.timings).0;
        if !allowed(phase) {
            return (Reply::api_call_fail(), Some(format!("job is {phase:?}")));
        }
        job.held = None;
        apply(job, now);
        (Reply::success(Value::Null), None)
    }

    fn report(
        &self,
        id: Option<u64>,
        now: Duration,
        config: &MockConfig,
    ) -> (Reply, Option<String>) {
        let Some(job) = self.jobs.iter().find(|j| Some(j.id) == id) else {
            return (Reply::api_call_fail(), Some("no such job".into()));
        };
        let phase = phase_at(job, now, &config.timings).0;
        if phase != Phase::Completed {
            return (
                Reply::api_call_fail(),
                Some(format!("job is {phase:?}, not completed")),
            );
        }
        (
            Reply::success(job.report(now, &config.timings, self.epoch)),
            None,
        )
    }
}
