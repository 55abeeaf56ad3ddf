//! `_native.Client`: the core's blocking client, configured as the CLI is,
//! each call run with the GIL released.

use std::collections::HashMap;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::json;
use wsc_core::config::{self, Overrides};
use wsc_core::sans_io::OperationKind;
use wsc_core::transport::{DefaultTransport, DryRun};
use wsc_core::wait::{WaitEnd, WaitOptions};
use wsc_core::{CreateOutcome, Credentials, Error, InstanceId, ListJobs, Timeouts};

use crate::args::{config_file, create, id, page_of, search, seconds};
use crate::convert::{self, job_json};
use crate::errors;
use crate::interrupt::{Guarded, SliceClock, take_raised};

type Core = wsc_core::Client<Guarded>;

/// The blocking WSC client (see `ncloud_wsc.Client`).
#[pyclass(frozen, module = "ncloud_wsc._native")]
pub(crate) struct Client {
    core: Core,
    /// The same configuration over a stack that sends nothing.
    dry: wsc_core::Client<DryRun>,
}

/// Runs `call` with the GIL released; a signal raised meanwhile wins.
fn released<T: Send>(py: Python<'_>, call: impl FnOnce() -> T + Send) -> PyResult<T> {
    let result = py.allow_threads(call);
    match take_raised() {
        Some(raised) => Err(raised),
        None => Ok(result),
    }
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (endpoint=None, site=None, profile=None, access_key=None, secret_key=None, timeout=None, ca_bundle=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        endpoint: Option<String>,
        site: Option<String>,
        profile: Option<String>,
        access_key: Option<String>,
        secret_key: Option<String>,
        timeout: Option<f64>,
        ca_bundle: Option<String>,
    ) -> PyResult<Self> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let mut overrides = Overrides::default();
        overrides.profile = profile;
        overrides.site = site;
        overrides.endpoint = endpoint;
        match (access_key, secret_key) {
            (Some(access), Some(secret)) => {
                let credentials =
                    Credentials::new(access, secret).map_err(|e| errors::invalid(py, &e))?;
                overrides.credentials = Some(credentials);
            }
            (None, None) => {}
            _ => {
                return Err(errors::native(
                    py,
                    "config",
                    "give both access_key and secret_key, or neither (then the environment and ~/.ncloud/configure are read)".into(),
                    json!({"retryable": false}),
                ));
            }
        }
        let file = config_file(&env)
            .map_err(|e| errors::native(py, "config", e, json!({"retryable": false})))?;
        let resolved = config::resolve(&overrides, &env, file.as_ref())
            .map_err(|e| errors::build(py, &e.into()))?;
        let mut timeouts = Timeouts::default();
        if let Some(t) = timeout {
            timeouts = timeouts.with_overall(seconds(py, "timeout", t)?);
        }
        let mut builder =
            wsc_core::Client::builder(resolved.credentials.clone(), resolved.endpoint.clone())
                .timeouts(timeouts)
                .clock(SliceClock)
                .user_agent_suffix(format!("ncloud-wsc-python/{}", env!("CARGO_PKG_VERSION")));
        if let Some(path) = ca_bundle {
            let pem = std::fs::read(&path).map_err(|e| {
                errors::native(
                    py,
                    "config",
                    format!("cannot read ca_bundle {path}: {e}"),
                    json!({"retryable": false}),
                )
            })?;
            builder = builder.ca_bundle_pem(pem);
        }
        let transport = wsc_ureq::Transport::from_options(builder.transport_options())
            .map_err(|e| errors::build(py, &e.into()))?;
        let core = builder.build_with(Guarded(transport));
        let dry = wsc_core::Client::builder(resolved.credentials, resolved.endpoint)
            .timeouts(timeouts)
            .build_with(DryRun::named("ureq; python"));
        Ok(Self { core, dry })
    }

    /// The base URL requests go to.
    #[getter]
    fn endpoint(&self) -> String {
        self.core.endpoint().to_string()
    }

    fn __repr__(&self) -> String {
        format!("Client(endpoint={:?})", self.core.endpoint().to_string())
    }

    fn list_jobs(&self, py: Python<'_>, limit: u32, page: u32) -> PyResult<PyObject> {
        let (limit, page) = page_of(py, limit, page)?;
        let op = ListJobs::new(limit, page);
        let result = released(py, || self.core.list_jobs(&op))?;
        let page = result.map_err(|e| errors::call(py, &e, OperationKind::ListJobs))?;
        convert::page(py, &page)
    }

    #[pyo3(signature = (url, memo, status, limit, page))]
    fn search_jobs(
        &self,
        py: Python<'_>,
        url: Option<String>,
        memo: Option<String>,
        status: Option<String>,
        limit: u32,
        page: u32,
    ) -> PyResult<PyObject> {
        let op = search(py, url, memo, status, limit, page)?;
        let result = released(py, || self.core.search_jobs(&op))?;
        let page = result.map_err(|e| errors::call(py, &e, OperationKind::SearchJobs))?;
        convert::page(py, &page)
    }

    fn get_job(&self, py: Python<'_>, job_id: &str) -> PyResult<PyObject> {
        let id = id(py, job_id)?;
        let result = released(py, || self.core.find_job(id))?;
        match result.map_err(|e| errors::call(py, &e, OperationKind::ListJobs))? {
            Some(record) => convert::value(py, &job_json(&record)),
            None => Err(errors::native(
                py,
                "service",
                format!("no job {id} is listed for this account and site"),
                json!({"retryable": false, "status": null, "code": "not_found"}),
            )),
        }
    }

    #[pyo3(signature = (url, memo, exclude, headers, vuln_items, user_agent, speed))]
    #[allow(clippy::too_many_arguments)]
    fn create_job(
        &self,
        py: Python<'_>,
        url: String,
        memo: Option<String>,
        exclude: Vec<String>,
        headers: Vec<(String, String)>,
        vuln_items: Vec<String>,
        user_agent: Option<String>,
        speed: Option<String>,
    ) -> PyResult<PyObject> {
        let op = create(
            py, &url, memo, exclude, headers, vuln_items, user_agent, speed,
        )?;
        // A signal during the create does not hide what it started.
        let outcome = py.allow_threads(|| self.core.create_and_identify(&op));
        let raised = take_raised();
        match (&outcome, raised) {
            (CreateOutcome::Identified { id, record, .. }, _) => match record {
                Some(record) => convert::value(py, &job_json(record)),
                None => {
                    let found = py.allow_threads(|| self.core.find_job(*id));
                    let _ = take_raised();
                    match found {
                        Ok(Some(record)) => convert::value(py, &job_json(&record)),
                        _ => convert::value(py, &json!({"id": id.get(), "start_url": url})),
                    }
                }
            },
            (CreateOutcome::NotStarted { .. }, Some(raised)) => Err(raised),
            _ => Err(errors::create(py, &outcome, &url)),
        }
    }

    #[pyo3(signature = (job_id, timeout, interval, on_progress))]
    fn wait(
        &self,
        py: Python<'_>,
        job_id: &str,
        timeout: Option<f64>,
        interval: Option<f64>,
        on_progress: Option<PyObject>,
    ) -> PyResult<PyObject> {
        let id = id(py, job_id)?;
        let mut options = WaitOptions::default();
        if let Some(t) = timeout {
            options = options.with_timeout(Some(seconds(py, "timeout", t)?));
        }
        if let Some(i) = interval {
            options = options.with_interval(seconds(py, "interval", i)?);
        }
        let result = released(py, || {
            let mut callback_error = None;
            let report = self.core.wait(id, options, |record| {
                if let (Some(callback), None) = (&on_progress, &callback_error) {
                    Python::with_gil(|py| {
                        let job = convert::value(py, &job_json(record))
                            .and_then(|job| callback.call1(py, (job,)));
                        if let Err(e) = job {
                            callback_error = Some(e);
                        }
                    });
                }
            });
            (report, callback_error)
        })?;
        let report = match result {
            (_, Some(callback_error)) => return Err(callback_error),
            (report, None) => report.map_err(|e| errors::call(py, &e, OperationKind::ListJobs))?,
        };
        let last = report.last.as_ref().map(job_json);
        match report.end {
            WaitEnd::Finished(_) => convert::value(py, &last.unwrap_or(json!({"id": id.get()}))),
            WaitEnd::TimedOut => Err(errors::native(
                py,
                "wait_timeout",
                format!("job {id} had not ended when the wait's timeout passed"),
                json!({"retryable": true, "last": last}),
            )),
            WaitEnd::NotFound => Err(errors::native(
                py,
                "service",
                format!("job {id} is not listed for this account and site"),
                json!({"retryable": false, "status": null, "code": "not_found"}),
            )),
        }
    }

    fn get_report(&self, py: Python<'_>, job_id: &str) -> PyResult<PyObject> {
        let id = id(py, job_id)?;
        let result = released(py, || self.core.get_report(id))?;
        let report = result.map_err(|e| errors::call(py, &e, OperationKind::GetReport))?;
        convert::report(py, id.get(), &report)
    }

    fn cancel_job(&self, py: Python<'_>, job_id: &str) -> PyResult<()> {
        let id = id(py, job_id)?;
        let result = released(py, || self.core.cancel_job(id))?;
        result.map_err(|e| errors::call(py, &e, OperationKind::CancelJob))
    }

    fn stop_job(&self, py: Python<'_>, job_id: &str) -> PyResult<()> {
        let id = id(py, job_id)?;
        let result = released(py, || self.core.stop_job(id))?;
        result.map_err(|e| errors::call(py, &e, OperationKind::StopJob))
    }

    /// The signed request `call` (with `kwargs`) would send, secrets masked;
    /// nothing is sent.
    #[pyo3(signature = (call, **kwargs))]
    fn dry_run(
        &self,
        py: Python<'_>,
        call: &str,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyObject> {
        let arg = |name: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            match kwargs {
                Some(kw) => kw.get_item(name),
                None => Ok(None),
            }
        };
        let string = |name: &str| -> PyResult<Option<String>> {
            arg(name)?
                .filter(|v| !v.is_none())
                .map(|v| v.extract())
                .transpose()
        };
        let number = |name: &str, default: u32| -> PyResult<u32> {
            Ok(arg(name)?
                .map(|v| v.extract())
                .transpose()?
                .unwrap_or(default))
        };
        let job = || -> PyResult<InstanceId> { id(py, &string("job_id")?.unwrap_or_default()) };
        let sent = match call {
            "list_jobs" => {
                let (limit, page) = page_of(py, number("limit", 20)?, number("page", 1)?)?;
                self.dry.list_jobs(&ListJobs::new(limit, page)).map(drop)
            }
            "search_jobs" => {
                let op = search(
                    py,
                    string("url")?,
                    string("memo")?,
                    string("status")?,
                    number("limit", 20)?,
                    number("page", 1)?,
                )?;
                self.dry.search_jobs(&op).map(drop)
            }
            "create_job" => {
                let url = string("url")?.unwrap_or_default();
                let op = create(
                    py,
                    &url,
                    string("memo")?,
                    Vec::new(),
                    Vec::new(),
                    vec!["ALL".into()],
                    string("user_agent")?,
                    string("speed")?,
                )?;
                self.dry.create_job(&op).map(drop)
            }
            "cancel_job" => self.dry.cancel_job(job()?),
            "stop_job" => self.dry.stop_job(job()?),
            "get_report" => self.dry.get_report(job()?).map(drop),
            other => {
                return Err(errors::invalid(
                    py,
                    &wsc_core::InvalidInput::new(
                        "call",
                        format!(
                            "{other:?} is not one of list_jobs, search_jobs, create_job, cancel_job, stop_job, get_report"
                        ),
                    ),
                ));
            }
        };
        match sent {
            Err(Error::Transport(_)) => {}
            Err(e) => return Err(errors::call(py, &e, OperationKind::ListJobs)),
            Ok(()) => {}
        }
        match self.dry.http().requests().pop() {
            Some(request) => convert::dry_run(py, &request),
            None => Err(errors::native(
                py,
                "unexpected",
                "the dry run kept no request".into(),
                json!({"retryable": false}),
            )),
        }
    }
}
