//! The simulated service: lifecycle under the simulated clock, validation,
//! state rules, paging and filters — parsed with wsc-core's own parsers.

mod common;

use std::time::Duration;

use common::{call, parsed};
use wsc_core::error::ServiceErrorKind;
use wsc_core::sans_io::{CancelJob, GetReport, StopJob};
use wsc_core::{CreateJob, ListJobs, SearchBy, SearchJobs, Speed};
use wsc_core::{Error, InstanceId, JobStatus, Limit, PageNumber};
use wsc_mock::{CreateResponse, Findings, Language, MockConfig, MockServer, Phase, PreloadJob};

fn server(config: MockConfig) -> MockServer {
    MockServer::start(config).unwrap()
}

fn status_of(s: &MockServer, id: InstanceId) -> JobStatus {
    let page = parsed(
        s,
        &ListJobs::new(Limit::new(100).unwrap(), PageNumber::FIRST),
    )
    .unwrap();
    page.records
        .iter()
        .find(|r| r.instance_no == id)
        .map(|r| r.status())
        .expect("job listed")
}

fn is_901(result: Result<(), Error>) -> bool {
    matches!(result, Err(Error::Service(ref e)) if e.kind() == ServiceErrorKind::ApiCallFail)
}

#[test]
fn a_created_job_walks_the_whole_lifecycle() {
    let s = server(MockConfig {
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    });
    let created = parsed(
        &s,
        &CreateJob::builder("https://www.example.com")
            .memo("life")
            .build()
            .unwrap(),
    )
    .unwrap();
    let id = created.instance_no.expect("WithId answers with the id");
    let mut seen = vec![status_of(&s, id)];
    for _ in 0..30 {
        s.advance(Duration::from_secs(1));
        let st = status_of(&s, id);
        if seen.last() != Some(&st) {
            seen.push(st);
        }
    }
    assert_eq!(
        seen,
        [
            JobStatus::UrlCollectionPending,
            JobStatus::UrlCollecting,
            JobStatus::UrlCollected,
            JobStatus::DiagnosisPending,
            JobStatus::DiagnosisRunning,
            JobStatus::Completed
        ]
    );
    let report = parsed(&s, &GetReport::new(id)).unwrap();
    assert!(report.risk_counts().is_some());
    assert_eq!(report.text("Memo").as_deref(), Some("life"));
}

#[test]
fn progress_and_counts_change_with_the_wire_quirks() {
    let s = server(MockConfig {
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    });
    let id = parsed(
        &s,
        &CreateJob::builder("https://www.example.com")
            .build()
            .unwrap(),
    )
    .unwrap()
    .instance_no
    .unwrap();
    let record = |s: &MockServer| {
        let raw = call(s, &ListJobs::default()).unwrap().json();
        raw["resources"]["record_data"][0].clone()
    };
    let r = record(&s);
    assert_eq!(r["instanceNo"], id.to_string());
    assert_eq!(r["crawl_cnt"], "");
    assert!(r["progress"].is_null());
    s.advance(Duration::from_secs(16)); // diagnosing
    let r = record(&s);
    assert!(r["progress"].is_u64(), "{r}");
    assert_ne!(r["crawl_cnt"], "");
    assert_eq!(r["result_button"], "terminate");
    s.advance(Duration::from_secs(30));
    let r = record(&s);
    assert_eq!(r["progress"], "100");
    assert_eq!(r["result_button"], "report");
    assert_eq!(r["status"], "진단 완료");
}

#[test]
fn failing_targets_fail_and_clean_targets_have_no_findings() {
    let s = server(MockConfig {
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    });
    let create = |url: &str| {
        parsed(&s, &CreateJob::builder(url).build().unwrap())
            .unwrap()
            .instance_no
            .unwrap()
    };
    let (unreachable, failing, clean) = (
        create("https://unreachable.example"),
        create("https://fail.example"),
        create("https://clean.example"),
    );
    s.advance(Duration::from_secs(60));
    assert_eq!(status_of(&s, unreachable), JobStatus::UrlCollectionFailed);
    assert_eq!(status_of(&s, failing), JobStatus::Failed);
    let report = parsed(&s, &GetReport::new(clean)).unwrap();
    assert_eq!(report.risk_counts().unwrap().total, 0);
}

#[test]
fn create_is_validated_like_the_real_service() {
    let s = server(MockConfig::default());
    let put = |body: serde_json::Value| {
        let endpoint = wsc_core::Endpoint::parse(s.base_url()).unwrap();
        let mut req = wsc_core::sans_io::build_request(
            &CreateJob::builder("https://a.example").build().unwrap(),
            &endpoint,
            &s.credentials(),
            wsc_core::sans_io::TimestampMs::from_system_time(std::time::SystemTime::now()),
        )
        .unwrap();
        *req.body_mut() = serde_json::to_vec(&body).unwrap();
        common::send(s.addr(), &req).unwrap()
    };
    let good = serde_json::json!({"StartUrl": "https://a.example", "ExcludeUrl": [], "VulnItems": ["ALL"], "UserAgent": "PC Chrome", "Speed": "1"});
    assert_eq!(put(good.clone()).status, 200);
    for (key, value) in [
        ("StartUrl", serde_json::json!(null)),
        ("VulnItems", serde_json::json!([])),
        ("UserAgent", serde_json::json!("Firefox")),
        ("Speed", serde_json::json!(1)),
        ("Speed", serde_json::json!("4")),
        ("MasterInstanceNo", serde_json::json!("999")),
    ] {
        let mut body = good.clone();
        body[key] = value;
        let raw = put(body);
        assert_eq!(raw.json()["error"]["errorCode"], 901, "{key}");
    }
    let reasons: Vec<_> = s
        .requests()
        .into_iter()
        .filter_map(|r| r.rejection)
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("UserAgent")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("not a completed job")),
        "{reasons:?}"
    );
}

#[test]
fn rescan_of_a_completed_job_is_accepted() {
    let s = server(MockConfig::default());
    let done = s
        .preload(PreloadJob {
            start_url: "https://a.example".into(),
            memo: String::new(),
            held: Some(Phase::Completed),
            findings: Findings::default(),
        })
        .unwrap();
    let job = CreateJob::builder("https://a.example")
        .speed(Speed::Fast)
        .rescan_of(done)
        .build()
        .unwrap();
    assert!(parsed(&s, &job).is_ok());
}

#[test]
fn cancel_only_while_pending_and_stop_only_while_running() {
    let s = server(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    });
    let ids = s.job_ids();
    let find = |phase| {
        ids.iter()
            .copied()
            .find(|id| s.phase(*id) == Some(phase))
            .unwrap()
    };
    let (reserved, running, completed) = (
        find(Phase::Reserved),
        find(Phase::Diagnosing),
        find(Phase::Completed),
    );

    assert!(is_901(parsed(&s, &StopJob::new(reserved))));
    assert!(is_901(parsed(&s, &CancelJob::new(running))));
    assert!(is_901(parsed(&s, &CancelJob::new(completed))));
    assert!(is_901(parsed(
        &s,
        &StopJob::new(InstanceId::new(42).unwrap())
    )));

    assert_eq!(parsed(&s, &CancelJob::new(reserved)), Ok(()));
    assert_eq!(status_of(&s, reserved), JobStatus::Cancelled);
    assert!(
        is_901(parsed(&s, &CancelJob::new(reserved))),
        "a second cancel is refused"
    );

    assert_eq!(parsed(&s, &StopJob::new(running)), Ok(()));
    assert_eq!(status_of(&s, running), JobStatus::Stopping);
    s.advance(Duration::from_secs(5));
    assert_eq!(status_of(&s, running), JobStatus::Stopped);
}

#[test]
fn reports_only_for_completed_jobs() {
    let s = server(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    });
    let ids = s.job_ids();
    for id in ids {
        let result = parsed(&s, &GetReport::new(id));
        assert_eq!(
            result.is_ok(),
            s.phase(id) == Some(Phase::Completed),
            "{id}: {result:?}"
        );
    }
}

#[test]
fn paging_in_ten_page_blocks_with_string_totals_tolerated() {
    let s = server(MockConfig::default());
    for i in 0..23 {
        s.preload(PreloadJob {
            start_url: format!("https://s{i}.example"),
            memo: format!("m{i}"),
            held: Some(Phase::Completed),
            findings: Findings::default(),
        });
    }
    let limit = Limit::new(2).unwrap();
    let page = |n| parsed(&s, &ListJobs::new(limit, PageNumber::new(n).unwrap())).unwrap();
    let p1 = page(1);
    assert_eq!(
        (
            p1.total_count,
            p1.total_pages,
            p1.block_start_page,
            p1.block_end_page
        ),
        (Some(23), Some(12), Some(1), Some(10))
    );
    let p11 = page(11);
    assert_eq!(
        (p11.block_start_page, p11.block_end_page),
        (Some(11), Some(12))
    );
    assert_eq!(page(12).records.len(), 1);
    assert!(page(13).records.is_empty());
    // Walking every page yields every job exactly once.
    let mut all = std::collections::HashSet::new();
    for n in 1..=12 {
        for record in page(n).records {
            assert!(
                all.insert(record.instance_no),
                "{} twice",
                record.instance_no
            );
        }
    }
    assert_eq!(all.len(), 23);
}

#[test]
fn search_filters_by_url_memo_and_status() {
    let s = server(MockConfig {
        preload_demo_jobs: true,
        language: Language::Japanese,
        ..MockConfig::default()
    });
    let search = |by, status| {
        parsed(
            &s,
            &SearchJobs::new(by, status, Limit::default(), PageNumber::FIRST).unwrap(),
        )
        .unwrap()
    };
    let by_url = search(SearchBy::Url("shop.example".into()), None);
    assert_eq!(by_url.records.len(), 1);
    assert_eq!(by_url.records[0].status_label, "診断完了");
    assert_eq!(
        search(SearchBy::Memo("nightly".into()), None).records.len(),
        1
    );
    let completed = search(SearchBy::All, JobStatus::Completed.code());
    assert_eq!(completed.records.len(), 2);
    assert!(
        completed
            .records
            .iter()
            .all(|r| r.status() == JobStatus::Completed)
    );
    assert_eq!(search(SearchBy::All, None).records.len(), 5);
}

#[test]
fn seeded_findings_are_deterministic() {
    let run = || {
        let s = server(MockConfig {
            seed: 99,
            create_response: CreateResponse::WithId,
            ..MockConfig::default()
        });
        let id = parsed(
            &s,
            &CreateJob::builder("https://d.example").build().unwrap(),
        )
        .unwrap()
        .instance_no
        .unwrap();
        s.advance(Duration::from_secs(60));
        parsed(&s, &GetReport::new(id)).unwrap().risk_counts()
    };
    assert_eq!(run(), run());
}

/// The raw record of `id` from getJobs.
fn raw_record(s: &MockServer, id: InstanceId) -> serde_json::Value {
    let raw = call(
        s,
        &ListJobs::new(Limit::new(100).unwrap(), PageNumber::FIRST),
    )
    .unwrap()
    .json();
    raw["resources"]["record_data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["instanceNo"] == id.to_string())
        .cloned()
        .expect("job listed")
}

fn create_with_id(s: &MockServer, url: &str) -> InstanceId {
    parsed(s, &CreateJob::builder(url).build().unwrap())
        .unwrap()
        .instance_no
        .unwrap()
}

#[test]
fn an_ended_jobs_dates_and_report_stay_fixed() {
    let s = server(MockConfig {
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    });
    let id = create_with_id(&s, "https://www.example.com");
    s.advance(Duration::from_secs(25));
    let record = raw_record(&s, id);
    let end = record["end_date"].as_str().unwrap().to_owned();
    assert!(!end.is_empty(), "{record}");
    assert!(record["start_date"].as_str().unwrap() < end.as_str());
    let report = call(&s, &GetReport::new(id)).unwrap().json()["resources"].clone();
    // The scan ended when the job did.
    let scan_time = report["Scan_Time"].as_str().unwrap().to_owned();
    assert!(
        scan_time.ends_with(&format!("~ {}", end.replace('-', "/"))),
        "{scan_time} vs {end}"
    );
    for hours in [1, 24] {
        s.advance(Duration::from_secs(3600 * hours));
        assert_eq!(raw_record(&s, id)["end_date"], end.as_str());
        let later = call(&s, &GetReport::new(id)).unwrap().json()["resources"].clone();
        assert_eq!(later, report, "the report does not move with the clock");
    }
}

#[test]
fn preloaded_finished_jobs_ended_before_now() {
    let s = server(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    });
    let completed = s
        .job_ids()
        .into_iter()
        .find(|id| s.phase(*id) == Some(Phase::Completed))
        .unwrap();
    let record = raw_record(&s, completed);
    let (start, end) = (
        record["start_date"].as_str().unwrap().to_owned(),
        record["end_date"].as_str().unwrap().to_owned(),
    );
    assert!(start < end, "{record}");
    s.advance(Duration::from_secs(600));
    assert_eq!(raw_record(&s, completed)["end_date"], end.as_str());
}

#[test]
fn cancel_ends_the_job_once() {
    let s = server(MockConfig::default());
    let id = s
        .preload(PreloadJob {
            start_url: "https://r.example".into(),
            memo: String::new(),
            held: Some(Phase::Reserved),
            findings: Findings::default(),
        })
        .unwrap();
    assert_eq!(raw_record(&s, id)["end_date"], "");
    s.advance(Duration::from_secs(5));
    assert!(parsed(&s, &CancelJob::new(id)).is_ok());
    let end = raw_record(&s, id)["end_date"].as_str().unwrap().to_owned();
    assert!(!end.is_empty());
    s.advance(Duration::from_secs(3600));
    assert_eq!(raw_record(&s, id)["end_date"], end.as_str());
}

#[test]
fn stop_keeps_the_counts_it_had_and_its_end_date() {
    let s = server(MockConfig {
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    });
    // One job stopped while diagnosing, one while collecting URLs.
    let diagnosing = create_with_id(&s, "https://diagnosing.example");
    s.advance(Duration::from_secs(14));
    let collecting = create_with_id(&s, "https://collecting.example");
    s.advance(Duration::from_secs(4));
    let ids = [collecting, diagnosing];
    let before = ids.map(|id| raw_record(&s, id));
    for (id, before) in ids.iter().zip(&before) {
        assert!(
            !before["crawl_cnt"].as_str().unwrap().is_empty(),
            "{before}"
        );
        assert!(parsed(&s, &StopJob::new(*id)).is_ok(), "{before}");
    }
    s.advance(Duration::from_secs(1));
    let stopped = ids.map(|id| raw_record(&s, id));
    s.advance(Duration::from_secs(600));
    let later = ids.map(|id| raw_record(&s, id));
    for i in 0..2 {
        let (before, stopped, later) = (&before[i], &stopped[i], &later[i]);
        assert_eq!(stopped["crawl_cnt"], before["crawl_cnt"], "{before}");
        assert_eq!(stopped["scan_cnt"], before["scan_cnt"], "{before}");
        assert_ne!(stopped["end_date"], "", "{stopped}");
        assert_eq!(later, stopped, "nothing moves once stopped");
    }
    assert_eq!(s.phase(diagnosing), Some(Phase::Stopped));
}
