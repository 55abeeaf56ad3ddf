//! createJob: the job to start, and how its request is made.
//!
//! | what | file |
//! |---|---|
//! | [`CreateJob`] and [`CreateJobBuilder`], the request's method and path | this file |
//! | the builder's setters and the validation of every field | `create_job/builder.rs` |
//! | the body in the wire's JSON form, both ways | `create_job/wire.rs` |
//! | the reply, [`CreatedJob`] | `create_job/reply.rs` |
//! | [`ScanUserAgent`], [`Speed`], the documented vulnerability items | `create_job/scan_options.rs` |

mod builder;
mod reply;
mod scan_options;
mod wire;

use std::fmt;

use http::{Method, Response};

use super::{Operation, OperationKind, PathBuilder, sealed};
use crate::create_tag::CreateTag;
use crate::invalid_input::InvalidInput;
use crate::model::InstanceId;
use crate::{Error, REDACTED};

pub use reply::CreatedJob;
pub use scan_options::{DOCUMENTED_VULN_ITEMS, ScanUserAgent, Speed, documented_vuln_item};

/// The longest memo accepted, the create tag included.
const MAX_MEMO: usize = 1000;

/// createJob: start a scan (`PUT /api/v1/job`). **Billed per call, starts at once.**
///
/// Built with [`CreateJob::builder`], which validates every field. `Debug`
/// never shows `Headers` values (they are the target site's secrets).
///
/// ```
/// use wsc_core::{CreateJob, Speed};
/// let job = CreateJob::builder("https://www.example.com")
///     .exclude_url("https://www.example.com/logout")
///     .header("Cookie", "SESSION=abc")
///     .speed(Speed::Faster)
///     .memo("nightly")
///     .build()
///     .unwrap();
/// assert!(!format!("{job:?}").contains("SESSION"));
/// assert!(CreateJob::builder("ftp://x").build().is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CreateJob {
    start_url: String,
    exclude_urls: Vec<String>,
    headers: Vec<(String, String)>,
    vuln_items: Vec<String>,
    user_agent: ScanUserAgent,
    speed: Speed,
    memo: Option<String>,
    tag: Option<CreateTag>,
    rescan_of: Option<InstanceId>,
}

/// Collects createJob fields; [`CreateJobBuilder::build`] validates them.
#[derive(Clone, Default)]
pub struct CreateJobBuilder {
    start_url: String,
    exclude_urls: Vec<String>,
    headers: Vec<(String, String)>,
    vuln_items: Vec<String>,
    user_agent: ScanUserAgent,
    speed: Speed,
    memo: Option<String>,
    tag: Option<CreateTag>,
    rescan_of: Option<InstanceId>,
}

impl fmt::Debug for CreateJobBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateJobBuilder")
            .field("start_url", &self.start_url)
            .finish_non_exhaustive()
    }
}

impl CreateJob {
    /// Starts building a job that scans `start_url`.
    pub fn builder(start_url: impl Into<String>) -> CreateJobBuilder {
        CreateJobBuilder {
            start_url: start_url.into(),
            ..CreateJobBuilder::default()
        }
    }

    /// The target URL.
    pub fn start_url(&self) -> &str {
        &self.start_url
    }

    /// The memo, if one was set.
    pub fn memo(&self) -> Option<&str> {
        self.memo.as_deref()
    }

    /// The tag appended to the memo, if one was set.
    pub fn tag(&self) -> Option<CreateTag> {
        self.tag
    }

    /// The memo as sent: the caller's memo followed by the tag (see
    /// [`CreateTag::memo_with_tag`]), or the caller's memo alone without a tag.
    pub fn sent_memo(&self) -> Option<String> {
        match self.tag {
            Some(tag) => Some(tag.memo_with_tag(self.memo.as_deref())),
            None => self.memo.clone(),
        }
    }

    /// This job with `tag` (for a job read with
    /// [`CreateJob::from_wire_json`]); the memo's length is checked again.
    pub fn with_tag(mut self, tag: CreateTag) -> Result<Self, InvalidInput> {
        if let Some(memo) = &self.memo {
            builder::validate_memo(memo, true)?;
        }
        self.tag = Some(tag);
        Ok(self)
    }

    /// The id of the job this re-scans, if any.
    pub fn rescan_of(&self) -> Option<InstanceId> {
        self.rescan_of
    }

    /// The header names (values are secrets and are not exposed here).
    pub fn header_names(&self) -> impl Iterator<Item = &str> {
        self.headers.iter().map(|(n, _)| n.as_str())
    }
}

impl fmt::Debug for CreateJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, _)| (n.as_str(), REDACTED))
            .collect();
        f.debug_struct("CreateJob")
            .field("start_url", &self.start_url)
            .field("exclude_urls", &self.exclude_urls)
            .field("headers", &headers)
            .field("vuln_items", &self.vuln_items)
            .field("user_agent", &self.user_agent)
            .field("speed", &self.speed)
            .field("memo", &self.memo)
            .field("tag", &self.tag)
            .field("rescan_of", &self.rescan_of)
            .finish()
    }
}

impl sealed::Request for CreateJob {
    fn method(&self) -> Method {
        Method::PUT
    }

    fn write_path(&self, out: &mut PathBuilder) {
        out.push_str("/job");
    }

    fn body(&self) -> Vec<u8> {
        self.wire_body(false)
    }
}

impl Operation for CreateJob {
    type Output = CreatedJob;
    const KIND: OperationKind = OperationKind::CreateJob;

    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<CreatedJob, Error> {
        reply::parse(response)
    }
}
