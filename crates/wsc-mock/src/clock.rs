//! The simulated clock that drives job lifecycles, and the gateway's wall clock
//! (which a test can skew).

use std::time::{Duration, Instant, SystemTime};

/// Simulated time: `manual + real elapsed × speed`.
#[derive(Debug, Clone)]
pub(crate) struct SimClock {
    started: Instant,
    speed: f64,
    manual: Duration,
    /// Signed offset of the gateway's wall clock, in milliseconds.
    wall_skew_ms: i64,
}

impl SimClock {
    pub fn new(speed: f64) -> Self {
        Self {
            started: Instant::now(),
            speed: speed.max(0.0),
            manual: Duration::ZERO,
            wall_skew_ms: 0,
        }
    }

    /// Simulated time since the server started.
    pub fn now(&self) -> Duration {
        let real = self.started.elapsed().as_secs_f64() * self.speed;
        self.manual + Duration::from_secs_f64(real.min(1e12))
    }

    pub fn advance(&mut self, by: Duration) {
        self.manual += by;
    }

    pub fn set_wall_skew(&mut self, skew_ms: i64) {
        self.wall_skew_ms = skew_ms;
    }

    /// The gateway's idea of the current wall-clock time.
    pub fn wall_now(&self) -> SystemTime {
        let now = SystemTime::now();
        if self.wall_skew_ms >= 0 {
            now + Duration::from_millis(self.wall_skew_ms as u64)
        } else {
            now - Duration::from_millis(self.wall_skew_ms.unsigned_abs())
        }
    }
}
