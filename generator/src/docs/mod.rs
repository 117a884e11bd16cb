//! The documentation emitter: StackQL resource pages and the service index, as MDX for a
//! Docusaurus site (`specs/stackql-page-format.md`). A pure function of the IR.

mod deref;
pub mod fields;
mod index;
mod model;
mod page;

use askama::Template;

use crate::error::{Error, Result};
use crate::ir::Api;

/// A generated file: path relative to the output root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// Renders `<service>/index.md` and `<service>/<resource>/index.md` for every resource.
pub fn render(api: &Api) -> Result<Vec<File>> {
    let refs = deref::crawl(&api.schemas);
    let resolver = fields::Resolver { schemas: &api.schemas, refs: &refs };
    let service = &api.service.name;
    let mut files = Vec::with_capacity(api.resources.len() + 1);
    files.push(File { path: format!("{service}/index.md"), contents: index::render(api)? });
    for resource in &api.resources {
        let page = page::ResourcePage::new(api, resource, &resolver);
        let contents = page.render().map_err(|err| Error::Render { what: resource.id.clone(), message: err.to_string() })?;
        files.push(File { path: format!("{service}/{}/index.md", resource.name), contents });
    }
    Ok(files)
}
