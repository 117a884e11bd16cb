//! Per-method data the pages use (provider-utils' helpers): parameters split by requirement,
//! the request body's fields and the response's fields.

use super::fields::{sort_fields, FieldView, Resolver};
use crate::ir::{SqlMethod, SqlParam, SqlVerb};

/// One method of a resource with everything its rows and examples need.
pub struct MethodData<'a> {
    pub method: &'a SqlMethod,
    pub required: Vec<&'a SqlParam>,
    pub optional: Vec<&'a SqlParam>,
    /// Request-body fields in schema order (empty without a body).
    pub body: Vec<FieldView<'a>>,
    /// The request body's `required` fields.
    pub required_body: Vec<&'a str>,
    /// Response fields in StackQL's field order, unwrapped through the object key.
    pub response: Vec<FieldView<'a>>,
    /// "Successful response" for methods with a JSON 200 response, else empty.
    pub response_description: &'static str,
}

impl<'a> MethodData<'a> {
    pub fn new(method: &'a SqlMethod, resolver: &Resolver<'a>) -> Self {
        let (required, optional) = method.params.iter().partition(|p| p.required);
        let request = method.request.as_deref().and_then(|name| resolver.schemas.get(name));
        let body = request.map(|schema| resolver.properties(schema)).unwrap_or_default();
        let required_body =
            request.map(|schema| schema.required.iter().map(String::as_str).collect()).unwrap_or_default();
        let mut response = response_fields(method, resolver);
        sort_fields(&mut response);
        MethodData {
            method,
            required,
            optional,
            body,
            required_body,
            response,
            response_description: if method.response.is_some() { "Successful response" } else { "" },
        }
    }

    /// Request-body fields a user can set (StackQL skips `readOnly` ones).
    pub fn writable_body(&self) -> impl Iterator<Item = &FieldView<'a>> {
        self.body.iter().filter(|field| !field.read_only)
    }
}

/// The response's fields; for grouped-verb methods with a simple object key `$.k`, the fields
/// of `k`'s items (or of `k` itself).
fn response_fields<'a>(method: &'a SqlMethod, resolver: &Resolver<'a>) -> Vec<FieldView<'a>> {
    let Some(response) = method.response.as_deref().and_then(|name| resolver.schemas.get(name)) else {
        return Vec::new();
    };
    let key = method
        .object_key
        .as_deref()
        .and_then(|key| key.strip_prefix("$."))
        .filter(|key| method.sql_verb != SqlVerb::Exec && key.chars().all(|c| c.is_alphanumeric() || c == '_'));
    let Some(key) = key else { return resolver.properties(response) };
    let fields = resolver.properties(response);
    let Some(field) = fields.iter().find(|field| field.name == key) else { return Vec::new() };
    match &field.shape.items {
        Some(items) => resolver.properties(items),
        None if !field.shape.properties.is_empty() || field.shape.reference.is_some() => {
            resolver.properties(field.shape)
        }
        None => Vec::new(),
    }
}

/// `type (format)` of a parameter.
pub fn param_datatype(param: &SqlParam) -> String {
    let json_type = param.json_type.as_deref().unwrap_or("");
    match &param.format {
        Some(format) => format!("{json_type} ({format})"),
        None => json_type.to_owned(),
    }
}
