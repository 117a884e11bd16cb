//! `cargo xtask names-stay` (also run by `cargo xtask corpus`): names stay put (issue 26).
//! Each document listed under `names_stay:` in xtask/corpus.yaml is generated from every
//! release in turn (oldest first, the corpus release among them) as `cargo xtask regen` would,
//! each generation keeping the names the one before chose (its `names.json`); fails when an
//! item two consecutive revisions both have is renamed (`record::renames`).

use discogen::pipeline::{self, Input};
use discogen::rust::record::{self, NameRecord};
use discogen::rust::surface::{self, Surface};

use crate::{corpus, specs};

pub fn run() -> Result<(), String> {
    let definition = corpus::definition()?;
    let names_stay = definition.names_stay.as_ref().ok_or("xtask/corpus.yaml: no `names_stay:` releases")?;
    let releases = corpus::pinned_releases(&definition)?;
    // A document that is a specs/ service is also compared with its configuration.
    let specs = specs::all()?;
    let mut failed = Vec::new();
    for name in &names_stay.documents {
        let spec = specs.iter().find(|s| s.document.file_name().is_some_and(|f| *f == *format!("{name}.json")));
        let mut runs = vec![(name.clone(), None)];
        if let Some(spec) = spec {
            runs.push((format!("{name} with {}", specs::display(&spec.config)), Some(specs::read(&spec.config)?)));
        }
        for (label, config) in runs {
            let config = config.as_deref().map(|text| Input { name: "config", text });
            let mut previous: Option<(String, Surface, NameRecord)> = None;
            for (version, dir) in &releases {
                let text = specs::read(&corpus::document(dir, name)?)?;
                let kept = previous.as_ref().map(|p| p.2.clone());
                let (surface, names) = match generation(&text, config.as_ref().map(copy), kept) {
                    Ok(generated) => generated,
                    // A configuration written for a later revision (StackQL overrides naming
                    // methods an older one lacks): the chain starts at a revision it fits.
                    Err(error) if previous.is_none() => {
                        println!("{label} {version}: skipped, {error}");
                        continue;
                    }
                    Err(error) => return Err(format!("{label} {version}: {error}")),
                };
                if let Some((old_version, old_surface, _)) = &previous {
                    let changes = surface::diff(old_surface, &surface);
                    let renames = record::renames(old_surface, &surface);
                    let breaking = changes.iter().filter(|c| c.breaking()).count();
                    // What the rules alone would have renamed, for comparison (a configuration's
                    // hand-kept aliases may not even fit them).
                    let by_rules = match generation(&text, config.as_ref().map(copy), None) {
                        Ok((fresh, _)) => {
                            format!("{} renamed", record::renames(old_surface, &fresh).len())
                        }
                        Err(error) => format!("an error: {error}"),
                    };
                    println!(
                        "{label} {old_version} -> {version}: {breaking} breaking, {} compatible, {} renamed \
                         (without names.json: {by_rules})",
                        changes.len() - breaking,
                        renames.len()
                    );
                    for rename in &renames {
                        println!("  renamed {rename}");
                    }
                    if !renames.is_empty() {
                        failed.push(format!("{label} {old_version} -> {version}"));
                    }
                }
                previous = Some((version.clone(), surface, names));
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
