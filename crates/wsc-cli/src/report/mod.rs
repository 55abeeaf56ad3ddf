//! Report formats (`report -o markdown|junit|sarif|html`), the baseline
//! comparison behind `--baseline`/`--fail-on-new`, and the scan history of a
//! target.
//!
//! Every renderer starts from a [`Summary`]: the fields a reader needs, taken
//! from the report document with `Login_Info` reduced to "present or not" — no
//! format can print it. Each renderer escapes for its own syntax.

pub mod baseline;
pub mod history;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod sarif;

use serde_json::Value;
use wsc_core::{Report, RiskCounts, RiskLevel};

pub use baseline::Delta;
pub use history::Point;

/// Findings of one scanned domain (`Classify_byRisk_Domain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainCounts {
    /// The domain, as the server sent it.
    pub domain: String,
    /// High.
    pub high: u64,
    /// Medium.
    pub medium: u64,
    /// Low.
    pub low: u64,
}

impl DomainCounts {
    /// The count at `level`.
    pub fn at(&self, level: RiskLevel) -> u64 {
        match level {
            RiskLevel::High => self.high,
            RiskLevel::Medium => self.medium,
            RiskLevel::Low => self.low,
        }
    }

    /// All findings of the domain (saturating: the counts come from the server).
    pub fn total(&self) -> u64 {
        self.high
            .saturating_add(self.medium)
            .saturating_add(self.low)
    }
}

/// The three levels, highest first.
pub const LEVELS: [RiskLevel; 3] = [RiskLevel::High, RiskLevel::Medium, RiskLevel::Low];

/// A level's name.
pub fn level_name(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::High => "high",
        RiskLevel::Medium => "medium",
        RiskLevel::Low => "low",
    }
}

/// The count of `level` in `counts`.
pub fn count_at(counts: &RiskCounts, level: RiskLevel) -> u64 {
    counts.at(level)
}

/// What every format shows, taken from one report (secrets left out).
#[derive(Debug, Clone)]
pub struct Summary {
    /// The job id.
    pub id: String,
    /// `Target_Info`.
    pub target: Option<String>,
    /// `report_date`.
    pub report_date: Option<String>,
    /// Labelled metadata (target, dates, user agent, memo), in display order.
    pub fields: Vec<(&'static str, String)>,
    /// Labelled lists (excluded URLs, scanned domains, ...).
    pub lists: Vec<(&'static str, Vec<String>)>,
    /// `Vulnerability_Category`.
    pub categories: Vec<String>,
    /// Counts by level, when the report has them.
    pub risk: Option<RiskCounts>,
    /// Counts by domain.
    pub domains: Vec<DomainCounts>,
    /// Whether the report carries login information (never its value).
    pub has_login_info: bool,
}

fn number(v: Option<&Value>) -> u64 {
    match v {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

fn get_ci<'a>(map: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn domain_counts(domain: String, v: &Value) -> DomainCounts {
    let map = v.as_object();
    let at = |k: &str| number(map.and_then(|m| get_ci(m, k)));
    DomainCounts {
        domain,
        high: at("High"),
        medium: at("Medium"),
        low: at("Low"),
    }
}

/// `Classify_byRisk_Domain` as a list (an array of `{Domain, High, ...}` or an
/// object keyed by domain; its shape is undocumented).
pub fn domains(report: &Report) -> Vec<DomainCounts> {
    match report.field("Classify_byRisk_Domain") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                let name = item
                    .as_object()
                    .and_then(|m| get_ci(m, "Domain"))
                    .map(text_of)
                    .unwrap_or_else(|| "?".into());
                domain_counts(name, item)
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| domain_counts(k.clone(), v))
            .collect(),
        _ => Vec::new(),
    }
}

impl Summary {
    /// The summary of job `id`'s report.
    pub fn new(id: &str, report: &Report) -> Self {
        let mut fields = Vec::new();
        for (label, key) in [
            ("target", "Target_Info"),
            ("report date", "report_date"),
            ("crawl time", "Crawl_Time"),
            ("scan time", "Scan_Time"),
            ("user agent", "User_Agent"),
            ("memo", "Memo"),
        ] {
            if let Some(v) = report.text(key) {
                fields.push((label, v));
            }
        }
        let mut lists = Vec::new();
        for (label, key) in [
            ("excluded", "Excluded_Url"),
            ("scanned", "Scanned_Domain_List"),
            ("not scanned", "Not_Scanned_Domain_List"),
        ] {
            let items = report.list(key);
            if !items.is_empty() {
                lists.push((label, items));
            }
        }
        Self {
            id: id.to_owned(),
            target: report.text("Target_Info"),
            report_date: report.text("report_date"),
            fields,
            lists,
            categories: report.list("Vulnerability_Category"),
            risk: report.risk_counts(),
            domains: domains(report),
            has_login_info: report.field("Login_Info").is_some_and(|v| match v {
                Value::Null => false,
                Value::String(s) => !s.is_empty(),
                Value::Object(m) => !m.is_empty(),
                Value::Array(a) => !a.is_empty(),
                _ => true,
            }),
        }
    }

    /// Whether the test of `level` fails under `fail_on`: the level is at or
    /// above the threshold and has findings.
    pub fn fails(level: RiskLevel, count: u64, fail_on: RiskLevel) -> bool {
        level >= fail_on && count > 0
    }
}

/// Everything a renderer needs besides the summary.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The comparison with `--baseline`.
    pub delta: Option<Delta>,
    /// The levels (at or above) that make a test fail (`--fail-on`, default high).
    pub fail_on: Option<RiskLevel>,
    /// `--fail-on-new`.
    pub fail_on_new: Option<RiskLevel>,
    /// Earlier scans of the target, oldest first (`--history`).
    pub history: Vec<Point>,
}

/// Text with control characters (newlines included) turned into spaces.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
