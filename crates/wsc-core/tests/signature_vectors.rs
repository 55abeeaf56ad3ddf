//! Every Signature V2 vector, stage by stage (see signature-vectors/README.md).

use std::fs;
use std::path::Path;

use http::Method;
use wsc_core::Credentials;
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::{sign, string_to_sign};

struct Case {
    name: String,
    credentials: Credentials,
    timestamp: TimestampMs,
    method: Method,
    uri: String,
    string_to_sign: String,
    signature: String,
}

fn load_cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/signature-vectors");
    let mut cases = Vec::new();
    for entry in fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let read = |f: &str| {
            fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", dir.display()))
        };
        let context: serde_json::Value = serde_json::from_str(&read("context.json")).unwrap();
        let request = read("request.txt");
        let (method, uri) = request
            .split_once(' ')
            .expect("request.txt is `METHOD URI`");
        cases.push(Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            credentials: Credentials::new(
                context["accessKey"].as_str().unwrap(),
                context["secretKey"].as_str().unwrap(),
            )
            .unwrap(),
            timestamp: TimestampMs(context["timestamp"].as_str().unwrap().parse().unwrap()),
            method: method.parse().unwrap(),
            uri: uri.to_owned(),
            string_to_sign: read("string-to-sign.txt"),
            signature: read("signature.txt").trim().to_owned(),
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

#[test]
fn there_is_a_case_for_every_operation_and_the_generic_example() {
    assert_eq!(load_cases().len(), 8);
}

#[test]
fn string_to_sign_matches_every_vector() {
    for case in load_cases() {
        let got = string_to_sign(
            &case.method,
            &case.uri,
            case.timestamp,
            case.credentials.access_key(),
        );
        assert_eq!(
            got, case.string_to_sign,
            "stage string-to-sign diverged in {}",
            case.name
        );
    }
}

#[test]
fn signature_matches_every_vector() {
    for case in load_cases() {
        let headers = sign(&case.method, &case.uri, case.timestamp, &case.credentials);
        assert_eq!(
            headers.signature().to_str().unwrap(),
            case.signature,
            "stage signature diverged in {}",
            case.name
        );
        assert_eq!(
            headers.timestamp().to_str().unwrap(),
            case.timestamp.0.to_string(),
            "{}",
            case.name
        );
        assert_eq!(
            headers.access_key(),
            case.credentials.access_key().as_str(),
            "{}",
            case.name
        );
    }
}
