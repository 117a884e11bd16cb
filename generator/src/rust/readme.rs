//! The crate's package page: `README.md`, shown by crates.io and, through
//! `#![doc = include_str!("../README.md")]`, as the crate's rustdoc front page, so its
//! quickstart is compiled as a doctest.

use askama::Template;

use super::emit::example::example_call;
use super::plan::CratePlan;
use super::plan::{MethodPlan, ResourcePlan};
use crate::config::ClientConfig;
use crate::error::{Error, Result};
use crate::ir::{Api, HttpMethod};

#[derive(Template)]
#[template(path = "crate_readme.md", escape = "none")]
struct Readme<'a> {
    name: &'a str,
    crate_version: &'a str,
    title: &'a str,
    link: Option<&'a str>,
    service: &'a str,
    version: &'a str,
    revision: &'a str,
    description: String,
    quickstart: String,
    resource_count: usize,
    /// `(feature, resource chain)` per resource, when the crate has features.
    features: Vec<(&'a str, &'a str)>,
    default_chains: String,
}

pub fn render(api: &Api, config: &ClientConfig, plan: &CratePlan) -> Result<String> {
    let service = &api.service;
    let crate_ident = config.crate_name.replace('-', "_");
    let features: Vec<(&str, &str)> =
        plan.resources.iter().filter_map(|r| Some((r.feature.as_deref()?, r.chain.as_str()))).collect();
    let default_chains = plan
        .resources
        .iter()
        .filter(|r| r.feature.is_some() && config.default_features.contains(&r.chain))
        .map(|r| format!("`{}`", r.chain))
        .collect::<Vec<_>>()
        .join(", ");
    let readme = Readme {
        name: &config.crate_name,
        crate_version: &config.version,
        title: &service.title,
        link: service.documentation_link.as_deref().filter(|l| l.starts_with("https://")),
        service: &service.name,
        version: &service.version,
        revision: &service.revision,
        description: super::rustdoc::lines(&service.description).join("\n"),
        quickstart: quickstart(config, plan, &crate_ident),
        resource_count: plan.resources.iter().filter(|r| !r.methods.is_empty()).count(),
        features,
        default_chains,
    };
    readme.render().map_err(|err| Error::Render { what: "README.md".to_owned(), message: err.to_string() })
}

/// A complete async function: build a client, then make a read-only call that works as written
/// against the real service (its required parameters as placeholders) on the API's main
/// resource: of those the default features enable, the one with the most methods (Drive's
/// `files`, Gmail's `messages`, Storage's `objects`) that has a read-only call.
fn quickstart(config: &ClientConfig, plan: &CratePlan, crate_ident: &str) -> String {
    let enabled = |r: &&ResourcePlan| r.feature.is_none() || config.default_features.contains(&r.chain);
    let main = plan
        .resources
        .iter()
        .filter(enabled)
        .filter_map(|r| Some((r, showcase(&r.methods)?)))
        // The first of the largest: `max_by_key` would keep the last.
        .fold(None, |best: Option<(&ResourcePlan, &MethodPlan)>, (r, m)| match best {
            Some((b, _)) if b.methods.len() >= r.methods.len() => best,
            _ => Some((r, m)),
        });
    let call = main.map(|(r, m)| example_call(m, r, ""));
    let mut imports = vec!["Client".to_owned()];
    if let Some(call) = &call {
        for name in &call.names {
            if !imports.contains(name) {
                imports.push(name.clone());
            }
        }
        if call.uses_stream {
            imports.push("TryStreamExt".to_owned());
        }
    }
    let imports = if imports.len() == 1 { imports.remove(0) } else { format!("{{{}}}", imports.join(", ")) };
    let mut lines = vec![
        format!("use {crate_ident}::{imports};"),
        String::new(),
        format!("async fn quickstart() -> {crate_ident}::Result<()> {{"),
        "    let client = Client::builder()".to_owned(),
        "        .bearer_token(std::env::var(\"ACCESS_TOKEN\").unwrap_or_default())".to_owned(),
        "        .build()?;".to_owned(),
    ];
    match call {
        Some(call) => lines.extend(call.body.into_iter().map(|l| format!("    {l}"))),
        None => lines.push("    let _ = client;".to_owned()),
    }
    lines.extend(["    Ok(())".to_owned(), "}".to_owned()]);
    lines.join("\n")
}

/// A resource's read-only call for a first try: its paged list, else its `get`, else another
/// GET that is not a download; `None` when it has only writes.
fn showcase(methods: &[MethodPlan]) -> Option<&MethodPlan> {
    let reads = || methods.iter().filter(|m| m.http == HttpMethod::Get && m.upload.is_none() && !m.download);
    reads().find(|m| m.page_item.is_some()).or_else(|| reads().find(|m| m.name == "get")).or_else(|| reads().next())
}
