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
            let (path, err) = locate::<T>(body).unwrap_or_else(|| ("$".to_owned(), err));
            Err(Error::decode(status, body, path, err))
        }
    }
}

/// Decodes `body` again, tracking where the first mismatch is: only on the failure path, so
/// a successful decode costs what plain `serde_json` costs.
fn locate<T: DeserializeOwned>(body: &[u8]) -> Option<(String, serde_json::Error)> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => None,
        Err(err) => {
            let path = json_path(err.path());
            Some((path, err.into_inner()))
        }
    }
}

/// `serde_path_to_error`'s `a.b[0]` as a JSON path: `$.a.b[0]`, `$` for the root; keys that
/// are not plain names are quoted (`$["x.y"]`).
fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = "$".to_owned();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@') {
                    out.push('.');
                    out.push_str(key);
                } else {
                    out.push_str(&format!("[{}]", serde_json::Value::String(key.clone())));
                }
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
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
        assert_eq!(err.path(), Some("$"));
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)] // read by serde only
    struct Instance {
        #[serde(default, with = "crate::serde_uint64::option")]
        id: Option<u64>,
        #[serde(default)]
        disks: Vec<Disk>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Disk {
        #[serde(rename = "sizeGb", default, with = "crate::serde_int64::option")]
        size_gb: Option<i64>,
    }

    #[test]
    fn a_field_that_does_not_match_its_format_is_named_by_its_json_path() {
        let err = decode_json::<Instance>(Some(200), br#"{"id": "0x1f", "disks": []}"#).unwrap_err();
        assert_eq!(err.path(), Some("$.id"));
        let text = err.to_string();
        assert!(text.contains("(HTTP 200): $.id: "), "{text}");
        let err = decode_json::<Instance>(Some(200), br#"{"disks": [{"sizeGb": "1"}, {"sizeGb": "x"}]}"#).unwrap_err();
        assert_eq!(err.path(), Some("$.disks[1].sizeGb"));
        let err =
            decode_json::<std::collections::HashMap<String, Disk>>(None, br#"{"a.b": {"sizeGb": true}}"#).unwrap_err();
        assert_eq!(err.path(), Some(r#"$["a.b"].sizeGb"#));
    }
}
