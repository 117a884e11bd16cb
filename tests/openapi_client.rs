//! A client crate from a plain OpenAPI document (the Swagger Petstore): generated through the
//! OpenAPI reader and the same client emitter as Discovery documents, then `cargo check`ed.

use std::process::Command;

use discogen::pipeline::{self, Input};
use discogen_tests::{read, root};

const SPEC: &str = "tests/fixtures/openapi/petstore.json";

fn petstore_files() -> Vec<discogen::docs::File> {
    let text = read(SPEC);
    let (api, config) =
        pipeline::load_openapi(Input { name: SPEC, text: &text }, None).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(api.methods.len(), 20, "one method per operation");
    let mut client = pipeline::client_config(&api, &config);
    client.runtime_path = Some(root().join("runtime").display().to_string());
    discogen::rust::render(&api, &client).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn petstore_gets_one_handle_per_tag_and_a_builder_per_operation() {
    let files = petstore_files();
    let contents =
        |path: &str| &files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} written")).contents;
    for (module, operations) in [("src/pet.rs", 8), ("src/store.rs", 4), ("src/user.rs", 8)] {
        assert_eq!(contents(module).matches("pub async fn send").count(), operations, "{module}");
    }
    assert!(contents("src/pet.rs").contains("pub fn get_pet_by_id("), "operationIds name the methods");
    assert!(contents("src/pet.rs").contains("\"pet/{}\""), "paths are relative to the first server");
}

/// The crate compiles without warnings, in a scratch workspace that shares the project's
/// target directory (same lock file and dependency profile, so nothing is built twice).
#[test]
fn petstore_client_passes_cargo_check_without_warnings() {
    let dir = root().join("target/tmp/openapi-client-check");
    let _ = std::fs::remove_dir_all(&dir);
    discogen::output::write_tree(&dir.join("petstore"), &petstore_files()).expect("write the crate");
    let manifest =
        "[workspace]\nresolver = \"2\"\nmembers = [\"petstore\"]\n\n[profile.dev.package.\"*\"]\nopt-level = 2\n";
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--message-format", "short"])
        .env("CARGO_TARGET_DIR", root().join("target"))
        .current_dir(&dir)
        .output()
        .expect("run cargo check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Diagnostics only (`warning: ...`, `src/x.rs:1:2: error[E..]: ...`), not crate names such
    // as `Compiling thiserror`.
    let is_diagnostic = |line: &str| {
        ["warning", "error"].iter().any(|kind| line.starts_with(kind) || line.contains(&format!(": {kind}")))
    };
    let problems: Vec<&str> = stderr.lines().filter(|line| is_diagnostic(line)).collect();
    assert!(output.status.success(), "cargo check failed:\n{stderr}");
    assert!(problems.is_empty(), "warnings:\n{}", problems.join("\n"));
}
