//! Discovery's `dataWrapper` feature (translate v2): the API reads request bodies as
//! `{"data": body}` and answers with its payload under `data`. Google's client libraries
//! wrap and unwrap for the caller (the Python client's `JsonModel(data_wrapper=True)`), and
//! so do generated clients, for requests marked with [`Request::data_wrapper`].
//!
//! [`Request::data_wrapper`]: crate::Request::data_wrapper

use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;

/// A JSON object's `data` member, as written (`null` too: the member is there); every other
/// member skipped.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    data: Option<&'a RawValue>,
}

fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(deserializer).map(Some)
}

/// The object `body` holds, if it is one (a derived struct would also accept an array).
fn envelope(body: &[u8]) -> Option<Envelope<'_>> {
    let is_object = body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{');
    is_object.then(|| serde_json::from_slice(body).ok()).flatten()
}

/// `body` as the API wants it: `{"data": body}` when it is a JSON object without a `data`
/// member (the reference client's rule, so a body already wrapped is not wrapped twice);
/// anything else unchanged.
pub(crate) fn wrap(body: Bytes) -> Bytes {
    match envelope(&body) {
        Some(Envelope { data: None }) => {
            let mut wrapped = Vec::with_capacity(body.len() + 9);
            wrapped.extend_from_slice(b"{\"data\":");
            wrapped.extend_from_slice(&body);
            wrapped.push(b'}');
            Bytes::from(wrapped)
        }
        _ => body,
    }
}

/// A response body as the method's schema describes it: the `data` member of an object that
/// has one, as the server wrote it (not copied); else the body unchanged.
pub(crate) fn unwrap(body: Bytes) -> Bytes {
    match envelope(&body) {
        Some(Envelope { data: Some(data) }) => body.slice_ref(data.get().as_bytes()),
        _ => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: Bytes) -> String {
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn an_object_is_wrapped_once() {
        assert_eq!(
            text(wrap(Bytes::from_static(br#"{"q":["hi"],"target":"de"}"#))),
            r#"{"data":{"q":["hi"],"target":"de"}}"#
        );
        // Already wrapped, or a `data` member of its own: sent as it is, as the reference does.
        assert_eq!(text(wrap(Bytes::from_static(br#"{"data":{"q":"hi"}}"#))), r#"{"data":{"q":"hi"}}"#);
        assert_eq!(text(wrap(Bytes::from_static(br#"{"data":null}"#))), r#"{"data":null}"#);
        assert_eq!(text(wrap(Bytes::from_static(b" {}"))), r#"{"data": {}}"#);
    }

    #[test]
    fn what_is_not_an_object_is_not_wrapped() {
        for body in [&b""[..], b"[1,2]", b"\"text\"", b"null", b"{broken"] {
            assert_eq!(wrap(Bytes::from_static(body)), body);
        }
    }

    #[test]
    fn the_payload_is_taken_from_data_in_its_order() {
        let body = Bytes::from_static(br#"{"data":{"translations":[{"translatedText":"Hallo","z":1,"a":2}]}}"#);
        assert_eq!(text(unwrap(body)), r#"{"translations":[{"translatedText":"Hallo","z":1,"a":2}]}"#);
        let body = Bytes::from_static(br#"{"kind":"x", "data" : [1, 2] ,"z":{}}"#);
        assert_eq!(text(unwrap(body)), "[1, 2]");
        assert_eq!(text(unwrap(Bytes::from_static(br#"{"data":null}"#))), "null");
    }

    #[test]
    fn a_body_without_data_is_kept() {
        for body in [&b""[..], b"{}", br#"{"translations":[]}"#, b"[1]", b"not json"] {
            assert_eq!(unwrap(Bytes::from_static(body)), body);
        }
    }
}
