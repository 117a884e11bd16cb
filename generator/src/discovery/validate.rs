//! Consistency checks that the JSON shape alone cannot express.

use std::collections::HashSet;

use super::{walk_resource_methods, Document, Method, Schema};
use crate::error::{Error, Result};
use crate::ir::{HttpMethod, PathTemplate, TemplatePiece};

/// Checks that the service name and version and every method id are plain names, every `$ref`
/// resolves, every path placeholder names a path parameter, every method has a usable HTTP verb
/// and path, and method ids are unique. Returns the first problem.
pub fn validate(file: &str, doc: &Document) -> Result<()> {
    // The name and version become directory and crate names, method ids StackQL's resource and
    // method names (page directories, anchors, JSX attributes): every public Discovery
    // document keeps to letters, digits, `_` and `-` (plus `.` in versions).
    if !is_word(&doc.name, "") {
        return Err(Error::invalid(file, "$.name", format!("{:?} is not a service name", doc.name)));
    }
    if !is_word(&doc.version, ".") {
        return Err(Error::invalid(file, "$.version", format!("{:?} is not a version", doc.version)));
    }
    for (name, schema) in &doc.schemas {
        check_schema_refs(file, doc, schema, &mut format!("$.schemas.{name}"))?;
    }
    let mut methods: Vec<(String, &Method)> = Vec::new();
    walk_resource_methods(&doc.resources, &mut |chain, name, method| {
        let chain: String = chain.iter().map(|resource| format!(".resources.{resource}")).collect();
        methods.push((format!("${chain}.methods.{name}"), method));
    });
    methods.extend(doc.methods.iter().map(|(name, method)| (format!("$.methods.{name}"), method)));
    let mut seen_ids = HashSet::new();
    for (path, method) in methods {
        let tokens: Vec<&str> = method.id.split('.').collect();
        if tokens.len() < 2 || !tokens.iter().all(|token| is_word(token, "")) {
            return Err(Error::invalid(
                file,
                format!("{path}.id"),
                format!("{:?} is not a method id (dot-separated names such as \"svc.things.get\")", method.id),
            ));
        }
        if !seen_ids.insert(method.id.as_str()) {
            return Err(Error::invalid(file, &method.id, "method id is used by more than one method"));
        }
        check_method(file, doc, method)?;
    }
    Ok(())
}

/// Non-empty, and only letters, digits, `_`, `-` and the characters in `extra`.
fn is_word(text: &str, extra: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || extra.contains(c))
}

fn check_schema_refs(file: &str, doc: &Document, schema: &Schema, path: &mut String) -> Result<()> {
    if let Some(target) = &schema.reference {
        if !doc.schemas.contains_key(target) {
            return Err(Error::invalid(file, path.as_str(), format!("$ref \"{target}\" names no schema")));
        }
    }
    let child = |suffix: &str, child: &Schema, path: &mut String| {
        let len = path.len();
        path.push_str(suffix);
        let result = check_schema_refs(file, doc, child, path);
        path.truncate(len);
        result
    };
    for (name, property) in &schema.properties {
        child(&format!(".properties.{name}"), property, path)?;
    }
    if let Some(items) = &schema.items {
        child(".items", items, path)?;
    }
    if let Some(values) = &schema.additional_properties {
        child(".additionalProperties", values, path)?;
    }
    Ok(())
}

fn check_method(file: &str, doc: &Document, method: &Method) -> Result<()> {
    let id = method.id.as_str();
    // Discovery has no TRACE.
    if HttpMethod::parse(&method.http_method).is_none_or(|verb| verb == HttpMethod::Trace) {
        return Err(Error::invalid(file, id, format!("unsupported httpMethod \"{}\"", method.http_method)));
    }
    if method.path.trim().is_empty() {
        return Err(Error::invalid(file, id, "empty path"));
    }
    super::media::lower(method).map_err(|message| Error::invalid(file, id, message))?;
    for (what, body) in [("request", &method.request), ("response", &method.response)] {
        match body.as_ref().map(|body| (body, &body.reference)) {
            Some((_, Some(reference))) if !doc.schemas.contains_key(reference) => {
                return Err(Error::invalid(file, id, format!("{what} $ref \"{reference}\" names no schema")));
            }
            Some((body, None)) => {
                if body.kind.is_none() {
                    return Err(Error::invalid(file, id, format!("{what} has neither $ref nor type")));
                }
                check_schema_refs(file, doc, body, &mut format!("{id}.{what}"))?;
            }
            _ => {}
        }
    }
    let parameters = method.parameters.as_ref();
    // Parameter names end up in page anchors, table cells and Rust identifiers.
    if let Some(name) = parameters.into_iter().flat_map(|params| params.keys()).find(|name| !is_word(name, ".$")) {
        return Err(Error::invalid(file, id, format!("{name:?} is not a parameter name")));
    }
    for (operator, name) in expressions(file, id, &method.path)? {
        let is_path_param = parameters
            .and_then(|params| params.get(&name))
            .is_some_and(|param| param.location.as_deref() == Some("path"));
        if !is_path_param {
            return Err(Error::invalid(
                file,
                id,
                format!("path placeholder {{{operator}{name}}} in \"{}\" has no path parameter", method.path),
            ));
        }
    }
    if let Some(flat) = &method.flat_path {
        // The flat path's placeholders name StackQL's path parameters.
        for (operator, name) in expressions(file, id, flat)? {
            if !matches!(operator.as_str(), "" | "+") || !is_word(&name, ".$") {
                return Err(Error::invalid(
                    file,
                    id,
                    format!("{{{operator}{name}}} in flatPath \"{flat}\" names no parameter"),
                ));
            }
        }
    }
    for name in &method.parameter_order {
        if !parameters.is_some_and(|params| params.contains_key(name)) {
            return Err(Error::invalid(file, id, format!("parameterOrder names unknown parameter \"{name}\"")));
        }
    }
    Ok(())
}

/// The expressions of a URI template as (operator, name) pairs, refusing a malformed template.
fn expressions(file: &str, id: &str, template: &str) -> Result<Vec<(String, String)>> {
    let parsed = PathTemplate::parse(template)
        .map_err(|problem| Error::invalid(file, id, format!("{problem} in path \"{template}\"")))?;
    let pairs = parsed.pieces().iter().filter_map(|piece| match piece {
        TemplatePiece::Expression { operator, name } => {
            Some((operator.map(String::from).unwrap_or_default(), name.clone()))
        }
        TemplatePiece::Literal(_) => None,
    });
    Ok(pairs.collect())
}
