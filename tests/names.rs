//! No generated public name ends in a number made up to tell two items apart: every spec's
//! client (with its configuration) and every nasty fixture's (without one). `cargo xtask
//! corpus` asserts the same for all 562 corpus documents.

use discogen::pipeline::{self, Input};
use discogen::rust::lint::numbered_names;
use discogen_tests::root;

/// A Discovery document (name, text) and its configuration (name, text), if any.
struct Document {
    name: String,
    text: String,
    config: Option<(String, String)>,
}

fn documents() -> Vec<Document> {
    let mut documents = Vec::new();
    let specs = ["aiplatform", "cloudasset", "addressvalidation", "storage", "pubsub"].map(|s| format!("specs/{s}"));
    for base in specs.into_iter().chain(["tests/fixtures/clients/computelro".to_owned()]) {
        let name = format!("{base}.v1.json");
        let config = format!("{base}.yaml");
        let text = discogen_tests::read(&name);
        documents.push(Document { name, text, config: Some((config.clone(), discogen_tests::read(&config))) });
    }
    let nasty = root().join("tests/fixtures/nasty");
    let mut fixtures: Vec<_> = std::fs::read_dir(&nasty)
        .expect("tests/fixtures/nasty")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    fixtures.sort();
    for path in fixtures {
        let text = std::fs::read_to_string(&path).expect("fixture");
        documents.push(Document { name: path.display().to_string(), text, config: None });
    }
    documents
}

#[test]
fn no_public_name_has_a_disambiguating_number() {
    let mut checked = 0;
    let mut found = Vec::new();
    for Document { name, text, config } in documents() {
        let config_input = config.as_ref().map(|(name, text)| Input { name, text });
        let Ok(files) = pipeline::client(Input { name: &name, text: &text }, config_input) else {
            continue; // refused documents are bad_input's and robustness's business
        };
        checked += 1;
        found.extend(numbered_names(&text, &files).into_iter().map(|n| format!("{name}: {n}")));
    }
    assert!(checked >= 10, "only {checked} documents generated a client");
    assert!(found.is_empty(), "numbered public names:\n{}", found.join("\n"));
}

/// Every type a crate defines has a name no other type of the crate has (colliding schema
/// names such as `FooBar`, `foo_bar` and `foo-bar` get three names; `cargo check` of the nasty
/// crates in `cargo xtask corpus` found one given twice).
#[test]
fn no_two_types_of_a_crate_share_a_name() {
    let mut twice = Vec::new();
    for Document { name, text, config } in documents() {
        let config_input = config.as_ref().map(|(name, text)| Input { name, text });
        let Ok(files) = pipeline::client(Input { name: &name, text: &text }, config_input) else { continue };
        let mut seen = std::collections::HashSet::new();
        for file in files.iter().filter(|f| f.path.starts_with("src/model/") || f.path == "src/model.rs") {
            for line in file.contents.lines() {
                let line = line.trim_start();
                let Some(rest) = line.strip_prefix("pub struct ").or_else(|| line.strip_prefix("pub enum ")) else {
                    continue;
                };
                let type_name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !seen.insert(type_name.clone()) {
                    twice.push(format!("{name}: {type_name}"));
                }
            }
        }
    }
    assert!(twice.is_empty(), "types defined twice:\n{}", twice.join("\n"));
}

/// The check itself finds what the old numbering produced, so the test above can fail.
#[test]
fn the_check_finds_numbered_names() {
    let doc = r#"{"schemas": {"Operation": {}}}"#;
    let files = [discogen::file::File {
        path: "src/names.rs".to_owned(),
        contents: "pub struct OperationName {}\npub struct OperationName2 {}\n".to_owned(),
    }];
    assert_eq!(numbered_names(doc, &files), ["src/names.rs: OperationName2"]);
}

/// A Discovery document shaped like Gmail, Sheets and Pub/Sub where Google's reference names
/// things: `mail.users.messages.send`, `mail.projects.topics.get` (no methods on `projects`).
const REFERENCE_SHAPES: &str = r#"{
  "kind": "discovery#restDescription", "name": "mail", "version": "v1", "title": "Mail",
  "rootUrl": "https://mail.example.com/", "servicePath": "mail/v1/",
  "schemas": {
    "GoogleCloudMailV1Message": {"id": "GoogleCloudMailV1Message", "type": "object", "properties": {
      "id": {"type": "string"},
      "sentAt": {"type": "string", "format": "date-time"},
      "valueInputOption": {"type": "string", "enum": ["RAW", "USER_ENTERED"]},
      "state": {"type": "string", "enum": ["A", "B"]}}},
    "Label": {"id": "Label", "type": "object", "properties": {
      "state": {"type": "string", "enum": ["C", "D"]},
      "mode": {"type": "string", "enum": ["RAW", "USER_ENTERED"]}}}
  },
  "resources": {
    "users": {
      "methods": {"getProfile": {"id": "mail.users.getProfile", "path": "users/{userId}/profile",
        "httpMethod": "GET", "parameterOrder": ["userId"],
        "parameters": {"userId": {"type": "string", "location": "path", "required": true}},
        "response": {"$ref": "Label"}}},
      "resources": {"messages": {"methods": {"send": {"id": "mail.users.messages.send",
        "path": "users/{userId}/messages/send", "httpMethod": "POST", "parameterOrder": ["userId"],
        "parameters": {"userId": {"type": "string", "location": "path", "required": true},
          "valueInputOption": {"type": "string", "location": "query", "enum": ["RAW", "USER_ENTERED"]}},
        "request": {"$ref": "GoogleCloudMailV1Message"}, "response": {"$ref": "GoogleCloudMailV1Message"}}}}}
    },
    "projects": {"resources": {"topics": {"methods": {"get": {"id": "mail.projects.topics.get",
      "path": "v1/{+topic}", "httpMethod": "GET", "parameterOrder": ["topic"],
      "parameters": {"topic": {"type": "string", "location": "path", "required": true}},
      "response": {"$ref": "Label"}}}}}}
  }
}"#;

fn reference_shaped_client() -> String {
    let files = pipeline::client(Input { name: "mail.v1.json", text: REFERENCE_SHAPES }, None).expect("generates");
    files.iter().filter(|f| f.path.ends_with(".rs")).map(|f| format!("// {}\n{}", f.path, f.contents)).collect()
}

/// One rule from the method id to the call, the same at every depth: `users.messages.send` is
/// `client.users().messages().send(..)`, `projects.topics.get` `client.projects().topics().get(..)`
/// although `projects` has no methods; the old flat accessor stays, deprecated and hidden.
#[test]
fn accessors_follow_the_method_id() {
    let code = reference_shaped_client();
    let compact: String = code.split_whitespace().collect();
    for expected in [
        "pubfnusers(&self)->users::Users",
        "pubfnprojects(&self)->projects::Projects",
        "pubfnmessages(&self)->crate::messages::Messages",
        "pubfntopics(&self)->crate::topics::Topics",
        "client.users().messages().send(",
        "client.projects().topics().get(",
        "discogen_runtime::moved_accessor!(messages,messages::Messages,\"accessorsfollowthemethodid:use`client.users().messages()`\");",
    ] {
        assert!(compact.contains(expected), "missing `{expected}` in:\n{code}");
    }
    // `users` keeps its own method beside the accessor of its child.
    assert!(compact.contains("pubfnget_profile("), "{code}");
}

/// An enum is named for its own field or parameter when that name has one value set in the
/// document (`ValueInputOption`, shared by the parameter and the field; `Mode` beside it with
/// the same values), and qualified by its context when the name is ambiguous (`state`).
/// `date-time` is `Timestamp`, and the API's own prefix is dropped.
#[test]
fn enums_and_types_take_the_names_of_googles_reference() {
    let code = reference_shaped_client();
    for expected in [
        "pub enum ValueInputOption {",
        "pub enum Mode {",
        "pub enum MessageState {",
        "pub enum LabelState {",
        "pub struct Message {",
        "pub sent_at: Option<discogen_runtime::wkt::Timestamp>,",
        "value_input_option: Option<crate::ValueInputOption>,",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in:\n{code}");
    }
    assert_eq!(code.matches("pub enum ValueInputOption {").count(), 1, "{code}");
    assert!(!code.contains("struct GoogleCloudMailV1"), "{code}");
}
