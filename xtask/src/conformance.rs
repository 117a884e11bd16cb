//! `cargo xtask conformance [--all]`: issue 22's harness (`discogen-conformance`) on the
//! corpus: the documents of `conformance:` in xtask/corpus.yaml (CI), or every document.

use std::time::Instant;

use discogen_conformance::{Document, Harness};

use crate::{corpus, specs};

pub fn run(all: bool) -> Result<(), String> {
    let started = Instant::now();
    let definition = corpus::definition()?;
    let documents = corpus::documents(&definition)?;
    let names: Vec<String> = if all {
        let mut names: Vec<String> = std::fs::read_dir(&documents)
            .map_err(|e| format!("{}: {e}", documents.display()))?
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".json").map(str::to_owned))
            .collect();
        names.sort();
        names
    } else {
        definition.conformance.clone()
    };
    let mut selected = Vec::new();
    for name in &names {
        selected.push(Document { discovery: corpus::document(&documents, name)?, config: None });
    }
    let report = Harness::new(&specs::project_root()).run(&selected)?;
    println!("{report}");
    println!("conformance: {} APIs in {:.0} s", names.len(), started.elapsed().as_secs_f64());
    let (_, _, _, failing) = report.totals();
    if failing > 0 {
        return Err(format!("{failing} calls differ from the reference client without a listed reason"));
    }
    Ok(())
}
