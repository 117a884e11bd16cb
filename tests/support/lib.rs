//! Shared helpers for the integration tests: locating project files and showing diffs.

mod rng;

use std::path::{Path, PathBuf};

use discogen::file::File;
use discogen::pipeline::{self, Input};
pub use rng::Rng;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is one level below the root").to_owned()
}

pub fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The documentation of `specs/<service>.yaml` as `cargo xtask docs` renders it.
pub fn spec_docs(service: &str) -> Vec<File> {
    let config_name = format!("specs/{service}.yaml");
    let config = read(&config_name);
    let discovery_name = format!("specs/{service}.v1.json");
    let discovery = read(&discovery_name);
    pipeline::docs(Input { name: &discovery_name, text: &discovery }, Some(Input { name: &config_name, text: &config }))
        .unwrap_or_else(|err| panic!("{service} generates: {err}"))
}

/// Renders a small Discovery document given as JSON, with an optional YAML configuration.
pub fn docs_for(discovery: &serde_json::Value, config: Option<&str>) -> discogen::Result<Vec<File>> {
    let text = discovery.to_string();
    pipeline::docs(Input { name: "test.json", text: &text }, config.map(|text| Input { name: "test.yaml", text }))
}

/// A unified line diff, expected -> actual, trimmed to `max_lines`.
pub fn line_diff(expected: &str, actual: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header("expected (golden)", "actual (generated)")
        .to_string();
    let lines: Vec<&str> = diff.lines().collect();
    let mut shown = lines[..lines.len().min(max_lines)].join("\n");
    if lines.len() > max_lines {
        shown.push_str(&format!("\n... {} more lines", lines.len() - max_lines));
    }
    shown
}

/// The path of the `discogen` binary built for this test run (next to the test executable).
/// Built once per test process: `cargo test -p discogen-tests` alone would otherwise run a
/// stale binary left by an earlier build.
pub fn discogen_binary() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let exe = std::env::current_exe().expect("test executable path");
            let dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/..");
            // `--workspace`, as `cargo test --workspace` resolves features: with `-p discogen`
            // alone, dependencies resolve to other features and rebuild (85 s in CI).
            let status = std::process::Command::new(env!("CARGO"))
                .args(["build", "-q", "--workspace", "--bin", "discogen"])
                .current_dir(root())
                .status()
                .expect("cargo build discogen");
            assert!(status.success(), "building discogen failed");
            dir.join(format!("discogen{}", std::env::consts::EXE_SUFFIX))
        })
        .clone()
}

/// The README's Rust examples, compiled as doctests so they cannot rot (its Drive example is
/// `ignore` here: `cargo xtask readme-flow` builds it against a generated Drive crate).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The guide's chapters with Rust examples, compiled as doctests (`tests/guide.rs` checks that
/// this list names every chapter that has one).
#[cfg(doctest)]
pub mod guide {
    #[doc = include_str!("../../docs/guide/src/client.md")]
    pub struct Client;
    #[doc = include_str!("../../docs/guide/src/applications.md")]
    pub struct Applications;
    #[doc = include_str!("../../docs/guide/src/media.md")]
    pub struct Media;
    #[doc = include_str!("../../docs/guide/src/auth.md")]
    pub struct Auth;
}
