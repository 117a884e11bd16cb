//! `cargo xtask names-stay` (also run by `cargo xtask corpus`): names stay put (issue 26).
//! Each document of the corpus's `newer:` release is generated as `cargo xtask regen` would
//! after the corpus release's one, keeping the names that generation chose (its
//! `names.json`); fails when an item both revisions have is renamed (`record::renames`).

use discogen::pipeline::{self, Input};
use discogen::rust::record::{self, NameRecord};
use discogen::rust::surface::{self, Surface};

use crate::{corpus, specs};

pub fn run() -> Result<(), String> {
    let definition = corpus::definition()?;
    let newer = definition.newer.as_ref().ok_or("xtask/corpus.yaml: no `newer:` release to compare")?;
    let old_dir = corpus::documents(&definition)?;
    let new_dir = corpus::release_documents(&definition.package, &newer.version, Some(&newer.sha256))?;
    // A document that is a specs/ service is also compared with its configuration.
    let specs = specs::all()?;
    let mut failed = Vec::new();
    for name in &newer.documents {
        let old = specs::read(&corpus::document(&old_dir, name)?)?;
        let new = specs::read(&corpus::document(&new_dir, name)?)?;
        let config = specs.iter().find(|s| s.document.file_name().is_some_and(|f| *f == *format!("{name}.json")));
        let mut runs = vec![(name.clone(), None)];
        if let Some(spec) = config {
            runs.push((format!("{name} with {}", specs::display(&spec.config)), Some(specs::read(&spec.config)?)));
        }
        for (label, config) in runs {
            let config = config.as_deref().map(|text| Input { name: "config", text });
            let (old_surface, names) = generation(&old, config.as_ref().map(copy), None)?;
            let (new_surface, _) = generation(&new, config.as_ref().map(copy), Some(names))?;
            // What the rules alone would have renamed, for comparison (a configuration's
            // hand-kept aliases may not even fit them).
            let by_rules = match generation(&new, config.as_ref().map(copy), None) {
                Ok((fresh, _)) => format!("{} renamed", record::renames(&surface::diff(&old_surface, &fresh)).len()),
                Err(error) => format!("an error: {error}"),
            };
            let changes = surface::diff(&old_surface, &new_surface);
            let renames = record::renames(&changes);
            let breaking = changes.iter().filter(|c| c.breaking()).count();
            println!(
                "{label} {} -> {}: {breaking} breaking, {} compatible, {} renamed (without names.json: {by_rules})",
                definition.version,
                newer.version,
                changes.len() - breaking,
                renames.len()
            );
            for rename in &renames {
                println!("  renamed {rename}");
            }
            if !renames.is_empty() {
                failed.push(label);
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("names moved between revisions in {}", failed.join(", ")))
    }
}

fn copy<'a>(input: &Input<'a>) -> Input<'a> {
    Input { name: input.name, text: input.text }
}

/// The client surface of a document and the names it chose, keeping `previous`.
fn generation(
    document: &str,
    config: Option<Input<'_>>,
    previous: Option<NameRecord>,
) -> Result<(Surface, NameRecord), String> {
    let (api, config) =
        pipeline::load(Input { name: "document", text: document }, config).map_err(|e| e.to_string())?;
    let mut client = pipeline::client_config(&api, &config);
    client.previous_names = previous;
    surface::surface_and_names(&api, &client).map_err(|e| e.to_string())
}
