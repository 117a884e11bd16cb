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
            let path = locate(body, &err);
            Err(Error::decode(status, body, path, err))
        }
    }
}

/// Where the first mismatch is, from the byte serde_json stopped at: only on the failure path,
/// and without decoding `T` a second time (a second, path-tracking decode would compile every
/// response type's `Deserialize` again for another deserializer, in every generated crate).
fn locate(body: &[u8], err: &serde_json::Error) -> String {
    if err.line() == 0 {
        return "$".to_owned();
    }
    let line_start = if err.line() == 1 {
        0
    } else {
        body.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(err.line() - 2).map_or(body.len(), |(i, _)| i + 1)
    };
    path_at(body, (line_start + err.column()).min(body.len()))
}

/// The JSON path (`$.a.b[0]`, `$["x.y"]`, `$` for the root) of the value being read when
/// `body[..offset]` has been consumed: the key or index inside each container still open. A
/// container opened by the very last byte is not entered (serde_json stops at a `[` or `{`
/// where another type was expected).
fn path_at(body: &[u8], offset: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < offset {
        match body[i] {
            b'{' | b'[' if i + 1 == offset => {}
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(key)) => *key = None,
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                let end = i.min(body.len());
                let after = body[(end + 1).min(body.len())..].iter().find(|b| !b.is_ascii_whitespace());
                if let (Some(b':'), Some(Frame::Object(key))) = (after, stack.last_mut()) {
                    let raw = &body[start..(end + 1).min(body.len())];
                    *key = serde_json::from_slice::<String>(raw).ok();
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = "$".to_owned();
    for frame in &stack {
        match frame {
            Frame::Array(index) => out.push_str(&format!("[{index}]")),
            Frame::Object(None) => {}
            Frame::Object(Some(key)) => {
                if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@') {
                    out.push('.');
                    out.push_str(key);
                } else {
                    out.push_str(&format!("[{}]", serde_json::Value::String(key.clone())));
                }
            }
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
    use crate::wkt::Empty;
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
        #[serde(default, with = "crate::__support::serde_uint64::option")]
        id: Option<u64>,
        #[serde(default)]
        disks: Vec<Disk>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Disk {
        #[serde(rename = "sizeGb", default, with = "crate::__support::serde_int64::option")]
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
        // A missing field names the object; a container where a scalar belongs names the field.
        let err = decode_json::<Vec<Job>>(None, b"[{\"name\": \"a\"},\n {}]").unwrap_err();
        assert_eq!(err.path(), Some("$[1]"));
        let err = decode_json::<Job>(None, br#"{"name": ["a"]}"#).unwrap_err();
        assert_eq!(err.path(), Some("$.name"));
        let err = decode_json::<Instance>(None, br#"{"disks": [{"sizeGb": "1"}], "id": "x\"y"}"#).unwrap_err();
        assert_eq!(err.path(), Some("$.id"));
    }

    /// Generated models implement serde through `model_serde!`: serde_json stops at the same
    /// byte as with the derive, so the path is found the same way.
    #[derive(Debug, Default, PartialEq)]
    struct Machine {
        name: Option<String>,
        disk_size_gb: Option<i64>,
        disks: Option<Vec<Machine>>,
        labels: Option<std::collections::BTreeMap<String, Machine>>,
        _extra: crate::ExtraFields,
    }

    crate::model_serde!(Machine {
        "name" => name,
        "diskSizeGb" => disk_size_gb as int64,
        "disks" => disks,
        "labels" => labels,
    });

    #[test]
    fn a_mismatch_inside_a_macro_model_is_named_by_its_json_path() {
        let err = decode_json::<Machine>(Some(200), br#"{"name": "m", "diskSizeGb": "ten"}"#).unwrap_err();
        assert_eq!(err.path(), Some("$.diskSizeGb"));
        let body = br#"{"unknown": {"name": 1}, "disks": [{"name": "a"}, {"disks": [{"name": false}]}]}"#;
        assert_eq!(decode_json::<Machine>(None, body).unwrap_err().path(), Some("$.disks[1].disks[0].name"));
        let body = br#"{"labels": {"a.b": {"disks": [7]}}}"#;
        assert_eq!(decode_json::<Machine>(None, body).unwrap_err().path(), Some(r#"$.labels["a.b"].disks[0]"#));
        assert_eq!(decode_json::<Machine>(None, b"[]").unwrap_err().path(), Some("$"));
        let machine: Machine = decode_json(None, br#"{"name": "m", "kept": [1, 2]}"#).unwrap();
        assert_eq!(machine.name.as_deref(), Some("m"));
        assert_eq!(machine._extra.get("kept"), Some(&serde_json::json!([1, 2])));
        assert_eq!(decode_json::<Machine>(None, b"").unwrap(), Machine::default());
        // The `null`s it sends decode back the same.
        let machine = Machine::default().null("name").null_key("newMap", "a.b");
        let body = serde_json::to_vec(&machine).unwrap();
        assert_eq!(decode_json::<Machine>(None, &body).unwrap(), machine);
    }
}
