//! `wsc report ID`: the report in any format, the `--fail-on` and
//! `--baseline`/`--fail-on-new` gates, and `--out`.

use std::path::Path;

use serde_json::Value;
use wsc_core::report::RiskLevel;
use wsc_core::sans_io::{GetReport, OperationKind};

use super::parse_id;
use crate::cli::{FailOn, GateArgs, Output};
use crate::context::Ctx;
use crate::exit::{API, FINDINGS, Failure, OK, OTHER};
use crate::gate::{Gate, Verdict};
use crate::output;
use crate::report::{self, Extras, Summary};

/// The options of `wsc report`.
pub struct Options<'a> {
    /// `--out FILE`.
    pub out: Option<&'a Path>,
    /// `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// `--baseline`, `--fail-on-new`.
    pub gate: &'a GateArgs,
    /// `--history N`.
    pub history: Option<u32>,
}

/// Renders the (masked) report in `format`.
fn render(
    format: Output,
    id: &str,
    report: &wsc_core::Report,
    extras: &Extras,
) -> Result<String, Failure> {
    let summary = Summary::new(id, report);
    let failed = |e: String| Failure::new(OTHER, format!("cannot render the report: {e}"));
    Ok(match format {
        Output::Table => {
            let mut text = output::report_summary(id, report);
            if let Some(d) = &extras.delta {
                text.push_str(&format!("\n  {:<12} {}", "baseline", d.summary()));
            }
            text
        }
        Output::Json => {
            let mut doc = report.raw().clone();
            if let Some(d) = &extras.delta {
                doc.insert("baseline".into(), d.to_json());
            }
            output::json_text(&Value::Object(doc)).map_err(|e| failed(e.to_string()))?
        }
        Output::Markdown => report::markdown::render(&summary, extras),
        Output::Junit => report::junit::render(&summary, extras).map_err(failed)?,
        Output::Sarif => report::sarif::render(&summary, extras).map_err(failed)?,
        Output::Html => report::html::render(&summary, extras),
    })
}

pub fn run(ctx: &Ctx, id_text: &str, opts: &Options<'_>) -> Result<u8, Failure> {
    let id = parse_id(id_text)?;
    let format = ctx.global.output;
    if opts.history.is_some() && format != Output::Html {
        return Err(Failure::usage(
            "--history charts past scans in -o html only",
        ));
    }
    let gate = Gate::load(opts.gate)?;
    if ctx.global.dry_run {
        ctx.dry_run(&GetReport::new(id))?;
        return Ok(OK);
    }
    let client = ctx.client()?;
    // Every output below (each format, `--out`) is made from the masked copy.
    let report = client
        .get_report(id)
        .map_err(|e| Failure::from_error(&e, Some(OperationKind::GetReport), Some(id_text.trim())))?
        .redacted();
    gate.check_target(report.text("Target_Info").as_deref())?;
    let id_str = id.to_string();
    let counts = report.risk_counts();
    let no_counts = |what: &str| {
        Failure::new(
            API,
            format!("the report of job {id} has no risk counts; cannot evaluate {what}"),
        )
    };
    let delta = match (gate.is_set(), counts) {
        (false, _) => None,
        (true, Some(c)) => gate.delta(c),
        (true, None) => return Err(no_counts("--baseline")),
    };
    let mut extras = Extras {
        delta,
        fail_on: opts.fail_on.map(RiskLevel::from),
        fail_on_new: gate.fail_on_new,
        history: Vec::new(),
    };
    if let (Some(n), Some(target)) = (opts.history, report.text("Target_Info")) {
        let (points, _) = super::history::fetch(&client, &target, n as usize).map_err(|e| {
            Failure::from_error(&e, Some(OperationKind::SearchJobs), Some(id_text.trim()))
        })?;
        extras.history = points;
    }

    let rendered = render(format, &id_str, &report, &extras)?;
    match opts.out {
        Some(path) => {
            // The file is private (0600); like every output, it holds the masked document.
            let mut bytes = if format.report_only() {
                rendered.clone().into_bytes()
            } else {
                output::json_text(&Value::Object(report.raw().clone()))
                    .unwrap_or_default()
                    .into_bytes()
            };
            if !bytes.ends_with(b"\n") {
                bytes.push(b'\n');
            }
            crate::fsutil::write_atomic(path, &bytes, true).map_err(|e| {
                Failure::new(OTHER, format!("cannot write {}: {e}", path.display()))
            })?;
            ctx.note(format!(
                "saved the report of job {id} to {}{}",
                path.display(),
                if format.report_only() {
                    format!(" ({})", format.name())
                } else {
                    String::new()
                }
            ));
            if !format.report_only() {
                ctx.print(rendered.trim_end());
            }
        }
        None => ctx.print(rendered.trim_end()),
    }

    if opts.fail_on.is_some() && counts.is_none() {
        return Err(no_counts("--fail-on"));
    }
    let verdict = Verdict::of(
        counts,
        extras.fail_on,
        extras.fail_on_new,
        extras.delta.as_ref(),
        &id_str,
    );
    for failure in &verdict.failed {
        eprintln!(
            "error: {}\nhint: {}",
            failure.message,
            failure.hint_after_report()
        );
    }
    let code = if verdict.failed() { FINDINGS } else { OK };
    Ok(code)
}
