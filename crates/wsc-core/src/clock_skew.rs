//! Clock-skew estimation from the server's `Date` header.
//!
//! The gateway rejects a timestamp more than five minutes from its own clock
//! (401, code 200). A client keeps one [`ClockSkew`] per endpoint, feeds it every
//! response's `Date` with the send and receive times, and stamps requests with
//! [`ClockSkew::timestamp`] — its local time corrected by the estimate.
//! Pure: the caller passes every instant in.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

use crate::signing::TimestampMs;

/// How far the gateway lets a timestamp drift from its clock.
pub const GATEWAY_WINDOW: Duration = Duration::from_secs(300);

/// Offsets smaller than this are noise (a `Date` header has 1 s resolution).
const NOISE: Duration = Duration::from_secs(2);

/// An estimate of `server clock − local clock`, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClockSkew {
    offset_ms: i64,
}

impl ClockSkew {
    /// No known skew.
    pub const NONE: ClockSkew = ClockSkew { offset_ms: 0 };

    /// A known offset (server minus local), in milliseconds.
    pub fn from_offset_ms(offset_ms: i64) -> Self {
        Self { offset_ms }
    }

    /// The offset in milliseconds (positive: the server is ahead).
    pub fn offset_ms(self) -> i64 {
        self.offset_ms
    }

    /// Estimates the skew from a response: the server's `Date` is compared with
    /// the midpoint of the local send and receive times. `None` when the header
    /// is missing or unreadable.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use http::HeaderMap;
    /// use wsc_core::ClockSkew;
    /// let mut h = HeaderMap::new();
    /// h.insert("date", "Tue, 14 Nov 2023 22:23:20 GMT".parse().unwrap()); // 1_700_000_600 s
    /// let sent = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// let skew = ClockSkew::estimate(&h, sent, sent).unwrap();
    /// assert_eq!(skew.offset_ms(), 600_000);
    /// ```
    pub fn estimate(
        headers: &HeaderMap,
        sent_at: SystemTime,
        received_at: SystemTime,
    ) -> Option<Self> {
        let date = headers.get(http::header::DATE)?.to_str().ok()?;
        let server = httpdate::parse_http_date(date).ok()?;
        let sent = TimestampMs::from_system_time(sent_at).0 as i128;
        let received = TimestampMs::from_system_time(received_at).0 as i128;
        let local_mid = (sent + received.max(sent)) / 2;
        let server_ms = TimestampMs::from_system_time(server).0 as i128;
        let offset = (server_ms - local_mid).clamp(i64::MIN as i128, i64::MAX as i128) as i64;
        Some(Self {
            offset_ms: if offset.unsigned_abs() < NOISE.as_millis() as u64 {
                0
            } else {
                offset
            },
        })
    }

    /// True when the offset alone would make the gateway reject a request.
    pub fn exceeds_gateway_window(self) -> bool {
        // A small margin below the window: the estimate itself is ±1 s.
        self.offset_ms.unsigned_abs() + 5_000 >= GATEWAY_WINDOW.as_millis() as u64
    }

    /// The timestamp to sign with at local time `now`.
    pub fn timestamp(self, now: SystemTime) -> TimestampMs {
        let local = TimestampMs::from_system_time(now).0 as i128;
        TimestampMs((local + self.offset_ms as i128).clamp(0, u64::MAX as i128) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn headers(date: SystemTime) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::DATE,
            httpdate::fmt_http_date(date).parse().unwrap(),
        );
        h
    }

    #[test]
    fn small_offsets_are_treated_as_noise() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let skew =
            ClockSkew::estimate(&headers(now), now, now + Duration::from_millis(300)).unwrap();
        assert_eq!(skew, ClockSkew::NONE);
    }

    #[test]
    fn a_slow_local_clock_is_corrected() {
        let local = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let server = local + Duration::from_secs(420);
        let skew = ClockSkew::estimate(&headers(server), local, local).unwrap();
        assert!(skew.exceeds_gateway_window());
        let ts = skew.timestamp(local);
        let server_ms = TimestampMs::from_system_time(server).0;
        assert!(ts.0.abs_diff(server_ms) <= 1_000, "{ts:?} vs {server_ms}");
    }

    #[test]
    fn missing_or_bad_date_gives_no_estimate() {
        let now = UNIX_EPOCH;
        assert!(ClockSkew::estimate(&HeaderMap::new(), now, now).is_none());
        let mut h = HeaderMap::new();
        h.insert(http::header::DATE, "yesterday".parse().unwrap());
        assert!(ClockSkew::estimate(&h, now, now).is_none());
    }
}
