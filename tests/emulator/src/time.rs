//! RFC 3339 timestamps without a date-time dependency.

use std::time::{SystemTime, UNIX_EPOCH};

/// Hands out strictly increasing timestamps, so that ordering by
/// `createTime` is deterministic even for jobs created in the same
/// microsecond.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    last_micros: u128,
}

impl Clock {
    /// The current time (bumped past the previous value), e.g.
    /// `2024-02-29T12:34:56.000123Z`.
    pub(crate) fn now(&mut self) -> String {
        let micros = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_micros())
            .unwrap_or_default()
            .max(self.last_micros + 1);
        self.last_micros = micros;
        format_rfc3339(micros)
    }
}

/// Formats microseconds since the Unix epoch as UTC RFC 3339 with six
/// fractional digits (fixed width, so it also sorts chronologically).
pub(crate) fn format_rfc3339(micros: u128) -> String {
    let seconds = i64::try_from(micros / 1_000_000).unwrap_or(i64::MAX);
    let fraction = micros % 1_000_000;
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let second_of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{fraction:06}Z",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        let at = |seconds: u128| format_rfc3339(seconds * 1_000_000);
        assert_eq!(at(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00.000000Z");
        assert_eq!(at(1_709_210_096), "2024-02-29T12:34:56.000000Z");
        assert_eq!(at(4_102_444_799), "2099-12-31T23:59:59.000000Z");
        assert_eq!(format_rfc3339(1_000_042), "1970-01-01T00:00:01.000042Z");
    }

    #[test]
    fn clock_is_strictly_increasing() {
        let mut clock = Clock::default();
        let stamps: Vec<String> = (0..100).map(|_| clock.now()).collect();
        assert!(stamps.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
