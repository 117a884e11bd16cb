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
    let mut refused = 0;
    for name in &names {
        let discovery = corpus::document(&documents, name)?;
        // `--all` takes the corpus as it is: a document the generator refuses (the directory
        // list, index.json) has no client to call; it is named and counted, not compared.
        if all {
            if let Err(reason) = loads(&discovery) {
                println!("refused {name}: {reason}");
                refused += 1;
                continue;
            }
        }
        selected.push(Document { discovery, config: None });
    }
    let report = Harness::new(&specs::project_root()).run(&selected)?;
    println!("{report}");
    let refused = if all { format!(" ({refused} refused by the generator)") } else { String::new() };
    println!("conformance: {} APIs in {:.0} s{refused}", selected.len(), started.elapsed().as_secs_f64());
    let (_, _, _, failing) = report.totals();
    if failing > 0 {
        return Err(format!("{failing} calls differ from the reference client without a listed reason"));
    }
    Ok(())
}

/// Whether the generator takes `discovery`, and why not.
fn loads(discovery: &std::path::Path) -> Result<(), String> {
    let text = std::fs::read_to_string(discovery).map_err(|e| format!("{}: {e}", discovery.display()))?;
    let name = discovery.display().to_string();
    discogen::pipeline::load(discogen::pipeline::Input { name: &name, text: &text }, None)
        .map(drop)
        .map_err(|e| e.to_string())
}
