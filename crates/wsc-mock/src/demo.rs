//! The demo jobs a mock starts with: one of each state, for the tour and
//! the tests.

use crate::job::{Findings, Phase};
use crate::simulator::PreloadJob;

/// The demo set: one job in each interesting state.
pub fn demo_jobs() -> Vec<PreloadJob> {
    let job = |url: &str, memo: &str, held, high, medium, low| PreloadJob {
        start_url: url.into(),
        memo: memo.into(),
        held: Some(held),
        findings: Findings { high, medium, low },
    };
    vec![
        job(
            "https://shop.example.com",
            "weekly scan",
            Phase::Completed,
            1,
            2,
            4,
        ),
        job(
            "https://blog.example.com",
            "clean baseline",
            Phase::Completed,
            0,
            0,
            2,
        ),
        job(
            "https://old.example.com",
            "legacy site",
            Phase::Failed,
            0,
            0,
            0,
        ),
        job(
            "https://api.example.com",
            "api release",
            Phase::Diagnosing,
            0,
            1,
            1,
        ),
        job(
            "https://staging.example.com",
            "staging nightly",
            Phase::Reserved,
            0,
            0,
            0,
        ),
    ]
}
