//! `cargo xtask package`: what people depend on are real packages.
//!
//! 1. `cargo publish --dry-run` of `discogen-runtime` and `discogen`: packs each crate as
//!    crates.io would receive it and builds it from the packed files alone (metadata, readme,
//!    templates included).
//! 2. A client generated outside this repository, with no path to the runtime, builds as
//!    written once the runtime is reachable: the runtime is supplied with a `[patch]` given on
//!    the command line, as a user would before it is on crates.io.

use std::time::Instant;

use discogen::pipeline::{self, Input};

use crate::specs;

/// The workspace's dev profile (Cargo.toml), given to builds of packages outside it: a packed
/// crate or a client written elsewhere has no `[profile]` of the workspace, and with cargo's
/// defaults every dependency would be built again beside the workspace's own builds (about
/// three minutes of CI).
const WORKSPACE_DEV_PROFILE: [&str; 3] = [
    r#"profile.dev.package."*".opt-level=2"#,
    r#"profile.dev.package."*".debug=false"#,
    r#"profile.dev.debug="line-tables-only""#,
];

/// `--config` arguments for [`WORKSPACE_DEV_PROFILE`].
fn workspace_profile_args() -> Vec<&'static str> {
    WORKSPACE_DEV_PROFILE.iter().flat_map(|setting| ["--config", setting]).collect()
}

pub fn run() -> Result<(), String> {
    let root = specs::project_root();
    // The runtime's packed build gets the workspace's profile, so the client below reuses its
    // dependency builds; the generator's does not: with it, cargo built the generator's own
    // dependencies again at that profile (94 s of CI against 52 s without).
    for (package, profile) in [("discogen-runtime", workspace_profile_args()), ("discogen", Vec::new())] {
        println!("cargo publish --dry-run -p {package}");
        let started = Instant::now();
        specs::run_command(
            specs::cargo()
                .args(["publish", "--dry-run", "--allow-dirty", "--locked", "-p", package])
                .args(profile)
                .current_dir(&root),
        )?;
        println!("  packaged and built in {:.1} s", started.elapsed().as_secs_f64());
    }

    // The aiplatform client at its default features, written where no workspace can adopt it.
    let config = root.join("specs/aiplatform.yaml");
    let (config_text, discovery_text) = (specs::read(&config)?, specs::read(&root.join("specs/aiplatform.v1.json"))?);
    let files = pipeline::client(
        Input { name: "specs/aiplatform.v1.json", text: &discovery_text },
        Some(Input { name: "specs/aiplatform.yaml", text: &config_text }),
    )
    .map_err(|e| e.to_string())?;
    let outside = std::env::temp_dir().join(format!("discogen-package-{}", std::process::id()));
    let crate_dir = outside.join("google-aiplatform-v1");
    discogen::output::write_tree(&crate_dir, &files).map_err(|e| e.to_string())?;
    let manifest = specs::read(&crate_dir.join("Cargo.toml"))?;
    let dependency =
        format!("discogen-runtime = {{ version = \"{}\", default-features = false }}", discogen::rust::RUNTIME_VERSION);
    if !manifest.lines().any(|line| line == dependency) {
        return Err(format!("the generated Cargo.toml does not say `{dependency}`"));
    }
    // The dependency versions CI tested.
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let patch = format!("patch.crates-io.discogen-runtime.path={:?}", root.join("runtime").display().to_string());
    println!("cargo build (and doctests) of a client written to {}", crate_dir.display());
    let started = Instant::now();
    // Default features, the `tracing` feature (its spans compile against the published
    // runtime API), both with warnings denied in the client (`cargo rustc`: not in the
    // dependencies, whose builds the workspace's target directory then shares), then the
    // README's doctests.
    // Each step: cargo's arguments, then those after `--` (for rustc).
    const DENY_WARNINGS: &[&str] = &["--", "-D", "warnings"];
    let steps: [(&[&str], &[&str]); 3] =
        [(&["rustc"], DENY_WARNINGS), (&["rustc", "--features", "tracing"], DENY_WARNINGS), (&["test", "--doc"], &[])];
    let result = steps.into_iter().try_for_each(|(cargo_args, rustc_args)| {
        let mut command = specs::cargo();
        command
            .args(cargo_args)
            .args(["--quiet", "--config", &patch])
            .args(workspace_profile_args())
            .args(rustc_args)
            .current_dir(&crate_dir);
        specs::run_command(command.env("CARGO_TARGET_DIR", root.join("target")))
    });
    let _ = std::fs::remove_dir_all(&outside);
    result?;
    println!("  built and doc-tested in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
