//! `google.protobuf.Duration` (Discovery format `google-duration`).

use std::fmt;
use std::time::Duration as StdDuration;

use serde::{Deserialize, Serialize};

use super::{fraction, parse_fraction};

/// A signed duration in proto3 JSON form: seconds with an `s` suffix, such
/// as `"3.5s"` or `"-0.000001s"`.
///
/// The string is kept as sent; conversions parse it on demand.
///
/// ```
/// use std::time::Duration as StdDuration;
/// use discogen_runtime::wkt::Duration;
///
/// let timeout = Duration::from(StdDuration::from_millis(1500));
/// assert_eq!(timeout.as_str(), "1.500s");
/// assert_eq!(Duration::new("86400s").to_std(), Some(StdDuration::from_secs(86_400)));
/// assert_eq!(Duration::new("-1s").to_std(), None);
/// assert_eq!(Duration::new("-1.5s").to_nanos(), Some(-1_500_000_000));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Duration(String);

impl Duration {
    /// Wraps a string as is (not validated; see [`Duration::to_nanos`]).
    pub fn new(text: impl Into<String>) -> Self {
        Duration(text.into())
    }

    /// The duration text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The duration in nanoseconds (negative allowed); `None` if the text
    /// is not `[-]seconds[.fraction]s`.
    pub fn to_nanos(&self) -> Option<i128> {
        let body = self.0.strip_suffix('s')?;
        let (negative, body) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let (seconds, nanos) = match body.split_once('.') {
            Some((seconds, digits)) => (seconds, parse_fraction(digits)?),
            None => (body, 0),
        };
        if seconds.is_empty() || !seconds.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let total = i128::from(seconds.parse::<u64>().ok()?) * 1_000_000_000 + i128::from(nanos);
        Some(if negative { -total } else { total })
    }

    /// The duration as a [`std::time::Duration`]; `None` if negative or
    /// malformed.
    pub fn to_std(&self) -> Option<StdDuration> {
        let nanos = u128::try_from(self.to_nanos()?).ok()?;
        let seconds = u64::try_from(nanos / 1_000_000_000).ok()?;
        Some(StdDuration::new(seconds, (nanos % 1_000_000_000) as u32))
    }
}

impl From<StdDuration> for Duration {
    fn from(duration: StdDuration) -> Self {
        Duration(format!("{}{}s", duration.as_secs(), fraction(duration.subsec_nanos())))
    }
}

impl std::str::FromStr for Duration {
    type Err = super::InvalidText;

    /// `[-]seconds[.fraction]s` (`3.5s`), checked; [`Duration::new`] and `From<&str>` take
    /// any text as is.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let duration = Duration(text.to_owned());
        match duration.to_nanos() {
            Some(_) => Ok(duration),
            None => Err(super::InvalidText { expected: "a duration such as \"3.5s\"", text: text.to_owned() }),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(Duration::new("0s").to_nanos(), Some(0));
        assert_eq!(Duration::new("1.000000001s").to_nanos(), Some(1_000_000_001));
        assert_eq!(Duration::new("-0.5s").to_nanos(), Some(-500_000_000));
        for bad in ["", "s", "1", "1.s", ".5s", "1.5.5s", "+1s", "1e3s", "--1s", " 1s"] {
            assert_eq!(Duration::new(bad).to_nanos(), None, "{bad}");
        }
        assert_eq!(Duration::from(StdDuration::ZERO).as_str(), "0s");
        assert_eq!(Duration::from(StdDuration::new(3, 1_000)).as_str(), "3.000001s");
        let long = StdDuration::new(315_576_000_000, 999_999_999);
        assert_eq!(Duration::from(long).to_std(), Some(long));
    }
}
