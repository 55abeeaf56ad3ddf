//! The client, tested where it lives: every attempt, retry, deadline, page,
//! wait and create-and-identify outcome over [`ScriptedHttp`] on a
//! [`ManualClock`]. Virtual time only: nothing here sleeps or opens a socket.

use std::time::Duration;

use crate::client::{AsyncClient, Client};
use crate::error::{Delivery, TransportFailureKind as Kind};
use crate::identify::{CreateOutcome, IdSource, NotStartedReason, Unidentified};
use crate::operations::{CreateJob, ListJobs, OperationKind as Op};
use crate::retry::RetryPolicy;
use crate::testing::{ManualClock, Reply, ScriptedHttp};
use crate::wait::{WaitEnd, WaitOptions};
use crate::{Credentials, Endpoint, Error, Limit, PageNumber, Timeouts};

const ENDPOINT_ERROR: &str = r#"{"error":{"errorCode":"500","message":"Endpoint Error"}}"#;
const THROTTLED: &str = r#"{"error":{"errorCode":"410","message":"Throttle Limited"}}"#;
const AUTH_FAILED: &str = r#"{"error":{"errorCode":"200","message":"Authentication Failed"}}"#;
const REFUSED: &str =
    r#"{"returnCode":"901","returnDesc":"API Call Fail","returnMessage":"invalid StartUrl"}"#;

struct World {
    clock: ManualClock,
    http: ScriptedHttp,
}

fn world() -> World {
    let clock = ManualClock::new();
    let http = ScriptedHttp::new(clock.clone());
    World { clock, http }
}

impl World {
    fn client(&self) -> Client<ScriptedHttp> {
        self.client_with(Timeouts::default(), RetryPolicy::default(), true)
    }

    fn client_with(
        &self,
        timeouts: Timeouts,
        retry: RetryPolicy,
        tags: bool,
    ) -> Client<ScriptedHttp> {
        Client::builder(
            Credentials::new("AK", "SK").unwrap(),
            Endpoint::parse("https://wsc.test").unwrap(),
        )
        .clock(self.clock.clone())
        .timeouts(timeouts)
        .retry_policy(retry)
        .create_tags(tags)
        .build_with(self.http.clone())
    }
}

fn create(url: &str, memo: &str) -> CreateJob {
    CreateJob::builder(url).memo(memo).build().unwrap()
}

// ---- attempts and retries ----

#[test]
fn a_read_is_retried_after_a_gateway_error_with_a_backoff() {
    let w = world();
    w.http.reply(Op::ListJobs, Reply::http(503, ENDPOINT_ERROR));
    let page = w.client().list_jobs(&ListJobs::default()).unwrap();
    assert!(page.records.is_empty());
    assert_eq!(w.http.count(Op::ListJobs), 2);
    let slept = w.clock.pauses();
    assert_eq!(slept.len(), 1, "{slept:?}");
    assert!(slept[0] > Duration::ZERO);
    assert_eq!(
        w.clock.elapsed(),
        slept[0],
        "no time passes but the backoff"
    );
}

#[test]
fn retry_after_is_honoured_on_a_throttled_read() {
    let w = world();
    w.http.reply(
        Op::ListJobs,
        Reply::http(429, THROTTLED).with_header("retry-after", "7"),
    );
    w.client().list_jobs(&ListJobs::default()).unwrap();
    assert_eq!(w.clock.pauses(), [Duration::from_secs(7)]);
}

#[test]
fn a_billed_create_is_never_resent_by_the_attempt_loop() {
    let w = world();
    w.http
        .reply(Op::CreateJob, Reply::http(503, ENDPOINT_ERROR))
        .reply(Op::CreateJob, Reply::service());
    let error = w
        .client()
        .create_job(&create("https://a.example", "m"))
        .unwrap_err();
    assert!(matches!(error, Error::Gateway(_)), "{error:?}");
    assert_eq!(w.http.count(Op::CreateJob), 1);
}

#[test]
fn a_connect_failure_of_a_read_is_retried_and_a_refusal_is_not() {
    let w = world();
    w.http
        .reply(Op::ListJobs, Reply::fail(Kind::Connect, Delivery::NotSent))
        .reply(Op::ListJobs, Reply::service());
    w.client().list_jobs(&ListJobs::default()).unwrap();
    assert_eq!(w.http.count(Op::ListJobs), 2);

    let w = world();
    w.http.always(Op::ListJobs, Reply::http(401, AUTH_FAILED));
    let error = w.client().list_jobs(&ListJobs::default()).unwrap_err();
    assert!(matches!(error, Error::Gateway(_)), "{error:?}");
    assert_eq!(w.http.count(Op::ListJobs), 1);
}

// ---- deadlines ----

#[test]
fn the_overall_deadline_ends_a_hanging_call_on_time() {
    let w = world();
    w.http.always(Op::ListJobs, Reply::hang());
    let timeouts = Timeouts::default()
        .with_attempt(Duration::from_secs(10))
        .with_overall(Duration::from_secs(25));
    let error = w
        .client_with(timeouts, RetryPolicy::default(), true)
        .list_jobs(&ListJobs::default())
        .unwrap_err();
    match &error {
        Error::Transport(t) => {
            assert_eq!(t.kind, Kind::Timeout);
            assert_eq!(t.delivery, Delivery::MaybeSent);
        }
        other => panic!("{other:?}"),
    }
    // Never past the deadline: the last attempt gets only what remains.
    assert!(
        w.clock.elapsed() <= Duration::from_secs(25),
        "{:?}",
        w.clock.elapsed()
    );
    let seen = w.http.requests();
    assert!(seen.len() >= 2, "{seen:?}");
    let last = seen.last().unwrap();
    assert!(
        last.at + last.timeout <= Duration::from_secs(25),
        "{last:?}"
    );
}

/// A stack that steps the wall clock a day forward just before its second
/// request, as NTP or a resumed laptop would.
struct SteppingWall {
    http: ScriptedHttp,
    clock: ManualClock,
}

impl crate::client::HttpClient for SteppingWall {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: crate::client::AttemptLimits,
    ) -> Result<http::Response<bytes::Bytes>, crate::error::TransportError> {
        if self.http.requests().len() == 1 {
            let wall = crate::client::Clock::now(&self.clock).wall();
            self.clock.set_wall(wall + Duration::from_secs(86_400));
        }
        crate::client::HttpClient::send(&self.http, request, limits)
    }
}

#[test]
fn a_wall_clock_step_moves_no_deadline() {
    let w = world();
    w.http
        .always(Op::ListJobs, Reply::http(503, ENDPOINT_ERROR));
    let timeouts = Timeouts::default()
        .with_attempt(Duration::from_secs(5))
        .with_overall(Duration::from_secs(120));
    let retry = RetryPolicy::default().with_max_retries(3);
    let client = Client::builder(
        Credentials::new("AK", "SK").unwrap(),
        Endpoint::parse("https://wsc.test").unwrap(),
    )
    .clock(w.clock.clone())
    .timeouts(timeouts)
    .retry_policy(retry)
    .build_with(SteppingWall {
        http: w.http.clone(),
        clock: w.clock.clone(),
    });
    let error = client.list_jobs(&ListJobs::default()).unwrap_err();
    // Every retry ran: the day the wall clock jumped did not end the call.
    assert!(matches!(error, Error::Gateway(_)), "{error:?}");
    assert_eq!(w.http.count(Op::ListJobs), 4);
    assert!(
        w.clock.elapsed() < Duration::from_secs(120),
        "{:?}",
        w.clock.elapsed()
    );
}

// ---- paging ----

#[test]
fn all_pages_walks_every_page_once() {
    let w = world();
    for i in 0..25 {
        w.http
            .add_job(&format!("https://site{i}.example"), "", None);
    }
    let query = ListJobs::new(Limit::new(10).unwrap(), PageNumber::FIRST);
    let mut pages = Vec::new();
    let all = w
        .client()
        .all_pages(&query, |page, _| pages.push(page.get()))
        .unwrap();
    assert_eq!(all.records.len(), 25);
    assert!(!all.truncated);
    assert_eq!(all.reported_total, Some(25));
    assert_eq!(pages, [1, 2, 3]);
    assert_eq!(w.http.count(Op::ListJobs), 3);
}

#[test]
fn search_finds_jobs_by_url_or_memo() {
    use crate::operations::{SearchBy, SearchJobs};
    let w = world();
    w.http.add_job("https://shop.example.com", "nightly", None);
    w.http.add_job("https://blog.example.com", "weekly", None);
    let search = |by| SearchJobs::new(by, None, Limit::default(), PageNumber::FIRST).unwrap();
    let client = w.client();
    let by_url = client
        .search_jobs(&search(SearchBy::Url("shop".into())))
        .unwrap();
    assert_eq!(by_url.records.len(), 1);
    assert_eq!(by_url.records[0].start_url, "https://shop.example.com");
    let by_memo = client
        .search_jobs(&search(SearchBy::Memo("weekly".into())))
        .unwrap();
    assert_eq!(by_memo.records.len(), 1);
    assert_eq!(by_memo.records[0].memo, "weekly");
}

#[test]
fn a_search_by_target_keyword_finds_every_equivalent_spelling() {
    use crate::Target;
    use crate::operations::{SearchBy, SearchJobs};
    let w = world();
    for url in [
        "https://trend.example.com",
        "https://Trend.example.com/",
        "HTTPS://trend.example.com:443",
        "https://trend.example.com/admin",
        "https://other.example.com",
    ] {
        w.http.add_job(url, "", None);
    }
    let client = w.client();
    for asked in [
        "https://trend.example.com",
        "https://TREND.example.com/",
        "HTTPS://trend.example.com:443",
        "trend.example.com",
    ] {
        let target = Target::parse(asked);
        let by = SearchBy::Url(target.search_keyword().to_owned());
        let page = client
            .search_jobs(&SearchJobs::new(by, None, Limit::default(), PageNumber::FIRST).unwrap())
            .unwrap();
        let same: Vec<&str> = page
            .records
            .iter()
            .filter(|r| Target::parse(&r.start_url).same_as(&target))
            .map(|r| r.start_url.as_str())
            .collect();
        assert_eq!(same.len(), 3, "{asked}: {same:?}");
        // The raw spelling, as the service matches it, misses some.
        let raw = client
            .search_jobs(
                &SearchJobs::new(
                    SearchBy::Url(asked.to_owned()),
                    None,
                    Limit::default(),
                    PageNumber::FIRST,
                )
                .unwrap(),
            )
            .unwrap();
        if asked != "https://trend.example.com" && asked != "trend.example.com" {
            assert!(raw.records.len() < 3, "{asked}: {:?}", raw.records);
        }
    }
}

// ---- waiting ----

#[test]
fn wait_polls_soon_then_on_its_interval_until_the_job_finishes() {
    let w = world();
    let id = w.http.add_job(
        "https://shop.example.com",
        "",
        Some(Duration::from_secs(300)),
    );
    let mut seen = 0;
    let report = w
        .client()
        .wait(
            id,
            WaitOptions::default().with_interval(Duration::from_secs(60)),
            |_| seen += 1,
        )
        .unwrap();
    assert!(matches!(report.end, WaitEnd::Finished(_)), "{report:?}");
    assert_eq!(
        report.polls, 10,
        "0, 2, 6, 14, 30, 62, 122, 182, 242, 302 s"
    );
    assert_eq!(seen, 10);
    assert_eq!(w.clock.elapsed(), Duration::from_secs(302));
}

#[test]
fn wait_gives_up_at_its_timeout_and_leaves_the_scan_running() {
    let w = world();
    let id = w.http.add_job("https://shop.example.com", "", None);
    let report = w
        .client()
        .wait(
            id,
            WaitOptions::default()
                .with_interval(Duration::from_secs(60))
                .with_timeout(Some(Duration::from_secs(150))),
            |_| {},
        )
        .unwrap();
    assert_eq!(report.end, WaitEnd::TimedOut);
    assert!(
        w.clock.elapsed() <= Duration::from_secs(150),
        "{:?}",
        w.clock.elapsed()
    );
    assert_eq!(w.http.count(Op::CancelJob) + w.http.count(Op::StopJob), 0);
}

#[test]
fn wait_reports_a_job_that_does_not_exist() {
    let w = world();
    let report = w
        .client()
        .wait(
            crate::InstanceId::new(42).unwrap(),
            WaitOptions::default().with_interval(Duration::from_secs(10)),
            |_| {},
        )
        .unwrap();
    assert_eq!(report.end, WaitEnd::NotFound);
}

// ---- create and identify: every outcome ----

#[test]
fn a_lost_reply_is_answered_by_the_tag_not_a_second_create() {
    for lost in [Kind::ConnectionClosed, Kind::Timeout, Kind::Io] {
        let w = world();
        w.http.add_job("https://shop.example.com", "weekly", None);
        w.http.reply(Op::CreateJob, Reply::acted_then_fail(lost));
        let outcome = w
            .client()
            .create_and_identify(&create("https://shop.example.com", "weekly"));
        assert_eq!(w.http.count(Op::CreateJob), 1, "{lost:?}");
        match outcome {
            CreateOutcome::Identified {
                id,
                source,
                lost_reply,
                tag,
                ..
            } => {
                assert_eq!(id, w.http.job_ids()[0], "{lost:?}");
                assert_eq!(source, IdSource::Tag);
                assert!(lost_reply.is_some());
                assert!(tag.is_some());
            }
            other => panic!("{lost:?}: {other:?}"),
        }
    }
}

#[test]
fn a_successful_create_is_found_by_its_tag() {
    let w = world();
    // Someone else's identical scan, started just before ours.
    w.http.add_job("https://shop.example.com", "nightly", None);
    let outcome = w
        .client()
        .create_and_identify(&create("https://shop.example.com", "nightly"));
    let CreateOutcome::Identified {
        id, source, tag, ..
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(id, w.http.job_ids()[0]);
    assert_eq!(source, IdSource::Tag);
    let memo = &w.http.requests()[1].body;
    assert!(memo.contains(&tag.unwrap().to_string()), "{memo}");
}

#[test]
fn a_create_tag_comes_from_the_clients_random_source_and_none_leaves_it_untagged() {
    let w = world();
    let builder = || {
        Client::builder(
            Credentials::new("AK", "SK").unwrap(),
            Endpoint::parse("https://wsc.test").unwrap(),
        )
        .clock(w.clock.clone())
    };
    let seeded = builder()
        .random_source(|| Some(0x5eed_0001))
        .build_with(w.http.clone());
    let outcome = seeded.create_and_identify(&create("https://shop.example.com", "nightly"));
    assert_eq!(
        outcome.tag(),
        Some(crate::CreateTag::from_bits(0x5eed_0001))
    );
    assert!(
        matches!(
            outcome,
            CreateOutcome::Identified {
                source: IdSource::Tag,
                ..
            }
        ),
        "{outcome:?}"
    );

    let sourceless = builder().random_source(|| None).build_with(w.http.clone());
    let outcome = sourceless.create_and_identify(&create("https://blog.example.com", "nightly"));
    assert_eq!(outcome.tag(), None);
    let requests = w.http.requests();
    let creates: Vec<_> = requests
        .iter()
        .filter(|r| r.kind == Some(Op::CreateJob))
        .collect();
    assert_eq!(creates.len(), 2);
    assert!(crate::CreateTag::find_in(&creates[0].body).is_some());
    assert_eq!(
        crate::CreateTag::find_in(&creates[1].body),
        None,
        "{}",
        creates[1].body
    );
}

#[test]
fn a_failed_listing_before_the_create_sends_nothing_billed() {
    let w = world();
    w.http.always(Op::ListJobs, Reply::http(401, AUTH_FAILED));
    let outcome = w
        .client()
        .create_and_identify(&create("https://a.example", ""));
    assert!(
        matches!(
            outcome,
            CreateOutcome::NotStarted {
                reason: NotStartedReason::NotSent,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert!(!outcome.may_have_started());
    assert_eq!(w.http.count(Op::CreateJob), 0);
}

#[test]
fn an_untagged_create_that_never_arrived_is_not_started() {
    let w = world();
    w.http
        .reply(Op::CreateJob, Reply::fail(Kind::Connect, Delivery::NotSent));
    let outcome = w
        .client_with(Timeouts::default(), RetryPolicy::default(), false)
        .create_and_identify(&create("https://a.example", ""));
    assert!(
        matches!(
            outcome,
            CreateOutcome::NotStarted {
                reason: NotStartedReason::NeverArrived,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(w.http.count(Op::CreateJob), 1);
}

#[test]
fn a_tagged_create_is_resent_after_a_throttle_only_once_a_listing_proves_no_job() {
    let w = world();
    w.http.reply(
        Op::CreateJob,
        Reply::http(429, THROTTLED).with_header("retry-after", "2"),
    );
    let outcome = w
        .client()
        .create_and_identify(&create("https://a.example", "m"));
    assert!(
        matches!(outcome, CreateOutcome::Identified { .. }),
        "{outcome:?}"
    );
    assert_eq!(w.http.count(Op::CreateJob), 2);
    // Between the two creates, a listing looked for the tag.
    let kinds: Vec<_> = w.http.requests().iter().map(|r| r.kind).collect();
    let creates: Vec<usize> = kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| **k == Some(Op::CreateJob))
        .map(|(i, _)| i)
        .collect();
    assert!(
        kinds[creates[0] + 1..creates[1]].contains(&Some(Op::ListJobs)),
        "{kinds:?}"
    );
}

#[test]
fn a_create_the_service_refuses_is_not_started_once_listings_confirm_it() {
    let w = world();
    w.http.always(Op::CreateJob, Reply::http(400, REFUSED));
    let outcome = w
        .client()
        .create_and_identify(&create("https://a.example", ""));
    match &outcome {
        CreateOutcome::NotStarted {
            reason: NotStartedReason::Refused,
            error: Error::Service(_),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(w.http.count(Op::CreateJob), 1);
    assert!(w.http.count(Op::ListJobs) >= 2, "confirmed by listing");
}

#[test]
fn a_lost_reply_with_no_job_listed_is_unidentified_at_the_deadline() {
    let w = world();
    // The reply is lost and the service did not act: nothing is ever listed.
    w.http.reply(Op::CreateJob, Reply::hang());
    let timeouts = Timeouts::default()
        .with_attempt(Duration::from_secs(10))
        .with_overall(Duration::from_secs(60));
    let outcome = w
        .client_with(timeouts, RetryPolicy::default(), true)
        .create_and_identify(&create("https://a.example", ""));
    match &outcome {
        CreateOutcome::Unidentified {
            why: Unidentified::NotListed,
            lost_reply: Some(_),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert!(outcome.may_have_started());
    assert_eq!(w.http.count(Op::CreateJob), 1);
    assert!(w.http.count(Op::ListJobs) > 2);
    assert!(
        w.clock.elapsed() <= Duration::from_secs(10 + 60),
        "{:?}",
        w.clock.elapsed()
    );
}

#[test]
fn twin_untagged_jobs_are_ambiguous_and_both_named() {
    let w = world();
    w.http.reply(
        Op::CreateJob,
        Reply::acted_twice_then_fail(Kind::ConnectionClosed),
    );
    let outcome = w
        .client_with(Timeouts::default(), RetryPolicy::default(), false)
        .create_and_identify(&create("https://twin.example", "nightly"));
    match outcome {
        CreateOutcome::Unidentified {
            why: Unidentified::Ambiguous(candidates),
            lost_reply: Some(_),
            ..
        } => {
            let mut ids: Vec<_> = candidates.iter().map(|r| r.instance_no).collect();
            ids.sort();
            let mut jobs = w.http.job_ids();
            jobs.sort();
            assert_eq!(ids, jobs);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(w.http.count(Op::CreateJob), 1);
}

#[test]
fn a_failed_listing_after_a_lost_reply_is_unidentified_with_its_error() {
    let w = world();
    w.http
        .reply(Op::ListJobs, Reply::service())
        .always(Op::ListJobs, Reply::http(401, AUTH_FAILED))
        .reply(
            Op::CreateJob,
            Reply::acted_then_fail(Kind::ConnectionClosed),
        );
    let outcome = w
        .client()
        .create_and_identify(&create("https://a.example", ""));
    match &outcome {
        CreateOutcome::Unidentified {
            why: Unidentified::ListingFailed(Error::Gateway(_)),
            lost_reply: Some(_),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(w.http.count(Op::CreateJob), 1);
}

// ---- the create journal ----

/// A journal in memory: its lines, and whether recording fails.
#[derive(Default)]
struct Lines {
    lines: std::sync::Mutex<Vec<String>>,
    pending: std::sync::Mutex<Vec<crate::journal::PendingCreate>>,
    fails: bool,
}

impl crate::journal::CreateJournal for Lines {
    fn record(&self, create: &crate::journal::PendingCreate) -> std::io::Result<()> {
        if self.fails {
            return Err(std::io::Error::other("read-only file system"));
        }
        self.lines
            .lock()
            .unwrap()
            .push(format!("record {}", create.target()));
        self.pending.lock().unwrap().push(create.clone());
        Ok(())
    }

    fn settle(&self, create: &crate::journal::PendingCreate, settled: crate::journal::Settled) {
        self.lines
            .lock()
            .unwrap()
            .push(format!("settle {settled:?}"));
        self.pending
            .lock()
            .unwrap()
            .retain(|p| p.id() != create.id());
    }
}

fn journaled(w: &World, journal: &std::sync::Arc<Lines>) -> Client<ScriptedHttp> {
    Client::builder(
        Credentials::new("AK", "SK").unwrap(),
        Endpoint::parse("https://wsc.test").unwrap(),
    )
    .clock(w.clock.clone())
    .journal(journal.clone())
    .build_with(w.http.clone())
}

#[test]
fn a_journaled_create_is_recorded_before_it_is_sent_and_settled_with_its_job() {
    let w = world();
    let journal = std::sync::Arc::new(Lines::default());
    let outcome =
        journaled(&w, &journal).create_and_identify(&create("https://shop.example.com", "nightly"));
    let id = outcome.id().expect("named");
    assert_eq!(
        *journal.lines.lock().unwrap(),
        [
            "record https://shop.example.com".to_owned(),
            format!("settle Job({id:?})")
        ]
    );
    assert!(journal.pending.lock().unwrap().is_empty());
}

#[test]
fn a_create_the_journal_cannot_record_is_not_sent() {
    let w = world();
    let journal = std::sync::Arc::new(Lines {
        fails: true,
        ..Lines::default()
    });
    let outcome =
        journaled(&w, &journal).create_and_identify(&create("https://shop.example.com", "nightly"));
    assert!(
        matches!(&outcome, CreateOutcome::NotStarted { reason: NotStartedReason::NotSent, error: Error::Journal(e), .. } if e.message() == "read-only file system"),
        "{outcome:?}"
    );
    assert_eq!(w.http.count(Op::CreateJob), 0);
    assert!(w.http.job_ids().is_empty());
}

#[test]
fn after_a_lost_reply_and_failed_listings_the_journal_names_the_job_on_restart() {
    let w = world();
    w.http.reply(Op::ListJobs, Reply::service());
    w.http
        .reply(Op::CreateJob, Reply::acted_then_fail(Kind::Timeout));
    w.http
        .always(Op::ListJobs, Reply::http(500, ENDPOINT_ERROR));
    let journal = std::sync::Arc::new(Lines::default());
    let client = journaled(&w, &journal);
    let outcome = client.create_and_identify(&create("https://shop.example.com", "nightly"));
    assert!(
        matches!(
            &outcome,
            CreateOutcome::Unidentified {
                why: Unidentified::ListingFailed(_),
                lost_reply: Some(_),
                ..
            }
        ),
        "{outcome:?}"
    );
    let pending = journal.pending.lock().unwrap().clone();
    assert_eq!(pending.len(), 1, "the create stays pending");

    // The restart: the service lists again; the pending create is matched.
    w.http.always(Op::ListJobs, Reply::service());
    let newest = ListJobs::new(Limit::new(Limit::MAX).unwrap(), PageNumber::FIRST);
    let listing = client.all_pages(&newest, |_, _| {}).unwrap();
    let found = crate::journal::recover(&pending, &listing.records, &[]);
    assert_eq!(
        found,
        [crate::journal::Recovery::Found(w.http.job_ids()[0])]
    );
    assert_eq!(w.http.count(Op::CreateJob), 1, "never sent twice");
}

// ---- the async client over the same stack ----

#[test]
fn the_async_client_runs_the_same_logic() {
    let w = world();
    w.http.reply(
        Op::CreateJob,
        Reply::acted_then_fail(Kind::ConnectionClosed),
    );
    let client: AsyncClient<ScriptedHttp> = AsyncClient::builder(
        Credentials::new("AK", "SK").unwrap(),
        Endpoint::parse("https://wsc.test").unwrap(),
    )
    .clock(w.clock.clone())
    .build_with(w.http.clone());
    let outcome =
        super::blocking::poll_once(client.create_and_identify(&create("https://a.example", "")))
            .ok();
    assert!(
        matches!(
            outcome,
            Some(CreateOutcome::Identified {
                source: IdSource::Tag,
                ..
            })
        ),
        "{outcome:?}"
    );
    assert_eq!(w.http.count(Op::CreateJob), 1);
}
