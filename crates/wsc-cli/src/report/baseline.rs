//! `--baseline OLD.json`: the change per level against a saved report, as
//! every format shows it (the gate on it is `crate::gate`).

use serde_json::{Value, json};
use wsc_core::report::{RiskCounts, RiskLevel};

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

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(high: u64, medium: u64, low: u64) -> RiskCounts {
        RiskCounts::from_levels(high, medium, low)
    }

    #[test]
    fn lines_and_growth() {
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
    }
}
