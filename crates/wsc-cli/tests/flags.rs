//! Flags and their edges: site/endpoint precedence, --vuln, headers, URLs,
//! help text, paging messages, --wait-timeout and plain terminal output.

mod support;

use support::{json, run, world, world_with};
use wsc_core::sans_io::OperationKind;
use wsc_mock::{Findings, MockConfig, Phase, PreloadJob};

#[test]
fn site_and_endpoint_follow_the_documented_order() {
    let w = world();
    let url_of = |cmd: &mut assert_cmd::Command| {
        let (code, out, err) = run(cmd.args(["--dry-run", "-o", "json", "list"]));
        assert_eq!(code, 0, "{err}");
        json(&out)["url"].as_str().unwrap().to_owned()
    };
    // --site beats WSC_ENDPOINT; --endpoint beats --site; WSC_ENDPOINT beats NCLOUD_SITE.
    assert!(url_of(w.wsc().args(["--site", "gov"])).contains("gov-ntruss"));
    assert!(
        url_of(
            w.wsc()
                .args(["--site", "gov", "--endpoint", "https://proxy.example"])
        )
        .starts_with("https://proxy.example/")
    );
    assert!(url_of(w.wsc().env("NCLOUD_SITE", "gov")).starts_with(w.server.base_url()));
    assert!(
        url_of(
            w.bare()
                .env("NCLOUD_SITE", "gov")
                .env("NCLOUD_ACCESS_KEY_ID", "A")
                .env("NCLOUD_SECRET_ACCESS_KEY", "S")
        )
        .contains("gov-ntruss")
    );

    // Unknown sites: exit 2, the valid ones listed, the real source named.
    for (site, needle) in [("foo", "`public` or `gov`"), ("fin", "endpoint")] {
        let (code, _, err) = run(w.wsc().args(["--site", site, "list"]));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--site") && err.contains(needle), "{err}");
        assert!(err.contains("`public`") && err.contains("`gov`"), "{err}");
    }
    let (code, _, err) = run(w
        .bare()
        .env("NCLOUD_SITE", "bogus")
        .env("NCLOUD_ACCESS_KEY_ID", "A")
        .env("NCLOUD_SECRET_ACCESS_KEY", "S")
        .arg("list"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("environment variable NCLOUD_SITE") && err.contains("gov"),
        "{err}"
    );
    assert!(!err.contains("command line"), "{err}");
    assert!(w.server.requests().is_empty());
}

#[test]
fn header_errors_name_the_header_never_its_value() {
    let w = world();
    for header in ["Cookie=S=secretval", "Cookie S=secretval: x"] {
        let (code, _, err) = run(w.wsc().args([
            "create",
            "--url",
            "https://a.example",
            "--header",
            header,
            "--yes",
        ]));
        assert_eq!(code, 2, "{err}");
        assert!(!err.contains("secretval"), "{err}");
        assert!(err.contains("header: #1"), "{err}");
    }
    assert!(w.server.requests().is_empty());
}

#[test]
fn vuln_items_are_checked_before_anything_is_sent() {
    let w = world();
    let (code, _, err) = run(w.wsc().args([
        "create",
        "--url",
        "https://a.example",
        "--vuln",
        "SQLi",
        "--yes",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("SSI Injection") && err.contains("XSS"),
        "{err}"
    );
    assert!(w.server.requests().is_empty(), "nothing billed was sent");

    let (code, out, _) = run(w.bare().args(["create", "--help"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("[possible values: ALL, XSS, \"SSI Injection\"]"),
        "{out}"
    );

    let (code, out, err) = run(w.wsc().args([
        "--dry-run",
        "-o",
        "json",
        "create",
        "--url",
        "https://a.example",
        "--vuln",
        "xss",
        "--vuln",
        "ssi-injection",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        json(&out)["body"]["VulnItems"],
        serde_json::json!(["XSS", "SSI Injection"])
    );
}

#[test]
fn target_urls_are_normalised_and_ports_bounded() {
    let w = world();
    let (code, _, err) =
        run(w
            .wsc()
            .args(["create", "--url", "https://example.com:99999/", "--yes"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("port"), "{err}");
    let (code, _, err) = run(w
        .wsc()
        .env("WSC_ENDPOINT", "https://example.com:70000")
        .arg("list"));
    assert_eq!(code, 2, "{err}");

    let (code, out, err) = run(w.wsc().args([
        "--dry-run",
        "-o",
        "json",
        "create",
        "--url",
        "HTTPS://WWW.Example.COM/Path",
        "--exclude",
        "https://bücher.example/logout",
    ]));
    assert_eq!(code, 0, "{err}");
    let body = &json(&out)["body"];
    assert_eq!(body["StartUrl"], "https://www.example.com/Path");
    assert_eq!(
        body["ExcludeUrl"],
        serde_json::json!(["https://xn--bcher-kva.example/logout"])
    );
}

#[test]
fn help_groups_global_options_and_shows_values_and_defaults() {
    let w = world();
    let (code, out, _) = run(w.bare().args(["list", "--help"]));
    assert_eq!(code, 0);
    let own = out.find("--page").unwrap();
    let heading = out
        .find("Global options:")
        .expect("a Global options heading");
    assert!(
        own < heading && heading < out.find("--endpoint").unwrap(),
        "{out}"
    );
    assert!(heading < out.find("--ca-bundle").unwrap(), "{out}");
    assert!(out.contains("[possible values: public, gov]"), "{out}");
    assert!(
        out.contains("[default: 3]") && out.contains("[default: 30"),
        "{out}"
    );

    let (_, configure, _) = run(w.bare().args(["configure", "--help"]));
    for ignored in ["--retries", "--record", "--ca-bundle", "--secret-key-stdin"] {
        assert!(!configure.contains(ignored), "{configure}");
    }
    assert!(configure.contains("--site") && configure.contains("--dry-run"));
    let (_, completions, _) = run(w.bare().args(["completions", "--help"]));
    for ignored in [
        "--endpoint",
        "--site",
        "--output",
        "--record",
        "--ca-bundle",
    ] {
        assert!(!completions.contains(ignored), "{completions}");
    }
    // `man` is a listed command.
    let (_, top, _) = run(w.bare().arg("--help"));
    assert!(top.contains("man "), "{top}");
}

#[test]
fn interval_without_wait_is_rejected() {
    let w = world();
    let (code, _, err) = run(w.wsc().args([
        "create",
        "--url",
        "https://a.example",
        "--interval",
        "5",
        "--yes",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--wait"), "{err}");
    assert!(w.server.requests().is_empty());
}

#[test]
fn wait_timeout_is_the_deadline_and_timeout_the_request_timeout() {
    let w = world();
    let running = w.id_with_phase(Phase::Diagnosing);
    let (code, _, err) =
        run(w
            .wsc()
            .args(["wait", &running, "--interval", "1", "--wait-timeout", "1"]));
    assert_eq!(code, 3, "{err}");
    let completed = w.id_with_phase(Phase::Completed);
    // --timeout after `wait` is the global per-request timeout.
    let (code, _, err) = run(w.wsc().args(["wait", &completed, "--timeout", "3"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(w.wsc().args(["wait", &completed, "--timeout", "0"]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn reserved_status_pages_past_the_end_and_empty_results() {
    let w = world();
    let reserved = w.id_with_phase(Phase::Reserved);
    let (code, out, err) = run(w
        .wsc()
        .args(["search", "--status", "reserved", "--all", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    let jobs = json(&out)["jobs"].as_array().unwrap().clone();
    assert_eq!(jobs.len(), 1, "{out}");
    assert_eq!(jobs[0]["id"].to_string(), reserved);

    let (code, out, err) = run(w.wsc().args(["list", "--page", "99"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no jobs"), "{out}");
    assert!(err.contains("no page 99"), "{err}");

    let empty = world_with(MockConfig::default());
    let (code, out, err) = run(empty.wsc().arg("list"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "no jobs");
    assert!(!err.contains("of 0"), "{err}");
}

#[test]
fn job_times_state_their_zone() {
    let w = world_with(MockConfig::default());
    let id = w
        .server
        .preload(PreloadJob {
            start_url: "https://z.example".into(),
            memo: String::new(),
            held: Some(Phase::Completed),
            findings: Findings::default(),
        })
        .unwrap()
        .to_string();
    let (code, out, _) = run(w.wsc().args(["get", &id, "-o", "json"]));
    assert_eq!(code, 0);
    let start = json(&out)["start_date"].as_str().unwrap().to_owned();
    assert!(start.ends_with("+09:00") && start.contains('T'), "{start}");
    let (_, table, _) = run(w.wsc().arg("list"));
    assert!(table.contains("STARTED (KST)"), "{table}");
    let (_, details, _) = run(w.wsc().args(["get", &id]));
    assert!(details.contains(" KST"), "{details}");
    assert_eq!(w.server.served(OperationKind::CreateJob), 0);
}

/// Ctrl-C while waiting with stderr not a terminal: the message, no escape codes.
#[cfg(unix)]
#[test]
fn interrupt_message_has_no_escape_codes_off_a_terminal() {
    use std::io::BufRead;
    use std::process::Stdio;
    let w = world();
    let running = w.id_with_phase(Phase::Diagnosing);
    for term in [None, Some("dumb")] {
        let mut cmd = w.std_wsc();
        cmd.env_remove("NO_COLOR");
        if let Some(t) = term {
            cmd.env("TERM", t);
        }
        let mut child = cmd
            .args(["wait", &running, "--interval", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        assert!(first.contains("job"), "{first}");
        let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{rest}");
        assert!(rest.contains(&format!("wsc wait {running}")), "{rest}");
        assert!(
            !first.contains('\x1b') && !rest.contains('\x1b'),
            "{rest:?}"
        );
    }
}
