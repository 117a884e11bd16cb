//! `cargo xtask readme-flow`: the README's "Your first client" as a newcomer types it.
//!
//! The blocks marked `<!-- readme-flow: setup -->` (shell) and `<!-- readme-flow: src/main.rs -->`
//! (the program) are taken from README.md as written and run in a fresh clone of this
//! repository's committed HEAD, in a scratch directory outside any cargo workspace (the
//! system's temporary directory: inside this repository cargo would take the app for a member
//! of our workspace; the builds still share `target/readme-flow/`): the setup commands (install
//! discogen, generate the Drive crate beside the clone, create the app), the program written
//! to the app's `src/main.rs` and built with warnings denied, then the generated crate's own
//! doctests (its README quickstart). Dependencies resolve as they would for the user (newest
//! versions); one target directory serves all three builds.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::specs;

const SETUP: &str = "<!-- readme-flow: setup -->";
const PROGRAM: &str = "<!-- readme-flow: src/main.rs -->";

pub fn run() -> Result<(), String> {
    let root = specs::project_root();
    let readme = specs::read(&root.join("README.md"))?;
    let setup = block_after(&readme, SETUP)?;
    let program = block_after(&readme, PROGRAM)?;

    let work = std::env::temp_dir().join("discogen-readme-flow");
    if let Some(manifest) = work.ancestors().map(|dir| dir.join("Cargo.toml")).find(|path| path.is_file()) {
        return Err(format!("readme-flow: {} would adopt the README's app; remove it", manifest.display()));
    }
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    }
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let checkout = work.join("discogen");
    specs::run_command(Command::new("git").args(["clone", "-q"]).arg(&root).arg(&checkout))?;

    // One script, so `cd` in the setup carries over to the build as it does in a terminal.
    let script = format!(
        "set -euxo pipefail\n{setup}\ncat > src/main.rs <<'DISCOGEN_README_PROGRAM'\n{program}DISCOGEN_README_PROGRAM\n\
         RUSTFLAGS='-D warnings' cargo build --quiet\n(cd ../google-drive-v3 && cargo test --doc --quiet)\n"
    );
    let started = Instant::now();
    let bin = work.join("cargo-home/bin");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    specs::run_command(
        Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&checkout)
            .env("PATH", path)
            .env("CARGO_INSTALL_ROOT", work.join("cargo-home"))
            .env("CARGO_TARGET_DIR", root.join("target/readme-flow"))
            .env_remove("RUSTFLAGS"),
    )?;
    check_written(&work)?;
    let _ = std::fs::remove_dir_all(&work);
    println!("readme-flow: the README's first client built and doc-tested in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The setup put the crate and the app beside the clone, as the README says.
fn check_written(work: &Path) -> Result<(), String> {
    for path in ["google-drive-v3/Cargo.toml", "my-drive-app/src/main.rs"] {
        if !work.join(path).is_file() {
            return Err(format!("readme-flow: the README's commands did not write {path}"));
        }
    }
    Ok(())
}

/// The body of the fenced block that follows `marker` in `text`.
fn block_after(text: &str, marker: &str) -> Result<String, String> {
    let missing = || format!("README.md: no fenced block after `{marker}`");
    let after = &text[text.find(marker).ok_or_else(missing)? + marker.len()..];
    let open = after.find("```").ok_or_else(missing)?;
    let body_start = open + after[open..].find('\n').ok_or_else(missing)? + 1;
    let body_len = after[body_start..].find("\n```").ok_or_else(missing)? + 1;
    Ok(after[body_start..body_start + body_len].to_owned())
}

#[cfg(test)]
mod tests {
    use super::block_after;

    #[test]
    fn takes_the_fenced_block_after_the_marker() {
        let text = "x\n<!-- m -->\n```sh\necho 1\necho 2\n```\n```sh\nno\n```\n";
        assert_eq!(block_after(text, "<!-- m -->").unwrap(), "echo 1\necho 2\n");
        assert!(block_after(text, "<!-- other -->").is_err());
    }
}
