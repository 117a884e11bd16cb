//! `cargo xtask guide`: builds the guide (`docs/guide`, an mdBook) into `target/guide/`.
//!
//! mdBook is installed by the command, pinned, into `target/mdbook-<version>/` (a cargo
//! install without the `serve` and `watch` features, which a build does not use, and without
//! optimisation: 66 s of CPU to build where a release build takes 176 s, for a guide built in
//! 2 s instead of 0.3 s; in CI the install shares the cores with the corpus steps). The Rust
//! examples of the guide are compiled by `cargo test` (doctests of `discogen-tests`), not here;
//! this step checks what mdBook does not: every chapter is in `SUMMARY.md` and every relative
//! link between chapters names a file that exists.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::specs;

const MDBOOK_VERSION: &str = "0.5.4";

pub fn run() -> Result<(), String> {
    let root = specs::project_root();
    let guide = root.join("docs/guide");
    check_links(&guide.join("src"))?;
    let mdbook = install_mdbook(&root)?;
    let started = Instant::now();
    specs::run_command(Command::new(&mdbook).arg("build").arg(&guide))?;
    let index = root.join("target/guide/index.html");
    if !index.is_file() {
        return Err(format!("mdbook build wrote no {}", specs::display(&index)));
    }
    println!("guide: built in {:.1} s into {}", started.elapsed().as_secs_f64(), specs::display(&index));
    Ok(())
}

fn install_mdbook(root: &Path) -> Result<std::path::PathBuf, String> {
    let install_root = root.join(format!("target/mdbook-{MDBOOK_VERSION}"));
    let binary = install_root.join("bin").join(format!("mdbook{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        return Ok(binary);
    }
    println!("guide: installing mdbook {MDBOOK_VERSION} into {}", specs::display(&install_root));
    let started = Instant::now();
    specs::run_command(
        specs::cargo()
            .args(["install", "mdbook", "--version", MDBOOK_VERSION, "--locked", "--no-default-features", "--debug"])
            .args(["--features", "search", "--root"])
            .arg(&install_root)
            .env("CARGO_TARGET_DIR", root.join("target/mdbook-build")),
    )?;
    println!("guide: mdbook installed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(binary)
}

/// Every `.md` file of the book is a chapter of `SUMMARY.md`, every chapter it names exists,
/// and every relative Markdown link between chapters points at an existing file.
fn check_links(src: &Path) -> Result<(), String> {
    let summary = specs::read(&src.join("SUMMARY.md"))?;
    let mut problems = Vec::new();
    let listed: Vec<String> = link_targets(&summary).collect();
    let entries = std::fs::read_dir(src).map_err(|e| format!("{}: {e}", specs::display(src)))?;
    for entry in entries {
        let name = entry.map_err(|e| e.to_string())?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && name != "SUMMARY.md" && !listed.contains(&name) {
            problems.push(format!("{name} is not in SUMMARY.md"));
        }
        if name.ends_with(".md") {
            let text = specs::read(&src.join(&name))?;
            for target in link_targets(&text) {
                if !src.join(&target).is_file() {
                    problems.push(format!("{name}: link to {target}, which does not exist"));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("guide: {}", problems.join("; ")))
    }
}

/// The file part of relative links `](file.md)` / `](file.md#anchor)` in Markdown text.
fn link_targets(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("](").skip(1).filter_map(|rest| {
        let target = &rest[..rest.find(')')?];
        let file = target.split('#').next()?;
        (file.ends_with(".md") && !file.contains("://")).then(|| file.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::link_targets;

    #[test]
    fn finds_relative_chapter_links_only() {
        let text = "[a](client.md) and [b](media.md#downloads), [c](https://x.org/y.md), [d](../x.rs)";
        assert_eq!(link_targets(text).collect::<Vec<_>>(), ["client.md", "media.md"]);
    }
}
