//! The parsed document as the lowering reads it: JSON's values, with keys and strings borrowed
//! from the document's text where they are written as they read (a plain scalar, a key, a
//! quoted string without escapes) and objects kept as lists of entries in document order.
//!
//! Why not `serde_json::Value`: there every key and string is an allocation, and every object
//! an index map hashing its keys; for aiplatform's 3.4 MB provider spec that was half a million
//! allocations (and as many frees), which took most of the spec path's time (issue 27).

use std::borrow::Cow;

use serde_json::Number;

/// A JSON value whose strings may borrow from the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Tree<'a>>),
    Object(Object<'a>),
}

/// An object's members in document order; keys are unique (the readers check).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object<'a>(Vec<(Cow<'a, str>, Tree<'a>)>);

impl<'a> Object<'a> {
    /// Members whose keys the caller has checked are unique ([`has_duplicate_key`]).
    pub fn from_unique(members: Vec<(Cow<'a, str>, Tree<'a>)>) -> Self {
        Object(members)
    }

    /// The member `key`: searched in order (most objects hold a handful of keys, and the few
    /// big ones, `paths` and `schemas`, are walked rather than looked up in).
    pub fn get(&self, key: &str) -> Option<&Tree<'a>> {
        self.0.iter().find(|(name, _)| name.as_ref() == key).map(|(_, value)| value)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Tree<'a>)> {
        self.0.iter().map(|(key, value)| (key.as_ref(), value))
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &Tree<'a>> {
        self.0.iter().map(|(_, value)| value)
    }

    /// The members, for a reader joining two objects.
    pub fn into_members(self) -> Vec<(Cow<'a, str>, Tree<'a>)> {
        self.0
    }
}

/// Whether two members of `members` have the same key: compared pairwise in a small object,
/// through a hash set in a big one.
pub fn has_duplicate_key(members: &[(Cow<'_, str>, Tree<'_>)]) -> bool {
    if members.len() <= 16 {
        return members.iter().enumerate().any(|(i, (key, _))| members[..i].iter().any(|(k, _)| k == key));
    }
    let mut seen = std::collections::HashSet::with_capacity(members.len());
    !members.iter().all(|(key, _)| seen.insert(key.as_ref()))
}

impl<'a> Tree<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Tree::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Tree<'a>]> {
        match self {
            Tree::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Tree::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Tree::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Tree::Null)
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Tree::Object(_))
    }

    /// The member `key` of an object; `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Tree<'a>> {
        self.as_object()?.get(key)
    }

    /// The value a JSON pointer (RFC 6901: `/a/b~1c/0`, `""` for the whole) names, read as
    /// `serde_json::Value::pointer` reads it.
    pub fn pointer(&self, pointer: &str) -> Option<&Tree<'a>> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |target, token| {
            let token: Cow<'_, str> =
                if token.contains('~') { token.replace("~1", "/").replace("~0", "~").into() } else { token.into() };
            match target {
                Tree::Object(map) => map.get(&token),
                Tree::Array(items) => parse_index(&token).and_then(|i| items.get(i)),
                _ => None,
            }
        })
    }

    /// The same value as a `serde_json::Value`, every string copied.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Tree::Null => Value::Null,
            Tree::Bool(flag) => Value::Bool(*flag),
            Tree::Number(number) => Value::Number(number.clone()),
            Tree::String(text) => Value::String(text.clone().into_owned()),
            Tree::Array(items) => Value::Array(items.iter().map(Tree::to_json).collect()),
            Tree::Object(map) => {
                Value::Object(map.iter().map(|(key, value)| (key.to_owned(), value.to_json())).collect())
            }
        }
    }

    /// A `serde_json::Value` as a tree (its strings moved, not copied).
    pub fn from_json(value: serde_json::Value) -> Tree<'static> {
        use serde_json::Value;
        match value {
            Value::Null => Tree::Null,
            Value::Bool(flag) => Tree::Bool(flag),
            Value::Number(number) => Tree::Number(number),
            Value::String(text) => Tree::String(Cow::Owned(text)),
            Value::Array(items) => Tree::Array(items.into_iter().map(Tree::from_json).collect()),
            // A `Map`'s keys are unique.
            Value::Object(map) => Tree::Object(Object(
                map.into_iter().map(|(key, value)| (Cow::Owned(key), Tree::from_json(value))).collect(),
            )),
        }
    }
}

/// An array index as `serde_json` reads one in a pointer: digits, no `+`, no leading zero.
fn parse_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() > 1) {
        return None;
    }
    token.parse().ok()
}

/// The value as compact JSON text, as `serde_json::Value` writes it.
impl std::fmt::Display for Tree<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tree::Null => f.write_str("null"),
            Tree::Bool(flag) => write!(f, "{flag}"),
            Tree::Number(number) => write!(f, "{number}"),
            other => write!(f, "{}", other.to_json()),
        }
    }
}
