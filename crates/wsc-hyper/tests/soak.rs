//! The fault soak: 10,000 mixed operations against wsc-mock at a ~10% random
//! fault rate (every fault kind), seeded. Ignored by default (it takes a while);
//! run with `cargo test -p wsc-hyper --release --test soak -- --ignored --nocapture`
//! or `cargo xtask soak`.
//!
//! Checks: no panic; every failure is a classified error; createJob reaches the
//! service at most once per logical call; connections and memory do not grow.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use wsc_core::RetryPolicy;
use wsc_core::sans_io::OperationKind;
use wsc_core::{CreateJob, ListJobs, SearchBy, SearchJobs};
use wsc_core::{Endpoint, Error, InstanceId, Limit, PageNumber, Timeouts};
use wsc_mock::{CreateResponse, Fault, MockConfig, MockServer, Route, When};

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn open_sockets() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| {
                    std::fs::read_link(e.path())
                        .map(|p| p.to_string_lossy().starts_with("socket:"))
                        .unwrap_or(false)
                })
                .count()
        })
        .unwrap_or(0)
}

fn class(e: &Error) -> String {
    match e {
        Error::Gateway(g) => format!("gateway {:?}", g.kind()),
        Error::Service(s) => format!("service {:?}", s.kind()),
        Error::UnexpectedResponse(u) => format!("unexpected HTTP {}", u.status.as_u16()),
        Error::Transport(t) => format!("transport {:?}", t.kind),
        other => format!("other {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long-running soak; run explicitly"]
async fn ten_thousand_operations_at_ten_percent_faults() {
    let total: usize = std::env::var("WSC_SOAK_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let server = MockServer::start(MockConfig {
        preload_demo_jobs: true,
        create_response: CreateResponse::WithId,
        seed: 42,
        ..MockConfig::default()
    })
    .unwrap();
    let kinds = Fault::all_kinds();
    let per_kind = 0.10 / kinds.len() as f64;
    for fault in kinds {
        let fault = match fault {
            Fault::SlowHeaders(_) => Fault::SlowHeaders(Duration::from_millis(5)),
            Fault::SlowBody(_) => Fault::SlowBody(Duration::from_millis(5)),
            f => f,
        };
        server.inject(Route::Any, When::Probability(per_kind), fault);
    }
    let client = wsc_hyper::Client::builder(
        server.credentials(),
        Endpoint::parse(server.base_url()).unwrap(),
    )
    .retry_policy(
        RetryPolicy::default()
            .with_max_retries(3)
            .with_base_delay(Duration::from_millis(1))
            .with_throttle_base_delay(Duration::from_millis(1))
            .with_max_delay(Duration::from_millis(4))
            .with_max_retry_after(Duration::from_secs(1)),
    )
    .timeouts(
        Timeouts::default()
            .with_attempt(Duration::from_secs(2))
            .with_report_attempt(Duration::from_secs(2)),
    )
    .build()
    .unwrap();

    let completed = server
        .job_ids()
        .into_iter()
        .find(|id| server.phase(*id) == Some(wsc_mock::Phase::Completed))
        .unwrap();
    let started = Instant::now();
    let (mut ok, mut failures): (usize, BTreeMap<String, usize>) = (0, BTreeMap::new());
    let mut creates = 0usize;
    let mut rss_after_warmup = 0;
    let mut sockets_after_warmup = 0;
    let (mut attempts, mut faults_injected, mut creates_served) = (0usize, 0usize, 0usize);
    for i in 0..total {
        if i % 500 == 0 {
            // Fold the server's journal into counters so its growth is not
            // mistaken for the client's.
            let requests = server.requests();
            attempts += requests.len();
            faults_injected += requests.iter().filter(|r| r.fault.is_some()).count();
            creates_served += server.served(OperationKind::CreateJob);
            server.clear_requests();
        }
        if i == 1000 {
            rss_after_warmup = rss_kib();
            sockets_after_warmup = open_sockets();
        }
        let result: Result<(), Error> = match i % 10 {
            0..=4 => client.list_jobs(&ListJobs::default()).await.map(drop),
            5 | 6 => client
                .search_jobs(
                    &SearchJobs::new(
                        SearchBy::Url("example".into()),
                        None,
                        Limit::default(),
                        PageNumber::FIRST,
                    )
                    .unwrap(),
                )
                .await
                .map(drop),
            7 => client.get_report(completed).await.map(drop),
            8 => client.cancel_job(InstanceId::new(999).unwrap()).await, // 901 expected
            _ => {
                creates += 1;
                let before = server.served(OperationKind::CreateJob);
                let r = client
                    .create_job(
                        &CreateJob::builder(format!("https://soak{i}.example"))
                            .build()
                            .unwrap(),
                    )
                    .await
                    .map(drop);
                let arrived = server.served(OperationKind::CreateJob) - before;
                assert!(
                    arrived <= 1,
                    "createJob #{i} reached the service {arrived} times"
                );
                r
            }
        };
        match result {
            Ok(()) => ok += 1,
            Err(e) => {
                assert!(!matches!(e, Error::InvalidInput(_)), "unclassified: {e}");
                assert!(!e.to_string().contains('\n'));
                *failures.entry(class(&e)).or_default() += 1;
            }
        }
    }
    let elapsed = started.elapsed();
    let requests = server.requests();
    attempts += requests.len();
    faults_injected += requests.iter().filter(|r| r.fault.is_some()).count();
    creates_served += server.served(OperationKind::CreateJob);
    server.clear_requests();
    drop(requests);
    let retries = attempts.saturating_sub(total);
    let rss_end = rss_kib();
    let sockets_end = open_sockets();

    println!("\n| measure | value |\n|---|---|");
    println!("| logical operations | {total} |");
    println!("| HTTP attempts seen by the server | {attempts} |");
    println!("| retries | {retries} |");
    println!(
        "| faults injected | {faults_injected} ({:.1}% of attempts) |",
        faults_injected as f64 * 100.0 / attempts as f64
    );
    println!("| successes | {ok} |");
    println!(
        "| classified failures | {} |",
        failures.values().sum::<usize>()
    );
    for (k, v) in &failures {
        println!("| &nbsp;&nbsp;{k} | {v} |");
    }
    println!("| createJob calls / reached the service | {creates} / {creates_served} |");
    println!("| RSS after warm-up → end | {rss_after_warmup} KiB → {rss_end} KiB |");
    println!("| open sockets after warm-up → end | {sockets_after_warmup} → {sockets_end} |");
    println!("| wall time | {:.1} s |", elapsed.as_secs_f64());

    assert!(faults_injected > total / 20, "the fault rate is real");
    assert!(creates_served <= creates);
    // The simulator keeps every created job (a few hundred bytes each); the bound
    // leaves room for that and catches a per-request leak (10,000 requests).
    assert!(
        rss_end < rss_after_warmup + 8 * 1024,
        "memory grew: {rss_after_warmup} -> {rss_end} KiB"
    );
    assert!(
        sockets_end <= sockets_after_warmup + 16,
        "connections grew: {sockets_after_warmup} -> {sockets_end}"
    );
}
