//! End-to-end: the built `wsc` binary against wsc-mock on loopback, with a
//! temporary HOME. Every run's stdout and stderr are scanned for the secret.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use wsc_core::sans_io::OperationKind;
use wsc_mock::{
    CreateResponse, Fault, Findings, MockConfig, MockServer, Phase, PreloadJob, Route, When,
};

const ACCESS: &str = "CLITESTACCESSKEY";
const SECRET: &str = "cli-test-secret-Zq9x7W";

struct World {
    server: MockServer,
    home: tempfile::TempDir,
}

fn world_with(config: MockConfig) -> World {
    let server = MockServer::start(MockConfig {
        access_key: ACCESS.into(),
        secret_key: SECRET.into(),
        ..config
    })
    .unwrap();
    World {
        server,
        home: tempfile::tempdir().unwrap(),
    }
}

fn world() -> World {
    world_with(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    })
}

impl World {
    /// `wsc` with only the environment we give it.
    fn bare(&self) -> Command {
        let mut c = Command::cargo_bin("wsc").unwrap();
        c.env_clear()
            .env("HOME", self.home.path())
            .env("NO_COLOR", "1")
            .timeout(Duration::from_secs(60));
        c
    }

    fn wsc(&self) -> Command {
        let mut c = self.bare();
        c.env("WSC_ENDPOINT", self.server.base_url())
            .env("NCLOUD_ACCESS_KEY_ID", ACCESS)
            .env("NCLOUD_SECRET_ACCESS_KEY", SECRET);
        c
    }

    fn id_with_phase(&self, phase: Phase) -> String {
        self.server
            .job_ids()
            .into_iter()
            .find(|id| self.server.phase(*id) == Some(phase))
            .unwrap()
            .to_string()
    }

    fn write_config(&self, text: &str) -> std::path::PathBuf {
        let dir = self.home.path().join(".ncloud");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("configure");
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    }
}

/// Runs, checks no secret leaked, returns (exit code, stdout, stderr).
fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    );
    for text in [&out, &err] {
        assert!(!text.contains(SECRET), "the secret leaked:\n{text}");
        assert!(!text.contains("panicked"), "a panic:\n{text}");
    }
    (status.code().unwrap_or(-1), out, err)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{text}"))
}

#[test]
fn an_unknown_job_id_is_named_as_possibly_not_existing() {
    let w = world();
    for (command, says) in [
        ("report", "reports exist only for completed jobs"),
        ("cancel", "only a job that has not started"),
        ("stop", "not running"),
    ] {
        let (code, _, err) = run(w.wsc().args([command, "1999999999"]));
        assert_eq!(code, 5, "{command}: {err}");
        assert!(err.contains(says), "{command}: {err}");
        assert!(
            err.contains("job 1999999999 may not exist") && err.contains("--profile"),
            "{command}: {err}"
        );
        assert!(err.contains("wsc get 1999999999"), "{command}: {err}");
    }
}

#[test]
fn list_in_table_and_json() {
    let w = world();
    let (code, out, _) = run(w.wsc().arg("list"));
    assert_eq!(code, 0);
    assert!(out.starts_with("ID"), "{out}");
    assert!(
        out.contains("diagnosis in progress") && out.contains("https://shop.example.com"),
        "{out}"
    );

    let (code, out, err) = run(w.wsc().args(["list", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["jobs"].as_array().unwrap().len(), 5);
    assert!(v["jobs"][0]["id"].is_u64(), "ids are numbers");
    assert!(
        v["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["status"] == "completed" && j["status_label"] == "진단 완료")
    );
    // Global options after the subcommand work too, and before it.
    let (code, out, _) = run(w
        .wsc()
        .args(["-o", "json", "list", "--limit", "2", "--page", "2"]));
    assert_eq!(code, 0);
    assert_eq!(json(&out)["jobs"].as_array().unwrap().len(), 2);
}

#[test]
fn list_all_pages_through_everything() {
    let w = world_with(MockConfig::default());
    for i in 0..45 {
        w.server.preload(PreloadJob {
            start_url: format!("https://p{i}.example"),
            memo: String::new(),
            held: Some(Phase::Completed),
            findings: Findings::default(),
        });
    }
    let (code, out, _) = run(w
        .wsc()
        .args(["list", "--all", "--limit", "10", "-o", "json"]));
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["jobs"].as_array().unwrap().len(), 45);
    assert_eq!(v["truncated"], false);
    assert_eq!(w.server.requests().len(), 5);
}

#[test]
fn search_by_url_memo_and_status() {
    let w = world();
    let count = |args: &[&str]| {
        let (code, out, err) = run(w.wsc().args(["search", "-o", "json"]).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        json(&out)["jobs"].as_array().unwrap().len()
    };
    assert_eq!(count(&["--url", "shop"]), 1);
    assert_eq!(count(&["--memo", "nightly"]), 1);
    assert_eq!(count(&["--status", "completed"]), 2);
    assert_eq!(count(&["--status", "4"]), 2);
    assert_eq!(count(&["--status", "running"]), 1);
    let (code, _, err) = run(w.wsc().args(["search", "--status", "sleeping"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown status"), "{err}");
}

#[test]
fn get_finds_by_paging_and_rejects_bad_ids() {
    let w = world();
    let id = w.id_with_phase(Phase::Completed);
    let (code, out, _) = run(w.wsc().args(["get", &id]));
    assert_eq!(code, 0);
    assert!(out.contains("completed"), "{out}");
    let (code, out, _) = run(w.wsc().args(["get", &id, "-o", "json"]));
    assert_eq!(code, 0);
    assert_eq!(json(&out)["id"].to_string(), id);

    let (code, _, err) = run(w.wsc().args(["get", "999"]));
    assert_eq!(code, 5);
    assert!(err.contains("not found"), "{err}");
    for bad in ["12a", "-5", "0", "1/../2"] {
        let (code, _, err) = run(w.wsc().args(["get", bad]));
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(
            err.starts_with("error: invalid instance id") || err.contains("unexpected argument"),
            "{err}"
        );
    }
}

#[test]
fn create_needs_confirmation_without_a_terminal() {
    let w = world();
    let (code, _, err) = run(w.wsc().args(["create", "--url", "https://t.example"]));
    assert_eq!(code, 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(w.server.requests().len(), 0, "nothing was sent");
}

#[test]
fn create_reports_the_id_from_the_response_by_tag_or_by_listing() {
    for shape in [CreateResponse::NullResources, CreateResponse::WithId] {
        for tagged in [true, false] {
            let w = world_with(MockConfig {
                preload_demo_jobs: true,
                create_response: shape,
                ..MockConfig::default()
            });
            let mut cmd = w.wsc();
            cmd.args([
                "create",
                "--url",
                "https://t.example",
                "--memo",
                "ci",
                "--yes",
                "-o",
                "json",
            ]);
            if !tagged {
                cmd.arg("--no-tag");
            }
            let (code, out, err) = run(&mut cmd);
            assert_eq!(code, 0, "{err}");
            let v = json(&out);
            let newest = w.server.job_ids()[0].get();
            assert_eq!(v["id"], newest, "{shape:?}: {out}");
            let want = match (shape, tagged) {
                (CreateResponse::WithId, _) => "response",
                (_, true) => "tag",
                (_, false) => "listing",
            };
            assert_eq!(v["id_source"], want, "{shape:?} tagged={tagged}: {out}");
            assert_eq!(w.server.served(OperationKind::CreateJob), 1);
            // The tag is in the job's memo, after the user's.
            let (_, got, _) = run(w.wsc().args(["get", &newest.to_string(), "-o", "json"]));
            let memo = json(&got)["memo"].as_str().unwrap_or_default().to_owned();
            match v["tag"].as_str() {
                Some(tag) if tagged => {
                    assert!(tag.starts_with("[wsc:") && tag.len() == 14, "{tag}");
                    assert_eq!(memo, format!("ci {tag}"));
                }
                None if !tagged => assert_eq!(memo, "ci"),
                other => panic!("tag {other:?} with tagged={tagged}: {out}"),
            }
        }
    }
}

#[test]
fn a_lost_create_reply_is_never_resent_and_the_job_is_found_by_listing() {
    let w = world();
    w.server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::EndpointTimeout,
    );
    let (code, out, err) = run(w.wsc().args([
        "create",
        "--url",
        "https://t.example",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["id"], w.server.job_ids()[0].get(), "{out}");
    assert_eq!(v["id_source"], "tag");
    assert!(v["warning"].as_str().unwrap().contains("lost"), "{out}");
    assert!(!err.contains("try again"), "{err}");
    assert_eq!(
        w.server
            .requests()
            .iter()
            .filter(|r| r.operation == Some(OperationKind::CreateJob))
            .count(),
        1
    );
}

#[test]
fn create_wait_and_fail_on() {
    let w = world_with(MockConfig {
        clock_speed: 40.0,
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    });
    let (code, out, err) = run(w.wsc().args([
        "create",
        "--url",
        "https://clean.example",
        "--yes",
        "--wait",
        "--interval",
        "1",
        "--fail-on",
        "low",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["outcome"], "completed");
    assert_eq!(v["findings_at_or_above"], 0);
    assert!(!err.is_empty(), "progress lines go to stderr");

    let (code, out, _) = run(w.wsc().args([
        "create",
        "--url",
        "https://fail.example",
        "--yes",
        "--wait",
        "--interval",
        "1",
    ]));
    assert_eq!(code, 6, "{out}");
}

#[test]
fn report_and_fail_on_levels() {
    let w = world();
    let shop = w
        .server
        .job_ids()
        .into_iter()
        .find(|id| w.server.phase(*id) == Some(Phase::Completed))
        .unwrap();
    let (code, out, _) = run(w.wsc().args(["report", &shop.to_string()]));
    assert_eq!(code, 0);
    assert!(out.contains("high"), "{out}");
    // The demo's two completed jobs: shop (1 high) and blog (2 low).
    let mut codes = Vec::new();
    for id in w
        .server
        .job_ids()
        .into_iter()
        .filter(|id| w.server.phase(*id) == Some(Phase::Completed))
    {
        for level in ["high", "medium", "low"] {
            codes.push(
                run(w
                    .wsc()
                    .args(["report", &id.to_string(), "--fail-on", level]))
                .0,
            );
        }
    }
    codes.sort();
    assert_eq!(codes, [0, 0, 10, 10, 10, 10]);
}

#[test]
fn report_out_writes_the_whole_document_atomically() {
    let w = world();
    let id = w.id_with_phase(Phase::Completed);
    let file = w.home.path().join("report.json");
    std::fs::write(&file, "old").unwrap();
    let (code, _, err) = run(w
        .wsc()
        .args(["report", &id, "--out", file.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    let v = json(&std::fs::read_to_string(&file).unwrap());
    assert!(v.get("Classify_byRisk_Level").is_some());
    let (code, _, _) = run(w.wsc().args([
        "report",
        &w.id_with_phase(Phase::Diagnosing),
        "--out",
        file.to_str().unwrap(),
    ]));
    assert_eq!(code, 5);
    assert!(
        json(&std::fs::read_to_string(&file).unwrap())
            .get("Target_Info")
            .is_some(),
        "a failed run leaves the old file"
    );
}

#[test]
fn cookies_in_reports_are_masked_in_tables() {
    let w = world_with(MockConfig {
        clock_speed: 0.0,
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    });
    let (code, out, _) = run(w.wsc().args([
        "create",
        "--url",
        "https://a.example",
        "--header",
        "Cookie: SID=cookie-secret-1",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    let id = json(&out)["id"].to_string();
    w.server.advance(Duration::from_secs(120));
    let (code, out, _) = run(w.wsc().args(["report", &id]));
    assert_eq!(code, 0);
    assert!(
        !out.contains("cookie-secret-1") && out.contains("login info"),
        "{out}"
    );
}

#[test]
fn wait_timeout_exit_3_and_wrong_states() {
    let w = world();
    let running = w.id_with_phase(Phase::Diagnosing);
    let (code, _, err) =
        run(w
            .wsc()
            .args(["wait", &running, "--interval", "1", "--wait-timeout", "2"]));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains(&format!("wsc wait {running}")), "{err}");
    assert_eq!(
        w.server.served(OperationKind::StopJob) + w.server.served(OperationKind::CancelJob),
        0,
        "waiting never touches the scan"
    );

    let completed = w.id_with_phase(Phase::Completed);
    let (code, _, err) = run(w.wsc().args(["stop", &completed]));
    assert_eq!(code, 5);
    assert!(err.contains("not running"), "{err}");
    let (code, _, err) = run(w.wsc().args(["cancel", &running]));
    assert_eq!(code, 5);
    assert!(err.contains("cancelled"), "{err}");
    let (code, out, _) = run(w.wsc().args(["stop", &running, "-o", "json"]));
    assert_eq!(code, 0);
    assert_eq!(json(&out)["ok"], true);
    let reserved = w.id_with_phase(Phase::Reserved);
    assert_eq!(run(w.wsc().args(["cancel", &reserved])).0, 0);
}

#[test]
fn credentials_precedence_and_missing_credentials() {
    let w = world();
    // No credentials anywhere: exit 4, saying where we looked.
    let (code, out, err) = run(w
        .bare()
        .env("WSC_ENDPOINT", w.server.base_url())
        .arg("list"));
    assert_eq!(code, 4);
    assert!(out.is_empty());
    assert!(
        err.contains("NCLOUD_ACCESS_KEY_ID") && err.contains("configure"),
        "{err}"
    );

    // Profile file only.
    w.write_config(&format!("[DEFAULT]\nncloud_access_key_id = {ACCESS}\nncloud_secret_access_key = {SECRET}\n\n[other]\nncloud_access_key_id = WRONG\nncloud_secret_access_key = wrong\n"));
    assert_eq!(
        run(w
            .bare()
            .env("WSC_ENDPOINT", w.server.base_url())
            .arg("list"))
        .0,
        0
    );
    // A named profile with wrong keys: the gateway refuses (exit 4).
    assert_eq!(
        run(w
            .bare()
            .env("WSC_ENDPOINT", w.server.base_url())
            .env("NCLOUD_PROFILE", "other")
            .arg("list"))
        .0,
        4
    );
    // --profile beats NCLOUD_PROFILE.
    assert_eq!(
        run(w
            .bare()
            .env("WSC_ENDPOINT", w.server.base_url())
            .env("NCLOUD_PROFILE", "other")
            .args(["--profile", "DEFAULT", "list"]))
        .0,
        0
    );
    // Env beats the profile.
    let (code, _, _) = run(w
        .bare()
        .env("WSC_ENDPOINT", w.server.base_url())
        .env("NCLOUD_ACCESS_KEY", "WRONG")
        .env("NCLOUD_SECRET_KEY", "wrong")
        .arg("list"));
    assert_eq!(code, 4);
    // Unknown profile: exit 4 naming the ones that exist.
    let (code, _, err) =
        run(w
            .bare()
            .env("WSC_ENDPOINT", w.server.base_url())
            .args(["--profile", "nope", "list"]));
    assert_eq!(code, 4);
    assert!(err.contains("other"), "{err}");
}

#[test]
fn secret_from_stdin_and_open_permissions_warning() {
    let w = world();
    let (code, _, err) = run(w
        .bare()
        .env("WSC_ENDPOINT", w.server.base_url())
        .env("NCLOUD_ACCESS_KEY_ID", ACCESS)
        .args(["--secret-key-stdin", "list"])
        .write_stdin(format!("{SECRET}\n")));
    assert_eq!(code, 0, "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = w.write_config(&format!(
            "ncloud_access_key_id = {ACCESS}\nncloud_secret_access_key = {SECRET}\n"
        ));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (code, _, err) = run(w
            .bare()
            .env("WSC_ENDPOINT", w.server.base_url())
            .arg("list"));
        assert_eq!(code, 0);
        assert!(err.contains("readable by other users"), "{err}");
    }
}

#[test]
fn dry_run_sends_nothing_and_shows_no_secret() {
    let w = world();
    for args in [
        vec!["--dry-run", "list"],
        vec![
            "create",
            "--url",
            "https://t.example",
            "--header",
            "Authorization: Bearer tok-123",
            "--dry-run",
        ],
        vec!["--dry-run", "-o", "json", "cancel", "42"],
        vec!["--dry-run", "report", "42"],
    ] {
        let (code, out, err) = run(w.wsc().args(&args));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!out.contains("tok-123"), "{out}");
        assert!(out.contains("** redacted **"), "{out}");
        assert!(!out.contains(ACCESS), "the access key is masked: {out}");
    }
    assert!(w.server.requests().is_empty(), "a dry run sends nothing");
}

/// What a dry run prints is the request a real run sends: for each command,
/// the method, path, query and body printed by `--dry-run -o json` equal
/// those the mock receives when the same command runs for real.
#[test]
fn a_dry_run_prints_the_request_a_real_run_sends() {
    let w = world_with(MockConfig::default());
    let id = w
        .server
        .preload(PreloadJob {
            start_url: "https://done.example".into(),
            memo: String::new(),
            held: Some(Phase::Completed),
            findings: Findings::default(),
        })
        .unwrap()
        .to_string();
    let commands: [&[&str]; 6] = [
        &["list", "--limit", "7", "--page", "2"],
        &["search", "--url", "done", "--status", "completed"],
        &["report", &id],
        &["stop", &id],
        &["history", "--url", "https://done.example", "--limit", "3"],
        &[
            "create",
            "--url",
            "https://t.example/app",
            "--header",
            "Cookie: SESSION=tok-123",
            "--exclude",
            "https://t.example/logout",
            "--memo",
            "nightly",
            "--speed",
            "fast",
            "--no-tag",
            "--yes",
        ],
    ];
    for args in commands {
        let (code, out, err) = run(w.wsc().args(["--dry-run", "-o", "json"]).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        let shown = json(&out);
        let before = w.server.requests().len();
        let (_, _, err) = run(w.wsc().args(["--retries", "0"]).args(args));
        let received = w.server.requests();
        let sent = received[before..]
            .iter()
            .find(|r| r.operation.map(|k| k.name()) == shown["operation"].as_str())
            .unwrap_or_else(|| {
                panic!(
                    "{args:?}: no {} request reached the mock: {err}",
                    shown["operation"]
                )
            });
        assert_eq!(shown["method"], sent.method, "{args:?}");
        let url = shown["url"].as_str().unwrap();
        assert_eq!(
            url.strip_prefix(w.server.base_url()),
            Some(sent.target.as_str()),
            "{args:?}: path and query"
        );
        let sent_body = if sent.body.is_empty() {
            Value::Null
        } else {
            json(&sent.body)
        };
        assert_eq!(shown["body"], sent_body, "{args:?}: body");
    }
}

#[test]
fn unreachable_service_is_exit_7() {
    let w = world();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, out, err) = run(w
        .wsc()
        .env("WSC_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .args(["list", "--retries", "0"]));
    assert_eq!(code, 7, "{err}");
    assert!(out.is_empty());
    assert!(err.lines().count() <= 2, "one line plus a hint: {err}");
}

#[test]
fn non_loopback_http_endpoint_is_a_usage_error() {
    let w = world();
    let (code, _, err) = run(w
        .wsc()
        .env("WSC_ENDPOINT", "http://example.com")
        .arg("list"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("https"), "{err}");
}

#[test]
fn wrong_secret_is_exit_4_with_a_clock_hint() {
    let w = world();
    let (code, out, err) = run(w
        .wsc()
        .env("NCLOUD_SECRET_ACCESS_KEY", "not-it")
        .args(["-o", "json", "list"]));
    assert_eq!(code, 4);
    assert!(out.is_empty(), "nothing but results on stdout");
    assert!(err.contains("clock"), "{err}");
}

#[test]
fn configure_preserves_the_file_and_writes_0600() {
    let w = world();
    let path = w.write_config("# my notes\n[DEFAULT]\nncloud_access_key_id = OLD\nncloud_secret_access_key = OLDSECRET\n\n[keep]\nx = 1\n");
    let (code, _, err) = run(w
        .bare()
        .args(["configure", "--profile", "ci"])
        .write_stdin(format!("{ACCESS}\n{SECRET}\n")));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# my notes\n[DEFAULT]\nncloud_access_key_id = OLD\n"),
        "{text}"
    );
    assert!(
        text.contains("[keep]\nx = 1")
            && text.contains(&format!("[ci]\nncloud_access_key_id = {ACCESS}")),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let (code, _, _) =
        run(w
            .bare()
            .env("WSC_ENDPOINT", w.server.base_url())
            .args(["--profile", "ci", "list"]));
    assert_eq!(code, 0);
}

#[test]
fn record_then_replay_gives_the_same_output() {
    let w = world();
    let cassette = w.home.path().join("run.json");
    let (code, first, _) =
        run(w
            .wsc()
            .args(["list", "-o", "json", "--record", cassette.to_str().unwrap()]));
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&cassette).unwrap();
    assert!(!text.contains(SECRET));
    let replay = MockServer::start_replay(
        MockConfig {
            access_key: ACCESS.into(),
            secret_key: SECRET.into(),
            ..MockConfig::default()
        },
        wsc_core::cassette::Cassette::from_json(text.as_bytes()).unwrap(),
    )
    .unwrap();
    let (code, second, _) = run(w
        .wsc()
        .env("WSC_ENDPOINT", replay.base_url())
        .args(["list", "-o", "json"]));
    assert_eq!(code, 0);
    assert_eq!(first, second);
    assert_eq!(replay.replay_remaining(), 0);
}

#[test]
fn help_usage_and_completions() {
    let w = world();
    let (code, out, _) = run(w.bare().arg("--help"));
    assert_eq!(code, 0);
    assert!(
        out.contains("Exit codes") && out.contains("10 findings"),
        "{out}"
    );
    for cmd in [
        "list",
        "search",
        "get",
        "create",
        "cancel",
        "stop",
        "wait",
        "report",
        "configure",
        "completions",
    ] {
        let (code, out, _) = run(w.bare().args([cmd, "--help"]));
        assert_eq!(code, 0, "{cmd}");
        assert!(out.contains("Usage: wsc"), "{cmd}: {out}");
    }
    let (code, _, err) = run(w.bare().args(["list", "--limit", "0"]));
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(w.bare().arg("frobnicate"));
    assert_eq!(code, 2);
    let (code, out, _) = run(w.bare().args(["completions", "bash"]));
    assert_eq!(code, 0);
    assert!(out.contains("wsc"));
    assert!(
        !Path::new(&w.home.path().join(".ncloud")).exists(),
        "no command wrote config uninvited"
    );
}

#[test]
fn input_that_could_smuggle_data_is_rejected_before_sending() {
    let w = world();
    let long = format!("https://a.example/{}", "x".repeat(5000));
    for (args, needle) in [
        (
            vec![
                "create",
                "--url",
                "https://a.example",
                "--header",
                "X-A: ok\r\nInjected: 1",
                "--yes",
            ],
            "header",
        ),
        (
            vec![
                "create",
                "--url",
                "https://a.example",
                "--header",
                "NoColonHere",
                "--yes",
            ],
            "Name: value",
        ),
        (
            vec!["create", "--url", "https://user:pw@a.example", "--yes"],
            "credentials",
        ),
        (vec!["create", "--url", "ftp://a.example", "--yes"], "http"),
        (vec!["create", "--url", &long, "--yes"], "longer"),
        (
            vec![
                "create",
                "--url",
                "https://a.example",
                "--rescan-of",
                "12x",
                "--yes",
            ],
            "instance id",
        ),
    ] {
        let (code, out, err) = run(w.wsc().args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("Injected") && !err.contains("pw@"), "{err}");
    }
    assert!(w.server.requests().is_empty(), "nothing was sent");
}

#[test]
fn create_from_a_job_file() {
    let w = world_with(MockConfig {
        create_response: CreateResponse::WithId,
        ..MockConfig::default()
    });
    let file = w.home.path().join("job.json");
    std::fs::write(&file, r#"{"StartUrl":"https://f.example","ExcludeUrl":["https://f.example/logout"],"Headers":{"Cookie":"S=file-secret"},"VulnItems":["XSS"],"UserAgent":"iPhone","Speed":"2","Memo":"from file"}"#).unwrap();
    let (code, _, err) =
        run(w
            .wsc()
            .args(["create", "--from-file", file.to_str().unwrap(), "--yes"]));
    assert_eq!(code, 0, "{err}");
    let sent = w
        .server
        .requests()
        .into_iter()
        .find(|r| r.operation == Some(OperationKind::CreateJob))
        .unwrap();
    assert!(
        sent.body.contains("\"UserAgent\":\"iPhone\"") && sent.body.contains("\"Speed\":\"2\""),
        "{}",
        sent.body
    );
    assert!(
        !sent.body.contains("file-secret"),
        "the journal redacts Headers values"
    );
    std::fs::write(&file, r#"{"StartUrl":"https://f.example","Unknown":1}"#).unwrap();
    let (code, _, err) =
        run(w
            .wsc()
            .args(["create", "--from-file", file.to_str().unwrap(), "--yes"]));
    assert_eq!(code, 2, "{err}");
}

/// `wsc man --dir` writes a page for the program and for every subcommand
/// `wsc --help` lists, each a roff page whose `.TH` names it.
#[test]
fn man_pages_cover_every_subcommand() {
    let w = world();
    let (code, help, _) = run(w.bare().arg("--help"));
    assert_eq!(code, 0);
    let commands: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .expect("a Commands section")
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Wrapped descriptions are indented further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let (code, _, err) = run(w.bare().args(["man", "--dir", out.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    for page in std::iter::once("wsc".to_owned()).chain(commands.iter().map(|c| format!("wsc-{c}")))
    {
        let text = std::fs::read_to_string(out.join(format!("{page}.1")))
            .unwrap_or_else(|e| panic!("{page}.1: {e}"));
        let th = text
            .lines()
            .find(|l| l.starts_with(".TH "))
            .unwrap_or_else(|| panic!("{page}.1 has no .TH"));
        assert!(
            th.to_ascii_lowercase()
                .starts_with(&format!(".th {page} 1")),
            "{page}.1: {th}"
        );
    }
    // A directory that cannot be made: one clear line, exit 1.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let (code, _, err) = run(w
        .bare()
        .args(["man", "--dir", file.join("x").to_str().unwrap()]));
    assert_ne!(code, 0);
    assert!(err.contains("cannot write the man pages"), "{err}");
}
