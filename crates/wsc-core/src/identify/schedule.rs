//! When identification lists the jobs.

use std::time::Duration;

/// When to list while identifying: at once, then after pauses that double
/// from `first_pause` up to `max_pause`, until the deadline (or, without one,
/// `max_listings` listings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingSchedule {
    first_pause: Duration,
    max_pause: Duration,
    pub(super) max_listings: u32,
}

impl Default for ListingSchedule {
    /// 0, 1, 2, 4, 8, 8, … seconds; at most 20 listings without a deadline.
    fn default() -> Self {
        Self {
            first_pause: Duration::from_secs(1),
            max_pause: Duration::from_secs(8),
            max_listings: 20,
        }
    }
}

impl ListingSchedule {
    /// A schedule with these pauses and cap.
    #[cfg(test)]
    pub fn new(first_pause: Duration, max_pause: Duration, max_listings: u32) -> Self {
        Self {
            first_pause,
            max_pause,
            max_listings,
        }
    }

    /// The pause before listing number `n` (0 is the first).
    pub fn pause_before(&self, n: u32) -> Duration {
        match n {
            0 => Duration::ZERO,
            n => self
                .first_pause
                .saturating_mul(1u32 << (n - 1).min(20))
                .min(self.max_pause),
        }
    }
}
