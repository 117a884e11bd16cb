//! `cargo xtask openapi-corpus`: both emitters (docs and client source) on every document of
//! the OpenAPI corpus, in process, one line per document, refusals counted by kind; then
//! `cargo check` of the clients chosen in xtask/openapi-corpus.yaml.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use discogen::file::File;
use discogen::pipeline::{self, Input};
use discogen::Error;

use crate::in_process::{self, threads};
use crate::{openapi_corpus, specs};

/// One document's result.
enum Outcome {
    Ok {
        pages: usize,
        sources: usize,
        methods: usize,
    },
    /// A Swagger 2.0 document, refused by the reader as documented.
    Swagger,
    Refused {
        error: String,
        kind: String,
    },
    Panicked(String),
}

pub fn run(check: bool, limit: Duration) -> Result<(), String> {
    let definition = openapi_corpus::definition()?;
    let api = openapi_corpus::documents(&definition)?;
    let paths = openapi_corpus::all_documents(&api)?;
    let name = |path: &Path| path.strip_prefix(&api).unwrap_or(path).display().to_string();

    let started = Instant::now();
    let on_hang = |path: &PathBuf, time: Duration| {
        println!(
            "HANG     {:<50} still running after {:.0} s (limit {:.0} s)",
            name(path),
            time.as_secs_f64(),
            limit.as_secs_f64()
        );
    };
    let results = in_process::run_all(&paths, Some(limit), &on_hang, |path| generate(path));
    let wall = started.elapsed();

    let (mut ok, mut swagger, mut refused, mut panicked) = (0, 0, 0, 0);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for (path, (outcome, time)) in paths.iter().zip(&results) {
        let name = name(path);
        let outcome = match outcome {
            in_process::Outcome::Done(outcome) => outcome,
            in_process::Outcome::Panicked(message) => &Outcome::Panicked(message.clone()),
        };
        match outcome {
            Outcome::Ok { pages, sources, methods } => {
                ok += 1;
                println!(
                    "ok       {name:<50} {methods:>5} methods {pages:>4} pages {sources:>4} sources {:>8.1} ms",
                    time.as_secs_f64() * 1000.0
                );
            }
            Outcome::Swagger => {
                swagger += 1;
                println!("swagger  {name:<50} Swagger 2.0, refused as documented");
            }
            Outcome::Refused { error, kind } => {
                refused += 1;
                *kinds.entry(kind.clone()).or_default() += 1;
                println!("refused  {name:<50} {error}");
            }
            Outcome::Panicked(message) => {
                panicked += 1;
                println!("PANIC    {name:<50} {message}");
            }
        }
    }
    println!(
        "\n{} documents in {:.1} s ({} threads): {ok} ok, {refused} refused with an error, \
         {swagger} swagger 2.0 (refused as documented), {panicked} panicked",
        paths.len(),
        wall.as_secs_f64(),
        threads(),
    );
    let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if !kinds.is_empty() {
        println!("refusals by kind:");
        for (kind, count) in &kinds {
            println!("  {count:>5}  {kind}");
        }
    }
    let mut slowest: Vec<_> = paths.iter().zip(&results).map(|(p, (_, t))| (t, p)).collect();
    slowest.sort_by(|a, b| b.0.cmp(a.0));
    let slow: Vec<String> =
        slowest.iter().take(5).map(|(t, p)| format!("{} {:.0} ms", name(p), t.as_secs_f64() * 1000.0)).collect();
    println!("slowest: {}", slow.join(", "));
    if panicked > 0 {
        return Err(format!("{panicked} document(s) made the generator panic"));
    }
    if check {
        check_crates(&definition, &api)?;
    }
    Ok(())
}

/// Pages, client source files and methods of one document, or why it was refused.
fn generate(path: &Path) -> Outcome {
    let refused = |error: Error| {
        if let Error::Invalid { location, .. } = &error {
            if location == "#/swagger" {
                return Outcome::Swagger;
            }
        }
        Outcome::Refused { kind: kind(&error), error: error.to_string() }
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return Outcome::Refused { error: format!("cannot read: {e}"), kind: "cannot read".to_owned() },
    };
    let name = path.display().to_string();
    let (api, config) = match pipeline::load_openapi(Input { name: &name, text: &text }, None) {
        Ok(loaded) => loaded,
        Err(error) => return refused(error),
    };
    let pages = match discogen::docs::render(&api) {
        Ok(pages) => pages,
        Err(error) => return refused(error),
    };
    match discogen::rust::render(&api, &pipeline::client_config(&api, &config)) {
        Ok(client) => Outcome::Ok { pages: pages.len(), sources: client.len(), methods: api.methods.len() },
        Err(error) => refused(error),
    }
}

/// A refusal's kind: its message with the quoted names, placeholders and numbers taken out
/// (`path placeholder {…} in "…" has no path parameter`).
fn kind(error: &Error) -> String {
    let message = match error {
        Error::Invalid { message, .. } | Error::Config { message, .. } => message.clone(),
        Error::Parse { .. } => return "the document does not parse".to_owned(),
        Error::Render { what, .. } => return format!("rendering {what} failed"),
        other => return other.to_string(),
    };
    let mut kind = String::new();
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '"' => Some('"'),
            '{' => Some('}'),
            '`' => None,
            _ => None,
        };
        match close {
            Some(close) => {
                kind.push(c);
                kind.push('…');
                // Up to the closing quote (`\"` inside a Rust debug string does not close it).
                let mut escaped = false;
                for next in chars.by_ref() {
                    if next == close && !escaped {
                        break;
                    }
                    escaped = next == '\\' && !escaped;
                }
                kind.push(close);
            }
            None if c.is_ascii_digit() => {
                if !kind.ends_with('N') {
                    kind.push('N');
                }
            }
            None => kind.push(c),
        }
    }
    kind
}

/// Writes the clients of the chosen documents into one scratch workspace and runs
/// `cargo check` on it with warnings denied, in the Discovery corpus check's target directory
/// (the runtime and its dependencies are built once for both).
fn check_crates(definition: &openapi_corpus::Corpus, api: &Path) -> Result<(), String> {
    let root = specs::project_root();
    let workspace = root.join("target/openapi-corpus-check");
    let _ = std::fs::remove_dir_all(workspace.join("crates"));
    let mut members = Vec::new();
    for document in &definition.check {
        let path = api.join(document);
        let stem: String = document
            .trim_end_matches(".json")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        let text = specs::read(&path)?;
        let name = path.display().to_string();
        let (api, config) =
            pipeline::load_openapi(Input { name: &name, text: &text }, None).map_err(|e| e.to_string())?;
        let mut client = pipeline::client_config(&api, &config);
        client.crate_name = format!("openapi-{stem}");
        client.runtime_path = Some(root.join("runtime").display().to_string());
        let files: Vec<File> = discogen::rust::render(&api, &client).map_err(|e| format!("{name}: {e}"))?;
        discogen::output::write_tree(&workspace.join("crates").join(&stem), &files).map_err(|e| e.to_string())?;
        println!("check    {document:<50} {:>5} methods {:>5} schemas", api.methods.len(), api.schemas.len());
        members.push(format!("\"crates/{stem}\""));
    }
    let shared_target = root.join("target/corpus-check/target");
    crate::scratch_check::cargo_check(&workspace, &members, &["--keep-going"], Some(&shared_target))
}
