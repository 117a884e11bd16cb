//! The generator's stages glued together: text in, files out. No file system access.

use crate::config::Config;
use crate::discovery;
use crate::docs::{self, File};
use crate::error::Result;
use crate::ir::{self, Api};

/// A named input text (the name is used in error messages).
pub struct Input<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Reads, validates and converts a Discovery document with an optional configuration.
pub fn build_api(discovery_doc: Input<'_>, config: Option<Input<'_>>) -> Result<Api> {
    let doc = discovery::load(discovery_doc.name, discovery_doc.text)?;
    let (config, config_name) = match config {
        Some(input) => (Config::parse(input.name, input.text)?, input.name),
        None => (Config::default(), "(no configuration)"),
    };
    ir::build(doc, &config, config_name)
}

/// The documentation tree (`<service>/index.md`, `<service>/<resource>/index.md`).
pub fn docs(discovery_doc: Input<'_>, config: Option<Input<'_>>) -> Result<Vec<File>> {
    docs::render(&build_api(discovery_doc, config)?)
}
