//! The client's timeouts in one type: connecting (handed to the HTTP stack),
//! each attempt and the whole call (enforced by the client).

use std::time::Duration;

use crate::operations::OperationKind;

/// How long a client waits, at each level.
///
/// Start from the defaults and change what you need; each `with_*` returns
/// the changed value. A timeout past
/// [`MAX_TIMEOUT`](crate::client::MAX_TIMEOUT) means no limit.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::Timeouts;
/// use wsc_core::sans_io::OperationKind;
///
/// let timeouts = Timeouts::default()
///     .with_attempt(Duration::from_secs(10))
///     .with_overall(Duration::from_secs(60));
/// assert_eq!(timeouts.attempt_for(OperationKind::ListJobs), Duration::from_secs(10));
/// assert_eq!(timeouts.attempt_for(OperationKind::GetReport), Duration::from_secs(120));
/// assert_eq!(timeouts.connect(), Duration::from_secs(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    connect: Duration,
    attempt: Duration,
    report_attempt: Duration,
    overall: Duration,
}

impl Default for Timeouts {
    /// Connect 3 s, attempt 30 s, report attempt 120 s, overall 180 s.
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
    /// Opening a connection (DNS + TCP + TLS).
    pub fn connect(&self) -> Duration {
        self.connect
    }

    /// One attempt, headers and body, of every operation but getReport.
    pub fn attempt(&self) -> Duration {
        self.attempt
    }

    /// One attempt of getReport (reports can be large and slow).
    pub fn report_attempt(&self) -> Duration {
        self.report_attempt
    }

    /// One logical call, every attempt, retry and backoff included: a hard
    /// deadline (each attempt's timeout is cut to what remains of it).
    pub fn overall(&self) -> Duration {
        self.overall
    }

    /// These timeouts with [`Timeouts::connect`] set to `timeout`.
    #[must_use]
    pub fn with_connect(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }

    /// These timeouts with [`Timeouts::attempt`] set to `timeout`.
    #[must_use]
    pub fn with_attempt(mut self, timeout: Duration) -> Self {
        self.attempt = timeout;
        self
    }

    /// These timeouts with [`Timeouts::report_attempt`] set to `timeout`.
    #[must_use]
    pub fn with_report_attempt(mut self, timeout: Duration) -> Self {
        self.report_attempt = timeout;
        self
    }

    /// These timeouts with [`Timeouts::overall`] set to `timeout`.
    #[must_use]
    pub fn with_overall(mut self, timeout: Duration) -> Self {
        self.overall = timeout;
        self
    }

    /// The attempt timeout for `operation`.
    pub fn attempt_for(&self, operation: OperationKind) -> Duration {
        if operation == OperationKind::GetReport {
            self.report_attempt
        } else {
            self.attempt
        }
    }
}
