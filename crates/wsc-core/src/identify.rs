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
//! A job matches when it was not in the listing before the call, has the same
//! target URL and memo, and (when the record has a start date) started no
//! earlier than a few minutes before the call was sent.

use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::Error;
use crate::model::{InstanceId, JobPage, JobRecord};
use crate::operations::CreateJob;

/// Pauses before each listing after the call: the service may take a moment
/// to list a job it just created.
const LISTING_DELAYS: [Duration; 3] = [
    Duration::ZERO,
    Duration::from_secs(2),
    Duration::from_secs(4),
];

/// How far a listed start time may precede the call (clock skew, rounding to
/// whole seconds, the service stamping the job before it replies).
const START_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// How the new job's id became known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdSource {
    /// The createJob reply named it.
    Response,
    /// The reply did not (or was lost); one new job in the listing matched.
    Listing,
}

impl IdSource {
    /// `response` or `listing`, as the CLI's JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            IdSource::Response => "response",
            IdSource::Listing => "listing",
        }
    }
}

/// Why the new job could not be named.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Unidentified {
    /// No new job matching the request was listed (it may not exist, or not be
    /// listed yet).
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

/// The result of [`create_and_identify`](crate::client::Client::create_and_identify).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CreateOutcome {
    /// The job the call started, as far as it is known.
    pub job: Identification,
    /// The failure that stood in for the reply, when the reply was lost after
    /// the request may have reached the service.
    pub reply_error: Option<Error>,
}

impl CreateOutcome {
    /// An outcome.
    pub fn new(job: Identification, reply_error: Option<Error>) -> Self {
        Self { job, reply_error }
    }

    /// The new job's id, when known.
    pub fn id(&self) -> Option<InstanceId> {
        match &self.job {
            Identification::Identified { id, .. } => Some(*id),
            Identification::Unidentified(_) => None,
        }
    }

    /// How the id was learnt, when known.
    pub fn id_source(&self) -> Option<IdSource> {
        match &self.job {
            Identification::Identified { source, .. } => Some(*source),
            Identification::Unidentified(_) => None,
        }
    }
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

/// The identification state machine.
///
/// ```
/// use std::time::SystemTime;
/// use wsc_core::identify::{Identifier, IdentifyStep};
/// use wsc_core::operations::CreateJob;
/// use wsc_core::JobPage;
/// let op = CreateJob::builder("https://shop.example.com").memo("nightly").build()?;
/// let before: JobPage = serde_json::from_str(r#"{"record_data": [{"instanceNo": "1", "start_url": "https://shop.example.com", "memo": "nightly"}]}"#).unwrap();
/// let mut id = Identifier::new(&op, &before, SystemTime::UNIX_EPOCH);
/// assert!(matches!(id.next(), IdentifyStep::ListAfter(_)));
/// let after: JobPage = serde_json::from_str(r#"{"record_data": [
///     {"instanceNo": "2", "start_url": "https://shop.example.com", "memo": "nightly"},
///     {"instanceNo": "1", "start_url": "https://shop.example.com", "memo": "nightly"}]}"#).unwrap();
/// match id.observe(&after) {
///     IdentifyStep::Found(job) => assert_eq!(job.instance_no.get(), 2),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), wsc_core::InvalidInput>(())
/// ```
#[derive(Debug, Clone)]
pub struct Identifier {
    before: HashSet<InstanceId>,
    start_url: String,
    memo: String,
    not_before: SystemTime,
    listings: usize,
}

impl Identifier {
    /// Starts identifying the job `op` started; `before` is a listing of the
    /// newest jobs taken before the call, `sent_at` the (server-corrected)
    /// time the call was sent.
    pub fn new(op: &CreateJob, before: &JobPage, sent_at: SystemTime) -> Self {
        Self {
            before: before.records.iter().map(|r| r.instance_no).collect(),
            start_url: comparable_url(op.start_url()),
            memo: op.memo().unwrap_or_default().trim().to_owned(),
            not_before: sent_at.checked_sub(START_TOLERANCE).unwrap_or(UNIX_EPOCH),
            listings: 0,
        }
    }

    /// The first step: list after the first delay.
    pub fn next(&self) -> IdentifyStep {
        match LISTING_DELAYS.get(self.listings) {
            Some(delay) => IdentifyStep::ListAfter(*delay),
            None => IdentifyStep::NotListed,
        }
    }

    /// Feeds a listing of the newest jobs taken after the call.
    pub fn observe(&mut self, page: &JobPage) -> IdentifyStep {
        self.listings += 1;
        let mut matches: Vec<JobRecord> = page
            .records
            .iter()
            .filter(|r| self.matches(r))
            .cloned()
            .collect();
        match matches.len() {
            0 => self.next(),
            1 => IdentifyStep::Found(Box::new(matches.remove(0))),
            _ => IdentifyStep::Ambiguous(matches),
        }
    }

    fn matches(&self, record: &JobRecord) -> bool {
        !self.before.contains(&record.instance_no)
            && comparable_url(&record.start_url) == self.start_url
            && record.memo.trim() == self.memo
            && record
                .start_date
                .as_deref()
                .and_then(parse_kst)
                .is_none_or(|started| started >= self.not_before)
    }
}

/// A target URL as compared for matching: the endpoint rules' normal form
/// (scheme and host lower-cased, international hosts in punycode), without
/// a trailing slash.
fn comparable_url(url: &str) -> String {
    let url = url.trim();
    crate::endpoint::normalize_url(url)
        .unwrap_or_else(|_| url.to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// `YYYY-MM-DD hh:mm:ss` in KST (UTC+9), as the service writes dates.
pub fn parse_kst(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let (date, time) = text.split_once(' ')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (t.next()??, t.next()??, t.next()??);
    // Years outside 1..=9999 are not dates the service writes, and would
    // overflow the arithmetic below.
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || hour < 0
        || minute < 0
        || second < 0
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second - 9 * 3_600;
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

    /// 2026-11-22 22:25:38 KST.
    fn sent() -> SystemTime {
        parse_kst("2026-11-22 22:25:38").unwrap()
    }

    #[test]
    fn kst_dates_are_nine_hours_ahead_of_utc() {
        let t = parse_kst("1970-01-01 09:00:01").unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(1));
        assert_eq!(
            parse_kst("2026-11-22 22:25:38").unwrap(),
            UNIX_EPOCH + Duration::from_secs(1_795_353_938)
        );
        for bad in [
            "",
            "2026-13-01 00:00:00",
            "2026-11-22",
            "x y",
            "2026-11-22 25:00:00",
            "9223372036854775807-01-01 00:00:00",
            "-9223372036854775808-01-01 00:00:00",
            "100000000000000-01-01 00:00:00",
        ] {
            assert_eq!(parse_kst(bad), None, "{bad}");
        }
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
        ])));
        match step {
            IdentifyStep::Found(job) => assert_eq!(job.instance_no.get(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn two_candidates_cannot_be_told_apart() {
        let mut id = Identifier::new(&op(), &page(serde_json::json!([])), sent());
        let step = id.observe(&page(serde_json::json!([
            {"instanceNo": "7", "start_url": "https://shop.example.com", "memo": "nightly"},
            {"instanceNo": "8", "start_url": "https://shop.example.com", "memo": "nightly"}
        ])));
        assert!(
            matches!(step, IdentifyStep::Ambiguous(ref c) if c.len() == 2),
            "{step:?}"
        );
    }

    #[test]
    fn nothing_new_lists_again_then_gives_up() {
        let mut id = Identifier::new(&op(), &page(serde_json::json!([])), sent());
        let empty = page(serde_json::json!([]));
        assert_eq!(id.next(), IdentifyStep::ListAfter(Duration::ZERO));
        assert_eq!(
            id.observe(&empty),
            IdentifyStep::ListAfter(Duration::from_secs(2))
        );
        assert_eq!(
            id.observe(&empty),
            IdentifyStep::ListAfter(Duration::from_secs(4))
        );
        assert_eq!(id.observe(&empty), IdentifyStep::NotListed);
    }
}
