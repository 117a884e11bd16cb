//! JSON decoding of response bodies and operation results.

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Decodes `body` as `T`.
///
/// An empty body, `{}` and `null` are interchangeable "empty" values, so that
/// methods returning `google.protobuf.Empty` can be decoded as `()`, as an
/// empty struct or as `Option<_>` whatever the server sends.
pub(crate) fn decode_json<T: DeserializeOwned>(status: Option<u16>, body: &[u8]) -> Result<T> {
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(err) => {
            if is_empty_json(body) {
                for empty in [&b"null"[..], b"{}"] {
                    if let Ok(value) = serde_json::from_slice(empty) {
                        return Ok(value);
                    }
                }
            }
            Err(Error::decode(status, body, err))
        }
    }
}

fn is_empty_json(body: &[u8]) -> bool {
    let trimmed = body.trim_ascii();
    trimmed.is_empty()
        || trimmed == b"null"
        || serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(trimmed).is_ok_and(|map| map.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Empty;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Job {
        name: String,
    }

    #[test]
    fn empty_values_decode_as_unit_empty_and_option() {
        for body in [&b""[..], b"  ", b"{}", b"{ }", b"null"] {
            decode_json::<()>(Some(200), body).unwrap();
            assert_eq!(decode_json::<Empty>(Some(200), body).unwrap(), Empty {});
            assert_eq!(decode_json::<Option<Job>>(Some(200), body).unwrap(), None);
        }
    }

    #[test]
    fn typed_values_decode_and_mismatches_keep_a_snippet() {
        let job: Job = decode_json(Some(200), br#"{"name": "a"}"#).unwrap();
        assert_eq!(job.name, "a");
        let err = decode_json::<Job>(Some(200), b"{}").unwrap_err();
        assert_eq!(err.body_snippet(), Some("{}"));
        let err = decode_json::<Job>(Some(200), b"<html>oops</html>").unwrap_err();
        assert!(err.is_decode());
        assert_eq!(err.body_snippet(), Some("<html>oops</html>"));
    }
}
