//! The documentation emitter: StackQL resource pages and the service index, as MDX for a
//! Docusaurus site (`specs/stackql-page-format.md`). A pure function of the IR.

mod deref;
pub mod fields;
mod index;
mod manifest;
mod mdx;
mod model;
mod page;
mod profile;

pub use profile::Profile;

use askama::Template;

use crate::error::{Error, Result};
use crate::file::File;
use crate::ir::Api;

fn is_directory_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

/// Renders StackQL's pages (the `stackql` profile).
pub fn render(api: &Api) -> Result<Vec<File>> {
    render_profile(api, Profile::Stackql)
}

/// Renders `<service>/index.md` and `<service>/<resource>/index.md` for every resource.
pub fn render_profile(api: &Api, profile: Profile) -> Result<Vec<File>> {
    // Validation keeps names derived from the document plain; overrides from a configuration
    // could still make one that is no directory name.
    if let Some(resource) = api.resources.iter().find(|r| !is_directory_name(&r.name)) {
        return Err(Error::Render {
            what: resource.id.clone(),
            message: format!("resource name {:?} cannot name a page directory", resource.name),
        });
    }
    // StackQL quirk (see deref.rs): a `$ref` property can show its target's description; the
    // clean profile skips the crawl, so every property shows its own.
    let refs = if profile.is_stackql() { deref::crawl(&api.schemas) } else { deref::RefDescriptions::default() };
    let resolver = fields::Resolver { schemas: &api.schemas, refs: &refs };
    let service = &api.service.stackql_name;
    let origin = api.service.documentation_link.as_deref().and_then(fields::link_origin);
    let render_page = |resource: &crate::ir::SqlResource| -> Result<File> {
        let page = page::ResourcePage::new(api, resource, &resolver, profile);
        let rendered = if profile.is_current() { page::CurrentPage { page: &page }.render() } else { page.render() };
        let contents = rendered.map_err(|err| Error::Render { what: resource.id.clone(), message: err.to_string() })?;
        // StackQL's docs repository escapes the braces of every page of the current format.
        let contents = if profile.is_current() { mdx::escape_braces(&contents) } else { contents };
        // The clean profile links to Google's documentation absolutely (see `absolute_links`).
        let contents =
            if profile.is_stackql() { contents } else { fields::absolute_links(&contents, origin).into_owned() };
        Ok(File { path: format!("{service}/{}/index.md", resource.name), contents })
    };
    // Pages are independent: render them on all cores, keeping resource order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = api.resources.len().div_ceil(threads).max(1);
    let pages: Vec<Result<Vec<File>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = api
            .resources
            .chunks(chunk)
            .map(|resources| scope.spawn(move || resources.iter().map(render_page).collect::<Result<Vec<_>>>()))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(Error::Render { what: "pages".into(), message: "renderer thread panicked".into() })
                })
            })
            .collect()
    });
    let mut files = Vec::with_capacity(api.resources.len() + 1);
    files.push(File { path: format!("{service}/index.md"), contents: index::render(api)? });
    for chunk in pages {
        files.extend(chunk?);
    }
    Ok(files)
}
