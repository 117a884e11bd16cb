//! Serde helpers for 64-bit integers, which Google APIs send as JSON
//! strings (`"12345"`) because JavaScript numbers cannot hold them.
//!
//! Generated code uses them with `#[serde(with = "...")]` on `Option` and
//! `Vec` fields. Deserialization also accepts JSON numbers.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The integer types sent as strings.
trait WireInt: Copy + fmt::Display + FromStr + TryFrom<i64> + TryFrom<u64> {}

impl WireInt for i64 {}
impl WireInt for u64 {}

/// One integer in its wire form.
struct Wire<T>(T);

impl<T: WireInt> Serialize for Wire<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de, T: WireInt> Deserialize<'de> for Wire<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WireVisitor(PhantomData)).map(Wire)
    }
}

struct WireVisitor<T>(PhantomData<T>);

impl<T: WireInt> Visitor<'_> for WireVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a 64-bit integer, as a string or a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(|_| E::invalid_value(Unexpected::Str(text), &self))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::invalid_value(Unexpected::Signed(value), &self))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
    }
}

fn serialize_one<T: WireInt, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    Wire(*value).serialize(serializer)
}

fn deserialize_one<'de, T: WireInt, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    Wire::deserialize(deserializer).map(|wire| wire.0)
}

fn serialize_option<T: WireInt, S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
    value.map(Wire).serialize(serializer)
}

fn deserialize_option<'de, T: WireInt, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    Option::<Wire<T>>::deserialize(deserializer).map(|value| value.map(|wire| wire.0))
}

fn serialize_vec<T: WireInt, S: Serializer>(values: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(values.iter().map(|value| Wire(*value)))
}

fn deserialize_vec<'de, T: WireInt, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    Vec::<Wire<T>>::deserialize(deserializer).map(|values| values.into_iter().map(|wire| wire.0).collect())
}

macro_rules! wire_module {
    ($module:ident, $int:ty) => {
        #[doc = concat!("`", stringify!($int), "` fields sent as JSON strings: `#[serde(with = \"discogen_runtime::", stringify!($module), "\")]`.")]
        pub mod $module {
            use serde::{Deserializer, Serializer};

            #[doc = concat!("Serializes a `", stringify!($int), "` as a string.")]
            pub fn serialize<S: Serializer>(value: &$int, serializer: S) -> Result<S::Ok, S::Error> {
                super::serialize_one(value, serializer)
            }

            #[doc = concat!("Deserializes a `", stringify!($int), "` from a string or number.")]
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$int, D::Error> {
                super::deserialize_one(deserializer)
            }

            #[doc = concat!("For `Option<", stringify!($int), ">` fields.")]
            pub mod option {
                use serde::{Deserializer, Serializer};

                /// Serializes `Some` as a string, `None` as `null`.
                pub fn serialize<S: Serializer>(value: &Option<$int>, serializer: S) -> Result<S::Ok, S::Error> {
                    super::super::serialize_option(value, serializer)
                }

                /// Deserializes a string, a number or `null`.
                pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<$int>, D::Error> {
                    super::super::deserialize_option(deserializer)
                }
            }

            #[doc = concat!("For `Vec<", stringify!($int), ">` fields.")]
            pub mod vec {
                use serde::{Deserializer, Serializer};

                /// Serializes as an array of strings.
                pub fn serialize<S: Serializer>(values: &[$int], serializer: S) -> Result<S::Ok, S::Error> {
                    super::super::serialize_vec(values, serializer)
                }

                /// Deserializes an array of strings or numbers.
                pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<$int>, D::Error> {
                    super::super::deserialize_vec(deserializer)
                }
            }
        }
    };
}

wire_module!(serde_int64, i64);
wire_module!(serde_uint64, u64);

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Message {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super::serde_int64::option")]
        size: Option<i64>,
        #[serde(default, skip_serializing_if = "Vec::is_empty", with = "super::serde_uint64::vec")]
        ids: Vec<u64>,
        #[serde(with = "super::serde_int64")]
        plain: i64,
    }

    #[test]
    fn integers_travel_as_strings() {
        let message = Message { size: Some(-9_007_199_254_740_993), ids: vec![u64::MAX, 0], plain: 7 };
        let value = serde_json::to_value(&message).unwrap();
        assert_eq!(value, json!({"size": "-9007199254740993", "ids": ["18446744073709551615", "0"], "plain": "7"}));
        assert_eq!(serde_json::from_value::<Message>(value).unwrap(), message);
    }

    #[test]
    fn numbers_nulls_and_absent_fields_are_accepted() {
        let parsed: Message = serde_json::from_value(json!({"size": 5, "ids": [1, "2"], "plain": 3})).unwrap();
        assert_eq!(parsed, Message { size: Some(5), ids: vec![1, 2], plain: 3 });
        let parsed: Message = serde_json::from_value(json!({"size": null, "plain": "0"})).unwrap();
        assert_eq!(parsed, Message::default());
        assert_eq!(serde_json::to_value(Message::default()).unwrap(), json!({"plain": "0"}));
    }

    #[test]
    fn out_of_range_and_garbage_are_rejected() {
        for bad in [json!({"ids": ["-1"], "plain": 0}), json!({"ids": [-1], "plain": 0}), json!({"plain": "1.5"})] {
            assert!(serde_json::from_value::<Message>(bad.clone()).is_err(), "{bad}");
        }
        assert!(serde_json::from_value::<Message>(json!({"plain": 1.5})).is_err());
        assert!(serde_json::from_value::<Message>(json!({"plain": "99999999999999999999"})).is_err());
    }
}
