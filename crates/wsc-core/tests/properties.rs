//! Invariants over generated input.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use proptest::prelude::*;
use sha2::Sha256;
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::{CancelJob, Operation, build_request, prepare};
use wsc_core::sans_io::{sign, string_to_sign};
use wsc_core::{CreateJob, ListJobs, SearchBy, SearchJobs};
use wsc_core::{Credentials, Endpoint, InstanceId, Limit, PageNumber};

/// Signature V2 computed here from the documented recipe, independently of
/// `wsc_core::signing`: base64(HMAC-SHA256(secret, "METHOD URI\nTIMESTAMP\nACCESS_KEY")).
fn reference_signature(method: &str, uri: &str, ts: u64, access_key: &str, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{method} {uri}\n{ts}\n{access_key}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn endpoint() -> impl Strategy<Value = Endpoint> {
    (
        "[a-z]{1,10}",
        proptest::option::of("[a-zA-Z0-9_-]{1,8}"),
        proptest::option::of(1u16..),
    )
        .prop_filter_map("valid", |(host, prefix, port)| {
            let mut url = format!("https://{host}.example");
            if let Some(p) = port {
                url.push_str(&format!(":{p}"));
            }
            if let Some(p) = prefix {
                url.push('/');
                url.push_str(&p);
            }
            Endpoint::parse(&url).ok()
        })
}

proptest! {
    #[test]
    fn signatures_verify_under_an_independent_hmac(method in "[A-Z]{1,8}", uri in ".*", ts in any::<u64>(), ak in "[!-~]{1,40}", sk in "[^\\p{Cc}]{1,80}") {
        let creds = Credentials::new(ak.clone(), sk.clone()).unwrap();
        let m = http::Method::from_bytes(method.as_bytes()).unwrap();
        let headers = sign(&m, &uri, TimestampMs(ts), &creds);
        prop_assert_eq!(
            headers.signature().to_str().unwrap(),
            reference_signature(&method, &uri, ts, &ak, &sk)
        );
        prop_assert_eq!(
            string_to_sign(&m, &uri, TimestampMs(ts), creds.access_key()),
            format!("{method} {uri}\n{ts}\n{ak}")
        );
    }

    #[test]
    fn the_signed_uri_is_the_uri_of_the_request(e in endpoint(), limit in 1u32..=100, page in 1u32.., id in 1u64.., ts in any::<u64>()) {
        let creds = Credentials::new("AK", "SK").unwrap();
        let list = ListJobs::new(Limit::new(limit).unwrap(), PageNumber::new(page).unwrap());
        let cancel = CancelJob::new(InstanceId::new(id).unwrap());
        for (prepared, req) in [
            (prepare(&list, &e).unwrap(), build_request(&list, &e, &creds, TimestampMs(ts)).unwrap()),
            (prepare(&cancel, &e).unwrap(), build_request(&cancel, &e, &creds, TimestampMs(ts)).unwrap()),
        ] {
            let wire = req.uri().path_and_query().unwrap().as_str();
            prop_assert_eq!(prepared.request_target(), wire);
            let expected = sign(req.method(), wire, TimestampMs(ts), &creds);
            prop_assert_eq!(req.headers()["x-ncp-apigw-signature-v2"].as_bytes(), expected.signature().as_bytes());
        }
    }

    #[test]
    fn instance_ids_parse_only_plain_integers(s in ".{0,24}") {
        match s.parse::<InstanceId>() {
            Ok(id) => {
                prop_assert!(s.bytes().all(|b| b.is_ascii_digit()));
                prop_assert_eq!(id.get(), s.parse::<u64>().unwrap());
            }
            Err(e) => {
                let message = e.to_string();
                prop_assert_eq!(e.field, "instance id");
                prop_assert!(message.starts_with("invalid instance id: "), "{}", message);
                let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                if s.is_empty() {
                    prop_assert!(message.contains("is empty"), "{}", message);
                } else if !digits {
                    // The message quotes what was given (the first 32 characters).
                    let quoted = format!("{:?}", s.chars().take(32).collect::<String>());
                    prop_assert!(message.contains(&quoted), "{} lacks {}", message, quoted);
                } else if s.parse::<u64>().is_err() {
                    prop_assert!(message.contains("too large"), "{}", message);
                } else {
                    prop_assert_eq!(s.parse::<u64>().unwrap(), 0);
                    prop_assert!(message.contains("not 0"), "{}", message);
                }
            }
        }
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_responses(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let resp = http::Response::builder().status(status).body(body).unwrap();
        let _ = ListJobs::default().parse_response(&resp);
        let _ = CancelJob::new(InstanceId::new(1).unwrap()).parse_response(&resp);
        let _ = wsc_core::sans_io::GetReport::new(InstanceId::new(1).unwrap()).parse_response(&resp);
        let _ = CreateJob::builder("https://a.example").build().unwrap().parse_response(&resp);
        let _ = SearchJobs::new(SearchBy::All, None, Limit::default(), PageNumber::FIRST).unwrap().parse_response(&resp);
    }

    #[test]
    fn parsers_never_panic_on_json_like_bodies(body in r#"\{("(returnCode|resources|error|errorCode|record_data|instanceNo|status|crawl_cnt)":(null|"[0-9a-z ]{0,4}"|[0-9]{1,3}|\{|\[|\]|\}|,)){0,12}"#) {
        let resp = http::Response::builder().status(200).body(body.into_bytes()).unwrap();
        let _ = ListJobs::default().parse_response(&resp);
        let _ = wsc_core::sans_io::GetReport::new(InstanceId::new(1).unwrap()).parse_response(&resp);
    }

    #[test]
    fn create_job_accepts_only_safe_header_values(name in "[A-Za-z-]{1,20}", value in ".{0,40}") {
        let result = CreateJob::builder("https://a.example").header(name, value.clone()).build();
        if result.is_ok() {
            prop_assert!(!value.contains('\r') && !value.contains('\n') && !value.contains('\0'));
        }
    }
}
