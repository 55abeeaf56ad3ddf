//! The core's results as Python values (dicts, lists, str, int, None): the
//! Python layer wraps them in its typed classes.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::{Map, Value, json};
use wsc_core::report::RiskCounts;
use wsc_core::transport::DryRunRequest;
use wsc_core::{JobPage, JobRecord, Report};

/// Any JSON value as the Python value `json.loads` would give.
pub(crate) fn value(py: Python<'_>, v: &Value) -> PyResult<PyObject> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.into_pyobject(py)?.into_any().unbind(),
            (_, Some(u), _) => u.into_pyobject(py)?.into_any().unbind(),
            (_, _, f) => f.unwrap_or(f64::NAN).into_pyobject(py)?.into_any().unbind(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => object(py, map)?.into_any().unbind(),
    })
}

fn object<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, value(py, v)?)?;
    }
    Ok(dict)
}

/// A time as RFC 3339 in UTC (`2026-11-30T01:00:00Z`), for `datetime.fromisoformat`.
fn rfc3339(time: Option<std::time::SystemTime>) -> Value {
    time.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(Value::Null, |d| json!(d.as_secs()))
}

/// One job, as the fields of `ncloud_wsc.Job`.
pub(crate) fn job_json(r: &JobRecord) -> Value {
    json!({
        "id": r.instance_no.get(),
        "status": r.status().name(),
        "status_label": r.status_label,
        "progress": r.progress,
        "start_url": r.start_url,
        "memo": r.memo,
        "crawl_count": r.crawl_count,
        "scan_count": r.scan_count,
        "started_at": rfc3339(r.started_at()),
        "ended_at": rfc3339(r.ended_at()),
        "result_button": r.result_button(),
    })
}

/// A page, as the fields of `ncloud_wsc.JobPage`.
pub(crate) fn page(py: Python<'_>, page: &JobPage) -> PyResult<PyObject> {
    let jobs: Vec<Value> = page.records.iter().map(job_json).collect();
    value(
        py,
        &json!({ "total": page.total_count, "pages": page.total_pages, "jobs": jobs }),
    )
}

fn risk(counts: &RiskCounts) -> Value {
    json!({ "high": counts.high, "medium": counts.medium, "low": counts.low, "total": counts.total })
}

/// A report, as the fields of `ncloud_wsc.Report`: its summary, and the
/// whole document with `Login_Info` and headers masked.
pub(crate) fn report(py: Python<'_>, id: u64, report: &Report) -> PyResult<PyObject> {
    let summary = report.summary();
    let domains: Vec<Value> = summary
        .domains()
        .iter()
        .map(|d| json!({ "domain": d.domain, "high": d.high, "medium": d.medium, "low": d.low }))
        .collect();
    value(
        py,
        &json!({
            "job_id": id,
            "target": summary.target(),
            "report_date": summary.report_date(),
            "risk": summary.risk().as_ref().map(risk),
            "domains": domains,
            "categories": summary.categories(),
            "raw": Value::Object(report.redacted().raw().clone()),
        }),
    )
}

/// A signed request a dry run kept (the signature and secrets masked).
pub(crate) fn dry_run(py: Python<'_>, request: &DryRunRequest) -> PyResult<PyObject> {
    let headers: Map<String, Value> = request
        .headers()
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    value(
        py,
        &json!({
            "method": request.method().as_str(),
            "url": request.uri().to_string(),
            "headers": headers,
            "string_to_sign": request.string_to_sign(),
            "body": String::from_utf8_lossy(request.body()),
        }),
    )
}
