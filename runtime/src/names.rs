//! Helpers for resource names and path segments used by generated request builders.

use std::fmt;

/// A string did not match the pattern of a typed resource name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceNameError {
    expected: &'static str,
    found: String,
}

impl ResourceNameError {
    /// `found` did not match `expected` (e.g. `projects/*/locations/*`).
    pub fn new(expected: &'static str, found: impl Into<String>) -> Self {
        ResourceNameError { expected, found: found.into() }
    }

    /// The pattern the name should have matched.
    pub fn expected(&self) -> &'static str {
        self.expected
    }

    /// The text that was parsed.
    pub fn found(&self) -> &str {
        &self.found
    }
}

impl fmt::Display for ResourceNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a resource name of the form {}", self.found, self.expected)
    }
}

impl std::error::Error for ResourceNameError {}

/// Percent-encodes one path segment (RFC 6570 simple expansion): everything but unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) is encoded, including `/`.
///
/// ```
/// assert_eq!(discogen_runtime::encode_path_segment("a b/c"), "a%20b%2Fc");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_non_ascii_bytes() {
        assert_eq!(encode_path_segment("job-1_x.y~z"), "job-1_x.y~z");
        assert_eq!(encode_path_segment("ä/?#"), "%C3%A4%2F%3F%23");
    }

    #[test]
    fn error_names_pattern_and_input() {
        let err = ResourceNameError::new("projects/*", "folders/1");
        assert_eq!(err.to_string(), "\"folders/1\" is not a resource name of the form projects/*");
    }
}
