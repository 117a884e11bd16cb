//! JSON text (and YAML through `serde_yaml_ng`) read straight into a [`Tree`]: strings without escapes borrow the text, and no
//! `serde_json::Value` is built on the way (reading through one allocated every key and value
//! twice; for Microsoft Graph's 47 MB document that was a quarter of the docs step).
//!
//! Duplicate keys are read as `serde_json::Value` reads them: the first position, the last
//! value.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use super::tree::{has_duplicate_key, Object, Tree};

/// Reads `text` as one JSON value.
pub fn read(text: &str) -> serde_json::Result<Tree<'_>> {
    serde_json::from_str(text)
}

impl<'de> Deserialize<'de> for Tree<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Tree<'de>, E> {
        Ok(Tree::Bool(flag))
    }

    fn visit_i64<E>(self, number: i64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(number.into()))
    }

    fn visit_u64<E>(self, number: u64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(number.into()))
    }

    /// As `serde_json::Value` reads a float: one JSON cannot hold (never from JSON text) is null.
    fn visit_f64<E>(self, number: f64) -> Result<Tree<'de>, E> {
        Ok(Number::from_f64(number).map_or(Tree::Null, Tree::Number))
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Borrowed(text)))
    }

    fn visit_str<E>(self, text: &str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E>(self, text: String) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(text)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        if has_duplicate_key(&members) {
            members = first_position_last_value(members);
        }
        Ok(Tree::Object(Object::from_unique(members)))
    }
}

/// A key that borrows the text when it can (`Cow<str>`'s own `Deserialize` always copies).
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(text)))
            }

            fn visit_str<E>(self, text: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text.to_owned())))
            }

            fn visit_string<E>(self, text: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Members with a repeated key merged as an index map's `insert` merges them: the key keeps
/// the place it first had, with the value it had last.
fn first_position_last_value<'a>(members: Vec<(Cow<'a, str>, Tree<'a>)>) -> Vec<(Cow<'a, str>, Tree<'a>)> {
    let mut merged: Vec<(Cow<'a, str>, Tree<'a>)> = Vec::with_capacity(members.len());
    let mut place: std::collections::HashMap<Cow<'a, str>, usize> =
        std::collections::HashMap::with_capacity(members.len());
    for (key, value) in members {
        match place.get(&key) {
            Some(&at) => merged[at].1 = value,
            None => {
                place.insert(key.clone(), merged.len());
                merged.push((key, value));
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::openapi::tree::Tree;

    /// The tree read from `text` holds what `serde_json::Value` reads from it, in the same order.
    fn same_as_serde_json(text: &str) {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let tree = read(text).unwrap();
        assert_eq!(tree, Tree::from_json(value.clone()), "{text}");
        assert_eq!(tree.to_json().to_string(), value.to_string(), "{text}");
    }

    #[test]
    fn reads_what_serde_json_reads() {
        same_as_serde_json(
            r#"{"b": 1, "a": [true, false, null], "c": {"x": -3, "y": 1.5e3, "z": 18446744073709551615}}"#,
        );
        same_as_serde_json(r#"["plain", "esc\"aped \u00e9", "", {"k\n": "v"}]"#);
        same_as_serde_json(r#"{"n": 0.1, "big": -9223372036854775808, "e": 1e-7}"#);
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        same_as_serde_json(r#"{"a": 1, "b": 2, "a": 3}"#);
        let tree = read(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        let members: Vec<_> = tree.as_object().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(members, ["a=3", "b=2"]);
        // Past the size where duplicates are found through a hash set.
        let many: Vec<String> = (0..20).map(|i| format!("\"k{i}\": {i}")).collect();
        same_as_serde_json(&format!("{{{}, \"k3\": \"again\"}}", many.join(", ")));
    }

    #[test]
    fn strings_without_escapes_borrow_the_text() {
        let text = r#"{"key": "plain", "other": "esc\"aped"}"#;
        let tree = read(text).unwrap();
        let object = tree.as_object().unwrap();
        let borrowed = |value: &Tree<'_>| matches!(value, Tree::String(std::borrow::Cow::Borrowed(_)));
        assert!(borrowed(object.get("key").unwrap()));
        assert!(!borrowed(object.get("other").unwrap()));
    }

    #[test]
    fn bad_json_is_an_error_with_its_place() {
        let err = read("{\"a\": [1, 2,]}").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
