//! Report formats (`report -o markdown|junit|sarif|html`), the baseline
//! comparison behind `--baseline`/`--fail-on-new`, and a target's trend as
//! the history and the HTML chart show it.
//!
//! Every renderer starts from a [`Summary`]: the job id and what
//! `wsc_core::report::ReportSummary` takes from the report (its counts, domains and
//! fields, with `Login_Info` reduced to "present or not" — no format can print
//! it). The renderers only render: each escapes for its own syntax.

pub mod baseline;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod trend;

use wsc_core::Report;
use wsc_core::report::{DomainCounts, RiskCounts, RiskLevel};

pub use baseline::Delta;
pub use trend::Point;

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

impl Summary {
    /// The summary of job `id`'s report.
    pub fn new(id: &str, report: &Report) -> Self {
        let summary = report.summary();
        Self {
            id: id.to_owned(),
            target: summary.target().map(str::to_owned),
            report_date: summary.report_date().map(str::to_owned),
            fields: summary.fields().to_vec(),
            lists: summary.lists().to_vec(),
            categories: summary.categories().to_vec(),
            risk: summary.risk(),
            domains: summary.domains().to_vec(),
            has_login_info: summary.has_login_info(),
        }
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
