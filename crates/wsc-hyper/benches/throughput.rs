//! Measure 5: `wsc-hyper`, a batch of getJobs calls at concurrency 64 against
//! a canned loopback server (`wsc_mock::canned`), versus a bare hyper-util
//! client sending a pre-built identical request and collecting the body (no
//! signing, no parsing). One criterion iteration is one whole batch (20,000
//! calls; 2,000 with `WSC_BENCH_QUICK=1`); requests/s = batch / time.
//!
//! Both sides share the server and a 1-worker tokio runtime; each has its own
//! pool, sized to the concurrency.
//!
//! Criterion measures each side on its own, then `bench_support`
//! interleaves the two batch by batch and prints the median ratio, which is
//! what `cargo xtask bench` judges (`WSC_BENCH_PAIRED_ONLY=1` skips criterion).
//!
//! Run: `cargo bench -p wsc-hyper --bench throughput`

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use bench_support::Paired;
use bytes::Bytes;
use criterion::{Criterion, SamplingMode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use tokio::runtime::Runtime;
use wsc_core::ListJobs;
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::build_request;
use wsc_core::{Credentials, Endpoint};
use wsc_mock::canned::{CannedServer, sample_page};

const CONCURRENCY: usize = 64;

fn batch_size() -> usize {
    if std::env::var_os("WSC_BENCH_QUICK").is_some() {
        2_000
    } else {
        20_000
    }
}

/// Runs `calls` calls of `one` spread over [`CONCURRENCY`] tasks; the time taken.
fn run_batch<F, Fut>(runtime: &Runtime, calls: usize, one: F) -> Duration
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    runtime.block_on(async move {
        let per_task = calls / CONCURRENCY;
        let start = Instant::now();
        let tasks: Vec<_> = (0..CONCURRENCY)
            .map(|_| {
                let one = one.clone();
                tokio::spawn(async move {
                    for _ in 0..per_task {
                        one().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        start.elapsed()
    })
}

fn main() {
    let server = CannedServer::start(sample_page(1), 1).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let endpoint = Endpoint::parse(&server.base_url()).unwrap();
    let creds = Credentials::new("AK", "SK").unwrap();
    let calls = batch_size();

    let ours = {
        let _guard = runtime.enter();
        wsc_hyper::Client::builder(creds.clone(), endpoint.clone())
            .max_idle_connections_per_host(CONCURRENCY)
            .build()
            .unwrap()
    };
    let bare: HyperClient<_, Full<Bytes>> = HyperClient::builder(TokioExecutor::new())
        .pool_max_idle_per_host(CONCURRENCY)
        .build_http();
    let prebuilt = build_request(
        &ListJobs::default(),
        &endpoint,
        &creds,
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .unwrap()
    .map(Bytes::from);

    let mut ours_fn = |iters: u64| -> Duration {
        (0..iters)
            .map(|_| {
                let client = ours.clone();
                run_batch(&runtime, calls, move || {
                    let client = client.clone();
                    async move {
                        std::hint::black_box(client.list_jobs(&ListJobs::default()).await.unwrap());
                    }
                })
            })
            .sum()
    };
    let mut baseline_fn = |iters: u64| -> Duration {
        (0..iters)
            .map(|_| {
                let (bare, prebuilt) = (bare.clone(), prebuilt.clone());
                run_batch(&runtime, calls, move || {
                    let (bare, request) = (bare.clone(), prebuilt.clone().map(Full::new));
                    async move {
                        let response = bare.request(request).await.unwrap();
                        std::hint::black_box(
                            response.into_body().collect().await.unwrap().to_bytes(),
                        );
                    }
                })
            })
            .sum()
    };
    if std::env::var_os("WSC_BENCH_PAIRED_ONLY").is_none() {
        let mut c = Criterion::default().configure_from_args();
        let mut g = c.benchmark_group("hyper_64way");
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function("ours", |b| b.iter_custom(&mut ours_fn));
        g.bench_function("baseline", |b| b.iter_custom(&mut baseline_fn));
        g.finish();
        c.final_summary();
    }
    Paired::new("hyper_64way")
        .pairs(21)
        .calls_per_iteration(calls as u64)
        .run(ours_fn, baseline_fn)
        .print();
}
