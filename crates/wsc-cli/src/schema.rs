//! The CLI's own JSON schema for jobs (`-o json` of `list`, `search`, `get`,
//! `wait`), documented in `docs/cli.md` and kept stable: its own types, made
//! from core's wire types and never confused with them. Each type reads back
//! what it writes.

use serde::{Deserialize, Serialize};
use wsc_core::{JobPage, JobRecord};

/// One job, as `docs/cli.md` documents it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobOut {
    /// The job id.
    pub id: u64,
    /// The stable status name (`diagnosis_running`, `completed`, ...).
    pub status: String,
    /// The service's own label, as sent.
    pub status_label: String,
    /// The status code, when the status has one.
    pub status_code: Option<u32>,
    /// Progress in percent.
    pub progress: Option<u64>,
    /// The target URL.
    pub start_url: String,
    /// When it started, RFC 3339 with the service's `+09:00` (or the
    /// service's text when it is not a date).
    pub start_date: Option<String>,
    /// When it ended, likewise.
    pub end_date: Option<String>,
    /// URLs collected.
    pub crawl_count: Option<u64>,
    /// Vulnerabilities found.
    pub scan_count: Option<u64>,
    /// The memo (`""` when none).
    pub memo: String,
    /// The console's next action (`report`, `terminate`, ...).
    pub result_button: String,
}

/// A service date for JSON: RFC 3339 when it is one, `None` when unset.
fn date(text: Option<&String>) -> Option<String> {
    let text = text?.trim();
    (!text.is_empty()).then(|| crate::output::kst_rfc3339(text))
}

impl From<&JobRecord> for JobOut {
    fn from(r: &JobRecord) -> Self {
        let status = r.status();
        Self {
            id: r.instance_no.get(),
            status: status.name().to_owned(),
            status_label: r.status_label.clone(),
            status_code: status.code().map(|c| u32::from(c.get())),
            progress: r.progress,
            start_url: r.start_url.clone(),
            start_date: date(r.start_date.as_ref()),
            end_date: date(r.end_date.as_ref()),
            crawl_count: r.crawl_count,
            scan_count: r.scan_count,
            memo: r.memo.clone(),
            result_button: r.result_button().to_owned(),
        }
    }
}

/// A page, or every page (`--all`), of `list`/`search`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsOut {
    /// The page asked for (`None` with `--all`).
    pub page: Option<u32>,
    /// The page size asked for.
    pub limit: u32,
    /// Jobs in all (the service's count, or the jobs shown).
    pub total_count: u64,
    /// Pages in all, as the service reported.
    pub total_pages: Option<u64>,
    /// Whether an `--all` walk stopped before the end.
    pub truncated: bool,
    /// The jobs.
    pub jobs: Vec<JobOut>,
}

impl JobsOut {
    /// `records` as shown, from `page` (the service's page, `None` with `--all`).
    pub fn new(
        records: &[JobRecord],
        page: Option<&JobPage>,
        page_number: Option<u32>,
        limit: u32,
        truncated: bool,
    ) -> Self {
        Self {
            page: page_number,
            limit,
            total_count: page
                .and_then(|p| p.total_count)
                .unwrap_or(records.len() as u64),
            total_pages: page.and_then(|p| p.total_pages),
            truncated,
            jobs: records.iter().map(JobOut::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: serde_json::Value) -> JobRecord {
        serde_json::from_value(json).unwrap()
    }

    /// The record docs/cli.md shows is this type's: it parses, and writes
    /// back the same JSON.
    #[test]
    fn the_documented_job_record_parses_back() {
        let docs = include_str!("../../../docs/cli.md");
        let start = docs
            .find("Job record (`list`")
            .expect("the documented record");
        let block = &docs[start..];
        let open = block.find("```json\n").unwrap() + "```json\n".len();
        let close = block[open..].find("```").unwrap();
        let text = &block[open..open + close];
        let job: JobOut = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
        let again: serde_json::Value = serde_json::to_value(&job).unwrap();
        assert_eq!(
            again,
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
        assert_eq!(serde_json::from_value::<JobOut>(again).unwrap(), job);
    }

    #[test]
    fn a_record_becomes_the_documented_shape_and_round_trips() {
        let r = record(serde_json::json!({
            "instanceNo": "1234567890", "status": "진단 진행 중", "progress": "45",
            "start_url": "https://www.example.com", "start_date": "2024-07-10 13:42:38",
            "end_date": "", "crawl_cnt": 120, "scan_cnt": "3", "memo": "",
            "result_button": "terminate", "slave_data": {"x": 1}
        }));
        let job = JobOut::from(&r);
        assert_eq!(job.status, "diagnosis_running");
        assert_eq!(job.status_code, Some(3));
        assert_eq!(job.start_date.as_deref(), Some("2024-07-10T13:42:38+09:00"));
        assert_eq!(job.end_date, None);
        let page = JobsOut::new(&[r], None, Some(1), 20, false);
        let text = serde_json::to_string(&page).unwrap();
        assert_eq!(serde_json::from_str::<JobsOut>(&text).unwrap(), page);
    }
}
