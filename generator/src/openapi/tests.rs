//! The reader on small documents: each construct of OpenAPI 3.0/3.1 as it lands in the IR.

use crate::ir::*;
use crate::pipeline::{load_openapi, Input};

fn api(text: &str) -> Api {
    load_openapi(Input { name: "t.yaml", text }, None).unwrap_or_else(|err| panic!("{err}")).0
}

fn error(text: &str) -> String {
    match load_openapi(Input { name: "t.yaml", text }, None) {
        Ok(_) => panic!("expected an error"),
        Err(err) => err.to_string(),
    }
}

const PETS: &str = r##"
openapi: 3.0.3
info: {title: Swagger Petstore, version: 1.0.0}
servers:
  - url: "https://{region}.pets.example.com/v1"
    variables: {region: {default: eu}}
security: [{oauth: [pets.read]}]
paths:
  /pets/{petId}:
    parameters:
      - $ref: '#/components/parameters/PetId'
      - {name: verbose, in: query, schema: {type: boolean}}
    get:
      operationId: getPet
      tags: [pets]
      parameters:
        - {name: verbose, in: query, required: true, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: tags, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
      responses:
        200:
          $ref: '#/components/responses/Pet'
        default: {description: error}
    put:
      operationId: putPet
      requestBody: {$ref: '#/components/requestBodies/NewPet'}
      responses:
        '204': {description: done}
  /pets:
    post:
      summary: Adds a pet.
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        '201':
          description: made
          content:
            application/problem+json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  parameters:
    PetId: {name: petId, in: path, required: true, schema: {type: string, format: uuid}}
  requestBodies:
    NewPet:
      content:
        application/json: {schema: {$ref: '#/components/schemas/Pet'}}
  responses:
    Pet:
      description: a pet
      content:
        application/json: {schema: {$ref: '#/components/schemas/Pet'}}
  securitySchemes:
    key: {type: apiKey, name: X-Key, in: header}
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes: {pets.read: Read pets, pets.write: Write pets}
  schemas:
    Pet:
      type: object
      required: [name]
      discriminator:
        propertyName: kind
        mapping: {cat: '#/components/schemas/Cat', dog: Dog}
      properties:
        id: {type: integer, format: int64, readOnly: true}
        name: {type: string, nullable: true}
        owner: {$ref: '#/components/schemas/Owner', description: Who feeds it.}
        labels: {type: object, additionalProperties: {type: string}}
        extra: {type: object, additionalProperties: true}
        status: {type: string, enum: [alive, null, alive], default: alive}
        home: {$ref: '#/components/schemas/Owner/properties/address'}
    Cat:
      allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties: {lives: {type: integer}}}]
    Dog:
      oneOf: [{$ref: '#/components/schemas/Pet'}, {type: string}]
      anyOf: [{type: integer}]
    Owner:
      type: object
      properties:
        address: {type: string, description: Street.}
"##;

#[test]
fn schemas_keep_composition_nullability_and_references() {
    let api = api(PETS);
    let names: Vec<&str> = api.schemas.keys().map(String::as_str).collect();
    assert_eq!(names, ["Pet", "Cat", "Dog", "Owner", "PostPetsRequest"]);
    let pet = &api.schemas["Pet"];
    assert_eq!(pet.required, ["name"]);
    let discriminator = pet.discriminator.as_ref().unwrap();
    assert_eq!(discriminator.property_name, "kind");
    assert_eq!(discriminator.mapping, [("cat".to_owned(), "Cat".to_owned()), ("dog".to_owned(), "Dog".to_owned())]);
    let id = pet.property("id").unwrap();
    assert_eq!((id.json_type.as_deref(), id.format.as_deref(), id.read_only), (Some("integer"), Some("int64"), true));
    assert!(pet.property("name").unwrap().nullable);
    let owner = pet.property("owner").unwrap();
    assert_eq!((owner.reference.as_deref(), owner.description.as_deref()), (Some("Owner"), Some("Who feeds it.")));
    assert_eq!(
        pet.property("labels").unwrap().additional_properties.as_ref().unwrap().json_type.as_deref(),
        Some("string")
    );
    assert_eq!(
        pet.property("extra").unwrap().additional_properties.as_ref().unwrap().json_type.as_deref(),
        Some("any")
    );
    let status = pet.property("status").unwrap();
    assert_eq!(status.enum_values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(), ["alive"]);
    assert!(status.nullable, "a null enum value makes the schema nullable, a repeated one counts once");
    assert_eq!(status.default.as_deref(), Some("alive"));
    // A reference into another schema is read in place.
    let home = pet.property("home").unwrap();
    assert_eq!((home.reference.as_deref(), home.description.as_deref()), (None, Some("Street.")));
    let cat = &api.schemas["Cat"];
    assert_eq!(cat.all_of.len(), 2);
    assert_eq!(cat.all_of[0].reference.as_deref(), Some("Pet"));
    assert_eq!(cat.all_of[1].properties[0].name, "lives");
    let dog = &api.schemas["Dog"];
    assert_eq!((dog.one_of.len(), dog.any_of.len()), (2, 1));
}

#[test]
fn operations_merge_path_parameters_and_follow_component_refs() {
    let api = api(PETS);
    let ids: Vec<&str> = api.methods.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["getPet", "putPet", "post /pets"]);
    let get = &api.methods[0];
    assert_eq!((get.http_method, get.path.as_str()), (HttpMethod::Get, "pets/{petId}"));
    assert_eq!((get.resource_path.clone(), get.name.as_str()), (vec!["pets".to_owned()], "getPet"));
    let params = get.parameters.as_ref().unwrap();
    let summary: Vec<(&str, ParamLocation, bool)> =
        params.iter().map(|p| (p.name.as_str(), p.location, p.required)).collect();
    assert_eq!(
        summary,
        [
            ("petId", ParamLocation::Path, true),
            ("verbose", ParamLocation::Query, true),
            ("X-Trace", ParamLocation::Header, false),
            ("tags", ParamLocation::Query, false),
        ],
        "the operation's `verbose` replaces the path item's in place"
    );
    assert_eq!(params[0].format.as_deref(), Some("uuid"));
    assert_eq!(params[1].json_type.as_deref(), Some("string"));
    let tags = &params[3];
    assert!(tags.repeated);
    assert_eq!((tags.json_type.as_deref(), tags.enum_values.len()), (Some("string"), 2));
    assert_eq!(get.parameter_order, ["petId", "verbose"]);
    assert_eq!(get.response.as_deref(), Some("Pet"), "200 through #/components/responses");
    assert_eq!(get.scopes, ["pets.read"], "the document's security applies");
    let put = &api.methods[1];
    assert_eq!((put.request.as_deref(), put.response.as_deref()), (Some("Pet"), None));
    let post = &api.methods[2];
    assert_eq!(post.description.as_deref(), Some("Adds a pet."));
    assert_eq!(post.request.as_deref(), Some("PostPetsRequest"), "inline bodies get a name");
    assert_eq!(api.schemas["PostPetsRequest"].properties[0].name, "name");
    assert_eq!(post.response.as_deref(), Some("Pet"), "first 2XX, a +json media type");
}

#[test]
fn service_comes_from_info_servers_and_security_schemes() {
    let api = api(PETS);
    let service = &api.service;
    assert_eq!((service.name.as_str(), service.version.as_str()), ("swagger-petstore", "1.0.0"));
    assert_eq!(service.base_url, "https://eu.pets.example.com/v1/");
    let scopes: Vec<&str> = service.scopes.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(scopes, ["pets.read", "pets.write"]);
    let kinds: Vec<&SecurityKind> = service.security_schemes.iter().map(|s| &s.kind).collect();
    assert_eq!(
        kinds,
        [
            &SecurityKind::ApiKey { name: "X-Key".into(), location: ParamLocation::Header },
            &SecurityKind::Http { scheme: "bearer".into(), bearer_format: Some("JWT".into()) },
            &SecurityKind::OAuth2 { flows: vec!["clientCredentials".into()] },
        ]
    );
    assert!(api.resources.is_empty(), "no x-stackQL-resources, no StackQL resources");
}

#[test]
fn openapi_3_1_type_arrays_and_json_input() {
    let json = r#"{"openapi": "3.1.0", "info": {"title": "T", "version": "v1"}, "paths": {},
        "components": {"schemas": {"A": {"type": ["string", "null"]}, "B": {"type": ["string", "integer"]}, "C": true}}}"#;
    let api = api(json);
    let a = &api.schemas["A"];
    assert_eq!((a.json_type.as_deref(), a.nullable), (Some("string"), true));
    assert_eq!(api.schemas["B"].json_type.as_deref(), Some("any"));
    assert_eq!(api.schemas["C"].json_type.as_deref(), Some("any"));
}

const STACKQL: &str = r##"
openapi: 3.1.0
info: {title: Widgets, version: v1}
servers: [{url: https://svc.googleapis.com}]
paths:
  /v1/widgets/{widgetsId}:
    parameters: [{$ref: '#/components/parameters/alt'}]
    get:
      operationId: svc.widgets.get
      description: Gets a widget.
      parameters: [{in: path, name: widgetsId, required: true, schema: {type: string}}]
      responses:
        '200': {description: Successful response, content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}
    delete:
      operationId: svc.widgets.delete
      parameters: [{in: path, name: widgetsId, required: true, schema: {type: string}}, {in: query, name: force, schema: {type: boolean}}]
      responses: {'204': {description: No Content}}
  /v1/widgets:
    get:
      operationId: svc.widgets.list
      parameters: [{in: query, name: pageSize, schema: {type: integer, format: int32}}]
      responses:
        '200': {description: Successful response, content: {application/json: {schema: {$ref: '#/components/schemas/ListWidgets'}}}}
components:
  parameters:
    alt: {in: query, name: alt, schema: {type: string}}
  schemas:
    Widget: {id: Widget, type: object, properties: {name: {type: string}}}
    ListWidgets: {id: ListWidgets, type: object, properties: {widgets: {type: array, items: {$ref: '#/components/schemas/Widget'}}, nextPageToken: {type: string}}}
  x-stackQL-resources:
    widgets:
      id: google.svc.widgets
      name: widgets
      methods:
        get:
          operation: {$ref: '#/paths/~1v1~1widgets~1{widgetsId}/get'}
          response: {mediaType: application/json, openAPIDocKey: '200'}
        list:
          operation: {$ref: '#/paths/~1v1~1widgets/get'}
          response: {mediaType: application/json, openAPIDocKey: '200', objectKey: $.widgets}
        delete:
          operation: {$ref: '#/paths/~1v1~1widgets~1{widgetsId}/delete'}
          response: {mediaType: application/json, openAPIDocKey: '200'}
        destroy_all:
          operation: {$ref: '#/paths/~1v1~1widgets~1{widgetsId}/delete'}
      sqlVerbs:
        select: [{$ref: '#/components/x-stackQL-resources/widgets/methods/get'}, {$ref: '#/components/x-stackQL-resources/widgets/methods/list'}]
        delete: [{$ref: '#/components/x-stackQL-resources/widgets/methods/delete'}]
        replace: []
"##;

#[test]
fn stackql_resources_are_read_as_written() {
    let api = api(STACKQL);
    assert_eq!((api.service.provider.as_str(), api.service.stackql_name.as_str()), ("google", "svc"));
    let [widgets] = api.resources.as_slice() else { panic!("one resource") };
    assert_eq!(widgets.id, "google.svc.widgets");
    let names: Vec<(&str, SqlVerb)> = widgets.methods.iter().map(|m| (m.name.as_str(), m.sql_verb)).collect();
    assert_eq!(
        names,
        [
            ("get", SqlVerb::Select),
            ("list", SqlVerb::Select),
            ("delete", SqlVerb::Delete),
            ("destroy_all", SqlVerb::Exec)
        ]
    );
    assert_eq!(widgets.group(SqlVerb::Select), ["get", "list"]);
    let get = widgets.method("get").unwrap();
    assert_eq!(
        (get.path.as_str(), get.http_verb, get.operation_id.as_str()),
        ("/v1/widgets/{widgetsId}", HttpMethod::Get, "svc.widgets.get")
    );
    assert_eq!(get.description, "Gets a widget.");
    let params: Vec<&str> = get.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(params, ["widgetsId"], "path-item parameters (the global `alt`) are not StackQL's");
    assert_eq!(get.response.as_deref(), Some("Widget"));
    let list = widgets.method("list").unwrap();
    assert_eq!(list.object_key.as_deref(), Some("$.widgets"));
    assert_eq!(
        (list.params[0].json_type.as_deref(), list.params[0].format.as_deref()),
        (Some("integer"), Some("int32"))
    );
    let delete = widgets.method("delete").unwrap();
    assert_eq!(delete.response, None, "no 200 response");
    assert!(!delete.params[1].required);
    assert_eq!(api.methods[delete.method].id, "svc.widgets.delete");
    assert_eq!(
        (api.methods[0].resource_path.clone(), api.methods[0].name.as_str()),
        (vec!["widgets".to_owned()], "get")
    );
}

/// StackQL's converter keeps the `+` of a second `{+datasetId}` (see `crate::stackql`); such a
/// provider spec must still be read, with the parameter as it is named.
#[test]
fn a_plus_in_a_path_parameter_name_is_stackqls_and_accepted() {
    let spec = STACKQL
        .replace("/v1/widgets/{widgetsId}", "/v1/widgets/{+widgetsId}")
        .replace("name: widgetsId", "name: +widgetsId");
    let spec = spec.replace("~1v1~1widgets~1{widgetsId}", "~1v1~1widgets~1{+widgetsId}");
    let api = api(&spec);
    let get = api.resources[0].method("get").unwrap();
    assert_eq!((get.path.as_str(), get.params[0].name.as_str()), ("/v1/widgets/{+widgetsId}", "+widgetsId"));
}

#[test]
fn refusals_name_the_place() {
    assert_eq!(
        error(r#"{"swagger": "2.0", "info": {}}"#),
        "t.yaml: #/swagger: this is a Swagger 2.0 document; only OpenAPI 3.0 and 3.1 are read (convert it first, e.g. with swagger2openapi)"
    );
    assert_eq!(
        error("openapi: 4.0.0\n"),
        "t.yaml: #/openapi: OpenAPI version 4.0.0 is not supported (3.0 and 3.1 are)"
    );
    let bad_param = STACKQL.replace("{in: query, name: force, schema", "{in: body, name: force, schema");
    assert_eq!(
        error(&bad_param),
        "t.yaml: #/paths/~1v1~1widgets~1{widgetsId}/delete/parameters/1/in: unknown parameter location \"body\""
    );
    let bad_name = STACKQL.replace("name: pageSize", "name: 'page{size}'");
    assert_eq!(
        error(&bad_name),
        "t.yaml: #/paths/~1v1~1widgets/get/parameters/0/name: \"page{size}\" is not a parameter name: only letters, digits, `_`, `-`, `.`, `$` and `+`"
    );
    let bad_method = STACKQL.replace("        destroy_all:", "        'destroy all':");
    assert_eq!(
        error(&bad_method),
        "t.yaml: #/components/x-stackQL-resources/widgets/methods/destroy all: \"destroy all\" is not a method name"
    );
    let dangling =
        STACKQL.replace("items: {$ref: '#/components/schemas/Widget'}", "items: {$ref: '#/components/schemas/Gone'}");
    assert_eq!(
        error(&dangling),
        "t.yaml: #/components/schemas/ListWidgets/properties/widgets/items/$ref: $ref \"#/components/schemas/Gone\" names no schema"
    );
    let no_param = STACKQL
        .replace("parameters: [{in: query, name: pageSize", "parameters: [{in: query, name: pagesize")
        .replace("/v1/widgets:", "/v1/{parent}/widgets:");
    assert_eq!(
        error(&no_param),
        "t.yaml: #/paths/~1v1~1{parent}~1widgets/get: path placeholder {parent} in \"/v1/{parent}/widgets\" has no path parameter"
    );
    let bad_verb_ref = STACKQL.replace("methods/delete'}]", "methods/remove'}]");
    assert_eq!(
        error(&bad_verb_ref),
        "t.yaml: #/components/x-stackQL-resources/widgets/sqlVerbs/delete/0/$ref: $ref \"#/components/x-stackQL-resources/widgets/methods/remove\" names no method of resource \"widgets\""
    );
    let bad_operation = STACKQL.replace("'#/paths/~1v1~1widgets/get'", "'#/paths/~1v1~1gadgets/get'");
    assert_eq!(
        error(&bad_operation),
        "t.yaml: #/components/x-stackQL-resources/widgets/methods/list/operation/$ref: $ref \"#/paths/~1v1~1gadgets/get\" names no operation"
    );
    let external = PETS.replace("$ref: '#/components/responses/Pet'", "$ref: 'other.yaml#/Pet'");
    assert_eq!(
        error(&external),
        "t.yaml: #/paths/~1pets~1{petId}/get/responses/200/$ref: $ref \"other.yaml#/Pet\" points outside the document, which is not supported"
    );
    let wrong_type = PETS.replace("readOnly: true}", "readOnly: yes please}");
    assert_eq!(
        error(&wrong_type),
        "t.yaml: #/components/schemas/Pet/properties/id/readOnly: expected true or false, found a string"
    );
}

/// A query parameter's name is only sent on the wire (the Rust setter gets an identifier made
/// from it), so JSON:API-style and other punctuated names are read as written; path
/// parameters, header names and empty names are still refused, naming the place.
#[test]
fn query_parameter_names_are_wire_names() {
    let names = ["page[size]", "ids[]", "filter.name", "start:gte", "StartTime<", "@id"];
    let list: Vec<String> =
        names.iter().map(|n| format!("{{name: '{n}', in: query, schema: {{type: string}}}}")).collect();
    let spec = PETS.replace(
        "        - {name: X-Trace, in: header, schema: {type: string}}\n",
        &format!(
            "        - {{name: X-Trace, in: header, schema: {{type: string}}}}\n        - {}\n",
            list.join("\n        - ")
        ),
    );
    let api = api(&spec);
    let read: Vec<&str> = api.methods[0].parameters.iter().flatten().map(|p| p.name.as_str()).collect();
    for name in names {
        assert!(read.contains(&name), "{name} missing from {read:?}");
    }
    let at = "t.yaml: #/paths/~1pets~1{petId}/get/parameters/1/name";
    assert_eq!(
        error(&PETS.replace("name: X-Trace, in: header", "name: 'X Trace', in: header")),
        format!("{at}: \"X Trace\" is not a parameter name: a header name is an HTTP token (RFC 9110)")
    );
    assert_eq!(
        error(&PETS.replace("name: X-Trace, in: header", "name: '', in: header")),
        format!("{at}: \"\" is not a parameter name: empty")
    );
    let path = PETS
        .replace("/pets/{petId}:", "/pets/{pet[id]}:")
        .replace("name: petId, in: path", "name: 'pet[id]', in: path");
    assert_eq!(
        error(&path),
        "t.yaml: #/components/parameters/PetId/name: \"pet[id]\" is not a parameter name: only letters, digits, `_`, `-`, `.`, `$` and `+`"
    );
}

/// Real documents write `{` in a `$ref` to a path as `%7B` (a fragment is URI-encoded), put
/// extensions beside the paths, and give a pattern as a number; an API key in a cookie and a
/// discriminator mapping into another file are left out with a warning instead of refusing
/// the document.
#[test]
fn encoded_refs_path_extensions_numeric_patterns_and_cookie_keys() {
    let spec = PETS
        .replace("$ref: '#/components/responses/Pet'", "$ref: '#/paths/~1pets~1%7BpetId%7D/put/responses/204'")
        .replace("paths:\n", "paths:\n  x-codegen-contextRoot: /api\n")
        .replace(
            "address: {type: string, description: Street.}",
            "address: {type: string, description: Street., pattern: 1234}",
        )
        .replace(
            "key: {type: apiKey, name: X-Key, in: header}",
            "key: {type: apiKey, name: X-Key, in: header}\n    sid: {type: apiKey, name: sid, in: cookie}",
        );
    let api = api(&spec);
    assert_eq!(api.methods.len(), 3, "the x- key is not a path");
    assert_eq!(api.methods[0].response, None, "the 204 it points to has no content");
    assert_eq!(api.schemas["Owner"].properties[0].schema.pattern.as_deref(), Some("1234"));
    assert_eq!(api.service.security_schemes.len(), 3, "the cookie key is left out");
    assert_eq!(
        api.warnings,
        ["t.yaml: #/components/securitySchemes/sid/in: API key \"sid\" in a cookie is left out (send it with a `Cookie` header)"]
    );
    let external = spec.replace("dog: Dog}", "dog: Dog, fish: 'models/fish.yml#/Fish'}");
    let read = load_openapi(Input { name: "t.yaml", text: &external }, None).map(|(api, _)| api);
    let read = read.unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(read.schemas["Pet"].discriminator.as_ref().map(|d| d.mapping.len()), Some(2));
    assert_eq!(
        read.warnings[0],
        "t.yaml: #/components/schemas/Pet/discriminator/mapping/fish: discriminator value \"fish\" maps to \"models/fish.yml#/Fish\", outside the document: left out"
    );
    let dangling = PETS.replace("$ref: '#/components/responses/Pet'", "$ref: '#/paths/~1pets~1%7Bgone%7D/put'");
    assert_eq!(
        error(&dangling),
        "t.yaml: #/paths/~1pets~1{petId}/get/responses/200/$ref: $ref \"#/paths/~1pets~1%7Bgone%7D/put\" names nothing in the document"
    );
    let query = PETS.replace("  /pets:\n", "  /pets?limit={limit}:\n");
    assert_eq!(
        error(&query),
        "t.yaml: #/paths/~1pets?limit={limit}: path \"/pets?limit={limit}\" has a query string; OpenAPI puts query parameters in `parameters`"
    );
}

/// A schema outside `components.schemas` that refers to itself (codat's `definitions`) gets a
/// name, so the loop is a reference like one between components; every use refers to it.
#[test]
fn a_recursive_schema_outside_the_components_is_named() {
    let spec = PETS.replace(
        "        address: {type: string, description: Street.}",
        "        address: {type: string, description: Street.}\n      definitions:\n        part:\n          type: object\n          properties:\n            parts: {type: array, items: {$ref: '#/components/schemas/Owner/definitions/part'}}\n        tree: {type: object, properties: {root: {$ref: '#/components/schemas/Owner/definitions/part'}, other: {$ref: '#/components/schemas/Owner/definitions/part'}}}",
    )
    .replace("home: {$ref: '#/components/schemas/Owner/properties/address'}", "home: {$ref: '#/components/schemas/Owner/definitions/tree'}");
    let api = api(&spec);
    let part = &api.schemas["Part"];
    let items = part.properties[0].schema.items.as_ref().unwrap();
    assert_eq!(items.reference.as_deref(), Some("Part"));
    let tree = &api.schemas["Pet"].properties.iter().find(|p| p.name == "home").unwrap().schema;
    let refs: Vec<Option<&str>> = tree.properties.iter().map(|p| p.schema.reference.as_deref()).collect();
    assert_eq!(refs, [Some("Part"), Some("Part")]);
    let client = crate::rust::render(&api, &crate::pipeline::client_config(&api, &Default::default()));
    assert!(client.is_ok(), "{:?}", client.err());
}

/// TRACE is read as TRACE. The runtime cannot send it, so the client leaves the operation out
/// instead of sending OPTIONS, as it once did; the rest of the API is generated.
#[test]
fn a_trace_operation_is_trace_and_left_out_of_the_client() {
    let spec = r#"
openapi: 3.0.3
info: {title: Echo, version: 1.0.0}
paths:
  /echo:
    get:
      operationId: getEcho
      responses: {'200': {description: ok}}
    trace:
      operationId: traceEcho
      responses: {'200': {description: ok}}
"#;
    let api = api(spec);
    let verbs: Vec<HttpMethod> = api.methods.iter().map(|m| m.http_method).collect();
    assert_eq!(verbs, [HttpMethod::Get, HttpMethod::Trace]);
    let client = crate::rust::render(&api, &crate::pipeline::client_config(&api, &Default::default())).unwrap();
    let sources: String = client.iter().map(|file| file.contents.as_str()).collect();
    assert!(sources.contains("Method::Get") && sources.contains("getEcho"), "{sources}");
    assert!(!sources.contains("traceEcho") && !sources.contains("Method::Options"), "{sources}");
}

/// The fast path (YAML straight into JSON) reads what the general path (serde_yaml_ng's own
/// values, merge keys applied) reads: numeric response keys, anchors, every scalar kind.
#[test]
fn yaml_is_read_the_same_straight_into_json() {
    let text = "openapi: 3.0.3\n\
        info: {title: T, version: '1'}\n\
        paths:\n  /a:\n    get:\n      responses:\n        200: &ok {description: fine}\n        '404': *ok\n\
        x-scalars: [1, -2, 3.5, 1e3, .inf, 0x1F, 007, '007', true, False, ~, null, '', \"a: b\", yes, +1]\n\
        x-nested: {k: [ {deep: 1} ], empty: {}, list: []}\n";
    let general = {
        let mut yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).unwrap();
        yaml.apply_merge().unwrap();
        super::yaml_to_json(yaml)
    };
    let read = super::parse("t.yaml", text).unwrap();
    assert_eq!(read, general);
    assert_eq!(read["paths"]["/a"]["get"]["responses"]["404"]["description"], "fine");
    // Merge keys take the general path, which applies them; `<<` in prose does not.
    let merged = super::parse("m.yaml", "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n").unwrap();
    assert_eq!(merged["m"], serde_json::json!({"x": 1, "y": 2}));
    let flow = super::parse("f.yaml", "base: &b {x: 1}\nm: {'<<' : *b, y: 2}\n").unwrap();
    assert_eq!(flow["m"], serde_json::json!({"x": 1, "y": 2}));
    assert!(super::has_merge_key("a:\n  <<  : *b\n") && super::has_merge_key("m: {\"<<\": *b}"));
    assert!(!super::has_merge_key("description: (red << 16) | (green << 8)\n"));
}

/// What serde_yaml_ng reads from `text` (the general path, without merge keys).
fn general_yaml(text: &str) -> Option<serde_json::Value> {
    serde_yaml_ng::from_str(text).ok()
}

#[test]
fn the_block_yaml_reader_reads_every_construct_as_serde_yaml_ng_does() {
    let handled = [
        "a: 1\nb: -7\nc: 0\nd: 18446744073709551615\ne: -9223372036854775808\n",
        "t: true\nf: False\nn: null\nn2: ~\nempty:\ns: 'x'\nwords: yes no on off y\n",
        "v: 3.0.0\nd: 2024-01-01\nneg: -foo\nplus: +foo\ninf: inf\nnan: nan\nver: v1.2\n",
        "k: value # a comment\nhash: a#b\nurl: http://x.example/a:b\n'200': ok\n\"q k\": 1\n",
        "list:\n  - a\n  - 'b'\n  -   c\nsame:\n- x\n- y\nafter: 1\n",
        "items:\n  - name: a\n    in: query\n  - name: b\n    nested:\n      - 1\n      - - 2\n        - 3\n  -\n    late: 1\n",
        "e1: []\ne2: {}\nq: 'it''s'\ndq: \"tab\\there \\\"x\\\" \\u00e9 \\x41 \\\\ \\/\"\n",
        "f: >-\n  folded\n  line\n\n  next\n    spaced\n  last\ng: >\n  clip\n\n\nh: |\n  literal\n    kept\n\n  end\n\n\ni: |+\n  keep\n\n\nj: |-\n  strip\n",
        "f2: >\n\n  leading\n  text\n\n\n    spaced\n\n  back\nk: 1\n",
        "sq: 'one\n  two\n\n  three  \n  four'\ndq: \"a  \\\n  b\\n\n  c \"\n",
        "seq:\n  - >-\n    folded in\n    a sequence\n  - |\n    lit\n# comment at column 0\nz: 2\n",
        "---\nstart: 1\n",
        "empty: >-\nclip: |\n\nb: 1\n",
        "deep:\n  - a: 1\n    b:\n      c: [] # empty\n    d: '#not a comment'\n",
        "a: &x 1\nb: *x # again\nl: &list\n  - p: 1\nm: *list\nseq:\n  - *list\n  - &s 'q'\n  - *s\n",
    ];
    for text in handled {
        let fast = super::block_yaml::parse(text);
        assert!(fast.is_some(), "the block reader declined:\n{text}");
        assert_eq!(fast, general_yaml(text), "differs from serde_yaml_ng on:\n{text}");
        assert_halves_agree(text, fast.as_ref());
    }
    // Aliases that would copy more nodes than the document has lines ("billion laughs").
    let mut laughs = String::from("l0: &l0\n  - x\n  - x\n");
    for level in 1..12 {
        laughs.push_str(&format!("l{level}: &l{level}\n  - *l{}\n  - *l{}\n", level - 1, level - 1));
    }
    // Outside the subset (or malformed): declined, for serde_yaml_ng to read or to refuse.
    let declined: [&str; 24] = [
        "b: *undefined\n",
        &laughs,
        "a: !tag 1\n",
        "a: [1, 2]\n",
        "a: {b: 1}\n",
        "a: 1.5\n",
        "a: 0x1F\n",
        "a: 012\n",
        "a: .inf\n",
        "a: +5\n",
        "a:\tb\n",
        "a: multi\n  line plain\n",
        "a: b: c\n",
        "a: - b\n",
        "a: 1\na: 2\n",
        "a: 1\r\n",
        "a: 'unclosed\n",
        "? complex\n: key\n",
        "<<: {x: 1}\n",
        "a: 1\n---\nb: 2\n",
        "  indented: 1\n",
        "a:\n  b: 1\n c: 2\n",
        "a: |2\n   x\n",
        "a: 99999999999999999999\n",
    ];
    for text in declined {
        assert_eq!(super::block_yaml::parse(text), None, "the block reader should decline:\n{text}");
        assert_halves_agree(text, None);
    }
    // Read in halves: an alias across them, a name anchored in both, a key in both, a budget
    // spent by both together.
    let across = [
        ("a: &x 1\nb: 2\nc: *x\nd: 4\n", true),
        ("a: &x 1\nb: 2\nc: &x 3\nd: 4\n", false),
        ("a: 1\nb: 2\na: 3\nd: 4\n", false),
        ("a: 1\nb:\n- x\nc: |\n  t\n\nd: 'q\n  r'\ne: 5\n", true),
    ];
    for (text, read) in across {
        let fast = super::block_yaml::parse(text);
        assert_eq!(fast.is_some(), read, "{text}");
        assert_halves_agree(text, fast.as_ref());
    }
    let mut spent = String::from("l0: &l0\n  - x\n  - x\nl1: &l1\n  - *l0\n  - *l0\n");
    spent.push_str(&"p: 1\n".repeat(4));
    spent.push_str("m1: *l1\nm2: *l1\nm3: *l1\n");
    assert_halves_agree(&spent, super::block_yaml::parse(&spent).as_ref());
}

/// Where the halves reader answers (documents of any size here, not only the big ones it is
/// used for), it answers what one reader does.
fn assert_halves_agree(text: &str, whole: Option<&serde_json::Value>) {
    if let Some(halves) = super::block_yaml::parse_halves(text) {
        assert_eq!(Some(&halves), whole, "the halves differ from the whole on:\n{text}");
    }
}

#[test]
fn the_block_yaml_reader_reads_every_yaml_file_of_the_repository_as_serde_yaml_ng_does() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["specs", "tests", "xtask", "generator"] {
        collect_yaml(&root.join(dir), &mut files);
    }
    assert!(files.len() > 10, "found {} YAML files", files.len());
    let mut read = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let Some(fast) = super::block_yaml::parse(&text) else { continue };
        read += 1;
        assert_halves_agree(&text, Some(&fast));
        assert_eq!(Some(fast), general_yaml(&text), "{} differs from serde_yaml_ng", file.display());
    }
    // StackQL's provider specs, the reason it exists, are read by it whole.
    for spec in [
        "stackql-0.7/aiplatform.yaml",
        "stackql-0.7/storage.yaml",
        "stackql-0.7/pubsub.yaml",
        "stackql/aiplatform.yaml",
    ] {
        let text = std::fs::read_to_string(root.join("specs").join(spec)).unwrap();
        assert!(super::block_yaml::parse(&text).is_some(), "the block reader declined specs/{spec}");
        assert!(super::block_yaml::parse_halves(&text).is_some(), "the halves reader declined specs/{spec}");
    }
    assert!(read * 2 > files.len(), "read {read} of {} YAML files", files.len());
}

fn collect_yaml(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && !path.ends_with("node_modules") && !path.ends_with("target") {
            collect_yaml(&path, files);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
}

/// A small deterministic generator (xorshift) for the random documents below.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Random YAML in the shapes dumpers write and around them: nested mappings and sequences
/// (compact or not), scalars of every style, comments, blank lines, anchors and aliases, and
/// now and then a broken character.
fn random_yaml(random: &mut Random) -> String {
    fn scalar(random: &mut Random, indent: usize) -> String {
        let pad = " ".repeat(indent + 2);
        match random.below(9) {
            0 => random
                .pick(&[
                    "plain",
                    "two words",
                    "1",
                    "-7",
                    "0",
                    "012",
                    "1.5",
                    "true",
                    "null",
                    "~",
                    "yes",
                    "v1.2",
                    "a#b",
                    "a #c",
                    "http://x:y",
                    "-x",
                    "+1",
                    "''",
                    "[]",
                    "{}",
                ])
                .to_owned(),
            1 => format!(
                "'{}'",
                random.pick(&["it''s", "a: b", "#x", "", " lead", "multi\n{pad}line"]).replace("{pad}", &pad)
            ),
            2 => format!(
                "\"{}\"",
                random
                    .pick(&[
                        "esc \\\" \\\\ \\n \\t \\u00e9",
                        "a: b",
                        "",
                        "line\n{pad}next",
                        "cont \\\n{pad}inued",
                        "\\x41\\/"
                    ])
                    .replace("{pad}", &pad)
            ),
            3 | 4 => {
                let header = random.pick(&[">-", ">", "|", "|-", "|+", ">+"]);
                let mut text = format!("{header}\n");
                for _ in 0..1 + random.below(4) {
                    match random.below(5) {
                        0 => text.push('\n'),
                        1 => text.push_str(&format!("{pad}  more indented\n")),
                        _ => text.push_str(&format!(
                            "{pad}{}\n",
                            random.pick(&["text", "a: b", "# not a comment", "x {y}", "end."])
                        )),
                    }
                }
                text.pop();
                text
            }
            5 => "*anchor".to_owned(),
            _ => {
                random.pick(&["word", "Some text here.", "$ref", "'#/components/x'", "2024-01-01", "3.0.0"]).to_owned()
            }
        }
    }
    fn node(random: &mut Random, indent: usize, depth: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        let step = 1 + random.below(3);
        let entries = 1 + random.below(4);
        let sequence = random.below(3) == 0;
        for n in 0..entries {
            if random.below(8) == 0 {
                out.push_str(if random.below(2) == 0 { "\n" } else { "  # a comment\n" });
            }
            let lead = if sequence {
                format!("{pad}- ")
            } else {
                format!("{pad}{}{n}: ", random.pick(&["key", "'q k'", "200", "$ref", "a-b"]))
            };
            out.push_str(&lead);
            let anchor = random.below(10) == 0;
            if anchor {
                out.push_str("&anchor ");
            }
            if depth < 4 && random.below(3) == 0 {
                if sequence && !anchor && random.below(2) == 0 {
                    // A compact mapping on the entry's line.
                    out.push_str("inner: 1\n");
                    out.push_str(&format!("{pad}  other: {}\n", scalar(random, indent + 2)));
                } else {
                    out.push('\n');
                    let same = !sequence && random.below(4) == 0;
                    node(random, if same { indent } else { indent + step }, depth + 1, out);
                }
            } else {
                out.push_str(&scalar(random, indent));
                out.push('\n');
            }
        }
        let _ = sequence;
    }
    let mut out = String::new();
    node(random, 0, 0, &mut out);
    // Now and then a character, a line or trailing spaces more or less.
    for _ in 0..random.below(3) {
        let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
        if lines.is_empty() {
            break;
        }
        let line = random.below(lines.len());
        match random.below(4) {
            0 => {
                let at = random.below(lines[line].len() + 1);
                let c = random.pick(&[
                    " ", ":", "#", "'", "\"", "-", "|", ">", "&", "*", "!", "[", "{", "?", ",", "%", "\\", "  ",
                ]);
                if lines[line].is_char_boundary(at) {
                    lines[line].insert_str(at, c);
                }
            }
            1 => {
                let copy = lines[line].clone();
                lines.insert(line, copy);
            }
            2 => {
                lines.remove(line);
            }
            _ => lines[line].push_str("  "),
        }
        out = lines.join("\n") + "\n";
    }
    out
}

/// 4 000 random documents by default; `SEED=n CASES=100000 cargo test --release -p discogen
/// random_documents` searches further (600 000 documents of six seeds found no difference).
#[test]
fn the_block_yaml_reader_agrees_with_serde_yaml_ng_on_random_documents() {
    let mut random = Random(std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x9e37_79b9_7f4a_7c15));
    let (mut read, mut general, mut halves) = (0, 0, 0);
    for _ in 0..std::env::var("CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(4000) {
        let text = random_yaml(&mut random);
        let expected = general_yaml(&text);
        general += usize::from(expected.is_some());
        let fast = super::block_yaml::parse(&text);
        if let Some(fast) = &fast {
            read += 1;
            assert_eq!(Some(fast), expected.as_ref(), "differs from serde_yaml_ng on:\n{text}");
        }
        halves += usize::from(super::block_yaml::parse_halves(&text).is_some());
        assert_halves_agree(&text, fast.as_ref());
    }
    eprintln!("{halves} read in halves");
    // A random document has a key at column 0 to cut at about a fourth of the time.
    assert!(halves * 6 > read, "read {halves} of {read} documents in halves");
    // Most documents serde_yaml_ng reads are in the subset; the test would prove little otherwise.
    eprintln!("read {read} of the {general}");
    assert!(read * 3 > general * 2, "read {read} of the {general} documents serde_yaml_ng reads");
}

/// A node's pointer is found from where its value is in the document, only for a message:
/// the place of an earlier node kept for a later error (a repeated operationId), and the
/// start of a `$ref` chain that loops.
#[test]
fn pointers_found_for_messages_name_where_the_value_is() {
    assert_eq!(
        error(&PETS.replace("operationId: putPet", "operationId: getPet")),
        "t.yaml: #/paths/~1pets~1{petId}/put: operationId \"getPet\" is also used by #/paths/~1pets~1{petId}/get"
    );
    let looping = PETS.replace(
        "    Pet:\n      description: a pet\n      content:\n        application/json: {schema: {$ref: '#/components/schemas/Pet'}}",
        "    Pet: {$ref: '#/components/responses/Pet'}",
    );
    assert_ne!(looping, PETS);
    assert_eq!(
        error(&looping),
        "t.yaml: #/paths/~1pets~1{petId}/get/responses/200: more than 64 $refs in a row (a reference loop?)"
    );
}
