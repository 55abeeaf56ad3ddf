//! The gateway's checks: every acceptance and rejection path.

mod common;

use std::time::{Duration, SystemTime};

use common::{call, call_as, send};
use wsc_core::ListJobs;
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::build_request;
use wsc_core::{Credentials, Endpoint};
use wsc_mock::{MockConfig, MockServer};

fn server() -> MockServer {
    MockServer::start(MockConfig::default()).unwrap()
}

fn assert_auth_failed(raw: &common::Raw) {
    assert_eq!(raw.status, 401, "{}", String::from_utf8_lossy(&raw.body));
    assert_eq!(raw.json()["error"]["errorCode"], "200");
    assert!(raw.header("date").is_some());
}

#[test]
fn a_correctly_signed_request_is_accepted_and_dated() {
    let s = server();
    let raw = call(&s, &ListJobs::default()).unwrap();
    assert_eq!(raw.status, 200);
    assert_eq!(raw.json()["returnCode"], "0");
    assert!(httpdate::parse_http_date(raw.header("date").unwrap()).is_ok());
    let seen = s.requests();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].authenticated && seen[0].reached_service);
    assert_eq!(
        seen[0].header("x-ncp-apigw-signature-v2"),
        Some(wsc_core::sans_io::REDACTED)
    );
}

#[test]
fn wrong_secret_unknown_key_and_missing_headers_are_rejected() {
    let s = server();
    let wrong_secret =
        Credentials::new(s.credentials().access_key().as_str(), "not-the-secret").unwrap();
    assert_auth_failed(
        &call_as(&s, &ListJobs::default(), &wrong_secret, SystemTime::now()).unwrap(),
    );
    let unknown =
        Credentials::new("SOMEONEELSE", s.credentials().secret_key().expose_secret()).unwrap();
    assert_auth_failed(&call_as(&s, &ListJobs::default(), &unknown, SystemTime::now()).unwrap());

    let endpoint = Endpoint::parse(s.base_url()).unwrap();
    for header in [
        "x-ncp-apigw-timestamp",
        "x-ncp-iam-access-key",
        "x-ncp-apigw-signature-v2",
    ] {
        let mut req = build_request(
            &ListJobs::default(),
            &endpoint,
            &s.credentials(),
            TimestampMs::from_system_time(SystemTime::now()),
        )
        .unwrap();
        req.headers_mut().remove(header);
        assert_auth_failed(&send(s.addr(), &req).unwrap());
    }
    let rejections: Vec<_> = s
        .requests()
        .into_iter()
        .filter_map(|r| r.rejection)
        .collect();
    assert!(
        rejections.iter().any(|r| r.contains("signature mismatch")),
        "{rejections:?}"
    );
    assert!(
        rejections.iter().any(|r| r.contains("unknown access key")),
        "{rejections:?}"
    );
    assert!(s.requests().iter().all(|r| !r.reached_service));
}

#[test]
fn the_signature_covers_the_exact_request_target() {
    let s = server();
    let endpoint = Endpoint::parse(s.base_url()).unwrap();
    let mut req = build_request(
        &ListJobs::default(),
        &endpoint,
        &s.credentials(),
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .unwrap();
    *req.uri_mut() = format!("{}/api/v1/jobs?page=1&limit=20", s.base_url())
        .parse()
        .unwrap();
    assert_auth_failed(&send(s.addr(), &req).unwrap());
}

#[test]
fn timestamps_beyond_five_minutes_are_rejected_either_way() {
    let s = server();
    let now = SystemTime::now();
    for at in [
        now - Duration::from_secs(301),
        now + Duration::from_secs(301),
    ] {
        assert_auth_failed(&call_as(&s, &ListJobs::default(), &s.credentials(), at).unwrap());
    }
    assert_eq!(
        call_as(
            &s,
            &ListJobs::default(),
            &s.credentials(),
            now - Duration::from_secs(290)
        )
        .unwrap()
        .status,
        200
    );
}

#[test]
fn a_skewed_server_clock_moves_the_window_and_the_date_header() {
    let s = server();
    s.set_clock_skew_ms(10 * 60 * 1000);
    let raw = call(&s, &ListJobs::default()).unwrap();
    assert_auth_failed(&raw);
    let date = httpdate::parse_http_date(raw.header("date").unwrap()).unwrap();
    assert!(date > SystemTime::now() + Duration::from_secs(590));
    let ahead = SystemTime::now() + Duration::from_secs(600);
    assert_eq!(
        call_as(&s, &ListJobs::default(), &s.credentials(), ahead)
            .unwrap()
            .status,
        200
    );
}

#[test]
fn unknown_routes_get_the_gateway_404() {
    let s = server();
    let endpoint = Endpoint::parse(s.base_url()).unwrap();
    let mut req = build_request(
        &ListJobs::default(),
        &endpoint,
        &s.credentials(),
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .unwrap();
    *req.uri_mut() = format!("{}/api/v1/nothing", s.base_url()).parse().unwrap();
    let raw = send(s.addr(), &req).unwrap();
    assert_eq!(raw.status, 404);
    assert_eq!(raw.json()["error"]["errorCode"], "300");
}

#[test]
fn a_huge_body_is_refused_and_the_server_survives() {
    let s = MockServer::start(MockConfig {
        max_body_bytes: 1024,
        ..MockConfig::default()
    })
    .unwrap();
    let endpoint = Endpoint::parse(s.base_url()).unwrap();
    let mut req = build_request(
        &ListJobs::default(),
        &endpoint,
        &s.credentials(),
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .unwrap();
    *req.body_mut() = vec![b'x'; 10_000];
    let raw = send(s.addr(), &req).unwrap();
    assert_eq!(raw.status, 413);
    assert_eq!(raw.json()["error"]["errorCode"], "430");
    assert_eq!(call(&s, &ListJobs::default()).unwrap().status, 200);
}

#[test]
fn garbage_and_half_requests_never_crash_the_server() {
    use std::io::Write;
    let s = server();
    for junk in [
        &b"\x00\x01\x02 garbage\r\n\r\n"[..],
        b"GET /api/v1/jobs HTTP/1.1\r\ncontent-length: 100\r\n\r\nshort",
        b"PUT /api/v1/job HTT",
    ] {
        let mut stream = std::net::TcpStream::connect(s.addr()).unwrap();
        let _ = stream.write_all(junk);
        drop(stream);
    }
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(call(&s, &ListJobs::default()).unwrap().status, 200);
}

#[test]
fn concurrent_clients_are_served() {
    let s = server();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|_| scope.spawn(|| call(&s, &ListJobs::default()).unwrap().status))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), 200);
        }
    });
    assert_eq!(s.requests().len(), 16);
}
