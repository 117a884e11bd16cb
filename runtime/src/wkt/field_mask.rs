//! `google.protobuf.FieldMask` (Discovery format `google-fieldmask`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A field mask in JSON form: comma-separated field paths such as
/// `"displayName,labels"`. Used as `updateMask` query parameter or field.
///
/// ```
/// use discogen_runtime::wkt::FieldMask;
///
/// let mask = FieldMask::from_paths(["displayName", "labels"]);
/// assert_eq!(mask.to_string(), "displayName,labels");
/// assert_eq!(mask.paths().collect::<Vec<_>>(), ["displayName", "labels"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldMask(String);

impl FieldMask {
    /// Wraps a comma-separated list of paths as is.
    pub fn new(text: impl Into<String>) -> Self {
        FieldMask(text.into())
    }

    /// Joins `paths` with commas.
    pub fn from_paths<I>(paths: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let paths: Vec<String> = paths.into_iter().map(|p| p.as_ref().to_owned()).collect();
        FieldMask(paths.join(","))
    }

    /// The paths (empty ones skipped).
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.split(',').map(str::trim).filter(|p| !p.is_empty())
    }

    /// The mask text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_skip_blanks_and_serde_is_a_string() {
        let mask = FieldMask::new("a, b.c,,");
        assert_eq!(mask.paths().collect::<Vec<_>>(), ["a", "b.c"]);
        assert_eq!(serde_json::to_string(&mask).unwrap(), "\"a, b.c,,\"");
        assert_eq!(FieldMask::from_paths(Vec::<String>::new()).as_str(), "");
    }
}
