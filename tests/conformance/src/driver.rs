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
         serde_json = \"1\"\ntokio = { version = \"1\", features = [\"rt\", \"net\", \"io-util\"] }\n",
    );
    remove_old_modules(&driver.join("src"))?;
    let mut arms = String::new();
    for (name, lib, full) in modules {
        write_calls_crate(&driver.join("calls").join(lib), name, *full)?;
        manifest.push_str(&format!("calls-{name} = {{ path = \"calls/{lib}\" }}\n"));
        arms.push_str(&format!(
            "            {name:?} => run({name:?}, &runtime, calls_{lib}::client, calls_{lib}::client_at, &calls_{lib}::root(), calls_{lib}::calls()),\n"
        ));
    }
    // The media calls' ids end in the generator's suffixes.
    use discogen::rust::conformance::{DOWNLOAD, UPLOAD};
    let media_suffixes = format!("{UPLOAD:?}) || id.ends_with({DOWNLOAD:?}");
    let tail = MAIN_TAIL.replace("{arms}", &arms).replace("{media_suffixes}", &media_suffixes);
    let main = format!("{MAIN_HEAD}{tail}{RECORDER}");
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
pub use calls::{calls, client, client_at, root};
"#;

const MAIN_HEAD: &str = r#"//! Written by discogen-conformance: every method of every API through its typed builder
//! (one `calls-*` crate per API), recorded by MockTransport (media by a recording HTTP server),
//! one JSON line per call.
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
    client_at: fn(&str) -> C,
    root: &str,
    calls: Vec<(&str, fn(C) -> Pending)>,
) {
    for (id, call) in calls {
        // Media goes over HTTP to a recording server (its streaming bodies do not pass through
        // a Transport); every other call is recorded by MockTransport.
        let media = id.ends_with({media_suffixes});
        let mock = MockTransport::with_responder(|_| Ok(HttpResponse::new(200, "{}")));
        let server = media.then(|| runtime.block_on(Recorder::start(root)));
        let client = match &server {
            Some(server) => client_at(&server.url),
            None => client(mock.clone()),
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runtime.block_on(call(client))));
        let line = match outcome {
            Ok(()) => {
                let requests: Vec<serde_json::Value> = match &server {
                    Some(server) => server.requests.lock().unwrap().clone(),
                    None => mock
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
                        .collect(),
                };
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

/// The recording HTTP/1.1 server of media calls: answers `200 {}` to everything and records
/// each request as MockTransport would, its URL rebased on the API's real root URL.
const RECORDER: &str = r#"
struct Recorder {
    url: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
}

impl Recorder {
    async fn start(root: &str) -> Recorder {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("address"));
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (recorded, root) = (requests.clone(), root.to_owned());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, root.clone(), recorded.clone()));
            }
        });
        Recorder { url, requests }
    }
}

async fn serve(
    stream: tokio::net::TcpStream,
    root: String,
    recorded: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
) -> std::io::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::io::BufReader::new(stream);
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut words = line.split_whitespace();
        let (method, target) = (words.next().unwrap_or_default().to_owned(), words.next().unwrap_or_default().to_owned());
        let (mut length, mut chunked, mut content_type) = (0usize, false, serde_json::Value::Null);
        loop {
            let mut header = String::new();
            stream.read_line(&mut header).await?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
                "content-type" => content_type = value.trim().into(),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                stream.read_line(&mut size).await?;
                let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                stream.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            body.resize(length, 0);
            stream.read_exact(&mut body).await?;
        }
        recorded.lock().unwrap().push(serde_json::json!({
            "method": method,
            "url": format!("{root}{}", target.trim_start_matches('/')),
            "content_type": content_type,
            "body": String::from_utf8_lossy(&body),
        }));
        let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
        stream.get_mut().write_all(reply.as_bytes()).await?;
    }
}
"#;

/// Builds the driver and runs it for every suite.
pub fn build_and_run(harness: &Harness, suites: &[Suite]) -> Result<Recorded, String> {
    let driver = harness.work.join("driver");
    let target = harness.work.join("target");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
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
