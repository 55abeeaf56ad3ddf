//! Clock-skew estimation from the server's `Date` header.
//!
//! The gateway rejects a timestamp more than five minutes from its own clock
//! (401, code 200). A client keeps one [`ClockSkew`] per endpoint, feeds it every
//! response's `Date` with the send and receive times, and stamps requests with
//! [`ClockSkew::timestamp`] — its local time corrected by the estimate.
//! Pure: the caller passes every instant in.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;

use crate::signing::TimestampMs;

/// How far the gateway lets a timestamp drift from its clock.
pub(crate) const GATEWAY_WINDOW: Duration = Duration::from_secs(300);

/// Offsets smaller than this are noise (a `Date` header has 1 s resolution).
const NOISE: Duration = Duration::from_secs(2);

/// An estimate of `server clock − local clock`, in milliseconds: what the
/// client adds to its clock when it stamps a request.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use wsc_core::sans_io::ClockSkew;
/// let skew = ClockSkew::from_offset_ms(-400_000); // the local clock is 400 s ahead
/// assert!(skew.exceeds_gateway_window());
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
/// assert_eq!(skew.timestamp(now).0, 600_000);
/// assert_eq!(ClockSkew::NONE.timestamp(now).0, 1_000_000);
/// ```
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
    /// use wsc_core::sans_io::ClockSkew;
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
        let server = server_ms(headers.get(http::header::DATE)?.as_bytes())?;
        let sent = epoch_ms(sent_at);
        let received = epoch_ms(received_at).max(sent);
        let local_mid = sent + (received - sent) / 2;
        let offset = server.saturating_sub(local_mid);
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

/// Milliseconds since the Unix epoch (0 before it, saturating far after).
fn epoch_ms(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A `Date` header value as milliseconds since the epoch.
fn server_ms(date: &[u8]) -> Option<i64> {
    let parsed = httpdate::parse_http_date(std::str::from_utf8(date).ok()?).ok()?;
    Some(epoch_ms(parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn each_new_date_is_read_and_a_repeated_one_gives_the_same_answer() {
        let local = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut last = None;
        for ahead in [0u64, 600, 600, 0, 3_600, 3_600] {
            let server = headers(local + Duration::from_secs(ahead));
            let skew = ClockSkew::estimate(&server, local, local).unwrap();
            assert_eq!(skew.offset_ms(), ahead as i64 * 1_000, "{ahead}");
            last = Some(skew);
        }
        assert_eq!(last.map(ClockSkew::offset_ms), Some(3_600_000));
        // Another format of the same instant (RFC 850) is read too, uncached.
        let mut h = HeaderMap::new();
        h.insert(
            http::header::DATE,
            "Tuesday, 14-Nov-23 22:23:20 GMT".parse().unwrap(),
        );
        let sent = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            ClockSkew::estimate(&h, sent, sent).unwrap().offset_ms(),
            600_000
        );
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
