//! Comparing a recorded request with the reference client's: HTTP method; scheme, host and
//! path byte for byte; the query as a multiset of decoded pairs; the JSON body semantically;
//! `Content-Type`. What differs on purpose is listed once, here (and in the guide, Conformance).

use std::collections::HashMap;

use serde_json::Value;

use crate::driver::{key, Recorded, Suite};

/// Differences that are intentional, with the reason (the guide lists the same). The first
/// two are on every call and are not counted as differences; the others are kept out of the
/// arguments, so that everything else can be compared exactly.
pub const INTENTIONAL: [(&str, &str); 8] = [
    (
        "query alt=json (reference only)",
        "JSON is the default response format; the reference client asks for it on every call, discogen does not",
    ),
    (
        "query prettyPrint=false (discogen only)",
        "smaller responses; `ClientBuilder::pretty_print(true)` turns it off (guide, What applications expect)",
    ),
    (
        "`? # [ ]` and percent triplets among characters to encode in `{+name}` values: not generated",
        "the reference keeps `? # [ ]` raw (ending the path) and passes a value holding a triplet through \
         unencoded; discogen encodes per character (guide, Encoding rules)",
    ),
    (
        "Discovery `pattern`s are dropped on the reference side",
        "they are the reference's client-side input validation, not wire encoding; both clients take the same values",
    ),
    (
        "the reference client cannot call a method a sub-resource of the same name shadows",
        "it offers the resource under that attribute (apigee's `developers.attributes`); discogen's request is \
         still recorded, one per call, and counted here",
    ),
    (
        "the AIP-155 `requestId` that `send` fills in: every parameter is set, so it never is",
        "a retried create must not be made twice (guide, Request ids)",
    ),
    (
        "a multipart upload's metadata part is `application/json; charset=UTF-8` (reference: `application/json`)",
        "the charset Google's Go and Java clients name too; JSON is UTF-8 either way. Not counted as a difference",
    ),
    (
        "an upload with empty metadata (`{}`) is `uploadType=media`, the media alone; the reference gets no body",
        "the typed builders always take a body, so an empty one is how a caller says \"no metadata\" (the \
         reference's `body=None`, which sends the same); given `{}`, the reference sends it as a multipart part \
         (artifactregistry's uploads, whose request schemas have no field)",
    ),
];

/// One way two requests differ.
#[derive(Debug, Clone, PartialEq)]
pub enum Difference {
    /// The call did not produce exactly one request (or panicked building its arguments).
    Requests(String),
    /// The reference client refused the call.
    Reference(String),
    /// The reference client has no way to make the call (a shadowed method).
    Unreachable,
    Method {
        discogen: String,
        reference: String,
    },
    /// Scheme, host and path.
    Url {
        discogen: String,
        reference: String,
    },
    QueryOnlyDiscogen(String, String),
    QueryOnlyReference(String, String),
    Body {
        path: String,
        discogen: Value,
        reference: Value,
    },
    ContentType {
        discogen: Value,
        reference: Value,
    },
}

/// The outcome of one method.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Equal,
    /// Every difference is one listed in [`INTENTIONAL`] (past the first two): their names.
    Intentional(Vec<&'static str>),
    Failing(Vec<Difference>),
}

/// Every method of `suite`, compared.
pub fn all(recorded: &Recorded, reference: &HashMap<String, Value>, suite: &Suite) -> Vec<(String, Outcome)> {
    let missing = Value::Null;
    suite
        .ids
        .iter()
        .map(|id| {
            let ours = recorded.get(&key(&suite.crate_name, id)).unwrap_or(&missing);
            let theirs = reference.get(id).unwrap_or(&missing);
            (id.clone(), outcome(differences(ours, theirs)))
        })
        .collect()
}

/// The reference cannot call the method ([`INTENTIONAL`]'s shadowed methods).
const SHADOWED: &str = INTENTIONAL[4].0;

fn outcome(differences: Vec<Difference>) -> Outcome {
    if let [Difference::Unreachable] = differences[..] {
        return Outcome::Intentional(vec![SHADOWED]);
    }
    let standard = |d: &Difference| match d {
        Difference::QueryOnlyReference(name, value) => name == "alt" && value == "json",
        Difference::QueryOnlyDiscogen(name, value) => name == "prettyPrint" && value == "false",
        Difference::Body { path, discogen, reference } => {
            path.starts_with("$multipart[")
                && path.ends_with("].content_type")
                && discogen.as_str() == Some("application/json; charset=UTF-8")
                && reference.as_str() == Some("application/json")
        }
        _ => false,
    };
    let rest: Vec<Difference> = differences.into_iter().filter(|d| !standard(d)).collect();
    if rest.is_empty() {
        Outcome::Equal
    } else {
        Outcome::Failing(rest)
    }
}

/// How the driver's line for a call differs from the reference's.
pub fn differences(ours: &Value, theirs: &Value) -> Vec<Difference> {
    if let Some(error) = theirs.get("error").and_then(Value::as_str) {
        return vec![Difference::Reference(error.to_owned())];
    }
    let requests = ours["requests"].as_array().map(Vec::as_slice).unwrap_or_default();
    if theirs.get("unreachable").is_some() && requests.len() == 1 {
        return vec![Difference::Unreachable];
    }
    if theirs.is_null() {
        return vec![Difference::Reference("no output".to_owned())];
    }
    let [request] = requests else {
        let why = ours.get("panic").map_or_else(|| format!("{} requests", requests.len()), Value::to_string);
        return vec![Difference::Requests(why)];
    };
    let mut found = Vec::new();
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    if request["method"] != theirs["method"] {
        found.push(Difference::Method { discogen: text(&request["method"]), reference: text(&theirs["method"]) });
    }
    let (our_path, our_query) = split(request["url"].as_str().unwrap_or_default());
    let (their_path, their_query) = split(theirs["uri"].as_str().unwrap_or_default());
    if our_path != their_path {
        found.push(Difference::Url { discogen: our_path.to_owned(), reference: their_path.to_owned() });
    }
    let (only_ours, only_theirs) = multiset_difference(pairs(our_query), pairs(their_query));
    found.extend(only_ours.into_iter().map(|(k, v)| Difference::QueryOnlyDiscogen(k, v)));
    found.extend(only_theirs.into_iter().map(|(k, v)| Difference::QueryOnlyReference(k, v)));
    let body = |value: &Value| match value.as_str() {
        None | Some("") => Value::Null,
        Some(text) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
    };
    // A multipart upload: the same parts in the same order; the boundary is random.
    let (our_parts, their_parts) =
        (multipart(&request["content_type"], &request["body"]), multipart(&theirs["content_type"], &theirs["body"]));
    if let (Some(ours), Some(theirs)) = (&our_parts, &their_parts) {
        json_differences("$multipart", &parts_json(ours), &parts_json(theirs), &mut found);
    } else {
        json_differences("$", &body(&request["body"]), &body(&theirs["body"]), &mut found);
    }
    let content_type = |value: &Value| if value.is_null() { Value::Null } else { value.clone() };
    if our_parts.is_some() && their_parts.is_some() {
        // Both multipart/related, compared above part by part.
    } else if content_type(&request["content_type"]) != content_type(&theirs["content_type"]) {
        found.push(Difference::ContentType {
            discogen: request["content_type"].clone(),
            reference: theirs["content_type"].clone(),
        });
    }
    found
}

/// The parts of a `multipart/related` body: each part's content type and content. Line ends
/// (`\r\n` or Python's `\n`) and other part headers (`MIME-Version`, `Content-Transfer-Encoding`)
/// are not compared: servers read both.
fn multipart(content_type: &Value, body: &Value) -> Option<Vec<(String, String)>> {
    let content_type = content_type.as_str()?;
    let (kind, params) = content_type.split_once(';')?;
    if kind.trim() != "multipart/related" {
        return None;
    }
    let boundary = params.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?.trim_matches('"');
    let delimiter = format!("--{boundary}");
    let body = body.as_str()?;
    let mut parts = Vec::new();
    for segment in body.split(delimiter.as_str()).skip(1) {
        if segment.starts_with("--") {
            break;
        }
        let segment = segment.strip_prefix("\r\n").or_else(|| segment.strip_prefix('\n')).unwrap_or(segment);
        let (headers, content) = segment.split_once("\r\n\r\n").or_else(|| segment.split_once("\n\n"))?;
        let part_type = headers
            .lines()
            .find_map(|line| line.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("content-type")))
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default();
        let content = content.strip_suffix("\r\n").or_else(|| content.strip_suffix('\n')).unwrap_or(content);
        parts.push((part_type, content.to_owned()));
    }
    Some(parts)
}

/// Parts as JSON for [`json_differences`]: a JSON part's content parsed, any other as text.
fn parts_json(parts: &[(String, String)]) -> Value {
    let part = |(content_type, content): &(String, String)| {
        let content = serde_json::from_str(content).unwrap_or_else(|_| Value::String(content.clone()));
        serde_json::json!({"content_type": content_type, "content": content})
    };
    Value::Array(parts.iter().map(part).collect())
}

/// `scheme://host/path` and the query of a URL, split at the first `?`.
fn split(url: &str) -> (&str, &str) {
    url.split_once('?').unwrap_or((url, ""))
}

/// A query's decoded `(name, value)` pairs.
type Pairs = Vec<(String, String)>;

fn pairs(query: &str) -> Pairs {
    url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// The pairs only in `ours` and only in `theirs`, counting repeats.
fn multiset_difference(ours: Pairs, mut theirs: Pairs) -> (Pairs, Pairs) {
    let mut only_ours = Vec::new();
    for pair in ours {
        match theirs.iter().position(|p| *p == pair) {
            Some(at) => {
                theirs.remove(at);
            }
            None => only_ours.push(pair),
        }
    }
    (only_ours, theirs)
}

/// Semantic JSON comparison, naming the path of each difference (objects by key, arrays by
/// index).
fn json_differences(path: &str, ours: &Value, theirs: &Value, found: &mut Vec<Difference>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let path = format!("{path}.{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => json_differences(&path, x, y, found),
                    // Absent and `null` differ on the wire: under PATCH, "unchanged" and "clear".
                    (x, y) => found.push(Difference::Body {
                        path,
                        discogen: x.cloned().unwrap_or_else(|| Value::String("(absent)".to_owned())),
                        reference: y.cloned().unwrap_or_else(|| Value::String("(absent)".to_owned())),
                    }),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (at, (x, y)) in a.iter().zip(b).enumerate() {
                json_differences(&format!("{path}[{at}]"), x, y, found);
            }
        }
        _ if ours == theirs => {}
        _ => found.push(Difference::Body { path: path.to_owned(), discogen: ours.clone(), reference: theirs.clone() }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ours(url: &str, body: &str) -> Value {
        json!({"requests": [{"method": "POST", "url": url, "content_type": "application/json", "body": body}]})
    }

    fn theirs(uri: &str, body: &str) -> Value {
        json!({"method": "POST", "uri": uri, "content_type": "application/json", "body": body})
    }

    #[test]
    fn the_standard_parameters_and_key_order_are_no_difference() {
        let a = ours("https://h/v1/a%25?x=1&x=a+b&prettyPrint=false", r#"{"a":"1","b":[1,{"c":false}]}"#);
        let b = theirs("https://h/v1/a%25?x=a%20b&alt=json&x=1", r#"{"b": [1, {"c": false}], "a": "1"}"#);
        assert_eq!(outcome(differences(&a, &b)), Outcome::Equal);
    }

    #[test]
    fn what_a_server_would_see_differently_is_found() {
        let a = ours("https://h/v1/a%?x=1&x=1", r#"{"a":"1","b":[1]}"#);
        let b = theirs("https://h/v1/a%25?x=1", r#"{"a": 1, "b": [1], "c": {}}"#);
        assert_eq!(
            differences(&a, &b),
            [
                Difference::Url { discogen: "https://h/v1/a%".into(), reference: "https://h/v1/a%25".into() },
                Difference::QueryOnlyDiscogen("x".into(), "1".into()),
                Difference::Body { path: "$.a".into(), discogen: json!("1"), reference: json!(1) },
                Difference::Body { path: "$.c".into(), discogen: json!("(absent)"), reference: json!({}) },
            ]
        );
        // A field left out is not a field sent as `null` (field presence).
        let cleared = theirs("https://h/v1/a", r#"{"a": null, "b": []}"#);
        assert_eq!(
            differences(&ours("https://h/v1/a", r#"{"b":[]}"#), &cleared),
            [Difference::Body { path: "$.a".into(), discogen: json!("(absent)"), reference: Value::Null }]
        );
        let get = json!({"method": "GET", "uri": "https://h/v1/a%25", "content_type": null, "body": null});
        let found = differences(&ours("https://h/v1/a%25", ""), &get);
        assert_eq!(found[0], Difference::Method { discogen: "POST".into(), reference: "GET".into() });
        assert!(matches!(found.last(), Some(Difference::ContentType { .. })), "{found:?}");
    }

    #[test]
    fn multipart_bodies_compare_part_by_part_whatever_the_boundary() {
        let ours = json!({"requests": [{
            "method": "POST", "url": "https://h/upload/v1/o?uploadType=multipart",
            "content_type": "multipart/related; boundary=abc",
            "body": "--abc\r\nContent-Type: application/json\r\n\r\n{\"a\":1,\"b\":null}\r\n--abc\r\nContent-Type: text/plain\r\n\r\nbytes\r\n--abc--\r\n",
        }]});
        let body = |media: &str| {
            format!("--===1==\nContent-Type: application/json\nMIME-Version: 1.0\n\n{{\"b\": null, \"a\": 1}}\n--===1==\nContent-Type: text/plain\nMIME-Version: 1.0\nContent-Transfer-Encoding: binary\n\n{media}\n--===1==--")
        };
        let theirs = |media: &str| {
            json!({"method": "POST", "uri": "https://h/upload/v1/o?uploadType=multipart",
                   "content_type": "multipart/related; boundary=\"===1==\"", "body": body(media)})
        };
        assert_eq!(differences(&ours, &theirs("bytes")), []);
        assert_eq!(
            differences(&ours, &theirs("other")),
            [Difference::Body {
                path: "$multipart[1].content".into(),
                discogen: json!("bytes"),
                reference: json!("other")
            }]
        );
    }

    #[test]
    fn a_refused_or_missing_call_is_a_difference() {
        let refused = json!({"id": "x", "error": "TypeError: missing"});
        assert!(matches!(&differences(&ours("https://h/", ""), &refused)[..], [Difference::Reference(_)]));
        let panicked = json!({"panic": "bad body"});
        assert!(matches!(&differences(&panicked, &theirs("https://h/", ""))[..], [Difference::Requests(_)]));
    }
}
