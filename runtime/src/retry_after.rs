//! The `Retry-After` response header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
//!
//! Whatever the server writes, the result is a plain [`Duration`] or nothing: huge values
//! saturate (the retry logic then caps or gives up), garbage, negative numbers and dates in
//! the past never fail the call.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The delay the server's `Retry-After` asks for, if it has a usable one.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    parse(value, SystemTime::now())
}

/// `value` as a delay from `now`.
fn parse(value: &str, now: SystemTime) -> Option<Duration> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is still "very long", not "no header".
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let at = http_date_seconds(value)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the Unix epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the
/// form servers must send; the obsolete forms are ignored.
fn http_date_seconds(value: &str) -> Option<u64> {
    let mut parts = value.split(' ');
    let (_weekday, day, month, year, time, zone) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || zone != "GMT" || day.len() != 2 || year.len() != 4 {
        return None;
    }
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let day: u64 = number(day)?;
    let year: u64 = number(year)?;
    let mut clock = time.split(':').map(number);
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 || year < 1970 {
        return None;
    }
    // Non-negative: the year is at least 1970.
    let days = crate::wkt::civil::days_from_civil(year as i64, month as u32, day as u32) as u64;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn seconds_saturate_instead_of_vanishing() {
        let now = at(0);
        assert_eq!(parse("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse("1000000000", now), Some(Duration::from_secs(1_000_000_000)));
        assert_eq!(parse("99999999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn garbage_and_negative_values_are_ignored() {
        for value in
            ["", "-5", "1.5", "soon", "1e9", "+3", "0x10", "Sun, 06 Nov 1994 08:49:37", "Sun, 99 Nov 1994 08:49:37 GMT"]
        {
            assert_eq!(parse(value, at(0)), None, "{value:?}");
        }
    }

    #[test]
    fn http_dates_are_a_delay_from_now_and_past_ones_are_zero() {
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example).
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(http_date_seconds(date), Some(784_111_777));
        assert_eq!(parse(date, at(784_111_777 - 30)), Some(Duration::from_secs(30)));
        assert_eq!(parse(date, at(784_111_777 + 30)), Some(Duration::ZERO));
        assert_eq!(http_date_seconds("Thu, 29 Feb 2024 00:00:00 GMT"), Some(1_709_164_800));
        assert_eq!(http_date_seconds("Fri, 31 Dec 9999 23:59:59 GMT"), Some(253_402_300_799));
    }
}
