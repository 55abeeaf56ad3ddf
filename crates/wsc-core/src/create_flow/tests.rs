//! The create machine on its own, on virtual time: every outcome, and the
//! rules about sending the billed call.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use super::*;
use crate::error::{Delivery, TransportError, TransportFailureKind};
use crate::operations::Operation;

const REFUSED: &str =
    r#"{"returnCode":"901","returnDesc":"API Call Fail","returnMessage":"invalid StartUrl"}"#;
const URL: &str = "https://shop.example.com";

/// A scripted service: listings and create replies in order (the last
/// listing repeats), on a virtual clock that moves only when told to wait.
struct Service {
    listings: VecDeque<Result<JobPage, Error>>,
    replies: VecDeque<Result<CreatedJob, Error>>,
    base: Instant,
    elapsed: Duration,
    creates: u32,
    lists: u32,
    /// What the driver did, in order: `list`, `record ID`, `create`,
    /// `settle ID SETTLED`.
    events: Vec<String>,
    /// Recording fails when set.
    journal_fails: bool,
}

fn page(records: &[(&str, &str)]) -> JobPage {
    let records: Vec<_> = records
        .iter()
        .map(|(id, memo)| serde_json::json!({"instanceNo": id, "start_url": URL, "memo": memo}))
        .collect();
    serde_json::from_value(serde_json::json!({ "record_data": records })).unwrap()
}

fn reply(body: &str) -> Result<CreatedJob, Error> {
    let op = CreateJob::builder(URL).build().unwrap();
    op.parse_response(&http::Response::new(body.as_bytes().to_vec()))
}

fn named(id: &str) -> Result<CreatedJob, Error> {
    reply(&format!(
        r#"{{"returnCode":"0","resources":{{"instanceNo":"{id}"}}}}"#
    ))
}

fn unnamed() -> Result<CreatedJob, Error> {
    reply(r#"{"returnCode":"0"}"#)
}

fn transport(delivery: Delivery) -> Error {
    Error::Transport(TransportError::new(
        TransportFailureKind::Connect,
        delivery,
        "scripted",
    ))
}

impl Service {
    fn new(listings: Vec<Result<JobPage, Error>>, replies: Vec<Result<CreatedJob, Error>>) -> Self {
        Self {
            listings: listings.into(),
            replies: replies.into(),
            base: Instant::now(),
            elapsed: Duration::ZERO,
            creates: 0,
            lists: 0,
            events: Vec::new(),
            journal_fails: false,
        }
    }

    fn now(&self) -> Now {
        let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600) + self.elapsed;
        Now::new(wall, self.base + self.elapsed)
    }

    /// Drives `flow` to its outcome, as the clients do.
    fn drive(&mut self, mut flow: CreateFlow) -> CreateOutcome {
        for _ in 0..10_000 {
            match flow.next(self.now()) {
                CreateStep::List(_) => {
                    self.lists += 1;
                    self.events.push("list".into());
                    let listing = match self.listings.len() {
                        1 => self.listings[0].clone(),
                        _ => self.listings.pop_front().expect("a listing is scripted"),
                    };
                    flow.on_listing(listing, self.now());
                }
                CreateStep::Create(_) => {
                    self.creates += 1;
                    self.events.push("create".into());
                    let reply = self.replies.pop_front().expect("a reply is scripted");
                    flow.on_created(reply, self.now(), ClockSkew::NONE);
                }
                CreateStep::Record(create) => {
                    self.events.push(format!("record {}", create.id()));
                    let result = match self.journal_fails {
                        true => Err(std::io::Error::other("disk full")),
                        false => Ok(()),
                    };
                    flow.on_recorded(result);
                }
                CreateStep::Settle(create, settled) => {
                    self.events
                        .push(format!("settle {} {settled:?}", create.id()));
                }
                CreateStep::WaitUntil(at) => {
                    assert!(at > self.now().instant(), "a wait must move time");
                    self.elapsed = at - self.base;
                }
                CreateStep::Done(outcome) => return outcome,
            }
        }
        panic!("the flow did not end");
    }
}

fn flow(tag: Option<u32>) -> CreateFlow {
    let op = CreateJob::builder(URL).memo("nightly").build().unwrap();
    CreateFlow::new(&op, RetryPolicy::default(), Duration::from_secs(120)).tag_with(tag)
}

const TAGGED: &str = "nightly [wsc:5eed0001]";

#[test]
fn an_untagged_reply_naming_a_new_id_is_believed_at_once() {
    let mut service = Service::new(vec![Ok(page(&[("1", "nightly")]))], vec![named("2")]);
    let outcome = service.drive(flow(None));
    assert!(
        matches!(&outcome, CreateOutcome::Identified { id, source: IdSource::Response, lost_reply: None, .. } if id.get() == 2),
        "{outcome:?}"
    );
    assert_eq!((service.lists, service.creates), (1, 1));
}

#[test]
fn a_tagged_create_is_found_by_its_tag_among_identical_scans() {
    let before = Ok(page(&[]));
    let after = Ok(page(&[("3", "nightly"), ("2", TAGGED)]));
    let mut service = Service::new(vec![before, after], vec![unnamed()]);
    let outcome = service.drive(flow(Some(0x5eed_0001)));
    match outcome {
        CreateOutcome::Identified {
            id, source, tag, ..
        } => {
            assert_eq!((id.get(), source), (2, IdSource::Tag));
            assert_eq!(tag, Some(CreateTag::from_bits(0x5eed_0001)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_tagged_reply_id_is_believed_only_once_listed_with_the_tag() {
    let before = Ok(page(&[]));
    let after = Ok(page(&[("7", TAGGED)]));
    let mut service = Service::new(vec![before, after], vec![named("7")]);
    let outcome = service.drive(flow(Some(0x5eed_0001)));
    assert!(
        matches!(
            &outcome,
            CreateOutcome::Identified {
                source: IdSource::Response,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(service.lists, 2, "the reply's id was checked by a listing");
}

#[test]
fn an_untagged_create_is_found_by_target_and_memo() {
    let before = Ok(page(&[("1", "nightly")]));
    let after = Ok(page(&[("1", "nightly"), ("5", "nightly")]));
    let mut service = Service::new(vec![before, after], vec![unnamed()]);
    let outcome = service.drive(flow(None));
    assert!(
        matches!(&outcome, CreateOutcome::Identified { id, source: IdSource::Listing, .. } if id.get() == 5),
        "{outcome:?}"
    );
}

#[test]
fn a_failed_listing_before_the_create_sends_nothing() {
    let mut service = Service::new(vec![Err(transport(Delivery::MaybeSent))], vec![]);
    let outcome = service.drive(flow(Some(1)));
    assert!(
        matches!(
            &outcome,
            CreateOutcome::NotStarted {
                reason: NotStartedReason::NotSent,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(service.creates, 0);
}

#[test]
fn an_untagged_create_that_never_arrived_is_not_sent_again() {
    let mut service = Service::new(vec![Ok(page(&[]))], vec![Err(transport(Delivery::NotSent))]);
    let outcome = service.drive(flow(None));
    assert!(
        matches!(
            &outcome,
            CreateOutcome::NotStarted {
                reason: NotStartedReason::NeverArrived,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(service.creates, 1);
}

#[test]
fn a_tagged_create_that_never_arrived_is_sent_again_only_after_a_listing_proves_no_job() {
    let listings = vec![Ok(page(&[])), Ok(page(&[])), Ok(page(&[("9", TAGGED)]))];
    let replies = vec![Err(transport(Delivery::NotSent)), unnamed()];
    let mut service = Service::new(listings, replies);
    let outcome = service.drive(flow(Some(0x5eed_0001)));
    assert!(
        matches!(&outcome, CreateOutcome::Identified { id, source: IdSource::Tag, .. } if id.get() == 9),
        "{outcome:?}"
    );
    assert_eq!(service.creates, 2);
    assert_eq!(
        service.lists, 3,
        "before, the proof, and the identification"
    );
}

#[test]
fn a_never_arrived_create_whose_tagged_job_is_listed_is_that_job() {
    // The proof listing shows the tagged job: it is not sent again.
    let listings = vec![Ok(page(&[])), Ok(page(&[("4", TAGGED)]))];
    let mut service = Service::new(listings, vec![Err(transport(Delivery::NotSent))]);
    let outcome = service.drive(flow(Some(0x5eed_0001)));
    assert!(
        matches!(&outcome, CreateOutcome::Identified { id, lost_reply: Some(_), .. } if id.get() == 4),
        "{outcome:?}"
    );
    assert_eq!(service.creates, 1);
}

#[test]
fn a_refusal_with_no_new_job_started_nothing_and_is_confirmed_within_seconds() {
    let mut service = Service::new(vec![Ok(page(&[]))], vec![reply(REFUSED)]);
    let outcome = service.drive(flow(Some(1)));
    assert!(
        matches!(
            &outcome,
            CreateOutcome::NotStarted {
                reason: NotStartedReason::Refused,
                error: Error::Service(_),
                ..
            }
        ),
        "{outcome:?}"
    );
    assert!(
        service.elapsed <= REFUSAL_CONFIRMATION,
        "{:?}",
        service.elapsed
    );
    assert!(service.lists >= 2, "at least one listing confirmed it");
}

#[test]
fn a_lost_reply_is_never_resent_and_ends_unidentified_at_the_deadline() {
    let mut service = Service::new(
        vec![Ok(page(&[]))],
        vec![Err(transport(Delivery::MaybeSent))],
    );
    let outcome = service.drive(flow(Some(1)));
    assert!(
        matches!(
            &outcome,
            CreateOutcome::Unidentified {
                why: Unidentified::NotListed,
                lost_reply: Some(_),
                ..
            }
        ),
        "{outcome:?}"
    );
    assert!(outcome.may_have_started());
    assert_eq!(
        service.creates, 1,
        "a billed call that may have arrived is never re-sent"
    );
    assert!(
        service.elapsed <= Duration::from_secs(120),
        "{:?}",
        service.elapsed
    );
    assert!(service.lists > 2, "it kept looking: {}", service.lists);
}

#[test]
fn two_matching_new_jobs_are_ambiguous_with_both_candidates() {
    let before = Ok(page(&[]));
    let after = Ok(page(&[("5", "nightly"), ("6", "nightly")]));
    let mut service = Service::new(vec![before, after], vec![unnamed()]);
    match service.drive(flow(None)) {
        CreateOutcome::Unidentified {
            why: Unidentified::Ambiguous(candidates),
            lost_reply: None,
            ..
        } => assert_eq!(candidates.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_failed_listing_after_the_create_is_unidentified_not_a_bare_error() {
    let listings = vec![Ok(page(&[])), Err(transport(Delivery::MaybeSent))];
    let mut service = Service::new(listings, vec![unnamed()]);
    let outcome = service.drive(flow(Some(1)));
    assert!(
        matches!(
            &outcome,
            CreateOutcome::Unidentified {
                why: Unidentified::ListingFailed(_),
                lost_reply: None,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert!(outcome.may_have_started());
}

#[test]
fn results_the_flow_did_not_ask_for_are_ignored() {
    let mut f = flow(Some(1));
    let service = Service::new(vec![], vec![]);
    // A reply before any send, and a listing before any request: no effect.
    f.on_created(named("1"), service.now(), ClockSkew::NONE);
    f.on_listing(Ok(page(&[("1", TAGGED)])), service.now());
    assert!(matches!(f.next(service.now()), CreateStep::List(_)));
    // Asked for a listing and not given it, the flow asks for nothing else.
    assert_eq!(
        f.next(service.now()),
        CreateStep::WaitUntil(service.now().instant())
    );
}

/// The journaled flow's events, with the lists collapsed ("list" once per run).
fn journal_events(service: &Service) -> Vec<&str> {
    let mut events: Vec<&str> = service.events.iter().map(String::as_str).collect();
    events.dedup_by(|a, b| *a == "list" && *b == "list");
    events
}

const ID: &str = "000000000000002a";

#[test]
fn a_journaled_create_is_recorded_after_the_listing_before_the_send_and_settled_with_its_job() {
    let before = Ok(page(&[]));
    let after = Ok(page(&[("2", TAGGED)]));
    let mut service = Service::new(vec![before, after], vec![unnamed()]);
    let outcome = service.drive(flow(Some(0x5eed_0001)).journaled(42));
    assert_eq!(outcome.id().map(|id| id.get()), Some(2), "{outcome:?}");
    assert_eq!(
        journal_events(&service),
        [
            "list",
            &format!("record {ID}"),
            "create",
            "list",
            &format!("settle {ID} Job(InstanceId(2))")
        ]
    );
}

#[test]
fn a_create_the_journal_cannot_record_is_never_sent() {
    let mut service = Service::new(vec![Ok(page(&[]))], vec![unnamed()]);
    service.journal_fails = true;
    let outcome = service.drive(flow(Some(1)).journaled(42));
    match &outcome {
        CreateOutcome::NotStarted {
            reason: NotStartedReason::NotSent,
            error: Error::Journal(journal),
            ..
        } => assert_eq!(journal.message(), "disk full"),
        other => panic!("{other:?}"),
    }
    assert!(!outcome.may_have_started());
    assert_eq!(service.creates, 0);
    assert_eq!(
        journal_events(&service),
        ["list", &format!("record {ID}")],
        "and no settle"
    );
}

#[test]
fn a_create_that_may_have_started_an_unnamed_job_stays_pending() {
    let mut service = Service::new(
        vec![Ok(page(&[]))],
        vec![Err(transport(Delivery::MaybeSent))],
    );
    let outcome = service.drive(flow(Some(1)).journaled(42));
    assert!(
        matches!(outcome, CreateOutcome::Unidentified { .. }),
        "{outcome:?}"
    );
    assert!(
        !service.events.iter().any(|e| e.starts_with("settle")),
        "{:?}",
        service.events
    );
}

#[test]
fn a_resent_create_is_recorded_once_and_one_that_never_arrived_settles_as_nothing_started() {
    // Sent, never arrived, proven absent, sent again: one identity.
    let listings = vec![Ok(page(&[])), Ok(page(&[])), Ok(page(&[("9", TAGGED)]))];
    let replies = vec![Err(transport(Delivery::NotSent)), unnamed()];
    let mut service = Service::new(listings, replies);
    service.drive(flow(Some(0x5eed_0001)).journaled(42));
    let records = service
        .events
        .iter()
        .filter(|e| e.starts_with("record"))
        .count();
    assert_eq!((records, service.creates), (1, 2), "{:?}", service.events);

    // Untagged and never arrived: nothing started, and the journal says so.
    let mut service = Service::new(vec![Ok(page(&[]))], vec![Err(transport(Delivery::NotSent))]);
    service.drive(flow(None).journaled(42));
    assert_eq!(
        service.events.last().map(String::as_str),
        Some(format!("settle {ID} NothingStarted").as_str())
    );
}

#[test]
fn a_flow_not_journaled_never_asks_to_record() {
    let mut service = Service::new(vec![Ok(page(&[]))], vec![named("2")]);
    service.drive(flow(None));
    assert_eq!(service.events, ["list", "create"]);
}
