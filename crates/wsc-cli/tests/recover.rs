//! The journal of billed creates and `wsc recover`: a create is journaled
//! before it is sent, and its job is named afterwards even when the process
//! that sent it was killed.

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{json, run, world};
use wsc_core::sans_io::OperationKind;
use wsc_mock::{Fault, LostReply, Route, When};

fn sent_creates(w: &support::World) -> usize {
    w.server
        .requests()
        .iter()
        .filter(|r| r.operation == Some(OperationKind::CreateJob))
        .count()
}

/// Appends `line` to the journal by hand (a create written by another run).
fn append_to_journal(w: &support::World, line: &serde_json::Value) {
    let path = w.home.path().join(".local/state/wsc/creates.jsonl");
    let mut text = journal(w);
    text.push_str(&format!("{line}\n"));
    std::fs::write(&path, text).unwrap();
}

fn journal(w: &support::World) -> String {
    std::fs::read_to_string(w.home.path().join(".local/state/wsc/creates.jsonl"))
        .unwrap_or_default()
}

#[test]
fn after_kill_9_recover_names_the_job_by_its_tag() {
    let w = world();
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::ActedThen(LostReply::NeverAnswer),
    );
    let mut child = w
        .std_wsc()
        .args([
            "create",
            "--url",
            "https://kill.example",
            "--memo",
            "nightly",
            "--yes",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while w.server.served(OperationKind::CreateJob) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: nothing runs after it
    child.wait().unwrap();
    let line: serde_json::Value = json(
        journal(&w)
            .lines()
            .next()
            .expect("journaled before sending"),
    );
    assert_eq!(line["target"], "https://kill.example");
    assert!(line["id"].is_null(), "{line}");
    let tag = line["tag"].as_str().unwrap().to_owned();

    let (code, out, err) = run(w.wsc().args(["recover", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    let found = json(&out);
    let job = w.server.job_ids()[0].get();
    assert_eq!(found[0]["state"], "found", "{out}");
    assert_eq!(found[0]["id"], job, "{out}");
    assert_eq!(found[0]["tag"], tag.as_str());
    assert_eq!(found[0]["memo"], "nightly");
    assert!(
        found[0]["sent_at"].as_str().unwrap().ends_with('Z'),
        "{out}"
    );
    // Found entries are done: nothing is pending any more.
    let (code, out, _) = run(w.wsc().args(["recover", "-o", "json"]));
    assert_eq!(code, 0);
    assert_eq!(json(&out), serde_json::json!([]));
    let (_, table, _) = run(w.wsc().arg("recover"));
    assert!(table.contains("no create is waiting"), "{table}");
    assert_eq!(sent_creates(&w), 1, "recover never creates");
}

#[test]
fn a_named_job_is_recorded_and_a_job_not_listed_stays_pending() {
    let w = world();
    let (code, out, err) = run(w.wsc().args([
        "create",
        "--url",
        "https://ok.example",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let id = json(&out)["id"].clone();
    let last: serde_json::Value = json(journal(&w).lines().last().unwrap());
    assert_eq!(last["id"], id, "the journal records the job");
    // A create the service never saw (written by hand): not found, kept.
    let lost = serde_json::json!({
        "target": "https://never.example", "memo": null, "tag": "[wsc:0badf00d]",
        "endpoint": w.server.base_url(), "profile": "default",
        "sent_at": "2026-12-05T01:00:00Z", "id": null,
    });
    append_to_journal(&w, &lost);
    for _ in 0..2 {
        let (code, out, err) = run(w.wsc().args(["recover", "-o", "json"]));
        assert_eq!(code, 0, "{err}");
        let v = json(&out);
        assert_eq!(v.as_array().map(Vec::len), Some(1), "{out}");
        assert_eq!(v[0]["state"], "not_found");
        assert!(v[0]["id"].is_null());
    }
}

#[test]
fn no_journal_no_billed_call() {
    let w = world();
    // The state directory is a file: the journal cannot be written.
    let blocker = w.home.path().join("state-is-a-file");
    std::fs::write(&blocker, "").unwrap();
    let (code, _, err) = run(w.wsc().env("XDG_STATE_HOME", &blocker).args([
        "create",
        "--url",
        "https://x.example",
        "--yes",
    ]));
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains("no scan was started") && err.contains("journal"),
        "{err}"
    );
    assert_eq!(
        sent_creates(&w),
        0,
        "createJob was sent without a journal entry"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_journal_is_never_written_through() {
    let w = world();
    let dir = w.home.path().join(".local/state/wsc");
    std::fs::create_dir_all(&dir).unwrap();
    let target = w.home.path().join("victim");
    std::fs::write(&target, "keep").unwrap();
    std::os::unix::fs::symlink(&target, dir.join("creates.jsonl")).unwrap();
    let (code, _, err) = run(w
        .wsc()
        .args(["create", "--url", "https://x.example", "--yes"]));
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    assert_eq!(sent_creates(&w), 0);
}

#[test]
fn creates_for_another_endpoint_are_not_checked_here() {
    let w = world();
    let other = serde_json::json!({
        "target": "https://o.example", "memo": null, "tag": "[wsc:00000001]",
        "endpoint": "https://elsewhere.example", "profile": "default",
        "sent_at": "2026-12-05T01:00:00Z", "id": null,
    });
    let dir = w.home.path().join(".local/state/wsc");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("creates.jsonl"), format!("{other}\n")).unwrap();
    let (code, out, err) = run(w.wsc().args(["recover", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out), serde_json::json!([]));
    assert!(err.contains("other endpoints"), "{err}");
}

#[test]
fn a_create_that_started_nothing_is_not_left_to_recover() {
    let w = world();
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Always,
        Fault::ServiceUnavailable { status: 400 },
    );
    let (code, _, err) = run(w
        .wsc()
        .args(["create", "--url", "https://no.example", "--yes"]));
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("no scan was started"), "{err}");
    let last: serde_json::Value = json(journal(&w).lines().last().unwrap());
    assert_eq!(last["state"], "not_started", "{last}");
    let (code, out, err) = run(w.wsc().args(["recover", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out), serde_json::json!([]));
}

/// Every create in the journal, with its latest line (what `wsc recover` reads).
fn creates(w: &support::World) -> Vec<serde_json::Value> {
    let mut latest: Vec<serde_json::Value> = Vec::new();
    for line in journal(w).lines() {
        let v = json(line);
        match latest.iter_mut().find(|e| e["create_id"] == v["create_id"]) {
            Some(known) => *known = v,
            None => latest.push(v),
        }
    }
    latest
}

#[test]
fn two_untagged_creates_of_one_target_are_two_and_each_gets_its_own_job() {
    let w = world();
    let demo_jobs = w.server.job_ids();
    // The first create's reply never comes; the process is killed.
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::ActedThen(LostReply::NeverAnswer),
    );
    let args = [
        "create",
        "--url",
        "https://twin.example",
        "--no-tag",
        "--yes",
    ];
    let mut child = w
        .std_wsc()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while w.server.served(OperationKind::CreateJob) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The same create again at once (the same second, as a retrying script
    // would): answered, and named.
    let (code, out, err) = run(w.wsc().args(args).args(["-o", "json"]));
    assert_eq!(code, 0, "{err}");
    let second = json(&out)["id"].as_u64().unwrap();
    let journaled = creates(&w);
    assert_eq!(
        journaled.len(),
        2,
        "two creates, two identities: {journaled:?}"
    );
    assert_ne!(journaled[0]["create_id"], journaled[1]["create_id"]);
    assert!(journaled[0]["id"].is_null() && journaled[1]["id"] == second);

    // recover names the first create's job: the other job is the second's.
    let (code, out, err) = run(w.wsc().args(["recover", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    let found = json(&out);
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{out}");
    assert_eq!(found[0]["state"], "found", "{out}");
    let first = found[0]["id"].as_u64().unwrap();
    assert_ne!(
        first, second,
        "a job another create holds is never named again"
    );
    let mut jobs: Vec<u64> = w
        .server
        .job_ids()
        .iter()
        .filter(|j| !demo_jobs.contains(j))
        .map(|j| j.get())
        .collect();
    jobs.sort_unstable();
    let mut named = vec![first, second];
    named.sort_unstable();
    assert_eq!(jobs, named, "both billed jobs are accounted for");
}

#[test]
fn recover_checks_this_profiles_creates_and_never_names_a_claimed_job() {
    let w = world();
    let (code, out, err) = run(w.wsc().args([
        "create",
        "--url",
        "https://p.example",
        "--no-tag",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let job = json(&out)["id"].clone();
    let named = creates(&w).pop().unwrap();
    assert_eq!(named["id"], job);
    // A create of the same target, at the same time, under profile `ci` of
    // this endpoint, that never learned its job.
    let mut other = named.clone();
    other["create_id"] = "00000000000000ci".into();
    other["profile"] = "ci".into();
    other["id"] = serde_json::Value::Null;
    append_to_journal(&w, &other);

    // Under the default profile: not checked, and said so.
    let (code, out, err) = run(w.wsc().args(["recover", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out), serde_json::json!([]));
    assert!(
        err.contains("other profiles") && err.contains("ci"),
        "{err}"
    );
    // Under `ci` (the same account): the only matching job is the default
    // profile's create's.
    w.write_config(&format!(
        "[ci]\nncloud_access_key_id = {}\nncloud_secret_access_key = {}\n",
        support::ACCESS,
        support::SECRET
    ));
    let (code, out, err) = run(w.wsc().args(["--profile", "ci", "recover", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v[0]["state"], "not_found", "{out}");
    assert!(v[0]["id"].is_null(), "{out}");
}
