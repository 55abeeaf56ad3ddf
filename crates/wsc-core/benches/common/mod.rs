//! What every core benchmark measures against: the inputs, and the baselines
//! (the bare work the core's code must stay close to; `docs/performance.md`
//! lists them). Shared by `core` (time), `allocations` (count) and
//! `instructions` (callgrind workload), so the three measure the same thing.

#![allow(dead_code)] // each bench target uses its own subset

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use wsc_core::ListJobs;
use wsc_core::sans_io::TimestampMs;
use wsc_core::{Credentials, Endpoint, Limit, PageNumber};

/// The docs' example access key and secret (not real credentials).
pub const ACCESS: &str = "C9zxQyBQVqcRNQmcAXKn";
/// See [`ACCESS`].
pub const SECRET: &str = "NDgSdssXg4RiMMN1f5dqIe775GJXzSe8hWpd2X3g";
/// The request-target of the measured getJobs request.
pub const TARGET: &str = "/api/v1/jobs?limit=10&page=1";
/// Its timestamp, as a value and as the decimal text that is signed.
pub const TS: TimestampMs = TimestampMs(1_700_000_000_000);
/// See [`TS`].
pub const TS_TEXT: &[u8] = b"1700000000000";

/// Everything a measured call needs, built once outside the measurement.
pub struct Inputs {
    pub creds: Credentials,
    pub endpoint: Endpoint,
    pub op: ListJobs,
    /// The string-to-sign of the measured request (what the baseline hashes).
    pub string_to_sign: Vec<u8>,
    /// A 100-record getJobs page with the wire's quirks.
    pub page: Vec<u8>,
}

impl Inputs {
    pub fn new() -> Self {
        let creds = Credentials::new(ACCESS, SECRET).unwrap();
        let string_to_sign =
            wsc_core::sans_io::string_to_sign(&http::Method::GET, TARGET, TS, creds.access_key())
                .into_bytes();
        Self {
            creds,
            endpoint: Endpoint::parse("https://wsc.apigw.ntruss.com").unwrap(),
            op: ListJobs::new(Limit::new(10).unwrap(), PageNumber::FIRST),
            string_to_sign,
            page: page_json(100),
        }
    }
}

/// The baseline of measure 1: one bare HMAC-SHA256 + base64 of the same
/// string-to-sign, keyed per call (RustCrypto), into a `String`.
pub fn bare_hmac(message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The baseline of measure 2: the same, from a pre-keyed HMAC state cloned
/// per call — what a careful hand-written signer would do.
pub fn bare_hmac_prekeyed(keyed: &Hmac<Sha256>, message: &[u8]) -> String {
    let mut mac = keyed.clone();
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// A pre-keyed HMAC state for [`bare_hmac_prekeyed`].
pub fn prekeyed() -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap()
}

/// A getJobs page of `records` records with the wire's quirks: ids and counts
/// as strings, `""` and `null`, Korean and Japanese labels, unknown fields.
pub fn page_json(records: usize) -> Vec<u8> {
    let mut items = Vec::new();
    for i in 0..records {
        let (status, progress, crawl) = match i % 4 {
            0 => ("진단 완료", "\"100\"".to_owned(), format!("\"{}\"", 40 + i)),
            1 => ("URL 수집중", "null".to_owned(), "\"\"".to_owned()),
            2 => ("診断進行中", format!("{}", i % 100), format!("{}", 10 + i)),
            _ => ("예약", "null".to_owned(), "\"\"".to_owned()),
        };
        items.push(format!(
            r#"{{"instanceNo":"{}","start_date":"2024-07-10 13:42:38","end_date":"","status":"{status}","progress":{progress},"start_url":"https://site{i}.example.com/path","crawl_cnt":{crawl},"scan_cnt":"{}","memo":"nightly scan {i}","result_button":"report","result_desc":"","rescan_button":"","slave_data":null}}"#,
            1_234_567_000 + i,
            i % 9
        ));
    }
    format!(
        r#"{{"returnCode":"0","returnDesc":"Request Success","returnMessage":"Success","resources":{{"total_cnt":"{records}","total_page_cnt":1,"current_start_page":1,"current_end_page":1,"record_data":[{}]}}}}"#,
        items.join(",")
    )
    .into_bytes()
}
