//! Bad input gets one clear error naming the file and the place, a non-zero exit, and no
//! partial output.

use std::path::Path;
use std::process::Command;

use discogen_tests::{discogen_binary, docs_for};
use serde_json::json;

fn minimal() -> serde_json::Value {
    json!({
        "name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
        "schemas": {"Widget": {"id": "Widget", "type": "object", "properties": {
            "name": {"type": "string"},
            "parts": {"type": "array", "items": {"$ref": "Part"}}}},
            "Part": {"id": "Part", "type": "object", "properties": {"size": {"type": "integer"}}}},
        "resources": {"widgets": {"methods": {"get": {
            "id": "svc.widgets.get", "httpMethod": "GET", "path": "v1/{+name}", "flatPath": "v1/widgets/{widgetsId}",
            "parameters": {"name": {"type": "string", "location": "path", "required": true}},
            "parameterOrder": ["name"], "response": {"$ref": "Widget"}}}}}
    })
}

fn error_of(doc: &serde_json::Value, config: Option<&str>) -> String {
    match docs_for(doc, config) {
        Ok(_) => panic!("expected an error"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn the_minimal_document_is_accepted() {
    assert!(docs_for(&minimal(), None).is_ok());
}

#[test]
fn dangling_ref_names_the_json_path() {
    let mut doc = minimal();
    doc["schemas"]["Widget"]["properties"]["parts"]["items"]["$ref"] = json!("Missing");
    let message = error_of(&doc, None);
    assert_eq!(message, "test.json: $.schemas.Widget.properties.parts.items: $ref \"Missing\" names no schema");
}

#[test]
fn a_bad_media_max_size_names_the_method() {
    let mut doc = minimal();
    doc["resources"]["widgets"]["methods"]["get"]["supportsMediaUpload"] = json!(true);
    doc["resources"]["widgets"]["methods"]["get"]["mediaUpload"] = json!({"accept": ["*/*"], "maxSize": "5 parsecs", "protocols": {"simple": {"multipart": true, "path": "/upload/v1/{+name}"}}});
    assert_eq!(
        error_of(&doc, None),
        "test.json: svc.widgets.get: maxSize \"5 parsecs\" has an unknown unit \"parsecs\" (B, KB, MB, GB, TB or PB)"
    );
}

#[test]
fn dangling_response_ref_names_the_method() {
    let mut doc = minimal();
    doc["resources"]["widgets"]["methods"]["get"]["response"]["$ref"] = json!("Nope");
    assert_eq!(error_of(&doc, None), "test.json: svc.widgets.get: response $ref \"Nope\" names no schema");
}

#[test]
fn missing_http_method_or_path_names_the_json_path() {
    for field in ["httpMethod", "path"] {
        let mut doc = minimal();
        doc["resources"]["widgets"]["methods"]["get"].as_object_mut().unwrap().remove(field);
        let message = error_of(&doc, None);
        let expected = format!("test.json: $.resources.widgets.methods.get: missing field `{field}` at line 1 column ");
        assert!(message.starts_with(&expected), "{message}");
    }
}

#[test]
fn wrong_json_type_names_the_json_path() {
    let mut doc = minimal();
    doc["schemas"]["Widget"]["properties"]["name"]["readOnly"] = json!("yes");
    let message = error_of(&doc, None);
    assert!(message.starts_with("test.json: $.schemas.Widget.properties.name.readOnly: invalid type"), "{message}");
}

#[test]
fn path_placeholder_without_parameter_is_refused() {
    let mut doc = minimal();
    doc["resources"]["widgets"]["methods"]["get"]["path"] = json!("v1/{+name}/parts/{part}");
    assert_eq!(
        error_of(&doc, None),
        "test.json: svc.widgets.get: path placeholder {part} in \"v1/{+name}/parts/{part}\" has no path parameter"
    );
}

#[test]
fn unknown_http_method_and_duplicate_ids_are_refused() {
    let mut doc = minimal();
    doc["resources"]["widgets"]["methods"]["get"]["httpMethod"] = json!("FETCH");
    assert_eq!(error_of(&doc, None), "test.json: svc.widgets.get: unsupported httpMethod \"FETCH\"");

    let mut doc = minimal();
    let get = doc["resources"]["widgets"]["methods"]["get"].clone();
    doc["resources"]["widgets"]["methods"]["fetch"] = get;
    assert_eq!(error_of(&doc, None), "test.json: svc.widgets.get: method id is used by more than one method");
}

#[test]
fn override_naming_an_unknown_method_is_refused() {
    let config = "stackql:\n  sql_verbs:\n    svc.widgets.gone: exec\n";
    assert_eq!(
        error_of(&minimal(), Some(config)),
        "test.yaml: stackql.sql_verbs.svc.widgets.gone: override names method \"svc.widgets.gone\", which the Discovery document does not have"
    );
}

#[test]
fn malformed_configuration_is_refused() {
    let message = error_of(&minimal(), Some("stackql:\n  sql_verb:\n    x: exec\n"));
    assert!(message.starts_with("test.yaml: line 2"), "{message}");
    assert!(message.contains("unknown field `sql_verb`"), "{message}");
    let message = error_of(&minimal(), Some("stackql:\n  sql_verbs:\n    svc.widgets.get: upsert\n"));
    assert_eq!(message, "test.yaml: stackql.sql_verbs.svc.widgets.get: unknown SQL verb \"upsert\"");
}

// --- the command-line tool ---------------------------------------------------------------

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("discogen-bad-input-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> (bool, String) {
    let output = Command::new(discogen_binary()).args(args).output().expect("run discogen");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn tree(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            found.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                found.extend(tree(&path).into_iter().map(|p| format!("{}/{p}", entry.file_name().to_string_lossy())));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn malformed_json_fails_cleanly_without_output() {
    let dir = temp_dir("malformed");
    let input = dir.join("broken.json");
    std::fs::write(&input, "{\"name\": \"svc\", \"version\": ").unwrap();
    let out = dir.join("out");
    let (ok, stderr) = run(&["docs", "--discovery", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.starts_with(&format!("error: {}: $", input.display())), "{stderr}");
    assert!(stderr.contains("EOF while parsing"), "{stderr}");
    assert!(!out.exists(), "no output directory for a failed run");
}

#[test]
fn unreadable_input_is_reported_with_its_path() {
    let dir = temp_dir("unreadable");
    let missing = dir.join("missing.json");
    let (ok, stderr) =
        run(&["docs", "--discovery", missing.to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.starts_with(&format!("error: {}: cannot read:", missing.display())), "{stderr}");
}

#[test]
fn unwritable_output_is_reported_and_earlier_output_survives_a_failed_run() {
    let dir = temp_dir("unwritable");
    let input = dir.join("svc.json");
    std::fs::write(&input, minimal().to_string()).unwrap();

    // The output "directory" is a file.
    let blocker = dir.join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let (ok, stderr) = run(&["docs", "--discovery", input.to_str().unwrap(), "--out", blocker.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains(&format!("{}: cannot write", blocker.display())), "{stderr}");

    // A good run, then a bad input: the first run's tree is untouched and nothing is left over.
    let out = dir.join("out");
    let (ok, stderr) = run(&["docs", "--discovery", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let before = tree(&out);
    assert_eq!(before, ["svc", "svc/index.md", "svc/widgets", "svc/widgets/index.md"]);
    let mut broken = minimal();
    broken["schemas"]["Widget"]["properties"]["parts"]["items"]["$ref"] = json!("Missing");
    std::fs::write(&input, broken.to_string()).unwrap();
    let (ok, _) = run(&["docs", "--discovery", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!ok);
    assert_eq!(tree(&out), before);
}

#[test]
fn regenerating_removes_pages_of_resources_that_disappeared() {
    let dir = temp_dir("stale");
    let input = dir.join("svc.json");
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("svc/old_resource")).unwrap();
    std::fs::write(out.join("svc/old_resource/index.md"), "stale").unwrap();
    std::fs::write(&input, minimal().to_string()).unwrap();
    let (ok, stderr) = run(&["docs", "--discovery", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert_eq!(tree(&out), ["svc", "svc/index.md", "svc/widgets", "svc/widgets/index.md"]);
}

// --- OpenAPI input -------------------------------------------------------------------------

fn openapi_error(name: &str, text: &str) -> (String, bool) {
    let dir = temp_dir(&format!("openapi-{name}"));
    let input = dir.join(name);
    std::fs::write(&input, text).unwrap();
    let out = dir.join("out");
    let (ok, stderr) = run(&["docs", "--openapi", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!ok, "{name} was accepted");
    (stderr.trim_end().replacen(&format!("{}: ", input.display()), "FILE: ", 1), out.exists())
}

#[test]
fn swagger_2_is_refused_by_name() {
    let (message, wrote) =
        openapi_error("petstore.json", r#"{"swagger": "2.0", "info": {"title": "P", "version": "1"}, "paths": {}}"#);
    assert_eq!(
        message,
        "error: FILE: #/swagger: this is a Swagger 2.0 document; only OpenAPI 3.0 and 3.1 are read (convert it first, e.g. with swagger2openapi)"
    );
    assert!(!wrote, "no output for a refused document");
}

#[test]
fn openapi_refusals_name_the_json_pointer() {
    let doc = "openapi: 3.1.0\ninfo: {title: T, version: v1}\npaths:\n  /v1/{name}:\n    get:\n      parameters:\n        - {name: name, in: path, required: true}\n        - {name: sid, in: cookie}\n      responses: {}\n";
    let (message, _) = openapi_error("cookie.yaml", doc);
    assert_eq!(
        message,
        "error: FILE: #/paths/~1v1~1{name}/get/parameters/1/in: cookie parameter \"sid\" is not supported"
    );
    let (message, _) = openapi_error("broken.yaml", "openapi: 3.1.0\ninfo: [unclosed\n");
    assert!(message.starts_with("error: FILE: line 3, column 1: "), "{message}");
    let (message, _) = openapi_error("nothing.yaml", "info: {title: T, version: v1}\n");
    assert_eq!(message, "error: FILE: #: no `openapi` version: not an OpenAPI 3 document");
}

#[test]
fn overrides_are_refused_for_a_provider_spec() {
    let dir = temp_dir("openapi-overrides");
    let spec = dir.join("svc.yaml");
    std::fs::write(&spec, "openapi: 3.1.0\ninfo: {title: T, version: v1}\npaths: {}\n").unwrap();
    let config = dir.join("config.yaml");
    std::fs::write(&config, "openapi: svc.yaml\nstackql:\n  sql_verbs:\n    svc.widgets.get: exec\n").unwrap();
    let (ok, stderr) = run(&["docs", "--config", config.to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()]);
    assert!(!ok);
    assert_eq!(
        stderr.trim_end(),
        format!("error: {}: stackql.sql_verbs: overrides apply to Discovery input; an OpenAPI provider spec carries StackQL's resource model in x-stackQL-resources", config.display())
    );
}
