//! What a report says, as readers need it: one place for the arithmetic and
//! the wire's shapes, so every format (table, Markdown, JUnit, SARIF, HTML)
//! only renders.

use serde::Serialize;
use serde_json::Value;

use super::report::{Report, RiskCounts, RiskLevel};

/// Findings of one scanned domain (`Classify_byRisk_Domain`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DomainCounts {
    /// The domain, as the service sent it.
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

    /// All findings of the domain (saturating: the counts come from the service).
    pub fn total(&self) -> u64 {
        self.high
            .saturating_add(self.medium)
            .saturating_add(self.low)
    }
}

/// The fields of a report a reader needs, with `Login_Info` reduced to
/// "present or not": nothing made from a summary can show its value.
///
/// ```
/// use wsc_core::Report;
/// use wsc_core::report::RiskLevel;
/// let doc = serde_json::json!({
///     "Target_Info": "https://shop.example.com", "report_date": "2026/11/30 10:00:00",
///     "Classify_byRisk_Level": {"Total": "3", "High": "1", "Medium": 2, "Low": 0},
///     "Classify_byRisk_Domain": [{"Domain": "shop.example.com", "High": 1, "Medium": "2", "Low": 0}],
///     "Vulnerability_Category": ["XSS", "SQL Injection"],
///     "Login_Info": {"Cookie": "SESSION=secret"},
/// });
/// let report = Report::from_object(doc.as_object().unwrap().clone()).unwrap();
/// let summary = report.summary();
/// assert_eq!(summary.target(), Some("https://shop.example.com"));
/// assert_eq!(summary.risk().unwrap().at_or_above(RiskLevel::Medium), 3);
/// assert_eq!(summary.domains()[0].at(RiskLevel::Medium), 2);
/// assert_eq!(summary.categories(), ["XSS", "SQL Injection"]);
/// assert!(summary.has_login_info()); // never its value
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSummary {
    target: Option<String>,
    report_date: Option<String>,
    fields: Vec<(&'static str, String)>,
    lists: Vec<(&'static str, Vec<String>)>,
    categories: Vec<String>,
    risk: Option<RiskCounts>,
    domains: Vec<DomainCounts>,
    has_login_info: bool,
}

impl ReportSummary {
    pub(crate) fn of(report: &Report) -> Self {
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

    /// `Target_Info`: the URL scanned.
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// `report_date` (KST, as the service writes it).
    pub fn report_date(&self) -> Option<&str> {
        self.report_date.as_deref()
    }

    /// Labelled metadata (target, dates, user agent, memo), in display order.
    pub fn fields(&self) -> &[(&'static str, String)] {
        &self.fields
    }

    /// Labelled lists (excluded URLs, scanned and unscanned domains), in
    /// display order; empty lists are left out.
    pub fn lists(&self) -> &[(&'static str, Vec<String>)] {
        &self.lists
    }

    /// `Vulnerability_Category`: the categories checked.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// Counts by level, when the report has them.
    pub fn risk(&self) -> Option<RiskCounts> {
        self.risk
    }

    /// Counts by domain.
    pub fn domains(&self) -> &[DomainCounts] {
        &self.domains
    }

    /// Whether the report carries login information (never its value).
    pub fn has_login_info(&self) -> bool {
        self.has_login_info
    }
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

/// `Classify_byRisk_Domain` as a list: an array of `{Domain, High, ...}` or
/// an object keyed by domain (its shape is undocumented).
fn domains(report: &Report) -> Vec<DomainCounts> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(doc: serde_json::Value) -> ReportSummary {
        Report::from_object(doc.as_object().unwrap().clone())
            .unwrap()
            .summary()
    }

    #[test]
    fn domains_come_as_an_array_or_an_object_keyed_by_domain() {
        let a =
            summary(serde_json::json!({"Classify_byRisk_Domain": [{"domain": "a", "high": "2"}]}));
        assert_eq!(a.domains()[0].domain, "a");
        assert_eq!(a.domains()[0].high, 2);
        let o = summary(serde_json::json!({"Classify_byRisk_Domain": {"b": {"Low": 4}}}));
        assert_eq!(
            (o.domains()[0].domain.as_str(), o.domains()[0].low),
            ("b", 4)
        );
        let none = summary(serde_json::json!({"Classify_byRisk_Domain": "n/a"}));
        assert!(none.domains().is_empty());
    }

    #[test]
    fn hostile_counts_neither_panic_nor_wrap() {
        let s = summary(serde_json::json!({"Classify_byRisk_Domain": [
            {"Domain": "x", "High": u64::MAX, "Medium": 5, "Low": "-3"}]}));
        assert_eq!(s.domains()[0].total(), u64::MAX);
        assert_eq!(s.domains()[0].low, 0);
    }

    #[test]
    fn empty_login_info_is_absent() {
        for empty in [
            serde_json::json!(""),
            serde_json::json!({}),
            serde_json::json!(null),
        ] {
            assert!(!summary(serde_json::json!({"Login_Info": empty})).has_login_info());
        }
        assert!(summary(serde_json::json!({"Login_Info": "k=v"})).has_login_info());
    }
}
