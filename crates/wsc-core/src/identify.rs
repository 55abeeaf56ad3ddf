//! Finding the job a createJob call started when its reply does not name it.
//!
//! The documented reply to createJob carries no id, and a reply can be lost
//! after the service acted (a reset, a timeout, a 5xx from the gateway). A
//! billed call must then never be sent again: the job is found instead, by
//! listing the newest jobs and matching the new ones against the request.
//!
//! [`Identifier`] is the sans-IO state machine: give it the listing taken
//! before the call, then each listing taken after; it says when to list
//! again, which job it found, or that it cannot decide. The clients run it in
//! [`create_and_identify`](crate::client::Client::create_and_identify).
//!
//! With a [`CreateTag`] (the CLI always sends one), the match is exact: the
//! one new job whose memo carries the tag, and nothing else. Without one, a
//! job matches when it was not in the listing before the call, has the same
//! target URL and memo, and (when the record has a start date) started no
//! earlier than a few minutes before the call was sent — a guess that two
//! identical creates started at the same moment can confuse.
//!
//! Listings follow [`ListingSchedule`]: at once, then after growing pauses,
//! for as long as the call's deadline allows.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::Error;
use crate::create_tag::CreateTag;
use crate::model::{InstanceId, JobPage, JobRecord};
use crate::operations::CreateJob;

mod outcome;
mod schedule;

pub use outcome::{CreateOutcome, NotStartedReason};
pub use schedule::ListingSchedule;

/// How far a listed start time may precede the call (clock skew, rounding to
/// whole seconds, the service stamping the job before it replies).
const START_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// How the new job's id became known. Exhaustive, as
/// [`CreateOutcome`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdSource {
    /// The createJob reply named it, and (with a tag) a listing confirmed
    /// that job carries the tag.
    Response,
    /// A listing showed the one new job whose memo carries the create's tag.
    Tag,
    /// Without a tag: one new job in the listing had the same target, memo
    /// and start time (a guess concurrent identical creates can confuse).
    Listing,
}

impl IdSource {
    /// `response` or `listing`, as the CLI's JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            IdSource::Response => "response",
            IdSource::Tag => "tag",
            IdSource::Listing => "listing",
        }
    }
}

/// Why the new job could not be named. Exhaustive, as [`CreateOutcome`] is.
#[derive(Debug, Clone, PartialEq)]
pub enum Unidentified {
    /// No new job matching the request was listed before the deadline (it may
    /// not exist, or not be listed yet).
    NotListed,
    /// Several new jobs match: the client cannot tell which one this call started.
    Ambiguous(Vec<JobRecord>),
    /// Listing the jobs failed.
    ListingFailed(Error),
}

/// What a createJob call is known to have started: known or not, nothing else.
#[derive(Debug, Clone, PartialEq)]
pub enum Identification {
    /// The job is known.
    Identified {
        /// Its id.
        id: InstanceId,
        /// How the id was learnt.
        source: IdSource,
        /// Its record, when it was found by listing.
        record: Option<Box<JobRecord>>,
    },
    /// The job (if any) could not be named.
    Unidentified(Unidentified),
}

/// What to do next while identifying.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum IdentifyStep {
    /// Wait this long, list the newest jobs, and [`Identifier::observe`] the page.
    ListAfter(Duration),
    /// Exactly one new job matches.
    Found(Box<JobRecord>),
    /// More than one new job matches.
    Ambiguous(Vec<JobRecord>),
    /// No listing showed a matching new job.
    NotListed,
}

impl IdentifyStep {
    /// What a found or ambiguous step says of the job (`None` while the
    /// step is to list again, or when nothing was listed): `reply_id` is the
    /// id a reply named, to say whether the job found is the reply's.
    pub fn settled(
        self,
        reply_id: Option<InstanceId>,
        identifier: &Identifier,
    ) -> Option<Identification> {
        match self {
            IdentifyStep::Found(record) => {
                let source = if reply_id == Some(record.instance_no) {
                    IdSource::Response
                } else if identifier.is_tagged() {
                    IdSource::Tag
                } else {
                    IdSource::Listing
                };
                Some(Identification::Identified {
                    id: record.instance_no,
                    source,
                    record: Some(record),
                })
            }
            IdentifyStep::Ambiguous(candidates) => Some(Identification::Unidentified(
                Unidentified::Ambiguous(candidates),
            )),
            IdentifyStep::ListAfter(_) | IdentifyStep::NotListed => None,
        }
    }
}

/// The identification state machine: give it the listing before the call,
/// then each listing after it (and the id a reply named, if any); it says
/// when to list again, which job it found, or that it cannot decide.
#[derive(Debug, Clone)]
pub struct Identifier {
    before: HashSet<InstanceId>,
    matching: Matching,
    schedule: ListingSchedule,
    deadline: Option<Instant>,
    listings: u32,
}

/// How the new job is recognised in a listing.
#[derive(Debug, Clone)]
enum Matching {
    /// Its memo carries the create's tag: exact.
    Tag(CreateTag),
    /// The same target and memo, started no earlier than `not_before`.
    Similar {
        start_url: String,
        memo: String,
        not_before: SystemTime,
    },
}

/// What a reply that names an id is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplyCheck {
    /// Believe it (no tag to check it against).
    Believe,
    /// Believe it once a listing shows that job carries the tag.
    ConfirmByListing,
    /// Do not believe it (the job was listed before the call): identify the
    /// job by listing instead.
    Disbelieve,
}

impl Identifier {
    /// Starts identifying the job `op` started; `before` is a listing of the
    /// newest jobs taken before the call, `sent_at` the (server-corrected)
    /// time the call was sent.
    pub fn new(op: &CreateJob, before: &JobPage, sent_at: SystemTime) -> Self {
        let matching = Matching::new(op.start_url(), op.memo(), op.tag(), sent_at);
        Self {
            before: before.records.iter().map(|r| r.instance_no).collect(),
            matching,
            schedule: ListingSchedule::default(),
            deadline: None,
            listings: 0,
        }
    }

    /// Lists on `schedule` instead of the default.
    #[cfg(test)]
    pub fn schedule(mut self, schedule: ListingSchedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Stops listing once a pause would end past `deadline` (monotonic time).
    pub fn deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Whether the create carries a tag (identification is exact).
    pub fn is_tagged(&self) -> bool {
        matches!(self.matching, Matching::Tag(_))
    }

    /// What the id a createJob reply named is worth.
    pub fn check_reply(&self, id: InstanceId) -> ReplyCheck {
        if self.before.contains(&id) {
            ReplyCheck::Disbelieve
        } else if self.is_tagged() {
            ReplyCheck::ConfirmByListing
        } else {
            ReplyCheck::Believe
        }
    }

    /// The next step at `now`: list after a pause, or give up.
    pub fn next(&self, now: Instant) -> IdentifyStep {
        if self.deadline.is_none() && self.listings >= self.schedule.max_listings {
            return IdentifyStep::NotListed;
        }
        let pause = self.schedule.pause_before(self.listings);
        match self.deadline {
            Some(deadline)
                if self.listings > 0 && now.checked_add(pause).is_none_or(|at| at >= deadline) =>
            {
                IdentifyStep::NotListed
            }
            _ => IdentifyStep::ListAfter(pause),
        }
    }

    /// Feeds a listing of the newest jobs taken after the call, at `now`.
    pub fn observe(&mut self, page: &JobPage, now: Instant) -> IdentifyStep {
        self.listings = self.listings.saturating_add(1);
        let mut matches: Vec<JobRecord> = page
            .records
            .iter()
            .filter(|r| self.matches(r))
            .cloned()
            .collect();
        match matches.len() {
            0 => self.next(now),
            1 => IdentifyStep::Found(Box::new(matches.remove(0))),
            _ => IdentifyStep::Ambiguous(matches),
        }
    }

    /// Whether `record` is the job this create started, as far as the
    /// matching rule can tell.
    pub fn matches(&self, record: &JobRecord) -> bool {
        if self.before.contains(&record.instance_no) {
            return false;
        }
        self.matching.matches(record)
    }
}

impl Matching {
    fn new(
        start_url: &str,
        memo: Option<&str>,
        tag: Option<CreateTag>,
        sent_at: SystemTime,
    ) -> Self {
        match tag {
            Some(tag) => Matching::Tag(tag),
            None => Matching::Similar {
                start_url: comparable_url(start_url),
                memo: memo.unwrap_or_default().trim().to_owned(),
                not_before: sent_at.checked_sub(START_TOLERANCE).unwrap_or(UNIX_EPOCH),
            },
        }
    }

    fn matches(&self, record: &JobRecord) -> bool {
        match self {
            Matching::Tag(tag) => tag.is_in(&record.memo),
            Matching::Similar {
                start_url,
                memo,
                not_before,
            } => {
                comparable_url(&record.start_url) == *start_url
                    && record.memo.trim() == memo
                    && record
                        .started_at()
                        .is_none_or(|started| started >= *not_before)
            }
        }
    }
}

/// Whether `record` may be the job a create started, by the rule
/// [`create_and_identify`](crate::Client::create_and_identify) uses: with a
/// tag, exactly the job whose memo carries it; without one, the same target
/// and memo, started no earlier than a few minutes before `sent_at` (the
/// service's time when it was sent). For a program that recorded a create
/// (`target`, `memo`, `tag`, `sent_at`) and must find its job later, after a
/// crash — as `wsc recover` does. It does not know which jobs existed
/// before the create: leave out the ones already accounted for.
///
/// ```
/// use std::time::SystemTime;
/// use wsc_core::{CreateTag, JobRecord};
/// let tag = CreateTag::from_bits(0x7f3a_9c1e);
/// let job: JobRecord = serde_json::from_str(
///     r#"{"instanceNo":"2","start_url":"https://shop.example.com","memo":"nightly [wsc:7f3a9c1e]"}"#,
/// ).unwrap();
/// let sent_at = SystemTime::now();
/// assert!(wsc_core::sans_io::may_be_created_job(&job, "https://shop.example.com", Some("nightly"), Some(tag), sent_at));
/// assert!(!wsc_core::sans_io::may_be_created_job(&job, "https://shop.example.com", Some("nightly"), Some(CreateTag::from_bits(1)), sent_at));
/// ```
pub fn may_be_created_job(
    record: &JobRecord,
    target: &str,
    memo: Option<&str>,
    tag: Option<CreateTag>,
    sent_at: SystemTime,
) -> bool {
    Matching::new(target, memo, tag, sent_at).matches(record)
}

/// A target URL as compared for matching (see [`crate::Target`]).
fn comparable_url(url: &str) -> String {
    crate::Target::parse(url).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(records: serde_json::Value) -> JobPage {
        serde_json::from_value(serde_json::json!({ "record_data": records })).unwrap()
    }

    fn op() -> CreateJob {
        CreateJob::builder("https://Shop.Example.com/")
            .memo("nightly")
            .build()
            .unwrap()
    }

    fn t0() -> Instant {
        thread_local!(static BASE: Instant = Instant::now());
        BASE.with(|base| *base)
    }

    /// 2026-11-22 22:25:38 KST.
    fn sent() -> SystemTime {
        crate::model::kst::parse_kst("2026-11-22 22:25:38").unwrap()
    }

    #[test]
    fn one_new_matching_job_is_found() {
        let before = page(
            serde_json::json!([{"instanceNo": "1", "start_url": "https://shop.example.com", "memo": "nightly"}]),
        );
        let mut id = Identifier::new(&op(), &before, sent());
        let step = id.observe(&page(serde_json::json!([
            {"instanceNo": "3", "start_url": "https://other.example.com", "memo": "nightly"},
            {"instanceNo": "4", "start_url": "https://shop.example.com", "memo": "other"},
            {"instanceNo": "5", "start_url": "https://shop.example.com", "memo": "nightly", "start_date": "2026-11-22 20:00:00"},
            {"instanceNo": "2", "start_url": "https://shop.example.com/", "memo": "nightly", "start_date": "2026-11-22 22:25:39"},
            {"instanceNo": "1", "start_url": "https://shop.example.com", "memo": "nightly"}
        ])), t0());
        match step {
            IdentifyStep::Found(job) => assert_eq!(job.instance_no.get(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn two_candidates_cannot_be_told_apart() {
        let mut id = Identifier::new(&op(), &page(serde_json::json!([])), sent());
        let step = id.observe(
            &page(serde_json::json!([
                {"instanceNo": "7", "start_url": "https://shop.example.com", "memo": "nightly"},
                {"instanceNo": "8", "start_url": "https://shop.example.com", "memo": "nightly"}
            ])),
            t0(),
        );
        assert!(
            matches!(step, IdentifyStep::Ambiguous(ref c) if c.len() == 2),
            "{step:?}"
        );
    }

    #[test]
    fn nothing_new_lists_on_the_schedule_until_the_deadline() {
        let deadline = t0() + Duration::from_secs(10);
        let mut id =
            Identifier::new(&op(), &page(serde_json::json!([])), sent()).deadline(deadline);
        let empty = page(serde_json::json!([]));
        let mut now = t0();
        let mut pauses = Vec::new();
        while let IdentifyStep::ListAfter(pause) = id.next(now) {
            pauses.push(pause.as_secs());
            now += pause;
            assert_eq!(id.observe(&empty, now), id.next(now));
        }
        // 0 + 1 + 2 + 4 = 7 s; the next pause (8 s) would end past 10 s.
        assert_eq!(pauses, [0, 1, 2, 4]);
        assert_eq!(id.next(now), IdentifyStep::NotListed);
    }

    #[test]
    fn without_a_deadline_the_listings_are_capped() {
        let schedule = ListingSchedule::new(Duration::from_millis(1), Duration::from_millis(1), 3);
        let mut id =
            Identifier::new(&op(), &page(serde_json::json!([])), sent()).schedule(schedule);
        let empty = page(serde_json::json!([]));
        for _ in 0..3 {
            assert!(matches!(id.next(t0()), IdentifyStep::ListAfter(_)));
            id.observe(&empty, t0());
        }
        assert_eq!(id.next(t0()), IdentifyStep::NotListed);
    }

    fn tagged() -> CreateJob {
        CreateJob::builder("https://shop.example.com")
            .memo("nightly")
            .tag(CreateTag::from_bits(0x0bad_cafe))
            .build()
            .unwrap()
    }

    #[test]
    fn with_a_tag_only_the_tagged_job_is_ours() {
        let mut id = Identifier::new(&tagged(), &page(serde_json::json!([])), sent());
        // Another user's identical scan, listed first, is not ours.
        let twin = page(serde_json::json!([
            {"instanceNo": "5", "start_url": "https://shop.example.com", "memo": "nightly"},
            {"instanceNo": "6", "start_url": "https://shop.example.com", "memo": "nightly [wsc:0badcaff]"}
        ]));
        assert!(matches!(
            id.observe(&twin, t0()),
            IdentifyStep::ListAfter(_)
        ));
        let ours = page(serde_json::json!([
            {"instanceNo": "7", "start_url": "https://shop.example.com", "memo": "nightly [wsc:0badcafe]"},
            {"instanceNo": "5", "start_url": "https://shop.example.com", "memo": "nightly"}
        ]));
        match id.observe(&ours, t0()).settled(None, &id) {
            Some(Identification::Identified { id, source, .. }) => {
                assert_eq!((id.get(), source), (7, IdSource::Tag));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn two_jobs_with_one_tag_are_ambiguous_never_a_pick() {
        let mut id = Identifier::new(&tagged(), &page(serde_json::json!([])), sent());
        let step = id.observe(&page(serde_json::json!([
            {"instanceNo": "8", "start_url": "https://a.example.com", "memo": "[wsc:0badcafe]"},
            {"instanceNo": "9", "start_url": "https://shop.example.com", "memo": "nightly [wsc:0badcafe]"}
        ])), t0());
        assert!(
            matches!(step, IdentifyStep::Ambiguous(ref c) if c.len() == 2),
            "{step:?}"
        );
    }

    #[test]
    fn a_replied_id_is_checked_against_the_listing_before_and_the_tag() {
        let before = page(serde_json::json!([
            {"instanceNo": "1", "start_url": "https://shop.example.com", "memo": "nightly"}
        ]));
        let untagged = Identifier::new(&op(), &before, sent());
        assert_eq!(
            untagged.check_reply(InstanceId::new(1).unwrap()),
            ReplyCheck::Disbelieve
        );
        assert_eq!(
            untagged.check_reply(InstanceId::new(2).unwrap()),
            ReplyCheck::Believe
        );
        let mut id = Identifier::new(&tagged(), &before, sent());
        assert_eq!(
            id.check_reply(InstanceId::new(1).unwrap()),
            ReplyCheck::Disbelieve
        );
        assert_eq!(
            id.check_reply(InstanceId::new(2).unwrap()),
            ReplyCheck::ConfirmByListing
        );
        // The replied job carries no tag: the tagged one is ours, by its tag.
        let listed = page(serde_json::json!([
            {"instanceNo": "3", "start_url": "https://shop.example.com", "memo": "nightly [wsc:0badcafe]"},
            {"instanceNo": "2", "start_url": "https://shop.example.com", "memo": "nightly"}
        ]));
        let reply = Some(InstanceId::new(2).unwrap());
        match id.observe(&listed, t0()).settled(reply, &id) {
            Some(Identification::Identified { id, source, .. }) => {
                assert_eq!((id.get(), source), (3, IdSource::Tag));
            }
            other => panic!("{other:?}"),
        }
    }
}
