//! URI templates as Discovery paths and OpenAPI path keys write them (`v1/{+name}:cancel`),
//! parsed once by the readers so that no emitter splits the text again.

/// A URI template relative to a base URL: the text as written (pages print it) and its pieces
/// (the Rust emitter expands them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathTemplate {
    text: String,
    pieces: Vec<TemplatePiece>,
}

/// A piece of a [`PathTemplate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePiece {
    Literal(String),
    /// An RFC 6570 expression: `{x}` (percent-encoded), `{+x}` (reserved characters such as
    /// `/` kept), or one with another operator (`#`, `.`, `/`, `;`, `?`, `&`).
    Expression {
        operator: Option<char>,
        name: String,
    },
}

/// The operators RFC 6570 puts before a variable name.
const OPERATORS: &str = "+#./;?&";

impl PathTemplate {
    /// Parses `text`; an unbalanced brace or an expression without a name is refused with the
    /// problem in words (the reader adds the place).
    pub fn parse(text: &str) -> Result<PathTemplate, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find(['{', '}']) {
            if rest.as_bytes()[open] == b'}' {
                return Err("unbalanced braces".to_owned());
            }
            let close = rest[open..].find('}').ok_or("unbalanced braces")? + open;
            let expression = &rest[open + 1..close];
            if expression.contains('{') {
                return Err("unbalanced braces".to_owned());
            }
            let operator = expression.chars().next().filter(|c| OPERATORS.contains(*c));
            let name = expression.trim_start_matches(|c: char| OPERATORS.contains(c));
            if name.is_empty() {
                return Err(format!("the expression {{{expression}}} names no variable"));
            }
            if open > 0 {
                pieces.push(TemplatePiece::Literal(rest[..open].to_owned()));
            }
            pieces.push(TemplatePiece::Expression { operator, name: name.to_owned() });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(TemplatePiece::Literal(rest.to_owned()));
        }
        Ok(PathTemplate { text: text.to_owned(), pieces })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn pieces(&self) -> &[TemplatePiece] {
        &self.pieces
    }

    /// The variable names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            TemplatePiece::Expression { name, .. } => Some(name.as_str()),
            TemplatePiece::Literal(_) => None,
        })
    }
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expression(operator: Option<char>, name: &str) -> TemplatePiece {
        TemplatePiece::Expression { operator, name: name.to_owned() }
    }

    #[test]
    fn literals_and_expressions_come_apart_with_their_operators() {
        let template = PathTemplate::parse("v1/{+name}:cancel").unwrap();
        assert_eq!(
            template.pieces(),
            [
                TemplatePiece::Literal("v1/".into()),
                expression(Some('+'), "name"),
                TemplatePiece::Literal(":cancel".into())
            ]
        );
        assert_eq!(template.as_str(), "v1/{+name}:cancel");
        let template = PathTemplate::parse("b/{bucket}/o/{object}").unwrap();
        assert_eq!(template.names().collect::<Vec<_>>(), ["bucket", "object"]);
        assert_eq!(PathTemplate::parse("{/path}").unwrap().pieces(), [expression(Some('/'), "path")]);
    }

    #[test]
    fn unbalanced_braces_and_empty_expressions_are_refused() {
        for text in ["v1/{name", "v1/name}", "v1/{a{b}}", "v1/}{x}"] {
            assert_eq!(PathTemplate::parse(text), Err("unbalanced braces".to_owned()), "{text}");
        }
        assert_eq!(PathTemplate::parse("v1/{+}"), Err("the expression {+} names no variable".to_owned()));
        assert_eq!(PathTemplate::parse("v1/{}"), Err("the expression {} names no variable".to_owned()));
    }
}
