//! [`ResourceNameError`]: what parsing a typed resource name (`LocationName::from_str`, ...)
//! returns when the text does not match its pattern.

use std::fmt;

/// A string did not match the pattern of a typed resource name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceNameError {
    expected: &'static str,
    found: String,
    dot_segment: Option<String>,
}

impl ResourceNameError {
    /// `found` did not match `expected` (e.g. `projects/*/locations/*`).
    pub fn new(expected: &'static str, found: impl Into<String>) -> Self {
        ResourceNameError { expected, found: found.into(), dot_segment: None }
    }

    /// `found` matched `expected` but for a variable segment `.` or `..` (`segment`), which
    /// URLs resolve away: sent, the name would address another resource.
    pub fn dot_segment(expected: &'static str, found: impl Into<String>, segment: impl Into<String>) -> Self {
        ResourceNameError { expected, found: found.into(), dot_segment: Some(segment.into()) }
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
        write!(f, "{:?} is not a resource name of the form {}", self.found, self.expected)?;
        match &self.dot_segment {
            Some(segment) => write!(
                f,
                ": its segment {segment:?} is a dot segment, which URL normalisation would remove (the name would address another resource)"
            ),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ResourceNameError {}
