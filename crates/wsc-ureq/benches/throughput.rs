//! Measure 6: `wsc-ureq`, a batch of sequential keep-alive getJobs calls
//! against a canned loopback server (`wsc_mock::canned`), versus a bare
//! `ureq::Agent` running a pre-built identical request and reading the body.
//! One criterion iteration is one whole batch (5,000 calls; 500 with
//! `WSC_BENCH_QUICK=1`); requests/s = batch / time.
//!
//! Run: `cargo bench -p wsc-ureq --bench throughput`

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

use std::time::{Instant, SystemTime};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use wsc_core::operations::{ListJobs, build_request};
use wsc_core::{Credentials, Endpoint, TimestampMs};
use wsc_mock::canned::{CannedServer, sample_page};

fn batch_size() -> usize {
    if std::env::var_os("WSC_BENCH_QUICK").is_some() {
        500
    } else {
        5_000
    }
}

fn throughput(c: &mut Criterion) {
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
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .unwrap();
    let calls = batch_size();

    let mut g = c.benchmark_group("ureq_sequential");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    let ours_fn = |b: &mut criterion::Bencher<'_>| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters * calls as u64 {
                std::hint::black_box(client.list_jobs(&op).unwrap());
            }
            start.elapsed()
        })
    };
    let baseline_fn = |b: &mut criterion::Bencher<'_>| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters * calls as u64 {
                let mut response = agent.run(prebuilt.clone()).unwrap();
                std::hint::black_box(response.body_mut().read_to_vec().unwrap());
            }
            start.elapsed()
        })
    };
    // The xtask alternates the order between rounds (see wsc-core's benches).
    if std::env::var_os("WSC_BENCH_BASELINE_FIRST").is_some() {
        g.bench_function("baseline", baseline_fn);
        g.bench_function("ours", ours_fn);
    } else {
        g.bench_function("ours", ours_fn);
        g.bench_function("baseline", baseline_fn);
    }
    g.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
