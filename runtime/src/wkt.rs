//! Well-known types with special JSON forms, shared by all generated
//! clients: `google.protobuf.Empty`, `Timestamp`, `Duration`, `FieldMask`
//! and `bytes` fields (two base64 alphabets).
//!
//! `Timestamp`, `Duration` and `FieldMask` keep the server's string
//! unchanged (so values round-trip exactly) and offer typed conversions.

mod bytes;
pub(crate) mod civil;
mod duration;
mod empty;
mod field_mask;
mod timestamp;

pub use self::bytes::{Bytes, StandardBytes};
pub use duration::Duration;
pub use empty::Empty;
pub use field_mask::FieldMask;
pub use timestamp::Timestamp;

/// Text that is not what a [`Timestamp`] or [`Duration`] says it is, from their `FromStr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidText {
    expected: &'static str,
    text: String,
}

impl std::fmt::Display for InvalidText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} is not {}", self.text, self.expected)
    }
}

impl std::error::Error for InvalidText {}

/// `From<&str>` and `From<String>` for a text newtype, taking the text as is (as `new` does),
/// so that builders' `impl Into<T>` setters take string literals.
macro_rules! from_text {
    ($($name:ident),*) => {$(
        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name::new(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name::new(text)
            }
        }
    )*};
}

from_text!(Timestamp, Duration, FieldMask);

/// Formats `nanos` as proto3 JSON does: no fraction, or 3, 6 or 9 digits.
fn fraction(nanos: u32) -> String {
    if nanos == 0 {
        String::new()
    } else if nanos % 1_000_000 == 0 {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    }
}

/// Parses the digits after a decimal point (1 to 9 of them) as nanoseconds.
fn parse_fraction(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u32 = digits.parse().ok()?;
    Some(value * 10u32.pow(9 - digits.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_use_3_6_or_9_digits() {
        assert_eq!(fraction(0), "");
        assert_eq!(fraction(500_000_000), ".500");
        assert_eq!(fraction(1_000), ".000001");
        assert_eq!(fraction(1), ".000000001");
        assert_eq!(parse_fraction("5"), Some(500_000_000));
        assert_eq!(parse_fraction("000000001"), Some(1));
        assert_eq!(parse_fraction(""), None);
        assert_eq!(parse_fraction("1234567890"), None);
        assert_eq!(parse_fraction("1a"), None);
    }
}
