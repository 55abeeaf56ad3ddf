//! The completed scans of one target, oldest to newest, with their counts:
//! `wsc history` and the HTML trend chart.

use serde::Serialize;
use wsc_core::operations::{SearchBy, SearchJobs};
use wsc_core::{InstanceId, JobRecord, JobStatus, Limit, PageNumber, RiskCounts};
use wsc_ureq::Client;

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

/// The completed jobs whose target is `url`, oldest first (the last `limit`).
pub fn completed_jobs(
    client: &Client,
    url: &str,
    limit: usize,
) -> Result<(Vec<JobRecord>, bool), wsc_core::Error> {
    let query = SearchJobs::new(
        SearchBy::Url(url.trim().to_owned()),
        JobStatus::Completed.code(),
        Limit::new(Limit::MAX)?,
        PageNumber::FIRST,
    )?;
    let listing = client.all_pages(&query, |_, _| {})?;
    let (records, truncated) = (listing.records, listing.truncated);
    let mut matching: Vec<JobRecord> = records
        .into_iter()
        .filter(|r| wsc_core::Target::same(&r.start_url, url))
        .collect();
    // Ids grow with creation time; the listing is newest first.
    matching.sort_by_key(|r| r.instance_no);
    let skip = matching.len().saturating_sub(limit);
    Ok((matching.split_off(skip), truncated))
}

/// The history of `url`: its last `limit` completed scans with their counts.
pub fn fetch(
    client: &Client,
    url: &str,
    limit: usize,
) -> Result<(Vec<Point>, bool), wsc_core::Error> {
    let (jobs, truncated) = completed_jobs(client, url, limit)?;
    let mut points = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (risk, skipped) = match client.get_report(job.instance_no) {
            Ok(report) => (report.risk_counts(), None),
            // The service answered that this report cannot be had (expired,
            // removed): a gap in the history, said so.
            Err(e @ wsc_core::Error::Service(_)) => (None, Some(e.to_string())),
            Err(e) => return Err(e),
        };
        points.push(Point {
            id: job.instance_no,
            started: job.start_date.clone(),
            ended: job.end_date.clone(),
            risk,
            skipped,
        });
    }
    Ok((points, truncated))
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
