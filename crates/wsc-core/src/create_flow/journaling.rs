//! A journaled flow's bookkeeping: the create recorded once, before its
//! first send, and settled once, when its outcome names a job or proves
//! that none started.

use std::time::SystemTime;

use crate::identify::CreateOutcome;
use crate::journal::{PendingCreate, Settled};
use crate::operations::CreateJob;

#[derive(Debug, Clone)]
pub(super) struct Journaling {
    id_bits: u64,
    /// The create as handed to the journal, once asked for.
    asked: Option<PendingCreate>,
    recorded: bool,
    settled: bool,
}

impl Journaling {
    pub(super) fn new(id_bits: u64) -> Self {
        Self {
            id_bits,
            asked: None,
            recorded: false,
            settled: false,
        }
    }

    /// The create to record before sending `op` at `sent_at`; `None` once
    /// it is recorded (a resend is the same create).
    pub(super) fn record_step(
        &mut self,
        op: &CreateJob,
        sent_at: SystemTime,
    ) -> Option<PendingCreate> {
        if self.recorded {
            return None;
        }
        let create = PendingCreate::of(op, self.id_bits, sent_at);
        self.asked = Some(create.clone());
        Some(create)
    }

    pub(super) fn recorded(&mut self) {
        self.recorded = self.asked.is_some();
    }

    /// What to settle for `outcome`, once.
    pub(super) fn settle_step(
        &mut self,
        outcome: &CreateOutcome,
    ) -> Option<(PendingCreate, Settled)> {
        if !self.recorded || self.settled {
            return None;
        }
        let settled = Settled::of(outcome)?;
        self.settled = true;
        Some((self.asked.clone()?, settled))
    }
}
