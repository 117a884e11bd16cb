//! The mutator of the robustness tests: a seeded PRNG and JSON-level and byte-level
//! mutations of Discovery documents.

use serde_json::{json, Map, Value};

/// Depth of array/map nesting the mutator builds (the client emitter turns anything deeper
/// than 8 levels into `serde_json::Value`; see `rust_deeply_nested_map_type.json`).
pub const MAX_TYPE_NESTING: usize = 128;

pub use discogen_tests::Rng;

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The paths of every value below the root.
fn paths(value: &Value) -> Vec<Vec<Seg>> {
    fn walk(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    path.push(Seg::Key(key.clone()));
                    out.push(path.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(Seg::Index(index));
                    out.push(path.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn at<'v>(value: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, seg| match seg {
        Seg::Key(key) => value.get(key.as_str()),
        Seg::Index(index) => value.get(*index),
    })
}

fn at_mut<'v>(value: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |value, seg| match seg {
        Seg::Key(key) => value.get_mut(key.as_str()),
        Seg::Index(index) => value.get_mut(*index),
    })
}

/// Strings that are hard on generators: braces, markup, comment ends, keywords, paths,
/// non-ASCII, control characters, empty and very long ones.
const NASTY_STRINGS: &[&str] = &[
    "",
    " ",
    "{",
    "}",
    "{}",
    "{{x}}",
    "}_{",
    "{+name}",
    "v1/{+name}:run",
    "{name}/{name}",
    "<b>",
    "</td>",
    "<!--",
    "*/",
    "/*",
    "`",
    "```",
    "```rust\nfn x() {}",
    "\"",
    "\\",
    "'",
    "[link]",
    "[a](https://x.io)",
    "https://example.com/a_b",
    "#[doc]",
    "r#type",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "async",
    "_",
    "__",
    "0",
    "1abc",
    "-1",
    "fooBar",
    "foo_bar",
    "FooBar",
    "model",
    "names",
    "lib",
    "std",
    "Client",
    "Error",
    "Result",
    "String",
    "Option",
    "nextPageToken",
    "pageToken",
    "../..",
    "/",
    "a/b",
    ".",
    "a.b.c",
    "GET",
    "POST",
    "DELETE",
    "path",
    "query",
    "object",
    "array",
    "string",
    "any",
    "integer",
    "int64",
    "uint64",
    "byte",
    "google-datetime",
    "^projects/[^/]+/locations/[^/]+$",
    "^[^/]+$",
    "^projects/[^/]+/.*$",
    "é",
    "日本語",
    "😀",
    "👨‍👩‍👧",
    "\u{200b}",
    "\u{2028}",
    "\u{feff}",
    "\u{0}",
    "\u{7}",
    "\t",
    "\r\n",
    "\n\n",
];

fn nasty_string(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => (0..rng.below(8) + 1).map(|_| *rng.pick(NASTY_STRINGS)).collect(),
        1 => rng.pick(NASTY_STRINGS).repeat(rng.below(2000) + 1),
        2 => (0..rng.below(12)).map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?')).collect(),
        _ => (*rng.pick(NASTY_STRINGS)).to_owned(),
    }
}

fn huge_number(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => json!(u64::MAX),
        1 => json!(i64::MIN),
        2 => json!(f64::MAX),
        3 => json!(f64::MIN_POSITIVE / 1e10),
        4 => json!(-1),
        5 => json!(0),
        6 => json!(1e300),
        _ => json!(rng.next()),
    }
}

/// Keys Discovery documents use, so that random objects sometimes look like schemas/methods.
const DISCOVERY_KEYS: &[&str] = &[
    "type",
    "$ref",
    "properties",
    "items",
    "additionalProperties",
    "enum",
    "enumDescriptions",
    "format",
    "description",
    "id",
    "location",
    "required",
    "repeated",
    "pattern",
    "httpMethod",
    "path",
    "flatPath",
    "parameters",
    "parameterOrder",
    "request",
    "response",
    "methods",
    "resources",
    "readOnly",
];

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => huge_number(rng),
        3 | 4 => json!(nasty_string(rng)),
        5 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth - 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(5) {
                let key = if rng.chance(70) { (*rng.pick(DISCOVERY_KEYS)).to_owned() } else { nasty_string(rng) };
                map.insert(key, random_value(rng, depth - 1));
            }
            Value::Object(map)
        }
    }
}

fn schema_names(doc: &Value) -> Vec<String> {
    doc.get("schemas").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

/// Keys whose value is a map of named entries of one kind.
const NAMED_MAPS: &[&str] = &["schemas", "properties", "resources", "methods", "parameters"];

/// The key under which `path` sits in its parent, if it is a key.
fn last_key(path: &[Seg]) -> Option<&str> {
    match path.last() {
        Some(Seg::Key(key)) => Some(key),
        _ => None,
    }
}

/// What the mutator knows about a document's shape.
struct Shape {
    all: Vec<Vec<Seg>>,
    /// Maps of named entries, by kind (`properties`, `methods`, ...).
    named_maps: Vec<(String, Vec<Seg>)>,
    /// Values in schema position: named schemas, properties, items, map values, bodies.
    schemas: Vec<Vec<Seg>>,
    strings: Vec<Vec<Seg>>,
    methods: Vec<Vec<Seg>>,
}

impl Shape {
    fn of(doc: &Value) -> Shape {
        let all = paths(doc);
        let mut shape = Shape {
            all: Vec::new(),
            named_maps: Vec::new(),
            schemas: Vec::new(),
            strings: Vec::new(),
            methods: Vec::new(),
        };
        for path in &all {
            let value = at(doc, path).unwrap_or(&Value::Null);
            let key = last_key(path);
            let parent_key = path.len().checked_sub(2).and_then(|i| match &path[i] {
                Seg::Key(key) => Some(key.as_str()),
                Seg::Index(_) => None,
            });
            if value.is_object() {
                if let Some(kind) = key.filter(|k| NAMED_MAPS.contains(k)) {
                    shape.named_maps.push((kind.to_owned(), path.clone()));
                }
                let schema_slot = matches!(parent_key, Some("schemas" | "properties"))
                    || matches!(key, Some("items" | "additionalProperties" | "request" | "response"));
                if schema_slot {
                    shape.schemas.push(path.clone());
                }
                if value.get("httpMethod").is_some() {
                    shape.methods.push(path.clone());
                }
            }
            if value.is_string() {
                shape.strings.push(path.clone());
            }
        }
        shape.all = all;
        shape
    }

    fn maps_of(&self, kind: &str) -> Vec<&Vec<Seg>> {
        self.named_maps.iter().filter(|(k, _)| k == kind).map(|(_, path)| path).collect()
    }
}

/// Applies one JSON-level mutation; returns its name. Most mutations keep the document's
/// JSON types where Discovery expects them, so that mutants get past the reader and into the
/// emitters; some break the shape on purpose.
pub fn mutate(rng: &mut Rng, doc: &mut Value) -> &'static str {
    let shape = Shape::of(doc);
    if shape.all.is_empty() {
        *doc = random_value(rng, 3);
        return "replace the document";
    }
    let any = rng.pick(&shape.all).clone();
    let schema_names = schema_names(doc);
    let ref_target = |rng: &mut Rng| -> String {
        if !schema_names.is_empty() && rng.chance(75) {
            rng.pick(&schema_names).clone()
        } else {
            nasty_string(rng)
        }
    };
    let pick_or =
        |rng: &mut Rng, paths: &[Vec<Seg>]| if paths.is_empty() { any.clone() } else { rng.pick(paths).clone() };
    const WEIGHTS: [usize; 14] = [2, 1, 3, 3, 2, 2, 4, 1, 4, 1, 3, 2, 2, 1];
    let mut roll = rng.below(WEIGHTS.iter().sum());
    let choice = WEIGHTS.iter().position(|w| {
        if roll < *w {
            true
        } else {
            roll -= w;
            false
        }
    });
    match choice.unwrap_or(0) {
        0 => {
            let (last, parent) = any.split_last().expect("not the root");
            match (at_mut(doc, parent), last) {
                (Some(Value::Object(map)), Seg::Key(key)) => drop(map.shift_remove(key)),
                (Some(Value::Array(items)), Seg::Index(i)) => drop(items.remove(*i)),
                _ => {}
            }
            "delete a key"
        }
        1 => {
            let replacement = random_value(rng, 2);
            if let Some(slot) = at_mut(doc, &any) {
                *slot = replacement;
            }
            "replace a value with another type"
        }
        2 => {
            // Copy an entry of a named map (a schema, property, method, ...) into another map of
            // the same kind, under a nasty or an existing name.
            let Some((kind, from)) = (!shape.named_maps.is_empty()).then(|| rng.pick(&shape.named_maps).clone()) else {
                return "no named maps";
            };
            let entries: Vec<String> =
                at(doc, &from).and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
            if entries.is_empty() {
                return "empty named map";
            }
            let entry = rng.pick(&entries).clone();
            let value = at(doc, &from).and_then(|m| m.get(entry.as_str())).cloned().unwrap_or_default();
            let targets = shape.maps_of(&kind);
            let to = (*rng.pick(&targets)).clone();
            let name = if rng.chance(50) { entry } else { nasty_string(rng) };
            if let Some(Value::Object(map)) = at_mut(doc, &to) {
                map.insert(name, value);
            }
            "copy a named entry into another map of its kind"
        }
        3 => {
            let target = ref_target(rng);
            let slot = pick_or(rng, &shape.schemas);
            let with_siblings = rng.chance(30);
            if let Some(Value::Object(map)) = at_mut(doc, &slot) {
                if rng.chance(50) {
                    map.clear();
                }
                map.insert("$ref".to_owned(), json!(target));
                if with_siblings {
                    map.insert("description".to_owned(), json!("{sibling} <description>"));
                }
            }
            "put a $ref in a schema position"
        }
        4 => {
            // A cycle between two named schemas (or one and itself), through a plain property,
            // an array or a map.
            if schema_names.is_empty() {
                return "no schemas to make cyclic";
            }
            let (a, b) = (rng.pick(&schema_names).clone(), rng.pick(&schema_names).clone());
            let link = |to: &str, kind: usize| match kind {
                0 => json!({"$ref": to}),
                1 => json!({"type": "array", "items": {"$ref": to}}),
                2 => json!({"type": "object", "additionalProperties": {"$ref": to}}),
                _ => json!({"$ref": to, "description": "cycle {x}"}),
            };
            let (ka, kb) = (rng.below(4), rng.below(4));
            for (from, to, kind) in [(&a, &b, ka), (&b, &a, kb)] {
                if let Some(Value::Object(schema)) = doc["schemas"].get_mut(from.as_str()) {
                    if !schema.get("properties").is_some_and(Value::is_object) {
                        schema.insert("properties".to_owned(), json!({}));
                    }
                    schema["properties"]["cycle"] = link(to, kind);
                }
            }
            "make refs cyclic"
        }
        5 => {
            let kind = rng.below(5);
            let depth = match kind {
                1 | 2 => rng.below(MAX_TYPE_NESTING) + 1,
                _ => *rng.pick(&[5, 30, 60, 63, 64, 65, 127, 128, 129, 300]),
            };
            let slot = if kind < 3 { pick_or(rng, &shape.schemas) } else { any.clone() };
            if let Some(slot) = at_mut(doc, &slot) {
                let mut value = slot.take();
                for _ in 0..depth {
                    value = match kind {
                        0 => json!({"type": "object", "properties": {"p": value}}),
                        1 => json!({"type": "array", "items": value}),
                        2 => json!({"type": "object", "additionalProperties": value}),
                        3 => json!([value]),
                        _ => json!({"x": value}),
                    };
                }
                *slot = value;
            }
            "nest deeply"
        }
        6 => {
            let replacement = nasty_string(rng);
            let slot = pick_or(rng, &shape.strings);
            if let Some(slot) = at_mut(doc, &slot) {
                *slot = json!(replacement);
            }
            "replace a string with a nasty one"
        }
        7 => {
            let number = huge_number(rng);
            if let Some(slot) = at_mut(doc, &any) {
                *slot = number;
            }
            "replace a value with a huge number"
        }
        8 => {
            // Rename an entry of a named map (or any key): to a nasty name, to "" or to a
            // sibling's name.
            let path = match shape.named_maps.is_empty() || rng.chance(20) {
                true => any.clone(),
                false => {
                    let map = rng.pick(&shape.named_maps).1.clone();
                    let keys: Vec<String> = at(doc, &map)
                        .and_then(Value::as_object)
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default();
                    if keys.is_empty() {
                        return "empty named map";
                    }
                    let mut path = map;
                    path.push(Seg::Key(rng.pick(&keys).clone()));
                    path
                }
            };
            let (last, parent) = path.split_last().expect("not the root");
            let new_name = if rng.chance(20) { String::new() } else { nasty_string(rng) };
            let sibling = rng.chance(20);
            let pick = rng.next() as usize;
            if let (Some(Value::Object(map)), Seg::Key(key)) = (at_mut(doc, parent), last) {
                let new_name = match sibling && map.len() > 1 {
                    true => map.keys().nth(pick % map.len()).cloned().unwrap_or_default(),
                    false => new_name,
                };
                // Rebuilt in order; renaming onto a sibling's name drops the sibling.
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| if k == *key { (new_name.clone(), v) } else { (k, v) })
                    .collect();
            }
            "rename a key"
        }
        9 => {
            let other = rng.pick(&shape.all).clone();
            if !other.starts_with(&any) && !any.starts_with(&other) {
                let a = at_mut(doc, &any).map(Value::take).unwrap_or_default();
                let b = at_mut(doc, &other).map(|slot| std::mem::replace(slot, a)).unwrap_or_default();
                if let Some(slot) = at_mut(doc, &any) {
                    *slot = b;
                }
            }
            "swap two subtrees"
        }
        10 => {
            // Method-level damage: path templates, ids, parameters, bodies.
            if shape.methods.is_empty() {
                return "no methods";
            }
            let method = rng.pick(&shape.methods).clone();
            let other_id =
                at(doc, rng.pick(&shape.methods).as_slice()).and_then(|m| m.get("id").cloned()).unwrap_or_default();
            let string = nasty_string(rng);
            let target = ref_target(rng);
            let choice = rng.below(9);
            let parameter = json!({
                "type": rng.pick(&["string", "integer", "boolean", "number", "any", "object"]),
                "format": rng.pick(&["int64", "uint64", "google-datetime", "byte", "double", ""]),
                "location": rng.pick(&["path", "query", "body", ""]),
                "required": rng.chance(50),
                "repeated": rng.chance(50),
                "pattern": rng.pick(NASTY_STRINGS),
            });
            if let Some(Value::Object(m)) = at_mut(doc, &method) {
                match choice {
                    0 => drop(m.insert("path".to_owned(), json!(format!("v1/{string}")))),
                    1 => drop(m.insert("id".to_owned(), other_id)),
                    2 => drop(m.insert("parameterOrder".to_owned(), json!([string]))),
                    3 => drop(m.insert("request".to_owned(), json!({"$ref": target}))),
                    4 => drop(m.insert(
                        "response".to_owned(),
                        json!({"type": "object", "properties": {string: {"$ref": target}}}),
                    )),
                    5 => drop(m.insert("flatPath".to_owned(), json!(string))),
                    6 => drop(m.remove("parameters")),
                    7 => drop(m.insert("httpMethod".to_owned(), json!(rng_pick_verb(choice ^ string.len())))),
                    _ => {
                        if !m.get("parameters").is_some_and(Value::is_object) {
                            m.insert("parameters".to_owned(), json!({}));
                        }
                        m["parameters"][string] = parameter;
                    }
                }
            }
            "damage a method"
        }
        11 => {
            // Enum values: colliding, empty, digit-led, non-ASCII; descriptions too few or many.
            let values: Vec<String> = (0..rng.below(6)).map(|_| nasty_string(rng)).collect();
            let descriptions: Vec<String> = (0..rng.below(8)).map(|_| nasty_string(rng)).collect();
            let slot = pick_or(rng, &shape.schemas);
            if let Some(Value::Object(map)) = at_mut(doc, &slot) {
                map.insert("enum".to_owned(), json!(values));
                map.insert("enumDescriptions".to_owned(), json!(descriptions));
            }
            "set enum values"
        }
        12 => {
            // Flags and formats: media, repeated, required, readOnly, type/format changes.
            let slot = pick_or(rng, &shape.schemas.iter().chain(&shape.methods).cloned().collect::<Vec<_>>());
            let key = *rng.pick(&[
                "supportsMediaUpload",
                "supportsMediaDownload",
                "readOnly",
                "deprecated",
                "repeated",
                "required",
                "type",
                "format",
            ]);
            let value = match key {
                "type" => {
                    json!(rng.pick(&["any", "object", "array", "string", "integer", "number", "boolean", "null", ""]))
                }
                "format" => json!(rng.pick(&[
                    "int64",
                    "uint64",
                    "int32",
                    "uint32",
                    "float",
                    "double",
                    "byte",
                    "date",
                    "google-datetime",
                    "google-duration",
                    "google-fieldmask",
                    "{x}"
                ])),
                _ => json!(rng.chance(50)),
            };
            if let Some(Value::Object(map)) = at_mut(doc, &slot) {
                map.insert(key.to_owned(), value);
            }
            "set a flag or type"
        }
        _ => {
            // Remove every schema, or every resource: references and methods dangle or vanish.
            let key = *rng.pick(&["schemas", "resources", "methods", "parameters"]);
            if let Some(map) = doc.get_mut(key).and_then(Value::as_object_mut) {
                map.clear();
            }
            "empty a top-level map"
        }
    }
}

fn rng_pick_verb(n: usize) -> &'static str {
    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "TRACE", ""][n % 10]
}

/// Byte-level damage to the JSON text: truncation, flipped bytes, inserted structural
/// characters, deleted or repeated ranges. Invalid UTF-8 is replaced (the pipeline takes text).
pub fn mutate_bytes(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..rng.below(3) + 1 {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(6) {
            0 => bytes.truncate(at),
            5 => {
                let open = *rng.pick(&[&b"["[..], b"{\"a\":", b"{\"properties\":{\"p\":"]);
                let depth = *rng.pick(&[100, 127, 128, 129, 1000, 10_000]);
                let nested = open.repeat(depth);
                bytes.splice(at..at, nested);
            }
            1 => {
                for _ in 0..rng.below(4) + 1 {
                    let i = rng.below(bytes.len());
                    bytes[i] ^= 1 << rng.below(8);
                }
            }
            2 => {
                let insert = *rng.pick(&[b'{', b'}', b'[', b']', b'"', b':', b',', b'\\', 0xff, b'0']);
                bytes.insert(at, insert);
            }
            3 => {
                let end = (at + rng.below(64) + 1).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let end = (at + rng.below(256) + 1).min(bytes.len());
                let chunk = bytes[at..end].to_vec();
                bytes.splice(at..at, chunk);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
