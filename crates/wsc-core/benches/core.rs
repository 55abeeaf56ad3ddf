//! Benchmarks of the core, each pairing `ours` with its `baseline` (the bare
//! work it does, as `docs/performance.md` lists):
//!
//! 1. `build_sign`: build + sign a complete getJobs `http::Request` vs a bare
//!    keyed-per-call HMAC-SHA256 + base64 of the same string-to-sign.
//! 2. `sign_prekeyed`: the signature alone on pre-keyed credentials vs a bare
//!    HMAC from a cloned pre-keyed state + base64.
//! 4. `parse_page`: a 100-record page into typed records vs a `serde_json::Value`.
//!
//! (3, allocations, is `benches/allocations.rs`: a counting allocator here
//! would slow `ours` more than the baseline.)
//!
//! Each comparison runs twice: criterion measures each side on its own (its
//! reports and change detection live in `target/criterion`), then
//! `bench_support` interleaves the two in short samples and prints the
//! median ratio, which is what `cargo xtask bench` judges.
//! `WSC_BENCH_PAIRED_ONLY=1` skips the criterion half.
//!
//! Run: `cargo bench -p wsc-core --bench core`

use std::hint::black_box;
use std::time::{Duration, Instant};

use bench_support::Paired;
use criterion::Criterion;
use wsc_core::sans_io::signature;
use wsc_core::sans_io::{Operation, build_request};

mod common;
use common::{Inputs, TARGET, TS, TS_TEXT, bare_hmac, bare_hmac_prekeyed, prekeyed};

/// `n` runs of `f`, timed (criterion's `iter_custom` shape).
fn timed<T>(n: u64, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        black_box(f());
    }
    start.elapsed()
}

/// Measures one comparison both ways: criterion per side, then interleaved pairs.
fn compare(
    c: &mut Option<Criterion>,
    name: &str,
    mut ours: impl FnMut(u64) -> Duration,
    mut baseline: impl FnMut(u64) -> Duration,
) {
    if let Some(c) = c {
        let mut g = c.benchmark_group(name);
        g.bench_function("ours", |b| b.iter_custom(&mut ours));
        g.bench_function("baseline", |b| b.iter_custom(&mut baseline));
        g.finish();
    }
    Paired::new(name).run(ours, baseline).print();
}

fn main() {
    let mut criterion = std::env::var_os("WSC_BENCH_PAIRED_ONLY")
        .is_none()
        .then(|| Criterion::default().configure_from_args());
    let i = Inputs::new();
    let response = http::Response::new(i.page.clone());
    let keyed = prekeyed();

    compare(
        &mut criterion,
        "build_sign",
        |n| {
            timed(n, || {
                build_request(black_box(&i.op), &i.endpoint, &i.creds, TS).unwrap()
            })
        },
        |n| timed(n, || bare_hmac(black_box(&i.string_to_sign))),
    );
    compare(
        &mut criterion,
        "sign_prekeyed",
        |n| {
            timed(n, || {
                signature(&http::Method::GET, black_box(TARGET), TS_TEXT, &i.creds)
            })
        },
        |n| {
            timed(n, || {
                bare_hmac_prekeyed(&keyed, black_box(&i.string_to_sign))
            })
        },
    );
    compare(
        &mut criterion,
        "parse_page",
        |n| timed(n, || i.op.parse_response(black_box(&response)).unwrap()),
        |n| {
            timed(n, || {
                serde_json::from_slice::<serde_json::Value>(black_box(&i.page)).unwrap()
            })
        },
    );
    if let Some(c) = criterion {
        c.final_summary();
    }
}
