//! A typed, order-preserving model of the Discovery document format.
//!
//! Every map is an [`IndexMap`] so the document's own key order (the service's proto
//! declaration order) survives: StackQL's pages depend on it. Unknown keys are ignored so
//! that newer Discovery revisions still load.

use indexmap::IndexMap;
use serde::Deserialize;

/// The root of a Discovery document (`discovery#restDescription`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub revision: String,
    #[serde(default)]
    pub canonical_name: Option<String>,
    #[serde(default)]
    pub documentation_link: Option<String>,
    #[serde(default)]
    pub root_url: String,
    #[serde(default)]
    pub service_path: String,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub batch_path: Option<String>,
    /// Optional features the client must support (`dataWrapper` is the only one defined).
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub mtls_root_url: Option<String>,
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    #[serde(default)]
    pub auth: Option<Auth>,
    /// Global (query) parameters accepted by every method (`alt`, `key`, `$.xgafv`, ...).
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
    #[serde(default)]
    pub resources: IndexMap<String, Resource>,
    /// Methods declared on the service itself rather than on a resource.
    #[serde(default)]
    pub methods: IndexMap<String, Method>,
}

/// A regional or locational endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub endpoint_url: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Auth {
    #[serde(default)]
    pub oauth2: Option<OAuth2>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OAuth2 {
    #[serde(default)]
    pub scopes: IndexMap<String, ScopeInfo>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScopeInfo {
    #[serde(default)]
    pub description: String,
}

/// A resource: methods first, then nested resources, both in document order.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Resource {
    #[serde(default)]
    pub methods: IndexMap<String, Method>,
    #[serde(default)]
    pub resources: IndexMap<String, Resource>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Method {
    pub id: String,
    pub path: String,
    #[serde(default)]
    pub flat_path: Option<String>,
    pub http_method: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `None` when the key is absent; StackQL only derives parameters when it is present.
    #[serde(default)]
    pub parameters: Option<IndexMap<String, Parameter>>,
    #[serde(default)]
    pub parameter_order: Vec<String>,
    /// Usually `{"$ref": "Name"}`; a few documents give an inline schema instead.
    #[serde(default)]
    pub request: Option<Schema>,
    #[serde(default)]
    pub response: Option<Schema>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub supports_media_upload: bool,
    #[serde(default)]
    pub supports_media_download: bool,
    /// Changes can be watched through a push channel (`watch` methods and what they watch).
    #[serde(default)]
    pub supports_subscription: bool,
    /// Downloads go to the media download service (`download/...` paths) at Google.
    #[serde(default)]
    pub use_media_download_service: bool,
    #[serde(default)]
    pub media_upload: Option<MediaUpload>,
    #[serde(default)]
    pub deprecated: bool,
}

/// A method's `mediaUpload`: which media it takes and where each upload protocol goes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaUpload {
    /// MIME patterns (`image/*`, `*/*`).
    #[serde(default)]
    pub accept: Vec<String>,
    /// `5TB`, `10MB`, `1073741824`, ...
    #[serde(default)]
    pub max_size: Option<String>,
    #[serde(default)]
    pub protocols: MediaProtocols,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MediaProtocols {
    #[serde(default)]
    pub simple: Option<MediaProtocol>,
    #[serde(default)]
    pub resumable: Option<MediaProtocol>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MediaProtocol {
    #[serde(default)]
    pub multipart: bool,
    #[serde(default)]
    pub path: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    /// `None` when the key is absent (StackQL copies the flag only if present).
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub repeated: bool,
    #[serde(default, rename = "enum")]
    pub enum_values: Vec<String>,
    #[serde(default)]
    pub enum_descriptions: Vec<String>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
}

/// A JSON schema in Discovery's dialect. A property, an array's `items` and a map's
/// `additionalProperties` are schemas too, possibly a bare `$ref` with sibling keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub properties: IndexMap<String, Schema>,
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    #[serde(default)]
    pub additional_properties: Option<Box<Schema>>,
    #[serde(default, rename = "enum")]
    pub enum_values: Vec<String>,
    #[serde(default)]
    pub enum_descriptions: Vec<String>,
    #[serde(default)]
    pub enum_deprecated: Vec<bool>,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
}
