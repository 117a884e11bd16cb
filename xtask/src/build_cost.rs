//! `cargo xtask build-cost`: what depending on a generated client costs. Clean dev build of
//! the whole tree, rebuild of the crate alone, and the number of crates in its dependency
//! tree, measured in a separate target directory so the workspace's is untouched.

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Instant;

use crate::specs;

pub fn run(package: &str, features: &[String]) -> Result<(), String> {
    let root = specs::project_root();
    let target = root.join("target/build-cost");
    let _ = std::fs::remove_dir_all(&target);
    let feature_args: Vec<String> =
        if features.is_empty() { Vec::new() } else { vec!["--features".to_owned(), features.join(",")] };
    let cargo = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO"));
        command.args(args).args(&feature_args).arg("--target-dir").arg(&target).current_dir(&root);
        // Measure what a user's plain dev profile costs, not this workspace's optimized deps.
        command.args(["--config", "profile.dev.package.\"*\".opt-level=0"]);
        command
    };
    // Fetch first so the timings do not include downloads.
    specs::run_command(Command::new(env!("CARGO")).args(["fetch", "--quiet"]).current_dir(&root))?;

    let started = Instant::now();
    specs::run_command(&mut cargo(&["build", "--quiet", "-p", package]))?;
    let whole_tree = started.elapsed();

    specs::run_command(
        Command::new(env!("CARGO"))
            .args(["clean", "--quiet", "-p", package, "--target-dir"])
            .arg(&target)
            .current_dir(&root),
    )?;
    let started = Instant::now();
    specs::run_command(&mut cargo(&["build", "--quiet", "-p", package]))?;
    let crate_only = started.elapsed();

    let output = Command::new(env!("CARGO"))
        .args(["tree", "-p", package, "-e", "normal", "--prefix", "none"])
        .args(&feature_args)
        .current_dir(&root)
        .output()
        .map_err(|e| format!("cargo tree: {e}"))?;
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
    let source_lines: usize = walk_lines(&root.join("generated").join(package).join("src"));
    println!(
        "{package}{}: clean dev build of the whole tree {:.1} s; the crate alone {:.1} s; {} crates in the tree (itself included); {} lines of generated source",
        if features.is_empty() { String::new() } else { format!(" (features: {})", features.join(",")) },
        whole_tree.as_secs_f64(),
        crate_only.as_secs_f64(),
        crates.len(),
        source_lines,
    );
    let _ = std::fs::remove_dir_all(&target);
    Ok(())
}

fn walk_lines(dir: &std::path::Path) -> usize {
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
