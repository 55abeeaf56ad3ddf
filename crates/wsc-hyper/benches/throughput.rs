//! `wsc-hyper`: 20,000 getJobs calls at concurrency 64 against a canned
//! loopback server, versus a bare hyper-util client sending pre-built identical
//! requests. Rounds alternate; the median requests/s of each side is compared.
//!
//! Run: `cargo bench -p wsc-hyper --bench throughput`

use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use wsc_core::operations::{ListJobs, build_request};
use wsc_core::{Credentials, Endpoint, TimestampMs};
use wsc_mock::canned::{CannedServer, sample_page};

const CONCURRENCY: usize = 64;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (calls, rounds) = if quick { (2_000, 3) } else { (20_000, 5) };
    let server = CannedServer::start(sample_page(1), 1).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let endpoint = Endpoint::parse(&server.base_url()).unwrap();
    let creds = Credentials::new("AK", "SK").unwrap();

    let (o, b) = runtime.block_on(async move {
        let client = wsc_hyper::Client::new(creds.clone(), endpoint.clone()).unwrap();
        let bare: HyperClient<_, Full<Bytes>> = HyperClient::builder(TokioExecutor::new())
            .pool_max_idle_per_host(CONCURRENCY)
            .build_http();
        let prebuilt = build_request(
            &ListJobs::default(),
            &endpoint,
            &creds,
            TimestampMs::from_system_time(std::time::SystemTime::now()),
        )
        .unwrap()
        .map(Bytes::from);
        let per_task = calls / CONCURRENCY;
        let mut ours = Vec::new();
        let mut base = Vec::new();
        for round in 0..rounds * 2 {
            let start = Instant::now();
            let mut tasks = Vec::with_capacity(CONCURRENCY);
            for _ in 0..CONCURRENCY {
                if round % 2 == 0 {
                    let client = client.clone();
                    tasks.push(tokio::spawn(async move {
                        let op = ListJobs::default();
                        for _ in 0..per_task {
                            std::hint::black_box(client.list_jobs(&op).await.unwrap());
                        }
                    }));
                } else {
                    let bare = bare.clone();
                    let prebuilt = prebuilt.clone();
                    tasks.push(tokio::spawn(async move {
                        for _ in 0..per_task {
                            let req = prebuilt.clone().map(Full::new);
                            let resp = bare.request(req).await.unwrap();
                            std::hint::black_box(
                                resp.into_body().collect().await.unwrap().to_bytes(),
                            );
                        }
                    }));
                }
            }
            for t in tasks {
                t.await.unwrap();
            }
            let rate = (per_task * CONCURRENCY) as f64 / start.elapsed().as_secs_f64();
            if round % 2 == 0 {
                ours.push(rate)
            } else {
                base.push(rate)
            }
        }
        ours.sort_by(f64::total_cmp);
        base.sort_by(f64::total_cmp);
        (ours[ours.len() / 2], base[base.len() / 2])
    });
    println!(
        "BENCH\twsc-hyper {calls} calls at concurrency {CONCURRENCY} (req/s)\t{o:.0} req/s\t{b:.0} req/s\t{:.3}\t>= 0.85",
        o / b
    );
}
