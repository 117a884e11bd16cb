//! `cargo xtask semver-confirm` (also run by `cargo xtask corpus`): `discogen diff`'s verdicts
//! confirmed by the compiler (issue 26). For each real revision pair listed under
//! `semver_confirm:` in xtask/corpus.yaml, the old and the new client crate are generated (the
//! new one keeping the old one's names, as `cargo xtask regen` and `discogen diff` do), and a
//! usage program is written from the OLD crate's surface: one function per public item
//! (accessor, method with its required arguments and `send()` result, setter, type, field,
//! variant, resource name) that names the item with the types the surface gives it. The
//! program must compile against the old crate (else this program generator is wrong) and
//! compiles against the new one exactly when the diff says compatible; every error it then has
//! must fall in the function of an item the diff calls breaking, and every item the diff calls
//! breaking must have one.
//!
//! What the compiler cannot see is said, not tested: an enum variant whose wire value changed
//! under the same Rust name, or a resource-name pattern whose literals changed with the same
//! variables, breaks at run time, not at compile time. Features are all enabled, but the
//! other TLS backends, which no generated line depends on (as `cargo xtask corpus` checks), so
//! a removed feature is not seen either (none of the pairs removes one).
//!
//! All crates and programs are one scratch workspace checked by one `cargo check` in the
//! target directory of `cargo xtask corpus`'s check (same flags), so the runtime and its
//! dependencies are not built again.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use discogen::pipeline::{self, Input};
use discogen::rust::surface::{self, ItemChange, Kind, Surface};

use crate::{corpus, specs};

/// One pair of revisions: a corpus document in two pinned releases.
#[derive(serde::Deserialize)]
pub struct PairSpec {
    pub document: String,
    pub old: String,
    pub new: String,
}

/// A pair generated: its programs, the diff, and where each item's function is.
struct Pair {
    label: String,
    /// The probe packages' library target names (old, new).
    targets: (String, String),
    changes: Vec<ItemChange>,
    /// First line of each item's function in the program, with the item's path.
    lines: Vec<(usize, String)>,
    /// Breaking items the compiler sees (their paths), and those it cannot (a wire value or a
    /// pattern's literals).
    visible: Vec<String>,
    invisible: Vec<String>,
}

pub fn run() -> Result<(), String> {
    let started = Instant::now();
    let definition = corpus::definition()?;
    let pairs = definition.semver_confirm.as_slice();
    if pairs.len() < 5 {
        return Err("xtask/corpus.yaml: `semver_confirm:` lists fewer than 5 pairs".to_owned());
    }
    let releases = corpus::pinned_releases(&definition)?;
    let root = specs::project_root();
    let workspace = root.join("target/semver-confirm");
    let _ = std::fs::remove_dir_all(&workspace);
    let mut members = Vec::new();
    let mut generated = Vec::new();
    for spec in pairs {
        let documents = |version: &str| {
            releases.iter().find(|(pinned, _)| pinned == version).map(|(_, dir)| dir).ok_or_else(|| {
                format!("xtask/corpus.yaml: {} {version} is not a pinned release (corpus or names_stay)", spec.document)
            })
        };
        let old_text = specs::read(&corpus::document(documents(&spec.old)?, &spec.document)?)?;
        let new_text = specs::read(&corpus::document(documents(&spec.new)?, &spec.document)?)?;
        let stem = format!("{}-{}-{}", spec.document, spec.old, spec.new).replace(['.', '_'], "-");
        let old = generate(&workspace, &format!("{stem}-old"), &old_text, None)?;
        let new = generate(&workspace, &format!("{stem}-new"), &new_text, Some(old.1.clone()))?;
        let changes = surface::diff(&old.0, &new.0);
        let program = Program::of(&old.0);
        let mut targets = Vec::new();
        for side in ["old", "new"] {
            let name = format!("probe-{stem}-{side}");
            let dir = workspace.join("probes").join(&name);
            specs::write(&dir.join("src/lib.rs"), &program.source)?;
            let manifest = format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\napi = {{ package = \"semver-{stem}-{side}\", path = \"../../crates/{stem}-{side}\" }}\n\
                 discogen-runtime = {{ path = \"{}\", default-features = false }}\n",
                root.join("runtime").display()
            );
            specs::write(&dir.join("Cargo.toml"), &manifest)?;
            members.push(format!("\"crates/{stem}-{side}\""));
            members.push(format!("\"probes/{name}\""));
            targets.push(name.replace('-', "_"));
        }
        let (visible, invisible): (Vec<&ItemChange>, Vec<&ItemChange>) =
            changes.iter().filter(|c| c.breaking()).partition(|c| compile_visible(c, &old.0));
        let visible = visible.iter().map(|c| c.path.clone()).collect();
        let invisible = invisible.iter().map(|c| format!("{} {}", c.change.as_str(), c.path)).collect();
        generated.push(Pair {
            label: format!("{} {} -> {}", spec.document, spec.old, spec.new),
            targets: (targets[0].clone(), targets[1].clone()),
            changes,
            lines: program.lines,
            visible,
            invisible,
        });
    }
    println!("generated {} pairs in {:.1} s", generated.len(), started.elapsed().as_secs_f64());
    let errors = check(&workspace, &members)?;
    let mut failed = Vec::new();
    for pair in &generated {
        let breaking: Vec<&ItemChange> = pair.changes.iter().filter(|c| c.breaking()).collect();
        let compatible = pair.changes.len() - breaking.len();
        let verdict = if breaking.is_empty() { "compatible" } else { "breaking" };
        let old_errors = errors.get(&pair.targets.0).map_or(&[][..], Vec::as_slice);
        let new_errors = errors.get(&pair.targets.1).map_or(&[][..], Vec::as_slice);
        let items = pair.lines.len();
        println!(
            "{}: diff says {verdict} ({} breaking, {compatible} compatible); program of {items} items: \
             {} errors against the old crate, {} against the new",
            pair.label,
            breaking.len(),
            old_errors.len(),
            new_errors.len()
        );
        for error in old_errors.iter().take(10) {
            println!("  old: {}", error.text);
        }
        if !old_errors.is_empty() {
            failed.push(format!("{}: the program does not compile against the old crate", pair.label));
            continue;
        }
        // Each error against the new crate, by the item whose function it is in.
        let mut hit: BTreeMap<String, usize> = BTreeMap::new();
        let mut stray = Vec::new();
        for error in new_errors {
            match error.line.and_then(|line| item_at(&pair.lines, line)) {
                Some(path) if breaking.iter().any(|c| c.path == path) => *hit.entry(path.to_owned()).or_default() += 1,
                Some(path) => stray.push(format!("{path}: {}", error.text)),
                None => stray.push(error.text.clone()),
            }
        }
        let visible = pair.visible.len();
        if new_errors.is_empty() {
            println!("  the program compiles against the new crate");
        } else {
            println!(
                "  {} errors in the functions of {} of the {visible} breaking items the compiler can see",
                new_errors.len() - stray.len(),
                hit.len()
            );
        }
        for path in pair.invisible.iter() {
            println!("  breaking at run time, not seen by the compiler: {path}");
        }
        for error in &stray {
            println!("  error at an item the diff does not call breaking: {error}");
        }
        // A breaking item whose function compiles: the diff said more than the compiler sees.
        let missed: Vec<&String> = pair.visible.iter().filter(|path| !hit.contains_key(*path)).collect();
        for path in &missed {
            println!("  breaking by the diff, but its function compiles: {path}");
        }
        if !missed.is_empty() {
            failed.push(format!("{}: {} breaking items compile", pair.label, missed.len()));
        }
        let compiles = new_errors.is_empty();
        if compiles != (visible == 0) {
            failed.push(format!(
                "{}: the diff says {verdict}, the program {} against the new crate",
                pair.label,
                if compiles { "compiles" } else { "does not compile" }
            ));
        }
        if !stray.is_empty() {
            failed.push(format!("{}: {} errors at items the diff does not call breaking", pair.label, stray.len()));
        }
    }
    let breaking = generated.iter().filter(|p| p.changes.iter().any(ItemChange::breaking)).count();
    println!(
        "semver-confirm: {} pairs ({breaking} breaking, {} compatible), {} failed, in {:.1} s",
        generated.len(),
        generated.len() - breaking,
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("; "))
    }
}

/// Generates one crate into `workspace/crates/<dir>`; returns its surface and names.
fn generate(
    workspace: &Path,
    dir: &str,
    document: &str,
    previous: Option<discogen::rust::record::NameRecord>,
) -> Result<(Surface, discogen::rust::record::NameRecord), String> {
    let (api, config) = pipeline::load(Input { name: dir, text: document }, None).map_err(|e| format!("{dir}: {e}"))?;
    let mut client = pipeline::client_config(&api, &config);
    client.crate_name = format!("semver-{dir}");
    client.runtime_path = Some(specs::project_root().join("runtime").display().to_string());
    client.previous_names = previous;
    let (surface, names) = surface::surface_and_names(&api, &client).map_err(|e| format!("{dir}: {e}"))?;
    let files = discogen::rust::render(&api, &client).map_err(|e| format!("{dir}: {e}"))?;
    discogen::output::write_tree(&workspace.join("crates").join(dir), &files).map_err(|e| e.to_string())?;
    Ok((surface, names))
}

/// Whether a breaking change shows in what the program names: a changed enum variant's wire
/// value does not, nor a resource-name pattern's literals (the type's fields are its variables).
fn compile_visible(change: &ItemChange, old: &Surface) -> bool {
    match (change.change, change.kind) {
        (surface::Change::Changed, Kind::Variant) => !is_plain_enum(old, &change.path),
        (surface::Change::Changed, Kind::Name) => variables(&change.old) != variables(&change.new),
        _ => true,
    }
}

/// Whether `path` (`Enum::Variant`) is a variant of an enum of values (not a one-of).
fn is_plain_enum(surface: &Surface, path: &str) -> bool {
    let owner = path.rsplit_once("::").map_or(path, |(owner, _)| owner);
    surface.items.get(owner).is_some_and(|(_, signature)| signature == "enum")
}

/// The `{variables}` of a resource-name template.
fn variables(template: &str) -> Vec<&str> {
    template.split('{').skip(1).filter_map(|rest| rest.split('}').next()).collect()
}

/// The usage program of a surface and where each item's function starts.
struct Program {
    source: String,
    lines: Vec<(usize, String)>,
}

impl Program {
    fn of(surface: &Surface) -> Program {
        let mut program = Program {
            source: "//! Names every public item of the crate `api` as its surface gives it (`cargo xtask \
                     semver-confirm`).\n#![allow(warnings)]\n\nuse discogen_runtime::wkt::*;\nuse api::*;\n"
                .to_owned(),
            lines: Vec::new(),
        };
        for (n, (path, (kind, signature))) in surface.items.iter().enumerate() {
            if let Some(body) = usage(surface, path, *kind, signature) {
                program.source.push('\n');
                let line = program.source.lines().count() + 1;
                let _ = writeln!(program.source, "// {} {path}\nfn item_{n}{body}", kind.as_str());
                program.lines.push((line, path.clone()));
            }
        }
        program
    }
}

/// The item whose function holds `line` (functions are in line order).
fn item_at(lines: &[(usize, String)], line: usize) -> Option<&str> {
    lines.iter().take_while(|(start, _)| *start <= line).last().map(|(_, path)| path.as_str())
}

/// The function (after its name) that names one item, or `None` for what code does not name
/// (a feature: every feature is on).
fn usage(surface: &Surface, path: &str, kind: Kind, signature: &str) -> Option<String> {
    Some(match kind {
        Kind::Feature => return None,
        Kind::Resource => format!("(client: &Client) -> api::{signature} {{ {path} }}"),
        Kind::Method => {
            let (signature, output) = signature.strip_suffix(')')?.rsplit_once(" (send: ")?;
            let (arguments, builder) = signature.rsplit_once(") -> ")?;
            let arguments: Vec<(&str, &str)> = arguments
                .trim_start_matches('(')
                .split(", ")
                .filter(|a| !a.is_empty())
                .filter_map(|a| a.split_once(": "))
                .collect();
            let parameters: Vec<String> =
                arguments.iter().map(|(name, ty)| format!(", {}: {}", raw(name), list(ty))).collect();
            let values: Vec<String> = arguments.iter().map(|(name, _)| raw(name)).collect();
            let (reach, name) = path.rsplit_once('.')?;
            // The builder, and what its `send()` returns (a future never polled).
            format!(
                "(client: &Client{}) -> api::{} {{ let b = {reach}.{}({}); \
                 let _ = async {{ let _: api::Result<{output}> = b.clone().send().await; }}; b }}",
                parameters.concat(),
                builder_path(surface, path, builder)?,
                raw(name),
                values.join(", ")
            )
        }
        Kind::Setter => {
            let (call, setter) = path.rsplit_once("(..).")?;
            let builder = surface.items.get(call)?.1.rsplit_once(") -> ")?.1.split(' ').next()?;
            let builder = format!("api::{}", builder_path(surface, call, builder)?);
            match setter {
                "download" => format!("(b: {builder}) {{ let _ = b.download(); }}"),
                "upload" => format!("(b: {builder}, media: MediaSource) {{ let _ = b.upload(media); }}"),
                _ => format!("(b: {builder}, value: {}) -> {builder} {{ b.{}(value) }}", list(signature), raw(setter)),
            }
        }
        Kind::Type => match signature {
            "struct" => format!("() -> {path} {{ {path} {{ ..Default::default() }} }}"),
            // An enum of values has `as_str`; a one-of is only named (its variants are items).
            "enum" => format!("(x: &{path}) -> &str {{ x.as_str() }}"),
            "enum (one of)" => format!("(x: {path}) -> {path} {{ x }}"),
            alias => {
                let target = alias.trim_start_matches("= ").trim_end_matches(" (deprecated)");
                format!("(x: {path}) -> {target} {{ x }}")
            }
        },
        Kind::Field => {
            let (owner, field) = path.rsplit_once('.')?;
            format!("(x: {owner}) -> Option<{signature}> {{ x.{} }}", raw(field))
        }
        Kind::Variant => {
            let (owner, _) = path.rsplit_once("::")?;
            if is_plain_enum(surface, path) {
                format!("() -> {owner} {{ {path} }}")
            } else {
                format!("(x: {signature}) -> {owner} {{ {path}(x) }}")
            }
        }
        Kind::Name => {
            let fields: Vec<String> =
                variables(signature).iter().map(|v| format!("{}: String::new()", raw(v))).collect();
            format!("() -> {path} {{ {path} {{ {} }} }}", fields.join(", "))
        }
    })
}

/// A parameter's type as a value of it: a repeated one (`[T]`, any iterable) as a `Vec<T>`.
fn list(ty: &str) -> String {
    match ty.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        Some(item) => format!("Vec<{item}>"),
        None => ty.to_owned(),
    }
}

/// `module::Builder` of a method: the module is its resource's.
fn builder_path(surface: &Surface, method: &str, builder: &str) -> Option<String> {
    let (resource, _) = method.rsplit_once('.')?;
    let handle = &surface.items.get(resource)?.1;
    let (module, _) = handle.rsplit_once("::")?;
    Some(format!("{module}::{builder}"))
}

/// An identifier as code writes it (`type` is `r#type`).
fn raw(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
        "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
        "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do",
        "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "gen",
    ];
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// One compile error: its primary line in the program (when it is there) and its text.
struct CompileError {
    line: Option<usize>,
    text: String,
}

/// `cargo check` of the workspace; the errors of each probe, by library target name. Fails
/// when a generated crate itself does not compile.
fn check(workspace: &Path, members: &[String]) -> Result<BTreeMap<String, Vec<CompileError>>, String> {
    let root = specs::project_root();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    specs::write(&workspace.join("Cargo.toml"), &manifest)?;
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).map_err(|e| e.to_string())?;
    // `cargo xtask corpus`'s check target directory, flags and features: its runtime build is reused.
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target/corpus-check/target"), PathBuf::from);
    println!("cargo check of {} crates and programs", members.len());
    let started = Instant::now();
    let output = specs::cargo()
        .args(["check", "--workspace", "--keep-going", "--message-format=json", "--quiet"])
        .args(crate::scratch_check::feature_args(workspace, members)?)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("cargo check: {e}"))?;
    // Cargo's own lines, less the expected failures of programs against new crates (their
    // errors are reported by item below).
    for line in String::from_utf8_lossy(&output.stderr).lines() {
        if !line.starts_with("error: could not compile `probe-") {
            eprintln!("{line}");
        }
    }
    println!("cargo check took {:.1} s", started.elapsed().as_secs_f64());
    let mut errors: BTreeMap<String, Vec<CompileError>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let target = message["target"]["name"].as_str().unwrap_or_default().to_owned();
        let text = message["message"]["message"].as_str().unwrap_or_default().to_owned();
        if !target.starts_with("probe_") {
            return Err(format!("a generated crate ({target}) does not compile: {text}"));
        }
        let spans = message["message"]["spans"].as_array().cloned().unwrap_or_default();
        let primary = spans
            .iter()
            .find(|s| s["is_primary"] == true && s["file_name"].as_str().is_some_and(|f| f.ends_with("src/lib.rs")));
        // `aborting due to N errors` and the like carry no span.
        if spans.is_empty() && text.starts_with("aborting") {
            continue;
        }
        let line = primary.and_then(|s| s["line_start"].as_u64()).map(|l| l as usize);
        errors.entry(target).or_default().push(CompileError { line, text });
    }
    Ok(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(items: &[(&str, Kind, &str)]) -> Surface {
        Surface {
            items: items.iter().map(|(p, k, s)| ((*p).to_owned(), (*k, (*s).to_owned()))).collect(),
            ..Surface::default()
        }
    }

    #[test]
    fn each_item_is_named_with_the_types_its_surface_gives() {
        let s = surface(&[
            ("client.objects()", Kind::Resource, "objects::Objects"),
            (
                "client.objects().move",
                Kind::Method,
                "(bucket: String, ids: [String], body: Object) -> Move (send: Object)",
            ),
            ("client.objects().move(..).tags", Kind::Setter, "[String]"),
            ("client.objects().move(..).download", Kind::Setter, ""),
            ("Object", Kind::Type, "struct"),
            ("Object.type", Kind::Field, "Box<Object>"),
            ("State", Kind::Type, "enum"),
            ("State::Active", Kind::Variant, "ACTIVE"),
            ("Value", Kind::Type, "enum (one of)"),
            ("Value::Text", Kind::Variant, "String"),
            ("Old", Kind::Type, "= Object (deprecated)"),
            ("TopicName", Kind::Name, "projects/{project}/topics/{topic}"),
            ("feature objects", Kind::Feature, ""),
        ]);
        let usage = |path: &str| {
            let (kind, signature) = &s.items[path];
            usage(&s, path, *kind, signature)
        };
        assert_eq!(
            usage("client.objects()").unwrap(),
            "(client: &Client) -> api::objects::Objects { client.objects() }"
        );
        assert_eq!(
            usage("client.objects().move").unwrap(),
            "(client: &Client, bucket: String, ids: Vec<String>, body: Object) -> api::objects::Move \
             { let b = client.objects().r#move(bucket, ids, body); \
             let _ = async { let _: api::Result<Object> = b.clone().send().await; }; b }"
        );
        assert_eq!(
            usage("client.objects().move(..).tags").unwrap(),
            "(b: api::objects::Move, value: Vec<String>) -> api::objects::Move { b.tags(value) }"
        );
        assert_eq!(
            usage("client.objects().move(..).download").unwrap(),
            "(b: api::objects::Move) { let _ = b.download(); }"
        );
        assert_eq!(usage("Object").unwrap(), "() -> Object { Object { ..Default::default() } }");
        assert_eq!(usage("Object.type").unwrap(), "(x: Object) -> Option<Box<Object>> { x.r#type }");
        assert_eq!(usage("State").unwrap(), "(x: &State) -> &str { x.as_str() }");
        assert_eq!(usage("State::Active").unwrap(), "() -> State { State::Active }");
        assert_eq!(usage("Value::Text").unwrap(), "(x: String) -> Value { Value::Text(x) }");
        assert_eq!(usage("Old").unwrap(), "(x: Old) -> Object { x }");
        assert_eq!(
            usage("TopicName").unwrap(),
            "() -> TopicName { TopicName { project: String::new(), topic: String::new() } }"
        );
        assert_eq!(usage("feature objects"), None);
        // Errors are told apart by the function they are in.
        let program = Program::of(&s);
        let (line, path) = &program.lines[3];
        assert!(program.source.lines().nth(line - 1).unwrap().starts_with("// "), "{}", program.source);
        assert_eq!(item_at(&program.lines, line + 1), Some(path.as_str()));
    }

    #[test]
    fn what_the_compiler_cannot_see_is_told_apart() {
        let old = surface(&[("State", Kind::Type, "enum"), ("Value", Kind::Type, "enum (one of)")]);
        let change = |path: &str, kind, old: &str, new: &str| ItemChange {
            path: path.to_owned(),
            kind,
            change: surface::Change::Changed,
            old: old.to_owned(),
            new: new.to_owned(),
        };
        assert!(!compile_visible(&change("State::Active", Kind::Variant, "ACTIVE", "ENABLED"), &old));
        assert!(compile_visible(&change("Value::Text", Kind::Variant, "String", "i64"), &old));
        assert!(!compile_visible(&change("TopicName", Kind::Name, "projects/{p}/topics/{t}", "p/{p}/t/{t}"), &old));
        assert!(compile_visible(&change("TopicName", Kind::Name, "projects/{p}/topics/{t}", "topics/{t}"), &old));
    }
}
