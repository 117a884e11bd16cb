//! What a dependency choice of the runtime adds to a user's tree and build time, for the
//! decisions in the guide: `cargo xtask auth-cost` (auth crates) and `cargo xtask tls-cost`
//! (the TLS features).
//!
//! A scratch workspace in `target/<task>` has one member per candidate, each depending on
//! `runtime/` with the candidate's features (plus, for auth, the auth crate). Crates are
//! counted with `cargo tree -e normal`; times are dev builds at opt-level 0: first the base
//! candidate from clean, then each other candidate on a copy of that build, so every "adds"
//! figure is measured from the same starting point.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::specs;

/// One way of building the runtime. `member` is named `with-*` so that it never clashes
/// with a crate it depends on.
pub struct Candidate {
    pub member: &'static str,
    /// The runtime dependency's options after its path, e.g. `features = ["adc"]`.
    pub runtime: &'static str,
    /// Another dependency line, or empty.
    pub extra: &'static str,
}

/// The auth options: own code (`adc`), gcp_auth, yup-oauth2, google-cloud-auth.
pub const AUTH: [Candidate; 5] = [
    Candidate { member: "with-none", runtime: "", extra: "" },
    Candidate { member: "with-own", runtime: "features = [\"adc\"]", extra: "" },
    Candidate { member: "with-gcp-auth", runtime: "", extra: "gcp_auth = \"0.12.7\"" },
    Candidate { member: "with-yup-oauth2", runtime: "", extra: "yup-oauth2 = \"12\"" },
    Candidate { member: "with-google-cloud-auth", runtime: "", extra: "google-cloud-auth = \"1\"" },
];

/// The TLS features, from the runtime without any (plain http only).
pub const TLS: [Candidate; 4] = [
    Candidate { member: "with-no-tls", runtime: "default-features = false", extra: "" },
    Candidate {
        member: "with-rustls-ring",
        runtime: "default-features = false, features = [\"rustls-ring\"]",
        extra: "",
    },
    Candidate {
        member: "with-rustls-aws-lc",
        runtime: "default-features = false, features = [\"rustls-aws-lc\"]",
        extra: "",
    },
    Candidate {
        member: "with-native-tls",
        runtime: "default-features = false, features = [\"native-tls\"]",
        extra: "",
    },
];

/// Measures `candidates` (the first is the base) in `target/<task>`.
pub fn run(task: &str, candidates: &[Candidate], build: bool) -> Result<(), String> {
    let root = specs::project_root();
    let dir = root.join("target").join(task);
    let _ = std::fs::remove_dir_all(&dir);
    let members: Vec<String> = candidates.iter().map(|c| format!("\"{}\"", c.member)).collect();
    specs::write(
        &dir.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let runtime = root.join("runtime");
    for candidate in candidates {
        let separator = if candidate.runtime.is_empty() { "" } else { ", " };
        let manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
             discogen-runtime = {{ path = {:?}{separator}{} }}\n{}\n",
            candidate.member,
            runtime.display().to_string(),
            candidate.runtime,
            candidate.extra
        );
        specs::write(&dir.join(candidate.member).join("Cargo.toml"), &manifest)?;
        specs::write(&dir.join(candidate.member).join("src/main.rs"), "fn main() {}\n")?;
    }
    specs::run_command(specs::cargo().args(["fetch", "--quiet"]).current_dir(&dir))?;

    let base = &candidates[0];
    let base_crates = crates(&dir, base.member)?;
    println!("{:<24} {:>7} {:>12} {:>12}  C builds added", "candidate", "crates", "adds crates", "adds build");
    let base_target = dir.join(format!("target-{}", base.member));
    let base_time = if build { Some(timed_build(&dir, base.member, &base_target)?) } else { None };
    println!("{:<24} {:>7} {:>12} {:>12}", base.member, base_crates.len(), "-", seconds(base_time));
    for candidate in &candidates[1..] {
        let name = candidate.member;
        let tree = crates(&dir, name)?;
        let added: Vec<&String> = tree.difference(&base_crates).collect();
        let time = if build {
            let target = dir.join(format!("target-{name}"));
            specs::run_command(Command::new("cp").arg("-a").arg(&base_target).arg(&target))?;
            let time = timed_build(&dir, name, &target)?;
            let _ = std::fs::remove_dir_all(&target);
            Some(time)
        } else {
            None
        };
        let c_builds: Vec<&str> = added.iter().map(|k| k.as_str()).filter(|k| builds_c(k)).collect();
        println!("{name:<24} {:>7} {:>12} {:>12}  {}", tree.len(), added.len(), seconds(time), c_builds.join(", "));
    }
    if let Some(time) = base_time {
        println!("(the base, {}, from clean: {time:.1} s)", base.member);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Whether `krate` ("name vX") compiles C or assembly in its build script (needs a C
/// toolchain): the `-sys` crates and ring.
fn builds_c(krate: &str) -> bool {
    let name = krate.split(' ').next().unwrap_or_default();
    name.ends_with("-sys") || name == "ring"
}

fn seconds(time: Option<f64>) -> String {
    time.map(|t| format!("{t:.1} s")).unwrap_or_else(|| "-".to_owned())
}

/// The crates (name and version) in the normal dependency tree of `member`, itself excluded.
fn crates(dir: &Path, member: &str) -> Result<BTreeSet<String>, String> {
    let output = specs::cargo()
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
        specs::cargo()
            .args(["build", "--quiet", "-p", member, "--target-dir"])
            .arg(target)
            .args(["--config", "profile.dev.package.\"*\".opt-level=0"])
            .current_dir(dir),
    )?;
    Ok(started.elapsed().as_secs_f64())
}
