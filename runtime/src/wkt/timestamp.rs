//! `google.protobuf.Timestamp` (Discovery format `google-datetime`, and `date-time`).

use std::fmt;
use std::time::{Duration as StdDuration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::civil::{civil_from_days, days_from_civil, days_in_month};
use super::{fraction, parse_fraction};

/// An RFC 3339 timestamp such as `2024-05-01T12:34:56.789Z`.
///
/// The string is kept as sent (so it round-trips exactly); conversions parse
/// it on demand.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use discogen_runtime::wkt::Timestamp;
///
/// let t = Timestamp::from_unix(1_714_566_896, 789_000_000).unwrap();
/// assert_eq!(t.as_str(), "2024-05-01T12:34:56.789Z");
/// assert_eq!(t.to_unix(), Some((1_714_566_896, 789_000_000)));
/// let offset = Timestamp::new("2024-05-01T14:34:56.789+02:00");
/// assert_eq!(offset.to_system_time(), t.to_system_time());
/// assert_eq!(Timestamp::from(UNIX_EPOCH + Duration::from_secs(1)).as_str(), "1970-01-01T00:00:01Z");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

/// Seconds from 0001-01-01T00:00:00Z to the Unix epoch (proto's lower bound).
const MIN_SECONDS: i64 = -62_135_596_800;
/// Seconds from the Unix epoch to 9999-12-31T23:59:59Z (proto's upper bound).
const MAX_SECONDS: i64 = 253_402_300_799;

impl Timestamp {
    /// Wraps a string as is (not validated; see [`Timestamp::to_unix`]).
    pub fn new(text: impl Into<String>) -> Self {
        Timestamp(text.into())
    }

    /// The timestamp text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The UTC timestamp `seconds` + `nanos` after the Unix epoch, formatted
    /// like proto3 JSON (`Z`, 0/3/6/9 fractional digits). `None` outside
    /// years 1-9999 or for `nanos` ≥ 10⁹.
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<Self> {
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) || nanos >= 1_000_000_000 {
            return None;
        }
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        let second_of_day = seconds.rem_euclid(86_400);
        Some(Timestamp(format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{}Z",
            second_of_day / 3600,
            second_of_day % 3600 / 60,
            second_of_day % 60,
            fraction(nanos)
        )))
    }

    /// Seconds and nanoseconds since the Unix epoch; `None` if the text is
    /// not an RFC 3339 date-time.
    pub fn to_unix(&self) -> Option<(i64, u32)> {
        parse(&self.0)
    }

    /// The timestamp as a [`SystemTime`]; `None` if it does not parse.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let (seconds, nanos) = self.to_unix()?;
        if seconds >= 0 {
            UNIX_EPOCH.checked_add(StdDuration::new(seconds.unsigned_abs(), nanos))
        } else {
            UNIX_EPOCH
                .checked_sub(StdDuration::from_secs(seconds.unsigned_abs()))?
                .checked_add(StdDuration::from_nanos(u64::from(nanos)))
        }
    }
}

impl From<SystemTime> for Timestamp {
    /// Times outside years 1-9999 are clamped to those bounds.
    fn from(time: SystemTime) -> Self {
        let (seconds, nanos) = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => (i64::try_from(after.as_secs()).unwrap_or(i64::MAX), after.subsec_nanos()),
            Err(before) => {
                let before = before.duration();
                let seconds = -i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => (seconds, 0),
                    nanos => (seconds - 1, 1_000_000_000 - nanos),
                }
            }
        };
        let seconds = seconds.clamp(MIN_SECONDS, MAX_SECONDS);
        Timestamp::from_unix(seconds, nanos).expect("clamped to the valid range")
    }
}

impl std::str::FromStr for Timestamp {
    type Err = super::InvalidText;

    /// An RFC 3339 date-time (`2024-05-01T12:34:56.789Z`, `2024-05-01T14:34:56+02:00`),
    /// checked; [`Timestamp::new`] and `From<&str>` take any text as is.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match parse(text) {
            Some(_) => Ok(Timestamp(text.to_owned())),
            None => Err(super::InvalidText { expected: "an RFC 3339 date-time", text: text.to_owned() }),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`.
fn parse(text: &str) -> Option<(i64, u32)> {
    let bytes = text.as_bytes();
    let number = |from: usize, to: usize| -> Option<u32> {
        let digits = text.get(from..to)?;
        digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse().ok())?
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if bytes.len() < 20
        || separators.iter().any(|&(at, sep)| bytes[at] != sep)
        || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let (year, month, day) = (i64::from(number(0, 4)?), number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }

    let mut rest = &text[19..];
    let mut nanos = 0;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let digits = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        nanos = parse_fraction(&after_dot[..digits])?;
        rest = &after_dot[digits..];
    }
    let offset_seconds = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let hours = i64::from(number(text.len() - 5, text.len() - 3)?);
            let minutes = i64::from(number(text.len() - 2, text.len())?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    let seconds =
        days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset_seconds;
    Some((seconds, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_converts_as_is_and_parses_checked() {
        let given: Timestamp = "2024-05-01T12:34:56Z".into();
        assert_eq!(given.as_str(), "2024-05-01T12:34:56Z");
        let parsed: Timestamp = "2024-05-01T14:34:56+02:00".parse().unwrap();
        assert_eq!(parsed.to_unix(), given.to_unix());
        let error = "yesterday".parse::<Timestamp>().unwrap_err();
        assert_eq!(error.to_string(), "\"yesterday\" is not an RFC 3339 date-time");
        assert!("3.5s".parse::<crate::wkt::Duration>().is_ok() && "3.5".parse::<crate::wkt::Duration>().is_err());
        assert_eq!(crate::wkt::FieldMask::from("name,labels").paths().count(), 2);
    }

    #[test]
    fn parses_utc_offsets_and_fractions() {
        let parse = |text: &str| Timestamp::new(text).to_unix();
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(parse("2024-02-29T12:34:56.5Z"), Some((1_709_210_096, 500_000_000)));
        assert_eq!(parse("2024-02-29t12:34:56.000000001z"), Some((1_709_210_096, 1)));
        assert_eq!(parse("2024-02-29T14:34:56+02:00"), Some((1_709_210_096, 0)));
        assert_eq!(parse("2024-02-29T07:04:56-05:30"), Some((1_709_210_096, 0)));
        assert_eq!(parse("1969-12-31T23:59:59.900Z"), Some((-1, 900_000_000)));
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            "2024-02-29",
            "2024-02-29T12:34:56",
            "2023-02-29T12:34:56Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.1234567890Z",
            "2024-01-01T00:00:00+0200",
            "2024-01-01T00:00:00+25:00",
            "2024/01/01T00:00:00Z",
            "2024-01-01T00:00:00Zjunk",
            "+024-01-01T00:00:00Z",
        ] {
            assert_eq!(Timestamp::new(bad).to_unix(), None, "{bad}");
        }
    }

    #[test]
    fn formats_like_proto_json_and_round_trips() {
        assert_eq!(Timestamp::from_unix(0, 0).unwrap().as_str(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::from_unix(-1, 1_000).unwrap().as_str(), "1969-12-31T23:59:59.000001Z");
        assert_eq!(Timestamp::from_unix(MIN_SECONDS, 0).unwrap().as_str(), "0001-01-01T00:00:00Z");
        assert_eq!(Timestamp::from_unix(MAX_SECONDS, 0).unwrap().as_str(), "9999-12-31T23:59:59Z");
        assert!(Timestamp::from_unix(MAX_SECONDS + 1, 0).is_none());
        assert!(Timestamp::from_unix(0, 1_000_000_000).is_none());
        for (seconds, nanos) in [(1_714_566_896, 789_000_000), (-86_401, 5), (MIN_SECONDS, 0)] {
            let stamp = Timestamp::from_unix(seconds, nanos).unwrap();
            assert_eq!(stamp.to_unix(), Some((seconds, nanos)), "{stamp}");
        }
    }

    #[test]
    fn system_time_conversions() {
        let before = UNIX_EPOCH - StdDuration::from_millis(1500);
        let stamp = Timestamp::from(before);
        assert_eq!(stamp.as_str(), "1969-12-31T23:59:58.500Z");
        assert_eq!(stamp.to_system_time(), Some(before));
        let now = SystemTime::now();
        assert_eq!(Timestamp::from(now).to_system_time(), Some(now));
    }

    #[test]
    fn serde_keeps_the_text() {
        let stamp: Timestamp = serde_json::from_str("\"2024-05-01T12:34:56.789123Z\"").unwrap();
        assert_eq!(serde_json::to_string(&stamp).unwrap(), "\"2024-05-01T12:34:56.789123Z\"");
    }
}
