//! Measure 6: `wsc-ureq`, a batch of sequential keep-alive getJobs calls
//! against a canned loopback server (`wsc_mock::canned`), versus a bare
//! `ureq::Agent` running a pre-built identical request and reading the body
//! (`ureq_sequential`), and versus the same bare agent given the per-call
//! timeout `wsc-ureq` sets on every attempt (`ureq_sequential_same_timeout`).
//! With any timeout that covers name resolution, ureq resolves on a new
//! thread for every request; the second pair separates that cost (ureq's)
//! from the adapter's own.
//! One criterion iteration is one whole batch (5,000 calls; 500 with
//! `WSC_BENCH_QUICK=1`); requests/s = batch / time.
//!
//! Criterion measures each side on its own, then `bench_support`
//! interleaves the two batch by batch and prints the median ratio, which is
//! what `cargo xtask bench` judges (`WSC_BENCH_PAIRED_ONLY=1` skips criterion).
//!
//! Run: `cargo bench -p wsc-ureq --bench throughput`

use std::time::{Duration, Instant, SystemTime};

use bench_support::Paired;
use criterion::{Criterion, SamplingMode};
use wsc_core::ListJobs;
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::build_request;
use wsc_core::{Credentials, Endpoint};
use wsc_mock::canned::{CannedServer, sample_page};

fn batch_size() -> usize {
    if std::env::var_os("WSC_BENCH_QUICK").is_some() {
        500
    } else {
        5_000
    }
}

fn main() {
    let server = CannedServer::start(sample_page(1), 1).unwrap();
    let endpoint = Endpoint::parse(&server.base_url()).unwrap();
    let creds = Credentials::new("AK", "SK").unwrap();
    let client = wsc_ureq::Client::new(creds.clone(), endpoint.clone()).unwrap();
    let op = ListJobs::default();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let prebuilt = build_request(
        &op,
        &endpoint,
        &creds,
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .unwrap();
    let calls = batch_size();

    let mut ours_fn = |iters: u64| -> Duration {
        let start = Instant::now();
        for _ in 0..iters * calls as u64 {
            std::hint::black_box(client.list_jobs(&op).unwrap());
        }
        start.elapsed()
    };
    let bare = |agent: &ureq::Agent, iters: u64| -> Duration {
        let start = Instant::now();
        for _ in 0..iters * calls as u64 {
            let mut response = agent.run(prebuilt.clone()).unwrap();
            std::hint::black_box(response.body_mut().read_to_vec().unwrap());
        }
        start.elapsed()
    };
    let timed_agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_per_call(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut baseline_fn = |iters: u64| bare(&agent, iters);
    if std::env::var_os("WSC_BENCH_PAIRED_ONLY").is_none() {
        let mut c = Criterion::default().configure_from_args();
        let mut g = c.benchmark_group("ureq_sequential");
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function("ours", |b| b.iter_custom(&mut ours_fn));
        g.bench_function("baseline", |b| b.iter_custom(&mut baseline_fn));
        g.finish();
        c.final_summary();
    }
    Paired::new("ureq_sequential")
        .pairs(21)
        .calls_per_iteration(calls as u64)
        .run(&mut ours_fn, baseline_fn)
        .print();
    Paired::new("ureq_sequential_same_timeout")
        .pairs(21)
        .calls_per_iteration(calls as u64)
        .run(ours_fn, |iters| bare(&timed_agent, iters))
        .print();
}
