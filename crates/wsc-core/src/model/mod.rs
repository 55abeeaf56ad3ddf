//! Typed values of the WSC API: ids, statuses, job records, pages, reports.
//!
//! Wire leniency (ids and counts as numbers *or* strings, `""`/`null` for unset,
//! localized status labels) is absorbed here, in the `wire` helpers and the
//! `Deserialize` impls, so the rest of the crate sees clean types.

mod instance_id;
mod job;
pub(crate) mod kst;
mod page;
mod report;
mod report_summary;
mod status;
pub(crate) mod wire;

pub use instance_id::InstanceId;
pub use job::JobRecord;
pub use page::{JobPage, Limit, PageNumber};
pub use report::{Report, RiskCounts, RiskLevel};
pub use report_summary::{DomainCounts, ReportSummary};
pub use status::{JobStatus, JobStatusCode};
