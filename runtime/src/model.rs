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
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as $crate::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok($name::from(value.as_ref()))
            }
        }
    };
}

/// Implements `Serialize` and `Deserialize` for generated model structs, each from its list of
/// `"wireName" => field` pairs (`as int64` for 64-bit integers sent as strings). One call takes
/// several models separated by `;`, so a generated file writes one call per feature gate.
///
/// It writes what `#[derive(Serialize, Deserialize)]` with `#[serde(default)]` and
/// `skip_serializing_if` on every field wrote, in less code: the model is decoded by one small
/// `visit_map` that starts from `Default` and matches each key as a `&str` (no field enum, no
/// `visit_seq`), and every field goes through a helper generic over the field's type, which is
/// compiled once per type rather than once per field. Serializing writes the fields in order,
/// skipping `None`, empty lists and empty maps. Decoding:
///
/// * a missing field keeps its default, and `null` for an `Option` field is `None`;
/// * an unknown key is skipped (read as `IgnoredAny`), so new server fields never break a client;
/// * a duplicate key: the last value wins (what `JSON.parse`, Go's `encoding/json` and
///   `serde_json::Value` do; serde's derive rejected the object, which would turn a harmless
///   server quirk into a failed call, and detecting it needs a flag per field in every model);
/// * a JSON array in place of the object is an error (the derive accepted the fields in order,
///   which no Google API sends).
///
/// ```
/// #[derive(Debug, Default, PartialEq)]
/// pub struct Disk {
///     pub name: Option<String>,
///     pub size_gb: Option<i64>,
///     pub tags: Vec<String>,
/// }
/// discogen_runtime::model_serde!(Disk { "name" => name, "sizeGb" => size_gb as int64, "tags" => tags });
///
/// let disk: Disk = serde_json::from_str(r#"{"name": null, "sizeGb": "10", "new": [1]}"#).unwrap();
/// assert_eq!(disk, Disk { size_gb: Some(10), ..Disk::default() });
/// assert_eq!(serde_json::to_string(&disk).unwrap(), r#"{"sizeGb":"10"}"#);
/// ```
#[macro_export]
macro_rules! model_serde {
    ($($name:ident { $($fields:tt)* });+ $(;)?) => {
        $( $crate::model_serde!(@model $name { $($fields)* }); )+
    };
    (@model $name:ident { $($wire:literal => $field:ident $(as $codec:ident)?),* $(,)? }) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                let len = 0 $( + $crate::__model::present($crate::__model_wire!(&self.$field $(, $codec)?)) as usize )*;
                #[allow(unused_mut)]
                let mut object = $crate::serde::Serializer::serialize_struct(serializer, stringify!($name), len)?;
                $( $crate::__model::field(&mut object, $wire, $crate::__model_wire!(&self.$field $(, $codec)?))?; )*
                $crate::serde::ser::SerializeStruct::end(object)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __ModelVisitor;

                impl<'de> $crate::serde::de::Visitor<'de> for __ModelVisitor {
                    type Value = $name;

                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: $crate::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        #[allow(unused_mut)]
                        let mut value = <$name as ::std::default::Default>::default();
                        while let ::std::option::Option::Some(key) = $crate::__model::next_key(&mut map)? {
                            match key.as_str() {
                                $( $wire => value.$field = $crate::__model_read!(map $(, $codec)?), )*
                                _ => $crate::__model::skip_value(&mut map)?,
                            }
                        }
                        ::std::result::Result::Ok(value)
                    }
                }

                $crate::serde::Deserializer::deserialize_map(deserializer, __ModelVisitor)
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
        &$crate::__model::Int64Wire($value)
    };
}

/// A field as read by [`model_serde!`]: itself, or through its wire form.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_read {
    ($map:ident) => {
        $crate::__model::next_value(&mut $map)?
    };
    ($map:ident, int64) => {
        $crate::__model::next_value::<_, $crate::__model::Int64Wire<_>>(&mut $map)?.0
    };
}

/// What the code written by [`model_serde!`] calls: generic over the field type, so each is
/// compiled once per type (and per serializer or deserializer), not once per field.
pub mod support {
    use std::borrow::Cow;
    use std::collections::BTreeMap;
    use std::fmt;

    use serde::de::{self, IgnoredAny, MapAccess};
    use serde::ser::SerializeStruct;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// A field that serialization skips when it holds nothing (`None`, `[]`, `{}`).
    pub trait Presence {
        /// Whether the field is written.
        fn is_present(&self) -> bool;
    }

    impl<T> Presence for Option<T> {
        fn is_present(&self) -> bool {
            self.is_some()
        }
    }

    impl<T> Presence for Vec<T> {
        fn is_present(&self) -> bool {
            !self.is_empty()
        }
    }

    impl<K, V> Presence for BTreeMap<K, V> {
        fn is_present(&self) -> bool {
            !self.is_empty()
        }
    }

    impl<T: Presence> Presence for Int64Wire<T> {
        fn is_present(&self) -> bool {
            self.0.is_present()
        }
    }

    impl<T: Presence> Presence for &T {
        fn is_present(&self) -> bool {
            (**self).is_present()
        }
    }

    /// Whether `value` is written.
    pub fn present<T: Presence>(value: &T) -> bool {
        value.is_present()
    }

    /// Writes one field unless it holds nothing.
    pub fn field<S: SerializeStruct, T: Serialize + Presence>(
        object: &mut S,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        if value.is_present() {
            object.serialize_field(key, value)
        } else {
            object.skip_field(key)
        }
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

    /// The value of the key just read.
    pub fn next_value<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A) -> Result<T, A::Error> {
        map.next_value()
    }

    /// Skips the value of a key the model does not know.
    pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(|_| ())
    }

    /// A 64-bit integer field (`Option` or `Vec`) in its wire form, a JSON string.
    pub struct Int64Wire<T>(pub T);

    macro_rules! int64_wire {
        ($int:ty, $module:ident) => {
            impl Serialize for Int64Wire<&Option<$int>> {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    crate::$module::option::serialize(self.0, serializer)
                }
            }

            impl Serialize for Int64Wire<&Vec<$int>> {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    crate::$module::vec::serialize(self.0, serializer)
                }
            }

            impl<'de> Deserialize<'de> for Int64Wire<Option<$int>> {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::$module::option::deserialize(deserializer).map(Int64Wire)
                }
            }

            impl<'de> Deserialize<'de> for Int64Wire<Vec<$int>> {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::$module::vec::deserialize(deserializer).map(Int64Wire)
                }
            }
        };
    }

    int64_wire!(i64, serde_int64);
    int64_wire!(u64, serde_uint64);
}

#[cfg(test)]
mod tests {
    //! The macro against the derive it replaces: the same fields, decoded and encoded both ways.

    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

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
        ids: Vec<u64>,
        colour: Option<Colour>,
        labels: BTreeMap<String, String>,
        children: Vec<Node>,
        parent: Option<Box<Node>>,
        extra: Option<Value>,
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

    /// The same model as the generator wrote it before, through serde's derive.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    struct Derived {
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        r#type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none", with = "crate::serde_int64::option")]
        size_gb: Option<i64>,
        #[serde(skip_serializing_if = "Vec::is_empty", with = "crate::serde_uint64::vec")]
        ids: Vec<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        colour: Option<Colour>,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        labels: BTreeMap<String, String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        children: Vec<Derived>,
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<Box<Derived>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        extra: Option<Value>,
    }

    /// Both decodings of `text`, as JSON again (or the error text), so they can be compared.
    fn both(text: &str) -> (Result<Value, String>, Result<Value, String>) {
        let light = serde_json::from_str::<Node>(text).map(|node| serde_json::to_value(node).unwrap());
        let derived = serde_json::from_str::<Derived>(text).map(|node| serde_json::to_value(node).unwrap());
        (light.map_err(|e| e.to_string()), derived.map_err(|e| e.to_string()))
    }

    #[test]
    fn decodes_and_encodes_as_the_derive_did() {
        let inputs = [
            r#"{}"#,
            r#"{"name": "a", "type": "t", "sizeGb": "-9007199254740993", "ids": ["1", 2], "colour": "RED"}"#,
            r#"{"colour": "MAUVE", "labels": {"k": "v", "a.b": ""}, "extra": {"any": [1, null]}}"#,
            r#"{"name": null, "sizeGb": null, "colour": null, "parent": null, "extra": null}"#,
            r#"{"unknown": {"deep": [1, {"x": null}]}, "name": "kept", "alsoUnknown": 1}"#,
            r#"{"children": [{"name": "c1", "children": [{"sizeGb": 3}]}, {}], "parent": {"name": "p"}}"#,
            r#"{"ids": [], "labels": {}, "children": []}"#,
            r#"{"name": "esc\"aped", "ty\u0070e": "escaped key"}"#,
            // Errors: the derive and the macro reject the same inputs.
            r#"{"ids": null}"#,
            r#"{"labels": null}"#,
            r#"{"sizeGb": "1.5"}"#,
            r#"{"ids": ["-1"]}"#,
            r#"{"name": 1}"#,
            r#"{"children": [{"parent": {"colour": 7}}]}"#,
            r#""a string""#,
            r#"null"#,
            r#"{"name": "a""#,
        ];
        for input in inputs {
            let (light, derived) = both(input);
            assert_eq!(light.is_ok(), derived.is_ok(), "{input}: {light:?} / {derived:?}");
            if let (Ok(light), Ok(derived)) = (&light, &derived) {
                assert_eq!(light, derived, "{input}");
            }
        }
        // The error names the expected type as the derive did.
        assert_eq!(
            both(r#""a string""#).0.unwrap_err(),
            both(r#""a string""#).1.unwrap_err().replace("Derived", "Node")
        );
    }

    #[test]
    fn missing_null_and_unknown_fields() {
        let node: Node = serde_json::from_str(r#"{"name": null, "new": {"x": [1]}, "sizeGb": 5}"#).unwrap();
        assert_eq!(node, Node { size_gb: Some(5), ..Node::default() });
        let node: Node = serde_json::from_value(json!({"parent": {"parent": {"name": "root"}}})).unwrap();
        assert_eq!(node.parent.unwrap().parent.unwrap().name.as_deref(), Some("root"));
    }

    #[test]
    fn the_last_of_duplicate_keys_wins() {
        let node: Node =
            serde_json::from_str(r#"{"name": "first", "name": "second", "ids": ["1"], "ids": []}"#).unwrap();
        assert_eq!(node, Node { name: Some("second".into()), ..Node::default() });
        // What the derive did instead.
        assert!(serde_json::from_str::<Derived>(r#"{"name": "first", "name": "second"}"#).is_err());
    }

    #[test]
    fn encodes_only_what_is_set_with_64_bit_integers_as_strings() {
        let node = Node {
            r#type: Some("t".into()),
            size_gb: Some(i64::MIN),
            ids: vec![u64::MAX],
            colour: Some(Colour::Other("NEW".into())),
            children: vec![Node::default()],
            ..Node::default()
        };
        let text = serde_json::to_string(&node).unwrap();
        assert_eq!(
            text,
            r#"{"type":"t","sizeGb":"-9223372036854775808","ids":["18446744073709551615"],"colour":"NEW","children":[{}]}"#
        );
        assert_eq!(serde_json::from_str::<Node>(&text).unwrap(), node);
    }

    /// Models named like the macro's own type parameters and visitor (a Discovery schema `A`).
    mod names_the_macro_uses {
        #[derive(Debug, Default, PartialEq)]
        pub struct A {
            pub d: Option<Box<D>>,
        }
        #[derive(Debug, Default, PartialEq)]
        pub struct D {
            pub s: Vec<S>,
        }
        #[derive(Debug, Default, PartialEq)]
        pub struct S {
            pub visitor: Option<Visitor>,
        }
        #[derive(Debug, Default, PartialEq)]
        pub struct Visitor {
            pub name: Option<String>,
        }
        // One call for several models, as a generated file writes them (one per feature gate).
        crate::model_serde!(
            A { "d" => d };
            D { "s" => s };
            S { "visitor" => visitor };
            Visitor { "name" => name };
        );

        #[test]
        fn round_trip() {
            let text = r#"{"d":{"s":[{"visitor":{"name":"v"}}]}}"#;
            let value: A = serde_json::from_str(text).unwrap();
            assert_eq!(value.d.as_ref().unwrap().s[0].visitor.as_ref().unwrap().name.as_deref(), Some("v"));
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
        }

        #[test]
        fn every_model_of_one_call_keeps_its_own_keys() {
            let visitor: Visitor = serde_json::from_str(r#"{"name":"n","d":1,"visitor":2}"#).unwrap();
            assert_eq!(visitor, Visitor { name: Some("n".into()) });
            let s: S = serde_json::from_str(r#"{"name":"n","visitor":{}}"#).unwrap();
            assert_eq!(s, S { visitor: Some(Visitor::default()) });
            assert_eq!(serde_json::to_string(&D::default()).unwrap(), "{}");
            let error = serde_json::from_str::<D>("[]").unwrap_err().to_string();
            assert!(error.contains("struct D"), "{error}");
        }
    }
}
