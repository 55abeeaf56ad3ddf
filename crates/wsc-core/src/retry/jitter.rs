//! Randomness for backoff: full jitter from a seeded generator.

use std::time::Duration;

/// A source of randomness for jitter (any RNG; a closure works).
pub trait RandomSource {
    /// A uniformly distributed `u64`.
    fn next_u64(&mut self) -> u64;
}

impl<F: FnMut() -> u64> RandomSource for F {
    fn next_u64(&mut self) -> u64 {
        self()
    }
}

/// A small seeded generator (xorshift64*) for jitter: the caller seeds it, so
/// the core stays deterministic. Not for anything secret.
#[derive(Debug, Clone)]
pub struct Jitter {
    state: u64,
}

impl Jitter {
    /// A generator from `seed` (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Self { state: seed | 1 }
    }
}

impl RandomSource for Jitter {
    fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Full jitter: uniform in `[0, min(cap, base · 2^retry)]`.
pub(super) fn full_jitter(
    base: Duration,
    retry: u32,
    cap: Duration,
    rng: &mut dyn RandomSource,
) -> Duration {
    let ceiling = base
        .saturating_mul(1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX))
        .min(cap);
    let ceiling_ms = ceiling.as_millis() as u64;
    if ceiling_ms == 0 {
        return Duration::ZERO;
    }
    // Multiply-shift maps a u64 uniformly onto [0, ceiling] without modulo bias.
    let scaled = (u128::from(rng.next_u64()) * u128::from(ceiling_ms + 1)) >> 64;
    Duration::from_millis(scaled as u64)
}
