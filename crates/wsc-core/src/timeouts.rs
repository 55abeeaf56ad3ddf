//! Transport timeouts, spelled out in one type that every transport honours.
//! (Neither ureq 3 nor hyper-util sets most of these by default.)

use std::time::Duration;

use crate::operations::OperationKind;

/// How long a transport waits, at each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening a connection (DNS + TCP + TLS).
    pub connect: Duration,
    /// One attempt, headers and body.
    pub attempt: Duration,
    /// One attempt of getReport (reports can be large and slow).
    pub report_attempt: Duration,
    /// One logical call, every retry and backoff included.
    pub overall: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(3),
            attempt: Duration::from_secs(30),
            report_attempt: Duration::from_secs(120),
            overall: Duration::from_secs(180),
        }
    }
}

impl Timeouts {
    /// The attempt timeout for `operation`.
    pub fn attempt_for(&self, operation: OperationKind) -> Duration {
        if operation == OperationKind::GetReport {
            self.report_attempt
        } else {
            self.attempt
        }
    }

    /// The error a call ends with when its next retry would pass the overall
    /// deadline (the last attempt may have reached the service).
    pub fn deadline_error(&self, attempts: u32) -> crate::Error {
        crate::Error::Transport(crate::error::TransportError::new(
            crate::error::TransportFailureKind::Timeout,
            crate::error::Delivery::MaybeSent,
            format!(
                "overall deadline of {}s reached after {attempts} attempt(s)",
                self.overall.as_secs()
            ),
        ))
    }

    /// Whether a retry after `delay`, with `elapsed` spent so far, still fits the overall deadline.
    pub fn retry_fits(&self, elapsed: Duration, delay: Duration) -> bool {
        elapsed.saturating_add(delay) < self.overall
    }
}
