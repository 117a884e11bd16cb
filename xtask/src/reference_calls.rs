//! `cargo xtask reference-calls`: how many of the calls in `tests/reference-calls/` (each
//! written from Google's REST reference, issue 25) compile against clients generated now.
//!
//! The seven clients are generated from the corpus documents into
//! `target/reference-calls/crates/`, the calls become the modules of one application crate,
//! and one `cargo check` (JSON messages) tells which files have errors.

use std::collections::BTreeMap;
use std::path::Path;

use discogen::pipeline::{self, Input};

use crate::{corpus, specs};

/// The corpus documents the calls use.
pub const APIS: [&str; 7] =
    ["drive.v3", "sheets.v4", "gmail.v1", "bigquery.v2", "youtube.v3", "storage.v1", "pubsub.v1"];

pub fn run() -> Result<(), String> {
    let root = specs::project_root();
    let definition = corpus::definition()?;
    let documents = corpus::documents(&definition)?;
    let work = root.join("target/reference-calls");
    let mut dependencies = String::new();
    for name in APIS {
        let path = corpus::document(&documents, name)?;
        let text = specs::read(&path)?;
        let display = path.display().to_string();
        let crates = work.join("crates");
        let (client, files) = pipeline::client_crate(Input { name: &display, text: &text }, None, |client| {
            let dir = crates.join(&client.crate_name);
            client.runtime_path =
                discogen::output::relative_path(&dir, &root.join("runtime")).map(|p| p.display().to_string());
        })
        .map_err(|e| format!("{display}: {e}"))?;
        discogen::output::write_tree(&crates.join(&client.crate_name), &files).map_err(|e| e.to_string())?;
        // Crates with per-resource features have `full`, which enables them all.
        let features = if client.features { ", features = [\"full\"]" } else { "" };
        dependencies
            .push_str(&format!("{} = {{ path = \"../crates/{}\"{features} }}\n", client.crate_name, client.crate_name));
    }

    let app = work.join("app");
    let calls = write_app(&app, &dependencies, true)?;
    if !app.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).map_err(|e| e.to_string())?;
    }

    let output = specs::cargo()
        .args(["check", "--quiet", "--message-format=json"])
        .current_dir(&app)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo check: {e}"))?;
    let failing = first_errors(&String::from_utf8_lossy(&output.stdout), &calls);
    for (file, error) in &failing {
        println!("does not compile: {file}: {error}");
    }
    println!("reference calls: {} of {} compile", calls.len() - failing.len(), calls.len());
    Ok(())
}

/// Writes the application crate whose modules are the call files (`standalone`: its own
/// workspace; else a member of the enclosing one), with `dependencies` as manifest lines, and
/// returns the call files it includes.
pub fn write_app(app: &Path, dependencies: &str, standalone: bool) -> Result<Vec<String>, String> {
    let dir = specs::project_root().join("tests/reference-calls");
    let calls = calls(&dir)?;
    // The calls are functions nobody calls here; everything else warns (and fails when denied).
    let mut main = String::from("#![allow(dead_code)]\n");
    for file in &calls {
        let module = format!("c{}", file.trim_end_matches(".rs"));
        main.push_str(&format!("#[path = {:?}]\nmod {module};\n", dir.join(file)));
    }
    main.push_str("fn main() {}\n");
    let workspace = if standalone { "[workspace]\n\n" } else { "" };
    let manifest = format!(
        "[package]\nname = \"reference-calls\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         {workspace}[dependencies]\n{dependencies}serde_json = \"1\"\n"
    );
    std::fs::create_dir_all(app.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(app.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(app.join("src/main.rs"), main).map_err(|e| e.to_string())?;
    Ok(calls)
}

/// The call files, in order.
fn calls(dir: &Path) -> Result<Vec<String>, String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().to_str().map(str::to_owned))
        .filter(|name| name.ends_with(".rs"))
        .collect();
    files.sort();
    Ok(files)
}

/// Per call file, the first error rustc reported in it.
fn first_errors(messages: &str, calls: &[String]) -> BTreeMap<String, String> {
    let mut errors = BTreeMap::new();
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let diagnostic = &message["message"];
        if diagnostic["level"] != "error" {
            continue;
        }
        let spans = diagnostic["spans"].as_array().map(Vec::as_slice).unwrap_or_default();
        for span in spans.iter().filter(|s| s["is_primary"] == true) {
            let file = span["file_name"].as_str().unwrap_or_default();
            if let Some(call) = calls.iter().find(|call| file.ends_with(call.as_str())) {
                let text = diagnostic["message"].as_str().unwrap_or_default().to_owned();
                errors.entry(call.clone()).or_insert(text);
            }
        }
    }
    errors
}
