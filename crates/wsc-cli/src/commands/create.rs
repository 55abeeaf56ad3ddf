//! `wsc create`: billed, starts a scan at once — so it confirms, never sends
//! twice, and finds the new job's id honestly.

use std::collections::HashSet;
use std::io::BufRead;

use serde_json::json;
use wsc_core::cassette::redact_body;
use wsc_core::operations::{CreateJob, ListJobs, Operation, OperationKind, Speed, UserAgent};
use wsc_core::{InstanceId, JobRecord, Limit, PageNumber};
use wsc_ureq::Client;

use super::parse_id;
use crate::cli::CreateArgs;
use crate::context::Ctx;
use crate::exit::{Failure, OK, OTHER, USAGE};

fn build(args: &CreateArgs) -> Result<CreateJob, Failure> {
    let invalid = |e: wsc_core::InvalidInput| Failure::usage(e.to_string());
    if let Some(path) = &args.from_file {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        return CreateJob::from_wire_json(&bytes).map_err(invalid);
    }
    let url = args
        .url
        .clone()
        .ok_or_else(|| Failure::usage("--url is required"))?;
    let mut b = CreateJob::builder(url)
        .user_agent(args.user_agent.parse::<UserAgent>().map_err(invalid)?)
        .speed(args.speed.parse::<Speed>().map_err(invalid)?);
    for url in &args.exclude {
        b = b.exclude_url(url);
    }
    for header in &args.header {
        b = b.header_line(header).map_err(invalid)?;
    }
    for item in &args.vuln {
        b = b.vuln_item(item);
    }
    if let Some(memo) = &args.memo {
        b = b.memo(memo);
    }
    if let Some(id) = &args.rescan_of {
        b = b.rescan_of(parse_id(id)?);
    }
    b.build().map_err(invalid)
}

fn confirm(ctx: &Ctx, job: &CreateJob, endpoint: &str) -> Result<(), Failure> {
    if !(ctx.stdin_tty && ctx.stderr_tty) {
        return Err(
            Failure::usage("refusing to start a billed scan without confirmation")
                .hint("pass --yes to confirm in scripts (or --dry-run to see the request)"),
        );
    }
    eprintln!("About to start a Web Security Checker scan (billed per call, starts at once):");
    eprintln!("  endpoint  {endpoint}");
    eprintln!("  request   PUT /api/v1/job");
    eprintln!(
        "  body      {}",
        String::from_utf8_lossy(&redact_body(&job.body()))
    );
    eprint!("Start the scan? [y/N] ");
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(OTHER, e.to_string()))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(Failure::new(USAGE, "cancelled: no scan was started"))
    }
}

fn newest_ids(client: &Client) -> Result<Vec<JobRecord>, wsc_core::Error> {
    let limit = Limit::new(Limit::MAX)?;
    Ok(client
        .list_jobs(&ListJobs::new(limit, PageNumber::FIRST))?
        .records)
}

/// The id of the job just created when the response did not carry it: the new
/// job(s) for this URL that were not listed before.
fn find_created(
    client: &Client,
    before: &HashSet<InstanceId>,
    job: &CreateJob,
) -> Result<Vec<InstanceId>, wsc_core::Error> {
    for attempt in 0..3 {
        if attempt > 0 {
            std::thread::sleep(std::time::Duration::from_secs(2));
        }
        let fresh: Vec<InstanceId> = newest_ids(client)?
            .into_iter()
            .filter(|r| !before.contains(&r.instance_no) && r.start_url == job.start_url())
            .map(|r| r.instance_no)
            .collect();
        if !fresh.is_empty() {
            return Ok(fresh);
        }
    }
    Ok(Vec::new())
}

pub fn run(ctx: &Ctx, args: &CreateArgs) -> Result<u8, Failure> {
    let job = build(args)?;
    let gate = crate::report::baseline::Gate::load_for_create(&args.gate, args.wait)?;
    if args.wait_args.fail_on.is_some() && !args.wait {
        return Err(Failure::usage(
            "--fail-on needs --wait (or use `wsc report ID --fail-on`)",
        ));
    }
    if ctx.global.dry_run {
        ctx.dry_run(&job)?;
        return Ok(OK);
    }
    let client = ctx.client()?;
    if !args.yes {
        confirm(ctx, &job, &client.endpoint().to_string())?;
    }
    // What existed before, so a response without an id can still be matched.
    let before: HashSet<InstanceId> = newest_ids(&client)
        .map_err(|e| Failure::from_error(&e, Some(OperationKind::ListJobs), None))?
        .into_iter()
        .map(|r| r.instance_no)
        .collect();
    let created = client
        .create_job(&job)
        .map_err(|e| Failure::from_error(&e, Some(CreateJob::KIND), None))?;
    let (id, found_by) = match created.instance_no {
        Some(id) => (Some(id), Some("response")),
        None => match find_created(&client, &before, &job) {
            Ok(ids) if ids.len() == 1 => (Some(ids[0]), Some("listing")),
            Ok(ids) if ids.len() > 1 => {
                ctx.warn(format!(
                    "the scan started, but {} new jobs match {}: {}",
                    ids.len(),
                    job.start_url(),
                    ids.iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                (None, None)
            }
            Ok(_) => {
                ctx.warn("the scan started, but its id was not in the response and could not be found yet; see `wsc list`");
                (None, None)
            }
            Err(e) => {
                ctx.warn(format!(
                    "the scan started, but listing jobs to find its id failed: {e}"
                ));
                (None, None)
            }
        },
    };
    if ctx.json() && !args.wait {
        ctx.print_json(
            &json!({ "created": true, "id": id, "id_source": found_by, "target": job.start_url() }),
        );
    } else if !ctx.json() {
        match id {
            Some(id) => ctx.print(format!("created job {id} for {}", job.start_url())),
            None => ctx.print(format!(
                "created a job for {} (id unknown)",
                job.start_url()
            )),
        }
    }
    if args.wait {
        let Some(id) = id else {
            return Err(
                Failure::new(OTHER, "cannot wait: the new job's id is unknown")
                    .hint("find it with `wsc list`, then `wsc wait ID`"),
            );
        };
        return super::wait::wait_for(ctx, &client, id, args.wait_timeout, &args.wait_args, &gate);
    }
    Ok(OK)
}
