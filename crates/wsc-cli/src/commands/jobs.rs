//! `list`, `search`, `get`, `cancel`, `stop`.

use wsc_core::sans_io::{CancelJob, OperationKind, Paged, StopJob};
use wsc_core::{JobRecord, JobStatus, JobStatusCode, Limit, PageNumber, Target};
use wsc_core::{ListJobs, SearchBy, SearchJobs};
use wsc_ureq::Client;

use super::parse_id;
use crate::cli::PageArgs;
use crate::context::Ctx;
use crate::exit::{API, Failure, OK};
use crate::output;

fn paging(args: &PageArgs) -> Result<(Limit, PageNumber), Failure> {
    let limit = Limit::new(args.limit).map_err(|e| Failure::usage(e.to_string()))?;
    let page = PageNumber::new(args.page).map_err(|e| Failure::usage(e.to_string()))?;
    Ok((limit, if args.all { PageNumber::FIRST } else { page }))
}

/// What the CLI keeps of the records the service returns: what the service
/// cannot filter on itself.
#[derive(Debug, Default)]
struct Keep {
    /// A status with no code (`reserved`).
    status: Option<JobStatus>,
    /// A target given as a URL: its equivalent URLs only (the service
    /// searched for the target's host).
    target: Option<Target>,
}

impl Keep {
    fn apply(&self, records: Vec<JobRecord>) -> Vec<JobRecord> {
        records
            .into_iter()
            .filter(|r| self.status.as_ref().is_none_or(|s| r.status() == *s))
            .filter(|r| {
                self.target
                    .as_ref()
                    .is_none_or(|t| Target::parse(&r.start_url).same_as(t))
            })
            .collect()
    }
}

/// Shows one page, or every page with `--all`; `only` filters the records
/// here, for what the service cannot filter on.
fn show<P: Paged + std::fmt::Debug>(
    ctx: &Ctx,
    client: &Client,
    query: P,
    args: &PageArgs,
    only: Keep,
) -> Result<u8, Failure> {
    let fail = |e: wsc_core::Error| Failure::from_error(&e, Some(P::KIND), None);
    if args.all {
        let listing = client
            .all_pages(&query, |page, total| {
                ctx.progress(format!(
                    "fetching page {}/{}…",
                    page.get(),
                    total.map(|t| t.to_string()).unwrap_or_else(|| "?".into())
                ))
            })
            .map_err(|e| {
                ctx.progress_done();
                fail(e)
            })?;
        ctx.progress_done();
        let truncated = listing.truncated;
        let records = only.apply(listing.records);
        if truncated {
            ctx.warn("the listing is incomplete: the server repeated a page, or the walk reached its cap (500 pages or 10,000 jobs)");
        }
        if ctx.json() {
            ctx.print_json(&output::jobs_json(
                &records, None, None, args.limit, truncated,
            ));
        } else {
            ctx.print(output::jobs_table(&records, ctx.color));
            ctx.note(format!("{} job(s)", records.len()));
        }
    } else {
        let mut page = client.execute(&query).map_err(fail)?;
        page.records = only.apply(std::mem::take(&mut page.records));
        if ctx.json() {
            ctx.print_json(&output::jobs_json(
                &page.records,
                Some(&page),
                Some(args.page),
                args.limit,
                false,
            ));
        } else {
            ctx.print(output::jobs_table(&page.records, ctx.color));
        }
        match (page.total_count, page.total_pages) {
            (Some(total), Some(pages)) if total > 0 && u64::from(args.page) > pages => {
                ctx.warn(format!(
                    "there is no page {}: {total} job(s) fill {pages} page(s) of {}",
                    args.page, args.limit
                ));
            }
            (Some(total), Some(pages)) if total > 0 && !ctx.json() => {
                ctx.note(format!(
                    "page {} of {pages} · {total} job(s) in all",
                    args.page
                ));
            }
            _ => {}
        }
        if only.status.is_some() && !args.all {
            ctx.note("reserved jobs are picked from this page only (the service has no status code for them); --all searches every page");
        }
        if let Some(target) = only.target.as_ref().filter(|_| !args.all) {
            ctx.note(format!("the jobs of {target} are picked from this page of the jobs of {} only; --all searches every page", target.search_keyword()));
        }
    }
    Ok(OK)
}

/// `wsc list`.
pub fn list(ctx: &Ctx, args: &PageArgs) -> Result<u8, Failure> {
    let (limit, page) = paging(args)?;
    let op = ListJobs::new(limit, page);
    if ctx.global.dry_run {
        ctx.dry_run(&op)?;
        return Ok(OK);
    }
    show(ctx, &ctx.client()?, op, args, Keep::default())
}

/// `wsc search`.
pub fn search(
    ctx: &Ctx,
    url: Option<&str>,
    memo: Option<&str>,
    status: Option<&str>,
    args: &PageArgs,
) -> Result<u8, Failure> {
    let (limit, page) = paging(args)?;
    // A URL (with a scheme) names a target: search its host and keep its
    // equivalent URLs. Any other keyword is the service's substring search.
    let target = url.filter(|u| u.contains("://")).map(Target::parse);
    let by = match (url, memo, &target) {
        (Some(_), _, Some(t)) => SearchBy::Url(t.search_keyword().to_owned()),
        (Some(u), _, None) => SearchBy::Url(u.to_owned()),
        (None, Some(m), _) => SearchBy::Memo(m.to_owned()),
        (None, None, _) => SearchBy::All,
    };
    // `reserved` (예약/予約) is a status with no code: search without a
    // status and keep the reserved jobs here.
    let only = status
        .map(JobStatus::from_label)
        .filter(|s| *s == JobStatus::Reserved);
    let status = status
        .filter(|_| only.is_none())
        .map(|s| s.parse::<JobStatusCode>())
        .transpose()
        .map_err(|e| Failure::usage(e.to_string()))?;
    let op = SearchJobs::new(by, status, limit, page).map_err(|e| Failure::usage(e.to_string()))?;
    if ctx.global.dry_run {
        ctx.dry_run(&op)?;
        return Ok(OK);
    }
    let keep = Keep {
        status: only,
        target,
    };
    show(ctx, &ctx.client()?, op, args, keep)
}

/// `wsc get ID`.
pub fn get(ctx: &Ctx, id: &str) -> Result<u8, Failure> {
    let id = parse_id(id)?;
    if ctx.global.dry_run {
        ctx.dry_run(&ListJobs::new(
            Limit::new(Limit::MAX).map_err(|e| Failure::usage(e.to_string()))?,
            PageNumber::FIRST,
        ))?;
        return Ok(OK);
    }
    let client = ctx.client()?;
    let found = client
        .find_job(id)
        .map_err(|e| Failure::from_error(&e, Some(OperationKind::ListJobs), None))?;
    match found {
        Some(record) => {
            if ctx.json() {
                ctx.print_json(&output::job_json(&record));
            } else {
                ctx.print(output::job_details(&record, ctx.color));
            }
            Ok(OK)
        }
        None => Err(Failure::new(API, format!("job {id} not found"))
            .hint("`wsc list --all` shows every job")),
    }
}

/// `wsc cancel ID` / `wsc stop ID`.
pub fn act(ctx: &Ctx, id_text: &str, stop: bool) -> Result<u8, Failure> {
    let id = parse_id(id_text)?;
    let (verb, kind) = if stop {
        ("stopped", OperationKind::StopJob)
    } else {
        ("cancelled", OperationKind::CancelJob)
    };
    if ctx.global.dry_run {
        if stop {
            ctx.dry_run(&StopJob::new(id))?
        } else {
            ctx.dry_run(&CancelJob::new(id))?
        }
        return Ok(OK);
    }
    let client = ctx.client()?;
    let result = if stop {
        client.stop_job(id)
    } else {
        client.cancel_job(id)
    };
    result.map_err(|e| Failure::from_error(&e, Some(kind), Some(id_text.trim())))?;
    if ctx.json() {
        ctx.print_json(&serde_json::json!({ "id": id, "action": if stop { "stop" } else { "cancel" }, "ok": true }));
    } else {
        ctx.print(format!("{verb} job {id}"));
    }
    Ok(OK)
}
