//! `cargo xtask conformance [--all | --only NAME...]`: issue 22's harness
//! (`discogen-conformance`) on the corpus: the documents of `conformance:` in
//! xtask/corpus.yaml (CI), every document, or the named ones.

use std::collections::HashMap;
use std::time::Instant;

use discogen_conformance::{Document, Harness};

use crate::{corpus, specs};

pub fn run(all: bool, only: Vec<String>) -> Result<(), String> {
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
    } else if !only.is_empty() {
        only
    } else {
        definition.conformance.clone()
    };
    let mut selected = Vec::new();
    let (mut refused, mut twins) = (0, 0);
    let mut crates: HashMap<String, (String, String)> = HashMap::new();
    for name in &names {
        let discovery = corpus::document(&documents, name)?;
        // `--all` takes the corpus as it is: a document the generator refuses (the directory
        // list, index.json) has no client to call, and a document listed under two file names
        // (admin.directory_v1 and admin.directoryv1) is one crate; each is named and counted,
        // not compared.
        if all {
            match crate_of(&discovery) {
                Err(reason) => {
                    println!("refused {name}: {reason}");
                    refused += 1;
                    continue;
                }
                Ok((krate, text)) => match crates.get(&krate) {
                    Some((first, first_text)) if *first_text == text => {
                        println!("skipped {name}: the same document as {first}");
                        twins += 1;
                        continue;
                    }
                    Some((first, _)) => {
                        return Err(format!("{name} and {first} are different documents of one crate, {krate}"))
                    }
                    None => {
                        crates.insert(krate, (name.clone(), text));
                    }
                },
            }
        }
        selected.push(Document { discovery, config: None });
    }
    let report = Harness::new(&specs::project_root()).run(&selected)?;
    println!("{report}");
    let skipped = match all {
        true => format!(" ({refused} refused by the generator, {twins} the same document as another)"),
        false => String::new(),
    };
    println!("conformance: {} APIs in {:.0} s{skipped}", selected.len(), started.elapsed().as_secs_f64());
    let (_, _, _, failing) = report.totals();
    if failing > 0 {
        return Err(format!("{failing} calls differ from the reference client without a listed reason"));
    }
    Ok(())
}

/// The crate the generator makes of `discovery`, with the document's text; why not when it
/// refuses the document.
fn crate_of(discovery: &std::path::Path) -> Result<(String, String), String> {
    let text = std::fs::read_to_string(discovery).map_err(|e| format!("{}: {e}", discovery.display()))?;
    let name = discovery.display().to_string();
    let (api, config) = discogen::pipeline::load(discogen::pipeline::Input { name: &name, text: &text }, None)
        .map_err(|e| e.to_string())?;
    Ok((discogen::pipeline::client_config(&api, &config).crate_name, text))
}
