//! The wall clock a client reads, handed in so tests can drive time.

use std::time::SystemTime;

/// A source of wall-clock time (signing timestamps, deadlines, the jitter seed).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use wsc_core::client::Clock;
/// struct Fixed;
/// impl Clock for Fixed {
///     fn now(&self) -> SystemTime { SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000) }
/// }
/// assert!(Fixed.now() > SystemTime::UNIX_EPOCH);
/// ```
pub trait Clock: Send + Sync {
    /// The current wall-clock time.
    fn now(&self) -> SystemTime;
}

/// The operating system's clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}
