//! `--baseline OLD.json`: the change per level against a saved report, and the
//! `--fail-on-new` gate (exit 10 only when a level at or above LEVEL grew).

use std::path::Path;

use serde_json::{Value, json};
use wsc_core::{Report, RiskCounts, RiskLevel};

use crate::exit::{Failure, USAGE};

/// Largest baseline file read (a report is a few kilobytes).
const MAX_BASELINE_BYTES: u64 = 16 * 1024 * 1024;

/// The counts of a baseline report and of the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delta {
    /// The baseline's counts.
    pub before: RiskCounts,
    /// The current report's counts.
    pub after: RiskCounts,
}

impl Delta {
    /// The change at `level` (negative when findings went away).
    pub fn change(&self, level: RiskLevel) -> i128 {
        self.after.change_since(&self.before, level)
    }

    /// The levels at or above `level` whose count grew, highest first.
    pub fn grew_at_or_above(&self, level: RiskLevel) -> Vec<RiskLevel> {
        self.after.grew_since(&self.before, level)
    }

    /// `high 1 → 2 (+1)`.
    pub fn line(&self, level: RiskLevel) -> String {
        format!(
            "{} {} → {} ({})",
            level.name(),
            self.before.at(level),
            self.after.at(level),
            signed(self.change(level))
        )
    }

    /// The three lines joined with " · ".
    pub fn summary(&self) -> String {
        RiskLevel::ALL
            .into_iter()
            .map(|l| self.line(l))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// `{"high": {"before": 1, "after": 2, "change": 1}, ...}`.
    pub fn to_json(self) -> Value {
        let mut map = serde_json::Map::new();
        for level in RiskLevel::ALL {
            map.insert(
                level.name().into(),
                json!({
                    "before": self.before.at(level),
                    "after": self.after.at(level),
                    "change": self.change(level),
                }),
            );
        }
        Value::Object(map)
    }
}

/// `+1`, `0`, `-2`.
pub fn signed(n: i128) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Reads the risk counts of a report saved with `wsc report ID --out FILE`
/// (or printed with `-o json`). Bad files are usage errors (exit 2).
pub fn load(path: &Path) -> Result<(RiskCounts, Option<String>), Failure> {
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

    /// The message of a failed `--fail-on-new`, if it failed.
    pub fn failure(&self, delta: Option<&Delta>, id: &str) -> Option<String> {
        gate_message(delta?, self.fail_on_new?, id)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(high: u64, medium: u64, low: u64) -> RiskCounts {
        RiskCounts::from_levels(high, medium, low)
    }

    #[test]
    fn lines_and_gate() {
        let d = Delta {
            before: counts(1, 3, 0),
            after: counts(2, 1, 4),
        };
        assert_eq!(d.line(RiskLevel::High), "high 1 → 2 (+1)");
        assert_eq!(d.line(RiskLevel::Medium), "medium 3 → 1 (-2)");
        assert_eq!(d.grew_at_or_above(RiskLevel::Medium), vec![RiskLevel::High]);
        assert_eq!(
            d.grew_at_or_above(RiskLevel::Low),
            vec![RiskLevel::High, RiskLevel::Low]
        );
        let same = Delta {
            before: counts(1, 0, 0),
            after: counts(1, 0, 0),
        };
        assert!(gate_message(&same, RiskLevel::Low, "1").is_none());
        assert!(
            gate_message(&d, RiskLevel::High, "1")
                .unwrap()
                .contains("high 1 → 2")
        );
    }
}
