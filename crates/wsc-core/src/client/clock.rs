//! The clocks a client reads, handed in so tests can drive time.

use std::time::{Instant, SystemTime};

use crate::Now;

/// A source of time: wall-clock time for signatures, the clock skew and HTTP
/// dates, monotonic time for every deadline (see [`Now`]).
///
/// [`SystemClock`] is the default; `wsc_core::testing::ManualClock` (feature
/// `testing`) is a virtual clock that advances only when told to.
///
/// ```
/// use std::time::{Duration, Instant, SystemTime};
/// use wsc_core::Now;
/// use wsc_core::client::Clock;
/// struct Frozen(Instant);
/// impl Clock for Frozen {
///     fn now(&self) -> Now {
///         Now::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000), self.0)
///     }
/// }
/// let clock = Frozen(Instant::now());
/// assert_eq!(clock.now(), clock.now());
/// ```
pub trait Clock: Send + Sync {
    /// The current time on both clocks.
    fn now(&self) -> Now;
}

/// The operating system's clocks (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Now {
        Now::new(SystemTime::now(), Instant::now())
    }
}
