//! createJob, then the job it started: the client's driver of the sans-IO
//! [`CreateFlow`], which holds the billed call's rules (never re-sent on a
//! lost reply; re-sent after a throttle only once a listing proves no job).

use crate::client::asynchronous::AsyncClient;
use crate::client::http::AsyncHttpClient;
use crate::create_flow::{CreateFlow, CreateStep};
use crate::identify::CreateOutcome;
use crate::operations::CreateJob;
use crate::retry::RandomSource;

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
    /// [`CreateOutcome::NotStarted`] with [`NotStartedReason::NotSent`](crate::NotStartedReason::NotSent)).
    /// The job is then identified by listing — at once, then after 1, 2, 4,
    /// 8, 8, … s — for as long as the overall timeout allows. The rules are
    /// [`CreateFlow`](crate::sans_io::CreateFlow)'s, which this drives:
    ///
    /// - **with a tag** ([`CreateJobBuilder::tag`](crate::operations::CreateJobBuilder::tag)),
    ///   exactly: the one new job whose memo carries it. An id the reply
    ///   names is believed only once a listing shows that job carries the
    ///   tag ([`IdSource::Response`](crate::IdSource::Response)); otherwise the tagged job is the answer
    ///   ([`IdSource::Tag`](crate::IdSource::Tag)). When the call was throttled, refused for clock
    ///   skew or never sent, it is sent again (within the retry policy) only
    ///   after a listing shows no tagged job; a tagged job, if listed, is the
    ///   result.
    /// - **without a tag**, by the one new job with the same target, memo and
    ///   start time ([`IdSource::Listing`](crate::IdSource::Listing); concurrent identical creates can
    ///   confuse it), or the reply's id when it names one not listed before
    ///   the call. The call is never sent twice.
    ///
    /// A reply lost after the request may have arrived (a reset, a timeout, a
    /// 5xx, garbage) is never followed by a second createJob. The outcome is
    /// one of three cases, to be matched whole (with a
    /// [`journal`](crate::ClientBuilder::journal), the create is recorded
    /// before it is sent and settled once it ended):
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
        let shared = &*self.shared;
        let bits = if shared.create_tags {
            shared.random.bits()
        } else {
            None
        };
        let mut flow = CreateFlow::new(op, shared.retry, shared.timeouts.overall())
            .tag_with(bits)
            .jitter_seed((&shared.state).next_u64());
        if shared.journal.is_some() {
            flow = flow.journaled(self.create_identity());
        }
        loop {
            match flow.next(shared.clock.now()) {
                CreateStep::List(query) => {
                    let page = self.list_jobs(&query).await;
                    flow.on_listing(page, shared.clock.now());
                }
                CreateStep::Record(create) => {
                    let recorded = shared
                        .journal
                        .as_ref()
                        .map_or(Ok(()), |j| j.record(&create));
                    flow.on_recorded(recorded);
                }
                CreateStep::Settle(create, settled) => {
                    if let Some(journal) = &shared.journal {
                        journal.settle(&create, settled);
                    }
                }
                CreateStep::Create(op) => {
                    let reply = self.create_job(&op).await;
                    flow.on_created(reply, shared.clock.now(), self.clock_skew());
                }
                CreateStep::WaitUntil(at) => {
                    let pause = at.saturating_duration_since(shared.clock.now().instant());
                    shared.clock.pause(pause).await;
                }
                CreateStep::Done(outcome) => return outcome,
            }
        }
    }

    /// A journaled create's identity: 64 bits from the random source, or,
    /// without one, the wall clock's nanoseconds mixed with the client's
    /// jitter state (distinct within a process and, all but surely, across).
    fn create_identity(&self) -> u64 {
        let shared = &*self.shared;
        match (shared.random.bits(), shared.random.bits()) {
            (Some(high), Some(low)) => (u64::from(high) << 32) | u64::from(low),
            _ => {
                let nanos = shared
                    .clock
                    .now()
                    .wall()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos() as u64);
                nanos ^ (&shared.state).next_u64()
            }
        }
    }
}
