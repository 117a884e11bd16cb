//! `cargo xtask hostile [--responses N] [--seed S] [--in-flight K] [--release]`: the
//! hostile-server fuzz of `tests/hostile_e2e.rs` with more replies than `cargo test` serves
//! (200 000 by default instead of 20 000) and a seed of your choice. It prints the replies
//! served by kind and variant, the outcomes by call, panics, hangs, the latest end past a
//! deadline and the peak memory; it fails if any call panicked, hung, missed its deadline,
//! ended with the wrong kind of error or showed a secret.

use std::time::Instant;

use crate::specs;

pub struct Options {
    pub responses: u64,
    pub seed: u64,
    pub in_flight: usize,
    pub release: bool,
}

pub fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let mut args = vec!["test", "--locked", "-p", "discogen-tests", "--test", "hostile_e2e"];
    if options.release {
        args.push("--release");
    }
    args.extend(["--", "--nocapture"]);
    let mut cargo = specs::cargo();
    // What `cargo run` put in our environment would make the inner cargo rebuild the
    // dependencies that `cargo test` built (and back on the next `cargo test`).
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_") || name.starts_with("CARGO_MANIFEST_") || name == "LD_LIBRARY_PATH" {
            cargo.env_remove(&*name);
        }
    }
    let status = cargo
        .args(&args)
        .env("DISCOGEN_HOSTILE_RESPONSES", options.responses.to_string())
        .env("DISCOGEN_HOSTILE_SEED", options.seed.to_string())
        .env("DISCOGEN_HOSTILE_IN_FLIGHT", options.in_flight.to_string())
        .current_dir(specs::project_root())
        .status()
        .map_err(|e| format!("cargo test: {e}"))?;
    println!("hostile: {:.1} s including the build", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("hostile: a call failed its checks (seed {}; see above)", options.seed))
    }
}
