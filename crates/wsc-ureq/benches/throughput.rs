//! `wsc-ureq`: 5,000 sequential keep-alive getJobs calls against a canned
//! loopback server, versus a bare `ureq::Agent` sending pre-built requests.
//! Rounds alternate; the median requests/s of each side is compared.
//!
//! Run: `cargo bench -p wsc-ureq --bench throughput`

use std::time::Instant;

use wsc_core::operations::{ListJobs, build_request};
use wsc_core::{Credentials, Endpoint, TimestampMs};
use wsc_mock::canned::{CannedServer, sample_page};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (calls, rounds) = if quick { (500, 3) } else { (5_000, 5) };
    let server = CannedServer::start(sample_page(1), 1).unwrap();
    let endpoint = Endpoint::parse(&server.base_url()).unwrap();
    let creds = Credentials::new("AK", "SK").unwrap();
    let client = wsc_ureq::Client::new(creds.clone(), endpoint.clone());
    let op = ListJobs::default();

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let prebuilt = build_request(
        &op,
        &endpoint,
        &creds,
        TimestampMs::from_system_time(std::time::SystemTime::now()),
    )
    .unwrap();

    let mut ours = Vec::new();
    let mut base = Vec::new();
    for round in 0..rounds * 2 {
        let start = Instant::now();
        if round % 2 == 0 {
            for _ in 0..calls {
                std::hint::black_box(client.list_jobs(&op).unwrap());
            }
            ours.push(calls as f64 / start.elapsed().as_secs_f64());
        } else {
            for _ in 0..calls {
                let mut resp = agent.run(prebuilt.clone()).unwrap();
                std::hint::black_box(resp.body_mut().read_to_vec().unwrap());
            }
            base.push(calls as f64 / start.elapsed().as_secs_f64());
        }
    }
    ours.sort_by(f64::total_cmp);
    base.sort_by(f64::total_cmp);
    let (o, b) = (ours[ours.len() / 2], base[base.len() / 2]);
    println!(
        "BENCH\twsc-ureq {calls} sequential calls (req/s)\t{o:.0} req/s\t{b:.0} req/s\t{:.3}\t>= 0.85",
        o / b
    );
}
