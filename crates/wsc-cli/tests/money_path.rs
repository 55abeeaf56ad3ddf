//! The billed createJob and the client's limits, end to end: a lost reply is
//! never an invitation to pay twice, signals say what may have started, and
//! paging, waiting, DNS and TLS fail in bounded, honest ways.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{json, run, world, world_with};
use wsc_core::sans_io::OperationKind;
use wsc_mock::{Fault, Findings, LostReply, MockConfig, PreloadJob, Route, When};

fn creates(w: &support::World) -> usize {
    w.server.served(OperationKind::CreateJob)
}

#[test]
fn every_lost_create_reply_is_found_by_listing_not_retried() {
    for lost in LostReply::ALL {
        if lost == LostReply::NeverAnswer {
            continue; // covered below with a short timeout
        }
        let w = world();
        w.server.inject(
            Route::Op(OperationKind::CreateJob),
            When::Next(1),
            Fault::ActedThen(lost),
        );
        let (code, out, err) = run(w.wsc().args([
            "create",
            "--url",
            "https://www.example.com",
            "--memo",
            "m",
            "--yes",
            "-o",
            "json",
        ]));
        assert_eq!(code, 0, "{lost:?}: {err}");
        let v = json(&out);
        assert_eq!(v["id"], w.server.job_ids()[0].get(), "{lost:?}: {out}");
        assert_eq!(v["id_source"], "tag", "{lost:?}");
        assert!(
            v["warning"].as_str().unwrap_or_default().contains("lost"),
            "{lost:?}: {out}"
        );
        assert!(!err.to_lowercase().contains("try again"), "{lost:?}: {err}");
        assert_eq!(creates(&w), 1, "{lost:?}");
    }
}

/// Starts `wsc create` for https://twin.example (memo "n") while createJob
/// is held by `fault`, then starts another user's identical scan once
/// createJob has arrived; returns the twin's id and the run's output.
fn create_beside_a_twin(
    w: &support::World,
    fault: Fault,
    extra: &[&str],
) -> (String, (i32, String, String)) {
    w.server
        .inject(Route::Op(OperationKind::CreateJob), When::Next(1), fault);
    let child = w
        .std_wsc()
        .args([
            "create",
            "--url",
            "https://twin.example",
            "--memo",
            "n",
            "--yes",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while creates(w) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let twin = w
        .server
        .preload(PreloadJob {
            start_url: "https://twin.example".into(),
            memo: "n".into(),
            held: None,
            findings: Findings::default(),
        })
        .unwrap()
        .to_string();
    (twin, support::check(child.wait_with_output().unwrap()))
}

#[test]
fn a_lost_reply_beside_another_users_identical_scan_names_ours_by_its_tag() {
    let w = world();
    let (twin, (code, out, err)) = create_beside_a_twin(
        &w,
        Fault::ActedThen(LostReply::NeverAnswer),
        &["--timeout", "2", "-o", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["id_source"], "tag", "{out}");
    assert_ne!(
        v["id"].to_string(),
        twin,
        "the other user's scan was named: {out}"
    );
    let ours = w
        .server
        .job_ids()
        .iter()
        .map(|id| id.to_string())
        .find(|id| *id != twin);
    assert_eq!(Some(v["id"].to_string()), ours, "{out}");
    assert_eq!(creates(&w), 1);
}

#[test]
fn an_untagged_create_that_cannot_be_identified_says_what_may_exist_and_never_try_again() {
    let w = world();
    // --no-tag: the reply never comes, and a twin scan starts meanwhile.
    let (_, (code, _, err)) = create_beside_a_twin(
        &w,
        Fault::ActedThen(LostReply::NeverAnswer),
        &["--timeout", "2", "--no-tag"],
    );
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("may have started"), "{err}");
    assert!(err.contains("wsc recover"), "{err}");
    assert!(
        err.contains("wsc search --url 'https://twin.example'"),
        "{err}"
    );
    assert!(!err.to_lowercase().contains("try again"), "{err}");
    assert_eq!(creates(&w), 1);
}

#[test]
fn a_throttled_create_is_sent_again_only_after_a_listing_shows_no_job() {
    let w = world();
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::TooManyRequests {
            code: 410,
            retry_after: None,
        },
    );
    let (code, out, err) = run(w.wsc().args([
        "create",
        "--url",
        "https://www.example.com",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["id_source"], "tag", "{out}");
    // The order of calls: list (before), create (429), list (the proof), create.
    let ops: Vec<_> = w
        .server
        .requests()
        .iter()
        .filter_map(|r| r.operation)
        .collect();
    let sent = ops
        .iter()
        .filter(|op| **op == OperationKind::CreateJob)
        .count();
    assert_eq!(sent, 2, "sent again after the proof: {ops:?}");
    let second_create = ops
        .iter()
        .rposition(|op| *op == OperationKind::CreateJob)
        .unwrap();
    let first_create = ops
        .iter()
        .position(|op| *op == OperationKind::CreateJob)
        .unwrap();
    assert!(
        ops[first_create + 1..second_create].contains(&OperationKind::ListJobs),
        "no listing between the two creates: {ops:?}"
    );
    assert_eq!(
        w.server.job_ids().len(),
        6,
        "one job more than the demo's five"
    );
}

#[test]
fn a_429_after_the_service_acted_is_not_followed_by_a_second_create() {
    for tagged in [true, false] {
        let w = world();
        w.server.inject(
            Route::Op(OperationKind::CreateJob),
            When::Next(1),
            Fault::ActedThen(LostReply::Throttled),
        );
        let mut cmd = w.wsc();
        cmd.args([
            "create",
            "--url",
            "https://www.example.com",
            "--yes",
            "-o",
            "json",
        ]);
        if !tagged {
            cmd.arg("--no-tag");
        }
        let (code, out, err) = run(&mut cmd);
        let sent = w
            .server
            .requests()
            .iter()
            .filter(|r| r.operation == Some(OperationKind::CreateJob))
            .count();
        assert_eq!(sent, 1, "tagged={tagged}: a second create was sent");
        if tagged {
            // The proof listing shows the tagged job: it is the result.
            assert_eq!(code, 0, "{err}");
            let v = json(&out);
            assert_eq!(v["id"], w.server.job_ids()[0].get(), "{out}");
            assert_eq!(v["id_source"], "tag", "{out}");
        } else {
            // Without a tag nothing is re-sent, and the refusal is reported.
            assert_ne!(code, 0, "{out}");
        }
    }
}

#[test]
fn a_job_the_service_lists_late_is_still_found_by_its_tag() {
    let w = support::world_with(MockConfig {
        preload_demo_jobs: true,
        listing_delay: Duration::from_secs(3),
        ..MockConfig::default()
    });
    let (code, out, err) = run(w.wsc().args([
        "create",
        "--url",
        "https://late.example",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["id_source"], "tag", "{out}");
    assert_eq!(v["id"], w.server.job_ids()[0].get(), "{out}");
    assert_eq!(creates(&w), 1);
    let listings = w.server.served(OperationKind::ListJobs);
    assert!(
        listings >= 3,
        "listed again until the job appeared: {listings}"
    );
}

#[test]
fn two_parallel_creates_with_lost_replies_name_two_different_jobs() {
    let w = world();
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(2),
        Fault::ActedThen(LostReply::Reset),
    );
    let spawn = || {
        w.std_wsc()
            .args([
                "create",
                "--url",
                "https://same.example",
                "--memo",
                "nightly",
                "--yes",
                "-o",
                "json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let mut ids = Vec::new();
    for child in [a, b] {
        let (code, out, err) = support::check(child.wait_with_output().unwrap());
        assert_eq!(code, 0, "{err}");
        let v = json(&out);
        assert_eq!(v["id_source"], "tag", "{out}");
        ids.push(v["id"].as_u64().unwrap());
    }
    assert_ne!(ids[0], ids[1], "both runs named one job");
    assert_eq!(creates(&w), 2);
}

#[test]
fn a_failed_listing_before_create_says_create_was_not_sent() {
    let w = world();
    // Every getJobs reply is garbage: the listing taken before createJob fails.
    w.server.inject(
        Route::Op(OperationKind::ListJobs),
        When::Always,
        Fault::Garbage,
    );
    let (code, _, err) = run(w
        .wsc()
        .args(["create", "--url", "https://www.example.com", "--yes"]));
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("no scan was started: createJob was not sent: listing the jobs"),
        "{err}"
    );
    assert_eq!(creates(&w), 0);
}

#[test]
fn a_create_the_service_refuses_is_not_a_lost_reply() {
    let w = world();
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Always,
        Fault::ServiceUnavailable { status: 400 },
    );
    let (code, _, err) = run(w
        .wsc()
        .args(["create", "--url", "https://www.example.com", "--yes"]));
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("no scan was started"), "{err}");
    assert!(
        err.contains("901") && err.contains("the scan was refused"),
        "{err}"
    );
    assert!(
        !err.contains("lost") && !err.contains("may have started"),
        "{err}"
    );
    // One listing before the call; after the refusal the listings confirm no
    // matching job appeared before "no scan was started" is said.
    assert_eq!(w.server.served(OperationKind::ListJobs), 4);
    assert_eq!(creates(&w), 1);
}

#[test]
fn a_reply_without_an_id_beside_a_twin_is_exact_with_a_tag_and_unknown_without() {
    for tagged in [true, false] {
        let w = world();
        // The reply comes (without an id, as documented) after a twin scan of
        // the same target and memo has started.
        let extra: &[&str] = if tagged {
            &["-o", "json"]
        } else {
            &["-o", "json", "--no-tag"]
        };
        let (twin, (code, out, err)) =
            create_beside_a_twin(&w, Fault::SlowHeaders(Duration::from_secs(3)), extra);
        assert_eq!(code, 0, "{err}");
        let v = json(&out);
        assert_eq!(v["created"], true, "{out}");
        if tagged {
            assert_eq!(v["id_source"], "tag", "{out}");
            assert_ne!(v["id"].to_string(), twin, "{out}");
        } else {
            assert!(v["id"].is_null() && v["id_source"].is_null(), "{out}");
            assert!(
                v["warning"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("2 new jobs match"),
                "{out}"
            );
        }
        assert!(!err.to_lowercase().contains("try again"), "{err}");
        assert_eq!(creates(&w), 1);
    }
}

#[test]
fn sigterm_during_create_says_the_scan_may_have_started() {
    let w = world();
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::ActedThen(LostReply::NeverAnswer),
    );
    let child = w
        .std_wsc()
        .args(["create", "--url", "https://sig.example", "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while creates(&w) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let (code, _, err) = support::check(child.wait_with_output().unwrap());
    assert_eq!(code, 143, "{err}");
    assert!(err.contains("may have started"), "{err}");
    assert!(
        err.contains("wsc search --url 'https://sig.example'"),
        "{err}"
    );
}

#[test]
fn sighup_during_create_is_like_sigterm_and_saves_the_recording() {
    let w = world();
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::ActedThen(LostReply::NeverAnswer),
    );
    let cassette = w.home.path().join("rec.json");
    let child = w
        .std_wsc()
        .args([
            "create",
            "--url",
            "https://hup.example",
            "--yes",
            "--record",
        ])
        .arg(&cassette)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while creates(&w) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let (code, _, err) = support::check(child.wait_with_output().unwrap());
    assert_eq!(code, 129, "{err}");
    assert!(
        err.contains("may have started") && err.contains("wsc recover"),
        "{err}"
    );
    let recorded = std::fs::read_to_string(&cassette).expect("the recording was saved");
    assert!(recorded.contains("/api/v1/jobs"), "{recorded}");
}

#[test]
fn wait_ends_at_its_deadline_even_while_a_poll_hangs() {
    let w = world();
    let id = w.id_with_phase(wsc_mock::Phase::Diagnosing);
    w.server
        .inject(Route::Any, When::Always, Fault::NeverAnswer);
    let started = Instant::now();
    let (code, _, err) = run(w
        .wsc()
        .args(["wait", &id, "--wait-timeout", "2", "--interval", "1"]));
    assert_eq!(code, 3, "{err}");
    // The default per-request timeout is 30 s: the deadline cut the poll short.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_failed_lookup_is_reported_as_never_sent() {
    let w = world();
    let (code, _, err) = run(w
        .wsc()
        .env("WSC_ENDPOINT", "https://nosuchhost.invalid")
        .args(["list"]));
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("not sent"), "{err}");
    assert!(!err.contains("may have reached"), "{err}");
    assert!(!err.contains("--timeout"), "{err}");
}

/// A server that answers every page with 100 new records and claims a
/// million pages; returns its address and a request counter.
fn page_inventing_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten().take(2_000) {
            let n = seen.fetch_add(1, Ordering::SeqCst) as u64;
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
                line.clear();
            }
            let records: Vec<_> = (0..100)
                .map(|i| serde_json::json!({"instanceNo": (1_000_000 + n * 100 + i).to_string(), "status": "진단 완료"}))
                .collect();
            let body = serde_json::json!({"returnCode": "0", "resources": {"total_cnt": 100_000_000, "total_page_cnt": 1_000_000, "record_data": records}}).to_string();
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.read(&mut [0u8; 1]);
        }
    });
    (format!("http://{addr}"), count)
}

#[test]
fn paging_is_bounded_against_a_server_that_invents_pages() {
    let w = world_with(MockConfig::default());
    let (endpoint, count) = page_inventing_server();
    let (code, out, err) = run(w
        .wsc()
        .env("WSC_ENDPOINT", &endpoint)
        .args(["list", "--all", "--limit", "100", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["truncated"], true, "{out:.300}");
    assert_eq!(v["jobs"].as_array().map(Vec::len), Some(10_000));
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 100);
    assert!(err.contains("incomplete"), "{err}");
}

#[test]
fn get_against_a_server_that_invents_pages_does_not_claim_not_found() {
    let w = world_with(MockConfig::default());
    let (endpoint, count) = page_inventing_server();
    let (code, _, err) = run(w.wsc().env("WSC_ENDPOINT", &endpoint).args(["get", "999"]));
    assert_eq!(code, 5, "{err}");
    assert!(!err.contains("not found"), "{err}");
    assert!(err.contains("its absence proves nothing"), "{err}");
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 100);
}

#[test]
fn https_works_with_a_ca_bundle_and_is_refused_without() {
    let w = world_with(MockConfig {
        tls: true,
        preload_demo_jobs: true,
        ..MockConfig::default()
    });
    let ca = w.home.path().join("ca.pem");
    std::fs::write(&ca, w.server.ca_pem().unwrap()).unwrap();
    let (code, out, err) = run(w
        .wsc()
        .args(["list", "--ca-bundle"])
        .arg(&ca)
        .args(["-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["jobs"].as_array().map(Vec::len), Some(5));
    let (code, _, err) = run(w.wsc().env("WSC_CA_BUNDLE", &ca).args(["list"]));
    assert_eq!(code, 0, "{err}");
    let before = w.server.requests().len();
    let (code, _, err) = run(w.wsc().args(["list"]));
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("TLS"), "{err}");
    assert_eq!(
        w.server.requests().len(),
        before,
        "nothing sent, nothing retried"
    );
}
