//! What a schema's `type` and `format` text means for a scalar value, and how it travels:
//! [`ScalarType`], one rule for both readers. The text stays as written (the StackQL pages
//! print it); emitters decide from the normalised type.

use crate::ir::{Api, Base64Alphabet, ScalarType, Schema};

/// Sets [`Schema::scalar`] of every schema of `api` (nested ones too) and
/// [`Parameter::scalar`](crate::ir::Parameter::scalar) of every parameter.
pub fn assign(api: &mut Api) {
    // Google's servers take URL-safe base64 and Gmail nothing else; OpenAPI defines
    // `format: byte` as the standard alphabet, which other servers may insist on.
    let alphabet = if api.service.is_google() { Base64Alphabet::UrlSafe } else { Base64Alphabet::Standard };
    for schema in api.schemas.values_mut() {
        assign_schema(schema, alphabet);
    }
    for parameter in api.methods.iter_mut().flat_map(|m| m.parameters.iter_mut().flatten()) {
        parameter.scalar = scalar(parameter.json_type.as_deref(), parameter.format.as_deref(), alphabet);
    }
}

fn assign_schema(schema: &mut Schema, alphabet: Base64Alphabet) {
    let mut stack = vec![schema];
    while let Some(schema) = stack.pop() {
        schema.scalar = scalar(schema.json_type.as_deref(), schema.format.as_deref(), alphabet);
        stack.extend(schema.properties.iter_mut().map(|p| &mut p.schema));
        stack.extend(schema.items.as_deref_mut());
        stack.extend(schema.additional_properties.as_deref_mut());
        stack.extend(schema.all_of.iter_mut().chain(&mut schema.one_of).chain(&mut schema.any_of));
    }
}

/// The scalar type of a JSON `type` with a `format`; `None` for `object`, `array`, no type or
/// an unknown one. `byte` values are sent in `alphabet`.
pub fn scalar(json_type: Option<&str>, format: Option<&str>, alphabet: Base64Alphabet) -> Option<ScalarType> {
    Some(match json_type? {
        "string" => match format {
            Some("int64") => ScalarType::Int64,
            Some("uint64") => ScalarType::UInt64,
            // RFC 3339 text either way.
            Some("google-datetime" | "date-time") => ScalarType::Timestamp,
            Some("google-duration") => ScalarType::Duration,
            Some("google-fieldmask") => ScalarType::FieldMask,
            Some("byte") => ScalarType::Bytes { alphabet },
            Some("date") => ScalarType::Date,
            _ => ScalarType::String,
        },
        "integer" => match format {
            Some("uint32") => ScalarType::UInt32,
            // Discovery's 64-bit integers are strings; an `integer` is a JSON number.
            Some("int64" | "uint64") => ScalarType::Int64Number,
            _ => ScalarType::Int32,
        },
        "number" => match format {
            Some("float") => ScalarType::Float,
            _ => ScalarType::Double,
        },
        "boolean" => ScalarType::Boolean,
        "any" => ScalarType::Any,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{self, Input};

    /// Every row of the mapping, as Discovery and OpenAPI documents write it.
    #[test]
    fn each_type_and_format() {
        let url = Base64Alphabet::UrlSafe;
        let rows: &[(Option<&str>, Option<&str>, Option<ScalarType>)] = &[
            (Some("string"), None, Some(ScalarType::String)),
            (Some("string"), Some("uri"), Some(ScalarType::String)),
            (Some("string"), Some("int32"), Some(ScalarType::String)),
            (Some("string"), Some("int64"), Some(ScalarType::Int64)),
            (Some("string"), Some("uint64"), Some(ScalarType::UInt64)),
            (Some("string"), Some("google-datetime"), Some(ScalarType::Timestamp)),
            (Some("string"), Some("date-time"), Some(ScalarType::Timestamp)),
            (Some("string"), Some("google-duration"), Some(ScalarType::Duration)),
            (Some("string"), Some("google-fieldmask"), Some(ScalarType::FieldMask)),
            (Some("string"), Some("byte"), Some(ScalarType::Bytes { alphabet: url })),
            (Some("string"), Some("date"), Some(ScalarType::Date)),
            (Some("integer"), None, Some(ScalarType::Int32)),
            (Some("integer"), Some("int32"), Some(ScalarType::Int32)),
            (Some("integer"), Some("uint32"), Some(ScalarType::UInt32)),
            (Some("integer"), Some("int64"), Some(ScalarType::Int64Number)),
            (Some("integer"), Some("uint64"), Some(ScalarType::Int64Number)),
            (Some("number"), None, Some(ScalarType::Double)),
            (Some("number"), Some("double"), Some(ScalarType::Double)),
            (Some("number"), Some("float"), Some(ScalarType::Float)),
            (Some("boolean"), None, Some(ScalarType::Boolean)),
            (Some("any"), None, Some(ScalarType::Any)),
            (Some("object"), None, None),
            (Some("array"), None, None),
            (Some("null"), None, None),
            (None, Some("int64"), None),
            (None, None, None),
        ];
        for (json_type, format, expected) in rows {
            assert_eq!(scalar(*json_type, *format, url), *expected, "{json_type:?} {format:?}");
        }
    }

    /// A Discovery document: nested schemas and (repeated) parameters are normalised, bytes
    /// are URL-safe, and the text stays as written.
    #[test]
    fn discovery_document() {
        let doc = r#"{
          "name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
          "schemas": {"Thing": {"id": "Thing", "type": "object", "properties": {
            "size": {"type": "string", "format": "int64"},
            "data": {"type": "string", "format": "byte"},
            "when": {"type": "string", "format": "google-datetime"},
            "ttl": {"type": "string", "format": "google-duration"},
            "mask": {"type": "string", "format": "google-fieldmask"},
            "day": {"type": "string", "format": "date"},
            "count": {"type": "integer", "format": "int32"},
            "big": {"type": "string", "format": "uint64"},
            "small": {"type": "integer", "format": "uint32"},
            "ratio": {"type": "number", "format": "double"},
            "weight": {"type": "number", "format": "float"},
            "on": {"type": "boolean"},
            "extra": {"type": "any"},
            "list": {"type": "array", "items": {"type": "string", "format": "int64"}},
            "map": {"type": "object", "additionalProperties": {"type": "string", "format": "byte"}}
          }}},
          "resources": {"things": {"methods": {"list": {
            "id": "svc.things.list", "path": "v1/things", "httpMethod": "GET",
            "parameters": {
              "pageSize": {"type": "integer", "format": "int32", "location": "query"},
              "ids": {"type": "string", "format": "int64", "repeated": true, "location": "query"}
            },
            "response": {"$ref": "Thing"}
          }}}}
        }"#;
        let api = pipeline::build_api(Input { name: "svc.json", text: doc }, None).unwrap();
        let thing = &api.schemas["Thing"];
        let of = |name: &str| thing.property(name).unwrap().scalar;
        assert_eq!(thing.scalar, None);
        assert_eq!(of("size"), Some(ScalarType::Int64));
        assert_eq!(of("data"), Some(ScalarType::Bytes { alphabet: Base64Alphabet::UrlSafe }));
        assert_eq!(of("when"), Some(ScalarType::Timestamp));
        assert_eq!(of("ttl"), Some(ScalarType::Duration));
        assert_eq!(of("mask"), Some(ScalarType::FieldMask));
        assert_eq!(of("day"), Some(ScalarType::Date));
        assert_eq!(of("count"), Some(ScalarType::Int32));
        assert_eq!(of("big"), Some(ScalarType::UInt64));
        assert_eq!(of("small"), Some(ScalarType::UInt32));
        assert_eq!(of("ratio"), Some(ScalarType::Double));
        assert_eq!(of("weight"), Some(ScalarType::Float));
        assert_eq!(of("on"), Some(ScalarType::Boolean));
        assert_eq!(of("extra"), Some(ScalarType::Any));
        assert_eq!(of("list"), None);
        let list = thing.property("list").unwrap();
        assert_eq!(list.items.as_ref().unwrap().scalar, Some(ScalarType::Int64));
        let map = thing.property("map").unwrap();
        assert_eq!(
            map.additional_properties.as_ref().unwrap().scalar,
            Some(ScalarType::Bytes { alphabet: Base64Alphabet::UrlSafe })
        );
        assert_eq!(thing.property("size").unwrap().format.as_deref(), Some("int64"));
        let params = api.methods[0].parameters.as_ref().unwrap();
        assert_eq!(params[0].scalar, Some(ScalarType::Int32));
        assert_eq!((params[1].repeated, params[1].scalar), (true, Some(ScalarType::Int64)));
    }

    /// An OpenAPI 3.0 document not served by Google: standard base64, `integer` 64-bit
    /// numbers, `nullable`; a 3.1 type array with `null` is its one other type, with two
    /// others it is any value; composition members and array parameters' items are normalised.
    #[test]
    fn openapi_documents() {
        let doc = r##"
openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.com/v1"}]
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {type: integer, format: int64}}}
        - {name: X-Trace, in: header, schema: {type: string, format: byte}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
components:
  schemas:
    Pet:
      type: object
      properties:
        id: {type: integer, format: int64}
        wide: {type: integer, format: uint64}
        photo: {type: string, format: byte}
        born: {type: string, format: date-time, nullable: true}
        day: {type: string, format: date}
        bin: {type: string, format: binary}
        tag: {allOf: [{type: string, format: int64}]}
        ratio: {type: number}
"##;
        let (api, _) = pipeline::load_openapi(Input { name: "pets.yaml", text: doc }, None).unwrap();
        let pet = &api.schemas["Pet"];
        let of = |name: &str| pet.property(name).unwrap().scalar;
        assert_eq!(of("id"), Some(ScalarType::Int64Number));
        assert_eq!(of("wide"), Some(ScalarType::Int64Number));
        assert_eq!(of("photo"), Some(ScalarType::Bytes { alphabet: Base64Alphabet::Standard }));
        assert_eq!(of("born"), Some(ScalarType::Timestamp));
        assert!(pet.property("born").unwrap().nullable);
        assert_eq!(of("day"), Some(ScalarType::Date));
        assert_eq!(of("bin"), Some(ScalarType::String));
        assert_eq!(of("tag"), None);
        assert_eq!(pet.property("tag").unwrap().all_of[0].scalar, Some(ScalarType::Int64));
        assert_eq!(of("ratio"), Some(ScalarType::Double));
        let params = api.methods[0].parameters.as_ref().unwrap();
        assert_eq!((params[0].repeated, params[0].scalar), (true, Some(ScalarType::Int64Number)));
        assert_eq!(params[1].scalar, Some(ScalarType::Bytes { alphabet: Base64Alphabet::Standard }));

        let doc = r#"
openapi: 3.1.0
info: {title: Svc, version: "1"}
servers: [{url: "https://svc.googleapis.com/"}]
paths: {}
components:
  schemas:
    T:
      type: object
      properties:
        maybe: {type: [string, "null"], format: byte}
        either: {type: [string, integer]}
        none: {type: ["null"]}
"#;
        let (api, _) = pipeline::load_openapi(Input { name: "svc.yaml", text: doc }, None).unwrap();
        let t = &api.schemas["T"];
        let maybe = t.property("maybe").unwrap();
        assert_eq!(
            (maybe.nullable, maybe.scalar),
            (true, Some(ScalarType::Bytes { alphabet: Base64Alphabet::UrlSafe }))
        );
        assert_eq!(t.property("either").unwrap().scalar, Some(ScalarType::Any));
        assert_eq!(t.property("none").unwrap().scalar, None);
    }
}
