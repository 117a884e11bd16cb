//! `cargo xtask bench`: whole-process wall time and peak memory of the release `discogen docs`
//! and `discogen client` on every spec, and of `discogen docs --openapi` on StackQL's provider
//! spec. Wall time is measured around process spawn-to-exit; peak memory (maximum resident set
//! size) is read by `/usr/bin/time -f %M`, a public tool.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::paired::{self, Spread};
use crate::specs;

pub fn run(runs: usize) -> Result<(), String> {
    let root = specs::project_root();
    let status = specs::cargo()
        .args(["build", "--release", "--quiet", "-p", "discogen", "--bin", "discogen"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("release build failed".into());
    }
    let target = specs::target_dir();
    let binary = target.join("release/discogen");
    let out = std::env::temp_dir().join(format!("discogen-bench-{}", std::process::id()));
    // The docs step, the client step (what `regen` does per spec), and the docs from StackQL's
    // provider spec through the OpenAPI reader.
    let mut jobs: Vec<(String, Vec<String>)> = Vec::new();
    for spec in specs::all()? {
        for command in ["docs", "client"] {
            let args = vec![command.to_owned(), "--config".to_owned(), spec.config.display().to_string()];
            jobs.push((format!("{} {command}", specs::display(&spec.config)), args));
        }
    }
    let provider_spec = root.join("specs/stackql/aiplatform.yaml");
    let args = vec!["docs".to_owned(), "--openapi".to_owned(), provider_spec.display().to_string()];
    jobs.push((format!("{} docs --openapi", specs::display(&provider_spec)), args));
    // Both paths in the two profiles that read either: the clean profile, then StackQL's
    // current format (the Discovery document with the current converter rules, and the current
    // provider spec). The current format's two are the last two jobs, compared paired below.
    let config = root.join("specs/aiplatform.yaml");
    let provider_spec = root.join("specs/stackql-0.7/aiplatform.yaml");
    for profile in ["clean", "stackql-0.7"] {
        let profile_args = ["--profile".to_owned(), profile.to_owned()];
        let mut args = vec!["docs".to_owned(), "--config".to_owned(), config.display().to_string()];
        args.extend(profile_args.clone());
        jobs.push((format!("{} docs --profile {profile}", specs::display(&config)), args));
        let mut args = vec!["docs".to_owned(), "--openapi".to_owned(), provider_spec.display().to_string()];
        args.extend(profile_args);
        jobs.push((format!("{} docs --openapi --profile {profile}", specs::display(&provider_spec)), args));
    }
    let paired = [jobs[jobs.len() - 1].clone(), jobs[jobs.len() - 2].clone()];
    for (label, args) in jobs {
        let args = |out: &Path| {
            let mut args = args.clone();
            args.extend(["--out".to_owned(), out.display().to_string()]);
            args
        };
        let mut walls = Vec::with_capacity(runs);
        for _ in 0..runs.max(1) {
            walls.push(timed_run(&binary, &args(&out))?);
        }
        let peak_kib = peak_memory_kib(&binary, &args(&out));
        walls.sort();
        println!(
            "{label}: {} runs, wall median {:.1} ms, min {:.1} ms, max {:.1} ms; peak RSS {}",
            walls.len(),
            ms(walls[walls.len() / 2]),
            ms(walls[0]),
            ms(walls[walls.len() - 1]),
            peak_kib.map_or("n/a (no /usr/bin/time)".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
        );
    }
    println!("{}", paired_ratio(&binary, &out, &paired, runs.max(1))?);
    let _ = std::fs::remove_dir_all(&out);
    Ok(())
}

/// `runs` pairs of the two jobs, alternating which goes first, and the median of the pairs'
/// wall-time ratios (first job / second job): a ratio holds while the machine's speed drifts.
fn paired_ratio(binary: &Path, out: &Path, jobs: &[(String, Vec<String>); 2], runs: usize) -> Result<String, String> {
    let out = ["--out".to_owned(), out.display().to_string()];
    let time = |args: &[String]| timed_run(binary, &[args, &out[..]].concat());
    let mut ratios = Vec::with_capacity(runs);
    for run in 0..runs {
        let (first, second) = paired::alternating(run, || time(&jobs[0].1), || time(&jobs[1].1))?;
        ratios.push(first.as_secs_f64() / second.as_secs_f64());
    }
    let spread = Spread::of(&ratios);
    Ok(format!(
        "paired, {runs} pairs: {} / {}: median ratio {:.2} (min {:.2}, max {:.2})",
        jobs[0].0, jobs[1].0, spread.median, spread.min, spread.max
    ))
}

/// One whole-process run of the generator: its wall time, or its error output.
fn timed_run(binary: &Path, args: &[String]) -> Result<Duration, String> {
    let started = Instant::now();
    let output = Command::new(binary).args(args).output().map_err(|e| e.to_string())?;
    let wall = started.elapsed();
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(wall)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn peak_memory_kib(binary: &Path, args: &[String]) -> Option<u64> {
    let output = Command::new("/usr/bin/time").arg("-f").arg("%M").arg(binary).args(args).output().ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().last()?.trim().parse().ok()
}
