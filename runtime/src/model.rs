//! The trait impls every generated open enum has, written once.

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
