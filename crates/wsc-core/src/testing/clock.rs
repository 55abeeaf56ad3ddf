//! A clock that moves only when told to.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use crate::Now;
use crate::client::{Clock, Pause};

/// A virtual clock: both readings ([`Now`]) stand still until
/// [`ManualClock::advance`] moves them, and the wall clock alone can be
/// stepped ([`ManualClock::set_wall`]) to show that no deadline follows it.
/// Clones share one time.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::transport::Clock;
/// use wsc_core::testing::ManualClock;
/// let clock = ManualClock::new();
/// let t0 = clock.now();
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.now().instant() - t0.instant(), Duration::from_secs(90));
/// assert_eq!(clock.elapsed(), Duration::from_secs(90));
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    state: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    wall: SystemTime,
    base: Instant,
    elapsed: Duration,
    pauses: Vec<Duration>,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl ManualClock {
    /// A clock at 2026-01-01T00:00:00Z (wall) and an arbitrary instant.
    pub fn new() -> Self {
        Self::starting_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600))
    }

    /// A clock whose wall time starts at `wall`.
    pub fn starting_at(wall: SystemTime) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                wall,
                base: Instant::now(),
                elapsed: Duration::ZERO,
                pauses: Vec::new(),
            })),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves both clocks forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut state = self.state();
        state.elapsed = state.elapsed.saturating_add(by);
        state.wall = state.wall.checked_add(by).unwrap_or(state.wall);
    }

    /// Sets the wall clock alone (a step, as NTP or a user makes), leaving
    /// monotonic time where it is.
    pub fn set_wall(&self, wall: SystemTime) {
        self.state().wall = wall;
    }

    /// Every pause a client made on this clock, in order: each moved the
    /// clock forward by its length.
    pub fn pauses(&self) -> Vec<Duration> {
        self.state().pauses.clone()
    }

    fn paused(&self, duration: Duration) {
        self.state().pauses.push(duration);
        self.advance(duration);
    }

    /// Monotonic time passed since the clock was made.
    pub fn elapsed(&self) -> Duration {
        self.state().elapsed
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Now {
        let state = self.state();
        let instant = state.base.checked_add(state.elapsed).unwrap_or(state.base);
        Now::new(state.wall, instant)
    }

    /// Moves the clock forward by `duration`, at once.
    fn sleep(&self, duration: Duration) {
        self.paused(duration);
    }

    /// Moves the clock forward by `duration`; the future is ready at once.
    fn pause(&self, duration: Duration) -> Pause {
        self.paused(duration);
        Box::pin(std::future::ready(()))
    }
}
