//! Text from the service reaches a terminal only escaped: a status, a memo or
//! a target carrying escape sequences or bidirectional overrides is shown as
//! `\u{1b}`, `\u{202e}`, ... by every human format, and kept exact in JSON;
//! a gateway error no retry can fix gets a hint naming what to change.

mod support;

use support::{ACCESS, SECRET, json, run, world};
use wsc_core::cassette::Cassette;
use wsc_mock::{MockConfig, MockServer};

/// Retitles an xterm, then reverses what follows.
const HOSTILE_STATUS: &str = "\u{1b}]0;pwned\u{7}";
const HOSTILE_MEMO: &str = "weekly\u{1b}[2J \u{202e}nacs\u{2066}x\u{7f}\u{9b}31m";

/// Records `args` against the simulating mock, then makes every recorded body
/// hostile: the completed jobs' status label and memo.
fn hostile_cassette(w: &support::World, args: &[&str]) -> Cassette {
    let path = w.home.path().join("rec.json");
    let (code, _, err) = run(w.wsc().args(args).arg("--record").arg(&path));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&path).unwrap();
    let escape = |s: &str| {
        serde_json::to_string(s)
            .unwrap()
            .trim_matches('"')
            .to_owned()
    };
    let text = text
        .replace("진단 완료", &escape(&escape(HOSTILE_STATUS)))
        .replace("weekly scan", &escape(&escape(HOSTILE_MEMO)));
    Cassette::from_json(text.as_bytes()).unwrap()
}

fn replay(cassette: Cassette) -> MockServer {
    MockServer::start_replay(
        MockConfig {
            access_key: ACCESS.into(),
            secret_key: SECRET.into(),
            ..MockConfig::default()
        },
        cassette,
    )
    .unwrap()
}

fn assert_escaped(what: &str, text: &str) {
    for raw in [
        '\u{1b}', '\u{7}', '\u{202e}', '\u{2066}', '\u{7f}', '\u{9b}',
    ] {
        assert!(!text.contains(raw), "{what} shows {raw:?} raw:\n{text:?}");
    }
}

#[test]
fn hostile_service_text_is_escaped_in_every_human_format() {
    let w = world();
    let id = "1234567001";
    for (args, shows) in [
        (vec!["list"], "\\u{202e}nacs"),
        (vec!["get", id], "\\u{1b}]0;pwned\\u{7}"),
        (vec!["wait", id, "--interval", "1"], "\\u{1b}[2J"),
        (vec!["history", "--url", "https://shop.example.com"], id),
    ] {
        let cassette = hostile_cassette(&w, &args);
        let server = replay(cassette);
        let (code, out, err) = run(w.wsc().env("WSC_ENDPOINT", server.base_url()).args(&args));
        assert_escaped(&format!("{args:?} stdout"), &out);
        assert_escaped(&format!("{args:?} stderr"), &err);
        assert!(
            out.contains(shows) || err.contains(shows),
            "{args:?}: {out}{err}"
        );
        let _ = code;
    }
}

#[test]
fn json_keeps_the_exact_values() {
    let w = world();
    let server = replay(hostile_cassette(&w, &["list", "-o", "json"]));
    let (code, out, err) = run(w
        .wsc()
        .env("WSC_ENDPOINT", server.base_url())
        .args(["list", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let jobs = v["jobs"].as_array().unwrap();
    assert!(jobs.iter().any(|j| j["memo"] == HOSTILE_MEMO), "{out}");
    assert!(
        jobs.iter().any(|j| j["status_label"] == HOSTILE_STATUS),
        "{out}"
    );
    // Escaped in the JSON text: C0 by JSON itself, and C1 (U+009B is an
    // 8-bit CSI), DEL and bidi controls too, as \uXXXX.
    assert_escaped("list -o json", &out);
    for escaped in ["\\u001b", "\\u202e", "\\u2066", "\\u007f", "\\u009b"] {
        assert!(out.contains(escaped), "{escaped}: {out}");
    }
}

/// A recorded `wsc list` whose response is replaced by a gateway error.
fn gateway_error(w: &support::World, status: u16, code: &str, message: &str) -> MockServer {
    let path = w.home.path().join("gw.json");
    let (code_run, _, err) = run(w
        .wsc()
        .args(["list", "--retries", "0", "--record"])
        .arg(&path));
    assert_eq!(code_run, 0, "{err}");
    let mut cassette: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let response = &mut cassette["exchanges"][0]["response"];
    response["status"] = status.into();
    response["body"] = serde_json::json!({"error": {"errorCode": code, "message": message}})
        .to_string()
        .into();
    replay(Cassette::from_json(cassette.to_string().as_bytes()).unwrap())
}

#[test]
fn a_malformed_or_oversized_request_is_never_told_to_try_again() {
    let w = world();
    for (status, code, message, says) in [
        (400, "100", "Bad Request Exception", "malformed"),
        (413, "430", "Request Entity Too Large", "too large"),
    ] {
        let server = gateway_error(&w, status, code, message);
        let (exit, _, err) =
            run(w
                .wsc()
                .env("WSC_ENDPOINT", server.base_url())
                .args(["list", "--retries", "0"]));
        assert_eq!(exit, 5, "{err}");
        assert!(err.contains(says), "{status}/{code}: {err}");
        assert!(
            !err.to_lowercase().contains("try again"),
            "{status}/{code}: {err}"
        );
    }
}
