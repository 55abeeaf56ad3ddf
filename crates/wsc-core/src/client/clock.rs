//! The clock a client reads and pauses on, handed in so tests can drive time.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use crate::Now;
use crate::client::http::{MaybeSend, MaybeSync};

/// The future of an async pause ([`Clock::pause`]): boxed, so that a clock
/// can be shared as `dyn Clock`. `Send` except on WebAssembly.
#[cfg(not(target_family = "wasm"))]
pub(crate) type Pause = Pin<Box<dyn Future<Output = ()> + Send>>;
/// The future of an async pause ([`Clock::pause`]): boxed, so that a clock
/// can be shared as `dyn Clock`.
#[cfg(target_family = "wasm")]
pub(crate) type Pause = Pin<Box<dyn Future<Output = ()>>>;

/// Time, for a client: wall-clock time for signatures, the clock skew and
/// HTTP dates, monotonic time for every deadline (see [`Now`]), and the
/// pauses between attempts and polls — the only waiting a client does.
///
/// The system's clocks are the default; `wsc_core::testing::ManualClock` (feature
/// `testing`) is a virtual clock that advances only when told to (and when
/// a client pauses on it).
///
/// ```
/// use std::time::{Duration, Instant, SystemTime};
/// use wsc_core::sans_io::Now;
/// use wsc_core::transport::Clock;
/// struct Frozen(Instant);
/// impl Clock for Frozen {
///     fn now(&self) -> Now {
///         Now::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000), self.0)
///     }
/// }
/// let clock = Frozen(Instant::now());
/// assert_eq!(clock.now(), clock.now());
/// ```
pub trait Clock: MaybeSend + MaybeSync {
    /// The current time on both clocks.
    fn now(&self) -> Now;

    /// The blocking client's pause: blocks the calling thread for
    /// `duration` (the default, `std::thread::sleep`).
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }

    /// The async client's pause: a future that is ready after `duration`.
    /// The default is a `futures-timer` delay, which needs no runtime and
    /// works on any executor; a clock for one runtime may use its timer.
    fn pause(&self, duration: Duration) -> Pause {
        Box::pin(futures_timer::Delay::new(duration))
    }
}

/// The operating system's clocks (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Now {
        Now::new(SystemTime::now(), Instant::now())
    }
}

/// A clock seen by the blocking client: its async pause is the clock's
/// blocking one, done before the future is returned, so the future is ready
/// at once (the blocking client polls each call once).
pub(crate) struct Blocking(pub(crate) std::sync::Arc<dyn Clock>);

impl Clock for Blocking {
    fn now(&self) -> Now {
        self.0.now()
    }

    fn sleep(&self, duration: Duration) {
        self.0.sleep(duration);
    }

    fn pause(&self, duration: Duration) -> Pause {
        self.0.sleep(duration);
        Box::pin(std::future::ready(()))
    }
}
