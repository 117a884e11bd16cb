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
