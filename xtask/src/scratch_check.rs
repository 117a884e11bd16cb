//! `cargo check` of generated crates in one scratch workspace, warnings denied: shared by the
//! Discovery and OpenAPI corpus runs.

use std::path::Path;
use std::time::Instant;

use crate::specs;

/// Writes the workspace manifest naming `members` (paths relative to `workspace`), copies the
/// project's lock file and runs `cargo check` on every member with all features.
pub fn cargo_check(
    workspace: &Path,
    members: &[String],
    extra_args: &[&str],
    target_dir: Option<&Path>,
) -> Result<(), String> {
    let root = specs::project_root();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(workspace.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The project's lock file pins the runtime's dependencies to the versions CI tested.
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).map_err(|e| e.to_string())?;
    println!("\ncargo check of {} generated crates (warnings denied)", members.len());
    let started = Instant::now();
    let mut command = specs::cargo();
    // Every feature: big APIs without a configuration have per-resource features.
    command.args(["check", "--workspace", "--all-features", "--quiet"]).args(extra_args);
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let status = command
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(workspace)
        .status()
        .map_err(|e| format!("cargo check: {e}"))?;
    println!("cargo check took {:.1} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err("a generated crate does not pass cargo check".to_owned())
    }
}
