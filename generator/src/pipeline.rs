//! The generator's stages glued together: text in, files out. No file system access.
//!
//! read (`discovery` or `openapi`) -> shared passes (`analysis`) -> StackQL's model (`stackql`,
//! derived for Discovery input; an OpenAPI provider spec states it) -> emit (`docs`, `rust`).

use crate::config::{ClientConfig, Config};
use crate::error::Result;
use crate::file::File;
use crate::ir::Api;
use crate::{analysis, discovery, docs, stackql};

/// A named input text (the name is used in error messages).
pub struct Input<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Reads, validates and converts a Discovery document with an optional configuration.
pub fn build_api(discovery_doc: Input<'_>, config: Option<Input<'_>>) -> Result<Api> {
    Ok(load(discovery_doc, config)?.0)
}

/// The IR and the configuration it was built with.
pub fn load(discovery_doc: Input<'_>, config: Option<Input<'_>>) -> Result<(Api, Config)> {
    load_with(discovery_doc, config, stackql::Rules::Seed)
}

/// [`load`] with StackQL's model derived by a given converter's rules.
pub fn load_with(discovery_doc: Input<'_>, config: Option<Input<'_>>, rules: stackql::Rules) -> Result<(Api, Config)> {
    let doc = discovery::load(discovery_doc.name, discovery_doc.text)?;
    let (config, config_name) = match config {
        Some(input) => (Config::parse(input.name, input.text)?, input.name),
        None => (Config::default(), "(no configuration)"),
    };
    let mut api = discovery::lower(doc, &config);
    analysis::run(&mut api);
    stackql::derive_with(&mut api, &config, discovery_doc.name, config_name, rules)?;
    Ok((api, config))
}

/// The IR of an OpenAPI 3 document (JSON or YAML) and the configuration it was built with.
pub fn load_openapi(spec: Input<'_>, config: Option<Input<'_>>) -> Result<(Api, Config)> {
    load_openapi_freeing(spec, config, true)
}

/// [`load_openapi`] for a process that exits once it has written its output (the `discogen`
/// command): the document is left to the exit to free. Freeing aiplatform's provider spec
/// walks the whole tree, some 11 M instructions, a twentieth of the main thread.
pub fn load_openapi_then_exit(spec: Input<'_>, config: Option<Input<'_>>) -> Result<(Api, Config)> {
    load_openapi_freeing(spec, config, false)
}

fn load_openapi_freeing(spec: Input<'_>, config: Option<Input<'_>>, free: bool) -> Result<(Api, Config)> {
    let doc = crate::openapi::load(spec.name, spec.text)?;
    let (config, config_name) = match config {
        Some(input) => (Config::parse(input.name, input.text)?, input.name),
        None => (Config::default(), "(no configuration)"),
    };
    // The document borrows its keys and most strings from the text, so it is freed here (it
    // was freed on a thread of its own while every key and string was an allocation).
    let lowered = crate::openapi::lower(spec.name, &doc, &config, config_name);
    if free {
        drop(doc);
    } else {
        std::mem::forget(doc);
    }
    let mut api = lowered?;
    analysis::run(&mut api);
    Ok((api, config))
}

/// The documentation tree of an OpenAPI document (a StackQL provider spec: its
/// `x-stackQL-resources` are the pages).
pub fn docs_openapi(spec: Input<'_>, config: Option<Input<'_>>) -> Result<Vec<File>> {
    docs::render(&load_openapi(spec, config)?.0)
}

/// The documentation tree from an OpenAPI document in a given profile.
pub fn docs_openapi_profile(spec: Input<'_>, config: Option<Input<'_>>, profile: docs::Profile) -> Result<Vec<File>> {
    docs::render_profile(&load_openapi(spec, config)?.0, profile)
}

/// The client configuration to use: the file's `client:` section, or defaults for the whole
/// service (`google-<name>-<version>` for a Google API, else the API's name from its title;
/// every resource; per-resource features above [`crate::config::FEATURES_ABOVE_METHODS`]
/// methods).
pub fn client_config(api: &Api, config: &Config) -> ClientConfig {
    config.client.clone().unwrap_or_else(|| {
        let mut client = ClientConfig::defaults_for(&api.service.name, &api.service.version, &api.schemas);
        if !api.service.is_google() {
            client.crate_name = crate::config::crate_name_from_title(&api.service.name);
        }
        client.features_by_size(&api.methods);
        client
    })
}

/// A Discovery document's client crate as the tools around the generator write it (the
/// corpus checks, the conformance driver, the reference calls): its configuration, adjusted by
/// `adjust` (a crate name, the runtime's path), and its files.
pub fn client_crate(
    discovery_doc: Input<'_>,
    config: Option<Input<'_>>,
    adjust: impl FnOnce(&mut ClientConfig),
) -> Result<(ClientConfig, Vec<File>)> {
    let (api, config) = load(discovery_doc, config)?;
    let mut client = client_config(&api, &config);
    adjust(&mut client);
    let files = crate::rust::render(&api, &client)?;
    Ok((client, files))
}

/// The client crate's files, relative to the crate directory.
pub fn client(discovery_doc: Input<'_>, config: Option<Input<'_>>) -> Result<Vec<File>> {
    let (api, config) = load(discovery_doc, config)?;
    crate::rust::render(&api, &client_config(&api, &config))
}

/// The documentation tree of a Discovery document in a profile: StackQL's current format
/// (`stackql-0.7`) derives the model by the current converter's rules.
pub fn docs_profile(discovery_doc: Input<'_>, config: Option<Input<'_>>, profile: docs::Profile) -> Result<Vec<File>> {
    let rules = if profile.is_current() { stackql::Rules::Current } else { stackql::Rules::Seed };
    docs::render_profile(&load_with(discovery_doc, config, rules)?.0, profile)
}

/// The documentation tree (`<service>/index.md`, `<service>/<resource>/index.md`).
pub fn docs(discovery_doc: Input<'_>, config: Option<Input<'_>>) -> Result<Vec<File>> {
    docs::render(&build_api(discovery_doc, config)?)
}
