//! The standard `google.longrunning.Operations` resource (`list`, `get`, `delete`, `cancel`,
//! `wait` on `{+name}`), which aiplatform repeats under 42 collections: recognised from the
//! plan and emitted as one `discogen_runtime::operations_resource!` invocation whose builders
//! live in the runtime. Any resource that differs in a method, a path, a parameter or a type
//! keeps the per-method builders of `methods.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::idents::ident;
use super::methods::{MethodPlan, PathPiece, PathType, ResourcePlan, Response};
use super::types::RustType;
use crate::ir::HttpMethod;

/// What the runtime's handle needs: the name types of `list` and of the other methods, the
/// list response, the common method-id prefix and the path prefix (`v1/`).
#[derive(Debug, PartialEq)]
struct Shape {
    parent: String,
    name: String,
    list: RustType,
    method_ids: String,
    path_prefix: String,
}

/// The module of a standard operations resource, or `None` when `resource` is not exactly one.
pub fn tokens(resource: &ResourcePlan) -> Option<TokenStream> {
    if !resource.children.is_empty() {
        return None;
    }
    let shape = shape(resource)?;
    let handle = ident(&resource.handle);
    let module_doc = format!(" Request builders for the `{}` resource.", resource.chain);
    let handle_doc = format!(" Methods of the `{}` resource.", resource.chain);
    let parent = ident(&shape.parent);
    let name = ident(&shape.name);
    let RustType::Named(list) = &shape.list else { return None };
    let list = ident(list);
    let (ids, prefix) = (&shape.method_ids, &shape.path_prefix);
    Some(quote! {
        #![doc = #module_doc]

        #[doc = #handle_doc]
        ///
        /// Get one from [`crate::Client`]; it is as cheap to clone as the client.
        #[derive(Clone, Debug)]
        pub struct #handle {
            pub(crate) client: discogen_runtime::Client,
        }

        // list, get, delete, cancel, wait: the same in every operations resource but for the
        // types, method ids and path prefix; the builders are the runtime's.
        discogen_runtime::operations_resource!(#handle, #parent, #name, #list, #ids, #prefix);
    })
}

fn shape(resource: &ResourcePlan) -> Option<Shape> {
    let methods: Vec<&str> = resource.methods.iter().map(|m| m.name.as_str()).collect();
    if methods != ["list", "get", "delete", "cancel", "wait"] {
        return None;
    }
    let [list, get, delete, cancel, wait] = [0, 1, 2, 3, 4].map(|i| &resource.methods[i]);
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
    let Response::Json(list_type @ RustType::Named(_)) = &list.response else { return None };
    let operation = |m: &MethodPlan| matches!(&m.response, Response::Operation { result: RustType::Json, metadata: RustType::Json, poll_prefix } if *poll_prefix == path_prefix);
    let empty = |m: &MethodPlan| matches!(&m.response, Response::Json(RustType::Runtime(t)) if t == "Empty");
    let queries_ok = query(get)?.is_empty()
        && query(delete)?.is_empty()
        && query(cancel)?.is_empty()
        && query(wait)? == [("timeout", "timeout_param", &RustType::Duration)];
    (list_ok && queries_ok && operation(get) && operation(wait) && empty(delete) && empty(cancel)).then(|| Shape {
        parent,
        name,
        list: list_type.clone(),
        method_ids,
        path_prefix,
    })
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
