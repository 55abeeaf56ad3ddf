//! What a create flow's driver does next.

use std::time::Instant;

use crate::identify::CreateOutcome;
use crate::journal::{PendingCreate, Settled};
use crate::operations::{CreateJob, ListJobs};
#[cfg(doc)]
use crate::{create_flow::CreateFlow, journal::CreateJournal};

/// What the driver of a [`CreateFlow`] does next.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateStep {
    /// Run this listing (getJobs, under the usual retry policy) and hand its
    /// result to [`CreateFlow::on_listing`].
    List(ListJobs),
    /// Send this createJob — **billed** — once, and hand its result to
    /// [`CreateFlow::on_created`]. Never send it again on your own: the
    /// machine asks when (and only when) that is safe.
    Create(CreateJob),
    /// Record this create in your [`CreateJournal`] — before it is sent —
    /// and hand the result to [`CreateFlow::on_recorded`]. Only in a flow
    /// made [`journaled`](CreateFlow::journaled).
    Record(PendingCreate),
    /// Settle this recorded create in your [`CreateJournal`], then ask
    /// [`CreateFlow::next`] again. Only in a journaled flow.
    Settle(PendingCreate, Settled),
    /// Pause until this (monotonic) instant, then ask [`CreateFlow::next`]
    /// again.
    WaitUntil(Instant),
    /// The create is over: what exists, as one [`CreateOutcome`].
    Done(CreateOutcome),
}
