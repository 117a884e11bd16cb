//! Where inputs and outputs live, and how the generated tree is produced from `specs/`.

use std::path::{Path, PathBuf};

use discogen::docs::Profile;
use discogen::file::File;
use discogen::pipeline::{self, Input};

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives one level below the root").to_owned()
}

/// Where cargo puts its builds: `CARGO_TARGET_DIR`, else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| project_root().join("target"), PathBuf::from)
}

pub fn generated_dir() -> PathBuf {
    project_root().join("generated")
}

/// A service to generate: its configuration file and the document it names (`discovery:`, or
/// `openapi:` for an OpenAPI 3 document).
pub struct Spec {
    pub config: PathBuf,
    pub document: PathBuf,
    pub openapi: bool,
}

impl Spec {
    /// The service's changelog beside its configuration, `specs/<service>.CHANGELOG.md`: kept by
    /// `cargo xtask update` / `regen`, copied into the crate as `CHANGELOG.md`.
    pub fn changelog(&self) -> PathBuf {
        let stem = self.config.file_stem().unwrap_or_default().to_string_lossy();
        self.config.with_file_name(format!("{stem}.CHANGELOG.md"))
    }
}

/// Every `specs/*.yaml`, sorted by file name.
pub fn all() -> Result<Vec<Spec>, String> {
    all_in(&project_root())
}

/// Every `specs/*.yaml` of the project at `root`.
pub fn all_in(root: &Path) -> Result<Vec<Spec>, String> {
    specs_in(&root.join("specs"))
}

fn specs_in(dir: &Path) -> Result<Vec<Spec>, String> {
    let dir = dir.to_owned();
    let entries = std::fs::read_dir(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let mut configs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    configs.sort();
    configs
        .into_iter()
        .map(|config| {
            let text = read(&config)?;
            let parsed = discogen::config::Config::parse(&display(&config), &text).map_err(|e| e.to_string())?;
            let (document, openapi) = match (parsed.discovery, parsed.openapi) {
                (Some(discovery), _) => (discovery, false),
                (None, Some(openapi)) => (openapi, true),
                (None, None) => return Err(format!("{}: no `discovery:` (or `openapi:`) entry", display(&config))),
            };
            Ok(Spec { document: dir.join(document), openapi, config })
        })
        .collect()
}

pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| format!("{}: cannot read: {err}", display(path)))
}

/// Writes `text` to `path`, creating its directory.
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A path relative to the project root when possible, for messages.
pub fn display(path: &Path) -> String {
    path.strip_prefix(project_root()).unwrap_or(path).display().to_string()
}

/// A set of generated files relative to some output directory.
pub struct Tree {
    pub files: Vec<File>,
}

impl Tree {
    pub fn write(&self, out: &Path) -> Result<(), String> {
        discogen::output::write_tree(out, &self.files).map_err(|e| e.to_string())?;
        println!("wrote {} files under {}", self.files.len(), display(out));
        Ok(())
    }
}

/// The IR of one spec and the configuration it was built with.
fn load(spec: &Spec) -> Result<(discogen::ir::Api, discogen::config::Config), String> {
    load_with(spec, discogen::stackql::Rules::Seed)
}

/// [`load`] with the document's text given (another revision of the spec's document); no
/// warnings printed.
pub fn load_text(spec: &Spec, document_text: &str) -> Result<(discogen::ir::Api, discogen::config::Config), String> {
    load_from(spec, document_text, discogen::stackql::Rules::Seed)
}

/// [`load`] with a Discovery document's StackQL model derived by `rules`.
fn load_with(
    spec: &Spec,
    rules: discogen::stackql::Rules,
) -> Result<(discogen::ir::Api, discogen::config::Config), String> {
    let loaded = load_from(spec, &read(&spec.document)?, rules)?;
    for warning in &loaded.0.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(loaded)
}

fn load_from(
    spec: &Spec,
    document_text: &str,
    rules: discogen::stackql::Rules,
) -> Result<(discogen::ir::Api, discogen::config::Config), String> {
    let config_text = read(&spec.config)?;
    let (config_name, document_name) = (display(&spec.config), display(&spec.document));
    let document = Input { name: &document_name, text: document_text };
    let config = Some(Input { name: &config_name, text: &config_text });
    if spec.openapi { pipeline::load_openapi(document, config) } else { pipeline::load_with(document, config, rules) }
        .map_err(|e| e.to_string())
}

/// The documentation of every spec in `profile`, relative to a docs root (`<service>/...`).
pub fn docs_tree(profile: Profile) -> Result<Tree, String> {
    let mut files = Vec::new();
    // StackQL's current format derives the model by its converter's rules.
    let rules = if profile.is_current() { discogen::stackql::Rules::Current } else { discogen::stackql::Rules::Seed };
    for spec in all()? {
        let (api, _) = load_with(&spec, rules)?;
        files.extend(discogen::docs::render_profile(&api, profile).map_err(|e| e.to_string())?);
    }
    Ok(Tree { files })
}

/// Everything under `generated/`: `docs/<service>/...` and, for each spec with a `client:`
/// section (and each client fixture), the crate in `<crate name>/`. Each spec is read and converted once.
pub fn generated_tree() -> Result<Tree, String> {
    generated_tree_in(&project_root())
}

/// [`generated_tree`] of the project at `root` (its `generated/` is where the crates go; client
/// fixtures, `tests/fixtures/clients/*.yaml`, test-only services whose clients (no pages) are
/// generated for end-to-end tests, only where that directory exists).
pub fn generated_tree_in(root: &Path) -> Result<Tree, String> {
    let mut files: Vec<File> = Vec::new();
    let mut nest = |prefix: &str, nested: Vec<File>| {
        files.extend(nested.into_iter().map(|f| File { path: format!("{prefix}/{}", f.path), contents: f.contents }));
    };
    let specs = all_in(root)?.into_iter().map(|spec| (spec, true));
    let fixtures_dir = root.join("tests/fixtures/clients");
    let fixtures = if fixtures_dir.is_dir() { specs_in(&fixtures_dir)? } else { Vec::new() };
    for (spec, docs) in specs.chain(fixtures.into_iter().map(|spec| (spec, false))) {
        let (api, config) = load(&spec)?;
        if docs {
            nest("docs", discogen::docs::render(&api).map_err(|e| e.to_string())?);
        }
        if let Some(client) = &config.client {
            // Inside the repository the crate also takes the runtime by path, relative to
            // where it is written.
            let mut client = client.clone();
            let crate_dir = root.join("generated").join(&client.crate_name);
            client.runtime_path = discogen::output::relative_path(&crate_dir, &root.join("runtime"))
                .map(|path| path.display().to_string());
            // Names stay put: the crate keeps the names its committed generation chose.
            client.previous_names = previous_names(&crate_dir)?;
            let mut crate_files = discogen::rust::render(&api, &client).map_err(|e| e.to_string())?;
            // The changelog is an input (kept in specs/ with the version), so generated/ stays
            // reproducible from the committed files.
            let changelog = spec.changelog();
            if changelog.is_file() {
                crate_files.push(File { path: "CHANGELOG.md".to_owned(), contents: read(&changelog)? });
            }
            nest(&client.crate_name, crate_files);
        }
    }
    Ok(Tree { files })
}

/// The `names.json` of a generated crate directory, if it has one.
pub fn previous_names(crate_dir: &Path) -> Result<Option<discogen::rust::record::NameRecord>, String> {
    discogen::output::read_names(crate_dir).map_err(|e| e.to_string())
}

/// `cargo` for a build started from an xtask: without the variables `cargo run` gave the
/// xtask about its own package, which would make ring's build script run again (the
/// conformance harness starts its builds the same way).
pub fn cargo() -> std::process::Command {
    discogen_conformance::cargo_command()
}

/// Runs a command to completion; a non-zero exit is an error naming the command.
pub fn run_command(command: &mut std::process::Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed with {status}"))
    }
}
