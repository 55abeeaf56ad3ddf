//! The billed-create policy as one sans-IO machine: createJob, then the job
//! it started, with the rules that protect the bill.
//!
//! The order is fixed here and nowhere else: tag the create (when bits are
//! given), list the newest jobs, send createJob **once**, read the reply, and
//! then either believe it, list until the job is found (or the deadline
//! passes), or — only when the call provably never reached the service and
//! a listing proves no job carries its tag — send it again within the retry
//! policy. The async client, the blocking client and a loop of your own all
//! drive this machine; see [`CreateFlow`] for a complete driver.

use std::time::{Duration, Instant, SystemTime};

use crate::create_tag::CreateTag;
use crate::error::JournalError;
use crate::identify::{
    CreateOutcome, IdSource, Identification, Identifier, NotStartedReason, ReplyCheck, Unidentified,
};
use crate::model::InstanceId;
use crate::operations::{CreateJob, CreatedJob, ListJobs, OperationKind};
use crate::retry::{Jitter, RetryDecision, RetryPolicy, RetryState};
use crate::{ClockSkew, Error, JobPage, Limit, Now, PageNumber};
use journaling::Journaling;

/// How long the jobs are listed after the service refused a createJob, to
/// confirm it started nothing.
const REFUSAL_CONFIRMATION: Duration = Duration::from_secs(5);

/// The billed create as a state machine: feed it `now`, the listings and the
/// create's reply; it says what to send, when to pause, and how it ended.
///
/// Times: every method takes the caller's [`Now`] (the wall clock for the
/// service's time, the monotonic clock for deadlines) and every pause comes
/// back as an absolute [`Instant`].
///
/// A complete driver over a made-up stack: `send` stands in for your HTTP
/// client (sign with [`crate::call::Call`] and retry as it says, as the
/// clients do); the operations parse the responses.
///
/// ```
/// use std::time::{Duration, Instant, SystemTime};
/// use wsc_core::sans_io::{CreateFlow, CreateStep};
/// use wsc_core::{CreateOutcome, IdSource};
/// use wsc_core::CreateJob;
/// use wsc_core::sans_io::Operation;
/// use wsc_core::RetryPolicy;
/// use wsc_core::sans_io::{ClockSkew, Now};
///
/// // The made-up stack: no job before the create, ours after it.
/// let mut jobs = "[]";
/// let mut send = |body: &str| http::Response::new(body.as_bytes().to_vec());
///
/// let op = CreateJob::builder("https://shop.example.com").memo("nightly").build()?;
/// let mut flow = CreateFlow::new(&op, RetryPolicy::default(), Duration::from_secs(300))
///     .tag_with(Some(0x5eed_0001)); // from your random source
/// let now = || Now::new(SystemTime::now(), Instant::now());
/// let outcome = loop {
///     match flow.next(now()) {
///         CreateStep::List(query) => {
///             let response = send(&format!(r#"{{"returnCode":"0","resources":{{"record_data":{jobs}}}}}"#));
///             flow.on_listing(query.parse_response(&response), now());
///         }
///         CreateStep::Create(create) => {
///             let response = send(r#"{"returnCode":"0","returnDesc":"Request Success"}"#);
///             jobs = r#"[{"instanceNo":"42","start_url":"https://shop.example.com","memo":"nightly [wsc:5eed0001]"}]"#;
///             flow.on_created(create.parse_response(&response), now(), ClockSkew::NONE);
///         }
///         CreateStep::WaitUntil(at) => std::thread::sleep(at.saturating_duration_since(Instant::now())),
///         // Only a journaled flow asks for these (see `journaled`).
///         CreateStep::Record(_) | CreateStep::Settle(..) => unreachable!("not journaled"),
///         CreateStep::Done(outcome) => break outcome,
///     }
/// };
/// match outcome {
///     CreateOutcome::Identified { id, source, .. } => {
///         assert_eq!((id.get(), source), (42, IdSource::Tag));
///     }
///     CreateOutcome::NotStarted { .. } => unreachable!("nothing was refused"),
///     CreateOutcome::Unidentified { .. } => unreachable!("the job was listed"),
/// }
/// # Ok::<(), wsc_core::InvalidInput>(())
/// ```
///
/// A result handed to `on_listing` or `on_created` when the machine did not
/// ask for one is ignored.
#[derive(Debug, Clone)]
pub struct CreateFlow {
    op: CreateJob,
    state: State,
    newest: ListJobs,
    overall: Duration,
    resends: RetryState,
    jitter: Jitter,
    /// The listing taken before the first send.
    before: Option<JobPage>,
    /// Built at the first reply, from the time the first send left.
    identifier: Option<Identifier>,
    first_sent_wall: Option<SystemTime>,
    /// The id a reply named, to be confirmed by a listing.
    reply_id: Option<InstanceId>,
    /// The failure that stood in for the reply, if any.
    reply_error: Option<Error>,
    journal: Option<Journaling>,
}

#[derive(Debug, Clone)]
enum State {
    ListBefore,
    AwaitBefore,
    Send,
    AwaitRecord,
    AwaitReply,
    /// A never-arrived create may be sent again after this pause, once a
    /// listing proves no job carries its tag.
    ProofAt {
        at: Instant,
        error: Error,
    },
    AwaitProof {
        error: Error,
    },
    /// Identifying: list at `at`.
    ListAt(Instant),
    AwaitListing,
    Done(CreateOutcome),
}

impl CreateFlow {
    /// A flow for `op` under `policy` (which bounds resends of a create that
    /// never arrived), identifying the job for at most `overall`.
    pub fn new(op: &CreateJob, policy: RetryPolicy, overall: Duration) -> Self {
        let (newest, state) = match Limit::new(Limit::MAX) {
            Ok(limit) => (ListJobs::new(limit, PageNumber::FIRST), State::ListBefore),
            Err(error) => (
                ListJobs::default(),
                State::Done(CreateOutcome::not_started(
                    NotStartedReason::NotSent,
                    error.into(),
                )),
            ),
        };
        Self {
            op: op.clone(),
            state,
            newest,
            overall,
            resends: RetryState::new(policy, OperationKind::CreateJob),
            jitter: Jitter::new(0x5eed),
            before: None,
            identifier: None,
            first_sent_wall: None,
            reply_id: None,
            reply_error: None,
            journal: None,
        }
    }

    /// Tags an untagged create with `bits` (from a random source fit for
    /// identifiers); `None`, or a create that carries a tag, changes nothing.
    /// A tag makes the identification exact and allows the one safe resend.
    pub fn tag_with(mut self, bits: Option<u32>) -> Self {
        if let (None, Some(bits), State::ListBefore) = (self.op.tag(), bits, &self.state) {
            match self.op.clone().with_tag(CreateTag::from_bits(bits)) {
                Ok(tagged) => self.op = tagged,
                Err(error) => {
                    self.state = State::Done(CreateOutcome::not_started(
                        NotStartedReason::NotSent,
                        error.into(),
                    ));
                }
            }
        }
        self
    }

    /// Journals the create: before its first send the flow asks to
    /// [`CreateStep::Record`] it (with `id_bits`, random and drawn once per
    /// create, as its identity) and sends nothing until that succeeded; at
    /// the end it asks to [`CreateStep::Settle`] it when the outcome names
    /// the job or proves none started.
    pub fn journaled(mut self, id_bits: u64) -> Self {
        if let State::ListBefore = self.state {
            self.journal = Some(Journaling::new(id_bits));
        }
        self
    }

    /// Seeds the jitter of resend pauses (default: a fixed seed).
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter = Jitter::new(seed);
        self
    }

    /// The create as it is sent (with its tag, if any).
    pub fn create(&self) -> &CreateJob {
        &self.op
    }

    /// The tag the create carries, if any.
    pub fn tag(&self) -> Option<CreateTag> {
        self.op.tag()
    }

    /// What to do at `now`.
    pub fn next(&mut self, now: Now) -> CreateStep {
        match &self.state {
            State::ListBefore => {
                self.state = State::AwaitBefore;
                CreateStep::List(self.newest)
            }
            State::Send => {
                if let Some(create) = self
                    .journal
                    .as_mut()
                    .and_then(|j| j.record_step(&self.op, now.wall()))
                {
                    self.state = State::AwaitRecord;
                    return CreateStep::Record(create);
                }
                self.first_sent_wall.get_or_insert(now.wall());
                self.state = State::AwaitReply;
                CreateStep::Create(self.op.clone())
            }
            State::ProofAt { at, error } => {
                if now.instant() < *at {
                    return CreateStep::WaitUntil(*at);
                }
                self.state = State::AwaitProof {
                    error: error.clone(),
                };
                CreateStep::List(self.newest)
            }
            State::ListAt(at) => {
                if now.instant() < *at {
                    return CreateStep::WaitUntil(*at);
                }
                self.state = State::AwaitListing;
                CreateStep::List(self.newest)
            }
            // Waiting for a result: the same request again would be a
            // driver's bug, so the machine says to wait on, not to send.
            State::AwaitBefore
            | State::AwaitRecord
            | State::AwaitReply
            | State::AwaitProof { .. }
            | State::AwaitListing => CreateStep::WaitUntil(now.instant()),
            State::Done(outcome) => {
                let outcome = outcome.clone().with_tag(self.op.tag());
                match self.journal.as_mut().and_then(|j| j.settle_step(&outcome)) {
                    Some((create, settled)) => CreateStep::Settle(create, settled),
                    None => CreateStep::Done(outcome),
                }
            }
        }
    }

    /// The result of recording the create [`CreateStep::Record`] asked
    /// for: on success it is sent next; on failure it never is (the flow
    /// ends [`NotStarted`](CreateOutcome::NotStarted) with
    /// [`Error::Journal`]).
    pub fn on_recorded(&mut self, result: std::io::Result<()>) {
        let State::AwaitRecord = self.state else {
            return;
        };
        match (result, self.journal.as_mut()) {
            (Ok(()), Some(journal)) => {
                journal.recorded();
                self.state = State::Send;
            }
            (Err(error), _) => {
                self.not_started(NotStartedReason::NotSent, JournalError::from(error).into())
            }
            (Ok(()), None) => self.state = State::Send,
        }
    }

    /// The result of the listing [`CreateStep::List`] asked for, at `now`.
    pub fn on_listing(&mut self, result: Result<JobPage, Error>, now: Now) {
        match std::mem::replace(&mut self.state, State::ListBefore) {
            State::AwaitBefore => match result {
                Ok(page) => {
                    self.before = Some(page);
                    self.state = State::Send;
                }
                Err(error) => self.not_started(NotStartedReason::NotSent, error),
            },
            State::AwaitProof { error } => {
                let (Ok(page), Some(identifier)) = (result, self.identifier.as_mut()) else {
                    return self.not_started(NotStartedReason::NeverArrived, error);
                };
                let step = identifier.observe(&page, now.instant());
                match step.settled(None, identifier) {
                    // The tagged job is listed after all: it is the answer.
                    Some(job) => self.finish(job, Some(error)),
                    // The proof: no job carries the tag.
                    None => self.state = State::Send,
                }
            }
            State::AwaitListing => match (result, self.identifier.as_mut()) {
                (Ok(page), Some(identifier)) => {
                    let step = identifier.observe(&page, now.instant());
                    self.advance(step, now);
                }
                (Err(error), _) => {
                    let why = Unidentified::ListingFailed(error);
                    self.finish(Identification::Unidentified(why), self.reply_error.clone());
                }
                (Ok(_), None) => self.state = State::AwaitListing,
            },
            other => self.state = other,
        }
    }

    /// The result of the createJob [`CreateStep::Create`] asked for, at
    /// `now`, with the client's clock-skew estimate (the service's time of
    /// the send is the local one corrected by it).
    pub fn on_created(&mut self, result: Result<CreatedJob, Error>, now: Now, skew: ClockSkew) {
        let State::AwaitReply = self.state else {
            return;
        };
        if self.identifier.is_none() {
            let sent_wall = self.first_sent_wall.unwrap_or(now.wall());
            let sent_at = skew.timestamp(sent_wall).to_system_time();
            let before = self.before.take().unwrap_or_default();
            self.identifier = Some(Identifier::new(&self.op, &before, sent_at));
        }
        let Some(identifier) = self.identifier.as_ref() else {
            return;
        };
        match result {
            Ok(CreatedJob {
                instance_no: Some(id),
                ..
            }) => match identifier.check_reply(id) {
                ReplyCheck::Believe => {
                    let outcome = CreateOutcome::identified(id, IdSource::Response, None, None);
                    self.state = State::Done(outcome);
                }
                ReplyCheck::ConfirmByListing => {
                    self.reply_id = Some(id);
                    self.identify(None, now);
                }
                ReplyCheck::Disbelieve => self.identify(None, now),
            },
            Ok(_) => self.identify(None, now),
            Err(error) if !error.may_have_reached_service() => {
                // Throttled, refused for skew, or never sent: no job was
                // started. Without a tag, that is the answer; with one, it
                // may be sent again once a listing proves no tagged job.
                if !identifier.is_tagged() {
                    return self.not_started(NotStartedReason::NeverArrived, error);
                }
                match self
                    .resends
                    .resend_after_proof(&error, skew, now.wall(), &mut self.jitter)
                {
                    RetryDecision::Retry { after, .. } => {
                        let at = now.instant().checked_add(after).unwrap_or(now.instant());
                        self.state = State::ProofAt { at, error };
                    }
                    RetryDecision::GiveUp(_) => {
                        self.not_started(NotStartedReason::NeverArrived, error)
                    }
                }
            }
            Err(error) => self.identify(Some(error), now),
        }
    }
}

#[cfg(test)]
mod tests;

mod identifying;
mod journaling;
mod step;

pub use step::CreateStep;
