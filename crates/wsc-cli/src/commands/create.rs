//! `wsc create`: billed, starts a scan at once — so it confirms, never sends
//! twice, and finds the new job's id honestly.

use std::io::BufRead;

use serde_json::json;
use wsc_core::CreateTag;
use wsc_core::sans_io::OperationKind;
use wsc_core::{CreateJob, ScanUserAgent, Speed};
use wsc_core::{CreateOutcome, IdSource, NotStartedReason, Unidentified};

use super::parse_id;
use crate::cli::CreateArgs;
use crate::context::Ctx;
use crate::exit::{API, Failure, OK, OTHER, USAGE};

fn build(args: &CreateArgs) -> Result<CreateJob, Failure> {
    let invalid = |e: wsc_core::InvalidInput| Failure::usage(e.to_string());
    let job = build_untagged(args)?;
    if args.no_tag {
        return Ok(job);
    }
    job.with_tag(new_tag()?).map_err(invalid)
}

/// A fresh tag from the operating system's random source.
fn new_tag() -> Result<CreateTag, Failure> {
    getrandom::u32().map(CreateTag::from_bits).map_err(|e| {
        Failure::new(
            OTHER,
            format!("cannot draw a create tag: {e}; no scan was started"),
        )
        .hint(
            "pass --no-tag to create without one (the job is then found by target, memo and time)",
        )
    })
}

fn build_untagged(args: &CreateArgs) -> Result<CreateJob, Failure> {
    let invalid = |e: wsc_core::InvalidInput| Failure::usage(e.to_string());
    if let Some(path) = &args.from_file {
        let bytes = crate::fsutil::read_limited(path, crate::fsutil::JOB_FILE_LIMIT)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        return CreateJob::from_wire_json(&bytes).map_err(invalid);
    }
    let url = args
        .url
        .clone()
        .ok_or_else(|| Failure::usage("--url is required"))?;
    let mut b = CreateJob::builder(url)
        .user_agent(args.user_agent.parse::<ScanUserAgent>().map_err(invalid)?)
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
        String::from_utf8_lossy(&job.redacted_body())
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

/// The command that shows what a create may have started, and the tag that
/// tells its job apart.
fn search_command(job: &CreateJob) -> String {
    let search = format!(
        "wsc search --url '{}'",
        job.start_url().replace('\'', "'\\''")
    );
    search
}

/// How to tell the job apart among those listed: its memo's tag.
fn tag_note(job: &CreateJob) -> String {
    job.tag()
        .map(|tag| format!(" (its memo ends with {tag})"))
        .unwrap_or_default()
}

/// What the user is told when the reply to a billed call was lost.
fn lost_reply_text(error: &wsc_core::Error) -> String {
    match error {
        wsc_core::Error::Service(_) => format!("createJob was answered with an error ({error})"),
        _ => format!("the reply to createJob was lost ({error})"),
    }
}

pub fn run(ctx: &Ctx, args: &CreateArgs) -> Result<u8, Failure> {
    let job = build(args)?;
    let gate = crate::gate::Gate::load_for_create(&args.gate, args.wait)?;
    // A baseline of another target is refused before the billed call.
    gate.check_target(Some(job.start_url()))?;
    if args.wait_args.fail_on.is_some() && !args.wait {
        return Err(Failure::usage(
            "--fail-on needs --wait (or use `wsc report ID --fail-on`)",
        ));
    }
    if ctx.global.dry_run {
        ctx.dry_run(&job)?;
        return Ok(OK);
    }
    // Every create is journaled before it is sent (by the client, after the
    // listing before it): `wsc recover` names the job after a lost reply, a
    // kill or a power cut. No journal, no billed call.
    let (client, journal) = ctx.client_for_creates(!args.no_tag, ctx.journal()?)?;
    if !args.yes {
        confirm(ctx, &job, &client.endpoint().to_string())?;
    }
    // From here a signal may land after the billed request left.
    crate::interrupt::set_message(format!(
        "interrupted: the scan may have started; `wsc recover` names it, or check with: {}{}",
        search_command(&job),
        tag_note(&job)
    ));
    let outcome = client.create_and_identify(&job);
    for warning in journal.warnings() {
        ctx.warn(warning);
    }
    let (id, source, warning) = match outcome {
        CreateOutcome::Identified {
            id,
            source,
            lost_reply,
            ..
        } => (id, source, lost_reply.as_ref().map(lost_reply_text)),
        CreateOutcome::NotStarted {
            error: wsc_core::Error::Journal(error),
            ..
        } => {
            crate::interrupt::clear_message();
            return Err(Failure::new(
                OTHER,
                format!(
                    "no scan was started: cannot write the journal of creates {}: {}",
                    journal.path().display(),
                    error.message()
                ),
            )
            .hint("free space or fix the directory's permissions, or set XDG_STATE_HOME to a writable directory"));
        }
        CreateOutcome::NotStarted { reason, error, .. } => {
            crate::interrupt::clear_message();
            return Err(not_started(reason, &error));
        }
        CreateOutcome::Unidentified {
            why, lost_reply, ..
        } => {
            let warning = lost_reply.as_ref().map(lost_reply_text);
            return unidentified(ctx, &job, &why, warning, args.wait);
        }
    };
    let id_source = Some(source.as_str());
    if let Some(warning) = &warning {
        let how = match source {
            IdSource::Tag => "by its tag",
            IdSource::Response | IdSource::Listing => "by listing",
        };
        ctx.warn(format!("{warning}; job {id} was found {how}"));
    }
    let tag = job.tag().map(|t| t.to_string());
    if ctx.json() && !args.wait {
        let mut value = json!({ "created": true, "id": id, "id_source": id_source, "tag": tag, "target": job.start_url() });
        if let Some(w) = &warning {
            value["warning"] = json!(w);
        }
        ctx.print_json(&value);
    } else if !ctx.json() {
        ctx.print(format!("created job {id} for {}", job.start_url()));
    }
    if ctx.stdout_failure().is_some() {
        // The id must not be lost with the output: it goes to stderr too.
        ctx.warn_always(format!(
            "job {id} was created for {}, but standard output cannot be written",
            job.start_url()
        ));
    }
    crate::interrupt::clear_message();
    if args.wait {
        return super::wait::wait_for(ctx, &client, id, args.wait_timeout, &args.wait_args, &gate);
    }
    Ok(OK)
}

/// Nothing was started: the failure, in the words of how that is known.
fn not_started(reason: NotStartedReason, error: &wsc_core::Error) -> Failure {
    let (step, op) = match reason {
        NotStartedReason::Refused => ("", Some(OperationKind::CreateJob)),
        NotStartedReason::NotSent if error.may_have_reached_service() => (
            "createJob was not sent: listing the jobs before it failed: ",
            None,
        ),
        NotStartedReason::NotSent | NotStartedReason::NeverArrived => ("", None),
    };
    let failure = Failure::from_error(error, op, None);
    Failure {
        message: format!("no scan was started: {step}{}", failure.message),
        ..failure
    }
}

/// The scan may have started but its id is unknown: say what exists, never
/// suggest sending the billed call again.
fn unidentified(
    ctx: &Ctx,
    job: &CreateJob,
    why: &Unidentified,
    warning: Option<String>,
    wait: bool,
) -> Result<u8, Failure> {
    crate::interrupt::clear_message();
    let detail = match why {
        Unidentified::Ambiguous(candidates) => format!(
            "{} new jobs match {}: {}",
            candidates.len(),
            job.start_url(),
            candidates
                .iter()
                .map(|r| r.instance_no.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Unidentified::ListingFailed(e) => format!("listing jobs to find it failed: {e}"),
        Unidentified::NotListed => "no new matching job is listed yet".to_owned(),
    };
    let check = format!(
        "run `wsc recover` (it names the job by its tag), or check `{}`{}, before creating it again",
        search_command(job),
        tag_note(job)
    );
    match warning {
        // The reply came and said the scan started, without its id.
        None => {
            ctx.warn(format!("the scan started, but its id is unknown: {detail}"));
            if ctx.json() {
                let tag = job.tag().map(|t| t.to_string());
                ctx.print_json(&json!({ "created": true, "id": null, "id_source": null, "tag": tag, "target": job.start_url(), "warning": detail }));
            } else {
                ctx.print(format!(
                    "created a job for {} (id unknown)",
                    job.start_url()
                ));
            }
            if wait {
                return Err(
                    Failure::new(OTHER, "cannot wait: the new job's id is unknown").hint(check),
                );
            }
            Ok(OK)
        }
        Some(lost) => Err(Failure::new(
            API,
            format!("{lost}; the scan may have started, and {detail}"),
        )
        .hint(check)),
    }
}
