//! The reference side: `google-api-python-client` (pinned) in a virtual environment under
//! `target/`, installed by the harness, running `tests/conformance/reference.py`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::driver::Suite;

/// The reference client's version (the corpus's documents come from the same wheel).
pub const VERSION: &str = "2.181.0";

/// The venv's `python`, installing `google-api-python-client==VERSION` when missing (one
/// installer at a time, guarded by a lock directory).
pub fn install(root: &Path) -> Result<PathBuf, String> {
    let target = root.join("target");
    let venv = target.join(format!("google-api-python-client-{VERSION}"));
    let python = venv.join("bin").join("python");
    // pip writes the package last; its presence means a complete install.
    let done = venv.join("installed");
    if done.exists() {
        return Ok(python);
    }
    std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
    let lock = target.join(format!("google-api-python-client-{VERSION}.lock"));
    let deadline = Instant::now() + Duration::from_secs(600);
    while std::fs::create_dir(&lock).is_err() {
        if done.exists() {
            return Ok(python);
        }
        if Instant::now() > deadline {
            return Err(format!("another run holds {} for too long", lock.display()));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let result = (|| {
        let _ = std::fs::remove_dir_all(&venv);
        check(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        check(Command::new(venv.join("bin").join("pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("google-api-python-client=={VERSION}"),
        ]))?;
        std::fs::write(&done, VERSION).map_err(|e| e.to_string())
    })();
    let _ = std::fs::remove_dir(&lock);
    result.map_err(|message| {
        format!(
            "installing google-api-python-client {VERSION} failed: {message} (python3 with its venv module is needed)"
        )
    })?;
    Ok(python)
}

/// The reference's request (or error) per method id of `suite`.
pub fn run(python: &Path, root: &Path, suite: &Suite) -> Result<HashMap<String, Value>, String> {
    let script = root.join("tests/conformance/reference.py");
    let output = Command::new(python).arg(&script).arg(&suite.cases).output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("reference.py {}: {}", suite.cases.display(), String::from_utf8_lossy(&output.stderr)));
    }
    let mut requests = HashMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let value: Value = serde_json::from_str(line).map_err(|e| format!("reference output {line:?}: {e}"))?;
        requests.insert(value["id"].as_str().unwrap_or_default().to_owned(), value);
    }
    Ok(requests)
}

fn check(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{command:?}: {}", String::from_utf8_lossy(&output.stderr)))
    }
}
