//! The conformance suite of a client (issue 22): for every method the crate has, one call with
//! synthetic arguments chosen to stress the encoding rules, written twice from the same values:
//! as Rust source calling the crate's typed builders (a module of the conformance driver) and
//! as JSON for the reference client (`tests/conformance/reference.py`). A pure function of the
//! IR and the client configuration; the harness (`discogen-conformance`) runs and compares.

use serde_json::{json, Map, Value};

use super::idents::spelled;
use super::plan::{MethodPlan, PathPiece, PathType, QueryParam, ResourcePlan, RustType};
use crate::config::ClientConfig;
use crate::error::Result;
use crate::ir::{Api, Method, ParamLocation, Parameter, RequestIdSlot, ScalarType, Schema};

/// A query value or a `{x}` path value: every character class the encoders treat apart (gen-
/// and sub-delims, `%` alone and in a triplet, `+`, space, non-ASCII).
pub const STRESS: &str = "a/b?c#d%e+f~g:h@i!j$k&l'm(n)o*p,q;r=s t é %41";
/// A `{+x}` path value (or a segment of a typed name): what reserved expansion keeps and what it
/// encodes, without `? # [ ]` or a percent triplet, where the reference client is known to send
/// another (malformed) URL (guide, Encoding rules).
pub const RESERVED: &str = "a/b c:@!$&'()*+,;=~é%";
/// A segment of a typed resource name: as [`RESERVED`], without `/`.
pub const SEGMENT: &str = "s c:@!$&'()*+,;=~é%";
/// An RFC 3339 timestamp with an offset and nanoseconds.
pub const TIMESTAMP: &str = "2024-02-29T23:59:59.123456789+05:30";
/// Bytes whose standard base64 would hold `+` and `/` (`+/+/`), in URL-safe base64.
pub const BYTES: &str = "-_-_";
/// The suffix of a method's second case, whose body says "clear" for every top-level field:
/// `null` for a scalar or an object, `[]` for a list, and for a map the deletion of one key,
/// `{"key gone": null}` (field presence: each is sent, not dropped, and must reach the wire as
/// the reference client sends it).
pub const PRESENCE: &str = " (presence)";
/// The map key a presence case deletes (`{"key gone": null}`, as storage's labels are removed).
pub const DELETED_KEY: &str = "key gone";
/// The suffix of a media upload's case: the method's call with [`MEDIA`] as its media (one
/// request: `uploadType=multipart` with a body, `uploadType=media` without).
pub const UPLOAD: &str = " (upload)";
/// The suffix of a media download's case (`alt=media`).
pub const DOWNLOAD: &str = " (download)";
/// The bytes of an uploaded medium (ASCII: the reference cannot send other bytes as
/// gmail's `message/rfc822`).
pub const MEDIA: &str = "media bytes: ~!@#$%^&*()";
/// How many named schemas deep a request body is filled in.
const MAX_DEPTH: usize = 4;

/// The suite of one client crate.
pub struct Suite {
    /// A Rust module for the driver: `pub fn client(MockTransport) -> Client` (media calls
    /// too go through its transport) and
    /// `pub fn calls() -> Vec<(&str, fn(Client) -> super::Pending)>`, using `super::v`
    /// (a value from JSON text) and naming the crate by its library name.
    pub module: String,
    /// `[{"id", "resource": [..], "method", "args": {wire name: value}, "body"}]`, one per call,
    /// in the order of `calls()`: one per method, and a second, [`PRESENCE`], for each method
    /// whose body is a model.
    pub cases: Value,
    /// Methods of the crate.
    pub methods: usize,
}

pub fn suite(api: &Api, config: &ClientConfig) -> Result<Suite> {
    let plan = super::plan::build(api, config)?;
    let krate = config.crate_name.replace('-', "_");
    let mut calls = Vec::new();
    let mut cases = Vec::new();
    let methods = plan.resources.iter().map(|r| r.methods.len()).sum();
    for resource in &plan.resources {
        for method in &resource.methods {
            let Some(ir) = api.methods.iter().find(|m| m.id == method.id) else { continue };
            let case = Case::new(api, ir, method);
            let variants = [case.presence_variant(api, ir), case.upload_variant(method), case.download_variant(method)];
            for (id, case) in std::iter::once((method.id.clone(), case)).chain(variants.into_iter().flatten()) {
                calls.push(format!(
                    "({id:?}, |c| Box::pin(async move {{ let _ = {}{}.await; }})),",
                    case.rust_call(&krate, resource, method),
                    case.rust_send()
                ));
                cases.push(case.json(&id, ir));
            }
        }
    }
    let module = format!(
        "//! Conformance calls of `{crate_name}` (written by discogen's conformance suite).\n\
         #![allow(clippy::all, unused_imports)]\n\
         use super::v;\n\n\
         pub fn client(mock: discogen_runtime::transport::MockTransport) -> {krate}::Client {{\n    \
             {krate}::Client::builder().no_auth().transport(mock).build().expect(\"client\")\n}}\n\n\
         pub fn calls() -> Vec<(&'static str, fn({krate}::Client) -> super::Pending)> {{\n    \
             vec![\n{}\n    ]\n}}\n",
        calls.join("\n"),
        crate_name = config.crate_name,
    );
    Ok(Suite { module, methods, cases: Value::Array(cases) })
}

/// One call's arguments, by wire name.
#[derive(Clone)]
struct Case {
    path: Map<String, Value>,
    /// Query parameters (and OpenAPI headers), each with its value.
    query: Map<String, Value>,
    body: Option<Value>,
    /// A sub-resource of the method's resource has the method's name: the reference client
    /// offers the resource under that name, and the method cannot be called there.
    shadowed: bool,
    media: Option<MediaCase>,
    /// Map fields of the body whose key [`DELETED_KEY`] is sent as `null` (deleted): the Rust
    /// side adds them with the model's `null_key` after decoding the body with the map empty.
    null_keys: Vec<String>,
}

/// The media side of a case.
#[derive(Clone)]
enum MediaCase {
    /// [`MEDIA`] uploaded with this content type.
    Upload(String),
    Download,
}

impl Case {
    fn new(api: &Api, ir: &Method, method: &MethodPlan) -> Case {
        let params = ir.parameters.as_deref().unwrap_or_default();
        let find = |wire: &str| params.iter().find(|p| p.name == wire);
        let mut path = Map::new();
        for piece in &method.path {
            let PathPiece::Param { field, wire, operator } = piece else { continue };
            let Some(param) = method.path_params.iter().find(|p| &p.field == field) else { continue };
            let ir_param = find(wire);
            let value = match (&param.ty, ir_param.and_then(|p| p.pattern.as_deref())) {
                (PathType::Name(..), Some(pattern)) => name_value(pattern),
                // Enum and number path parameters take what the reference client checks for.
                _ if ir_param.is_some_and(|p| {
                    let integer =
                        matches!(p.scalar, Some(ScalarType::Int32 | ScalarType::UInt32 | ScalarType::Int64Number));
                    !p.enum_values.is_empty() || integer
                }) =>
                {
                    let p = ir_param.expect("checked");
                    match p.enum_values.last() {
                        Some(last) => last.value.clone(),
                        None if p.scalar == Some(ScalarType::UInt32) => u32::MAX.to_string(),
                        None => i32::MIN.to_string(),
                    }
                }
                _ if ir_param.is_some_and(|p| p.scalar == Some(ScalarType::Int64)) => i64::MIN.to_string(),
                _ if ir_param.is_some_and(|p| p.scalar == Some(ScalarType::UInt64)) => u64::MAX.to_string(),
                _ if *operator == Some('+') => RESERVED.to_owned(),
                _ => STRESS.to_owned(),
            };
            path.insert(wire.clone(), Value::String(value));
        }
        // A path parameter the template does not use has no argument in Rust (it is sent
        // nowhere); the reference client still requires it, and drops it too.
        for p in params.iter().filter(|p| p.location == ParamLocation::Path && p.required) {
            path.entry(p.name.clone()).or_insert_with(|| Value::String(STRESS.to_owned()));
        }
        let mut query = Map::new();
        for q in &method.query {
            let param = find(&q.wire_name);
            let value = if q.repeated {
                json!([param_value(&q.ty, param, false), param_value(&q.ty, param, true)])
            } else {
                param_value(&q.ty, param, false)
            };
            query.insert(q.wire_name.clone(), value);
        }
        let body = ir.request.as_ref().map(|name| {
            let schema = Schema { reference: Some(name.clone()), ..Schema::default() };
            body_value(api, &schema, &mut Vec::new()).unwrap_or_else(|| json!({}))
        });
        let mut chain = ir.resource_path.clone();
        chain.push(ir.name.clone());
        let shadowed = api.methods.iter().any(|m| m.resource_path.starts_with(&chain));
        Case { path, query, body, shadowed, media: None, null_keys: Vec::new() }
    }

    /// `client.<handle>().<method>(required...).<setter>(value)...`
    fn rust_call(&self, krate: &str, resource: &ResourcePlan, method: &MethodPlan) -> String {
        let mut args: Vec<String> = Vec::new();
        for param in &method.path_params {
            let wire = method.path.iter().find_map(|piece| match piece {
                PathPiece::Param { field, wire, .. } if *field == param.field => Some(wire.as_str()),
                _ => None,
            });
            let value = wire.and_then(|w| self.path.get(w)).and_then(Value::as_str).unwrap_or_default();
            args.push(match &param.ty {
                PathType::Name(name, fields) => {
                    let segments = vec![format!("{SEGMENT:?}"); fields.len()];
                    format!("{krate}::{name}::new({})", segments.join(", "))
                }
                PathType::String => format!("{value:?}"),
            });
        }
        for q in method.query.iter().filter(|q| q.required) {
            args.push(query_argument(krate, q, &self.query[&q.wire_name], true));
        }
        match (&self.body, &method.body) {
            (Some(body), Some(RustType::Named(ty))) if !self.null_keys.is_empty() => {
                let deletions: String =
                    self.null_keys.iter().map(|field| format!(".null_key({field:?}, {DELETED_KEY:?})")).collect();
                args.push(format!("v::<{krate}::{ty}>({:?}){deletions}", body.to_string()));
            }
            (Some(body), _) => args.push(format!("v({:?})", body.to_string())),
            (None, _) => {}
        }
        let mut call = format!("{}.{}({})", resource.reach("c"), spelled(&method.name), args.join(", "));
        for q in method.query.iter().filter(|q| !q.required) {
            let argument = query_argument(krate, q, &self.query[&q.wire_name], false);
            call.push_str(&format!(".{}({argument})", spelled(&q.field)));
        }
        call
    }

    /// The same call with a body that clears every top-level field, when the body is a model.
    fn presence_variant(&self, api: &Api, ir: &Method) -> Option<(String, Case)> {
        let request = ir.request.as_ref()?;
        let schema = api.schemas.get(request)?;
        if schema.json_type.as_deref() != Some("object") || schema.properties.is_empty() {
            return None;
        }
        // The AIP-155 request id stays set: cleared, `send` would fill one in (on purpose).
        let request_id = match &ir.request_id {
            Some(RequestIdSlot::BodyField(field)) => Some(field.as_str()),
            _ => None,
        };
        let kept = |name: &str| self.body.as_ref().and_then(|body| body.get(name)).cloned();
        let mut body = serde_json::Map::new();
        // Maps are cleared one key at a time (`{"key gone": null}`), built with `null_key`.
        let mut null_keys = Vec::new();
        for p in &schema.properties {
            let cleared = cleared(api, &p.schema);
            if cleared == json!({}) {
                null_keys.push(p.name.clone());
            }
            let value = kept(&p.name).filter(|_| Some(p.name.as_str()) == request_id).unwrap_or(cleared);
            body.insert(p.name.clone(), value);
        }
        let case = Case {
            path: self.path.clone(),
            query: self.query.clone(),
            body: Some(Value::Object(body)),
            shadowed: self.shadowed,
            media: None,
            null_keys,
        };
        Some((format!("{}{PRESENCE}", ir.id), case))
    }

    /// The same call uploading [`MEDIA`], when the method takes media: with a content type its
    /// `accept` list allows.
    fn upload_variant(&self, method: &MethodPlan) -> Option<(String, Case)> {
        let upload = method.upload.as_ref()?;
        let content_type = match upload.accept.first().map(String::as_str) {
            None | Some("*/*") => "text/plain".to_owned(),
            Some(accepted) => accepted.replace("/*", "/x-conformance"),
        };
        // One value per repeated query parameter: the reference refuses a repeated one in an
        // upload's URL (its `uploadType` rewrite), a limit of that client, not of the wire.
        let mut query = self.query.clone();
        for value in query.values_mut() {
            if let Value::Array(values) = value {
                values.truncate(1);
            }
        }
        let case = Case { media: Some(MediaCase::Upload(content_type)), query, ..self.clone() };
        Some((format!("{}{UPLOAD}", method.id), case))
    }

    /// The same call as a media download, when the method offers one.
    fn download_variant(&self, method: &MethodPlan) -> Option<(String, Case)> {
        method
            .download
            .then(|| (format!("{}{DOWNLOAD}", method.id), Case { media: Some(MediaCase::Download), ..self.clone() }))
    }

    /// What sends the built call: `.send()`, or the upload or download that replaces it.
    fn rust_send(&self) -> String {
        match &self.media {
            None => ".send()".to_owned(),
            Some(MediaCase::Upload(content_type)) => {
                format!(".upload(discogen_runtime::media::MediaSource::from_bytes({MEDIA:?}, {content_type:?})).send()")
            }
            Some(MediaCase::Download) => ".download().bytes()".to_owned(),
        }
    }

    fn json(self, id: &str, ir: &Method) -> Value {
        let mut args = self.path;
        args.extend(self.query);
        // The reference side sends the deleted keys as written: `{"<key>": null}`.
        let mut body = self.body;
        if let Some(Value::Object(fields)) = &mut body {
            for field in &self.null_keys {
                fields.insert(field.clone(), json!({ DELETED_KEY: null }));
            }
        }
        json!({
            "id": id,
            "shadowed": self.shadowed,
            "resource": ir.resource_path,
            "method": ir.name,
            "args": args,
            "body": body,
            "media": match self.media {
                None => Value::Null,
                Some(MediaCase::Upload(content_type)) => json!({"upload": MEDIA, "content_type": content_type}),
                Some(MediaCase::Download) => json!({"download": true}),
            },
        })
    }
}

/// How a field of `schema` is cleared: `[]` for a list, `{}` for a map, else `null`.
fn cleared(api: &Api, schema: &Schema) -> Value {
    let resolved = schema.reference.as_ref().and_then(|name| api.schemas.get(name)).unwrap_or(schema);
    match resolved.json_type.as_deref() {
        Some("array") => json!([]),
        Some("object") if resolved.additional_properties.is_some() && resolved.properties.is_empty() => json!({}),
        _ => Value::Null,
    }
}

/// A typed name's string: the pattern with every `*` segment set to [`SEGMENT`].
fn name_value(pattern: &str) -> String {
    pattern.trim_start_matches('^').trim_end_matches('$').replace("[^/]+", SEGMENT)
}

/// The value of a query parameter of type `ty` (the `second` of a repeated one differs where
/// the type allows).
fn param_value(ty: &RustType, param: Option<&Parameter>, second: bool) -> Value {
    match ty {
        RustType::Named(_) => {
            let values = param.map(|p| p.enum_values.as_slice()).unwrap_or_default();
            let value = if second { values.first() } else { values.last() };
            Value::String(value.map_or_else(String::new, |v| v.value.clone()))
        }
        RustType::String if second => Value::String("second value".to_owned()),
        other => scalar_value(other).unwrap_or_else(|| Value::String(STRESS.to_owned())),
    }
}

/// Extremes and edge values of the scalar types.
fn scalar_value(ty: &RustType) -> Option<Value> {
    Some(match ty {
        RustType::String => Value::String(STRESS.to_owned()),
        RustType::Bool => json!(false),
        RustType::I32 => json!(i32::MIN),
        RustType::U32 => json!(u32::MAX),
        RustType::I64 => Value::String(i64::MIN.to_string()),
        RustType::U64 => Value::String(u64::MAX.to_string()),
        RustType::I64Number => json!(i64::MIN),
        RustType::F32 | RustType::F64 => json!(0.5),
        RustType::Timestamp => Value::String(TIMESTAMP.to_owned()),
        RustType::Duration => Value::String("3.5s".to_owned()),
        RustType::FieldMask => Value::String("a.b,cD".to_owned()),
        RustType::Bytes(_) => Value::String(BYTES.to_owned()),
        _ => return None,
    })
}

/// The Rust argument for a query parameter's `value` (JSON): literals for strings and numbers,
/// `v::<Type>(json)` (deserialized to the parameter's type, named because setters take
/// `impl Into<Type>`) for everything else.
fn query_argument(krate: &str, q: &QueryParam, value: &Value, required: bool) -> String {
    let ty = match &q.ty {
        RustType::Named(name) => format!("{krate}::{name}"),
        other => super::emit::models::type_tokens(other).to_string().replace(' ', ""),
    };
    let one = |value: &Value| -> String {
        let suffix = match q.ty {
            RustType::I32 => "i32",
            RustType::U32 => "u32",
            RustType::I64 | RustType::I64Number => "i64",
            RustType::U64 => "u64",
            RustType::F32 => "f32",
            RustType::F64 => "f64",
            RustType::String => return format!("String::from({:?})", value.as_str().unwrap_or_default()),
            RustType::Bool => return value.to_string(),
            _ => return format!("v::<{ty}>({:?})", value.to_string()),
        };
        let number = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
        format!("{number}{suffix}")
    };
    match value {
        Value::Array(values) if q.repeated => {
            let items: Vec<String> = values.iter().map(one).collect();
            if required {
                format!("vec![{}]", items.join(", "))
            } else {
                format!("[{}]", items.join(", "))
            }
        }
        value => one(value),
    }
}

/// A value for `schema` with every field set, named schemas filled in up to [`MAX_DEPTH`] deep
/// and never inside themselves; `None` where that bound leaves nothing to send.
fn body_value(api: &Api, schema: &Schema, stack: &mut Vec<String>) -> Option<Value> {
    if let Some(name) = &schema.reference {
        if stack.contains(name) || stack.len() >= MAX_DEPTH {
            return None;
        }
        let target = api.schemas.get(name)?;
        stack.push(name.clone());
        let value = body_value(api, target, stack);
        stack.pop();
        return value;
    }
    if let Some(last) = schema.enum_values.last() {
        return Some(Value::String(last.value.clone()));
    }
    if let Some(scalar) = schema.scalar {
        return Some(match scalar {
            ScalarType::Any => json!({"any": [1, "x", true, {"nested": null}]}),
            ScalarType::Boolean => json!(false),
            ScalarType::Float | ScalarType::Double => json!(0.5),
            ScalarType::UInt32 => json!(u32::MAX),
            ScalarType::Int32 | ScalarType::Int64Number => json!(i32::MIN),
            ScalarType::Int64 => Value::String(i64::MIN.to_string()),
            ScalarType::UInt64 => Value::String(u64::MAX.to_string()),
            ScalarType::Bytes { .. } => Value::String(BYTES.to_owned()),
            ScalarType::Timestamp => Value::String(TIMESTAMP.to_owned()),
            ScalarType::Duration => Value::String("3.5s".to_owned()),
            ScalarType::FieldMask => Value::String("a.b,cD".to_owned()),
            ScalarType::Date => Value::String("2024-02-29".to_owned()),
            ScalarType::String => Value::String(STRESS.to_owned()),
        });
    }
    match schema.json_type.as_deref() {
        Some("object") => {
            let mut object = Map::new();
            for property in &schema.properties {
                if let Some(value) = body_value(api, &property.schema, stack) {
                    object.insert(property.name.clone(), value);
                }
            }
            if let Some(values) = &schema.additional_properties {
                match body_value(api, values, stack) {
                    Some(value) => {
                        object.insert("key one".to_owned(), value);
                    }
                    // An empty map is how a client says "unset" (field presence, not encoding).
                    None if schema.properties.is_empty() => return None,
                    None => {}
                }
            }
            Some(Value::Object(object))
        }
        Some("array") => Some(json!([body_value(api, schema.items.as_deref()?, stack)?])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service with a recursive body, a map, an enum path parameter, a repeated query
    /// parameter and a method a sub-resource of the same name shadows.
    const DOCUMENT: &str = r#"{
      "name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
      "schemas": {
        "Node": {"id": "Node", "type": "object", "properties": {
          "name": {"type": "string"},
          "size": {"type": "string", "format": "int64"},
          "child": {"$ref": "Node"},
          "labels": {"type": "object", "additionalProperties": {"type": "string"}},
          "nodes": {"type": "object", "additionalProperties": {"$ref": "Node"}}
        }}
      },
      "resources": {"nodes": {
        "methods": {
          "create": {"id": "svc.nodes.create", "path": "v1/{+parent}/nodes/{kind}", "httpMethod": "POST",
            "parameters": {
              "parent": {"type": "string", "location": "path", "required": true, "pattern": "^projects/[^/]+$"},
              "kind": {"type": "string", "location": "path", "required": true, "enum": ["A", "B"]},
              "tags": {"type": "string", "location": "query", "repeated": true}
            },
            "parameterOrder": ["parent", "kind"], "request": {"$ref": "Node"}},
          "tags": {"id": "svc.nodes.tags", "path": "v1/tags", "httpMethod": "GET"}
        },
        "resources": {"tags": {"methods": {
          "list": {"id": "svc.nodes.tags.list", "path": "v1/tags/all", "httpMethod": "GET"}
        }}}
      }}
    }"#;

    fn suite() -> Suite {
        let api = crate::pipeline::build_api(crate::pipeline::Input { name: "svc", text: DOCUMENT }, None).unwrap();
        let config = ClientConfig::defaults_for(&api.service.name, &api.service.version, &api.schemas);
        super::suite(&api, &config).unwrap()
    }

    #[test]
    fn every_method_gets_one_case_with_the_same_values_on_both_sides() {
        let suite = suite();
        assert_eq!(suite.methods, 3);
        let create = &suite.cases[0];
        assert_eq!(create["args"]["parent"], format!("projects/{SEGMENT}"));
        assert_eq!(create["args"]["kind"], "B", "an enum path parameter takes one of its values");
        assert_eq!(create["args"]["tags"], json!([STRESS, "second value"]));
        // The Rust call builds the typed name from the same segment and sets the same values.
        assert!(suite.module.contains(&format!("ProjectName::new({SEGMENT:?}), \"B\", v(")), "{}", suite.module);
        assert!(suite.module.contains(&format!(".tags([String::from({STRESS:?}), String::from(\"second value\")])")));
        assert_eq!(suite.cases[2]["shadowed"], true, "nodes.tags is shadowed by the tags resource");
        assert_eq!(suite.cases[3]["shadowed"], false);
    }

    #[test]
    fn a_method_with_a_model_body_gets_a_second_case_clearing_every_field() {
        let suite = suite();
        assert_eq!(suite.cases.as_array().unwrap().len(), 4, "three methods, one of them with a body");
        let presence = &suite.cases[1];
        assert_eq!(presence["id"], format!("svc.nodes.create{PRESENCE}"));
        assert_eq!(presence["args"], suite.cases[0]["args"], "the same call otherwise");
        assert_eq!(
            presence["body"],
            json!({"name": null, "size": null, "child": null, "labels": {DELETED_KEY: null}, "nodes": {DELETED_KEY: null}}),
            "scalars and objects null, one key of each map deleted"
        );
        // The Rust side decodes the body with the maps empty, then deletes the key by `null_key`.
        let decoded = json!({"name": null, "size": null, "child": null, "labels": {}, "nodes": {}}).to_string();
        let call = format!(
            "v::<google_svc_v1::Node>({decoded:?}).null_key(\"labels\", {DELETED_KEY:?}).null_key(\"nodes\", {DELETED_KEY:?})"
        );
        assert!(suite.module.contains(&call), "{call}\n{}", suite.module);
    }

    #[test]
    fn bodies_set_every_field_and_stop_at_recursion() {
        let body = &suite().cases[0]["body"];
        assert_eq!(body["name"], STRESS);
        assert_eq!(body["size"], i64::MIN.to_string());
        assert_eq!(body["labels"], json!({"key one": STRESS}));
        // A schema is never filled in inside itself: `child` and the map of nodes stay out
        // (an empty map would say "unset", a presence question, not an encoding one).
        assert!(body.get("child").is_none() && body.get("nodes").is_none(), "{body}");
    }
}
