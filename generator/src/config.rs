//! The per-service generator configuration (`specs/<service>.yaml`).
//!
//! Service-specific facts live here, never in Rust code: which Discovery file to read, the
//! provider name and StackQL's hand-written naming and SQL-verb overrides.

use std::path::PathBuf;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::discovery::{walk_resource_methods, Document};
use crate::error::{Error, Result};

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// StackQL provider name; the first part of every resource id (`google.aiplatform.x`).
    #[serde(default = "default_provider")]
    pub provider: String,
    /// The Discovery document, relative to the configuration file.
    #[serde(default)]
    pub discovery: Option<PathBuf>,
    /// Overrides applied while building StackQL's resource model.
    #[serde(default)]
    pub stackql: StackqlOverrides,
}

/// StackQL's hand-written overrides, keyed by Discovery method id (StackQL's operationId).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackqlOverrides {
    /// Method id -> resource name (replaces the derived name).
    #[serde(default)]
    pub resource_names: IndexMap<String, String>,
    /// Derived resource name -> final resource name.
    #[serde(default)]
    pub resource_renames: IndexMap<String, String>,
    /// Method id -> SQL verb (`select`, `insert`, `update`, `replace`, `delete`, `exec`).
    #[serde(default)]
    pub sql_verbs: IndexMap<String, String>,
    /// Method id -> method name.
    #[serde(default)]
    pub method_names: IndexMap<String, String>,
    /// Method id -> object key (e.g. `$.items`).
    #[serde(default)]
    pub object_keys: IndexMap<String, String>,
    /// Name methods by all their id tokens after the service, not just the last one.
    #[serde(default)]
    pub fully_qualified_method_names: bool,
}

fn default_provider() -> String {
    "google".to_owned()
}

impl Default for Config {
    fn default() -> Self {
        Config { provider: default_provider(), discovery: None, stackql: StackqlOverrides::default() }
    }
}

const SQL_VERBS: [&str; 6] = ["select", "insert", "update", "replace", "delete", "exec"];

impl Config {
    /// Parses a configuration file. `file` names the source in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config> {
        let config: Config = serde_yaml_ng::from_str(text).map_err(|err| Error::Config {
            file: file.to_owned(),
            location: err
                .location()
                .map_or_else(|| "$".to_owned(), |l| format!("line {}, column {}", l.line(), l.column())),
            message: err.to_string(),
        })?;
        for (id, verb) in &config.stackql.sql_verbs {
            if !SQL_VERBS.contains(&verb.as_str()) {
                return Err(config_error(
                    file,
                    format!("stackql.sql_verbs.{id}"),
                    format!("unknown SQL verb \"{verb}\""),
                ));
            }
        }
        Ok(config)
    }

    /// Checks that every override names a method the document has.
    pub fn check_against(&self, file: &str, doc: &Document) -> Result<()> {
        let mut ids = std::collections::HashSet::new();
        walk_resource_methods(&doc.resources, &mut |_, _, method| {
            ids.insert(method.id.as_str());
        });
        ids.extend(doc.methods.values().map(|method| method.id.as_str()));
        let overrides = &self.stackql;
        let keyed = [
            ("resource_names", &overrides.resource_names),
            ("sql_verbs", &overrides.sql_verbs),
            ("method_names", &overrides.method_names),
            ("object_keys", &overrides.object_keys),
        ];
        for (section, map) in keyed {
            if let Some(id) = map.keys().find(|id| !ids.contains(id.as_str())) {
                return Err(config_error(
                    file,
                    format!("stackql.{section}.{id}"),
                    format!("override names method \"{id}\", which the Discovery document does not have"),
                ));
            }
        }
        Ok(())
    }
}

fn config_error(file: &str, location: String, message: String) -> Error {
    Error::Config { file: file.to_owned(), location, message }
}
