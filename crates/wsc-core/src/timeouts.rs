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
    /// One logical call, every attempt, retry and backoff included: a hard
    /// deadline (each attempt's timeout is cut to what remains of it).
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
}
