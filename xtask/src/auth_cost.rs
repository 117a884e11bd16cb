//! `cargo xtask auth-cost`: what each way of doing auth adds to the runtime's dependency tree
//! and build time, for the dependency decision in the README.
//!
//! A scratch workspace in `target/auth-cost` has one member per candidate, each depending on
//! `runtime/` (with the `adc` feature for "own", without for the others plus the auth crate).
//! Crates are counted with `cargo tree -e normal`; times are dev builds at opt-level 0: first
//! the runtime alone from clean, then each candidate on a copy of that build, so every
//! "adds" figure is measured from the same starting point.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::specs;

/// (member, extra dependency line, runtime features). Members are named `with-*` so that
/// they never clash with the crate they depend on.
const CANDIDATES: [(&str, &str, &str); 5] = [
    ("with-none", "", ""),
    ("with-own", "", "\"adc\""),
    ("with-gcp-auth", "gcp_auth = \"0.12.7\"", ""),
    ("with-yup-oauth2", "yup-oauth2 = \"12\"", ""),
    ("with-google-cloud-auth", "google-cloud-auth = \"1\"", ""),
];

pub fn run(build: bool) -> Result<(), String> {
    let root = specs::project_root();
    let dir = root.join("target/auth-cost");
    let _ = std::fs::remove_dir_all(&dir);
    let members: Vec<String> = CANDIDATES.iter().map(|(name, _, _)| format!("\"{name}\"")).collect();
    write(&dir.join("Cargo.toml"), &format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")))?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let runtime = root.join("runtime");
    for (name, extra, features) in CANDIDATES {
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
             discogen-runtime = {{ path = {:?}, features = [{features}] }}\n{extra}\n",
            runtime.display().to_string()
        );
        write(&dir.join(name).join("Cargo.toml"), &manifest)?;
        write(&dir.join(name).join("src/main.rs"), "fn main() {}\n")?;
    }
    specs::run_command(Command::new(env!("CARGO")).args(["fetch", "--quiet"]).current_dir(&dir))?;

    let base_crates = crates(&dir, "with-none")?;
    println!("{:<22} {:>7} {:>12} {:>12}", "auth", "crates", "adds crates", "adds build");
    let base_target = dir.join("target-with-none");
    let base_time = if build { Some(timed_build(&dir, "with-none", &base_target)?) } else { None };
    println!("{:<22} {:>7} {:>12} {:>12}", "with-none", base_crates.len(), "-", seconds(base_time));
    for (name, _, _) in &CANDIDATES[1..] {
        let tree = crates(&dir, name)?;
        let added = tree.difference(&base_crates).count();
        let time = if build {
            let target = dir.join(format!("target-{name}"));
            specs::run_command(Command::new("cp").arg("-a").arg(&base_target).arg(&target))?;
            let time = timed_build(&dir, name, &target)?;
            let _ = std::fs::remove_dir_all(&target);
            Some(time)
        } else {
            None
        };
        println!("{name:<22} {:>7} {added:>12} {:>12}", tree.len(), seconds(time));
    }
    if let Some(base) = base_time {
        println!("(the runtime alone, clean: {base:.1} s)");
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn seconds(time: Option<f64>) -> String {
    time.map(|t| format!("{t:.1} s")).unwrap_or_else(|| "-".to_owned())
}

/// The crates (name and version) in the normal dependency tree of `member`, itself excluded.
fn crates(dir: &Path, member: &str) -> Result<BTreeSet<String>, String> {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "-p", member, "-e", "normal", "--prefix", "none"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo tree -p {member} failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .filter(|krate| !krate.starts_with(&format!("{member} ")))
        .collect())
}

fn timed_build(dir: &Path, member: &str, target: &Path) -> Result<f64, String> {
    let started = Instant::now();
    specs::run_command(
        Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", member, "--target-dir"])
            .arg(target)
            .args(["--config", "profile.dev.package.\"*\".opt-level=0"])
            .current_dir(dir),
    )?;
    Ok(started.elapsed().as_secs_f64())
}
