//! The trait impls every generated open enum and model struct has, written once.

/// Implements `Display`, `Serialize` and `Deserialize` for a generated open enum through its
/// `as_str()` and `From<&str>` (both generated, since they list the values). Unknown values
/// round-trip through the enum's catch-all variant.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub enum State { Done, Other(String) }
/// impl State {
///     pub fn as_str(&self) -> &str {
///         match self { State::Done => "DONE", State::Other(value) => value }
///     }
/// }
/// impl From<&str> for State {
///     fn from(value: &str) -> Self {
///         match value { "DONE" => State::Done, other => State::Other(other.to_owned()) }
///     }
/// }
/// discogen_runtime::open_enum_impls!(State);
///
/// assert_eq!(State::Done.to_string(), "DONE");
/// assert_eq!(serde_json::from_str::<State>("\"NEW\"").unwrap(), State::Other("NEW".into()));
/// assert_eq!(serde_json::to_string(&State::Other("NEW".into())).unwrap(), "\"NEW\"");
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__support::serde::Serialize for $name {
            fn serialize<S: $crate::__support::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__support::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__support::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::borrow::Cow<'de, str> as $crate::__support::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok($name::from(value.as_ref()))
            }
        }
    };
}

/// Implements `Serialize` and `Deserialize` for generated model structs, each from its list of
/// `"wireName" => field` pairs (`as int64` for 64-bit integers sent as strings), and each
/// model's presence methods `null` and `null_key`. One call takes several models separated by
/// `;`, so a generated file writes one call per feature gate.
///
/// Every field is an `Option` and every model has a last field `_extra:
/// discogen_runtime::ExtraFields` (guide, "Field presence"). A field is then one of three
/// things on the wire:
///
/// * **absent**: `None`, not written (under PATCH: leave it unchanged);
/// * **a value**: `Some(x)`, written as it is, an empty list or map included (`"cors": []`);
/// * **`null`**: `None` with a `null` for its JSON name in `_extra`, written as `null` (under
///   PATCH: clear it); the model's `null("jsonName")` sets it, and decoding a `null` records it.
///
/// `_extra` also holds the object's members this model does not know (a field added to the API
/// after this revision): decoding keeps them and serializing writes them back after the known
/// fields, so a GET -> modify -> PUT loses nothing. `null_key("labels", "old-key")` adds
/// `{"old-key": null}` under `labels`, merged with the map's own entries when it has any: what
/// deletes one key of a map under PATCH (JSON Merge Patch, RFC 7396).
///
/// The model is decoded by one small `visit_map` that starts from `Default` and matches each
/// key as a `&str` (no field enum, no `visit_seq`), and every field goes through a helper
/// generic over the field's type, which is compiled once per type rather than once per field.
/// Decoding:
///
/// * a missing field stays `None`; `[]` and `{}` are `Some` of an empty list or map;
/// * a duplicate key: the last value wins (what `JSON.parse`, Go's `encoding/json` and
///   `serde_json::Value` do; serde's derive rejected the object, which would turn a harmless
///   server quirk into a failed call);
/// * a JSON array in place of the object is an error (serde's derive accepted the fields in
///   order, which no Google API sends).
///
/// ```
/// #[derive(Debug, Default, PartialEq)]
/// pub struct Disk {
///     pub name: Option<String>,
///     pub size_gb: Option<i64>,
///     pub tags: Option<Vec<String>>,
///     pub _extra: discogen_runtime::ExtraFields,
/// }
/// discogen_runtime::model_serde!(Disk { "name" => name, "sizeGb" => size_gb as int64, "tags" => tags });
///
/// // `null`, `[]` and a field this model does not know all survive a round trip.
/// let text = r#"{"name":null,"sizeGb":"10","tags":[],"new":[1]}"#;
/// let disk: Disk = serde_json::from_str(text).unwrap();
/// assert_eq!((disk.name.as_deref(), disk.size_gb, disk.tags.as_deref()), (None, Some(10), Some(&[][..])));
/// assert!(disk._extra.is_null("name"));
/// assert_eq!(disk._extra.get("new"), Some(&serde_json::json!([1])));
/// assert_eq!(serde_json::to_string(&disk).unwrap(), text);
///
/// // A PATCH body that clears `sizeGb` and sets nothing else.
/// let patch = Disk::default().null("sizeGb");
/// assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"sizeGb":null}"#);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! model_serde {
    ($($name:ident { $($fields:tt)* });+ $(;)?) => {
        $( $crate::model_serde!(@model $name { $($fields)* }); )+
    };
    (@model $name:ident { $($wire:literal => $field:ident $(as $codec:ident)?),* $(,)? }) => {
        impl $name {
            /// Sends the field whose JSON name is `field` as `null`, which clears it under PATCH,
            /// and empties it here. A name this model does not have is sent too (a field newer
            /// than this revision). See [`ExtraFields`](discogen_runtime::ExtraFields).
            #[inline]
            #[must_use]
            pub fn null(mut self, field: &str) -> Self {
                match field {
                    $( $wire => self.$field = ::std::option::Option::None, )*
                    _ => {}
                }
                self._extra.set_null(field);
                self
            }

            /// Sends `{"<field>": {"<key>": null}}`, which deletes `key` from the map field
            /// `field` under PATCH (storage's `labels`, ...); merged with the map's own entries
            /// when it has any. See [`ExtraFields`](discogen_runtime::ExtraFields).
            #[inline]
            #[must_use]
            pub fn null_key(mut self, field: &str, key: &str) -> Self {
                self._extra.set_null_key(field, key);
                self
            }
        }

        impl $crate::__support::serde::Serialize for $name {
            fn serialize<__S: $crate::__support::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                #[allow(unused_mut)]
                let mut object = $crate::__support::serde::Serializer::serialize_map(serializer, ::std::option::Option::None)?;
                $( $crate::__support::members::field(&mut object, $wire, $crate::__model_wire!(self.$field.as_ref() $(, $codec)?), &self._extra)?; )*
                $crate::__support::members::unknown_fields(&mut object, &self._extra, &[$($wire),*])?;
                $crate::__support::serde::ser::SerializeMap::end(object)
            }
        }

        impl<'de> $crate::__support::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__support::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __ModelVisitor;

                impl<'de> $crate::__support::serde::de::Visitor<'de> for __ModelVisitor {
                    type Value = $name;

                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: $crate::__support::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        #[allow(unused_mut)]
                        let mut value = <$name as ::std::default::Default>::default();
                        while let ::std::option::Option::Some(key) = $crate::__support::members::next_key(&mut map)? {
                            match key.as_str() {
                                $( $wire => value.$field = $crate::__model_read!(map, value._extra, $wire $(, $codec)?), )*
                                _ => $crate::__support::members::unknown_value(&mut map, &mut value._extra, key)?,
                            }
                        }
                        ::std::result::Result::Ok(value)
                    }
                }

                $crate::__support::serde::Deserializer::deserialize_map(deserializer, __ModelVisitor)
            }
        }
    };
}

/// A field as written by [`model_serde!`]: itself, or wrapped for its wire form.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_wire {
    ($value:expr) => {
        $value
    };
    ($value:expr, int64) => {
        ($value).map($crate::__support::members::Int64Wire)
    };
}

/// A field as read by [`model_serde!`]: itself, or through its wire form.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_read {
    ($map:ident, $extra:expr, $wire:literal) => {
        $crate::__support::members::read(&mut $map, &mut $extra, $wire)?
    };
    ($map:ident, $extra:expr, $wire:literal, int64) => {
        $crate::__support::members::read::<_, $crate::__support::members::Int64Wire<_>>(&mut $map, &mut $extra, $wire)?
            .map(|wire| wire.0)
    };
}

/// What the code written by [`model_serde!`] calls: generic over the field type, so each is
/// compiled once per type (and per serializer or deserializer), not once per field.
pub mod members {
    use std::borrow::Cow;
    use std::fmt;

    use serde::de::{self, MapAccess};
    use serde::ser::{Error as _, SerializeMap};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    use crate::model::ExtraFields;

    /// Writes one known field: its value (an empty list or map included) when it has one,
    /// merged with `extra`'s `null` keys for it; else `extra`'s member of that name (`null`);
    /// else nothing.
    pub fn field<M: SerializeMap, T: Serialize>(
        object: &mut M,
        key: &'static str,
        value: Option<T>,
        extra: &ExtraFields,
    ) -> Result<(), M::Error> {
        match (value, extra.get(key)) {
            (Some(value), Some(Value::Object(null_keys))) => {
                let mut merged = serde_json::to_value(&value).map_err(M::Error::custom)?;
                if let Value::Object(entries) = &mut merged {
                    for (name, null) in null_keys {
                        entries.entry(name.as_str()).or_insert_with(|| null.clone());
                    }
                }
                object.serialize_entry(key, &merged)
            }
            (Some(value), _) => object.serialize_entry(key, &value),
            (None, Some(member)) => object.serialize_entry(key, member),
            (None, None) => Ok(()),
        }
    }

    /// Writes the members of `extra` that are not among the model's `known` JSON names.
    pub fn unknown_fields<M: SerializeMap>(
        object: &mut M,
        extra: &ExtraFields,
        known: &[&str],
    ) -> Result<(), M::Error> {
        for (name, value) in extra.iter() {
            if !known.contains(&name) {
                object.serialize_entry(name, value)?;
            }
        }
        Ok(())
    }

    /// An object key, borrowed from the input when the deserializer can.
    pub struct Key<'de>(Cow<'de, str>);

    impl Key<'_> {
        /// The key's text.
        pub fn as_str(&self) -> &str {
            &self.0
        }
    }

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_str(KeyVisitor)
        }
    }

    struct KeyVisitor;

    impl<'de> de::Visitor<'de> for KeyVisitor {
        type Value = Key<'de>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a field name")
        }

        fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
            Ok(Key(Cow::Borrowed(key)))
        }

        fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
            Ok(Key(Cow::Owned(key.to_owned())))
        }

        fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
            Ok(Key(Cow::Owned(key)))
        }
    }

    /// The next key of an object being decoded.
    pub fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
        map.next_key()
    }

    /// The value of the known field `key` just read: `None` for `null`, which `extra` records
    /// so that it is written back.
    pub fn read<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        map: &mut A,
        extra: &mut ExtraFields,
        key: &str,
    ) -> Result<Option<T>, A::Error> {
        let value = map.next_value::<Option<T>>()?;
        if value.is_none() {
            extra.set_null(key);
        } else if !extra.is_empty() {
            // A duplicate key: the last value wins over an earlier `null`.
            extra.remove(key);
        }
        Ok(value)
    }

    /// Keeps the value of a key the model does not know, to send it back.
    pub fn unknown_value<'de, A: MapAccess<'de>>(
        map: &mut A,
        extra: &mut ExtraFields,
        key: Key<'de>,
    ) -> Result<(), A::Error> {
        let value = map.next_value::<Value>()?;
        extra.insert(key.0.into_owned(), value);
        Ok(())
    }

    /// A 64-bit integer field's value (one integer or a list) in its wire form, JSON strings.
    pub struct Int64Wire<T>(pub T);

    macro_rules! int64_wire {
        ($int:ty, $module:ident) => {
            impl Serialize for Int64Wire<&$int> {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    crate::__support::$module::serialize(self.0, serializer)
                }
            }

            impl Serialize for Int64Wire<&Vec<$int>> {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    crate::__support::$module::vec::serialize(self.0, serializer)
                }
            }

            impl<'de> Deserialize<'de> for Int64Wire<$int> {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::__support::$module::deserialize(deserializer).map(Int64Wire)
                }
            }

            impl<'de> Deserialize<'de> for Int64Wire<Vec<$int>> {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::__support::$module::vec::deserialize(deserializer).map(Int64Wire)
                }
            }
        };
    }

    int64_wire!(i64, serde_int64);
    int64_wire!(u64, serde_uint64);
}

#[cfg(test)]
mod tests {
    //! The macro's models: every member as sent, and the derive it replaced where they agree.

    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

    use crate::model::ExtraFields;

    #[derive(Clone, Debug, PartialEq)]
    enum Colour {
        Red,
        Other(String),
    }

    impl Colour {
        fn as_str(&self) -> &str {
            match self {
                Colour::Red => "RED",
                Colour::Other(value) => value,
            }
        }
    }

    impl From<&str> for Colour {
        fn from(value: &str) -> Self {
            match value {
                "RED" => Colour::Red,
                other => Colour::Other(other.to_owned()),
            }
        }
    }

    crate::open_enum_impls!(Colour);

    /// Every field shape the generator writes, and a recursive field.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Node {
        name: Option<String>,
        r#type: Option<String>,
        size_gb: Option<i64>,
        ids: Option<Vec<u64>>,
        colour: Option<Colour>,
        labels: Option<BTreeMap<String, String>>,
        children: Option<Vec<Node>>,
        parent: Option<Box<Node>>,
        extra: Option<Value>,
        _extra: ExtraFields,
    }

    crate::model_serde!(Node {
        "name" => name,
        "type" => r#type,
        "sizeGb" => size_gb as int64,
        "ids" => ids as int64,
        "colour" => colour,
        "labels" => labels,
        "children" => children,
        "parent" => parent,
        "extra" => extra,
    });

    /// The same fields through serde's derive, skipping `None`: what the macro must match on
    /// input without `null` or unknown members.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    struct Derived {
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        r#type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none", with = "crate::__support::serde_int64::option")]
        size_gb: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        ids: Option<Vec<Value>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        colour: Option<Colour>,
        #[serde(skip_serializing_if = "Option::is_none")]
        labels: Option<BTreeMap<String, String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        children: Option<Vec<Derived>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<Box<Derived>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        extra: Option<Value>,
    }

    fn round_trip(text: &str) -> Value {
        let node: Node = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        serde_json::to_value(&node).unwrap()
    }

    #[test]
    fn every_member_goes_back_as_it_came() {
        let inputs = [
            r#"{}"#,
            r#"{"name": "a", "type": "t", "sizeGb": "-9007199254740993", "ids": ["1", "2"], "colour": "RED"}"#,
            r#"{"colour": "MAUVE", "labels": {"k": "v", "a.b": ""}, "extra": {"any": [1, null]}}"#,
            r#"{"name": null, "sizeGb": null, "colour": null, "parent": null, "ids": null, "labels": null}"#,
            r#"{"extra": null}"#,
            r#"{"unknown": {"deep": [1, {"x": null}]}, "name": "kept", "alsoUnknown": 1, "nothing": null}"#,
            r#"{"children": [{"name": "c1", "children": [{"sizeGb": "3", "new": true}]}, {}], "parent": {"name": null}}"#,
            r#"{"ids": [], "labels": {}, "children": []}"#,
            r#"{"name": "esc\"aped", "ty\u0070e": "escaped key", "\u00e9": "\u00e9"}"#,
        ];
        for input in inputs {
            let expected: Value = serde_json::from_str(input).unwrap();
            assert_eq!(round_trip(input), expected, "{input}");
        }
        // Numbers where strings are sent are read, and sent as strings.
        assert_eq!(round_trip(r#"{"sizeGb": 5, "ids": [1, "2"]}"#), json!({"sizeGb": "5", "ids": ["1", "2"]}));
    }

    #[test]
    fn absent_null_empty_and_value_are_four_states() {
        let node: Node = serde_json::from_str(r#"{"name": null, "ids": [], "labels": {"k": "v"}}"#).unwrap();
        assert_eq!((node.name.as_deref(), node._extra.is_null("name")), (None, true));
        assert_eq!((node.r#type.as_deref(), node._extra.get("type")), (None, None));
        assert_eq!(node.ids.as_deref(), Some(&[][..]));
        assert_eq!(node.labels.as_ref().map(BTreeMap::len), Some(1));
        // Written in the model's order, then the members it does not know.
        let built = Node {
            children: Some(vec![]),
            size_gb: Some(i64::MIN),
            _extra: [("aNew".to_owned(), json!(null)), ("zNew".to_owned(), json!(1))].into_iter().fold(
                ExtraFields::default(),
                |mut extra, (name, value)| {
                    extra.insert(name, value);
                    extra
                },
            ),
            ..Node::default()
        }
        .null("name");
        assert_eq!(
            serde_json::to_string(&built).unwrap(),
            r#"{"name":null,"sizeGb":"-9223372036854775808","children":[],"aNew":null,"zNew":1}"#
        );
    }

    #[test]
    fn null_empties_the_field_and_a_later_value_wins() {
        let node = Node { name: Some("n".into()), ..Node::default() }.null("name").null("parent");
        assert_eq!(node.name, None);
        assert_eq!(serde_json::to_value(&node).unwrap(), json!({"name": null, "parent": null}));
        // A value set after the null (or after a decoded null) is what is sent.
        let mut node: Node = serde_json::from_str(r#"{"name": null}"#).unwrap();
        node.name = Some("again".into());
        assert_eq!(serde_json::to_value(&node).unwrap(), json!({"name": "again"}));
        // A name the model does not have is sent too.
        let node = Node::default().null("addedLater");
        assert_eq!(serde_json::to_value(&node).unwrap(), json!({"addedLater": null}));
    }

    #[test]
    fn null_key_deletes_one_key_of_a_map_beside_its_values() {
        let node = Node::default().null_key("labels", "old-key");
        assert_eq!(serde_json::to_string(&node).unwrap(), r#"{"labels":{"old-key":null}}"#);
        let node = Node {
            labels: Some(BTreeMap::from([("new".to_owned(), "v".to_owned()), ("both".to_owned(), "kept".to_owned())])),
            ..Node::default()
        }
        .null_key("labels", "old-key")
        .null_key("labels", "both");
        assert_eq!(
            serde_json::to_value(&node).unwrap(),
            json!({"labels": {"new": "v", "both": "kept", "old-key": null}})
        );
        // The later call wins: a whole-field null, or the keys after it.
        let node = Node::default().null_key("labels", "k").null("labels");
        assert_eq!(serde_json::to_string(&node).unwrap(), r#"{"labels":null}"#);
        let node = Node::default().null("labels").null_key("labels", "k");
        assert_eq!(serde_json::to_string(&node).unwrap(), r#"{"labels":{"k":null}}"#);
    }

    #[test]
    fn decodes_and_encodes_as_the_derive_did_without_nulls_or_unknown_members() {
        let inputs = [
            r#"{}"#,
            r#"{"name": "a", "type": "t", "sizeGb": "-9007199254740993", "ids": ["1", "2"], "colour": "RED"}"#,
            r#"{"colour": "MAUVE", "labels": {"k": "v", "a.b": ""}, "extra": {"any": [1, null]}}"#,
            r#"{"children": [{"name": "c1", "children": [{"sizeGb": "3"}]}, {}], "parent": {"name": "p"}}"#,
            r#"{"ids": [], "labels": {}, "children": []}"#,
            // Errors: the derive and the macro reject the same inputs.
            r#"{"sizeGb": "1.5"}"#,
            r#"{"name": 1}"#,
            r#"{"children": [{"parent": {"colour": 7}}]}"#,
            r#"{"labels": {"k": 1}}"#,
            r#""a string""#,
            r#"null"#,
            r#"{"name": "a""#,
        ];
        for input in inputs {
            let light = serde_json::from_str::<Node>(input).map(|node| serde_json::to_value(node).unwrap());
            let derived = serde_json::from_str::<Derived>(input).map(|node| serde_json::to_value(node).unwrap());
            assert_eq!(light.is_ok(), derived.is_ok(), "{input}: {light:?} / {derived:?}");
            if let (Ok(light), Ok(derived)) = (&light, &derived) {
                assert_eq!(light, derived, "{input}");
            }
        }
        // The error names the expected type as the derive did.
        let light = serde_json::from_str::<Node>(r#""a string""#).unwrap_err().to_string();
        let derived = serde_json::from_str::<Derived>(r#""a string""#).unwrap_err().to_string();
        assert_eq!(light, derived.replace("Derived", "Node"));
        // A 64-bit integer that does not fit is refused.
        assert!(serde_json::from_str::<Node>(r#"{"ids": ["-1"]}"#).is_err());
    }

    #[test]
    fn the_last_of_duplicate_keys_wins() {
        let node: Node =
            serde_json::from_str(r#"{"name": "first", "name": "second", "ids": ["1"], "ids": []}"#).unwrap();
        assert_eq!(node, Node { name: Some("second".into()), ids: Some(vec![]), ..Node::default() });
        let node: Node = serde_json::from_str(r#"{"name": null, "name": "value"}"#).unwrap();
        assert_eq!(serde_json::to_value(&node).unwrap(), json!({"name": "value"}));
        let node: Node = serde_json::from_str(r#"{"name": "value", "name": null}"#).unwrap();
        assert_eq!(serde_json::to_value(&node).unwrap(), json!({"name": null}));
        // What the derive did instead.
        assert!(serde_json::from_str::<Derived>(r#"{"name": "first", "name": "second"}"#).is_err());
    }

    /// Models named like the macro's own type parameters and visitor (a Discovery schema `A`).
    mod names_the_macro_uses {
        use crate::ExtraFields;

        #[derive(Debug, Default, PartialEq)]
        pub struct A {
            pub d: Option<Box<D>>,
            pub _extra: ExtraFields,
        }
        #[derive(Debug, Default, PartialEq)]
        pub struct D {
            pub s: Option<Vec<S>>,
            pub _extra: ExtraFields,
        }
        #[derive(Debug, Default, PartialEq)]
        pub struct S {
            pub visitor: Option<Visitor>,
            pub _extra: ExtraFields,
        }
        #[derive(Debug, Default, PartialEq)]
        pub struct Visitor {
            pub name: Option<String>,
            pub _extra: ExtraFields,
        }
        #[derive(Debug, Default, PartialEq)]
        pub struct Empty {
            pub _extra: ExtraFields,
        }
        // One call for several models, as a generated file writes them (one per feature gate).
        crate::model_serde!(
            A { "d" => d };
            D { "s" => s };
            S { "visitor" => visitor };
            Visitor { "name" => name };
            Empty {};
        );

        #[test]
        fn round_trip() {
            let text = r#"{"d":{"s":[{"visitor":{"name":"v"}}]}}"#;
            let value: A = serde_json::from_str(text).unwrap();
            assert_eq!(
                value.d.as_ref().unwrap().s.as_ref().unwrap()[0].visitor.as_ref().unwrap().name.as_deref(),
                Some("v")
            );
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
            let empty: Empty = serde_json::from_str(r#"{"any":1}"#).unwrap();
            assert_eq!(serde_json::to_string(&empty).unwrap(), r#"{"any":1}"#);
        }

        #[test]
        fn every_model_of_one_call_has_its_own_presence_methods() {
            let text = |value: &dyn erased::Json| value.text();
            assert_eq!(text(&A::default().null("d").null_key("m", "k")), r#"{"d":null,"m":{"k":null}}"#);
            assert_eq!(text(&D::default().null("s").null_key("m", "k")), r#"{"s":null,"m":{"k":null}}"#);
            assert_eq!(text(&S::default().null("visitor").null_key("m", "k")), r#"{"visitor":null,"m":{"k":null}}"#);
            assert_eq!(text(&Visitor::default().null("name").null_key("m", "k")), r#"{"name":null,"m":{"k":null}}"#);
            assert_eq!(text(&Empty::default().null_key("m", "k").null("new")), r#"{"m":{"k":null},"new":null}"#);
        }

        mod erased {
            /// Any model, as JSON text.
            pub trait Json {
                fn text(&self) -> String;
            }

            impl<T: serde::Serialize> Json for T {
                fn text(&self) -> String {
                    serde_json::to_string(self).unwrap()
                }
            }
        }

        #[test]
        fn every_model_of_one_call_keeps_its_own_keys() {
            let visitor: Visitor = serde_json::from_str(r#"{"name":"n","d":1,"visitor":2}"#).unwrap();
            assert_eq!(visitor.name.as_deref(), Some("n"));
            assert_eq!(visitor._extra.iter().map(|(name, _)| name).collect::<Vec<_>>(), ["d", "visitor"]);
            let s: S = serde_json::from_str(r#"{"visitor":{}}"#).unwrap();
            assert_eq!(s, S { visitor: Some(Visitor::default()), ..S::default() });
            assert_eq!(serde_json::to_string(&D::default()).unwrap(), "{}");
            let error = serde_json::from_str::<D>("[]").unwrap_err().to_string();
            assert!(error.contains("struct D"), "{error}");
        }
    }
}
