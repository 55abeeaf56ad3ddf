//! createJob, then the job it started: the client's loop around the
//! sans-IO [`Identifier`], with the billed call's rules (never re-sent on a
//! lost reply; re-sent after a throttle only once a listing proves no job).

use std::time::Duration;

use crate::client::asynchronous::AsyncClient;
use crate::client::http::AsyncHttpClient;
use crate::identify::{
    CreateOutcome, IdSource, Identification, Identifier, IdentifyStep, NotStartedReason,
    ReplyCheck, Unidentified,
};
use crate::operations::{CreateJob, CreatedJob, ListJobs, OperationKind};
use crate::retry::{RetryDecision, RetryState};
use crate::{CreateTag, Error, Limit, PageNumber};

/// How long the jobs are listed after the service refused a createJob, to
/// confirm it started nothing.
const REFUSAL_CONFIRMATION: Duration = Duration::from_secs(5);

impl<H: AsyncHttpClient> AsyncClient<H> {
    /// createJob, then the job it started. **Billed; starts a scan.**
    ///
    /// A create that carries no tag is given one from the client's random
    /// source (the operating system's, or
    /// [`ClientBuilder::random_source`](crate::client::ClientBuilder::random_source)) unless
    /// [`ClientBuilder::create_tags`](crate::client::ClientBuilder::create_tags)
    /// is off; the tag used is in [`CreateOutcome::tag`].
    ///
    /// Lists the newest jobs first (a failure there sends nothing billed:
    /// [`CreateOutcome::NotStarted`] with [`NotStartedReason::NotSent`]). The job is then identified by listing, on the
    /// identifier's [`ListingSchedule`](crate::identify::ListingSchedule) for
    /// as long as the overall timeout allows:
    ///
    /// - **with a tag** ([`CreateJobBuilder::tag`](crate::operations::CreateJobBuilder::tag)),
    ///   exactly: the one new job whose memo carries it. An id the reply
    ///   names is believed only once a listing shows that job carries the
    ///   tag ([`IdSource::Response`]); otherwise the tagged job is the answer
    ///   ([`IdSource::Tag`]). When the call was throttled, refused for clock
    ///   skew or never sent, it is sent again (within the retry policy) only
    ///   after a listing shows no tagged job; a tagged job, if listed, is the
    ///   result.
    /// - **without a tag**, by the one new job with the same target, memo and
    ///   start time ([`IdSource::Listing`]; concurrent identical creates can
    ///   confuse it), or the reply's id when it names one not listed before
    ///   the call. The call is never sent twice.
    ///
    /// A reply lost after the request may have arrived (a reset, a timeout, a
    /// 5xx, garbage) is never followed by a second createJob. The outcome is
    /// one of three cases, to be matched whole:
    ///
    /// - [`CreateOutcome::Identified`]: the job and how it was found (with the
    ///   lost reply's error, when it was found by listing after one);
    /// - [`CreateOutcome::NotStarted`]: nothing was started or billed — the
    ///   call was never sent (the listing before it failed), provably never
    ///   arrived, or the service refused it and no matching job appeared;
    /// - [`CreateOutcome::Unidentified`]: a job started, or may have (the
    ///   reply was lost), and it cannot be named: several new jobs match (the
    ///   candidates), none was listed before the deadline, or listing failed.
    pub async fn create_and_identify(&self, op: &CreateJob) -> CreateOutcome {
        let tagged;
        let op = match (op.tag(), self.shared.create_tags, self.shared.random.bits()) {
            (None, true, Some(bits)) => match op.clone().with_tag(CreateTag::from_bits(bits)) {
                Ok(op) => {
                    tagged = op;
                    &tagged
                }
                Err(error) => {
                    return CreateOutcome::not_started(NotStartedReason::NotSent, error.into());
                }
            },
            _ => op,
        };
        self.create_and_identify_as_is(op).await.with_tag(op.tag())
    }

    async fn create_and_identify_as_is(&self, op: &CreateJob) -> CreateOutcome {
        let not_sent = |error| CreateOutcome::not_started(NotStartedReason::NotSent, error);
        let newest = match Limit::new(Limit::MAX) {
            Ok(limit) => ListJobs::new(limit, PageNumber::FIRST),
            Err(error) => return not_sent(error.into()),
        };
        let before = match self.list_jobs(&newest).await {
            Ok(page) => page,
            Err(error) => return not_sent(error),
        };
        let sent_at = self
            .clock_skew()
            .timestamp(self.shared.clock.now().wall())
            .to_system_time();
        let mut identifier = Identifier::new(op, &before, sent_at);
        let mut resends = RetryState::new(self.shared.retry, OperationKind::CreateJob);
        let mut reply_id = None;
        let reply_error = loop {
            match self.create_job(op).await {
                Ok(CreatedJob {
                    instance_no: Some(id),
                    ..
                }) => match identifier.check_reply(id) {
                    ReplyCheck::Believe => {
                        return CreateOutcome::identified(id, IdSource::Response, None, None);
                    }
                    ReplyCheck::ConfirmByListing => {
                        reply_id = Some(id);
                        break None;
                    }
                    _ => break None,
                },
                Ok(_) => break None,
                Err(error) if !error.may_have_reached_service() => {
                    // Throttled, refused for skew, or never sent: no job was
                    // started. Without a tag, that is the answer.
                    let never_arrived =
                        |error| CreateOutcome::not_started(NotStartedReason::NeverArrived, error);
                    if !identifier.is_tagged() {
                        return never_arrived(error);
                    }
                    let now = self.shared.clock.now().wall();
                    let decision = resends.resend_after_proof(
                        &error,
                        self.clock_skew(),
                        now,
                        &mut &self.shared.state,
                    );
                    let RetryDecision::Retry { after, .. } = decision else {
                        return never_arrived(error);
                    };
                    if !after.is_zero() {
                        self.shared.clock.pause(after).await;
                    }
                    // The proof: no job carries the tag, or the tagged job is the answer.
                    let Ok(page) = self.list_jobs(&newest).await else {
                        return never_arrived(error);
                    };
                    if let Some(job) = identifier
                        .observe(&page, self.shared.clock.now().instant())
                        .settled(None, &identifier)
                    {
                        return outcome_of(job, Some(error));
                    }
                }
                Err(error) => break Some(error),
            }
        };
        let start = self.shared.clock.now().instant();
        // A refusal in the service's own words started nothing, as a rule: a
        // few listings confirm it. Anything else is looked for until the end.
        let window = match &reply_error {
            Some(Error::Service(_)) => REFUSAL_CONFIRMATION.min(self.shared.timeouts.overall()),
            _ => self.shared.timeouts.overall(),
        };
        if let Some(deadline) = start.checked_add(window) {
            identifier = identifier.deadline(deadline);
        }
        let mut step = identifier.next(start);
        let job = loop {
            if let Some(job) = step.clone().settled(reply_id, &identifier) {
                break job;
            }
            match step {
                IdentifyStep::ListAfter(delay) => {
                    if !delay.is_zero() {
                        self.shared.clock.pause(delay).await;
                    }
                    match self.list_jobs(&newest).await {
                        Ok(page) => {
                            step = identifier.observe(&page, self.shared.clock.now().instant());
                        }
                        Err(error) => {
                            break Identification::Unidentified(Unidentified::ListingFailed(error));
                        }
                    }
                }
                _ => match reply_error {
                    // The service refused in its own words, and no job appeared.
                    Some(refusal @ Error::Service(_)) => {
                        return CreateOutcome::not_started(NotStartedReason::Refused, refusal);
                    }
                    _ => break Identification::Unidentified(Unidentified::NotListed),
                },
            }
        };
        outcome_of(job, reply_error)
    }
}

/// The outcome of a settled identification; `lost_reply` is the failure that
/// stood in for the reply, if any.
fn outcome_of(job: Identification, lost_reply: Option<Error>) -> CreateOutcome {
    match job {
        Identification::Identified { id, source, record } => {
            CreateOutcome::identified(id, source, record, lost_reply)
        }
        Identification::Unidentified(why) => CreateOutcome::unidentified(why, lost_reply),
    }
}
