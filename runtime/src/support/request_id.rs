//! Request ids (AIP-155): a client-chosen id that lets the server recognise a repeated create,
//! so that a `POST`/`PATCH` carrying one may be retried like a `GET`.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::request::Request;

/// A fresh random UUID version 4 in its hyphenated lower-case form
/// (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`), as AIP-155 asks for request ids.
///
/// The bits come from `fastrand` (a per-thread generator seeded from the OS's hasher seed and
/// the thread): request ids need to be unique, not secret.
///
/// ```
/// let id = discogen_runtime::__support::request_id();
/// assert_eq!(id.len(), 36);
/// assert_eq!(&id[14..15], "4");
/// assert_ne!(id, discogen_runtime::__support::request_id());
/// ```
pub fn request_id() -> String {
    let mut bits = fastrand::u128(..);
    // Version 4 in the high nibble of octet 6, variant `10` in the top bits of octet 8.
    bits = (bits & !(0xf << 76)) | (0x4 << 76);
    bits = (bits & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

impl Request {
    /// Sends the query parameter `key` as the call's request id: `value` when the caller set
    /// one, else a fresh [`request_id`]. The request is built once per call, so every attempt
    /// carries the same id, and the call becomes idempotent: the server answers a repeated id
    /// with the first result, so the retry policy may resend it after any transient failure.
    ///
    /// ```
    /// use discogen_runtime::{Method, Request};
    ///
    /// let request = Request::new(Method::Post, "v1/instances").request_id_query("requestId", None::<&str>);
    /// assert!(request.is_idempotent());
    /// assert_eq!(request.query_pairs()[0].1.len(), 36);
    /// let mine = Request::new(Method::Post, "v1/instances").request_id_query("requestId", Some("r-1"));
    /// assert_eq!(mine.query_pairs(), &[("requestId".to_string(), "r-1".to_string())]);
    /// ```
    pub fn request_id_query<V: ToString>(self, key: &str, value: Option<V>) -> Self {
        let id = value.map_or_else(request_id, |value| value.to_string());
        self.query(key, id).idempotent(true)
    }

    /// Serializes `body` as the JSON body with its top-level string `field` as the request
    /// id: kept when the caller set it, else filled with a fresh [`request_id`]. Like
    /// [`request_id_query`](Self::request_id_query), the call becomes idempotent.
    ///
    /// ```
    /// use discogen_runtime::{Method, Request};
    ///
    /// # fn main() -> discogen_runtime::Result<()> {
    /// let body = serde_json::json!({"name": "vm-1"});
    /// let request = Request::new(Method::Post, "v1/instances").json_with_request_id(&body, "requestId")?;
    /// let sent: serde_json::Value = serde_json::from_slice(request.body().unwrap()).unwrap();
    /// assert_eq!(sent["requestId"].as_str().map(str::len), Some(36));
    /// assert!(request.is_idempotent());
    /// # Ok(())
    /// # }
    /// ```
    pub fn json_with_request_id<B: Serialize + ?Sized>(self, body: &B, field: &str) -> Result<Self> {
        let mut value = serde_json::to_value(body).map_err(Error::Serialize)?;
        if let Value::Object(object) = &mut value {
            let unset = object.get(field).is_none_or(|id| id.is_null() || id.as_str() == Some(""));
            if unset {
                object.insert(field.to_owned(), Value::String(request_id()));
            }
        }
        Ok(self.json(&value)?.idempotent(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    #[test]
    fn ids_are_version_4_variant_1_and_distinct() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| request_id()).collect();
        assert_eq!(ids.len(), 1000);
        for id in &ids {
            let groups: Vec<&str> = id.split('-').collect();
            assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{id}");
            assert!(id.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)), "{id}");
            assert!(groups[2].starts_with('4'), "{id}");
            assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "{id}");
        }
    }

    #[test]
    fn a_body_id_set_by_the_caller_is_kept_and_an_empty_one_filled() {
        let set = serde_json::json!({"requestId": "mine", "name": "x"});
        let request = Request::new(Method::Post, "x").json_with_request_id(&set, "requestId").unwrap();
        let sent: Value = serde_json::from_slice(request.body().unwrap()).unwrap();
        assert_eq!(sent, set);
        for unset in [serde_json::json!({"requestId": null}), serde_json::json!({"requestId": ""})] {
            let request = Request::new(Method::Patch, "x").json_with_request_id(&unset, "requestId").unwrap();
            let sent: Value = serde_json::from_slice(request.body().unwrap()).unwrap();
            assert_eq!(sent["requestId"].as_str().map(str::len), Some(36));
        }
        assert!(!Request::new(Method::Post, "x").json(&set).unwrap().is_idempotent());
    }

    #[test]
    fn the_caller_can_still_turn_retries_off() {
        let request = Request::new(Method::Post, "x")
            .request_id_query("requestId", None::<String>)
            .options(crate::RequestOptions::new().with_idempotent(false));
        assert!(!request.is_idempotent());
    }
}
