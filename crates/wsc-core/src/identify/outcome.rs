//! What a billed create ended with, as one type: the job is known, nothing
//! was started, or a job was (or may have been) started and is not known.

use crate::Error;
use crate::create_tag::CreateTag;
use crate::identify::{IdSource, Unidentified};
use crate::model::{InstanceId, JobRecord};

/// The result of [`create_and_identify`](crate::client::Client::create_and_identify):
/// exactly one of three cases, each with what a caller needs to tell the
/// user what exists.
///
/// Exhaustive by design: a match on it needs no `_` arm, and a new case
/// would be a breaking change that every such match must handle. Each
/// case's fields may grow (match them with `..`).
///
/// ```
/// use wsc_core::{CreateOutcome, NotStartedReason};
/// fn describe(outcome: &CreateOutcome) -> String {
///     match outcome {
///         CreateOutcome::Identified { id, source, .. } => {
///             format!("job {id} started (found by {})", source.as_str())
///         }
///         CreateOutcome::NotStarted { reason: NotStartedReason::Refused, error, .. } => {
///             format!("the service refused the scan: {error}")
///         }
///         CreateOutcome::NotStarted { error, .. } => format!("no scan was started: {error}"),
///         CreateOutcome::Unidentified { lost_reply: None, why, .. } => {
///             format!("a scan started, id unknown: {why:?}")
///         }
///         CreateOutcome::Unidentified { lost_reply: Some(e), .. } => {
///             format!("a scan may have started ({e}); look before creating it again")
///         }
///     }
/// }
/// # let _ = describe;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum CreateOutcome {
    /// A job started and it is known.
    #[non_exhaustive]
    Identified {
        /// Its id.
        id: InstanceId,
        /// How the id was learnt.
        source: IdSource,
        /// Its record, when it was found by listing.
        record: Option<Box<JobRecord>>,
        /// The failure that stood in for the reply, when the reply was lost
        /// after the request may have reached the service (the job was then
        /// found by listing).
        lost_reply: Option<Error>,
        /// The tag the create carried, if any: the job's memo ends with it.
        tag: Option<CreateTag>,
    },
    /// No job was started, and nothing was billed.
    #[non_exhaustive]
    NotStarted {
        /// Why it is known that nothing started.
        reason: NotStartedReason,
        /// The failure itself.
        error: Error,
        /// The tag the create carried, if any.
        tag: Option<CreateTag>,
    },
    /// A job started, or may have started, and the client cannot name it.
    /// Never create it again before looking (`searchJobs` on the target, or
    /// the tag in the memos).
    #[non_exhaustive]
    Unidentified {
        /// Why the job could not be named (with the candidates when several
        /// new jobs match).
        why: Unidentified,
        /// `None`: the service replied that a job started, without its id.
        /// `Some`: the reply was lost after the request may have reached the
        /// service, so a job may or may not exist.
        lost_reply: Option<Error>,
        /// The tag the create carried, if any: the job's memo ends with it.
        tag: Option<CreateTag>,
    },
}

/// How it is known that a create started nothing. Exhaustive, as
/// [`CreateOutcome`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotStartedReason {
    /// createJob was never sent: the request was invalid, or listing the
    /// jobs before it (to tell the new job from the old ones) failed.
    NotSent,
    /// The request provably never reached the service (no connection, a
    /// throttle or skew refusal by the gateway), and it was not sent again.
    NeverArrived,
    /// The service refused it in its own error format, and listings showed
    /// no new job.
    Refused,
}

impl CreateOutcome {
    pub(crate) fn identified(
        id: InstanceId,
        source: IdSource,
        record: Option<Box<JobRecord>>,
        lost_reply: Option<Error>,
    ) -> Self {
        CreateOutcome::Identified {
            id,
            source,
            record,
            lost_reply,
            tag: None,
        }
    }

    pub(crate) fn not_started(reason: NotStartedReason, error: Error) -> Self {
        CreateOutcome::NotStarted {
            reason,
            error,
            tag: None,
        }
    }

    pub(crate) fn unidentified(why: Unidentified, lost_reply: Option<Error>) -> Self {
        CreateOutcome::Unidentified {
            why,
            lost_reply,
            tag: None,
        }
    }

    /// The outcome, recording the create's tag.
    pub(crate) fn with_tag(mut self, new: Option<CreateTag>) -> Self {
        match &mut self {
            CreateOutcome::Identified { tag, .. }
            | CreateOutcome::NotStarted { tag, .. }
            | CreateOutcome::Unidentified { tag, .. } => *tag = new,
        }
        self
    }

    /// The new job's id, when known.
    pub fn id(&self) -> Option<InstanceId> {
        match self {
            CreateOutcome::Identified { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// The tag the create carried, if any.
    pub fn tag(&self) -> Option<CreateTag> {
        match self {
            CreateOutcome::Identified { tag, .. }
            | CreateOutcome::NotStarted { tag, .. }
            | CreateOutcome::Unidentified { tag, .. } => *tag,
        }
    }

    /// Whether a job exists or may exist (everything but
    /// [`CreateOutcome::NotStarted`]): what a caller must account for before
    /// creating the same scan again.
    pub fn may_have_started(&self) -> bool {
        !matches!(self, CreateOutcome::NotStarted { .. })
    }
}
