//! The Discovery reader: [`load`] parses into the typed model and validates, [`lower`] turns
//! the document into the IR.

mod lower;
mod media;
mod model;
mod validate;

pub use lower::lower;
pub use model::*;
pub use validate::validate;

use crate::error::{Error, Result};

/// Parses a Discovery document. `file` is only used to name the source in errors.
///
/// Errors carry the JSON path of the offending value (via `serde_path_to_error`), e.g.
/// `resources.projects.methods.get: missing field `httpMethod``.
pub fn parse(file: &str, text: &str) -> Result<Document> {
    // Fast path without path tracking; only a failing document pays for the second pass
    // that finds the JSON path of the problem.
    if let Ok(doc) = serde_json::from_str(text) {
        return Ok(doc);
    }
    if let Ok(probe) = serde_json::from_str::<KindProbe>(text) {
        if probe.kind.as_deref() == Some("discovery#directoryList") {
            return Err(Error::Parse {
                file: file.to_owned(),
                path: "$.kind".to_owned(),
                message: "this is a Discovery directory list (an index of APIs), not a Discovery document".to_owned(),
            });
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        Error::Parse {
            file: file.to_owned(),
            path: if path == "." { "$".to_owned() } else { format!("$.{path}") },
            message: inner.to_string(),
        }
    })?;
    de.end().map_err(|err| Error::Parse { file: file.to_owned(), path: "$".to_owned(), message: err.to_string() })?;
    Ok(doc)
}

#[derive(serde::Deserialize)]
struct KindProbe {
    kind: Option<String>,
}

/// Parses and validates in one step.
pub fn load(file: &str, text: &str) -> Result<Document> {
    let doc = parse(file, text)?;
    validate(file, &doc)?;
    Ok(doc)
}

/// Visits every method in document order: a resource's own methods, then its sub-resources,
/// depth first. `path` is the chain of resource names (`["projects", "locations", ...]`).
pub fn walk_resource_methods<'a>(
    resources: &'a indexmap::IndexMap<String, Resource>,
    visit: &mut dyn FnMut(&[&'a str], &'a str, &'a Method),
) {
    fn go<'a>(
        stack: &mut Vec<&'a str>,
        resources: &'a indexmap::IndexMap<String, Resource>,
        visit: &mut dyn FnMut(&[&'a str], &'a str, &'a Method),
    ) {
        for (name, resource) in resources {
            stack.push(name);
            for (method_name, method) in &resource.methods {
                visit(stack, method_name, method);
            }
            go(stack, &resource.resources, visit);
            stack.pop();
        }
    }
    go(&mut Vec::new(), resources, visit);
}
