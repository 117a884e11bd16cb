//! Bad-input hardening: the reader and both emitters get hostile Discovery documents and must
//! answer each with files or a clear error: never a panic, a hang, a stack overflow or
//! unbounded output.
//!
//! * `tests/fixtures/nasty/*.json` (see its README): a small corpus of documents, one nasty
//!   construct each. Both pipelines must accept them (or refuse the `invalid_*` ones with the
//!   expected error) within a second; the client must parse as Rust and the pages must not
//!   leak raw `{`, `}`, `<`, `>` into table cells. `nasty_clients_compile` (ignored, slow)
//!   runs `cargo check` on their clients.
//! * Generated pathological documents: 20 000-schema `$ref` chains and cycles (flat JSON, but
//!   deep recursion for anything following references), nesting at and beyond serde_json's
//!   recursion limit, very wide schemas and enums, many resources.
//! * Mutation testing (`fuzz_*`, mutator in `robustness/mutator.rs`): seeded JSON-level and
//!   byte-level mutations of the fixtures and of slices of `specs/aiplatform.v1.json`.
//!   `DISCOGEN_FUZZ_ITERATIONS=N` sets the number of mutants of each fuzz test (defaults: 3000
//!   and 2000, about 20 s in a debug build on 2 cores), `DISCOGEN_FUZZ_SEED=S` another seed. A
//!   failing mutant is written to `target/robustness-failures/` (the one in flight too, in case
//!   the process aborts); `DISCOGEN_REPLAY=file cargo test --test robustness replay --
//!   --ignored --nocapture` replays one.
//!
//! Every run happens on a worker thread with a 2 MiB stack (a stack overflow aborts the
//! process, so the generator itself must bound its recursion) and a wall-clock limit.

use std::cell::RefCell;
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{mpsc, Mutex, Once, OnceLock};
use std::time::{Duration, Instant};

use discogen::file::File;
use discogen::pipeline::{self, Input};
use discogen_tests::root;
use serde_json::{json, Map, Value};

#[path = "robustness/mutator.rs"]
mod mutator;

use mutator::{mutate, mutate_bytes, Rng};

/// Stack of the worker threads: the default of a spawned thread, a quarter of a main thread's.
const STACK_SIZE: usize = 2 * 1024 * 1024;

/// A run slower than this counts as a hang (debug build; small documents take milliseconds,
/// the slowest mutant well under a second on a quiet machine). Speed is checked by
/// `wide_documents_stay_fast`; this limit only has to tell a hang from a machine whose cores
/// are busy with other builds, where 5 s was once exceeded.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// The fixtures are small: each takes milliseconds, so anything slower is a performance bug.
const FIXTURE_TIME_LIMIT: Duration = Duration::from_secs(1);

/// Output larger than this counts as unbounded (the whole aiplatform client and docs are ~5 MB).
const OUTPUT_LIMIT: usize = 64 * 1024 * 1024;

/// Fixtures that reproduce known bugs of the Rust client emitter (`generator/src/rust`, kept
/// by another change): (file, symptom, whether it aborts the process). The client pipeline
/// still fails its checks on them; when one starts passing, remove it from this list. Those
/// that abort (stack overflow) are not run at all.
const KNOWN_CLIENT_BUGS: &[(&str, &str, bool)] = &[];

/// Failures of the Rust client emitter that the mutator may hit until they are fixed there:
/// fragments that all occur in the problem's description. Counted and reported, not failed on.
const KNOWN_CLIENT_FAILURES: &[&[&str]] = &[];

// --- running the pipelines under guard ------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Docs,
    Client,
    /// The same two pipelines on an OpenAPI document.
    OpenApiDocs,
    OpenApiClient,
}

impl Stage {
    fn run(self, name: &str, text: &str) -> discogen::Result<Vec<File>> {
        let input = Input { name, text };
        match self {
            Stage::Docs => {
                // The clean profile escapes text differently: it must hold on the same inputs.
                let api = pipeline::build_api(input, None)?;
                discogen::docs::render_profile(&api, discogen::docs::Profile::Clean)?;
                // StackQL's current format, with its own converter rules and manifests.
                pipeline::docs_profile(Input { name, text }, None, discogen::docs::Profile::Stackql07)?;
                discogen::docs::render(&api)
            }
            Stage::Client => pipeline::client(input, None),
            Stage::OpenApiDocs => {
                let (api, _) = pipeline::load_openapi(input, None)?;
                discogen::docs::render_profile(&api, discogen::docs::Profile::Clean)?;
                discogen::docs::render_profile(&api, discogen::docs::Profile::Stackql07)?;
                discogen::docs::render(&api)
            }
            Stage::OpenApiClient => {
                let (api, config) = pipeline::load_openapi(input, None)?;
                discogen::rust::render(&api, &pipeline::client_config(&api, &config))
            }
        }
    }
}

enum Outcome {
    Files(Vec<File>),
    Error(String),
    /// Message and location of the panic.
    Panic(String),
}

impl Outcome {
    fn describe(&self) -> String {
        match self {
            Outcome::Files(files) => format!("{} files", files.len()),
            Outcome::Error(message) => format!("error: {message}"),
            Outcome::Panic(message) => format!("PANIC: {message}"),
        }
    }
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics of unnamed threads (the docs emitter renders pages on scoped threads).
static UNNAMED_PANIC: Mutex<Option<String>> = Mutex::new(None);

const WORKER_PREFIX: &str = "discogen-guarded";

/// Records panics of worker and renderer threads instead of printing them; panics of the test
/// threads themselves go to the default hook as usual.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string payload)".to_owned());
            let location = info.location().map_or_else(String::new, |l| format!("{}:{}", l.file(), l.line()));
            let record = format!("{message} at {location}");
            match thread.name() {
                Some(name) if name.starts_with(WORKER_PREFIX) => LAST_PANIC.with(|p| *p.borrow_mut() = Some(record)),
                None => *UNNAMED_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(record),
                Some(_) => default(info),
            }
        }));
    });
}

/// Runs one pipeline on a worker thread, catching panics and giving up after [`TIME_LIMIT`].
fn guarded(stage: Stage, name: &str, text: &str) -> (Outcome, Duration) {
    install_panic_hook();
    let (sender, receiver) = mpsc::channel();
    let (label, name, text) = (name.to_owned(), name.to_owned(), text.to_owned());
    let started = Instant::now();
    std::thread::Builder::new()
        .name(format!("{WORKER_PREFIX}-{stage:?}"))
        .stack_size(STACK_SIZE)
        .spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(|| stage.run(&name, &text)));
            let outcome = match result {
                Ok(Ok(files)) => Outcome::Files(files),
                Ok(Err(discogen::Error::Render { message, .. })) if message.contains("thread panicked") => {
                    let inner = UNNAMED_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
                    Outcome::Panic(format!("in a renderer thread: {}", inner.unwrap_or(message)))
                }
                Ok(Err(err)) => Outcome::Error(err.to_string()),
                Err(_) => Outcome::Panic(LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default()),
            };
            let _ = sender.send(outcome);
        })
        .expect("spawn worker");
    match receiver.recv_timeout(TIME_LIMIT) {
        Ok(outcome) => (outcome, started.elapsed()),
        Err(_) => {
            // A thread cannot be stopped, and a runaway one may eat all memory while the other
            // tests go on: end the whole process, loudly.
            // Straight to the process's stderr: `eprintln!` inside a test is captured, and the
            // capture is lost with the process.
            let _ = writeln!(
                std::io::stderr(),
                "\nrobustness: {stage:?} of {label} still running after {TIME_LIMIT:?}: a hang. Ending the test \
                 process. (A mutant is kept as target/robustness-failures/in-flight-*.json.)\n"
            );
            std::process::exit(101);
        }
    }
}

// --- output checks -------------------------------------------------------------------------------

/// Paths are relative, normalised (no empty, `.` or `..` segment) and unique; output is bounded.
fn check_paths(files: &[File]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    let mut total = 0;
    for file in files {
        total += file.contents.len();
        if file.path.is_empty()
            || file.path.starts_with('/')
            || file.path.split('/').any(|segment| segment.is_empty() || segment == "." || segment == "..")
        {
            return Err(format!("output path {:?} is not a plain relative path", file.path));
        }
        if !seen.insert(file.path.as_str()) {
            return Err(format!("output path {:?} is generated twice", file.path));
        }
    }
    if total > OUTPUT_LIMIT {
        return Err(format!("{total} bytes of output"));
    }
    Ok(())
}

/// Every `<td>` cell of every page contains no raw `{`, `}`, `<` or `>` (MDX would read them as
/// JSX) besides the tags the page format puts there, and its attribute values are closed
/// properly (a quote inside one would end it early).
fn check_pages(files: &[File]) -> Result<(), String> {
    for file in files {
        let page = file.contents.as_str();
        let mut at = 0;
        while let Some(start) = page[at..].find("<td>") {
            at += start + "<td>".len();
            let cell_start = at;
            let bad = |what: String, at: usize| {
                let context: String = page[cell_start..].chars().take(120).collect();
                Err(format!("{}: {what} at byte {} of the cell {context:?}", file.path, at - cell_start))
            };
            loop {
                let rest = &page[at..];
                if rest.starts_with("</td>") {
                    break;
                }
                if let Some((tag, attribute_end)) = [("<CopyableCode code=\"", "\" />"), ("<a href=\"", "\">")]
                    .iter()
                    .find(|(tag, _)| rest.starts_with(tag))
                {
                    // The value runs to the next quote, which must close the tag.
                    let value = &rest[tag.len()..];
                    let Some(end) = value.find('"') else { return bad("an unclosed attribute".into(), at) };
                    if !value[end..].starts_with(attribute_end) {
                        return bad("a quote inside an attribute value".into(), at);
                    }
                    at += tag.len() + end + attribute_end.len();
                    continue;
                }
                if let Some(tag) =
                    ["<code>", "</code>", "<b>", "</b>", "</a>"].iter().find(|tag| rest.starts_with(*tag))
                {
                    at += tag.len();
                    continue;
                }
                let Some(c) = rest.chars().next() else { return bad("an unclosed cell".into(), at) };
                if matches!(c, '{' | '}' | '<' | '>') {
                    return bad(format!("raw {c:?}"), at);
                }
                at += c.len_utf8();
            }
        }
    }
    Ok(())
}

/// Every `.rs` file parses as a Rust file, and `Cargo.toml` has only table headers, comments,
/// `key = value` lines and array items.
fn check_client(files: &[File]) -> Result<(), String> {
    for file in files {
        if file.path.ends_with(".rs") {
            syn::parse_file(&file.contents).map_err(|err| format!("{} does not parse as Rust: {err}", file.path))?;
        } else if file.path == "Cargo.toml" {
            check_cargo_toml(&file.contents)?;
        }
    }
    Ok(())
}

fn check_cargo_toml(text: &str) -> Result<(), String> {
    for line in text.lines() {
        let line = line.trim();
        let plain_string = |s: &str| {
            s.len() >= 2 && s.starts_with('"') && s.ends_with('"') && {
                let inner = &s[1..s.len() - 1];
                !inner.contains(['"', '\\']) && !inner.chars().any(char::is_control)
            }
        };
        let ok = line.is_empty()
            || line.starts_with('#')
            || (line.starts_with('[') && line.ends_with(']'))
            || line == "]"
            || plain_string(line.trim_end_matches(','))
            || line.split_once(" = ").is_some_and(|(key, value)| {
                key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && (plain_string(value)
                        || value.starts_with(['[', '{'])
                        || value.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'))
            });
        if !ok {
            return Err(format!("Cargo.toml line {line:?} is not valid TOML of the expected shape"));
        }
    }
    Ok(())
}

fn check_files(stage: Stage, files: &[File], syntax: bool) -> Result<(), String> {
    check_paths(files)?;
    match stage {
        Stage::Docs | Stage::OpenApiDocs => check_pages(files),
        Stage::Client | Stage::OpenApiClient if syntax => check_client(files),
        Stage::Client | Stage::OpenApiClient => Ok(()),
    }
}

// --- the nasty fixtures --------------------------------------------------------------------------

fn nasty_dir() -> PathBuf {
    root().join("tests/fixtures/nasty")
}

fn nasty_fixtures() -> Vec<(String, String)> {
    let mut fixtures: Vec<(String, String)> = std::fs::read_dir(nasty_dir())
        .expect("tests/fixtures/nasty")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            (name, text)
        })
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 10, "the nasty corpus has {} documents", fixtures.len());
    fixtures
}

/// What a fixture must produce: files, or (for genuinely invalid documents) this error.
fn expected_error(fixture: &str) -> Option<&'static str> {
    match fixture {
        "invalid_method_id.json" => Some(
            "invalid_method_id.json: $.resources.words.methods.get.id: \"../..\" is not a method id \
             (dot-separated names such as \"svc.things.get\")",
        ),
        "invalid_empty_resource_name.json" => Some(
            "invalid_empty_resource_name.json: empty.projects.get_: method id gives an empty StackQL resource name",
        ),
        "invalid_parameter_name.json" => {
            Some("invalid_parameter_name.json: params.words.get: \"{+name}\" is not a parameter name")
        }
        "invalid_service_name.json" => Some("invalid_service_name.json: $.name: \"../{x}\" is not a service name"),
        _ => None,
    }
}

#[test]
fn nasty_fixtures_generate_docs_and_a_client_that_parses() {
    let mut failures = Vec::new();
    let mut timings = Vec::new();
    for (name, text) in nasty_fixtures() {
        let known_bug = KNOWN_CLIENT_BUGS.iter().find(|(file, _, _)| *file == name);
        for stage in [Stage::Docs, Stage::Client] {
            if let (Stage::Client, Some((_, symptom, true))) = (stage, known_bug) {
                eprintln!("{name} {stage:?}: not run, known client bug ({symptom})");
                continue;
            }
            let (outcome, elapsed) = guarded(stage, &name, &text);
            timings.push(format!("{name} {stage:?}: {elapsed:?}"));
            let problem = match (&outcome, expected_error(&name)) {
                _ if elapsed > FIXTURE_TIME_LIMIT => Some(format!("took {elapsed:?}")),
                (Outcome::Files(files), None) => check_files(stage, files, true).err(),
                (Outcome::Error(message), Some(expected)) if message == expected => None,
                (outcome, Some(expected)) => Some(format!("expected error {expected:?}, got {}", outcome.describe())),
                (outcome, None) => Some(outcome.describe()),
            };
            match (problem, known_bug, stage) {
                (None, Some((_, symptom, _)), Stage::Client) => failures.push(format!(
                    "{name} {stage:?}: known client bug ({symptom}) no longer shows: remove it from KNOWN_CLIENT_BUGS"
                )),
                (Some(problem), Some((_, symptom, _)), Stage::Client) => {
                    eprintln!("{name} {stage:?}: known client bug ({symptom}): {problem}")
                }
                (Some(problem), _, _) => failures.push(format!("{name} {stage:?}: {problem}")),
                (None, _, _) => {}
            }
        }
    }
    eprintln!("{}", timings.join("\n"));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

// --- generated pathological documents ------------------------------------------------------------

fn service(name: &str, schemas: Value, resources: Value) -> Value {
    json!({
        "kind": "discovery#restDescription", "name": name, "version": "v1",
        "rootUrl": format!("https://{name}.example.com/"), "servicePath": "",
        "schemas": schemas, "resources": resources,
    })
}

fn get_method(service: &str, resource: &str, response: &str) -> Value {
    json!({"methods": {"get": {
        "id": format!("{service}.{resource}.get"), "path": format!("v1/{resource}"), "httpMethod": "GET",
        "response": {"$ref": response}
    }}})
}

/// Runs the pipelines and fails on anything but files that pass the checks.
fn assert_generates(name: &str, doc: &Value, stages: &[Stage], syntax: bool) {
    let text = doc.to_string();
    for &stage in stages {
        let (outcome, elapsed) = guarded(stage, name, &text);
        eprintln!("{name} {stage:?} ({} KB): {elapsed:?}", text.len() / 1024);
        match outcome {
            Outcome::Files(files) => {
                if let Err(problem) = check_files(stage, &files, syntax) {
                    panic!("{name} {stage:?}: {problem}");
                }
            }
            other => panic!("{name} {stage:?}: {}", other.describe()),
        }
    }
}

/// A chain of `n` named schemas, each referring to the next through `link(next)`; flat JSON,
/// but any recursion that follows `$ref`s goes `n` deep.
fn ref_chain(n: usize, link: impl Fn(String) -> Value, close_cycle: bool) -> Value {
    let mut schemas = Map::new();
    for i in 0..n {
        let next = if i + 1 < n {
            Some(format!("S{}", i + 1))
        } else if close_cycle {
            Some("S0".to_owned())
        } else {
            None
        };
        let mut properties = Map::new();
        properties.insert("value".to_owned(), json!({"type": "string"}));
        if let Some(next) = next {
            properties.insert("next".to_owned(), link(next));
        }
        schemas.insert(format!("S{i}"), json!({"id": format!("S{i}"), "type": "object", "properties": properties}));
    }
    service("chain", Value::Object(schemas), json!({"chains": get_method("chain", "chains", "S0")}))
}

/// Schemas in the long chains: deep enough that recursion along `$ref`s would need far more
/// than the worker's stack.
const CHAIN: usize = 20_000;

fn chains(n: usize) -> Vec<(&'static str, Value)> {
    let plain = |next: String| json!({"$ref": next});
    let described = |next: String| json!({"$ref": next, "description": "next"});
    let array = |next: String| json!({"type": "array", "items": {"$ref": next}});
    let map = |next: String| json!({"type": "object", "additionalProperties": {"$ref": next}});
    vec![
        ("chain.json", ref_chain(n, plain, false)),
        ("cycle.json", ref_chain(n, described, true)),
        ("array-cycle.json", ref_chain(n, array, true)),
        ("map-cycle.json", ref_chain(n, map, true)),
    ]
}

#[test]
fn a_long_ref_chain_does_not_overflow_the_stack() {
    for (name, doc) in chains(CHAIN) {
        assert_generates(name, &doc, &[Stage::Docs], false);
    }
}

/// The client emitter on the same chains: boxing is decided from strongly connected
/// components, so this stays linear (it once took five minutes).
#[test]
fn a_long_ref_chain_client_is_linear() {
    for (name, doc) in chains(CHAIN) {
        assert_generates(name, &doc, &[Stage::Client], false);
    }
}

/// `depth` levels of inline objects around a string property.
fn nested(depth: usize) -> Value {
    let mut schema = json!({"type": "string"});
    for _ in 0..depth {
        schema = json!({"type": "object", "properties": {"p": schema}});
    }
    schema
}

#[test]
fn nesting_up_to_the_json_limit_works_and_beyond_it_is_refused() {
    // The document itself takes 3 levels, each inline object 2: serde_json's recursion limit
    // (128) lets about 62 through.
    let doc = service("deep", json!({"Deep": nested(60)}), json!({"deeps": get_method("deep", "deeps", "Deep")}));
    assert_generates("deep.json", &doc, &[Stage::Docs, Stage::Client], true);

    let doc = service("deep", json!({"Deep": nested(64)}), json!({"deeps": get_method("deep", "deeps", "Deep")}));
    let text = doc.to_string();
    for stage in [Stage::Docs, Stage::Client] {
        match guarded(stage, "deep.json", &text).0 {
            Outcome::Error(message) => assert!(
                message.starts_with("deep.json: $.schemas.Deep.properties.p.properties.p.")
                    && message.contains(": recursion limit exceeded at line 1 column "),
                "{message}"
            ),
            other => panic!("{stage:?}: {}", other.describe()),
        }
    }
    // Far beyond the limit, as arrays: still an error, not a stack overflow.
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for stage in [Stage::Docs, Stage::Client] {
        assert!(matches!(guarded(stage, "arrays.json", &text).0, Outcome::Error(_)));
    }
}

#[test]
fn wide_documents_stay_fast() {
    // A 3 000-property schema and a 3 000-value enum used by 20 resources; 300 more resources.
    let properties: Map<String, Value> = (0..3000)
        .map(|i| (format!("field{i}"), json!({"type": "string", "description": format!("{{{i}}}")})))
        .collect();
    let values: Vec<String> = (0..3000).map(|i| format!("VALUE_{i}")).collect();
    let schemas = json!({
        "Wide": {"id": "Wide", "type": "object", "properties": properties},
        "Enum": {"id": "Enum", "type": "object", "properties": {"e": {"type": "string", "enum": values}}},
        "Small": {"id": "Small", "type": "object", "properties": {"name": {"type": "string"}}},
    });
    let mut resources = Map::new();
    for i in 0..320 {
        let name = format!("r{i}");
        let schema = match i {
            0..10 => "Wide",
            10..20 => "Enum",
            _ => "Small",
        };
        let mut methods = get_method("wide", &name, schema);
        for verb in ["create", "delete"] {
            methods["methods"][verb] = json!({
                "id": format!("wide.{name}.{verb}"), "path": format!("v1/{name}/{verb}"),
                "httpMethod": if verb == "create" { "POST" } else { "DELETE" }, "request": {"$ref": schema}
            });
        }
        resources.insert(name, methods);
    }
    let doc = service("wide", schemas, Value::Object(resources));
    assert_generates("wide.json", &doc, &[Stage::Docs, Stage::Client], false);
}

// --- seeds and the fuzz driver -------------------------------------------------------------------

/// Slices of aiplatform of at most ~120 KB: the service's metadata, one
/// `projects.locations.<resource>` subtree and the schemas it reaches.
fn aiplatform_slices() -> &'static [(String, Value)] {
    static SLICES: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    SLICES.get_or_init(|| {
        let text = discogen_tests::read("specs/aiplatform.v1.json");
        let spec: Value = serde_json::from_str(&text).expect("aiplatform parses");
        let schemas = spec["schemas"].as_object().expect("schemas");
        let mut slices = Vec::new();
        let children =
            spec["resources"]["projects"]["resources"]["locations"]["resources"].as_object().expect("locations");
        for (name, resource) in children {
            let mut reached: Vec<String> = Vec::new();
            let mut queue = vec![resource];
            while let Some(value) = queue.pop() {
                match value {
                    Value::Object(map) => {
                        if let Some(Value::String(target)) = map.get("$ref") {
                            if !reached.contains(target) {
                                reached.push(target.clone());
                                if let Some(schema) = schemas.get(target) {
                                    queue.push(schema);
                                }
                            }
                        }
                        queue.extend(map.values());
                    }
                    Value::Array(items) => queue.extend(items),
                    _ => {}
                }
            }
            let mut doc = spec.clone();
            doc["resources"] =
                json!({"projects": {"resources": {"locations": {"resources": {name.clone(): resource}}}}});
            doc["schemas"] = Value::Object(
                schemas.iter().filter(|(key, _)| reached.contains(key)).map(|(k, v)| (k.clone(), v.clone())).collect(),
            );
            if doc.to_string().len() <= 120 * 1024 {
                slices.push((format!("aiplatform-{name}.json"), doc));
            }
        }
        slices
    })
}

fn fuzz_iterations(default: usize) -> usize {
    std::env::var("DISCOGEN_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn fuzz_seed() -> u64 {
    std::env::var("DISCOGEN_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5eed_d15c_06e7)
}

fn failure_dir() -> PathBuf {
    root().join("target/robustness-failures")
}

fn is_known_client_failure(problem: &str) -> bool {
    KNOWN_CLIENT_FAILURES.iter().any(|fragments| fragments.iter().all(|fragment| problem.contains(fragment)))
}

#[derive(Default)]
struct FuzzReport {
    mutants: usize,
    runs: usize,
    files: usize,
    errors: usize,
    known_failures: usize,
    /// Per mutation: (mutants whose docs run produced files, mutants).
    by_mutation: std::collections::BTreeMap<&'static str, (usize, usize)>,
    /// How often each kind of error was seen (message without file, place and position).
    error_kinds: std::collections::BTreeMap<String, usize>,
    slowest: (Duration, String),
    total: Duration,
    failures: Vec<String>,
}

/// Mutates `seeds` round-robin `iterations` times and runs both pipelines on every mutant.
fn fuzz(label: &str, seeds: &[(String, Value)], iterations: usize, syntax_every: usize) -> FuzzReport {
    fuzz_stages(label, seeds, iterations, syntax_every, [Stage::Docs, Stage::Client])
}

fn fuzz_stages(
    label: &str,
    seeds: &[(String, Value)],
    iterations: usize,
    syntax_every: usize,
    stages: [Stage; 2],
) -> FuzzReport {
    let base = fuzz_seed();
    let mut report = FuzzReport::default();
    let started = Instant::now();
    let in_flight = failure_dir().join(format!("in-flight-{label}.json"));
    let mut slowest_text = String::new();
    for iteration in 0..iterations {
        let seed = base.wrapping_mul(31).wrapping_add(iteration as u64);
        let mut rng = Rng::new(seed);
        let (name, original) = &seeds[iteration % seeds.len()];
        let mut doc = original.clone();
        let mut applied: Vec<&str> = (0..rng.below(3) + 1).map(|_| mutate(&mut rng, &mut doc)).collect();
        let mut text = doc.to_string();
        if rng.chance(15) {
            text = mutate_bytes(&mut rng, &text);
            applied.push("byte-level damage");
        }
        report.mutants += 1;
        // A stack overflow aborts the process before any report: the mutant in flight is
        // kept on disk so that it can be found afterwards.
        let _ = std::fs::create_dir_all(failure_dir());
        let _ = std::fs::write(&in_flight, format!("// {name}, seed {seed}: {}\n{text}", applied.join(", ")));
        for stage in stages {
            let (outcome, elapsed) = guarded(stage, name, &text);
            report.runs += 1;
            if elapsed > report.slowest.0 {
                report.slowest = (elapsed, format!("{name} {stage:?} seed {seed}"));
                slowest_text.clone_from(&text);
            }
            if matches!(stage, Stage::Docs | Stage::OpenApiDocs) {
                for mutation in &applied {
                    let tally = report.by_mutation.entry(mutation).or_default();
                    tally.0 += usize::from(matches!(outcome, Outcome::Files(_)));
                    tally.1 += 1;
                }
            }
            let problem = match &outcome {
                Outcome::Files(files) => {
                    report.files += 1;
                    check_files(stage, files, syntax_every > 0 && iteration % syntax_every == 0).err()
                }
                Outcome::Error(message) => {
                    report.errors += 1;
                    *report.error_kinds.entry(error_kind(message)).or_default() += 1;
                    None
                }
                other => Some(other.describe()),
            };
            let problem = match problem {
                Some(problem) if stage == Stage::Client && is_known_client_failure(&problem) => {
                    report.known_failures += 1;
                    None
                }
                problem => problem,
            };
            if let Some(problem) = problem {
                let dir = failure_dir();
                let _ = std::fs::create_dir_all(&dir);
                let saved = dir.join(format!("{label}-{seed}.json"));
                let _ = std::fs::write(&saved, &text);
                report.failures.push(format!(
                    "{name} {stage:?}, seed {seed} ({}): {problem}\n    saved as {}",
                    applied.join(", "),
                    saved.display()
                ));
                if report.failures.len() >= 10 {
                    report.total = started.elapsed();
                    return report;
                }
            }
        }
    }
    report.total = started.elapsed();
    let _ = std::fs::remove_file(&in_flight);
    // The slowest mutant, for profiling.
    let _ = std::fs::write(failure_dir().join(format!("slowest-{label}.json")), &slowest_text);
    report
}

fn error_kind(message: &str) -> String {
    let mut parts = message.splitn(3, ": ");
    let text = match (parts.next(), parts.next(), parts.next()) {
        (_, _, Some(text)) => text,
        (_, Some(text), None) => text,
        _ => message,
    };
    let text = text.split(" at line ").next().unwrap_or(text);
    let kind: String = text.split(['"', '`']).step_by(2).collect::<Vec<_>>().join("_");
    kind.chars().take(60).collect()
}

fn finish(label: &str, report: FuzzReport) {
    let mut kinds: Vec<(&String, &usize)> = report.error_kinds.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1));
    let kinds: Vec<String> =
        kinds.iter().take(12).map(|(kind, n)| format!("    {n:5} {}", kind.escape_debug())).collect();
    eprintln!("{label}: most frequent errors:\n{}", kinds.join("\n"));
    let mutations: Vec<String> = report
        .by_mutation
        .iter()
        .map(|(name, (ok, all))| {
            format!("    {name}: {all} times, {}% of those mutants generate", ok * 100 / all.max(&1))
        })
        .collect();
    eprintln!("{label}: mutations:\n{}", mutations.join("\n"));
    eprintln!(
        "{label}: {} mutants, {} runs in {:?}: {} produced files, {} were refused with an error, {} hit known \
         client-emitter bugs; slowest run {:?} ({}); peak RSS of the process {} MiB",
        report.mutants,
        report.runs,
        report.total,
        report.files,
        report.errors,
        report.known_failures,
        report.slowest.0,
        report.slowest.1,
        peak_rss_kib() / 1024,
    );
    assert!(report.failures.is_empty(), "{} failures:\n{}", report.failures.len(), report.failures.join("\n"));
    assert!(peak_rss_kib() < PEAK_RSS_LIMIT_KIB, "peak RSS {} KiB", peak_rss_kib());
}

/// The process's peak resident set size in KiB (Linux; 0 elsewhere).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line[6..].trim().trim_end_matches("kB").trim().parse().ok()
        })
        .unwrap_or(0)
}

/// Memory stays bounded: the whole test process (all tests, in parallel) under 2 GiB.
const PEAK_RSS_LIMIT_KIB: u64 = 2 * 1024 * 1024;

#[test]
fn fuzz_nasty_fixtures() {
    // Fixtures of known client bugs would mostly find those again (and some abort).
    let known = |name: &str| KNOWN_CLIENT_BUGS.iter().any(|(file, _, _)| *file == name);
    let seeds: Vec<(String, Value)> = nasty_fixtures()
        .into_iter()
        .filter(|(name, _)| !known(name))
        .map(|(name, text)| {
            let value = serde_json::from_str(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
            (name, value)
        })
        .collect();
    let report = fuzz("nasty", &seeds, fuzz_iterations(3000), 10);
    finish("fuzz_nasty_fixtures", report);
}

#[test]
fn fuzz_aiplatform_slices() {
    let slices = aiplatform_slices();
    assert!(slices.len() >= 5, "{} slices", slices.len());
    let report = fuzz("aiplatform", slices, fuzz_iterations(2000), 10);
    finish("fuzz_aiplatform_slices", report);
}

/// Slices of StackQL's aiplatform provider spec (OpenAPI 3.1): one StackQL resource each, with
/// its operations' path items, the global parameters and the schemas they reach.
fn provider_spec_slices() -> Vec<(String, Value)> {
    let text = discogen_tests::read("specs/stackql/aiplatform.yaml");
    let spec = discogen::openapi::parse("specs/stackql/aiplatform.yaml", &text).expect("the provider spec parses");
    let schemas = spec["components"]["schemas"].as_object().expect("schemas");
    let mut slices = Vec::new();
    for (name, resource) in spec["components"]["x-stackQL-resources"].as_object().expect("resources") {
        let mut paths = serde_json::Map::new();
        for method in resource["methods"].as_object().into_iter().flat_map(|m| m.values()) {
            let Some(pointer) = method["operation"]["$ref"].as_str() else { continue };
            let path = pointer.trim_start_matches("#/paths/").rsplit_once('/').map_or("", |(path, _)| path);
            let path = path.replace("~1", "/").replace("~0", "~");
            paths.insert(path.clone(), spec["paths"][&path].clone());
        }
        let mut reached: Vec<String> = Vec::new();
        let mut queue: Vec<&Value> = paths.values().collect();
        while let Some(value) = queue.pop() {
            match value {
                Value::Object(map) => {
                    if let Some(target) =
                        map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"))
                    {
                        if !reached.iter().any(|r| r == target) {
                            reached.push(target.to_owned());
                            queue.extend(schemas.get(target));
                        }
                    }
                    queue.extend(map.values());
                }
                Value::Array(items) => queue.extend(items),
                _ => {}
            }
        }
        let mut doc = spec.clone();
        doc["paths"] = Value::Object(paths);
        doc["components"]["schemas"] = Value::Object(
            schemas.iter().filter(|(key, _)| reached.contains(key)).map(|(k, v)| (k.clone(), v.clone())).collect(),
        );
        doc["components"]["x-stackQL-resources"] = json!({name.clone(): resource});
        if doc.to_string().len() <= 60 * 1024 {
            slices.push((format!("aiplatform-provider-{name}.json"), doc));
        }
    }
    slices
}

/// The OpenAPI reader on mutants of the Petstore and of provider-spec slices: every mutant
/// generates or is refused with an error, never a panic, a hang or a broken page.
#[test]
fn fuzz_openapi_documents() {
    let mut seeds = provider_spec_slices();
    assert!(seeds.len() >= 5, "{} provider spec slices", seeds.len());
    eprintln!("fuzz_openapi_documents: {} provider spec slices and the Petstore", seeds.len());
    let petstore = discogen_tests::read("tests/fixtures/openapi/petstore.json");
    seeds.push(("petstore.json".to_owned(), serde_json::from_str(&petstore).expect("petstore parses")));
    let report = fuzz_stages("openapi", &seeds, fuzz_iterations(1500), 10, [Stage::OpenApiDocs, Stage::OpenApiClient]);
    finish("fuzz_openapi_documents", report);
}

/// Replays one saved document (`DISCOGEN_REPLAY=path`, e.g. a file from
/// `target/robustness-failures/`) through both pipelines and prints what happens.
#[test]
#[ignore = "a tool for minimising fuzz findings: DISCOGEN_REPLAY=path cargo test --test robustness replay -- --ignored"]
fn replay() {
    let Ok(path) = std::env::var("DISCOGEN_REPLAY") else { return };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    // The in-flight file starts with a comment line naming the seed and the mutations.
    let text = match text.strip_prefix("//") {
        Some(rest) => rest.split_once('\n').map_or("", |(_, body)| body).to_owned(),
        None => text,
    };
    for stage in [Stage::Docs, Stage::Client] {
        let (outcome, elapsed) = guarded(stage, &path, &text);
        let problem = match &outcome {
            Outcome::Files(files) => check_files(stage, files, true).err(),
            _ => None,
        };
        eprintln!("{stage:?} in {elapsed:?}: {}; {problem:?}", outcome.describe());
    }
}

/// Every nasty fixture's client crate passes `cargo check` (one workspace under
/// `target/nasty-clients`, all features). Too slow for every `cargo test`; `cargo xtask corpus`
/// checks the same documents.
#[test]
#[ignore = "slow: cargo check of every nasty fixture's client; run with --ignored"]
fn nasty_clients_compile() {
    let dir = root().join("target/nasty-clients");
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = root().join("runtime");
    let mut members = Vec::new();
    for (name, text) in nasty_fixtures() {
        let stem = name.trim_end_matches(".json").to_owned();
        if expected_error(&name).is_some() || KNOWN_CLIENT_BUGS.iter().any(|(file, _, aborts)| *aborts && *file == name)
        {
            continue;
        }
        let Outcome::Files(files) = guarded(Stage::Client, &name, &text).0 else { continue };
        for file in files {
            let path = dir.join(&stem).join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let contents = match file.path.as_str() {
                "Cargo.toml" => {
                    file.contents.replace("\"../../runtime\"", &format!("{:?}", runtime.display().to_string()))
                }
                _ => file.contents,
            };
            std::fs::write(path, contents).unwrap();
        }
        members.push(format!("{stem:?}"));
    }
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = discogen_conformance::cargo_command()
        .args(["check", "--workspace", "--all-features", "--offline", "--message-format", "short"])
        .env("CARGO_TARGET_DIR", root().join("target/nasty-clients-target"))
        .current_dir(&dir)
        .output()
        .expect("run cargo check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let problems: Vec<&str> = stderr.lines().filter(|l| l.contains("error") || l.contains("warning")).collect();
    assert!(output.status.success(), "cargo check failed:\n{}", problems.join("\n"));
}
