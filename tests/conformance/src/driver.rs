//! The Rust side: each document's client crate and its conformance module, one driver crate
//! depending on all of them (one build for every API), and its run. Everything lives under
//! `target/conformance` and is rewritten only where it changed, so a second run rebuilds
//! nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use discogen::pipeline::{self, Input};
use serde_json::Value;

use crate::{Document, Harness};

/// One API's generated suite.
pub struct Suite {
    pub crate_name: String,
    /// The cases as JSON for `reference.py`.
    pub cases: PathBuf,
    /// Method ids, in order.
    pub ids: Vec<String>,
}

/// The key of a call: method ids repeat across versions of an API.
pub fn key(crate_name: &str, id: &str) -> String {
    format!("{crate_name} {id}")
}

/// What the driver recorded per call ([`key`]): the requests (method, url, content_type, body) or
/// the panic of a call that could not be built.
pub type Recorded = HashMap<String, Value>;

/// Generates the client crates, the driver's modules and the cases files.
pub fn generate(harness: &Harness, documents: &[Document]) -> Result<Vec<Suite>, String> {
    let crates = harness.work.join("crates");
    let mut suites = Vec::new();
    let mut modules = Vec::new();
    for document in documents {
        let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
        let text = read(&document.discovery)?;
        let config_text = document.config.as_deref().map(read).transpose()?;
        let name = document.discovery.display().to_string();
        let config_name = document.config.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        let config = config_text.as_deref().map(|text| Input { name: &config_name, text });
        let (api, config) = pipeline::load(Input { name: &name, text: &text }, config).map_err(|e| e.to_string())?;
        let mut client = pipeline::client_config(&api, &config);
        let dir = crates.join(&client.crate_name);
        // The driver builds one feature set: the whole API.
        client.runtime_path = Some("../../../../runtime".to_owned());
        let files = discogen::rust::render(&api, &client).map_err(|e| format!("{name}: {e}"))?;
        for file in &files {
            write_if_changed(&dir.join(&file.path), &file.contents)?;
        }
        let suite = discogen::rust::conformance::suite(&api, &client).map_err(|e| format!("{name}: {e}"))?;
        let lib = client.crate_name.replace('-', "_");
        write_if_changed(&harness.work.join("driver/calls").join(&lib).join("src/calls.rs"), &suite.module)?;
        let ids = suite.cases.as_array().into_iter().flatten().filter_map(|c| c["id"].as_str().map(str::to_owned));
        let ids: Vec<String> = ids.collect();
        let cases = harness.work.join(format!("{}.cases.json", client.crate_name));
        let discovery = std::path::absolute(&document.discovery).map_err(|e| e.to_string())?;
        let json = serde_json::json!({ "document": discovery, "cases": suite.cases });
        write_if_changed(&cases, &json.to_string())?;
        let full = files.iter().any(|f| f.path == "Cargo.toml" && f.contents.contains("\nfull = ["));
        modules.push((client.crate_name.clone(), lib, full));
        suites.push(Suite { crate_name: client.crate_name, cases, ids });
    }
    write_driver(harness, &modules)?;
    Ok(suites)
}

/// The driver: a binary crate (its own workspace, the repository's lock file, a debug build
/// without debug info or incremental state: it is built once and run once) over one library
/// crate per API (`driver/calls/<lib>`, holding that API's calls). One crate per API lets
/// cargo compile an API's calls beside the other APIs' clients, on every core, where one crate
/// of every call was a long single-threaded tail; and its size stays that of one API however
/// many APIs run (`--all`).
fn write_driver(harness: &Harness, modules: &[(String, String, bool)]) -> Result<(), String> {
    let driver = harness.work.join("driver");
    let mut manifest = String::from(
        "[package]\nname = \"conformance-driver\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[profile.dev]\ndebug = false\nincremental = false\n\n[dependencies]\n\
         discogen-runtime = { path = \"../../../runtime\", default-features = false }\n\
         serde_json = \"1\"\ntokio = { version = \"1\", features = [\"rt\"] }\n",
    );
    remove_old_modules(&driver.join("src"))?;
    let mut arms = String::new();
    for (name, lib, full) in modules {
        write_calls_crate(&driver.join("calls").join(lib), name, *full)?;
        manifest.push_str(&format!("calls-{name} = {{ path = \"calls/{lib}\" }}\n"));
        arms.push_str(&format!(
            "            {name:?} => run({name:?}, &runtime, calls_{lib}::client, calls_{lib}::calls()),\n"
        ));
    }
    let tail = MAIN_TAIL.replace("{arms}", &arms);
    let main = format!("{MAIN_HEAD}{tail}");
    write_if_changed(&driver.join("Cargo.toml"), &manifest)?;
    write_if_changed(&driver.join("src/main.rs"), &main)?;
    let lock = driver.join("Cargo.lock");
    if !lock.exists() {
        // The repository's versions: no resolution against the registry, the same crates.
        std::fs::copy(harness.root.join("Cargo.lock"), &lock).map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    Ok(())
}

/// Deletes the per-API modules an older harness wrote into the driver's own sources.
fn remove_old_modules(src: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(src) else { return Ok(()) };
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(|name| name.starts_with("calls_")) {
            std::fs::remove_file(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// One API's calls crate: its manifest and a root that gives the generated module (`calls.rs`,
/// written by [`generate`]) the `super::v` and `super::Pending` it uses.
fn write_calls_crate(dir: &Path, name: &str, full: bool) -> Result<(), String> {
    // No TLS feature: nothing is sent, and the C builds of a TLS stack would only cost time.
    let features = if full { ", features = [\"full\"]" } else { "" };
    let manifest = format!(
        "[package]\nname = \"calls-{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\ndiscogen-runtime = {{ path = \"../../../../../runtime\", default-features = false }}\n\
         serde = \"1\"\nserde_json = \"1\"\n\
         {name} = {{ path = \"../../../crates/{name}\", default-features = false{features} }}\n"
    );
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&dir.join("src/lib.rs"), CALLS_ROOT)
}

const CALLS_ROOT: &str = r#"//! Written by discogen-conformance: one API's calls through its typed builders.

pub type Pending = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// A typed value from the case's JSON (bodies, enums, timestamps, bytes).
pub fn v<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|error| panic!("{error}: {json}"))
}

mod calls;
pub use calls::{calls, client};
"#;

const MAIN_HEAD: &str = r#"//! Written by discogen-conformance: every method of every API through its typed builder
//! (one `calls-*` crate per API), media uploads and downloads included, recorded by
//! MockTransport, one JSON line per call.
use discogen_runtime::transport::{HttpResponse, MockTransport};

pub type Pending = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;
"#;

const MAIN_TAIL: &str = r#"
fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    std::panic::set_hook(Box::new(|_| {}));
    for api in std::env::args().skip(1) {
        match api.as_str() {
{arms}            other => panic!("unknown API {other}"),
        }
    }
}

fn run<C>(
    api: &str,
    runtime: &tokio::runtime::Runtime,
    client: fn(MockTransport) -> C,
    calls: Vec<(&str, fn(C) -> Pending)>,
) {
    for (id, call) in calls {
        // Media (uploads, downloads) goes through the transport like every other call.
        let mock = MockTransport::with_responder(|_| Ok(HttpResponse::new(200, "{}")));
        let client = client(mock.clone());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runtime.block_on(call(client))));
        let line = match outcome {
            Ok(()) => {
                let requests: Vec<serde_json::Value> = mock
                    .requests()
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "method": r.method.as_str(),
                            "url": r.url.as_str(),
                            "content_type": r.header("content-type"),
                            "body": String::from_utf8_lossy(&r.body),
                        })
                    })
                    .collect();
                serde_json::json!({ "api": api, "id": id, "requests": requests })
            }
            Err(panic) => {
                let message = panic.downcast_ref::<String>().cloned().unwrap_or_else(|| "panic".to_owned());
                serde_json::json!({ "api": api, "id": id, "panic": message })
            }
        };
        println!("{line}");
    }
}
"#;

/// Builds the driver and runs it for every suite.
pub fn build_and_run(harness: &Harness, suites: &[Suite]) -> Result<Recorded, String> {
    let driver = harness.work.join("driver");
    let target = harness.work.join("target");
    let status = crate::cargo_command()
        // Every crate that can build does, so one run names every crate that cannot.
        .args(["build", "--keep-going", "--manifest-path"])
        .arg(driver.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("cargo build of the driver: {e}"))?;
    if !status.success() {
        return Err(format!("the conformance driver did not build ({})", driver.display()));
    }
    let output = Command::new(target.join("debug/conformance-driver"))
        .args(suites.iter().map(|s| &s.crate_name))
        .output()
        .map_err(|e| format!("conformance-driver: {e}"))?;
    if !output.status.success() {
        return Err(format!("conformance-driver failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let mut recorded = Recorded::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let value: Value = serde_json::from_str(line).map_err(|e| format!("driver output {line:?}: {e}"))?;
        let key = key(value["api"].as_str().unwrap_or_default(), value["id"].as_str().unwrap_or_default());
        recorded.insert(key, value);
    }
    Ok(recorded)
}

pub fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}
