//! What every generated model shares besides its typed fields, and what its typed resource
//! names share.

use std::fmt;
use std::str::FromStr;

use crate::error::ResourceNameError;

/// A typed resource name of a generated crate (`TopicName`): built from its segments, parsed
/// from its text, and written back as that text.
pub trait ResourceName: FromStr<Err = ResourceNameError> + fmt::Display {}

/// What a method takes where its path holds a resource name: the typed name, or the name's
/// text as Google's reference writes it (`"projects/my-project/topics/my-topic"`). Text that
/// does not match the name's pattern fails the call when it is sent, with an error naming the
/// parameter and the pattern; nothing is sent.
///
/// ```
/// use discogen_runtime::error::ResourceNameError;
/// use discogen_runtime::model::{IntoName, ResourceName};
/// # #[derive(Debug)]
/// # struct TopicName(String);
/// # impl std::fmt::Display for TopicName {
/// #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(&self.0) }
/// # }
/// # impl std::str::FromStr for TopicName {
/// #     type Err = ResourceNameError;
/// #     fn from_str(s: &str) -> Result<Self, ResourceNameError> {
/// #         let ok = s.starts_with("projects/") && s.contains("/topics/");
/// #         if ok { Ok(TopicName(s.to_owned())) } else { Err(ResourceNameError::new("projects/*/topics/*", s)) }
/// #     }
/// # }
/// # impl ResourceName for TopicName {}
/// fn text<N: ResourceName>(name: impl IntoName<N>) -> (String, bool) {
///     let (text, error) = name.into_name_text();
///     (text, error.is_none())
/// }
/// assert_eq!(text::<TopicName>("projects/p/topics/t"), ("projects/p/topics/t".to_owned(), true));
/// assert_eq!(text::<TopicName>("topics/t"), ("topics/t".to_owned(), false));
/// ```
pub trait IntoName<N> {
    /// The name's text, and why it is not a name of type `N` when it is not.
    fn into_name_text(self) -> (String, Option<ResourceNameError>);
}

impl<N: ResourceName> IntoName<N> for N {
    fn into_name_text(self) -> (String, Option<ResourceNameError>) {
        (name_text(&self), None)
    }
}

impl<N: ResourceName> IntoName<N> for &N {
    fn into_name_text(self) -> (String, Option<ResourceNameError>) {
        (name_text(self), None)
    }
}

/// `name` written out in one allocation for any name of up to 128 bytes (`to_string` grows
/// its buffer segment by segment: five allocations for a three-segment name). A guess, not a
/// first pass measuring the name: that pass cost as much as the writing (callgrind, about 580
/// instructions per call).
fn name_text(name: &impl fmt::Display) -> String {
    let mut text = String::with_capacity(128);
    let _ = fmt::write(&mut text, format_args!("{name}"));
    text
}

impl<N: ResourceName> IntoName<N> for &str {
    fn into_name_text(self) -> (String, Option<ResourceNameError>) {
        (self.to_owned(), self.parse::<N>().err())
    }
}

impl<N: ResourceName> IntoName<N> for String {
    fn into_name_text(self) -> (String, Option<ResourceNameError>) {
        let error = self.parse::<N>().err();
        (self, error)
    }
}

impl<N: ResourceName> IntoName<N> for &String {
    fn into_name_text(self) -> (String, Option<ResourceNameError>) {
        IntoName::<N>::into_name_text(self.as_str())
    }
}

/// The members of a model's JSON object that its typed fields do not hold: fields sent or
/// received as `null`, keys of a map field sent as `null`, and fields this revision of the
/// crate does not know. Every generated model has one, as its last field `_extra`
/// (guide, "Field presence").
///
/// Decoding fills it (`"retentionPolicy": null`, `"fieldAddedLater": {...}`) and serializing
/// writes it back, so a model read from the server and sent again carries every member the
/// server sent. A known field that holds a value (`Some`) is written from the field, not from
/// here; a known field that is `None` is written from here when it has an entry (`null`).
///
/// ```
/// use discogen_runtime::ExtraFields;
/// use serde_json::json;
///
/// let mut extra = ExtraFields::default();
/// extra.set_null_key("labels", "old-key");
/// extra.insert("newField", json!(7));
/// extra.set_null("retentionPolicy");
/// assert!(extra.is_null("retentionPolicy"));
/// assert_eq!(extra.get("labels"), Some(&json!({"old-key": null})));
/// assert_eq!(extra.iter().map(|(name, _)| name).collect::<Vec<_>>(), ["labels", "newField", "retentionPolicy"]);
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct ExtraFields(serde_json::Map<String, serde_json::Value>);

impl ExtraFields {
    /// The member named `name` (a JSON name), if any.
    // Inlined: serialising a model asks this of every field, and the map is almost always
    // empty (about 400 instructions per create in calls alone, callgrind).
    #[inline]
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        if self.0.is_empty() {
            return None;
        }
        self.0.get(name)
    }

    /// Whether the member named `name` is `null`: a field the server sent as `null`, or one
    /// set to be sent as `null`.
    pub fn is_null(&self, name: &str) -> bool {
        self.0.get(name).is_some_and(serde_json::Value::is_null)
    }

    /// Sends the member `name` as `null`. On a generated model, prefer its `null(name)`, which
    /// also empties the typed field.
    pub fn set_null(&mut self, name: &str) {
        self.0.insert(name.to_owned(), serde_json::Value::Null);
    }

    /// Sends `{"<name>": {"<key>": null}}`, merged with the map field `name`'s own entries when
    /// it has any (which win for the same key).
    pub fn set_null_key(&mut self, name: &str, key: &str) {
        let member = self.0.entry(name).or_insert(serde_json::Value::Null);
        if !member.is_object() {
            // Absent, or a `null` for the whole field: from now on, a map of deleted keys.
            *member = serde_json::Value::Object(serde_json::Map::new());
        }
        if let serde_json::Value::Object(keys) = member {
            keys.insert(key.to_owned(), serde_json::Value::Null);
        }
    }

    /// Adds or replaces the member `name`, returning the previous one. The escape hatch for a
    /// field this revision does not have.
    pub fn insert(&mut self, name: impl Into<String>, value: serde_json::Value) -> Option<serde_json::Value> {
        self.0.insert(name.into(), value)
    }

    /// Removes the member `name`, so that a `None` field is absent again.
    pub fn remove(&mut self, name: &str) -> Option<serde_json::Value> {
        self.0.remove(name)
    }

    /// The members: in name order, or in the order they were added when serde_json's
    /// `preserve_order` feature is on.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (the usual case).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for ExtraFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
