//! Reading OpenAPI 3.0 and 3.1 documents, JSON or YAML, into the same IR the Discovery reader
//! builds: [`load`] parses and checks the version, [`lower`] turns the document into the IR,
//! validating as it goes (every error names the JSON pointer of the place, e.g.
//! `#/paths/~1v1~1{name}/get/parameters/2: ...`). StackQL's provider specs carry their resource
//! model in `components.x-stackQL-resources`, read by `stackql.rs` straight into
//! [`crate::ir::SqlResource`]s.

mod block_yaml;
mod json_text;
mod lower;
mod node;
mod stackql;
mod tree;

pub use lower::lower;

use serde_json::Value;

use tree::Tree;

use crate::error::{Error, Result};

/// A parsed OpenAPI 3 document, borrowing from its text.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The whole document, in document order.
    root: Tree<'a>,
    /// `3.0` or `3.1`.
    pub version: Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3_0,
    V3_1,
}

/// Parses a document: JSON when it starts with `{`, YAML otherwise.
pub fn parse(file: &str, text: &str) -> Result<Value> {
    parse_tree(file, text).map(|tree| tree.to_json())
}

/// [`parse`], into the tree the lowering reads.
fn parse_tree<'a>(file: &str, text: &'a str) -> Result<Tree<'a>> {
    let parse_error = |path: String, message: String| Error::Parse { file: file.to_owned(), path, message };
    if text.trim_start().starts_with('{') {
        return json_text::read(text).map_err(|err| parse_error("#".to_owned(), err.to_string()));
    }
    // YAML as dumpers write it (StackQL's provider specs): read by a reader of that subset.
    if let Some(tree) = block_yaml::read(text) {
        return Ok(tree);
    }
    // Without merge keys, straight into the tree: faster than through serde_yaml_ng's own
    // values. A document this refuses (a custom tag, a key that is not a scalar) takes the
    // general path below, which also reports the errors.
    if !has_merge_key(text) {
        if let Ok(tree) = serde_yaml_ng::from_str::<Tree<'a>>(text) {
            return Ok(tree);
        }
    }
    let mut yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|err| {
        let at = err.location().map_or_else(|| "#".to_owned(), |l| format!("line {}, column {}", l.line(), l.column()));
        parse_error(at, err.to_string())
    })?;
    yaml.apply_merge().map_err(|err| parse_error("#".to_owned(), err.to_string()))?;
    Ok(Tree::from_json(yaml_to_json(yaml)))
}

/// Whether `text` may have a YAML merge key: `<<` (quoted or not) followed by `:`. A `<<` in
/// prose (`red << 16` in a description) is not one.
fn has_merge_key(text: &str) -> bool {
    text.match_indices("<<").any(|(at, _)| {
        let rest = text[at + 2..].trim_start_matches(['"', '\'']).trim_start_matches([' ', '\t']);
        rest.starts_with(':')
    })
}

/// YAML -> JSON, keeping key order. Keys that are not strings (`200:` response codes) become
/// their text; tags are dropped; a float JSON cannot hold becomes null.
fn yaml_to_json(yaml: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Yaml;
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(flag),
        Yaml::Number(number) => {
            if let Some(int) = number.as_i64() {
                Value::from(int)
            } else if let Some(int) = number.as_u64() {
                Value::from(int)
            } else {
                number.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let key = match yaml_to_json(key) {
                        Value::String(text) => text,
                        other => other.to_string(),
                    };
                    (key, yaml_to_json(value))
                })
                .collect(),
        ),
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// Parses a document and checks it is OpenAPI 3.0 or 3.1 (Swagger 2.0 is refused by name).
pub fn load<'a>(file: &str, text: &'a str) -> Result<Document<'a>> {
    let root = parse_tree(file, text)?;
    if !root.is_object() {
        return Err(Error::invalid(
            file,
            "#",
            format!("expected an OpenAPI document (an object), found {}", node::kind(&root)),
        ));
    }
    if let Some(swagger) = root.get("swagger") {
        return Err(Error::invalid(
            file,
            "#/swagger",
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0 and 3.1 are read (convert it first, e.g. with swagger2openapi)",
                node::text(swagger)
            ),
        ));
    }
    let version = match root.get("openapi") {
        None => return Err(Error::invalid(file, "#", "no `openapi` version: not an OpenAPI 3 document")),
        Some(Tree::String(v)) if v == "3.0" || v.starts_with("3.0.") => Version::V3_0,
        Some(Tree::String(v)) if v == "3.1" || v.starts_with("3.1.") => Version::V3_1,
        Some(other) => {
            return Err(Error::invalid(
                file,
                "#/openapi",
                format!("OpenAPI version {} is not supported (3.0 and 3.1 are)", node::text(other)),
            ))
        }
    };
    Ok(Document { root, version })
}

#[cfg(test)]
mod tests;
