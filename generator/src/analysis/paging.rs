//! Paged lists, for both readers: where a list method's response keeps its next-page token
//! and its items. The Rust emitter makes `pages()` and `items()` of what this finds.

use crate::config::Pagination;
use crate::ir::{Api, Method, Property};

/// Where a paged list's response keeps its next-page token and, if unambiguous, its items.
pub struct ResponsePaging<'a> {
    /// The response property with the next page's token.
    pub token: &'a str,
    /// The response's items, when one array is unambiguously them.
    pub items: Option<&'a Property>,
}

/// The paging of `method`'s response: a plain string next-page token under the configured name or
/// one of Google's two (`nextPageToken`; BigQuery's `pageToken`), with the configured items
/// array or else the response's one unambiguous list.
pub fn response_paging<'a>(
    api: &'a Api,
    pagination: Option<&Pagination>,
    method: &Method,
) -> Option<ResponsePaging<'a>> {
    let schema = api.schemas.get(method.response.as_deref()?)?;
    let names = match pagination {
        Some(paging) => vec![paging.response_token.as_str()],
        None => vec!["nextPageToken", "pageToken"],
    };
    let is = |p: &Property, json_type: &str| p.schema.json_type.as_deref() == Some(json_type);
    // The token goes back to the server as the text it came as: a string with a format
    // (businessprofileperformance's `format: byte` token) is decoded into another type, and
    // such a list is paged by hand.
    let text = |p: &Property| is(p, "string") && p.schema.format.is_none();
    let token = names.into_iter().find_map(|name| schema.properties.iter().find(|p| p.name == name && text(p)))?;
    let lists = schema.properties.iter().filter(|p| p.name != token.name && is(p, "array"));
    let items = match pagination.and_then(|paging| paging.items.as_ref()) {
        Some(items) => lists.into_iter().find(|p| &p.name == items),
        None => unambiguous_list(lists.collect()),
    };
    Some(ResponsePaging { token: &token.name, items })
}

/// The items of a paged response: an array called `items` (Compute's), else the only array
/// that is not an AIP-217 `unreachable` list. A response with several (BigQuery's `rows` and
/// `errors`, Monitoring's `timeSeries` and `executionErrors`) has none: guessing would make
/// `items()` yield the wrong list, so it only gets `pages()`.
fn unambiguous_list(lists: Vec<&Property>) -> Option<&Property> {
    if let Some(items) = lists.iter().find(|p| p.name == "items") {
        return Some(items);
    }
    let mut candidates = lists.into_iter().filter(|p| !p.name.starts_with("unreachable"));
    let first = candidates.next()?;
    candidates.next().is_none().then_some(first)
}
