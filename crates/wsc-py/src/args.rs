//! Python's arguments as the core's inputs: ids, pages, durations, a search,
//! a create, and the configure file the CLI reads.

use std::collections::HashMap;
use std::time::Duration;

use pyo3::prelude::*;
use wsc_core::config::ConfigFile;
use wsc_core::{CreateJob, InstanceId, JobStatusCode, Limit, PageNumber, SearchBy, SearchJobs};

use crate::errors;

/// The most of `~/.ncloud/configure` read (a real one is a few lines).
const CONFIG_FILE_LIMIT: u64 = 1024 * 1024;

/// `~/.ncloud/configure`, when there is one.
pub(crate) fn config_file(env: &HashMap<String, String>) -> Result<Option<ConfigFile>, String> {
    let Some(home) = env.get("HOME").or_else(|| env.get("USERPROFILE")) else {
        return Ok(None);
    };
    let path = std::path::Path::new(home).join(".ncloud").join("configure");
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        Ok(meta) if meta.len() > CONFIG_FILE_LIMIT => {
            return Err(format!("{} is larger than 1 MiB", path.display()));
        }
        Ok(_) => {}
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Some(ConfigFile::parse(path.display().to_string(), &text)))
}

pub(crate) fn id(py: Python<'_>, job_id: &str) -> PyResult<InstanceId> {
    job_id
        .trim()
        .parse::<InstanceId>()
        .map_err(|e| errors::invalid(py, &e))
}

pub(crate) fn page_of(py: Python<'_>, limit: u32, page: u32) -> PyResult<(Limit, PageNumber)> {
    let limit = Limit::new(limit).map_err(|e| errors::invalid(py, &e))?;
    let page = PageNumber::new(page).map_err(|e| errors::invalid(py, &e))?;
    Ok((limit, page))
}

pub(crate) fn seconds(py: Python<'_>, what: &'static str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        errors::invalid(
            py,
            &wsc_core::InvalidInput::new(what, "must be a finite number of seconds, at least 0"),
        )
    })
}

pub(crate) fn search(
    py: Python<'_>,
    url: Option<String>,
    memo: Option<String>,
    status: Option<String>,
    limit: u32,
    page: u32,
) -> PyResult<SearchJobs> {
    let by = match (url, memo) {
        (Some(url), None) => SearchBy::Url(url),
        (None, Some(memo)) => SearchBy::Memo(memo),
        (None, None) => SearchBy::All,
        (Some(_), Some(_)) => {
            return Err(errors::invalid(
                py,
                &wsc_core::InvalidInput::new("search", "give url or memo, not both"),
            ));
        }
    };
    let status = status
        .map(|s| s.parse::<JobStatusCode>())
        .transpose()
        .map_err(|e| errors::invalid(py, &e))?;
    let (limit, page) = page_of(py, limit, page)?;
    SearchJobs::new(by, status, limit, page).map_err(|e| errors::invalid(py, &e))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn create(
    py: Python<'_>,
    url: &str,
    memo: Option<String>,
    exclude: Vec<String>,
    headers: Vec<(String, String)>,
    vuln_items: Vec<String>,
    user_agent: Option<String>,
    speed: Option<String>,
) -> PyResult<CreateJob> {
    let invalid = |e: wsc_core::InvalidInput| errors::invalid(py, &e);
    let mut builder = CreateJob::builder(url);
    if let Some(memo) = memo {
        builder = builder.memo(memo);
    }
    for url in exclude {
        builder = builder.exclude_url(url);
    }
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    for item in vuln_items {
        builder = builder.vuln_item(item);
    }
    if let Some(agent) = user_agent {
        builder = builder.user_agent(agent.parse().map_err(invalid)?);
    }
    if let Some(speed) = speed {
        builder = builder.speed(speed.parse().map_err(invalid)?);
    }
    builder.build().map_err(invalid)
}
