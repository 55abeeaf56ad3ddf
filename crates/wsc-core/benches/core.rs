//! Micro-benchmarks of the core, each against a baseline measured in the same
//! process, interleaved batch by batch so machine noise hits both alike.
//! Prints one `BENCH` line per measure for `cargo xtask bench` to tabulate.
//!
//! Run: `cargo bench -p wsc-core --bench core`

// The counting allocator below is the only unsafe code in the workspace.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use wsc_core::operations::{ListJobs, Operation, build_request};
use wsc_core::signing::{signature, string_to_sign};
use wsc_core::{Credentials, Endpoint, Limit, PageNumber, TimestampMs};

/// Counts allocations, for the allocations-per-request measure.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const ACCESS: &str = "C9zxQyBQVqcRNQmcAXKn";
const SECRET: &str = "NDgSdssXg4RiMMN1f5dqIe775GJXzSe8hWpd2X3g";

/// Median time per iteration of `ours` and `baseline`, alternating batches.
fn compare(
    iters: u32,
    rounds: usize,
    mut ours: impl FnMut(),
    mut baseline: impl FnMut(),
) -> (Duration, Duration) {
    let mut a = Vec::with_capacity(rounds);
    let mut b = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let time = |f: &mut dyn FnMut()| {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            start.elapsed() / iters
        };
        // Alternate which goes first, so neither always gets the warm cache.
        if round % 2 == 0 {
            a.push(time(&mut ours));
            b.push(time(&mut baseline));
        } else {
            b.push(time(&mut baseline));
            a.push(time(&mut ours));
        }
    }
    a.sort();
    b.sort();
    (a[rounds / 2], b[rounds / 2])
}

fn report(name: &str, ours: Duration, baseline: Duration, target: &str) {
    let ratio = ours.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "BENCH\t{name}\t{:.0} ns\t{:.0} ns\t{ratio:.3}\t{target}",
        ours.as_nanos(),
        baseline.as_nanos()
    );
}

/// The baseline of 1 and 2: one bare HMAC-SHA256 + base64 of the same
/// string-to-sign, keyed per call (RustCrypto).
fn bare_hmac(message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn page_json(records: usize) -> Vec<u8> {
    let mut items = Vec::new();
    for i in 0..records {
        // The wire's quirks: string ids and counts, "" and null, localized labels.
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

/// `--count ITEM N`: run one measured function N times and nothing else, for
/// instruction counting under callgrind (`cargo xtask bench` subtracts N=0).
fn count_mode(item: &str, n: u64) {
    let creds = Credentials::new(ACCESS, SECRET).unwrap();
    let endpoint = Endpoint::parse("https://wsc.apigw.ntruss.com").unwrap();
    let op = ListJobs::new(Limit::new(10).unwrap(), PageNumber::FIRST);
    let ts = TimestampMs(1_700_000_000_000);
    let body = page_json(100);
    let response = http::Response::new(body.clone());
    let sts = string_to_sign(
        &http::Method::GET,
        "/api/v1/jobs?limit=10&page=1",
        ts,
        creds.access_key(),
    );
    for _ in 0..n {
        match item {
            "build" => drop(black_box(
                build_request(black_box(&op), &endpoint, &creds, ts).unwrap(),
            )),
            "sign" => drop(black_box(signature(
                &http::Method::GET,
                black_box("/api/v1/jobs?limit=10&page=1"),
                b"1700000000000",
                &creds,
            ))),
            "hmac" => drop(black_box(bare_hmac(black_box(sts.as_bytes())))),
            "parse" => drop(black_box(op.parse_response(black_box(&response)).unwrap())),
            "dom" => drop(black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap(),
            )),
            _ => {}
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--count") {
        let item = args.get(i + 1).map(String::as_str).unwrap_or("");
        let n = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(0);
        count_mode(item, n);
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let rounds = if quick { 5 } else { 31 };
    let creds = Credentials::new(ACCESS, SECRET).unwrap();
    let endpoint = Endpoint::parse("https://wsc.apigw.ntruss.com").unwrap();
    let op = ListJobs::new(Limit::new(10).unwrap(), PageNumber::FIRST);
    let uri = "/api/v1/jobs?limit=10&page=1";
    let ts = TimestampMs(1_700_000_000_000);
    let sts = string_to_sign(&http::Method::GET, uri, ts, creds.access_key());

    // 1. Build + sign a complete getJobs request vs bare HMAC + base64 keyed per call.
    let (ours, base) = compare(
        2_000,
        rounds,
        || {
            black_box(build_request(black_box(&op), &endpoint, &creds, ts).unwrap());
        },
        || {
            black_box(bare_hmac(black_box(sts.as_bytes())));
        },
    );
    report("build+sign getJobs request", ours, base, "<= 1.50");

    // 2. Sign alone, pre-keyed, vs keyed per call.
    let (ours, base) = compare(
        4_000,
        rounds,
        || {
            black_box(signature(
                &http::Method::GET,
                black_box(uri),
                b"1700000000000",
                &creds,
            ));
        },
        || {
            black_box(bare_hmac(black_box(sts.as_bytes())));
        },
    );
    report("sign, pre-keyed", ours, base, "<= 0.70");

    // 3. Heap allocations per built signed request.
    let _warm = build_request(&op, &endpoint, &creds, ts).unwrap();
    let n = 1_000u64;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..n {
        black_box(build_request(black_box(&op), &endpoint, &creds, ts).unwrap());
    }
    let per_request = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / n as f64;
    println!("BENCH\theap allocations per signed request\t{per_request:.1}\t-\t-\t<= 6");

    // 4. Parse a 100-record page into typed records vs a serde_json DOM parse.
    let body = page_json(100);
    let response = http::Response::new(body.clone());
    let (ours, base) = compare(
        30,
        rounds,
        || {
            black_box(op.parse_response(black_box(&response)).unwrap());
        },
        || {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap());
        },
    );
    report("parse 100-record page (typed)", ours, base, "<= 1.00");
}
