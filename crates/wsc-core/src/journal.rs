//! A record of billed creates that outlives the process: what a program
//! needs to name the job of a create whose reply it never read (a lost
//! reply, a `kill -9`, a power cut).
//!
//! Give a client a [`CreateJournal`]
//! ([`ClientBuilder::journal`](crate::ClientBuilder::journal)) and every
//! create is recorded **before** it is sent — a create the journal cannot
//! record is not sent — and settled once it is known how it ended. After a
//! crash, the creates still pending are matched against a listing with
//! [`recover`], by the same rule the create itself uses: the storage is
//! yours (a file, a table), the rules are the core's.
//!
//! `wsc create` and `wsc recover` are this, over a file of JSON lines.

use std::time::SystemTime;

use crate::client::{MaybeSend, MaybeSync};
use crate::create_tag::CreateTag;
use crate::identify::{CreateOutcome, may_be_created_job};
use crate::model::{InstanceId, JobRecord};
use crate::operations::CreateJob;

/// Where a client records its billed creates.
///
/// `record` is called once per create, after the listing that precedes it
/// and before createJob is sent; `settle` once the create ended with a
/// known job or provably started nothing. A create that may have started a
/// job nobody could name is never settled: it stays pending, for
/// [`recover`]. Both run on the caller's thread (or task): keep them short.
///
/// ```
/// use std::sync::Mutex;
/// use wsc_core::journal::{CreateJournal, PendingCreate, Settled};
///
/// /// A journal in memory (a real one writes a file or a table).
/// #[derive(Default)]
/// struct Lines(Mutex<Vec<String>>);
///
/// impl CreateJournal for Lines {
///     fn record(&self, create: &PendingCreate) -> std::io::Result<()> {
///         let line = format!("pending {} {}", create.id(), create.target());
///         self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.push(line);
///         Ok(())
///     }
///     fn settle(&self, create: &PendingCreate, settled: Settled) {
///         if let Ok(mut lines) = self.0.lock() {
///             lines.push(format!("settled {} {settled:?}", create.id()));
///         }
///     }
/// }
/// # let _ = Lines::default();
/// ```
pub trait CreateJournal: MaybeSend + MaybeSync {
    /// Records `create`, durably, before it is sent. An error means it is
    /// **not sent**: the create ends
    /// [`NotStarted`](crate::CreateOutcome::NotStarted) with an
    /// [`Error::Journal`](crate::Error::Journal).
    fn record(&self, create: &PendingCreate) -> std::io::Result<()>;

    /// Records how a recorded create ended. A failure here cannot undo the
    /// create; the entry then stays pending, and [`recover`] names its job
    /// later.
    fn settle(&self, create: &PendingCreate, settled: Settled);
}

/// One billed create as recorded before it is sent: its own identity, what
/// its job is recognised by, and when it left.
///
/// ```
/// use std::time::SystemTime;
/// use wsc_core::CreateTag;
/// use wsc_core::journal::PendingCreate;
///
/// // Read back from storage:
/// let create = PendingCreate::new(
///     "9f86d081884c7d65",
///     "https://shop.example.com",
///     Some("nightly".into()),
///     Some(CreateTag::from_bits(0x7f3a_9c1e)),
///     SystemTime::UNIX_EPOCH,
/// );
/// assert_eq!(create.tag().map(|t| t.to_string()).as_deref(), Some("[wsc:7f3a9c1e]"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCreate {
    id: String,
    target: String,
    memo: Option<String>,
    tag: Option<CreateTag>,
    sent_at: SystemTime,
}

impl PendingCreate {
    /// A create as recorded: `id` its identity in the journal, `target` and
    /// `memo` (without the tag) as given, `tag` the tag it was sent with,
    /// `sent_at` when it was sent (the local wall clock).
    pub fn new(
        id: impl Into<String>,
        target: impl Into<String>,
        memo: Option<String>,
        tag: Option<CreateTag>,
        sent_at: SystemTime,
    ) -> Self {
        Self {
            id: id.into(),
            target: target.into(),
            memo,
            tag,
            sent_at,
        }
    }

    /// The create `op` about to be sent at `sent_at`, with `id_bits` (random,
    /// drawn once per create) as its identity.
    pub(crate) fn of(op: &CreateJob, id_bits: u64, sent_at: SystemTime) -> Self {
        Self::new(
            format!("{id_bits:016x}"),
            op.start_url(),
            op.memo().map(str::to_owned),
            op.tag(),
            sent_at,
        )
    }

    /// Its identity: one per create (16 hex digits when the client drew
    /// it), so two creates of one target in one second stay two.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The target URL.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The caller's memo, without the tag.
    pub fn memo(&self) -> Option<&str> {
        self.memo.as_deref()
    }

    /// The tag it was sent with, if any.
    pub fn tag(&self) -> Option<CreateTag> {
        self.tag
    }

    /// When it was sent (the local wall clock).
    pub fn sent_at(&self) -> SystemTime {
        self.sent_at
    }

    /// Whether `record` may be this create's job (see
    /// [`may_be_created_job`]).
    pub fn may_be(&self, record: &JobRecord) -> bool {
        may_be_created_job(
            record,
            &self.target,
            self.memo.as_deref(),
            self.tag,
            self.sent_at,
        )
    }
}

/// How a recorded create ended, as far as the journal is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Its job is known.
    Job(InstanceId),
    /// It provably started nothing: nothing to recover.
    NothingStarted,
}

impl Settled {
    /// What `outcome` settles: nothing when a job may exist unnamed.
    pub(crate) fn of(outcome: &CreateOutcome) -> Option<Self> {
        match outcome {
            CreateOutcome::Identified { id, .. } => Some(Settled::Job(*id)),
            CreateOutcome::NotStarted { .. } => Some(Settled::NothingStarted),
            CreateOutcome::Unidentified { .. } => None,
        }
    }
}

/// What a listing says of one pending create. Exhaustive, as
/// [`CreateOutcome`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Exactly one unclaimed job matches: this create's.
    Found(InstanceId),
    /// No unclaimed job matches: the create started nothing, or its job is
    /// not among the jobs listed.
    NotFound,
    /// Several unclaimed jobs match (untagged twins, or one tag twice): the
    /// candidates, of which none is named.
    Ambiguous(Vec<InstanceId>),
}

/// Matches each of `pending` against `jobs` (a listing of the newest jobs,
/// e.g. [`Client::all_pages`](crate::Client::all_pages)), in order. A job in
/// `claimed` (already settled for another create) is never named, and a job
/// found for one create is claimed for the rest: no job is named twice.
///
/// ```
/// use std::time::SystemTime;
/// use wsc_core::{CreateTag, InstanceId, JobRecord};
/// use wsc_core::journal::{PendingCreate, Recovery, recover};
///
/// let tag = CreateTag::from_bits(0x7f3a_9c1e);
/// let pending = [PendingCreate::new("1", "https://shop.example.com", None, Some(tag), SystemTime::now())];
/// let jobs: Vec<JobRecord> = serde_json::from_str(
///     r#"[{"instanceNo":"42","start_url":"https://shop.example.com","memo":"[wsc:7f3a9c1e]"}]"#,
/// )?;
/// assert_eq!(recover(&pending, &jobs, &[]), [Recovery::Found(InstanceId::new(42)?)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn recover(
    pending: &[PendingCreate],
    jobs: &[JobRecord],
    claimed: &[InstanceId],
) -> Vec<Recovery> {
    let mut claimed: Vec<InstanceId> = claimed.to_vec();
    pending
        .iter()
        .map(|create| {
            let matches: Vec<InstanceId> = jobs
                .iter()
                .filter(|job| create.may_be(job))
                .map(|job| job.instance_no)
                .filter(|id| !claimed.contains(id))
                .collect();
            match matches.as_slice() {
                [] => Recovery::NotFound,
                [id] => {
                    claimed.push(*id);
                    Recovery::Found(*id)
                }
                _ => Recovery::Ambiguous(matches),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    fn jobs(value: serde_json::Value) -> Vec<JobRecord> {
        serde_json::from_value(value).unwrap()
    }

    fn id(n: u64) -> InstanceId {
        InstanceId::new(n).unwrap()
    }

    fn tagged(bits: u32) -> PendingCreate {
        PendingCreate::new(
            format!("{bits}"),
            "https://shop.example.com",
            Some("nightly".into()),
            Some(CreateTag::from_bits(bits)),
            SystemTime::now(),
        )
    }

    #[test]
    fn each_create_gets_its_own_job_and_a_claimed_job_is_never_named() {
        let listed = jobs(serde_json::json!([
            {"instanceNo": "3", "start_url": "https://shop.example.com", "memo": "nightly [wsc:00000002]"},
            {"instanceNo": "2", "start_url": "https://shop.example.com", "memo": "nightly [wsc:00000001]"},
        ]));
        let found = recover(&[tagged(1), tagged(2)], &listed, &[]);
        assert_eq!(found, [Recovery::Found(id(2)), Recovery::Found(id(3))]);
        let found = recover(&[tagged(1)], &listed, &[id(2)]);
        assert_eq!(found, [Recovery::NotFound], "job 2 is another create's");
    }

    #[test]
    fn untagged_twins_are_ambiguous_until_one_is_claimed() {
        let now = SystemTime::now();
        let twin = |n: &str| PendingCreate::new(n, "https://shop.example.com", None, None, now);
        let listed = jobs(serde_json::json!([
            {"instanceNo": "9", "start_url": "https://shop.example.com", "start_date": "2000-01-01 09:00:00"},
            {"instanceNo": "8", "start_url": "https://shop.example.com"},
            {"instanceNo": "7", "start_url": "https://shop.example.com"},
        ]));
        let found = recover(&[twin("a"), twin("b")], &listed, &[]);
        assert_eq!(
            found,
            [
                Recovery::Ambiguous(vec![id(8), id(7)]),
                Recovery::Ambiguous(vec![id(8), id(7)])
            ]
        );
        let found = recover(&[twin("a")], &listed, &[id(7)]);
        assert_eq!(found, [Recovery::Found(id(8))]);
    }

    #[test]
    fn settling_follows_the_outcome() {
        let not_started = CreateOutcome::not_started(
            crate::NotStartedReason::NotSent,
            crate::InvalidInput::new("limit", "scripted").into(),
        );
        assert_eq!(Settled::of(&not_started), Some(Settled::NothingStarted));
        let named = CreateOutcome::identified(id(5), crate::identify::IdSource::Tag, None, None);
        assert_eq!(Settled::of(&named), Some(Settled::Job(id(5))));
        let unnamed = CreateOutcome::unidentified(crate::identify::Unidentified::NotListed, None);
        assert_eq!(Settled::of(&unnamed), None, "stays pending");
    }
}
