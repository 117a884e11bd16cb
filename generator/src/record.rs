//! The names a generation chose, written beside the crate (`names.json`) and read back by the
//! next one, so that a revision adding an unrelated pattern, enum or resource keeps every
//! existing public name.
//!
//! Naming rules that must look at the whole document (a clash, an enum name two value sets
//! want) would otherwise hand a name to a newcomer and rename the item that had it. With a
//! record, an item keeps the name it was given (when it is free), a newcomer avoids every
//! recorded name, and an item whose recorded name cannot be kept gets a `#[deprecated]` alias
//! under it for one revision. Keys are what the name is for and cannot change without the
//! item changing: a schema (or the schema field an inline object is the type of), a resource's
//! chain, a resource-name pattern, the schema field or method parameter an enum is the type of.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The file under the crate directory.
pub const FILE: &str = "names.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameRecord {
    /// The document revision the names were chosen for (an OpenAPI document without one: its
    /// version).
    #[serde(default)]
    pub revision: String,
    /// Resource chain (`projects.locations.customJobs.operations`) -> module name.
    #[serde(default)]
    pub modules: BTreeMap<String, String>,
    /// Schema (`GoogleCloudAiplatformV1Model`), or the schema field an inline object is the
    /// type of, -> struct or alias name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Resource-name pattern (`projects/*/locations/*/customJobs/*`) -> type name.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// Enum use (`Schema.field`, `method.id.parameter`) -> enum type name.
    #[serde(default)]
    pub enums: BTreeMap<String, String>,
    /// Enum type name -> the value prefix its variant names leave out (`JOB_STATE_`), when one.
    #[serde(default)]
    pub variant_prefixes: BTreeMap<String, String>,
    /// Deprecated aliases (old -> new) of the names this revision could not keep: kept while
    /// the revision stays the same (a regeneration of one document is the same release).
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

impl NameRecord {
    pub fn parse(text: &str) -> Result<NameRecord, String> {
        serde_json::from_str(text).map_err(|err| format!("{FILE}: {err}"))
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a record serializes");
        text.push('\n');
        text
    }
}
