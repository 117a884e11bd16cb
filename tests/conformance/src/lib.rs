//! The conformance harness (issue 22): every method of the given Discovery documents called
//! through the generated typed builders (recorded by `MockTransport`) and through Google's
//! reference client, `google-api-python-client` (its `HttpRequest`, never sent), with the same
//! synthetic arguments (`discogen::rust::conformance`), and the two requests compared.
//!
//! `cargo test --test conformance` runs it on the five committed specs, `cargo xtask
//! conformance` on the corpus.

mod cargo;
mod compare;
mod driver;
mod reference;
mod report;

use std::path::{Path, PathBuf};

pub use cargo::cargo_command;
pub use compare::{Difference, Outcome, INTENTIONAL};
pub use report::Report;

/// A Discovery document and, for committed specs, its configuration.
#[derive(Clone, Debug)]
pub struct Document {
    pub discovery: PathBuf,
    pub config: Option<PathBuf>,
}

/// Where the harness builds and runs: `target/conformance` of the repository at `root`.
pub struct Harness {
    pub root: PathBuf,
    pub work: PathBuf,
}

impl Harness {
    pub fn new(root: &Path) -> Harness {
        Harness { root: root.to_owned(), work: root.join("target").join("conformance") }
    }

    /// Runs every method of `documents` on both sides and compares.
    pub fn run(&self, documents: &[Document]) -> Result<Report, String> {
        let suites = driver::generate(self, documents)?;
        let python = reference::install(&self.root)?;
        let recorded = driver::build_and_run(self, &suites)?;
        let mut report = Report::default();
        for suite in &suites {
            let expected = reference::run(&python, &self.root, suite)?;
            report.add(&suite.crate_name, compare::all(&recorded, &expected, suite));
        }
        Ok(report)
    }
}
