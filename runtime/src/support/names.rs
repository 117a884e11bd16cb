//! Helpers for resource names and path segments used by generated request builders.

use std::fmt;

use crate::error::ResourceNameError;
use crate::model::IntoName;
use crate::uri_template::is_dot_segment;

/// The text of the resource name given for path parameter `parameter`, and why the call must
/// not be sent when it is text that is not a name of type `N`.
pub fn name_text<N>(parameter: &str, name: impl IntoName<N>) -> (String, Option<String>) {
    let (text, error) = name.into_name_text();
    (text, error.map(|error| format!("path parameter `{parameter}`: {error}")))
}

/// Writes a resource name: `pattern` (e.g. `projects/*/locations/*`) with each `*` replaced by
/// the next of `values`. What every generated name type's `Display` does.
///
/// ```
/// struct Location;
/// impl std::fmt::Display for Location {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         discogen_runtime::__support::write_resource_name(f, "projects/*/locations/*", &["p", "us"])
///     }
/// }
/// assert_eq!(Location.to_string(), "projects/p/locations/us");
/// ```
pub fn write_resource_name(f: &mut fmt::Formatter<'_>, pattern: &str, values: &[&str]) -> fmt::Result {
    // Literal runs are written whole, each `*` segment as the next value: every call that
    // takes a typed name writes it.
    let bytes = pattern.as_bytes();
    let mut values = values.iter();
    let mut literal = 0;
    // `*` found by memchr: `match_indices` paid its setup at each `*` (callgrind: about 1 200
    // instructions per name more than a byte loop); memchr costs less than the byte loop.
    let mut from = 0;
    while let Some(index) = next_star(bytes, from) {
        let whole_segment = (index == 0 || bytes[index - 1] == b'/') && bytes.get(index + 1).is_none_or(|&b| b == b'/');
        if whole_segment {
            f.write_str(&pattern[literal..index])?;
            f.write_str(values.next().copied().unwrap_or_default())?;
            literal = index + 1;
        }
        from = index + 1;
    }
    f.write_str(&pattern[literal..])
}

/// The index of the first `*` in `bytes` from `from`.
fn next_star(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memchr(b'*', bytes.get(from..)?).map(|index| from + index)
}

/// Splits `text` by `pattern` (e.g. `projects/*/locations/*`): the literal segments must match
/// and each `*` must be one non-empty segment other than `.` and `..` (also as `%2E`), which
/// URLs resolve away; returns the variable segments in order. What every generated name type's
/// `FromStr` does.
///
/// ```
/// let [project, location] = discogen_runtime::__support::parse_resource_name("projects/*/locations/*", "projects/p/locations/us").unwrap();
/// assert_eq!((project, location), ("p", "us"));
/// assert!(discogen_runtime::__support::parse_resource_name::<2>("projects/*/locations/*", "projects/p/zones/us").is_err());
/// assert!(discogen_runtime::__support::parse_resource_name::<2>("projects/*/locations/*", "projects/p/locations/..").is_err());
/// ```
pub fn parse_resource_name<'a, const N: usize>(
    pattern: &'static str,
    text: &'a str,
) -> Result<[&'a str; N], ResourceNameError> {
    let mut out = [""; N];
    let mut found = 0;
    let mut pieces = text.split('/');
    for expected in pattern.split('/') {
        let matches = match (expected, pieces.next()) {
            ("*", Some(piece)) if is_dot_segment(piece) => {
                return Err(ResourceNameError::dot_segment(pattern, text, piece));
            }
            ("*", Some(piece)) if !piece.is_empty() && found < N => {
                out[found] = piece;
                found += 1;
                true
            }
            (literal, Some(piece)) => literal != "*" && literal == piece,
            (_, None) => false,
        };
        if !matches {
            return Err(ResourceNameError::new(pattern, text));
        }
    }
    if pieces.next().is_some() || found != N {
        return Err(ResourceNameError::new(pattern, text));
    }
    Ok(out)
}

/// Implements `new`, `Display` and `FromStr` for a typed resource name: a struct with one
/// `String` field per `*` of the pattern, in order. Generated crates write the struct (with its
/// rustdoc and `cfg`) and invoke this once per name type; helpers to child names are their own.
///
/// ```
/// /// A location (pattern `projects/*/locations/*`).
/// #[derive(Debug, PartialEq)]
/// pub struct LocationName {
///     pub project: String,
///     pub location: String,
/// }
/// discogen_runtime::resource_name!(LocationName = "projects/*/locations/*" { project, location });
///
/// let name = LocationName::new("p", "us");
/// assert_eq!(name.to_string(), "projects/p/locations/us");
/// assert_eq!("projects/p/locations/us".parse::<LocationName>().unwrap(), name);
/// assert!("projects/p".parse::<LocationName>().is_err());
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! resource_name {
    ($name:ident = $pattern:literal { $( $field:ident ),+ $(,)? }) => {
        impl $name {
            /// The name made of its segments.
            pub fn new($( $field: impl ::std::convert::Into<::std::string::String> ),+) -> Self {
                $name { $( $field: $field.into() ),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::__support::write_resource_name(f, $pattern, &[$( self.$field.as_str() ),+])
            }
        }

        impl $crate::model::ResourceName for $name {}

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::ResourceNameError;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                let [$( $field ),+] = $crate::__support::parse_resource_name($pattern, text)?;
                ::std::result::Result::Ok($name { $( $field: $field.to_owned() ),+ })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_star_is_found_from_where_the_search_starts() {
        let pattern = b"projects/*/locations/*";
        assert_eq!(next_star(pattern, 0), Some(9));
        assert_eq!(next_star(pattern, 9), Some(9));
        assert_eq!(next_star(pattern, 10), Some(21));
        assert_eq!(next_star(pattern, 22), None);
        assert_eq!(next_star(pattern, 23), None);
        assert_eq!(next_star(b"", 0), None);
    }

    #[test]
    fn parse_checks_literals_emptiness_and_length() {
        let pattern = "projects/*/cacheConfig";
        assert_eq!(parse_resource_name::<1>(pattern, "projects/p/cacheConfig"), Ok(["p"]));
        for bad in ["projects//cacheConfig", "projects/p/cacheConfig/x", "projects/p", "folders/p/cacheConfig", ""] {
            assert_eq!(parse_resource_name::<1>(pattern, bad), Err(ResourceNameError::new(pattern, bad)), "{bad}");
        }
        // A caller asking for more segments than the pattern has gets an error, not a panic.
        assert!(parse_resource_name::<2>(pattern, "projects/p/cacheConfig").is_err());
    }

    #[test]
    fn write_fills_the_pattern_in_order() {
        struct Name;
        impl fmt::Display for Name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_resource_name(f, "a/*/b/*/c", &["1", "2"])
            }
        }
        assert_eq!(Name.to_string(), "a/1/b/2/c");

        // Only whole `*` segments are filled, as splitting by `/` would find them.
        struct Pattern(&'static str);
        impl fmt::Display for Pattern {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_resource_name(f, self.0, &["1", "2"])
            }
        }
        for (pattern, written) in [
            ("*", "1"),
            ("*/*", "1/2"),
            ("*/*/*", "1/2/"),
            ("a*/*/b*c/**", "a*/1/b*c/**"),
            ("", ""),
            ("/*/", "/1/"),
            ("a//*", "a//1"),
        ] {
            assert_eq!(Pattern(pattern).to_string(), written, "{pattern}");
        }
    }

    #[test]
    fn parse_refuses_dot_segments() {
        let pattern = "projects/*/locations/*";
        for (text, segment) in [
            ("projects/p/locations/..", ".."),
            ("projects/./locations/l", "."),
            ("projects/p/locations/%2E%2e", "%2E%2e"),
        ] {
            let err = parse_resource_name::<2>(pattern, text).unwrap_err();
            assert_eq!(err, ResourceNameError::dot_segment(pattern, text, segment));
            assert!(err.to_string().contains(&format!("its segment {segment:?} is a dot segment")), "{err}");
        }
        assert_eq!(parse_resource_name::<2>(pattern, "projects/.p/locations/..."), Ok([".p", "..."]));
    }

    #[test]
    fn error_names_pattern_and_input() {
        let err = ResourceNameError::new("projects/*", "folders/1");
        assert_eq!(err.to_string(), "\"folders/1\" is not a resource name of the form projects/*");
    }
}
