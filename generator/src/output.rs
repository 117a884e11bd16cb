//! Writing a generated tree to disk without ever leaving half-written output behind.
//!
//! Files are written into a fresh temporary directory next to the destination, then each
//! top-level entry is swapped into place with renames; on any error the temporary directory
//! is removed and the destination is untouched. A crate directory's names record is read
//! back from here too (the next generation keeps its names).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::file::File;
use crate::record::{NameRecord, FILE};

/// The names the crate in `crate_dir` was generated with (its `names.json`), if it has one.
pub fn read_names(crate_dir: &Path) -> Result<Option<NameRecord>> {
    let path = crate_dir.join(FILE);
    let Ok(text) = fs::read_to_string(&path) else { return Ok(None) };
    NameRecord::parse(&text).map(Some).map_err(|message| Error::Config {
        file: path.display().to_string(),
        location: String::new(),
        message,
    })
}

/// Writes `files` (paths relative to `out`) so that every top-level directory they touch is
/// replaced as a whole: stale files from an earlier run disappear.
pub fn write_tree(out: &Path, files: &[File]) -> Result<()> {
    let write_err = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Write { path, source }
    };
    fs::create_dir_all(out).map_err(write_err(out))?;
    let staging = staging_dir(out)?;
    let result = stage_and_swap(out, &staging, files);
    let _ = fs::remove_dir_all(&staging);
    result
}

fn staging_dir(out: &Path) -> Result<PathBuf> {
    for attempt in 0..100u32 {
        let candidate = out.join(format!(".discogen-staging-{}-{attempt}", std::process::id()));
        match fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(Error::Write { path: candidate, source }),
        }
    }
    Err(Error::Write { path: out.to_owned(), source: std::io::Error::other("no free staging directory name") })
}

fn stage_and_swap(out: &Path, staging: &Path, files: &[File]) -> Result<()> {
    let mut tops: Vec<&str> = Vec::new();
    for file in files {
        let relative = Path::new(&file.path);
        if relative.is_absolute() || relative.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            return Err(Error::Write {
                path: relative.to_owned(),
                source: std::io::Error::other("generated path escapes the output directory"),
            });
        }
        let target = staging.join(relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_owned(), source })?;
        }
        fs::write(&target, &file.contents).map_err(|source| Error::Write { path: target.clone(), source })?;
        let top = file.path.split('/').next().unwrap_or_default();
        if !tops.contains(&top) {
            tops.push(top);
        }
    }
    for top in tops {
        let destination = out.join(top);
        let retired = staging.join(format!(".retired-{top}"));
        if destination.exists() {
            fs::rename(&destination, &retired).map_err(|source| Error::Write { path: destination.clone(), source })?;
        }
        if let Err(source) = fs::rename(staging.join(top), &destination) {
            // Put the previous version back rather than leave nothing.
            let _ = fs::rename(&retired, &destination);
            return Err(Error::Write { path: destination, source });
        }
    }
    Ok(())
}

/// The path that leads from directory `from` to `to`, both absolute; components are compared
/// lexically (`.` and `..` resolved first), so neither needs to exist. `None` when they share
/// no root (different Windows drives).
pub fn relative_path(from: &Path, to: &Path) -> Option<PathBuf> {
    let (from, to) = (normalize(from), normalize(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut relative: PathBuf = from[common..].iter().map(|_| std::path::Component::ParentDir).collect();
    relative.extend(&to[common..]);
    Some(if relative.as_os_str().is_empty() { PathBuf::from(".") } else { relative })
}

fn normalize(path: &Path) -> Vec<std::path::Component<'_>> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if matches!(parts.last(), Some(std::path::Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::relative_path;
    use std::path::{Path, PathBuf};

    #[test]
    fn relative_paths_between_directories() {
        let rel = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b));
        assert_eq!(rel("/repo/generated/google-x-v1", "/repo/runtime"), Some(PathBuf::from("../../runtime")));
        assert_eq!(rel("/home/me/crates/x", "/repo/runtime"), Some(PathBuf::from("../../../../repo/runtime")));
        assert_eq!(rel("/repo/a/./b/../c", "/repo/runtime"), Some(PathBuf::from("../../runtime")));
        assert_eq!(rel("/repo", "/repo/runtime"), Some(PathBuf::from("runtime")));
        assert_eq!(rel("/repo/runtime", "/repo/runtime"), Some(PathBuf::from(".")));
    }
}
