//! A simulated scan job and its lifecycle on the simulated clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::config::{Language, Timings};

mod lifecycle;

pub(crate) use lifecycle::phase_at;
use lifecycle::{is_final, schedule, undisturbed_phase_at};

/// Where a job is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Reserved (예약 / 予約): waiting, cancellable.
    Reserved,
    /// URL collection pending (12).
    UrlPending,
    /// Collecting URLs (13).
    Collecting,
    /// URLs collected (14).
    Collected,
    /// Diagnosis pending (2).
    DiagnosisPending,
    /// Diagnosing (3).
    Diagnosing,
    /// Completed (4).
    Completed,
    /// Diagnosis failed (5).
    Failed,
    /// URL collection failed (15).
    UrlFailed,
    /// Cancelled (91).
    Cancelled,
    /// Stopping (92).
    Stopping,
    /// Stopped (93).
    Stopped,
}

impl Phase {
    /// The searchJobs status code.
    pub fn code(self) -> Option<u8> {
        Some(match self {
            Phase::Reserved => return None,
            Phase::UrlPending => 12,
            Phase::Collecting => 13,
            Phase::Collected => 14,
            Phase::UrlFailed => 15,
            Phase::DiagnosisPending => 2,
            Phase::Diagnosing => 3,
            Phase::Completed => 4,
            Phase::Failed => 5,
            Phase::Cancelled => 91,
            Phase::Stopping => 92,
            Phase::Stopped => 93,
        })
    }

    /// The console label in `lang`.
    pub fn label(self, lang: Language) -> &'static str {
        match (lang, self) {
            (Language::Korean, Phase::Reserved) => "예약",
            (Language::Korean, Phase::UrlPending) => "URL 수집 대기",
            (Language::Korean, Phase::Collecting) => "URL 수집중",
            (Language::Korean, Phase::Collected) => "URL 수집 완료",
            (Language::Korean, Phase::DiagnosisPending) => "진단 대기",
            (Language::Korean, Phase::Diagnosing) => "진단 진행 중",
            (Language::Korean, Phase::Completed) => "진단 완료",
            (Language::Korean, Phase::Failed) => "진단 실패",
            (Language::Korean, Phase::UrlFailed) => "URL 수집 실패",
            (Language::Korean, Phase::Cancelled) => "진단 취소",
            (Language::Korean, Phase::Stopping) => "중지 중",
            (Language::Korean, Phase::Stopped) => "작업 중지",
            (Language::Japanese, Phase::Reserved) => "予約",
            (Language::Japanese, Phase::UrlPending) => "URL収集待ち",
            (Language::Japanese, Phase::Collecting) => "URL収集進行中",
            (Language::Japanese, Phase::Collected) => "URL収集完了",
            (Language::Japanese, Phase::DiagnosisPending) => "診断待ち",
            (Language::Japanese, Phase::Diagnosing) => "診断進行中",
            (Language::Japanese, Phase::Completed) => "診断完了",
            (Language::Japanese, Phase::Failed) => "診断失敗",
            (Language::Japanese, Phase::UrlFailed) => "URL収集失敗",
            (Language::Japanese, Phase::Cancelled) => "診断キャンセル",
            (Language::Japanese, Phase::Stopping) => "停止中",
            (Language::Japanese, Phase::Stopped) => "ジョブ停止",
        }
    }

    /// `result_button` as the console shows it.
    pub fn result_button(self) -> &'static str {
        match self {
            Phase::Reserved | Phase::UrlPending | Phase::DiagnosisPending => "cancel",
            Phase::Collecting | Phase::Collected | Phase::Diagnosing => "terminate",
            Phase::Completed => "report",
            Phase::Failed | Phase::UrlFailed => "cause",
            Phase::Cancelled | Phase::Stopping | Phase::Stopped => "",
        }
    }

    /// cancelJob applies.
    pub fn cancellable(self) -> bool {
        matches!(
            self,
            Phase::Reserved | Phase::UrlPending | Phase::DiagnosisPending
        )
    }

    /// stopJob applies.
    pub fn stoppable(self) -> bool {
        matches!(
            self,
            Phase::Collecting | Phase::Collected | Phase::Diagnosing
        )
    }
}

/// How a job's story ends if nobody intervenes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    Complete,
    FailCollection,
    FailDiagnosis,
}

/// Findings by risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Findings {
    /// High.
    pub high: u64,
    /// Medium.
    pub medium: u64,
    /// Low.
    pub low: u64,
}

impl Findings {
    fn total(self) -> u64 {
        self.high
            .saturating_add(self.medium)
            .saturating_add(self.low)
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Intervention {
    Cancelled { at: Duration },
    Stopped { at: Duration },
}

/// A job in the simulator.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub id: u64,
    pub start_url: String,
    pub exclude_urls: Vec<String>,
    pub vuln_items: Vec<String>,
    pub user_agent: String,
    pub memo: String,
    pub login_cookie: Option<String>,
    pub created_at: Duration,
    pub plan: Plan,
    pub findings: Findings,
    pub crawl_total: u64,
    /// A preloaded job held in one phase until acted on.
    pub held: Option<Phase>,
    pub intervention: Option<Intervention>,
    /// Speed divisor: "3" (fast) runs the diagnosis phase three times quicker.
    pub speed: u32,
}

/// `YYYY-MM-DD hh:mm:ss` in KST (UTC+9), as the console prints dates.
pub(crate) fn kst(time: SystemTime, sep: char) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        + 9 * 3600;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm), for days since 1970-01-01.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{sep}{month:02}{sep}{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Job {
    /// When the job started. A job preloaded in a final phase ran its whole
    /// lifecycle before it was preloaded: it ended then.
    pub fn started(&self, t: &Timings, epoch: SystemTime) -> SystemTime {
        let created = epoch + self.created_at;
        match self.held {
            Some(phase) if is_final(phase) => created
                .checked_sub(schedule(self, t).end)
                .unwrap_or(created),
            _ => created,
        }
    }

    /// When the job ended, if it has by `now`. Fixed once reached: a finished
    /// job's dates never move with the clock.
    pub fn ended(&self, now: Duration, t: &Timings, epoch: SystemTime) -> Option<SystemTime> {
        match self.intervention {
            Some(Intervention::Cancelled { at }) => return Some(epoch + at),
            Some(Intervention::Stopped { at }) => {
                let end = at + t.stopping;
                return (now >= end).then(|| epoch + end);
            }
            None => {}
        }
        match self.held {
            Some(phase) => is_final(phase).then(|| epoch + self.created_at),
            None => {
                let end = self.created_at + schedule(self, t).end;
                (now >= end).then(|| epoch + end)
            }
        }
    }

    /// The record as getJobs/searchJobs send it, with the wire's quirks:
    /// ids and counts as strings, `""`/`null` for unset values.
    pub fn record(&self, now: Duration, t: &Timings, lang: Language, epoch: SystemTime) -> Value {
        let (phase, fraction) = phase_at(self, now, t);
        // A stopped job keeps the counts it had when the stop arrived.
        let (counted, counted_fraction) = match self.intervention {
            Some(Intervention::Stopped { at }) => undisturbed_phase_at(self, at, t),
            _ => (phase, fraction),
        };
        let collected = matches!(
            counted,
            Phase::Collected
                | Phase::DiagnosisPending
                | Phase::Diagnosing
                | Phase::Completed
                | Phase::Failed
        );
        let crawl: Value = match counted {
            Phase::Collecting => {
                Value::String(((self.crawl_total as f64 * counted_fraction) as u64).to_string())
            }
            _ if collected => Value::String(self.crawl_total.to_string()),
            _ => Value::String(String::new()),
        };
        let scan: Value = match counted {
            Phase::Diagnosing => Value::String(
                ((self.findings.total() as f64 * counted_fraction) as u64).to_string(),
            ),
            Phase::Completed => Value::String(self.findings.total().to_string()),
            _ => Value::String(String::new()),
        };
        // Progress: null until URLs are being collected, a number while running,
        // a string when done — the mix the docs show.
        let progress: Value = match phase {
            Phase::Reserved | Phase::UrlPending | Phase::Cancelled => Value::Null,
            Phase::Collecting => json!((fraction * 40.0) as u64),
            Phase::Collected | Phase::DiagnosisPending => json!(40),
            Phase::Diagnosing => json!(40 + (fraction * 60.0) as u64),
            Phase::Completed => json!("100"),
            Phase::Failed | Phase::UrlFailed | Phase::Stopping | Phase::Stopped => Value::Null,
        };
        let end_date = match self.ended(now, t, epoch) {
            Some(end) => kst(end, '-'),
            None => String::new(),
        };
        let start_date = kst(self.started(t, epoch), '-');
        json!({
            "instanceNo": self.id.to_string(),
            "start_date": start_date,
            "end_date": end_date,
            "status": phase.label(lang),
            "progress": progress,
            "start_url": self.start_url,
            "crawl_cnt": crawl,
            "scan_cnt": scan,
            "memo": self.memo,
            "result_button": phase.result_button(),
            "result_desc": if matches!(phase, Phase::Failed | Phase::UrlFailed) { "URL Connection Error" } else { "" },
            "rescan_button": if phase == Phase::Completed { "Y" } else { "" },
            "slave_data": Value::Null,
        })
    }

    /// The getReport document of a completed job. Every date in it is fixed
    /// by the job's schedule: the report is dated when the scan ended.
    pub fn report(&self, now: Duration, t: &Timings, epoch: SystemTime) -> Value {
        let host = self
            .start_url
            .split("://")
            .nth(1)
            .unwrap_or(&self.start_url)
            .split(['/', ':', '?'])
            .next()
            .unwrap_or_default()
            .to_owned();
        let f = self.findings;
        let started = self.started(t, epoch);
        let steps = schedule(self, t);
        let ended = self.ended(now, t, epoch).unwrap_or(started + steps.end);
        let mut doc = Map::new();
        doc.insert("report_date".into(), json!(kst(ended, '/')));
        doc.insert("Target_Info".into(), json!(self.start_url));
        doc.insert(
            "Crawl_Time".into(),
            json!(format!(
                "{} ~ {}",
                kst(started + steps.collecting, '/'),
                kst(started + steps.collected, '/')
            )),
        );
        doc.insert(
            "Scan_Time".into(),
            json!(format!(
                "{} ~ {}",
                kst(started + steps.diagnosing, '/'),
                kst(ended, '/')
            )),
        );
        doc.insert("Excluded_Url".into(), json!(self.exclude_urls));
        doc.insert(
            "Login_Info".into(),
            match &self.login_cookie {
                Some(c) => json!({ "Cookie": c }),
                None => json!(""),
            },
        );
        doc.insert("Vulnerability_Category".into(), json!(self.vuln_items));
        doc.insert("User_Agent".into(), json!(self.user_agent));
        doc.insert("Memo".into(), json!(self.memo));
        doc.insert("Scanned_Domain_List".into(), json!([host]));
        doc.insert("Not_Scanned_Domain_List".into(), json!([]));
        doc.insert(
            "Classify_byRisk_Level".into(),
            json!({ "Total": f.total().to_string(), "High": f.high.to_string(), "Medium": f.medium, "Low": f.low }),
        );
        doc.insert(
            "Classify_byRisk_Domain".into(),
            json!([{ "Domain": host, "High": f.high, "Medium": f.medium, "Low": f.low }]),
        );
        Value::Object(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kst_dates() {
        // 1700000000 = 2023-11-14 22:13:20 UTC = 2023-11-15 07:13:20 KST
        assert_eq!(
            kst(UNIX_EPOCH + Duration::from_secs(1_700_000_000), '-'),
            "2023-11-15 07:13:20"
        );
        assert_eq!(kst(UNIX_EPOCH, '/'), "1970/01/01 09:00:00");
    }
}
