//! After the reply: listing until the job is named, the deadline passes,
//! or a refusal is confirmed, and the outcome that ends the flow.

use super::{CreateFlow, REFUSAL_CONFIRMATION, State};
use crate::identify::{
    CreateOutcome, Identification, IdentifyStep, NotStartedReason, Unidentified,
};
use crate::{Error, Now};

impl CreateFlow {
    /// Starts listing for the job; `reply_error` is the failure that stood
    /// in for the reply, if any.
    pub(super) fn identify(&mut self, reply_error: Option<Error>, now: Now) {
        // A refusal in the service's own words started nothing, as a rule: a
        // few listings confirm it. Anything else is looked for until the end.
        let window = match &reply_error {
            Some(Error::Service(_)) => REFUSAL_CONFIRMATION.min(self.overall),
            _ => self.overall,
        };
        self.reply_error = reply_error;
        let start = now.instant();
        let Some(identifier) = self.identifier.take() else {
            return;
        };
        let identifier = match start.checked_add(window) {
            Some(deadline) => identifier.deadline(deadline),
            None => identifier,
        };
        let step = identifier.next(start);
        self.identifier = Some(identifier);
        self.advance(step, now);
    }

    /// Moves on from an identification step.
    pub(super) fn advance(&mut self, step: IdentifyStep, now: Now) {
        let Some(identifier) = self.identifier.as_ref() else {
            return;
        };
        if let Some(job) = step.clone().settled(self.reply_id, identifier) {
            return self.finish(job, self.reply_error.clone());
        }
        match step {
            IdentifyStep::ListAfter(pause) => {
                let at = now.instant().checked_add(pause).unwrap_or(now.instant());
                self.state = State::ListAt(at);
            }
            // No job appeared after the service refused in its own words.
            _ => match self.reply_error.clone() {
                Some(refusal @ Error::Service(_)) => {
                    self.not_started(NotStartedReason::Refused, refusal)
                }
                lost => self.finish(Identification::Unidentified(Unidentified::NotListed), lost),
            },
        }
    }

    pub(super) fn not_started(&mut self, reason: NotStartedReason, error: Error) {
        self.state = State::Done(CreateOutcome::not_started(reason, error));
    }

    /// Ends with a settled identification; `lost_reply` is the failure that
    /// stood in for the reply, if any.
    pub(super) fn finish(&mut self, job: Identification, lost_reply: Option<Error>) {
        self.state = State::Done(match job {
            Identification::Identified { id, source, record } => {
                CreateOutcome::identified(id, source, record, lost_reply)
            }
            Identification::Unidentified(why) => CreateOutcome::unidentified(why, lost_reply),
        });
    }
}
