//! The retry policy's tunables.

use std::time::Duration;

/// Tunables of the retry policy. The defaults suit interactive and CI use.
///
/// Start from [`RetryPolicy::default`] (or [`RetryPolicy::never`]) and change
/// what you need; each `with_*` returns the changed policy.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_retries(5)
///     .with_max_delay(Duration::from_secs(5));
/// assert_eq!(policy.max_retries(), 5);
/// assert_eq!(policy.base_delay(), Duration::from_millis(200));
/// assert_eq!(RetryPolicy::never().max_retries(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(super) max_retries: u32,
    pub(super) base_delay: Duration,
    pub(super) throttle_base_delay: Duration,
    pub(super) max_delay: Duration,
    pub(super) max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries; backoff from 200 ms (1 s when throttled) up to 20 s; a
    /// `Retry-After` of up to 60 s honoured.
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            throttle_base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self::default().with_max_retries(0)
    }

    /// Retries after the first attempt (0: never retry).
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Backoff base for transient failures.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// Backoff base for throttling (429 with 410/420).
    pub fn throttle_base_delay(&self) -> Duration {
        self.throttle_base_delay
    }

    /// Upper bound of any computed backoff.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The longest `Retry-After` honoured; a longer one ends the call.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// This policy with [`RetryPolicy::max_retries`] set to `retries`.
    #[must_use]
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// This policy with [`RetryPolicy::base_delay`] set to `delay`.
    #[must_use]
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// This policy with [`RetryPolicy::throttle_base_delay`] set to `delay`.
    #[must_use]
    pub fn with_throttle_base_delay(mut self, delay: Duration) -> Self {
        self.throttle_base_delay = delay;
        self
    }

    /// This policy with [`RetryPolicy::max_delay`] set to `delay`.
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// This policy with [`RetryPolicy::max_retry_after`] set to `limit`.
    #[must_use]
    pub fn with_max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }
}
