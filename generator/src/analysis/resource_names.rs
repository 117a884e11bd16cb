//! Resource-name patterns (AIP-122): which path parameters hold a name of a fixed shape, read
//! from the parameter's `pattern` as either document writes it
//! (`^projects/[^/]+/locations/[^/]+$`). Emitters give the shape its types and field names.

/// A plain `literal/*/literal/*...` chain: every variable segment follows a literal one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern {
    /// The chain with `*` for each variable (`projects/*/locations/*`).
    pub text: String,
    pub segments: Vec<PatternSegment>,
}

/// A segment of a [`NamePattern`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternSegment {
    /// A collection identifier (`projects`): ASCII letters, digits, `-` and `_`.
    Literal(String),
    /// One variable segment; `collection` is the literal before it.
    Variable { collection: String },
}

impl NamePattern {
    /// The pattern of `regex` when it is an anchored plain chain with at least one variable;
    /// `None` for anything else (such parameters stay plain strings).
    pub fn parse(regex: &str) -> Option<NamePattern> {
        let text = regex.strip_prefix('^')?.strip_suffix('$')?.replace("[^/]+", "*");
        let mut segments = Vec::new();
        let mut previous_literal: Option<String> = None;
        for piece in text.split('/') {
            if piece == "*" {
                segments.push(PatternSegment::Variable { collection: previous_literal.take()? });
            } else if !piece.is_empty() && piece.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                previous_literal = Some(piece.to_owned());
                segments.push(PatternSegment::Literal(piece.to_owned()));
            } else {
                return None;
            }
        }
        segments
            .iter()
            .any(|segment| matches!(segment, PatternSegment::Variable { .. }))
            .then_some(NamePattern { text, segments })
    }

    /// The last collection (`locations` in `projects/*/locations/*`), which names the resource.
    pub fn last_collection(&self) -> Option<&str> {
        self.segments.iter().rev().find_map(|segment| match segment {
            PatternSegment::Literal(literal) => Some(literal.as_str()),
            PatternSegment::Variable { .. } => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_chains_are_name_patterns() {
        let pattern = NamePattern::parse("^projects/[^/]+/locations/[^/]+/jobs/[^/]+$").unwrap();
        assert_eq!(pattern.text, "projects/*/locations/*/jobs/*");
        assert_eq!(pattern.segments.len(), 6);
        assert_eq!(pattern.segments[1], PatternSegment::Variable { collection: "projects".into() });
        assert_eq!(pattern.last_collection(), Some("jobs"));
        // A singleton after the last variable is a literal segment of the name.
        assert_eq!(NamePattern::parse("^projects/[^/]+/config$").unwrap().last_collection(), Some("config"));
    }

    #[test]
    fn anything_else_is_not() {
        for regex in [
            "projects/[^/]+",       // not anchored
            "^projects/[^/]+/.*$",  // a wildcard
            "^[^/]+/projects$",     // a variable before any collection
            "^[^/]+/[^/]+$",        // two variables
            "^projects/locations$", // no variable
            "^projects//[^/]+$",    // an empty segment
            "^projects/{project}$", // not a regex of this shape
        ] {
            assert_eq!(NamePattern::parse(regex), None, "{regex}");
        }
    }
}
