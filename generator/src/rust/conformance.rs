//! The conformance suite of a client (issue 22): for every method the crate has, one call with
//! synthetic arguments chosen to stress the encoding rules, written twice from the same values:
//! as Rust source calling the crate's typed builders (a module of the conformance driver) and
//! as JSON for the reference client (`tests/conformance/reference.py`). A pure function of the
//! IR and the client configuration; the harness (`discogen-conformance`) runs and compares.

use serde_json::{json, Map, Value};

use super::idents::ident;
use super::methods::{MethodPlan, PathPiece, PathType, QueryParam, ResourcePlan};
use super::types::RustType;
use crate::config::ClientConfig;
use crate::error::Result;
use crate::ir::{Api, Method, ParamLocation, Parameter, Schema};

/// A query value or a `{x}` path value: every character class the encoders treat apart (gen-
/// and sub-delims, `%` alone and in a triplet, `+`, space, non-ASCII).
pub const STRESS: &str = "a/b?c#d%e+f~g:h@i!j$k&l'm(n)o*p,q;r=s t é %41";
/// A `{+x}` path value (or a segment of a typed name): what reserved expansion keeps and what it
/// encodes, without `? # [ ]` or a percent triplet, where the reference client is known to send
/// another (malformed) URL (README, Encoding rules).
pub const RESERVED: &str = "a/b c:@!$&'()*+,;=~é%";
/// A segment of a typed resource name: as [`RESERVED`], without `/`.
pub const SEGMENT: &str = "s c:@!$&'()*+,;=~é%";
/// An RFC 3339 timestamp with an offset and nanoseconds.
pub const TIMESTAMP: &str = "2024-02-29T23:59:59.123456789+05:30";
/// Bytes whose standard base64 would hold `+` and `/` (`+/+/`), in URL-safe base64.
pub const BYTES: &str = "-_-_";
/// How many named schemas deep a request body is filled in.
const MAX_DEPTH: usize = 4;

/// The suite of one client crate.
pub struct Suite {
    /// A Rust module for the driver: `pub fn client(MockTransport) -> Client` and
    /// `pub fn calls() -> Vec<(&str, fn(Client) -> super::Pending)>`, using `super::v`
    /// (a value from JSON text) and naming the crate by its library name.
    pub module: String,
    /// `[{"id", "resource": [..], "method", "args": {wire name: value}, "body"}]`, one per call,
    /// in the order of `calls()`.
    pub cases: Value,
    /// Methods of the crate.
    pub methods: usize,
}

pub fn suite(api: &Api, config: &ClientConfig) -> Result<Suite> {
    let plan = super::plan::build(api, config)?;
    let krate = config.crate_name.replace('-', "_");
    let mut calls = Vec::new();
    let mut cases = Vec::new();
    for resource in &plan.resources {
        for method in &resource.methods {
            let Some(ir) = api.methods.iter().find(|m| m.id == method.id) else { continue };
            let case = Case::new(api, ir, method);
            calls.push(format!(
                "({:?}, |c| Box::pin(async move {{ let _ = {}.send().await; }})),",
                method.id,
                case.rust_call(&krate, resource, method)
            ));
            cases.push(case.json(ir));
        }
    }
    let module = format!(
        "//! Conformance calls of `{crate_name}` (written by discogen's conformance suite).\n\
         #![allow(clippy::all, unused_imports)]\n\
         use super::v;\n\n\
         pub fn client(mock: discogen_runtime::MockTransport) -> {krate}::Client {{\n    \
             {krate}::Client::builder().no_auth().transport(mock).build().expect(\"client\")\n}}\n\n\
         pub fn calls() -> Vec<(&'static str, fn({krate}::Client) -> super::Pending)> {{\n    \
             vec![\n{}\n    ]\n}}\n",
        calls.join("\n"),
        crate_name = config.crate_name,
    );
    Ok(Suite { module, methods: cases.len(), cases: Value::Array(cases) })
}

/// One call's arguments, by wire name.
struct Case {
    path: Map<String, Value>,
    /// Query parameters (and OpenAPI headers), each with its value.
    query: Map<String, Value>,
    body: Option<Value>,
    /// A sub-resource of the method's resource has the method's name: the reference client
    /// offers the resource under that name, and the method cannot be called there.
    shadowed: bool,
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
                _ if ir_param
                    .is_some_and(|p| !p.enum_values.is_empty() || p.json_type.as_deref() == Some("integer")) =>
                {
                    let p = ir_param.expect("checked");
                    match p.enum_values.last() {
                        Some(last) => last.value.clone(),
                        None if p.format.as_deref() == Some("uint32") => u32::MAX.to_string(),
                        None => i32::MIN.to_string(),
                    }
                }
                _ if ir_param.is_some_and(|p| p.format.as_deref() == Some("int64")) => i64::MIN.to_string(),
                _ if ir_param.is_some_and(|p| p.format.as_deref() == Some("uint64")) => u64::MAX.to_string(),
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
        Case { path, query, body, shadowed }
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
        if let Some(body) = &self.body {
            args.push(format!("v({:?})", body.to_string()));
        }
        let mut call = format!("c.{}().{}({})", ident(&resource.accessor), ident(&method.name), args.join(", "));
        for q in method.query.iter().filter(|q| !q.required) {
            let argument = query_argument(krate, q, &self.query[&q.wire_name], false);
            call.push_str(&format!(".{}({argument})", ident(&q.field)));
        }
        call
    }

    fn json(self, ir: &Method) -> Value {
        let mut args = self.path;
        args.extend(self.query);
        json!({
            "id": ir.id,
            "shadowed": self.shadowed,
            "resource": ir.resource_path,
            "method": ir.name,
            "args": args,
            "body": self.body,
        })
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
        other => super::models::type_tokens(other).to_string().replace(' ', ""),
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
    let format = schema.format.as_deref();
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
        Some("any") => Some(json!({"any": [1, "x", true, {"nested": null}]})),
        Some("boolean") => Some(json!(false)),
        Some("number") => Some(json!(0.5)),
        Some("integer") => Some(match format {
            Some("uint32") => json!(u32::MAX),
            _ => json!(i32::MIN),
        }),
        Some("string") => Some(Value::String(match format {
            Some("int64") => i64::MIN.to_string(),
            Some("uint64") => u64::MAX.to_string(),
            Some("byte") => BYTES.to_owned(),
            Some("google-datetime" | "date-time") => TIMESTAMP.to_owned(),
            Some("google-duration") => "3.5s".to_owned(),
            Some("google-fieldmask") => "a.b,cD".to_owned(),
            Some("date") => "2024-02-29".to_owned(),
            _ => STRESS.to_owned(),
        })),
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
        assert_eq!(suite.cases[1]["shadowed"], true, "nodes.tags is shadowed by the tags resource");
        assert_eq!(suite.cases[2]["shadowed"], false);
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
