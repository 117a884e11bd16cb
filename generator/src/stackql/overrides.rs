//! The configuration's StackQL overrides checked against the API: each must name a method the
//! document has, so that a typo cannot pass silently.

use std::collections::HashSet;

use crate::config::{StackqlOverrides, UnknownMethods};
use crate::error::{Error, Result};
use crate::ir::Method;

/// Checks that every override names one of `methods`. With `unknown_methods: warn` the misses
/// are returned as warnings instead (they change nothing: no method matches them).
pub fn check(overrides: &StackqlOverrides, config_file: &str, methods: &[Method]) -> Result<Vec<String>> {
    let ids: HashSet<&str> = methods.iter().map(|method| method.id.as_str()).collect();
    let keyed = [
        ("resource_names", &overrides.resource_names),
        ("sql_verbs", &overrides.sql_verbs),
        ("method_names", &overrides.method_names),
        ("object_keys", &overrides.object_keys),
    ];
    let mut warnings = Vec::new();
    for (section, map) in keyed {
        for id in map.keys().filter(|id| !ids.contains(id.as_str())) {
            let error = Error::Config {
                file: config_file.to_owned(),
                location: format!("stackql.{section}.{id}"),
                message: format!("override names method \"{id}\", which the Discovery document does not have"),
            };
            match overrides.unknown_methods {
                UnknownMethods::Error => return Err(error),
                UnknownMethods::Warn => warnings.push(format!("{error} (ignored: unknown_methods is warn)")),
            }
        }
    }
    Ok(warnings)
}
