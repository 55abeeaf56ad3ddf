//! `wsc report ID`.

use wsc_core::RiskLevel;
use wsc_core::operations::{GetReport, OperationKind};

use super::parse_id;
use crate::cli::FailOn;
use crate::context::Ctx;
use crate::exit::{API, FINDINGS, Failure, OK, OTHER};
use crate::output;

pub fn run(
    ctx: &Ctx,
    id_text: &str,
    out: Option<&std::path::Path>,
    fail_on: Option<FailOn>,
) -> Result<u8, Failure> {
    let id = parse_id(id_text)?;
    if ctx.global.dry_run {
        ctx.dry_run(&GetReport::new(id))?;
        return Ok(OK);
    }
    let client = ctx.client()?;
    let report = client.get_report(id).map_err(|e| {
        Failure::from_error(&e, Some(OperationKind::GetReport), Some(id_text.trim()))
    })?;
    let document = serde_json::Value::Object(report.raw().clone());
    if let Some(path) = out {
        let mut bytes = serde_json::to_vec_pretty(&document).unwrap_or_default();
        bytes.push(b'\n');
        crate::fsutil::write_atomic(path, &bytes, true)
            .map_err(|e| Failure::new(OTHER, format!("cannot write {}: {e}", path.display())))?;
        ctx.note(format!(
            "saved the report of job {id} to {}",
            path.display()
        ));
    }
    if ctx.json() {
        ctx.print_json(&document);
    } else {
        ctx.print(output::report_summary(&id.to_string(), &report));
    }
    if let Some(level) = fail_on {
        let counts = report.risk_counts().ok_or_else(|| {
            Failure::new(
                API,
                format!("the report of job {id} has no risk counts; cannot evaluate --fail-on"),
            )
        })?;
        let n = counts.at_or_above(RiskLevel::from(level));
        if n > 0 {
            eprintln!(
                "error: {n} finding(s) at or above {} in job {id}\nhint: the report above lists them by level and domain",
                level.name()
            );
            return Ok(FINDINGS);
        }
    }
    Ok(OK)
}
