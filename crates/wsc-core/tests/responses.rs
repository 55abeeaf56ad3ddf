//! Every known response shape, from recorded fixtures, through each parser.

use std::path::Path;

use http::{Response, StatusCode as Http};
use serde_json::json;
use wsc_core::error::{GatewayErrorKind, ServiceErrorKind};
use wsc_core::report::RiskCounts;
use wsc_core::sans_io::{CancelJob, GetReport, Operation, StopJob};
use wsc_core::{CreateJob, ListJobs, SearchBy, SearchJobs};
use wsc_core::{Error, InstanceId, JobStatus, Limit, PageNumber};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn response(status: u16, content_type: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(body)
        .unwrap()
}

fn json(status: u16, name: &str) -> Response<Vec<u8>> {
    response(status, "application/json;charset=UTF-8", fixture(name))
}

fn id() -> InstanceId {
    InstanceId::new(1234567890).unwrap()
}

fn search() -> SearchJobs {
    SearchJobs::new(
        SearchBy::Url("target-domain.com".into()),
        None,
        Limit::default(),
        PageNumber::FIRST,
    )
    .unwrap()
}

#[test]
fn documented_search_results_parse_in_korean_and_japanese() {
    let ko = search()
        .parse_response(&json(200, "searchJobs.ok.ko.json"))
        .unwrap();
    assert_eq!(ko.total_count, Some(1));
    let r = &ko.records[0];
    assert_eq!(r.instance_no, id());
    assert_eq!(r.status(), JobStatus::UrlCollecting);
    assert_eq!(r.status_label, "URL 수집중");
    assert_eq!(
        (r.crawl_count, r.scan_count, r.progress),
        (None, None, None)
    );
    assert_eq!(r.end_date, None);
    // The undocumented fields are kept verbatim in their own fields, so
    // `extra` only holds what the API adds later.
    assert_eq!(
        (&r.result_desc, &r.rescan_button, &r.slave_data),
        (&json!(""), &json!(""), &json!(null))
    );
    assert!(r.extra.is_empty(), "{:?}", r.extra);

    let ja = search()
        .parse_response(&json(200, "searchJobs.ok.ja.json"))
        .unwrap();
    assert_eq!(ja.records[0].status(), JobStatus::Reserved);
    assert_eq!(ja.records[0].memo, "Wsc Sample");
}

#[test]
fn mixed_wire_types_and_unknown_fields_are_absorbed() {
    let page = ListJobs::default()
        .parse_response(&json(200, "getJobs.ok.mixed.json"))
        .unwrap();
    insta::assert_debug_snapshot!("getJobs_mixed", page);
    let statuses: Vec<_> = page.records.iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses,
        [
            JobStatus::Completed,
            JobStatus::DiagnosisRunning,
            JobStatus::Failed,
            JobStatus::Expired
        ]
    );
    assert_eq!(page.records[0].extra["new_field_from_2026"]["nested"][1], 2);
}

#[test]
fn cancel_and_stop_documented_bodies() {
    assert_eq!(
        CancelJob::new(id()).parse_response(&json(200, "cancelJob.ok.json")),
        Ok(())
    );
    assert_eq!(
        StopJob::new(id()).parse_response(&json(200, "stopJob.ok.json")),
        Ok(())
    );
    for status in [200, 400, 401] {
        for (op_err, name) in [
            (
                CancelJob::new(id()).parse_response(&json(status, "cancelJob.error.json")),
                "cancel",
            ),
            (
                StopJob::new(id()).parse_response(&json(status, "stopJob.error.json")),
                "stop",
            ),
        ] {
            match op_err {
                Err(Error::Service(e)) => {
                    assert_eq!(e.kind(), ServiceErrorKind::ApiCallFail, "{name} {status}");
                    assert_eq!(e.status.as_u16(), status);
                }
                other => panic!("{name} {status}: {other:?}"),
            }
        }
    }
}

#[test]
fn a_non_zero_return_code_is_a_service_error() {
    let err = CancelJob::new(id())
        .parse_response(&json(200, "cancelJob.return-code.json"))
        .unwrap_err();
    assert!(
        matches!(err, Error::Service(ref e) if e.kind() == ServiceErrorKind::ApiCallFail),
        "{err:?}"
    );
}

#[test]
fn gateway_errors_with_string_codes_and_details() {
    let cases = [
        (
            401,
            "gateway.auth-failed.json",
            GatewayErrorKind::AuthenticationFailed,
            false,
        ),
        (
            429,
            "gateway.throttled.json",
            GatewayErrorKind::ThrottleLimited,
            false,
        ),
        (
            429,
            "gateway.quota.json",
            GatewayErrorKind::QuotaExceeded,
            false,
        ),
        (
            404,
            "gateway.not-found.json",
            GatewayErrorKind::NotFound,
            false,
        ),
        (
            504,
            "gateway.endpoint-timeout.json",
            GatewayErrorKind::EndpointTimeout,
            true,
        ),
    ];
    for (status, file, kind, reached) in cases {
        let err = ListJobs::default()
            .parse_response(&json(status, file))
            .unwrap_err();
        let Error::Gateway(g) = &err else {
            panic!("{file}: {err:?}")
        };
        assert_eq!(g.kind(), kind, "{file}");
        assert_eq!(err.may_have_reached_service(), reached, "{file}");
        assert!(!err.to_string().contains('\n'));
    }
    let err = ListJobs::default()
        .parse_response(&json(401, "gateway.auth-failed.json"))
        .unwrap_err();
    insta::assert_snapshot!("gateway_auth_failed_display", err.to_string());
}

#[test]
fn retry_after_is_captured_from_the_headers() {
    let mut resp = json(429, "gateway.throttled.json");
    resp.headers_mut()
        .insert("retry-after", "3".parse().unwrap());
    let Err(Error::Gateway(g)) = ListJobs::default().parse_response(&resp) else {
        panic!()
    };
    assert_eq!(
        g.retry_after,
        Some(wsc_core::error::RetryAfter::Delay(
            std::time::Duration::from_secs(3)
        ))
    );
}

#[test]
fn service_error_code_as_number() {
    let err = ListJobs::default()
        .parse_response(&json(401, "service.auth-check.json"))
        .unwrap_err();
    assert!(
        matches!(err, Error::Service(ref e) if e.kind() == ServiceErrorKind::AuthCheck),
        "{err:?}"
    );
}

#[test]
fn an_html_proxy_page_gives_status_and_excerpt() {
    let err = ListJobs::default()
        .parse_response(&response(
            502,
            "text/html",
            fixture("proxy.bad-gateway.html"),
        ))
        .unwrap_err();
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.status, Http::BAD_GATEWAY);
    assert_eq!(u.content_type.as_deref(), Some("text/html"));
    assert!(u.excerpt.contains("502 Bad Gateway"));
    insta::assert_snapshot!("html_502_display", err.to_string());
}

#[test]
fn empty_and_truncated_bodies_are_clear_errors() {
    let err = ListJobs::default()
        .parse_response(&response(200, "application/json", Vec::new()))
        .unwrap_err();
    assert!(err.to_string().contains("empty body"), "{err}");
    let err = ListJobs::default()
        .parse_response(&json(200, "getJobs.truncated.json"))
        .unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
    let err = ListJobs::default()
        .parse_response(&response(
            200,
            "application/json",
            b"\x00\xffgarbage".to_vec(),
        ))
        .unwrap_err();
    assert!(err.to_string().contains("not valid JSON"), "{err}");
}

#[test]
fn a_bad_field_names_its_json_path() {
    let err = ListJobs::default()
        .parse_response(&json(200, "getJobs.bad-count.json"))
        .unwrap_err();
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        u.json_path.as_deref(),
        Some("resources.record_data[0].crawl_cnt")
    );
}

#[test]
fn report_with_and_without_envelope() {
    let bare = GetReport::new(id())
        .parse_response(&json(200, "getReport.ok.bare.json"))
        .unwrap();
    let wrapped = GetReport::new(id())
        .parse_response(&json(200, "getReport.ok.enveloped.json"))
        .unwrap();
    assert_eq!(bare, wrapped);
    assert_eq!(bare.risk_counts(), Some(RiskCounts::from_levels(1, 2, 4)));
    assert_eq!(
        bare.text("target_info").as_deref(),
        Some("https://shop.example.com")
    );
    assert_eq!(
        bare.list("Scanned_Domain_List"),
        ["shop.example.com", "cdn.example.com"]
    );
    assert_eq!(bare.raw()["Undocumented_Section"]["kept"], true);
    assert!(
        !serde_json::to_string(bare.redacted().raw())
            .unwrap()
            .contains("s3cr3t")
    );
}

#[test]
fn report_errors_use_the_same_classification() {
    let err = GetReport::new(id())
        .parse_response(&json(400, "cancelJob.error.json"))
        .unwrap_err();
    assert!(matches!(err, Error::Service(_)), "{err:?}");
    let err = GetReport::new(id())
        .parse_response(&json(401, "gateway.auth-failed.json"))
        .unwrap_err();
    assert!(matches!(err, Error::Gateway(_)), "{err:?}");
}

#[test]
fn create_with_and_without_an_id() {
    let job = CreateJob::builder("https://t.example").build().unwrap();
    let none = job
        .parse_response(&json(200, "createJob.ok.null.json"))
        .unwrap();
    assert_eq!(none.instance_no, None);
    let some = job
        .parse_response(&json(200, "createJob.ok.with-id.json"))
        .unwrap();
    assert_eq!(some.instance_no, Some(InstanceId::new(1234567899).unwrap()));
}

#[test]
fn redirects_are_reported_not_followed() {
    let resp = Response::builder()
        .status(302)
        .header("location", "https://elsewhere.example/")
        .body(Vec::new())
        .unwrap();
    let err = ListJobs::default().parse_response(&resp).unwrap_err();
    assert!(err.to_string().contains("redirect"), "{err}");
}

#[test]
fn hostile_server_text_cannot_break_the_line() {
    let body = br#"{"error":{"errorCode":"200","message":"Auth\nFailed\u001b[2J","details":"x"}}"#
        .to_vec();
    let err = ListJobs::default()
        .parse_response(&response(401, "application/json", body))
        .unwrap_err();
    let shown = err.to_string();
    assert!(
        !shown.contains('\n') && !shown.contains('\u{1b}'),
        "{shown:?}"
    );
}
