//! `cargo xtask load`: builds `tests/load` in release mode and runs its four scenarios (20 000
//! gets with 200 in flight; a fault mix over 10 000 gets and 1 000 creates, with and without
//! request ids; 500 concurrent create -> wait; a 5 000-item listing under load). The binary
//! prints the table and decides the exit status from its data check.

use std::process::Command;
use std::time::Instant;

use crate::specs;

pub fn run() -> Result<(), String> {
    let root = specs::project_root();
    let started = Instant::now();
    let status = specs::cargo()
        .args(["build", "--release", "--quiet", "-p", "discogen-load"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("release build of discogen-load failed".into());
    }
    println!("release build: {:.1} s", started.elapsed().as_secs_f64());
    let binary = specs::target_dir().join("release/discogen-load");
    let status = Command::new(&binary).status().map_err(|e| format!("{}: {e}", binary.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err("load: data lost or duplicated, or a ghost on a method with a request id (see above)".into())
    }
}
