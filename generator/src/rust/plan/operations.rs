//! The standard `google.longrunning.Operations` resource (`list`, `get`, `delete`, `cancel`,
//! `wait` on `{+name}`), which aiplatform repeats under 42 collections: recognised here from
//! the resource's method plans, so that emission writes one `operations_resource!` line for
//! it. Any resource that differs in a method, a path, a parameter or a type keeps per-method
//! builders.

use super::method::{MethodPlan, PathPiece, PathType, Response};
use super::types::RustType;
use crate::ir::HttpMethod;

/// What the runtime's handle needs: the name types of `list` and of the other methods, the
/// list response, the common method-id prefix and the path prefix (`v1/`).
#[derive(Debug, Clone, PartialEq)]
pub struct StandardOperations {
    pub parent: String,
    pub name: String,
    pub list: String,
    pub method_ids: String,
    pub path_prefix: String,
}

/// The shape of a standard operations resource, or `None` when `resource` is not exactly one.
/// A resource with children keeps its own module, so it is never one.
pub fn standard_shape(methods: &[MethodPlan], has_children: bool) -> Option<StandardOperations> {
    let names: Vec<&str> = methods.iter().map(|m| m.name.as_str()).collect();
    if has_children || names != ["list", "get", "delete", "cancel", "wait"] {
        return None;
    }
    let [list, get, delete, cancel, wait] = [0, 1, 2, 3, 4].map(|i| &methods[i]);
    let method_ids = list.id.strip_suffix(".list")?.to_owned();
    let (path_prefix, parent) = on_name(list, "/operations")?;
    let (_, name) = on_name(get, "")?;
    for (method, http, suffix, builder) in [
        (get, HttpMethod::Get, "", "Get"),
        (delete, HttpMethod::Delete, "", "Delete"),
        (cancel, HttpMethod::Post, ":cancel", "Cancel"),
        (wait, HttpMethod::Post, ":wait", "Wait"),
    ] {
        let same_name = on_name(method, suffix)? == (path_prefix.clone(), name.clone());
        let plain = method.http == http
            && method.builder == builder
            && method.body.is_none()
            && !method.media
            && method.upload.is_none()
            && !method.download;
        if !same_name || !plain || method.id != format!("{method_ids}.{}", method.name) {
            return None;
        }
    }
    let list_ok = list.http == HttpMethod::Get
        && list.builder == "List"
        && list.body.is_none()
        && !list.media
        && list.page_token_field.as_deref() == Some("page_token")
        && list.page_item.is_some()
        && query(list)?
            == [
                ("filter", "filter", &RustType::String),
                ("pageSize", "page_size", &RustType::I32),
                ("pageToken", "page_token", &RustType::String),
            ];
    let Response::Json(RustType::Named(list_type)) = &list.response else { return None };
    let operation = |m: &MethodPlan| matches!(&m.response, Response::Operation { result: RustType::Json, metadata: RustType::Json, poll_prefix } if *poll_prefix == path_prefix);
    let empty = |m: &MethodPlan| matches!(&m.response, Response::Json(RustType::Runtime(t)) if t == "Empty");
    let queries_ok = query(get)?.is_empty()
        && query(delete)?.is_empty()
        && query(cancel)?.is_empty()
        && query(wait)? == [("timeout", "timeout_param", &RustType::Duration)];
    (list_ok && queries_ok && operation(get) && operation(wait) && empty(delete) && empty(cancel))
        .then(|| StandardOperations { parent, name, list: list_type.clone(), method_ids, path_prefix })
}

/// `(prefix, name type)` when the method's path is `<prefix>{+name}<suffix>` with `name` a
/// typed resource name and its only path parameter.
fn on_name(method: &MethodPlan, suffix: &str) -> Option<(String, String)> {
    let [param] = method.path_params.as_slice() else { return None };
    let PathType::Name(name_type, _) = &param.ty else { return None };
    if param.field != "name" {
        return None;
    }
    let (prefix, rest) = match method.path.as_slice() {
        [PathPiece::Literal(prefix), PathPiece::Param { field, operator: Some('+'), .. }, rest @ ..]
            if field == "name" =>
        {
            (prefix, rest)
        }
        _ => return None,
    };
    let suffix_ok = match rest {
        [] => suffix.is_empty(),
        [PathPiece::Literal(text)] => text == suffix,
        _ => false,
    };
    suffix_ok.then(|| (prefix.clone(), name_type.clone()))
}

/// The optional, single-valued query parameters (wire name, field, type); `None` when the
/// method has a required or repeated one.
fn query(method: &MethodPlan) -> Option<Vec<(&str, &str, &RustType)>> {
    method
        .query
        .iter()
        .map(|q| (!q.required && !q.repeated).then_some((q.wire_name.as_str(), q.field.as_str(), &q.ty)))
        .collect()
}
