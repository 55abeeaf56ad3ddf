//! Waiting for a job to end: the options of
//! [`Client::wait`](crate::Client::wait) and how a wait ended. The client
//! polls on its [`Clock`](crate::transport::Clock): 2 s after the first
//! poll, then twice the last gap, up to the interval.

use std::time::Duration;

use crate::model::{JobRecord, JobStatus};

/// Options for waiting.
///
/// Start from the defaults (poll every 15 s, give up after 6 hours, tolerate
/// 3 "not found" observations) and change what you need. The first polls
/// come sooner than the interval, so a short scan (or one already ended) is
/// seen at once: 2 s after the first poll, then twice the last gap, up to the
/// interval.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::wait::WaitOptions;
///
/// let options = WaitOptions::default()
///     .with_interval(Duration::from_secs(5))
///     .with_timeout(None);
/// assert_eq!(options.interval(), Duration::from_secs(5));
/// assert_eq!(options.timeout(), None);
/// assert_eq!(options.not_found_tolerance(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    interval: Duration,
    timeout: Option<Duration>,
    not_found_tolerance: u32,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(15),
            timeout: Some(Duration::from_secs(6 * 3600)),
            not_found_tolerance: 3,
        }
    }
}

impl WaitOptions {
    /// The longest time between polls (the first gaps are shorter: 2 s,
    /// doubling up to this).
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Give up after this long (`None`: wait forever).
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Consecutive "not found" observations tolerated before concluding the
    /// job is gone (a new job can take a moment to be listed).
    pub fn not_found_tolerance(&self) -> u32 {
        self.not_found_tolerance
    }

    /// These options with [`WaitOptions::interval`] set to `interval`.
    #[must_use]
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// These options with [`WaitOptions::timeout`] set to `timeout`.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// These options with [`WaitOptions::not_found_tolerance`] set to `observations`.
    #[must_use]
    pub fn with_not_found_tolerance(mut self, observations: u32) -> Self {
        self.not_found_tolerance = observations;
        self
    }
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Completed: a report is available.
    Completed,
    /// Failed (diagnosis or URL collection).
    Failed,
    /// Cancelled before it started.
    Cancelled,
    /// Stopped while running.
    Stopped,
    /// The report has expired.
    Expired,
}

impl Outcome {
    fn of(status: &JobStatus) -> Option<Self> {
        Some(match status {
            JobStatus::Completed => Self::Completed,
            JobStatus::Failed | JobStatus::UrlCollectionFailed => Self::Failed,
            JobStatus::Cancelled => Self::Cancelled,
            JobStatus::Stopped => Self::Stopped,
            JobStatus::Expired => Self::Expired,
            _ => return None,
        })
    }

    /// True only for [`Outcome::Completed`].
    pub fn is_success(self) -> bool {
        self == Self::Completed
    }
}

/// What the shell should do next.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WaitStep {
    /// Poll again at this time.
    PollAt(Duration),
    /// The job reached a terminal state.
    Done(Outcome),
    /// The deadline passed first; the job is still in `last` (if it was seen).
    TimedOut {
        /// The last status seen.
        last: Option<JobStatus>,
    },
    /// The job was not found, repeatedly.
    NotFound,
}

/// How a whole wait ended (what the client's `wait` returns).
#[derive(Debug, Clone, PartialEq)]
pub enum WaitEnd {
    /// The job reached a terminal state.
    Finished(Outcome),
    /// The deadline passed while the job was still running.
    TimedOut,
    /// The job could not be found.
    NotFound,
}

/// The result of waiting: how it ended and the last record seen.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WaitReport {
    /// How it ended.
    pub end: WaitEnd,
    /// The last record seen, if any.
    pub last: Option<JobRecord>,
    /// Polls made.
    pub polls: u32,
}

impl WaitReport {
    /// A report.
    pub fn new(end: WaitEnd, last: Option<JobRecord>, polls: u32) -> Self {
        Self { end, last, polls }
    }
}

/// Waits for one job.
#[derive(Debug, Clone)]
pub(crate) struct Waiter {
    options: WaitOptions,
    deadline: Option<Duration>,
    misses: u32,
    last: Option<JobStatus>,
    /// The gap before the next poll: [`FIRST_GAP`], doubling up to the interval.
    gap: Duration,
}

/// The first gap between polls (or the interval, when shorter).
const FIRST_GAP: Duration = Duration::from_secs(2);

impl Waiter {
    /// Starts waiting at time `now`.
    pub fn new(options: WaitOptions, now: Duration) -> Self {
        let deadline = options.timeout.map(|t| now.saturating_add(t));
        Self {
            options,
            deadline,
            misses: 0,
            last: None,
            gap: FIRST_GAP.min(options.interval),
        }
    }

    /// Feeds one observation (`None`: the job was not found) taken at `now`.
    pub fn observe(&mut self, now: Duration, record: Option<&JobRecord>) -> WaitStep {
        match record {
            Some(record) => {
                self.misses = 0;
                let status = record.status();
                if let Some(outcome) = Outcome::of(&status) {
                    self.last = Some(status);
                    return WaitStep::Done(outcome);
                }
                self.last = Some(status);
            }
            None => {
                self.misses += 1;
                if self.misses > self.options.not_found_tolerance {
                    return WaitStep::NotFound;
                }
            }
        }
        let gap = self.gap.max(Duration::from_millis(1));
        self.gap = self.gap.saturating_mul(2).min(self.options.interval);
        match self.deadline {
            Some(deadline) if now >= deadline => WaitStep::TimedOut {
                last: self.last.clone(),
            },
            // The last poll happens at the deadline itself, not after it.
            Some(deadline) => WaitStep::PollAt(now.saturating_add(gap).min(deadline)),
            None => WaitStep::PollAt(now.saturating_add(gap)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: &str, button: &str) -> JobRecord {
        serde_json::from_value(
            serde_json::json!({"instanceNo": "9", "status": status, "result_button": button}),
        )
        .unwrap()
    }

    fn opts(timeout: Option<u64>) -> WaitOptions {
        WaitOptions {
            interval: Duration::from_secs(10),
            timeout: timeout.map(Duration::from_secs),
            not_found_tolerance: 2,
        }
    }

    #[test]
    fn polls_until_a_terminal_state() {
        let mut w = Waiter::new(opts(None), Duration::ZERO);
        let s = |n| Duration::from_secs(n);
        assert_eq!(
            w.observe(s(0), Some(&record("URL 수집중", "terminate"))),
            WaitStep::PollAt(s(2))
        );
        assert_eq!(
            w.observe(s(2), Some(&record("진단 진행 중", "terminate"))),
            WaitStep::PollAt(s(6))
        );
        assert_eq!(
            w.observe(s(6), Some(&record("진단 완료", "report"))),
            WaitStep::Done(Outcome::Completed)
        );
    }

    #[test]
    fn the_first_gap_is_two_seconds_then_doubles_up_to_the_interval() {
        let s = |n| Duration::from_secs(n);
        let running = record("진단 진행 중", "terminate");
        let gaps = |interval: u64| -> Vec<u64> {
            let options = WaitOptions::default()
                .with_interval(s(interval))
                .with_timeout(None);
            let mut w = Waiter::new(options, Duration::ZERO);
            let mut now = Duration::ZERO;
            (0..7)
                .map(|_| match w.observe(now, Some(&running)) {
                    WaitStep::PollAt(at) => {
                        let gap = at - now;
                        now = at;
                        gap.as_secs()
                    }
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        assert_eq!(gaps(15), [2, 4, 8, 15, 15, 15, 15]);
        assert_eq!(gaps(60), [2, 4, 8, 16, 32, 60, 60]);
        // An interval under 2 s is kept from the start.
        assert_eq!(gaps(1), [1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(gaps(3), [2, 3, 3, 3, 3, 3, 3]);
    }

    #[test]
    fn every_terminal_state_ends_the_wait() {
        for (label, button, outcome) in [
            ("진단 실패", "cause", Outcome::Failed),
            ("URL 수집 실패", "cause", Outcome::Failed),
            ("診断キャンセル", "", Outcome::Cancelled),
            ("작업 중지", "", Outcome::Stopped),
            ("진단 완료", "expired", Outcome::Expired),
        ] {
            let mut w = Waiter::new(opts(None), Duration::ZERO);
            assert_eq!(
                w.observe(Duration::ZERO, Some(&record(label, button))),
                WaitStep::Done(outcome),
                "{label}"
            );
        }
    }

    #[test]
    fn the_last_poll_is_at_the_deadline_then_it_times_out() {
        let s = |n| Duration::from_secs(n);
        let mut w = Waiter::new(opts(Some(25)), s(100));
        let running = record("진단 진행 중", "terminate");
        assert_eq!(w.observe(s(100), Some(&running)), WaitStep::PollAt(s(102)));
        assert_eq!(w.observe(s(102), Some(&running)), WaitStep::PollAt(s(106)));
        assert_eq!(w.observe(s(106), Some(&running)), WaitStep::PollAt(s(114)));
        assert_eq!(w.observe(s(114), Some(&running)), WaitStep::PollAt(s(124)));
        assert_eq!(w.observe(s(124), Some(&running)), WaitStep::PollAt(s(125)));
        assert_eq!(
            w.observe(s(125), Some(&running)),
            WaitStep::TimedOut {
                last: Some(JobStatus::DiagnosisRunning)
            }
        );
    }

    #[test]
    fn a_missing_job_is_tolerated_briefly() {
        let mut w = Waiter::new(opts(None), Duration::ZERO);
        assert!(matches!(
            w.observe(Duration::ZERO, None),
            WaitStep::PollAt(_)
        ));
        assert!(matches!(
            w.observe(Duration::ZERO, Some(&record("예약", "cancel"))),
            WaitStep::PollAt(_)
        ));
        assert!(matches!(
            w.observe(Duration::ZERO, None),
            WaitStep::PollAt(_)
        ));
        assert!(matches!(
            w.observe(Duration::ZERO, None),
            WaitStep::PollAt(_)
        ));
        assert_eq!(w.observe(Duration::ZERO, None), WaitStep::NotFound);
    }
}
