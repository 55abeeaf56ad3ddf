//! The gates — `--fail-on LEVEL` and `--baseline OLD.json --fail-on-new
//! LEVEL` — loaded and checked before anything is sent, and decided once as
//! a [`Verdict`]: `wsc report`, `wsc wait` (and `create --wait`) exit with it,
//! the HTML banner shows it.

use std::path::Path;

use serde_json::Value;
use wsc_core::Report;
use wsc_core::report::{RiskCounts, RiskLevel};

use crate::exit::{Failure, USAGE};
use crate::report::Delta;

/// Largest baseline file read (a report is a few kilobytes).
const MAX_BASELINE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads the risk counts of a report saved with `wsc report ID --out FILE`
/// (or printed with `-o json`). Bad files are usage errors (exit 2).
fn load(path: &Path) -> Result<(RiskCounts, Option<String>), Failure> {
    let bad = |why: String| {
        Failure::new(USAGE, format!("--baseline {}: {why}", path.display()))
            .hint("save a baseline with `wsc report ID --out baseline.json`")
    };
    let bytes =
        crate::fsutil::read_limited(path, MAX_BASELINE_BYTES).map_err(|e| bad(e.to_string()))?;
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("not JSON ({e})")))?;
    let Value::Object(map) = value else {
        return Err(bad("not a report (expected a JSON object)".into()));
    };
    let report = Report::from_object(map).map_err(bad)?;
    let counts = report
        .risk_counts()
        .ok_or_else(|| bad("has no Classify_byRisk_Level counts".into()))?;
    Ok((counts, report.text("Target_Info")))
}

/// A loaded `--baseline`/`--fail-on-new` pair, checked before anything is sent.
#[derive(Debug, Clone, Default)]
pub struct Gate {
    /// The baseline's counts.
    pub before: Option<RiskCounts>,
    /// `--fail-on-new`.
    pub fail_on_new: Option<RiskLevel>,
    /// The baseline file and the target its report is of.
    baseline: Option<(std::path::PathBuf, Option<String>)>,
    /// `--baseline-any-target`.
    any_target: bool,
}

impl Gate {
    /// Reads the baseline file (a bad file is a usage error, exit 2).
    pub fn load(args: &crate::cli::GateArgs) -> Result<Self, Failure> {
        let loaded = args.baseline.as_deref().map(load).transpose()?;
        Ok(Self {
            before: loaded.as_ref().map(|(counts, _)| *counts),
            fail_on_new: args.fail_on_new.map(RiskLevel::from),
            baseline: args
                .baseline
                .clone()
                .map(|path| (path, loaded.and_then(|(_, target)| target))),
            any_target: args.baseline_any_target,
        })
    }

    /// Refuses a baseline of another target than `current` (the scan's), as
    /// [`wsc_core::Target`] compares them, unless `--baseline-any-target`.
    pub fn check_target(&self, current: Option<&str>) -> Result<(), Failure> {
        let (Some((path, Some(theirs))), Some(ours)) = (&self.baseline, current) else {
            return Ok(());
        };
        if self.any_target || wsc_core::Target::same(theirs, ours) {
            return Ok(());
        }
        Err(Failure::usage(format!(
            "--baseline {} is a report of {}, not of {}",
            path.display(),
            wsc_core::Target::parse(theirs),
            wsc_core::Target::parse(ours)
        ))
        .hint(
            "compare reports of one target, or pass --baseline-any-target to compare them anyway",
        ))
    }

    /// For `create`: the gate needs `--wait`.
    pub fn load_for_create(args: &crate::cli::GateArgs, wait: bool) -> Result<Self, Failure> {
        if args.baseline.is_some() && !wait {
            return Err(Failure::usage(
                "--baseline needs --wait (or use `wsc report ID --baseline FILE`)",
            ));
        }
        Self::load(args)
    }

    /// Whether a baseline was given.
    pub fn is_set(&self) -> bool {
        self.before.is_some()
    }

    /// The comparison with the current counts.
    pub fn delta(&self, after: RiskCounts) -> Option<Delta> {
        self.before.map(|before| Delta { before, after })
    }

    /// The comparison with `counts` and the verdict of `fail_on` and this
    /// gate on job `id`'s report.
    pub fn verdict(
        &self,
        fail_on: Option<RiskLevel>,
        counts: RiskCounts,
        id: &str,
    ) -> (Option<Delta>, Verdict) {
        let delta = self.delta(counts);
        let verdict = Verdict::of(Some(counts), fail_on, self.fail_on_new, delta.as_ref(), id);
        (delta, verdict)
    }
}

/// Whether `fail_on` fails on `count` findings at `level`: the level is at
/// or above the threshold and has findings (JUnit's test case per level).
pub fn fails_at(level: RiskLevel, count: u64, fail_on: RiskLevel) -> bool {
    level >= fail_on && count > 0
}

/// The message for a failed `--fail-on-new` gate, or `None` when it passes.
pub fn gate_message(delta: &Delta, level: RiskLevel, id: &str) -> Option<String> {
    let grew = delta.grew_at_or_above(level);
    if grew.is_empty() {
        return None;
    }
    Some(format!(
        "new findings at or above {} in job {id}: {}",
        level.name(),
        grew.iter()
            .map(|l| delta.line(*l))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Which gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateKind {
    /// `--fail-on LEVEL`: findings at or above LEVEL.
    FailOn,
    /// `--fail-on-new LEVEL`: more findings at or above LEVEL than the baseline.
    FailOnNew,
}

/// One gate that failed: which, and what failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateFailure {
    /// Which gate failed.
    pub kind: GateKind,
    /// `3 finding(s) at or above high in job 42`.
    pub message: String,
}

impl GateFailure {
    /// Where the evidence is, when the report was just shown.
    pub fn hint_after_report(&self) -> &'static str {
        match self.kind {
            GateKind::FailOn => "the report above lists them by level and domain",
            GateKind::FailOnNew => "the baseline's counts are in the report above",
        }
    }

    /// Where the evidence is, when only the job's state was shown (`wait`).
    pub fn hint_for_job(&self, id: &str) -> String {
        match self.kind {
            GateKind::FailOn => format!("`wsc report {id}` shows them"),
            GateKind::FailOnNew => {
                format!("`wsc report {id} --baseline FILE` shows the change per level")
            }
        }
    }
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
    /// The verdict on the report of job `id` with counts `risk`: `fail_on`
    /// on the counts, `fail_on_new` on their change since the baseline.
    pub fn of(
        risk: Option<RiskCounts>,
        fail_on: Option<RiskLevel>,
        fail_on_new: Option<RiskLevel>,
        delta: Option<&Delta>,
        id: &str,
    ) -> Self {
        let mut verdict = Verdict::default();
        if let (Some(level), Some(counts)) = (fail_on, risk) {
            let n = counts.at_or_above(level);
            if n > 0 {
                verdict.failed.push(GateFailure {
                    kind: GateKind::FailOn,
                    message: format!("{n} finding(s) at or above {} in job {id}", level.name()),
                });
            } else {
                verdict.passed.push(format!("--fail-on {}", level.name()));
            }
        }
        if let (Some(level), Some(delta)) = (fail_on_new, delta) {
            match gate_message(delta, level, id) {
                Some(message) => verdict.failed.push(GateFailure {
                    kind: GateKind::FailOnNew,
                    message,
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

    #[test]
    fn each_gate_passes_or_fails_on_its_own() {
        let counts = RiskCounts::from_levels(0, 2, 1);
        let none = Verdict::of(Some(counts), None, None, None, "1");
        assert!(none.failed.is_empty() && none.passed.is_empty());

        let v = Verdict::of(Some(counts), Some(RiskLevel::High), None, None, "1");
        assert_eq!(v.passed, ["--fail-on high"]);
        assert!(!v.failed());

        let delta = Delta {
            before: RiskCounts::from_levels(0, 2, 3),
            after: counts,
        };
        let v = Verdict::of(
            Some(counts),
            Some(RiskLevel::Medium),
            Some(RiskLevel::Low),
            Some(&delta),
            "7",
        );
        assert_eq!(v.failed.len(), 1, "{v:?}");
        assert!(
            v.failed[0]
                .message
                .starts_with("2 finding(s) at or above medium in job 7")
        );
        assert_eq!(v.passed, ["--fail-on-new low"], "fewer lows: nothing grew");
    }

    #[test]
    fn fail_on_new_fails_only_when_a_level_grew() {
        let d = Delta {
            before: RiskCounts::from_levels(1, 3, 0),
            after: RiskCounts::from_levels(2, 1, 4),
        };
        let same = Delta {
            before: RiskCounts::from_levels(1, 0, 0),
            after: RiskCounts::from_levels(1, 0, 0),
        };
        assert!(gate_message(&same, RiskLevel::Low, "1").is_none());
        assert!(
            gate_message(&d, RiskLevel::High, "1")
                .unwrap()
                .contains("high 1 → 2")
        );
        let v = Verdict::of(Some(d.after), None, Some(RiskLevel::High), Some(&d), "1");
        assert_eq!(v.failed[0].kind, GateKind::FailOnNew);
        assert!(v.failed[0].hint_for_job("1").contains("--baseline"));
    }
}
