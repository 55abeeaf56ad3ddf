//! One reading of both clocks a call needs, handed in by the caller: the core
//! reads no clock of its own.

use std::time::{Duration, Instant, SystemTime};

/// A reading of the wall clock and the monotonic clock, taken together.
///
/// Wall-clock time (`SystemTime`) signs requests, estimates the clock skew
/// and turns an HTTP date (`Retry-After`, `Date`) into a delay. Monotonic time
/// (`Instant`) times every deadline — attempts, calls, waits, identification —
/// so a step of the wall clock (NTP, a suspended laptop) moves none of them.
///
/// ```
/// use std::time::{Duration, Instant, SystemTime};
/// use wsc_core::sans_io::Now;
/// let t0 = Now::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000), Instant::now());
/// let t1 = t0.advanced(Duration::from_secs(5));
/// assert_eq!(t1.wall(), t0.wall() + Duration::from_secs(5));
/// assert_eq!(t1.instant() - t0.instant(), Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    wall: SystemTime,
    instant: Instant,
}

impl Now {
    /// A reading of `wall` (wall-clock) and `instant` (monotonic) time.
    pub fn new(wall: SystemTime, instant: Instant) -> Self {
        Self { wall, instant }
    }

    /// The wall-clock time.
    pub fn wall(self) -> SystemTime {
        self.wall
    }

    /// The monotonic time.
    pub fn instant(self) -> Instant {
        self.instant
    }

    /// Both clocks `by` later (saturating at their ends).
    pub fn advanced(self, by: Duration) -> Self {
        Self {
            wall: self.wall.checked_add(by).unwrap_or(self.wall),
            instant: self.instant.checked_add(by).unwrap_or(self.instant),
        }
    }
}
