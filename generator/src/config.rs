//! The per-service generator configuration (`specs/<service>.yaml`).
//!
//! Service-specific facts live here, never in Rust code: which Discovery file to read, the
//! provider name and StackQL's hand-written naming and SQL-verb overrides.

use std::path::PathBuf;

use indexmap::IndexMap;
use serde::Deserialize;

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
    /// An OpenAPI 3 document instead (a StackQL provider spec, say), relative to the
    /// configuration file. At most one of `discovery` and `openapi`.
    #[serde(default)]
    pub openapi: Option<PathBuf>,
    /// Overrides applied while building StackQL's resource model.
    #[serde(default)]
    pub stackql: StackqlOverrides,
    /// The Rust client crate; absent means no client is generated.
    #[serde(default)]
    pub client: Option<ClientConfig>,
}

/// What goes into the generated Rust client crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// Package name, e.g. `google-aiplatform-v1`.
    pub crate_name: String,
    #[serde(default = "default_crate_version")]
    pub version: String,
    /// Discovery resources (dotted chains such as `projects.locations.notebookExecutionJobs`)
    /// whose methods the crate covers. Empty means every resource.
    #[serde(default)]
    pub resources: Vec<String>,
    /// Prefix removed from schema names to form Rust type names.
    #[serde(default)]
    pub type_prefix: String,
    /// Schemas the runtime crate already provides, by schema name -> runtime type name
    /// (`GoogleRpcStatus: RpcStatus`).
    #[serde(default)]
    pub runtime_types: IndexMap<String, String>,
    /// The schema of `google.longrunning.Operation`; methods returning it return a typed
    /// operation handle.
    #[serde(default)]
    pub operation_schema: Option<String>,
    /// Result and metadata types of long-running methods that the rules cannot derive,
    /// by method id.
    #[serde(default)]
    pub operations: IndexMap<String, OperationTypes>,
    /// Path of the runtime crate relative to the generated crate, for a path dependency beside
    /// the version. Not configuration: the caller computes it from where the crate is written
    /// (`cargo xtask regen`, `discogen client --runtime-path DIR`).
    #[serde(skip)]
    pub runtime_path: Option<String>,
    /// The names the previous generation chose (its `names.json`), which this one keeps. Not
    /// configuration: the caller reads it from the crate directory it is about to overwrite.
    #[serde(skip)]
    pub previous_names: Option<crate::record::NameRecord>,
    /// One cargo feature per resource (named after its module, e.g. `notebook-execution-jobs`)
    /// plus `full`; types and names compile only when a resource that uses them is enabled.
    #[serde(default)]
    pub features: bool,
    /// Resources (dotted chains) enabled by the `default` feature.
    #[serde(default)]
    pub default_features: Vec<String>,
    /// Public names this release renamed, old -> new: each old name stays one release as a
    /// `#[deprecated]` alias of the new one.
    #[serde(default)]
    pub renamed: IndexMap<String, String>,
    /// The token fields of paged lists, when they are not Google's `pageToken` /
    /// `nextPageToken` (an OpenAPI API's own names).
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// How an API pages: a list method whose query has `request_token` and whose response has a
/// string `response_token` and an array `items` gets `pages()` and `items()`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// The query parameter carrying the token (`pageToken`).
    pub request_token: String,
    /// The response property with the next page's token (`nextPageToken`).
    pub response_token: String,
    /// The response's array of items; default: its first array property.
    #[serde(default)]
    pub items: Option<String>,
}

impl Pagination {
    /// Google's names: `pageToken` / `nextPageToken`.
    pub fn google() -> Pagination {
        Pagination { request_token: "pageToken".to_owned(), response_token: "nextPageToken".to_owned(), items: None }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationTypes {
    pub response: Option<String>,
    pub metadata: Option<String>,
}

/// Whether a schema has the shape of a well-known message.
type ShapeTest = fn(&crate::ir::Schema) -> bool;

/// `google.rpc.Status`'s shape: no properties but `code` (an integer), `message` (a string)
/// and `details` (an array).
fn has_rpc_status_shape(schema: &crate::ir::Schema) -> bool {
    let is = |name: &str, json_type: &str| {
        schema.property(name).is_none_or(|p| p.json_type.as_deref() == Some(json_type) && p.enum_values.is_empty())
    };
    schema.properties.iter().all(|p| ["code", "message", "details"].contains(&p.name.as_str()))
        && is("code", "integer")
        && is("message", "string")
        && is("details", "array")
}

/// `google.protobuf.Empty`'s shape.
fn has_no_properties(schema: &crate::ir::Schema) -> bool {
    schema.properties.is_empty()
}

impl ClientConfig {
    /// Defaults for a service without a `client:` section: every resource, and the usual
    /// Google schema names for `Status`, `Empty` and `Operation` when the document has them.
    pub fn defaults_for(name: &str, version: &str, schemas: &IndexMap<String, crate::ir::Schema>) -> ClientConfig {
        let mut runtime_types = IndexMap::new();
        // By name and shape: gkehub's and workflowexecutions' `Status` are their own (a `code`
        // enum of strings; `currentSteps`), and decoding them as `google.rpc.Status` lost or
        // refused their fields.
        let known: [(&str, &str, ShapeTest); 4] = [
            ("Status", "RpcStatus", has_rpc_status_shape),
            ("GoogleRpcStatus", "RpcStatus", has_rpc_status_shape),
            ("Empty", "Empty", has_no_properties),
            ("GoogleProtobufEmpty", "Empty", has_no_properties),
        ];
        for (schema, runtime, has_shape) in known {
            if schemas.get(schema).is_some_and(has_shape) {
                runtime_types.insert(schema.to_owned(), runtime.to_owned());
            }
        }
        let operation_schema = ["Operation", "GoogleLongrunningOperation"].into_iter().find(|candidate| {
            schemas
                .get(*candidate)
                .is_some_and(|s| ["name", "done", "response", "error"].iter().all(|field| s.property(field).is_some()))
        });
        ClientConfig {
            crate_name: format!("google-{}-{}", name.to_ascii_lowercase(), version.to_ascii_lowercase())
                .replace(['_', '.'], "-"),
            version: default_crate_version(),
            resources: Vec::new(),
            type_prefix: own_prefix(name, version, schemas),
            runtime_types,
            operation_schema: operation_schema.map(str::to_owned),
            operations: IndexMap::new(),
            runtime_path: None,
            previous_names: None,
            features: false,
            default_features: Vec::new(),
            renamed: IndexMap::new(),
            pagination: None,
        }
    }
}

/// The API's own schema prefix, `GoogleCloud<Name><Version>` (`GoogleCloudAiplatformV1`), when
/// its schemas use it: the Rust names drop it where that is unambiguous.
fn own_prefix(name: &str, version: &str, schemas: &IndexMap<String, crate::ir::Schema>) -> String {
    let upper_first = |word: &str| {
        let mut chars = word.chars();
        chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
    };
    let prefix = format!("GoogleCloud{}{}", upper_first(name), upper_first(version));
    let used = schemas.keys().any(|schema| {
        schema.strip_prefix(&prefix).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    });
    if used {
        prefix
    } else {
        String::new()
    }
}

/// A service without a configuration and with more methods than this gets one cargo feature
/// per resource, as configured crates do: compute v1 (832 methods, 132k lines) would otherwise
/// compile whole for every user. 28 of the 562 corpus documents are above it.
pub const FEATURES_ABOVE_METHODS: usize = 150;

impl ClientConfig {
    /// Above [`FEATURES_ABOVE_METHODS`]: per-resource features (plus `full`), and the resource
    /// with the most methods (the first of equals, in document order) as the default, e.g.
    /// compute's `instances`.
    pub fn features_by_size(&mut self, methods: &[crate::ir::Method]) {
        if methods.len() <= FEATURES_ABOVE_METHODS || self.features {
            return;
        }
        let mut counts: IndexMap<String, usize> = IndexMap::new();
        for method in methods {
            *counts.entry(method.resource_path.join(".")).or_default() += 1;
        }
        let mut largest: Option<(&String, usize)> = None;
        for (chain, &count) in &counts {
            if largest.is_none_or(|(_, most)| count > most) {
                largest = Some((chain, count));
            }
        }
        self.features = true;
        self.default_features = largest.map(|(chain, _)| chain.clone()).into_iter().collect();
    }
}

/// A crates.io package name for a non-Google API from its (already kebab-cased) name: at most
/// 64 characters, cut at a `-`, starting with a letter (`api-` is put before a digit).
pub fn crate_name_from_title(name: &str) -> String {
    let mut crate_name: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    if !crate_name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        crate_name.insert_str(0, "api-");
    }
    while crate_name.len() > 64 {
        let cut = crate_name[..64].rfind('-').unwrap_or(64);
        crate_name.truncate(cut);
    }
    crate_name.trim_end_matches('-').to_owned()
}

fn default_crate_version() -> String {
    "0.1.0".to_owned()
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
    /// StackQL's name for the service when it differs from Discovery's `name` (Discovery
    /// `iam` v2 is StackQL's `iamv2`): it names the docs folder, the resource ids and the index.
    #[serde(default)]
    pub service_name: Option<String>,
    /// What an override naming a method the document does not have is: an error (the default,
    /// so a typo cannot pass silently) or a warning (StackQL ignores such overrides, and its
    /// own table has some).
    #[serde(default)]
    pub unknown_methods: UnknownMethods,
}

/// See [`StackqlOverrides::unknown_methods`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownMethods {
    #[default]
    Error,
    Warn,
}

/// The resource name that, as an override, drops a method from StackQL's model: no page, not
/// counted in the service index.
pub const SKIP_RESOURCE: &str = "skip_this_resource";

fn default_provider() -> String {
    "google".to_owned()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            provider: default_provider(),
            discovery: None,
            openapi: None,
            stackql: StackqlOverrides::default(),
            client: None,
        }
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
        if config.discovery.is_some() && config.openapi.is_some() {
            return Err(config_error(
                file,
                "openapi".to_owned(),
                "name either a Discovery document (`discovery:`) or an OpenAPI document (`openapi:`), not both"
                    .to_owned(),
            ));
        }
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
}

fn config_error(file: &str, location: String, message: String) -> Error {
    Error::Config { file: file.to_owned(), location, message }
}
