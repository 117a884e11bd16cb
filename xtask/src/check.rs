//! `cargo xtask check`: is `generated/` exactly what the generator writes now, and does
//! `specs/PROVENANCE.md` list each document's revision and sha256 as committed?

use std::collections::BTreeMap;
use std::path::Path;

use crate::specs;

pub fn run() -> Result<(), String> {
    crate::release::check_provenance(&specs::project_root())?;
    compare(&specs::generated_tree()?, &specs::generated_dir())
}

/// Compares a generated tree with the files under `root`: missing, differing and extra files
/// are all reported, with a diff for each difference.
fn compare(tree: &specs::Tree, root: &Path) -> Result<(), String> {
    let expected: BTreeMap<&str, &str> = tree.files.iter().map(|f| (f.path.as_str(), f.contents.as_str())).collect();
    let mut actual = BTreeMap::new();
    collect(root, root, &mut actual)?;

    let mut problems = Vec::new();
    for (path, contents) in &expected {
        match actual.get(*path) {
            None => problems.push(format!("missing: generated/{path}")),
            Some(found) if found != contents => {
                problems.push(format!("differs: generated/{path}\n{}", diff(found, contents)))
            }
            Some(_) => {}
        }
    }
    for path in actual.keys().filter(|path| !expected.contains_key(path.as_str())) {
        problems.push(format!("extra (not generated): generated/{path}"));
    }
    if problems.is_empty() {
        println!("generated/ is up to date ({} files)", expected.len());
        return Ok(());
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    Err(format!("generated/ is stale in {} place(s); run `cargo xtask regen`", problems.len()))
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).map_err(|e| e.to_string())?;
            let key = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let contents = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.insert(key, String::from_utf8_lossy(&contents).into_owned());
        }
    }
    Ok(())
}

/// A unified diff (committed -> expected), at most 40 lines.
fn diff(committed: &str, expected: &str) -> String {
    let text = similar::TextDiff::from_lines(committed, expected)
        .unified_diff()
        .context_radius(2)
        .header("committed", "generator")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut shown = lines[..lines.len().min(40)].join("\n");
    if lines.len() > 40 {
        shown.push_str(&format!("\n... ({} more diff lines)", lines.len() - 40));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use discogen::file::File;

    fn tree() -> specs::Tree {
        specs::Tree {
            files: vec![
                File { path: "docs/svc/index.md".into(), contents: "index\n".into() },
                File { path: "docs/svc/a/index.md".into(), contents: "page a\n".into() },
            ],
        }
    }

    fn written() -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-check-{}-{:?}", std::process::id(), std::thread::current().id()));
        let _ = std::fs::remove_dir_all(&dir);
        discogen::output::write_tree(&dir, &tree().files).unwrap();
        dir
    }

    /// `cargo test` fails when generated/ is stale, not only `cargo xtask check`.
    #[test]
    fn committed_generated_tree_is_up_to_date() {
        run().unwrap();
    }

    #[test]
    fn a_fresh_tree_passes() {
        assert!(compare(&tree(), &written()).is_ok());
    }

    #[test]
    fn hand_edits_missing_and_extra_files_fail() {
        let dir = written();
        std::fs::write(dir.join("docs/svc/a/index.md"), "page a, edited\n").unwrap();
        let err = compare(&tree(), &dir).unwrap_err();
        assert!(err.contains("1 place"), "{err}");

        let dir = written();
        std::fs::remove_file(dir.join("docs/svc/index.md")).unwrap();
        std::fs::write(dir.join("docs/svc/notes.md"), "mine").unwrap();
        let err = compare(&tree(), &dir).unwrap_err();
        assert!(err.contains("2 place"), "{err}");
    }
}
