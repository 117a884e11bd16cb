//! `cargo xtask doc-site`: render the docs of every spec plus a few corpus APIs in every output
//! profile, build each in the Docusaurus site under tests/doc-site and check the result in
//! headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

use discogen::docs::Profile;
use discogen::pipeline::{self, Input};

use crate::{corpus, specs};

/// The clean profile's promise, checked in the browser: a description's code span shows its
/// braces as text, and no page shows an escaped brace.
const CLEAN_CHECKS: [&str; 6] = [
    "--expect-field",
    "/services/aiplatform/notebook_execution_jobs/::name::projects/{project_id}/locations/{location}/notebookExecutionJobs/{job_id}",
    "--forbid",
    "&#123;",
    "--forbid",
    "&#125;",
];

pub fn run(out: Option<PathBuf>, only_specs: bool) -> Result<(), String> {
    let root = specs::project_root();
    let work = root.join("target/doc-site");
    let out = out.unwrap_or_else(|| work.join("build"));
    for profile in Profile::ALL {
        let docs = work.join(format!("docs-{profile}"));
        let _ = std::fs::remove_dir_all(&docs);
        let tree = tree(profile, only_specs)?;
        // The clean profile's promise: no link to a path the site does not have.
        if !profile.is_stackql() {
            let links = off_site_links(&tree);
            if !links.is_empty() {
                return Err(format!("clean pages link to paths the site does not have:\n{}", links.join("\n")));
            }
        }
        tree.write(&docs)?;
        // The stackql build keeps the documented place; the others sit beside it.
        let built = match profile {
            Profile::Stackql => out.clone(),
            Profile::Clean => sibling(&out, "-clean"),
            Profile::Stackql07 => sibling(&out, "-stackql-0.7"),
        };
        let checks: &[&str] = if profile.is_stackql() { &[] } else { &CLEAN_CHECKS };
        let status = Command::new("bash")
            .arg(root.join("tests/doc-site/run.sh"))
            .arg(&docs)
            .arg(&built)
            .arg("--")
            .args(checks)
            .env("DOC_SITE_STRICT_LINKS", "1")
            .status()
            .map_err(|e| format!("bash tests/doc-site/run.sh: {e}"))?;
        if !status.success() {
            return Err(format!("the {profile} doc site did not build or did not pass the browser check ({status})"));
        }
        println!(
            "{profile} doc site built in {}; screenshot: {}",
            built.display(),
            built.join("screenshot.png").display()
        );
    }
    Ok(())
}

/// The pages of every spec and, unless `only_specs`, of the corpus APIs chosen for the site.
fn tree(profile: Profile, only_specs: bool) -> Result<specs::Tree, String> {
    let mut tree = specs::docs_tree(profile)?;
    if only_specs {
        return Ok(tree);
    }
    let corpus = corpus::definition()?;
    let documents = corpus::documents(&corpus)?;
    for name in &corpus.doc_site {
        let path = corpus::document(&documents, name)?;
        let text = specs::read(&path)?;
        let files = pipeline::docs_profile(Input { name: &path.display().to_string(), text: &text }, None, profile)
            .map_err(|e| e.to_string())?;
        tree.files.extend(files);
    }
    Ok(tree)
}

/// Markdown links with a root-relative target outside `/services/` (the pages' own tree), as
/// `page: target`. Code blocks and code spans are skipped: a link there is text.
fn off_site_links(tree: &specs::Tree) -> Vec<String> {
    let mut found = Vec::new();
    for file in &tree.files {
        let mut fenced = false;
        for line in file.contents.lines() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
            }
            if fenced {
                continue;
            }
            // Text outside code spans: the even-numbered pieces between backticks.
            for text in line.split('`').step_by(2) {
                let mut rest = text;
                while let Some(at) = rest.find("](/") {
                    let target = &rest[at + 2..];
                    let end = target.find(')').unwrap_or(target.len());
                    // `//host/...` is protocol-relative: an absolute link.
                    if !target.starts_with("/services/") && !target.starts_with("//") {
                        found.push(format!("{}: {}", file.path, &target[..end]));
                    }
                    rest = &target[end..];
                }
            }
        }
    }
    found
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The clean pages of every spec pass the check; a root-relative documentation link fails it.
    #[test]
    fn clean_pages_link_only_to_the_site_or_absolute_urls() {
        let tree = specs::docs_tree(Profile::Clean).expect("clean pages");
        assert_eq!(off_site_links(&tree), Vec::<String>::new());
        let stackql = specs::docs_tree(Profile::Stackql).expect("stackql pages");
        assert!(off_site_links(&stackql).iter().any(|link| link.contains("/compute/docs/networks-and-firewalls")));
    }
}
