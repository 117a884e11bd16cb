//! Prism (`@stoplight/prism-cli`, the OpenAPI mock server, from npm) for the OpenAPI end to
//! end tests: installed with `npm ci` from `tests/prism/package-lock.json` into `target/` when
//! missing, started as `prism mock SPEC --errors` on a free 127.0.0.1 port (request-validation
//! failures become 4xx responses with a `validation` list), waited for, and killed when
//! dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The pinned release (also in tests/prism/package.json and its lock file).
pub const VERSION: &str = "5.16.0";

pub struct Prism {
    child: Child,
    port: u16,
    /// Everything Prism printed, for failure messages.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Prism {
    /// Installs Prism if needed and mocks `spec` (a path relative to the project root).
    pub fn start(spec: &str) -> Prism {
        let program = install();
        let port = free_port();
        let mut child = Command::new(&program)
            .args(["mock", &root().join(spec).display().to_string(), "--errors", "--host", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = mpsc::channel();
        for stream in [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child.stderr.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let (log, ready_tx) = (log.clone(), ready_tx.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if line.contains("Prism is listening") {
                        let _ = ready_tx.send(());
                    }
                    log.lock().unwrap().push(line);
                }
            });
        }
        let prism = Prism { child, port, log };
        // Prism prints its routes, then "Prism is listening on ..." once the port is bound.
        if ready_rx.recv_timeout(Duration::from_secs(60)).is_err() {
            panic!("Prism did not start listening within 60 s:\n{}", prism.log());
        }
        prism
    }

    /// The base URL the spec's paths are relative to.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// What Prism printed so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// How many lines Prism printed so far: a mark for [`Prism::request_log`].
    pub fn mark(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    /// Prism's log of the one request sent after `mark`: its validator lines (`The request
    /// passed the validation rules`, or `Violation: ...`) up to the negotiator's `Responding
    /// with "<status>"`, which Prism prints before it answers (read from its pipe, so waited
    /// for a moment).
    pub fn request_log(&self, mark: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let lines: Vec<String> = self.log.lock().unwrap()[mark..].to_vec();
            if lines.iter().any(|line| line.contains("> Responding with")) || Instant::now() > deadline {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// `target/prism-<version>/node_modules/.bin/prism`, installed with `npm ci` (exact versions
/// and integrity hashes from the lock file; install scripts off) when missing, one installer at
/// a time (a lock directory).
fn install() -> PathBuf {
    let target = root().join("target");
    let dir = target.join(format!("prism-{VERSION}"));
    let program = dir.join("node_modules/.bin/prism");
    if program.exists() {
        return program;
    }
    std::fs::create_dir_all(&dir).expect("create target/prism-*");
    let lock = target.join(format!("prism-{VERSION}.lock"));
    let deadline = Instant::now() + Duration::from_secs(600);
    while std::fs::create_dir(&lock).is_err() {
        assert!(Instant::now() < deadline, "another test holds {} for too long", lock.display());
        std::thread::sleep(Duration::from_millis(200));
    }
    let result = (|| {
        if program.exists() {
            return Ok(());
        }
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(root().join("tests/prism").join(file), dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
        }
        npm_ci(&dir)
    })();
    let _ = std::fs::remove_dir(&lock);
    if let Err(message) = result {
        panic!("installing Prism {VERSION} into {}: {message}", dir.display());
    }
    program
}

fn npm_ci(dir: &Path) -> Result<(), String> {
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run npm (Node.js and npm are needed): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("npm ci failed ({}):\n{}", output.status, String::from_utf8_lossy(&output.stderr)))
    }
}
