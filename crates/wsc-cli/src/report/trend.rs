//! A target's trend: its completed scans, oldest to newest, with their
//! counts, as `wsc history` and the HTML trend chart show them (the scans
//! are fetched by `commands::history`).

use serde::Serialize;
use wsc_core::InstanceId;
use wsc_core::report::RiskCounts;

/// One completed scan in a history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    /// Job id.
    pub id: InstanceId,
    /// When it started (`start_date`, as the service sent it; JSON gives it
    /// in RFC 3339 with the service's `+09:00`, like every other command).
    #[serde(serialize_with = "zoned")]
    pub started: Option<String>,
    /// When it ended.
    #[serde(serialize_with = "zoned")]
    pub ended: Option<String>,
    /// Its counts (`null` when the report has none, or was skipped).
    pub risk: Option<RiskCounts>,
    /// Why its report was skipped (`null` when it was read): an expired or
    /// unavailable report leaves a gap, not a failed history.
    pub skipped: Option<String>,
}

/// A server-sent KST date as RFC 3339 (`null` when unset).
fn zoned<S: serde::Serializer>(date: &Option<String>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => serializer.serialize_str(&crate::output::kst_rfc3339(d)),
        None => serializer.serialize_none(),
    }
}

/// A one-line sparkline of `values` (`▁` to `█`, scaled to the largest).
pub fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    // Wide arithmetic: the counts come from the server.
    let max = u128::from(values.iter().copied().max().unwrap_or(0));
    values
        .iter()
        .map(|v| {
            let step = (u128::from(*v) * 7 + max / 2).checked_div(max).unwrap_or(0);
            BARS[step.min(7) as usize]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_largest() {
        assert_eq!(sparkline(&[0, 1, 2]), "▁▅█");
        assert_eq!(sparkline(&[0, 0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[0, u64::MAX / 2, u64::MAX]), "▁▄█");
    }
}
