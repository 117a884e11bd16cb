//! AIP-155 request ids: which methods take one, and where. One rule for both readers.

use indexmap::IndexMap;

use crate::ir::{Api, HttpMethod, ParamLocation, Parameter, RequestIdSlot, Schema};

/// Sets [`Method::request_id`](crate::ir::Method::request_id) of every method of `api`.
pub fn assign(api: &mut Api) {
    for method in &mut api.methods {
        method.request_id =
            slot(method.http_method, method.parameters.as_deref(), method.request.as_deref(), &api.schemas);
    }
}

/// The name AIP-155 gives the request id, as a query parameter and as a body field.
const REQUEST_ID: &str = "requestId";

/// Where a method takes an AIP-155 request id. The rule reads the document only (never a list
/// of APIs or methods):
///
/// * only `POST` and `PATCH` methods qualify (the others are idempotent by HTTP already);
/// * a non-repeated query parameter `requestId` of type `string` makes it
///   [`RequestIdSlot::Query`] (compute, alloydb, backupdr, networkconnectivity, ...);
/// * otherwise a top-level property `requestId` of type `string` in the request body's schema
///   (following one `$ref`) makes it [`RequestIdSlot::BodyField`].
///
/// Anything else (an integer `requestId`, one nested deeper, a `GET`) has none: a wrong guess
/// would make the client resend a call that the server cannot recognise as a repeat.
fn slot(
    http_method: HttpMethod,
    parameters: Option<&[Parameter]>,
    request: Option<&str>,
    schemas: &IndexMap<String, Schema>,
) -> Option<RequestIdSlot> {
    if !matches!(http_method, HttpMethod::Post | HttpMethod::Patch) {
        return None;
    }
    let is_string = |json_type: Option<&str>| json_type == Some("string");
    let query = parameters.unwrap_or_default().iter().find(|p| {
        p.name == REQUEST_ID && p.location == ParamLocation::Query && !p.repeated && is_string(p.json_type.as_deref())
    });
    if query.is_some() {
        return Some(RequestIdSlot::Query(REQUEST_ID.to_owned()));
    }
    let body = schemas.get(request?)?;
    let body = match &body.reference {
        Some(target) => schemas.get(target)?,
        None => body,
    };
    let field = body.property(REQUEST_ID)?;
    (field.reference.is_none() && is_string(field.json_type.as_deref()))
        .then(|| RequestIdSlot::BodyField(REQUEST_ID.to_owned()))
}
