//! Criterion benchmarks of the core, each group holding `ours` and the
//! `baseline` the issue names, measured in the same process one after the other.
//! `cargo xtask bench` runs this several times and reports the median ratio.
//!
//! 1. `build_sign`: build + sign a complete getJobs `http::Request` vs a bare
//!    keyed-per-call HMAC-SHA256 + base64 of the same string-to-sign.
//! 2. `sign_prekeyed`: the signature alone on pre-keyed credentials, same baseline.
//! 4. `parse_page`: a 100-record page into typed records vs a `serde_json::Value`.
//!
//! (3, allocations, is `benches/allocations.rs`: a counting allocator here
//! would slow `ours` more than the baseline.)
//!
//! Run: `cargo bench -p wsc-core --bench core`

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use wsc_core::operations::{Operation, build_request};
use wsc_core::signing::signature;

mod common;
use common::{Inputs, TARGET, TS, TS_TEXT, bare_hmac};

/// Measures `ours` and `baseline` in the order `WSC_BENCH_BASELINE_FIRST` asks
/// for: the xtask alternates it between rounds, so drift on a noisy machine
/// does not always favour the same side.
fn pair<O, B>(g: &mut BenchmarkGroup<'_, WallTime>, mut ours: O, mut baseline: B)
where
    O: FnMut(&mut criterion::Bencher<'_>),
    B: FnMut(&mut criterion::Bencher<'_>),
{
    if std::env::var_os("WSC_BENCH_BASELINE_FIRST").is_some() {
        g.bench_function("baseline", &mut baseline);
        g.bench_function("ours", &mut ours);
    } else {
        g.bench_function("ours", &mut ours);
        g.bench_function("baseline", &mut baseline);
    }
}

fn build_sign(c: &mut Criterion) {
    let i = Inputs::new();
    let mut g = c.benchmark_group("build_sign");
    pair(
        &mut g,
        |b| b.iter(|| build_request(black_box(&i.op), &i.endpoint, &i.creds, TS).unwrap()),
        |b| b.iter(|| bare_hmac(black_box(&i.string_to_sign))),
    );
    g.finish();
}

fn sign_prekeyed(c: &mut Criterion) {
    let i = Inputs::new();
    let mut g = c.benchmark_group("sign_prekeyed");
    pair(
        &mut g,
        |b| b.iter(|| signature(&http::Method::GET, black_box(TARGET), TS_TEXT, &i.creds)),
        |b| b.iter(|| bare_hmac(black_box(&i.string_to_sign))),
    );
    g.finish();
}

fn parse_page(c: &mut Criterion) {
    let i = Inputs::new();
    let response = http::Response::new(i.page.clone());
    let mut g = c.benchmark_group("parse_page");
    pair(
        &mut g,
        |b| b.iter(|| i.op.parse_response(black_box(&response)).unwrap()),
        |b| b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&i.page)).unwrap()),
    );
    g.finish();
}

criterion_group!(benches, build_sign, sign_prekeyed, parse_page);
criterion_main!(benches);
