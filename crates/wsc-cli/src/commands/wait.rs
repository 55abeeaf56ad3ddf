//! `wsc wait ID`, and the waiting step of `wsc create --wait`.

use std::time::{Duration, Instant};

use serde_json::json;
use wsc_core::report::RiskLevel;
use wsc_core::sans_io::OperationKind;
use wsc_core::wait::{Outcome, WaitEnd, WaitOptions};
use wsc_core::{InstanceId, JobRecord};
use wsc_ureq::Client;

use super::parse_id;
use crate::cli::{GateArgs, WaitArgs};
use crate::context::Ctx;
use crate::exit::{API, FINDINGS, Failure, JOB_ENDED_BADLY, OK, WAIT_TIMEOUT};
use crate::gate::{Gate, Verdict};
use crate::output;

fn elapsed(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, s % 3600 / 60)
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

fn describe(r: &JobRecord, started: Instant) -> String {
    let pct = r.progress.map(|p| format!(" {p}%")).unwrap_or_default();
    let crawl = r
        .crawl_count
        .map(|c| format!(" · {c} URLs"))
        .unwrap_or_default();
    let found = r
        .scan_count
        .map(|c| format!(" · {c} found"))
        .unwrap_or_default();
    format!(
        "job {} {}{pct}{crawl}{found} · {}",
        r.instance_no,
        crate::output::terminal_safe(r.status().describe()),
        elapsed(started.elapsed())
    )
}

fn outcome_name(end: &WaitEnd) -> &'static str {
    match end {
        WaitEnd::Finished(Outcome::Completed) => "completed",
        WaitEnd::Finished(Outcome::Failed) => "failed",
        WaitEnd::Finished(Outcome::Cancelled) => "cancelled",
        WaitEnd::Finished(Outcome::Stopped) => "stopped",
        WaitEnd::Finished(Outcome::Expired) => "expired",
        WaitEnd::TimedOut => "timed_out",
        WaitEnd::NotFound => "not_found",
    }
}

/// `wsc wait ID`.
pub fn run(
    ctx: &Ctx,
    id: &str,
    timeout: Option<u64>,
    args: &WaitArgs,
    gate: &GateArgs,
) -> Result<u8, Failure> {
    let id = parse_id(id)?;
    let gate = Gate::load(gate)?;
    if ctx.global.dry_run {
        let list = wsc_core::ListJobs::new(
            wsc_core::Limit::new(wsc_core::Limit::MAX)
                .map_err(|e| Failure::usage(e.to_string()))?,
            wsc_core::PageNumber::FIRST,
        );
        ctx.dry_run(&list)?;
        return Ok(OK);
    }
    let client = ctx.client()?;
    wait_for(ctx, &client, id, timeout, args, &gate)
}

/// Waits, shows progress, and gates on `--fail-on` and `--baseline`/`--fail-on-new`.
/// Never cancels or stops the scan.
pub fn wait_for(
    ctx: &Ctx,
    client: &Client,
    id: InstanceId,
    timeout: Option<u64>,
    args: &WaitArgs,
    gate: &Gate,
) -> Result<u8, Failure> {
    crate::interrupt::set_message(format!(
        "stopped waiting; the scan continues. Resume with: wsc wait {id}"
    ));
    let options = WaitOptions::default()
        .with_interval(Duration::from_secs(
            args.interval.unwrap_or(crate::cli::DEFAULT_INTERVAL),
        ))
        .with_timeout(timeout.map(Duration::from_secs))
        .with_not_found_tolerance(3);
    let started = Instant::now();
    let mut last_line = String::new();
    let report = client
        .wait(id, options, |r| {
            let line = describe(r, started);
            if ctx.fancy {
                ctx.progress_percent(r.progress, &line);
            } else {
                // Plain lines, only when something other than the clock changed.
                let key = line
                    .rsplit_once(" · ")
                    .map(|(k, _)| k.to_owned())
                    .unwrap_or_default();
                if key != last_line {
                    ctx.note(&line);
                    last_line = key;
                }
            }
        })
        .map_err(|e| {
            ctx.progress_done();
            Failure::from_error(&e, Some(OperationKind::ListJobs), None)
        })?;
    ctx.progress_done();
    crate::interrupt::clear_message();

    let mut risk = None;
    let mut at_or_above = None;
    let mut code = match &report.end {
        WaitEnd::Finished(Outcome::Completed) => OK,
        WaitEnd::Finished(_) => JOB_ENDED_BADLY,
        WaitEnd::TimedOut => WAIT_TIMEOUT,
        WaitEnd::NotFound => API,
    };
    let mut delta = None;
    let mut verdict = Verdict::default();
    let completed = report.end == WaitEnd::Finished(Outcome::Completed);
    let fail_on = args.fail_on.map(RiskLevel::from);
    if completed && (fail_on.is_some() || gate.is_set()) {
        let rep = client.get_report(id).map_err(|e| {
            Failure::from_error(&e, Some(OperationKind::GetReport), Some(&id.to_string()))
        })?;
        gate.check_target(rep.text("Target_Info").as_deref())?;
        let counts = rep.risk_counts().ok_or_else(|| {
            Failure::new(
                API,
                format!("the report of job {id} has no risk counts; cannot evaluate --fail-on"),
            )
        })?;
        risk = Some(counts);
        at_or_above = fail_on.map(|level| counts.at_or_above(level));
        (delta, verdict) = gate.verdict(fail_on, counts, &id.to_string());
        if verdict.failed() {
            code = FINDINGS;
        }
    }

    if ctx.json() {
        ctx.print_json(&json!({
            "id": id,
            "outcome": outcome_name(&report.end),
            "job": report.last.as_ref().map(output::job_json),
            "risk": risk,
            "fail_on": args.fail_on.map(RiskLevel::from),
            "findings_at_or_above": at_or_above,
            "baseline": delta.map(|d| d.to_json()),
            "fail_on_new": gate.fail_on_new,
            "new_at_or_above": gate.fail_on_new.zip(delta).map(|(l, d)| d.grew_at_or_above(l)),
        }));
    } else if let Some(last) = &report.last {
        ctx.print(output::job_details(last, ctx.color));
        if let Some(c) = &risk {
            ctx.print(format!("{:<15} {}", "risk", output::risk_line(c)));
        }
        if let Some(d) = &delta {
            ctx.print(format!("{:<15} {}", "baseline", d.summary()));
        }
    }
    match &report.end {
        WaitEnd::TimedOut => eprintln!(
            "error: stopped waiting for job {id} after the timeout; the scan continues\nhint: resume with `wsc wait {id}`"
        ),
        WaitEnd::NotFound => {
            eprintln!("error: job {id} was not found\nhint: `wsc list --all` shows every job")
        }
        WaitEnd::Finished(o) if *o != Outcome::Completed => {
            eprintln!(
                "error: job {id} ended {}\nhint: `wsc get {id}` shows its state",
                outcome_name(&report.end)
            )
        }
        _ => {
            for failure in &verdict.failed {
                eprintln!(
                    "error: {}\nhint: {}",
                    failure.message,
                    failure.hint_for_job(&id.to_string())
                );
            }
        }
    }
    Ok(code)
}
