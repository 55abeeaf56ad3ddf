//! The callgrind workload of `cargo xtask bench`: runs one measured function
//! `N` times and nothing else. The xtask counts instructions for `N` and for
//! `0` and divides the difference by `N`, so start-up cost cancels out.
//!
//! Usage: `instructions <build|sign|hmac|parse|dom> <N>`

use std::hint::black_box;

use wsc_core::sans_io::signature;
use wsc_core::sans_io::{Operation, build_request};

mod common;
use common::{Inputs, TARGET, TS, TS_TEXT, bare_hmac};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes `--bench`: ignore flags.
    let mut words = args.iter().skip(1).filter(|a| !a.starts_with("--"));
    let item = words.next().map(String::as_str).unwrap_or("");
    let n: u64 = words.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let i = Inputs::new();
    let response = http::Response::new(i.page.clone());
    for _ in 0..n {
        match item {
            "build" => drop(black_box(
                build_request(black_box(&i.op), &i.endpoint, &i.creds, TS).unwrap(),
            )),
            "sign" => drop(black_box(signature(
                &http::Method::GET,
                black_box(TARGET),
                TS_TEXT,
                &i.creds,
            ))),
            "hmac" => drop(black_box(bare_hmac(black_box(&i.string_to_sign)))),
            "parse" => drop(black_box(
                i.op.parse_response(black_box(&response)).unwrap(),
            )),
            "dom" => drop(black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(&i.page)).unwrap(),
            )),
            _ => {}
        }
    }
}
