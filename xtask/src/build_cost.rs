//! `cargo xtask build-cost`: what depending on a generated client costs. The crate alone
//! (dependencies already built) with every resource and with the default features, its lines
//! of generated source, the crates in its default tree, and the every-resource build of the
//! same crate at a baseline revision, built in the same run so the ratio cancels the drift of
//! a shared machine's speed.
//!
//! Each workspace has its own target directory under `target/build-cost` (cargo's artifact
//! hashes do not include a path dependency's location, so two runtimes of the same version
//! would overwrite each other in one); both are kept between runs, and dependencies are
//! built before anything is timed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::specs;

/// main before the lighter generated crates (issue 12): what the ratio compares against.
pub const DEFAULT_BASELINE: &str = "fbffb7a";

pub struct Options {
    pub package: String,
    /// Added to both builds (e.g. `tracing`).
    pub features: Vec<String>,
    /// A git revision, or `None` to skip the comparison.
    pub baseline: Option<String>,
    /// Timed builds per variant; the minimum is reported.
    pub runs: usize,
}

pub fn run(options: &Options) -> Result<(), String> {
    let root = specs::project_root();
    let work = root.join("target/build-cost");
    let target = work.join("target");
    let baseline_target = work.join("baseline-target");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let package = options.package.as_str();
    // Fetch first so the timings do not include downloads.
    specs::run_command(specs::cargo().args(["fetch", "--quiet"]).current_dir(&root))?;

    let current = Workspace { root: root.clone(), package };
    let baseline = match &options.baseline {
        Some(revision) => Some((revision.as_str(), extract_baseline(&root, &work, revision, package)?)),
        None => None,
    };
    let baseline = baseline.as_ref().map(|(revision, dir)| (*revision, Workspace { root: dir.clone(), package }));

    let full = full_features(&current)?;
    let default = options.features.clone();
    let mut everything = options.features.clone();
    everything.extend(full.iter().cloned());

    // Dependencies (and each revision's runtime) built before anything is timed.
    current.build(&target, &everything)?;
    current.build(&target, &default)?;
    if let Some((_, baseline)) = &baseline {
        baseline.build(&baseline_target, &with_full(baseline, &options.features)?)?;
    }

    let mut full_times = Vec::new();
    let mut default_times = Vec::new();
    let mut baseline_times = Vec::new();
    for _ in 0..options.runs.max(1) {
        // Interleaved, so a slower minute of the machine hits both revisions alike.
        full_times.push(current.crate_alone(&target, &everything)?);
        if let Some((_, baseline)) = &baseline {
            baseline_times.push(baseline.crate_alone(&baseline_target, &with_full(baseline, &options.features)?)?);
        }
        default_times.push(current.crate_alone(&target, &default)?);
    }
    let min = |times: &[Duration]| times.iter().min().copied().unwrap_or_default().as_secs_f64();

    let crates = crate_count(&root, package, &options.features)?;
    let lines = walk_lines(&root.join("generated").join(package).join("src"));
    let extra =
        if options.features.is_empty() { String::new() } else { format!(" (plus {})", options.features.join(",")) };
    println!("{package}{extra}:");
    println!("  all features ({}): the crate alone {:.1} s", everything.join(","), min(&full_times));
    println!(
        "  default features: the crate alone {:.1} s; {crates} crates in the tree (itself included)",
        min(&default_times)
    );
    println!("  generated source: {lines} lines");
    if let Some((revision, baseline)) = &baseline {
        let old_lines = walk_lines(&baseline.root.join("generated").join(package).join("src"));
        println!(
            "  baseline {revision}: all features, the crate alone {:.1} s; {old_lines} lines",
            min(&baseline_times)
        );
        println!(
            "  ratio all features / baseline: {:.2} (same run, minimum of {} each)",
            min(&full_times) / min(&baseline_times),
            options.runs.max(1)
        );
    }
    Ok(())
}

struct Workspace<'a> {
    root: PathBuf,
    package: &'a str,
}

impl Workspace<'_> {
    fn cargo(&self, target: &Path, args: &[&str], features: &[String]) -> Command {
        let mut command = specs::cargo();
        command.args(args).arg("--target-dir").arg(target).current_dir(&self.root);
        if !features.is_empty() {
            command.args(["--features", &features.join(",")]);
        }
        // Measure what a user's plain dev profile costs, not this workspace's optimized deps,
        // and build the crate as cargo builds a dependency: without incremental compilation
        // (whose saved state a `cargo clean -p` may leave behind).
        command.args(["--config", "profile.dev.package.\"*\".opt-level=0"]).env("CARGO_INCREMENTAL", "0");
        command
    }

    fn build(&self, target: &Path, features: &[String]) -> Result<(), String> {
        specs::run_command(&mut self.cargo(target, &["build", "--quiet", "-p", self.package], features))
    }

    /// `cargo clean -p` then a timed build: the crate alone, its dependencies already built.
    fn crate_alone(&self, target: &Path, features: &[String]) -> Result<Duration, String> {
        specs::run_command(
            specs::cargo()
                .args(["clean", "--quiet", "-p", self.package, "--target-dir"])
                .arg(target)
                .current_dir(&self.root),
        )?;
        let started = Instant::now();
        self.build(target, features)?;
        Ok(started.elapsed())
    }
}

/// `full` when the crate has that feature (one per resource), else nothing.
fn full_features(workspace: &Workspace<'_>) -> Result<Vec<String>, String> {
    let manifest = workspace.root.join("generated").join(workspace.package).join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    Ok(if text.lines().any(|line| line.starts_with("full = ")) { vec!["full".to_owned()] } else { Vec::new() })
}

fn with_full(workspace: &Workspace<'_>, features: &[String]) -> Result<Vec<String>, String> {
    let mut all = features.to_vec();
    all.extend(full_features(workspace)?);
    Ok(all)
}

/// The runtime and the crate at `revision`, in a workspace of their own under
/// `work/baseline` (the revision's root manifest with only those two members).
fn extract_baseline(root: &Path, work: &Path, revision: &str, package: &str) -> Result<PathBuf, String> {
    let dir = work.join("baseline");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let crate_dir = format!("generated/{package}");
    let archive = Command::new("git")
        .args(["archive", "--format=tar", revision, "Cargo.toml", "Cargo.lock", "runtime", &crate_dir])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git archive: {e}"))?;
    if !archive.status.success() {
        return Err(format!("git archive {revision}: {}", String::from_utf8_lossy(&archive.stderr).trim()));
    }
    let mut tar = Command::new("tar")
        .args(["-x", "-C"])
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("tar: {e}"))?;
    {
        use std::io::Write;
        let mut stdin = tar.stdin.take().ok_or("tar: no stdin")?;
        stdin.write_all(&archive.stdout).map_err(|e| format!("tar: {e}"))?;
    }
    let status = tar.wait().map_err(|e| format!("tar: {e}"))?;
    if !status.success() {
        return Err(format!("tar -x of {revision} failed with {status}"));
    }
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let members = format!("members = [\"runtime\", \"{crate_dir}\"]");
    let rewritten: Vec<String> = text
        .lines()
        .map(|line| if line.starts_with("members = ") { members.clone() } else { line.to_owned() })
        .collect();
    std::fs::write(&manifest, rewritten.join("\n") + "\n").map_err(|e| format!("{}: {e}", manifest.display()))?;
    Ok(dir)
}

fn crate_count(root: &Path, package: &str, features: &[String]) -> Result<usize, String> {
    let mut command = specs::cargo();
    command.args(["tree", "-p", package, "-e", "normal", "--prefix", "none"]).current_dir(root);
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let output = command.output().map_err(|e| format!("cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo tree failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let crates: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    Ok(crates.len())
}

fn walk_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                walk_lines(&path)
            } else {
                std::fs::read_to_string(&path).map(|text| text.lines().count()).unwrap_or(0)
            }
        })
        .sum()
}
