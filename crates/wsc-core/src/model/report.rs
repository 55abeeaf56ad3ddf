use serde::Serialize;
use serde_json::{Map, Value};

use super::wire;

/// A risk level, for `--fail-on` style gates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    /// Low risk.
    Low,
    /// Medium risk.
    Medium,
    /// High risk.
    High,
}

impl RiskLevel {
    /// The three levels, highest first (the order reports list them in).
    pub const ALL: [RiskLevel; 3] = [RiskLevel::High, RiskLevel::Medium, RiskLevel::Low];

    /// `high`, `medium` or `low`.
    ///
    /// ```
    /// use wsc_core::report::RiskLevel;
    /// let names: Vec<_> = RiskLevel::ALL.iter().map(|l| l.name()).collect();
    /// assert_eq!(names, ["high", "medium", "low"]);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            RiskLevel::High => "high",
            RiskLevel::Medium => "medium",
            RiskLevel::Low => "low",
        }
    }
}

impl std::str::FromStr for RiskLevel {
    type Err = crate::invalid_input::InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Self::Low),
            "medium" | "med" => Ok(Self::Medium),
            "high" => Ok(Self::High),
            _ => Err(crate::invalid_input::InvalidInput::new(
                "risk level",
                "must be high, medium or low",
            )),
        }
    }
}

/// `Classify_byRisk_Level`: findings per risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct RiskCounts {
    /// `Total`.
    pub total: u64,
    /// `High`.
    pub high: u64,
    /// `Medium`.
    pub medium: u64,
    /// `Low`.
    pub low: u64,
}

impl RiskCounts {
    /// Counts of `high`, `medium` and `low` findings, with their (saturating) sum as the total.
    ///
    /// ```
    /// let counts = wsc_core::report::RiskCounts::from_levels(1, 2, 3);
    /// assert_eq!((counts.total, counts.high, counts.medium, counts.low), (6, 1, 2, 3));
    /// ```
    pub fn from_levels(high: u64, medium: u64, low: u64) -> Self {
        Self {
            total: high.saturating_add(medium).saturating_add(low),
            high,
            medium,
            low,
        }
    }

    /// Findings at `level` or above.
    ///
    /// ```
    /// use wsc_core::report::{RiskCounts, RiskLevel};
    /// let c = RiskCounts::from_levels(1, 2, 3);
    /// assert_eq!(c.at_or_above(RiskLevel::Medium), 3);
    /// ```
    pub fn at_or_above(&self, level: RiskLevel) -> u64 {
        match level {
            RiskLevel::High => self.high,
            // The counts come from the server: saturate, never wrap to a
            // small number that would pass a gate.
            RiskLevel::Medium => self.high.saturating_add(self.medium),
            RiskLevel::Low => self
                .high
                .saturating_add(self.medium)
                .saturating_add(self.low),
        }
    }

    /// The count at exactly `level`.
    pub fn at(&self, level: RiskLevel) -> u64 {
        match level {
            RiskLevel::High => self.high,
            RiskLevel::Medium => self.medium,
            RiskLevel::Low => self.low,
        }
    }

    /// The change at `level` since `baseline` (negative when findings went away).
    ///
    /// ```
    /// use wsc_core::report::{RiskCounts, RiskLevel};
    /// let before = RiskCounts::from_levels(1, 3, 0);
    /// let now = RiskCounts::from_levels(2, 0, 0);
    /// assert_eq!(now.change_since(&before, RiskLevel::High), 1);
    /// assert_eq!(now.change_since(&before, RiskLevel::Medium), -3);
    /// ```
    pub fn change_since(&self, baseline: &RiskCounts, level: RiskLevel) -> i128 {
        i128::from(self.at(level)) - i128::from(baseline.at(level))
    }

    /// The levels at or above `level` with more findings than in `baseline`,
    /// highest first: a "new findings" gate that fewer findings elsewhere do
    /// not offset.
    ///
    /// ```
    /// use wsc_core::report::{RiskCounts, RiskLevel};
    /// let before = RiskCounts::from_levels(1, 3, 0);
    /// let now = RiskCounts::from_levels(2, 0, 3);
    /// assert_eq!(now.grew_since(&before, RiskLevel::Medium), [RiskLevel::High]);
    /// assert!(before.grew_since(&before, RiskLevel::Low).is_empty());
    /// ```
    pub fn grew_since(&self, baseline: &RiskCounts, level: RiskLevel) -> Vec<RiskLevel> {
        RiskLevel::ALL
            .into_iter()
            .filter(|l| *l >= level && self.at(*l) > baseline.at(*l))
            .collect()
    }
}

/// A getReport document: typed risk counts plus every field, verbatim.
///
/// Keys are looked up case-insensitively (the wire mixes `report_date` and
/// `Target_Info`). `Login_Info` may hold cookies: callers writing a report
/// anywhere should use [`Report::redacted`] first; `Debug` shows the
/// redacted copy.
#[derive(Clone, PartialEq)]
pub struct Report {
    raw: Map<String, Value>,
    risk: Option<RiskCounts>,
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("raw", &self.redacted().raw)
            .field("risk", &self.risk)
            .finish()
    }
}

impl Report {
    /// Builds a report from its JSON object. Fails only when
    /// `Classify_byRisk_Level` is present but its counts are not numbers.
    pub fn from_object(raw: Map<String, Value>) -> Result<Self, String> {
        let risk = match lookup(&raw, "Classify_byRisk_Level") {
            None | Some(Value::Null) => None,
            Some(Value::Object(levels)) => {
                let count = |name: &str| -> Result<u64, String> {
                    match lookup(levels, name) {
                        None => Ok(0),
                        Some(v) => wire::deserialize_optional_u64(v)
                            .map(Option::unwrap_or_default)
                            .map_err(|e| format!("Classify_byRisk_Level.{name}: {e}")),
                    }
                };
                Some(RiskCounts {
                    total: count("Total")?,
                    high: count("High")?,
                    medium: count("Medium")?,
                    low: count("Low")?,
                })
            }
            Some(_) => return Err("Classify_byRisk_Level: expected an object".into()),
        };
        Ok(Self { raw, risk })
    }

    /// The risk counts, when the report carries them.
    pub fn risk_counts(&self) -> Option<RiskCounts> {
        self.risk
    }

    /// Any field by name (case-insensitive).
    pub fn field(&self, name: &str) -> Option<&Value> {
        lookup(&self.raw, name)
    }

    /// A text field (`report_date`, `Target_Info`, `Crawl_Time`, ...).
    pub fn text(&self, name: &str) -> Option<String> {
        match self.field(name)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::String(_) | Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// A list field (`Scanned_Domain_List`, `Vulnerability_Category`, ...) as text items.
    pub fn list(&self, name: &str) -> Vec<String> {
        match self.field(name) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
            Some(Value::String(s)) if !s.is_empty() => {
                s.split(',').map(|p| p.trim().to_owned()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// What the report says, as readers need it (see [`ReportSummary`](super::ReportSummary)).
    pub fn summary(&self) -> super::ReportSummary {
        super::report_summary::ReportSummary::of(self)
    }

    /// The whole document, verbatim (including secrets such as `Login_Info`).
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }

    /// A copy of the report with every secret masked, at any depth, by
    /// [`redact_json`](crate::redact::redact_json) (`Login_Info` values and
    /// `Headers` values): what every output of a report should be made from.
    pub fn redacted(&self) -> Report {
        let mut raw = self.raw.clone();
        crate::redact::redact_map(&mut raw);
        Report {
            raw,
            risk: self.risk,
        }
    }
}

fn lookup<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(json: &str) -> Result<Report, String> {
        let Value::Object(map) = serde_json::from_str(json).unwrap() else {
            panic!()
        };
        Report::from_object(map)
    }

    #[test]
    fn counts_accept_numbers_and_strings_case_insensitively() {
        let r = report(r#"{"classify_byrisk_level":{"Total":"6","high":1,"Medium":"2","Low":3}}"#)
            .unwrap();
        assert_eq!(r.risk_counts(), Some(RiskCounts::from_levels(1, 2, 3)));
    }

    #[test]
    fn huge_counts_saturate_instead_of_wrapping_past_a_gate() {
        let r = report(&format!(
            r#"{{"Classify_byRisk_Level":{{"High":"{}","Medium":"1","Low":"{}"}}}}"#,
            u64::MAX,
            u64::MAX
        ))
        .unwrap();
        let counts = r.risk_counts().unwrap();
        assert_eq!(counts.at_or_above(RiskLevel::Medium), u64::MAX);
        assert_eq!(counts.at_or_above(RiskLevel::Low), u64::MAX);
    }

    #[test]
    fn non_numeric_counts_name_the_field() {
        let err = report(r#"{"Classify_byRisk_Level":{"High":"many"}}"#).unwrap_err();
        assert!(err.contains("High"), "{err}");
    }

    #[test]
    fn debug_never_shows_login_info_or_headers() {
        let r = report(
            r#"{"Login_Info":{"cookie":"SESSION=abc"},"Headers":{"Authorization":"Bearer t0k"},"Memo":"m"}"#,
        )
        .unwrap();
        for shown in [format!("{r:?}"), format!("{r:#?}")] {
            assert!(
                !shown.contains("SESSION=abc") && !shown.contains("t0k"),
                "{shown}"
            );
            assert!(
                shown.contains("Memo") && shown.contains(crate::REDACTED),
                "{shown}"
            );
        }
    }

    #[test]
    fn login_info_is_masked_in_the_redacted_copy_only() {
        let r = report(r#"{"Login_Info":{"cookie":"SESSION=abc"},"Memo":"m"}"#).unwrap();
        let red = serde_json::to_string(r.redacted().raw()).unwrap();
        assert!(!red.contains("SESSION=abc"));
        assert!(
            serde_json::to_string(r.raw())
                .unwrap()
                .contains("SESSION=abc")
        );
    }
}
