//! The gates' verdict on a report, decided once: `wsc report` exits with it,
//! the HTML banner shows it.

use wsc_core::RiskCounts;

use super::Extras;
use super::baseline::gate_message;

/// One gate that failed: what failed, and where a reader finds why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateFailure {
    /// `3 finding(s) at or above high in job 42`.
    pub message: String,
    /// Where the evidence is.
    pub hint: &'static str,
}

/// What the gates (`--fail-on`, `--fail-on-new`) say of one report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verdict {
    /// The gates that failed.
    pub failed: Vec<GateFailure>,
    /// The gates that passed, as `--fail-on high`.
    pub passed: Vec<String>,
}

impl Verdict {
    /// The verdict on the report of job `id` with counts `risk`.
    pub fn of(risk: Option<RiskCounts>, x: &Extras, id: &str) -> Self {
        let mut verdict = Verdict::default();
        if let (Some(level), Some(counts)) = (x.fail_on, risk) {
            let n = counts.at_or_above(level);
            if n > 0 {
                verdict.failed.push(GateFailure {
                    message: format!("{n} finding(s) at or above {} in job {id}", level.name()),
                    hint: "the report above lists them by level and domain",
                });
            } else {
                verdict.passed.push(format!("--fail-on {}", level.name()));
            }
        }
        if let (Some(level), Some(delta)) = (x.fail_on_new, &x.delta) {
            match gate_message(delta, level, id) {
                Some(message) => verdict.failed.push(GateFailure {
                    message,
                    hint: "the baseline's counts are in the report above",
                }),
                None => verdict
                    .passed
                    .push(format!("--fail-on-new {}", level.name())),
            }
        }
        verdict
    }

    /// Whether a gate failed (exit 10).
    pub fn failed(&self) -> bool {
        !self.failed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Delta;
    use wsc_core::RiskLevel;

    #[test]
    fn each_gate_passes_or_fails_on_its_own() {
        let counts = RiskCounts::from_levels(0, 2, 1);
        let none = Verdict::of(Some(counts), &Extras::default(), "1");
        assert!(none.failed.is_empty() && none.passed.is_empty());

        let high = Extras {
            fail_on: Some(RiskLevel::High),
            ..Extras::default()
        };
        let v = Verdict::of(Some(counts), &high, "1");
        assert_eq!(v.passed, ["--fail-on high"]);
        assert!(!v.failed());

        let medium = Extras {
            fail_on: Some(RiskLevel::Medium),
            fail_on_new: Some(RiskLevel::Low),
            delta: Some(Delta {
                before: RiskCounts::from_levels(0, 2, 3),
                after: counts,
            }),
            ..Extras::default()
        };
        let v = Verdict::of(Some(counts), &medium, "7");
        assert_eq!(v.failed.len(), 1, "{v:?}");
        assert!(
            v.failed[0]
                .message
                .starts_with("2 finding(s) at or above medium in job 7")
        );
        assert_eq!(v.passed, ["--fail-on-new low"], "fewer lows: nothing grew");
    }
}
