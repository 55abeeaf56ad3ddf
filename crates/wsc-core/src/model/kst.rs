//! The service's dates: `YYYY-MM-DD hh:mm:ss` in KST (UTC+9), parsed here
//! only (`JobRecord::started_at`, the identification of a created job).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `YYYY-MM-DD hh:mm:ss` in KST (UTC+9), as the service writes dates.
pub(crate) fn parse_kst(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let (date, time) = text.split_once(' ')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (t.next()??, t.next()??, t.next()??);
    // Years outside 1..=9999 are not dates the service writes, and would
    // overflow the arithmetic below.
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || hour < 0
        || minute < 0
        || second < 0
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second - 9 * 3_600;
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kst_dates_are_nine_hours_ahead_of_utc() {
        let t = parse_kst("1970-01-01 09:00:01").unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(1));
        assert_eq!(
            parse_kst("2026-11-22 22:25:38").unwrap(),
            UNIX_EPOCH + Duration::from_secs(1_795_353_938)
        );
        for bad in [
            "",
            "2026-13-01 00:00:00",
            "2026-11-22",
            "x y",
            "2026-11-22 25:00:00",
            "9223372036854775807-01-01 00:00:00",
            "-9223372036854775808-01-01 00:00:00",
            "100000000000000-01-01 00:00:00",
        ] {
            assert_eq!(parse_kst(bad), None, "{bad}");
        }
    }
}
