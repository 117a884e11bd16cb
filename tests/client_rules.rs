//! Client-crate rules that follow from the document alone (no configuration).

use discogen::pipeline::{self, Input};
use serde_json::{json, Value};

/// A service with `counts[i]` GET methods on resource `r{i}`.
fn service(counts: &[usize]) -> Value {
    let mut resources = serde_json::Map::new();
    for (i, count) in counts.iter().enumerate() {
        let methods: serde_json::Map<String, Value> = (0..*count)
            .map(|m| {
                let id = format!("svc.r{i}.m{m}");
                (format!("m{m}"), json!({"id": id, "httpMethod": "GET", "path": format!("v1/r{i}/m{m}")}))
            })
            .collect();
        resources.insert(format!("r{i}"), json!({ "methods": methods }));
    }
    json!({"name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
           "resources": resources})
}

fn cargo_toml(doc: &Value) -> String {
    let text = doc.to_string();
    let files = pipeline::client(Input { name: "svc.json", text: &text }, None).expect("client generates");
    files.into_iter().find(|f| f.path == "Cargo.toml").expect("Cargo.toml").contents
}

#[test]
fn big_apis_without_a_config_get_a_feature_per_resource_and_the_largest_by_default() {
    let limit = discogen::config::FEATURES_ABOVE_METHODS;
    let toml = cargo_toml(&service(&[limit / 3, limit / 2, limit / 2, limit / 3]));
    assert!(toml.contains("default = [\"rustls-ring\", \"r1\"]"), "{toml}");
    for feature in ["r0", "r1", "r2", "r3"] {
        assert!(toml.contains(&format!("\n{feature} = []")), "{feature}: {toml}");
        assert!(toml.contains(&format!("    \"{feature}\",")), "full has {feature}: {toml}");
    }
}

#[test]
fn a_resource_behind_a_feature_has_a_stand_in_naming_it_for_when_it_is_off() {
    let limit = discogen::config::FEATURES_ABOVE_METHODS;
    let text = service(&[limit / 2, limit / 2, 1]).to_string();
    let files = pipeline::client(Input { name: "svc.json", text: &text }, None).expect("client generates");
    let lib: String =
        files.iter().find(|f| f.path == "src/lib.rs").expect("lib.rs").contents.split_whitespace().collect();
    for (accessor, feature) in [("r0", "r0"), ("r1", "r1"), ("r2", "r2")] {
        let stand_in = format!(
            "feature_off!({accessor},\"{feature}\",\"compiledout:enablethecargofeature`{feature}`ofgoogle-svc-v1\");"
        );
        assert!(lib.contains(&stand_in), "{stand_in}: {lib}");
    }
}

#[test]
fn small_apis_without_a_config_compile_whole() {
    let limit = discogen::config::FEATURES_ABOVE_METHODS;
    let toml = cargo_toml(&service(&[limit / 2, limit / 2]));
    assert!(toml.contains("default = [\"rustls-ring\"]"), "TLS only: {toml}");
    assert!(!toml.contains("full = ["), "{toml}");
}

#[test]
fn resources_named_like_the_crates_own_modules_get_a_suffix() {
    // `scopes` is the generated scopes module, `credentials` the runtime's with `adc`.
    let mut doc = service(&[1, 1]);
    let resources = doc["resources"].as_object_mut().expect("resources");
    let (first, second) = (resources.remove("r0").unwrap(), resources.remove("r1").unwrap());
    resources.insert("credentials".to_owned(), first);
    resources.insert("scopes".to_owned(), second);
    let text = doc.to_string();
    let files = pipeline::client(Input { name: "svc.json", text: &text }, None).expect("client generates");
    let lib = &files.iter().find(|f| f.path == "src/lib.rs").expect("lib.rs").contents;
    assert!(lib.contains("pub mod credentials_resource;") && lib.contains("pub mod scopes_resource;"), "{lib}");
    assert!(lib.contains("pub use discogen_runtime::auth::credentials;"));
}

/// Methods covering the AIP-155 request id rule: which get a slot, and which do not.
fn request_id_service() -> Value {
    let string_id = json!({"type": "string", "location": "query", "description": "A request ID."});
    let method = |verb: &str, params: Value, request: Option<&str>| {
        let mut method = json!({"httpMethod": verb, "path": "v1/things", "parameters": params});
        if let Some(schema) = request {
            method["request"] = json!({"$ref": schema});
        }
        method
    };
    let mut methods = serde_json::Map::new();
    for (name, verb, params, request) in [
        ("insert", "POST", json!({"requestId": string_id}), Some("Thing")),
        ("patch", "PATCH", json!({"requestId": string_id}), Some("ThingWithId")),
        ("create", "POST", json!({}), Some("ThingWithId")),
        ("createAlias", "POST", json!({}), Some("Alias")),
        ("get", "GET", json!({"requestId": string_id}), None),
        ("delete", "DELETE", json!({"requestId": string_id}), None),
        ("numbered", "POST", json!({"requestId": {"type": "integer", "location": "query"}}), Some("Thing")),
        ("repeated", "POST", json!({"requestId": {"type": "string", "location": "query", "repeated": true}}), None),
        ("nested", "POST", json!({}), Some("Wrapper")),
        ("plain", "POST", json!({}), Some("Thing")),
    ] {
        let mut entry = method(verb, params, request);
        entry["id"] = json!(format!("svc.things.{name}"));
        methods.insert(name.to_owned(), entry);
    }
    json!({"name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
           "schemas": {
               "Thing": {"id": "Thing", "type": "object", "properties": {"name": {"type": "string"}}},
               "ThingWithId": {"id": "ThingWithId", "type": "object",
                               "properties": {"name": {"type": "string"}, "requestId": {"type": "string"}}},
               "Alias": {"$ref": "ThingWithId"},
               "Wrapper": {"id": "Wrapper", "type": "object", "properties": {"inner": {"$ref": "ThingWithId"}}},
           },
           "resources": {"things": {"methods": methods}}})
}

#[test]
fn request_ids_come_from_a_string_query_parameter_or_body_field_of_post_and_patch() {
    use discogen::ir::RequestIdSlot;
    let text = request_id_service().to_string();
    let api = pipeline::build_api(Input { name: "svc.json", text: &text }, None).expect("builds");
    let slots: Vec<(&str, Option<RequestIdSlot>)> =
        api.methods.iter().map(|m| (m.name.as_str(), m.request_id.clone())).collect();
    let query = || Some(RequestIdSlot::Query("requestId".into()));
    let body = || Some(RequestIdSlot::BodyField("requestId".into()));
    assert_eq!(
        slots,
        [
            ("insert", query()),
            // The query parameter wins over the body field.
            ("patch", query()),
            ("create", body()),
            ("createAlias", body()),
            ("get", None),
            ("delete", None),
            ("numbered", None),
            ("repeated", None),
            ("nested", None),
            ("plain", None),
        ]
    );

    let files = pipeline::client(Input { name: "svc.json", text: &text }, None).expect("client generates");
    let code: String = files.iter().filter(|f| f.path.ends_with(".rs")).map(|f| f.contents.as_str()).collect();
    assert_eq!(code.matches(".request_id_query(\"requestId\", self.request_id.as_ref())").count(), 2, "{code}");
    assert_eq!(code.matches("request.json_with_request_id(&self.body, \"requestId\")?").count(), 2, "{code}");
    assert_eq!(code.matches(".query_opt(\"requestId\"").count(), 3, "get, delete, numbered send it as given: {code}");
}

/// A service with one method whose path has a simple and a reserved expansion, a `format: byte`
/// query parameter and request body field (list and map too).
fn bytes_and_paths_service() -> Value {
    json!({"name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
           "schemas": {"Blob": {"id": "Blob", "type": "object", "properties": {
               "raw": {"type": "string", "format": "byte", "description": "The message, base64url encoded."},
               "parts": {"type": "array", "items": {"type": "string", "format": "byte"}},
               "named": {"type": "object", "additionalProperties": {"type": "string", "format": "byte"}},
               "text": {"type": "string"}}}},
           "resources": {"blobs": {"methods": {"send": {
               "id": "svc.blobs.send", "httpMethod": "POST", "path": "v1/{+parent}/blobs/{blob}:send",
               "parameterOrder": ["parent", "blob"],
               "parameters": {
                   "parent": {"type": "string", "location": "path", "required": true},
                   "blob": {"type": "string", "location": "path", "required": true},
                   "checksum": {"type": "string", "format": "byte", "location": "query"}},
               "request": {"$ref": "Blob"}, "response": {"$ref": "Blob"}}}}}})
}

fn generated_sources(doc: &Value) -> String {
    let text = doc.to_string();
    let files = pipeline::client(Input { name: "svc.json", text: &text }, None).expect("client generates");
    files.into_iter().filter(|f| f.path.ends_with(".rs")).map(|f| f.contents).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_bytes_field_and_parameter_says_how_the_client_encodes_it() {
    let sources = generated_sources(&bytes_and_paths_service());
    let said = "Raw bytes: the client sends them as URL-safe base64 with padding";
    // `raw`, `parts`, `named` and the `checksum` setter; not `text`.
    assert_eq!(sources.matches(said).count(), 4, "{sources}");
    let raw = sources.find("pub raw:").expect("raw field");
    assert!(sources[..raw].rfind(said).is_some_and(|at| raw - at < 300), "{sources}");
    // Discovery's bytes are `Bytes` (URL-safe); OpenAPI's standard-alphabet type is not used.
    assert!(sources.contains("pub raw: Option<discogen_runtime::wkt::Bytes>,"), "{sources}");
    assert!(!sources.contains("discogen_runtime::wkt::StandardBytes") && !sources.contains("as standard base64"));
}

#[test]
fn request_paths_are_expanded_by_the_runtime_from_the_uri_template() {
    // The runtime encodes each expression by its operator and refuses dot segments naming the
    // parameter: the generated code hands it the template, not a path of its own making.
    let sources = generated_sources(&bytes_and_paths_service());
    let compact: String = sources.split_whitespace().collect();
    assert!(
        compact.contains(
            r#"Request::from_template(Method::Post,"v1/{+parent}/blobs/{blob}:send",&[&self.parent,&self.blob],)"#
        ),
        "{sources}"
    );
    assert!(!sources.contains("format!("), "{sources}");
}

/// A service whose four list methods page differently: a plain list, a list beside an AIP-217
/// `unreachable` list, BigQuery's `pageToken` beside two lists, and Compute's aggregated map.
fn paging_service() -> Value {
    let string_list = json!({"type": "array", "items": {"type": "string"}});
    let widget_list = json!({"type": "array", "items": {"$ref": "Widget"}});
    let list = |name: &str, response: &str| {
        json!({"id": format!("svc.widgets.{name}"), "httpMethod": "GET", "path": format!("v1/widgets:{name}"),
               "parameters": {"pageToken": {"type": "string", "location": "query"}},
               "response": {"$ref": response}})
    };
    json!({"name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
           "schemas": {
               "Widget": {"id": "Widget", "type": "object", "properties": {"name": {"type": "string"}}},
               "ListWidgetsResponse": {"id": "ListWidgetsResponse", "type": "object", "properties": {
                   "nextPageToken": {"type": "string"}, "widgets": widget_list}},
               "ReachableWidgetsResponse": {"id": "ReachableWidgetsResponse", "type": "object", "properties": {
                   "nextPageToken": {"type": "string"}, "unreachable": string_list, "widgets": widget_list}},
               "QueryWidgetsResponse": {"id": "QueryWidgetsResponse", "type": "object", "properties": {
                   "errors": string_list, "pageToken": {"type": "string"}, "rows": widget_list}},
               "AggregatedWidgetsResponse": {"id": "AggregatedWidgetsResponse", "type": "object", "properties": {
                   "items": {"type": "object", "additionalProperties": widget_list},
                   "nextPageToken": {"type": "string"}, "unreachables": string_list}}},
           "resources": {"widgets": {"methods": {
               "list": list("list", "ListWidgetsResponse"),
               "reachable": list("reachable", "ReachableWidgetsResponse"),
               "query": list("query", "QueryWidgetsResponse"),
               "aggregated": list("aggregated", "AggregatedWidgetsResponse")}}}})
}

#[test]
fn every_paged_list_pages_and_only_an_unambiguous_list_yields_items() {
    let sources = generated_sources(&paging_service());
    let compact: String = sources.split_whitespace().collect();
    for expected in [
        "paginated!(List,page_token,ListWidgetsResponse,Widget);",
        // Not the AIP-217 list of unreachable locations, which comes first.
        "paginated!(Reachable,page_token,ReachableWidgetsResponse,Widget);",
        // Two lists (rows, errors) and a map: which one `items()` should yield is not known.
        "paginated!(Query,page_token,QueryWidgetsResponse);",
        "paginated!(Aggregated,page_token,AggregatedWidgetsResponse);",
    ] {
        assert!(compact.contains(expected), "{expected}: {sources}");
    }
    // BigQuery's name for the next page's token is said where the default is not it.
    for expected in [
        "page!(ListWidgetsResponse,next_page_token,widgets=>crate::Widget);",
        "page!(ReachableWidgetsResponse,next_page_token,widgets=>crate::Widget);",
        "page!(QueryWidgetsResponse,page_token=\"pageToken\");",
        "page!(AggregatedWidgetsResponse,next_page_token);",
    ] {
        assert!(compact.contains(expected), "{expected}: {sources}");
    }
}

/// Drive's shape: `about` (one get, which Drive refuses without `fields`) sorts first,
/// `abuseReports` only writes (YouTube's), and `files` is the main resource.
fn drive_like_service() -> Value {
    let method = |id: &str, verb: &str, path: &str| {
        json!({"id": id, "httpMethod": verb, "path": path,
               "parameters": {"pageToken": {"type": "string", "location": "query"},
                              "spaces": {"type": "string", "location": "query", "required": true}},
               "response": {"$ref": "FileList"}})
    };
    json!({"name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
           "schemas": {
               "File": {"id": "File", "type": "object", "properties": {"name": {"type": "string"}}},
               "FileList": {"id": "FileList", "type": "object", "properties": {
                   "files": {"type": "array", "items": {"$ref": "File"}}, "nextPageToken": {"type": "string"}}}},
           "resources": {
               "about": {"methods": {"get": {"id": "svc.about.get", "httpMethod": "GET", "path": "about"}}},
               "abuseReports": {"methods": {"insert": method("svc.abuseReports.insert", "POST", "abuseReports")}},
               "files": {"methods": {
                   "create": method("svc.files.create", "POST", "files"),
                   "delete": method("svc.files.delete", "DELETE", "files/x"),
                   "list": method("svc.files.list", "GET", "files")}}}})
}

#[test]
fn the_quickstart_reads_the_main_resource_with_its_required_parameters_named() {
    let text = drive_like_service().to_string();
    let files = pipeline::client(Input { name: "svc.json", text: &text }, None).expect("client generates");
    let readme = &files.iter().find(|f| f.path == "README.md").expect("README.md").contents;
    assert!(readme.contains(r#"let mut items = client.files().list("my-spaces").items();"#), "{readme}");
}

/// Methods resolve against `rootUrl` + `servicePath`, as Google's Python and Go clients do;
/// `baseUrl` is the older field (analytics v3's names www.googleapis.com while its `rootUrl`
/// is analytics.googleapis.com), used only without a `rootUrl`.
#[test]
fn the_endpoint_is_root_url_and_service_path_not_base_url() {
    let lib = |doc: &Value| {
        let text = doc.to_string();
        let files = pipeline::client(Input { name: "svc.json", text: &text }, None).expect("client generates");
        files.into_iter().find(|f| f.path == "src/lib.rs").expect("lib.rs").contents
    };
    let mut doc = service(&[1]);
    doc["servicePath"] = json!("svc/v1/");
    doc["baseUrl"] = json!("https://www.googleapis.com/svc/v1/");
    let with_root = lib(&doc);
    assert!(with_root.contains("DEFAULT_ENDPOINT: &str = \"https://svc.googleapis.com/svc/v1/\""), "{with_root}");
    assert!(with_root.contains("SERVICE_PATH: &str = \"svc/v1/\""), "{with_root}");
    doc.as_object_mut().unwrap().remove("rootUrl");
    let without_root = lib(&doc);
    assert!(without_root.contains("DEFAULT_ENDPOINT: &str = \"https://www.googleapis.com/svc/v1/\""), "{without_root}");
}

/// `Status` is `google.rpc.Status` (the runtime's `RpcStatus`) only when it has that shape:
/// gkehub's has a `code` enum of strings and workflowexecutions' has `currentSteps`, and
/// decoding either as `RpcStatus` refused or dropped their fields.
#[test]
fn a_schema_called_status_is_the_runtimes_only_with_google_rpc_status_shape() {
    let sources = |status: Value| {
        let mut doc = service(&[1]);
        doc["resources"]["r0"]["methods"]["m0"]["response"] = json!({"$ref": "Holder"});
        doc["schemas"] = json!({
            "Holder": {"id": "Holder", "type": "object", "properties": {"status": {"$ref": "Status"}}},
            "Status": status,
        });
        let text = doc.to_string();
        let files = pipeline::client(Input { name: "svc.json", text: &text }, None).expect("client generates");
        files.into_iter().map(|f| f.contents).collect::<String>()
    };
    let rpc = sources(json!({"id": "Status", "type": "object", "properties": {
        "code": {"type": "integer", "format": "int32"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "any"}}}}}));
    assert!(!rpc.contains("pub struct Status"), "google.rpc.Status is the runtime's: {rpc}");
    let own = sources(json!({"id": "Status", "type": "object", "properties": {
        "code": {"type": "string", "enum": ["UNKNOWN", "OK"]}, "description": {"type": "string"}}}));
    assert!(own.contains("pub struct Status"), "gkehub's Status is its own: {own}");
}

/// Discovery's `dataWrapper` feature (translate v2): every call of such an API, uploads too,
/// asks the runtime to wrap its body in `{"data": ...}` and unwrap the answer, as Google's
/// client libraries do; the runtime's tests prove the wire (`runtime/tests/data_wrapper.rs`).
#[test]
fn a_data_wrapper_api_marks_every_request_and_no_other_api_does() {
    let mut doc = bytes_and_paths_service();
    let plain = generated_sources(&doc);
    assert!(!plain.contains(".data_wrapper()"), "{plain}");
    doc["features"] = json!(["dataWrapper"]);
    let wrapped: String = generated_sources(&doc).split_whitespace().collect();
    assert!(wrapped.contains(r#".method_id("svc.blobs.send").data_wrapper()"#), "{wrapped}");
    assert_eq!(wrapped.matches(".data_wrapper()").count(), 1, "one method, no media: {wrapped}");
}
