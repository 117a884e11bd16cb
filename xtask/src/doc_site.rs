//! `cargo xtask doc-site`: render the docs of every spec plus a few corpus APIs, build them
//! in the Docusaurus site under tests/doc-site and check the result in headless Chromium.

use std::path::PathBuf;
use std::process::Command;

use discogen::pipeline::{self, Input};

use crate::{corpus, specs};

pub fn run(out: Option<PathBuf>, only_specs: bool) -> Result<(), String> {
    let root = specs::project_root();
    let work = root.join("target/doc-site");
    let docs = work.join("docs");
    let _ = std::fs::remove_dir_all(&docs);
    let mut tree = specs::docs_tree()?;
    if !only_specs {
        let corpus = corpus::definition()?;
        let documents = corpus::documents(&corpus)?;
        for name in &corpus.doc_site {
            let path = corpus::document(&documents, name)?;
            let text = specs::read(&path)?;
            let files = pipeline::docs(Input { name: &path.display().to_string(), text: &text }, None)
                .map_err(|e| e.to_string())?;
            tree.files.extend(files);
        }
    }
    tree.write(&docs)?;
    let out = out.unwrap_or_else(|| work.join("build"));
    let status = Command::new("bash")
        .arg(root.join("tests/doc-site/run.sh"))
        .arg(&docs)
        .arg(&out)
        .env("DOC_SITE_STRICT_LINKS", "1")
        .status()
        .map_err(|e| format!("bash tests/doc-site/run.sh: {e}"))?;
    if !status.success() {
        return Err(format!("the doc site did not build or did not pass the browser check ({status})"));
    }
    println!("doc site built in {}; screenshot: {}", out.display(), out.join("screenshot.png").display());
    Ok(())
}
