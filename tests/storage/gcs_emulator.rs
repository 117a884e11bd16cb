//! gcp-storage-emulator (a third-party Cloud Storage emulator, from PyPI) for the storage end
//! to end tests: installed into a virtual environment under `target/` when missing, started on
//! a free 127.0.0.1 port, waited for, and killed when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The pinned release.
pub const VERSION: &str = "2026.7.19";

pub struct GcsEmulator {
    child: Child,
    port: u16,
}

impl GcsEmulator {
    pub fn start() -> GcsEmulator {
        let program = install();
        let port = free_port();
        let child = Command::new(&program)
            .args(["start", "--host", "127.0.0.1", "--port", &port.to_string(), "--in-memory", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let emulator = GcsEmulator { child, port };
        emulator.wait_ready();
        emulator
    }

    /// The JSON API endpoint.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/storage/v1/", self.port)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
                use std::io::{Read, Write};
                let _ = stream.write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.") && answer.contains(" 200 ") {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("gcp-storage-emulator did not answer on port {} within 30 s", self.port);
    }
}

impl Drop for GcsEmulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// `target/gcs-emulator-<version>/bin/gcp-storage-emulator`, installed with `python3 -m venv`
/// and pip when missing (one installer at a time, guarded by a lock directory).
fn install() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("target");
    let venv = root.join(format!("gcs-emulator-{VERSION}"));
    let program = venv.join("bin").join("gcp-storage-emulator");
    if program.exists() {
        return program;
    }
    std::fs::create_dir_all(&root).expect("create target/");
    let lock = root.join(format!("gcs-emulator-{VERSION}.lock"));
    let deadline = Instant::now() + Duration::from_secs(600);
    while std::fs::create_dir(&lock).is_err() {
        assert!(Instant::now() < deadline, "another test holds {} for too long", lock.display());
        std::thread::sleep(Duration::from_millis(200));
        if program.exists() {
            return program;
        }
    }
    let result = (|| {
        // pip writes the entry point last, so its presence means a complete install.
        let _ = std::fs::remove_dir_all(&venv);
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        run(Command::new(venv.join("bin").join("pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("gcp-storage-emulator=={VERSION}"),
        ]))?;
        Ok::<(), String>(())
    })();
    let _ = std::fs::remove_dir(&lock);
    if let Err(message) = result {
        let _ = std::fs::remove_dir_all(&venv);
        panic!("installing gcp-storage-emulator {VERSION} failed: {message} (python3 with its venv module is needed)");
    }
    program
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{command:?}: {}", String::from_utf8_lossy(&output.stderr)))
    }
}
