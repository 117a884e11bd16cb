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
    assert!(toml.contains("default = [\"r1\"]"), "{toml}");
    for feature in ["r0", "r1", "r2", "r3"] {
        assert!(toml.contains(&format!("\n{feature} = []")), "{feature}: {toml}");
        assert!(toml.contains(&format!("    \"{feature}\",")), "full has {feature}: {toml}");
    }
}

#[test]
fn small_apis_without_a_config_compile_whole() {
    let limit = discogen::config::FEATURES_ABOVE_METHODS;
    let toml = cargo_toml(&service(&[limit / 2, limit / 2]));
    assert!(toml.contains("default = []"), "{toml}");
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
    assert!(lib.contains("pub use discogen_runtime::credentials;"));
}
