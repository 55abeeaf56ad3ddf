//! `wsc history --url URL`: the completed scans of a target, oldest to newest,
//! with their counts and a sparkline per level; [`fetch`] also feeds the HTML
//! report's trend chart.
//!
//! A target is found by its equivalent URLs (core's `Target` rule: scheme and
//! host case, default port, trailing slash): the search sends the target's
//! host, and the records whose URL is equivalent are kept.

use serde_json::json;
use wsc_core::sans_io::OperationKind;
use wsc_core::{JobRecord, JobStatus, Limit, PageNumber, Target};
use wsc_core::{SearchBy, SearchJobs};
use wsc_ureq::Client;

use crate::context::Ctx;
use crate::exit::{Failure, OK};
use crate::output;
use crate::report::trend::{Point, sparkline};

/// The search that finds every completed job of `url`'s target (and others
/// on its host, which the caller drops).
fn completed_search(url: &str) -> Result<SearchJobs, wsc_core::Error> {
    Ok(SearchJobs::new(
        SearchBy::Url(Target::parse(url).search_keyword().to_owned()),
        JobStatus::Completed.code(),
        Limit::new(Limit::MAX)?,
        PageNumber::FIRST,
    )?)
}

fn cell(p: &Point, f: impl Fn(&wsc_core::report::RiskCounts) -> u64) -> String {
    p.risk
        .as_ref()
        .map(|c| f(c).to_string())
        .unwrap_or_else(|| "-".into())
}

/// The history table plus one sparkline line per level.
pub fn table(points: &[Point]) -> String {
    if points.is_empty() {
        return "no completed scans".into();
    }
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                output::date_cell(p.started.as_ref()),
                cell(p, |c| c.high),
                cell(p, |c| c.medium),
                cell(p, |c| c.low),
                cell(p, |c| c.total),
            ]
        })
        .collect();
    let mut out = output::table(
        &["ID", "STARTED (KST)", "HIGH", "MEDIUM", "LOW", "TOTAL"],
        &rows,
    );
    for p in points {
        if let Some(why) = &p.skipped {
            out.push_str(&format!(
                "\nskipped job {}: its report cannot be read ({})",
                p.id,
                output::terminal_safe(why)
            ));
        }
    }
    out.push('\n');
    for (name, f) in [
        (
            "high",
            (|c: &wsc_core::report::RiskCounts| c.high) as fn(&wsc_core::report::RiskCounts) -> u64,
        ),
        ("medium", |c| c.medium),
        ("low", |c| c.low),
    ] {
        let values: Vec<u64> = points
            .iter()
            .filter_map(|p| p.risk.as_ref().map(f))
            .collect();
        let first = values.first().copied().unwrap_or(0);
        let last = values.last().copied().unwrap_or(0);
        out.push_str(&format!(
            "\n{name:<7}{}  {first} → {last}",
            sparkline(&values)
        ));
    }
    out
}

/// The completed jobs whose target is `url`, oldest first (the last `limit`).
fn completed_jobs(
    client: &Client,
    url: &str,
    limit: usize,
) -> Result<(Vec<JobRecord>, bool), wsc_core::Error> {
    let listing = client.all_pages(&completed_search(url)?, |_, _| {})?;
    let (records, truncated) = (listing.records, listing.truncated);
    let target = Target::parse(url);
    let mut matching: Vec<JobRecord> = records
        .into_iter()
        .filter(|r| Target::parse(&r.start_url).same_as(&target))
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

/// `wsc history`.
pub fn run(ctx: &Ctx, url: &str, limit: u32) -> Result<u8, Failure> {
    if url.trim().is_empty() {
        return Err(Failure::usage("--url must not be empty"));
    }
    if ctx.global.dry_run {
        let op = completed_search(url).map_err(|e| Failure::usage(e.to_string()))?;
        ctx.dry_run(&op)?;
        return Ok(OK);
    }
    let client = ctx.client()?;
    let (points, truncated) = fetch(&client, url, limit as usize)
        .map_err(|e| Failure::from_error(&e, Some(OperationKind::SearchJobs), None))?;
    if truncated {
        ctx.warn("the listing is incomplete (a repeated page, or the cap of 500 pages or 10,000 jobs); older scans may be missing");
    }
    if ctx.json() {
        ctx.print_json(&json!({
            "url": url.trim(),
            "limit": limit,
            "truncated": truncated,
            "scans": points,
        }));
    } else {
        ctx.print(table(&points));
    }
    Ok(OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wsc_core::InstanceId;
    use wsc_core::report::RiskCounts;

    #[test]
    fn the_documented_example_table() {
        let point = |id: &str, h, m, l| Point {
            id: id.parse::<InstanceId>().unwrap(),
            started: Some("2026-11-30 03:16:53".into()),
            ended: None,
            risk: Some(RiskCounts::from_levels(h, m, l)),
            skipped: None,
        };
        let t = table(&[
            point("1234567001", 3, 5, 9),
            point("1234567002", 2, 3, 8),
            point("1234567003", 1, 2, 4),
        ]);
        assert!(
            t.ends_with("high   █▆▃  3 → 1\nmedium █▅▄  5 → 2\nlow    █▇▄  9 → 4"),
            "{t}"
        );
    }
}
