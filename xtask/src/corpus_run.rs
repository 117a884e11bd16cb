//! `cargo xtask corpus`: run the generator (docs and client source) on every Discovery document
//! of the corpus, in process, one line per document; then `cargo check` the clients of the
//! chosen APIs and of the regression documents in tests/fixtures/nasty.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use discogen::pipeline::{self, Input};

use crate::in_process::{self, threads};
use crate::{corpus, specs};

enum Outcome {
    Ok {
        pages: usize,
        sources: usize,
        counts: MethodCounts,
    },
    /// Generated, but with public names ending in a made-up number.
    Numbered(Vec<String>, MethodCounts),
    Refused(String),
    Panicked(String),
}

pub fn run(check: bool) -> Result<(), String> {
    let definition = corpus::definition()?;
    let documents = corpus::documents(&definition)?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&documents)
        .map_err(|e| format!("{}: {e}", documents.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();

    let started = Instant::now();
    let results = generate_all(&paths);
    let wall = started.elapsed();

    let (mut ok, mut refused, mut panicked, mut numbered) = (0, 0, 0, 0);
    let mut counts = MethodCounts::default();
    for (path, outcome, time) in &results {
        let name = path.file_stem().unwrap_or_default().to_string_lossy();
        match outcome {
            Outcome::Ok { pages, sources, counts: ids } => {
                counts.add(ids);
                ok += 1;
                println!("ok       {name:<40} {pages:>4} pages {sources:>4} sources {:>6.1} ms", ms(*time));
            }
            Outcome::Numbered(names, ids) => {
                counts.add(ids);
                numbered += 1;
                println!("NUMBERED {name:<40} {}", names.join(", "));
            }
            Outcome::Refused(error) => {
                refused += 1;
                println!("refused  {name:<40} {error}");
            }
            Outcome::Panicked(message) => {
                panicked += 1;
                println!("PANIC    {name:<40} {message}");
            }
        }
    }
    let mut slowest: Vec<_> = results.iter().map(|(p, _, t)| (t, p)).collect();
    slowest.sort_by(|a, b| b.0.cmp(a.0));
    println!(
        "\n{} documents in {:.1} s ({} threads): {ok} ok, {refused} refused with an error, {panicked} panicked, \
         {numbered} with numbered public names",
        results.len(),
        wall.as_secs_f64(),
        threads(),
    );
    let slow: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(t, p)| format!("{} {:.0} ms", p.file_stem().unwrap_or_default().to_string_lossy(), ms(**t)))
        .collect();
    println!("slowest: {}", slow.join(", "));
    println!(
        "request ids (AIP-155, filled by the client): {} POST/PATCH methods by query parameter and {} by body field, in {} documents",
        counts.query, counts.body, counts.documents
    );
    println!(
        "paged lists: {} with pages() and items(), {} with pages() only (several lists in the response)",
        counts.paged_items, counts.paged_only
    );
    if panicked > 0 {
        return Err(format!("{panicked} document(s) made the generator panic"));
    }
    if numbered > 0 {
        return Err(format!("{numbered} client(s) have public names with a disambiguating number"));
    }
    if check {
        check_crates(&definition, &documents)?;
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Runs docs + client generation for every document on all cores, catching panics.
fn generate_all(paths: &[PathBuf]) -> Vec<(PathBuf, Outcome, Duration)> {
    let results = in_process::run_all(paths, None, &|_, _| {}, |path| generate(path));
    paths
        .iter()
        .zip(results)
        .map(|(path, (outcome, time))| {
            let outcome = match outcome {
                in_process::Outcome::Done(Ok((_, _, numbered, ids))) if !numbered.is_empty() => {
                    Outcome::Numbered(numbered, ids)
                }
                in_process::Outcome::Done(Ok((pages, sources, _, counts))) => Outcome::Ok { pages, sources, counts },
                in_process::Outcome::Done(Err(error)) => Outcome::Refused(error),
                in_process::Outcome::Panicked(message) => Outcome::Panicked(message),
            };
            (path.clone(), outcome, time)
        })
        .collect()
}

/// Methods of a document whose client fills in a request id, by where it goes, and its
/// paged lists, by whether they stream items or only pages.
#[derive(Default)]
struct MethodCounts {
    query: usize,
    body: usize,
    /// Documents with at least one request id (when summed).
    documents: usize,
    paged_items: usize,
    paged_only: usize,
}

impl MethodCounts {
    fn of(api: &discogen::ir::Api, client: &[discogen::file::File]) -> MethodCounts {
        use discogen::ir::RequestIdSlot;
        let slots = || api.methods.iter().filter_map(|m| m.request_id.as_ref());
        let query = slots().filter(|s| matches!(s, RequestIdSlot::Query(_))).count();
        let body = slots().filter(|s| matches!(s, RequestIdSlot::BodyField(_))).count();
        // `paginated!(Builder, token, Page)` streams pages; a fourth argument, the item type, items too.
        let (mut paged_items, mut paged_only) = (0, 0);
        for file in client {
            for call in file.contents.split("paginated!(").skip(1) {
                let arguments = call.split(')').next().unwrap_or_default().trim().trim_end_matches(',');
                match arguments.matches(',').count() {
                    2 => paged_only += 1,
                    _ => paged_items += 1,
                }
            }
        }
        MethodCounts { query, body, documents: usize::from(query + body > 0), paged_items, paged_only }
    }

    fn add(&mut self, other: &MethodCounts) {
        self.query += other.query;
        self.body += other.body;
        self.documents += other.documents;
        self.paged_items += other.paged_items;
        self.paged_only += other.paged_only;
    }
}

/// Pages and client source files for one document, the client's public names that end in a
/// made-up number (`discogen::rust::lint`), and its methods with request ids.
fn generate(path: &Path) -> Result<(usize, usize, Vec<String>, MethodCounts), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let name = path.display().to_string();
    let (api, config) = pipeline::load(Input { name: &name, text: &text }, None).map_err(|e| e.to_string())?;
    let pages = discogen::docs::render(&api).map_err(|e| e.to_string())?;
    let client = discogen::rust::render(&api, &pipeline::client_config(&api, &config)).map_err(|e| e.to_string())?;
    let numbered = discogen::rust::lint::numbered_names(&text, &client);
    let counts = MethodCounts::of(&api, &client);
    Ok((pages.len(), client.len(), numbered, counts))
}

/// Writes the clients of the chosen APIs and the nasty fixtures into one scratch workspace
/// and runs `cargo check` on it with warnings denied.
fn check_crates(definition: &corpus::Corpus, documents: &Path) -> Result<(), String> {
    let root = specs::project_root();
    let workspace = root.join("target/corpus-check");
    let _ = std::fs::remove_dir_all(workspace.join("crates"));
    let mut inputs: Vec<PathBuf> = Vec::new();
    for name in &definition.check {
        inputs.push(corpus::document(documents, name)?);
    }
    let nasty = root.join("tests/fixtures/nasty");
    if let Ok(entries) = std::fs::read_dir(&nasty) {
        let mut fixtures: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
            .collect();
        fixtures.sort();
        inputs.extend(fixtures);
    }
    let mut members = Vec::new();
    for input in &inputs {
        let stem = input.file_stem().unwrap_or_default().to_string_lossy().replace(['.', '_'], "-");
        let text = specs::read(input)?;
        let name = input.display().to_string();
        let generated = pipeline::client_crate(Input { name: &name, text: &text }, None, |client| {
            client.crate_name = format!("corpus-{stem}");
            client.runtime_path = Some(root.join("runtime").display().to_string());
        });
        let files = match generated {
            Ok((_, files)) => files,
            // Refused documents are the corpus run's business; a render error is a failure.
            Err(discogen::error::Error::Render { what, message }) => return Err(format!("{name}: {what}: {message}")),
            Err(_) => {
                println!("skip     {stem} (refused by the generator)");
                continue;
            }
        };
        discogen::output::write_tree(&workspace.join("crates").join(&stem), &files).map_err(|e| e.to_string())?;
        members.push(format!("\"crates/{stem}\""));
    }
    // The calls written from Google's REST reference (issue 25) compile against these
    // clients, warnings denied: under the crate names a user's generated crates have.
    let mut dependencies = String::new();
    for api in crate::reference_calls::APIS {
        let stem = api.replace(['.', '_'], "-");
        if !members.contains(&format!("\"crates/{stem}\"")) {
            return Err(format!("xtask/corpus.yaml: `check` must list {api} (tests/reference-calls uses it)"));
        }
        dependencies
            .push_str(&format!("google-{stem} = {{ package = \"corpus-{stem}\", path = \"../crates/{stem}\" }}\n"));
    }
    crate::reference_calls::write_app(&workspace.join("reference-calls"), &dependencies, false)?;
    members.push("\"reference-calls\"".to_owned());
    crate::scratch_check::cargo_check(&workspace, &members, &[], None)
}
