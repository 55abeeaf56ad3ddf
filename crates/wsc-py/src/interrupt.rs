//! Signals while the GIL is released: the client's pauses are slept in short
//! slices, and between slices Python's signal handlers run (on the main
//! thread). A handler that raised (Ctrl-C: `KeyboardInterrupt`) ends the
//! pause, stops the next request from being sent, and is raised when the
//! call returns.

use std::cell::RefCell;
use std::time::{Duration, Instant, SystemTime};

use pyo3::prelude::*;
use wsc_core::http::{Request, Response};
use wsc_core::sans_io::Now;
use wsc_core::transport::{
    AttemptLimits, Clock, Delivery, HttpClient, TransportError, TransportFailureKind,
};

/// How often a pause looks for a signal.
const SLICE: Duration = Duration::from_millis(50);

thread_local! {
    /// The exception a signal handler raised during this thread's call.
    static RAISED: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Runs Python's signal handlers; keeps what one raised.
fn check_signals() -> bool {
    if interrupted() {
        return true;
    }
    Python::with_gil(|py| match py.check_signals() {
        Ok(()) => false,
        Err(raised) => {
            RAISED.with(|slot| *slot.borrow_mut() = Some(raised));
            true
        }
    })
}

fn interrupted() -> bool {
    RAISED.with(|slot| slot.borrow().is_some())
}

/// The exception a signal handler raised during the call, taken (at most once).
pub(crate) fn take_raised() -> Option<PyErr> {
    RAISED.with(|slot| slot.borrow_mut().take())
}

/// The system's clocks, pausing in slices that let signals through.
pub(crate) struct SliceClock;

impl Clock for SliceClock {
    fn now(&self) -> Now {
        Now::new(SystemTime::now(), Instant::now())
    }

    fn sleep(&self, duration: Duration) {
        let end = Instant::now() + duration;
        while !check_signals() {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            std::thread::sleep(left.min(SLICE));
        }
    }
}

/// The ureq transport, sending nothing once a signal was raised.
pub(crate) struct Guarded(pub(crate) wsc_ureq::Transport);

impl HttpClient for Guarded {
    fn send(
        &self,
        request: Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<Response<wsc_core::bytes::Bytes>, TransportError> {
        if check_signals() {
            return Err(TransportError::new(
                TransportFailureKind::InvalidRequest,
                Delivery::NotSent,
                "interrupted by a signal before the request was sent",
            ));
        }
        self.0.send(request, limits)
    }

    fn name(&self) -> &'static str {
        "ureq; python"
    }
}
