//! The intermediate representation: one plain-data description of a service that every
//! emitter consumes. Nothing here refers back to the JSON, and this module imports nothing else
//! of the crate (the tidy test checks it); document order is kept everywhere.
//!
//! Two readers build it: `crate::discovery` and `crate::openapi`. Field docs say what each
//! reader puts in; a few fields only one of them can fill (Discovery's regional endpoints and
//! media, OpenAPI's composition, header parameters and security schemes) and are empty from the
//! other. Shared rules (`crate::analysis`) and StackQL's model (`crate::stackql`) fill in the
//! rest.

pub mod media;
mod template;

pub use template::{PathTemplate, TemplatePiece};

/// A whole service, ready for the emitters.
#[derive(Debug, Clone)]
pub struct Api {
    pub service: Service,
    /// Named schemas in document order.
    pub schemas: indexmap::IndexMap<String, Schema>,
    /// Every method in document order: resource methods depth first (a resource's own methods,
    /// then its sub-resources), then methods declared on the service itself.
    pub methods: Vec<Method>,
    /// The service in StackQL's resource model, in order of first appearance.
    pub resources: Vec<SqlResource>,
    /// Problems that did not stop the build (e.g. ignored overrides), for the caller to show.
    pub warnings: Vec<String>,
}

/// Service metadata.
#[derive(Debug, Clone)]
pub struct Service {
    /// StackQL provider (`google`).
    pub provider: String,
    /// Discovery `name` (`aiplatform`).
    pub name: String,
    /// StackQL's name of the service (Discovery's `name` unless configured otherwise): the docs
    /// folder, the middle of every resource id and the index title.
    pub stackql_name: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub revision: String,
    pub canonical_name: Option<String>,
    pub documentation_link: Option<String>,
    /// `rootUrl` + `servicePath`: where method paths are resolved.
    pub base_url: String,
    pub root_url: String,
    pub mtls_root_url: Option<String>,
    pub endpoints: Vec<RegionalEndpoint>,
    /// OAuth 2.0 scopes (Discovery `auth.oauth2.scopes`; OpenAPI: every `oauth2` security
    /// scheme's flows, first description kept).
    pub scopes: Vec<Scope>,
    /// OpenAPI `components.securitySchemes` in document order; empty for Discovery, whose only
    /// scheme is the OAuth 2.0 of `scopes`.
    pub security_schemes: Vec<SecurityScheme>,
    /// Discovery's `dataWrapper` feature: request bodies travel as `{"data": body}` and
    /// responses carry their payload under `data` (translate v2). Always false for OpenAPI.
    pub data_wrapper: bool,
    /// Which reader built the IR.
    pub document: DocumentKind,
}

/// The kind of document an [`Api`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Discovery,
    OpenApi,
}

impl DocumentKind {
    /// As the document's specification names itself.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Discovery => "Discovery",
            DocumentKind::OpenApi => "OpenAPI",
        }
    }
}

impl Service {
    /// A Google API: every Discovery document, and an OpenAPI document served from
    /// `googleapis.com` (StackQL's provider specs). Only those get `google-` crate names.
    pub fn is_google(&self) -> bool {
        let host = self.root_url.split("://").nth(1).unwrap_or(&self.root_url);
        let host = host.split(['/', ':']).next().unwrap_or_default();
        self.document == DocumentKind::Discovery || host == "googleapis.com" || host.ends_with(".googleapis.com")
    }
}

/// An OpenAPI security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`.
    pub name: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    /// An API key sent as the parameter `name` in `location`.
    ApiKey {
        name: String,
        location: ParamLocation,
    },
    /// HTTP authentication (`basic`, `bearer`, ...).
    Http {
        scheme: String,
        bearer_format: Option<String>,
    },
    /// OAuth 2.0; its scopes are in [`Service::scopes`].
    OAuth2 {
        flows: Vec<String>,
    },
    OpenIdConnect {
        url: String,
    },
    MutualTls,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionalEndpoint {
    pub location: String,
    pub url: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub url: String,
    pub description: String,
}

/// A schema: a named type, a property, an array's items or a map's values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// Discovery `id` (named schemas only; an OpenAPI schema's `id` key, which StackQL's
    /// provider specs keep from Discovery).
    pub id: Option<String>,
    /// Name of the schema this one refers to (`$ref`); sibling keys such as `description`
    /// and `read_only` then describe the reference itself.
    pub reference: Option<String>,
    /// `string`, `integer`, `number`, `boolean`, `object`, `array` or `any` (Discovery's
    /// `any`; OpenAPI's type arrays of more than one type other than `null`).
    pub json_type: Option<String>,
    /// Discovery `format`: `int64`, `google-datetime`, `google-duration`, `byte`, ...
    pub format: Option<String>,
    /// What `json_type` and `format` mean for a scalar, with its wire encoding; `None` for an
    /// object, an array, no type or an unknown one. Set by `crate::analysis` for both readers
    /// (the text above stays as written, for the StackQL pages).
    pub scalar: Option<ScalarType>,
    pub description: Option<String>,
    pub properties: Vec<Property>,
    pub items: Option<Box<Schema>>,
    pub additional_properties: Option<Box<Schema>>,
    pub enum_values: Vec<EnumValue>,
    pub read_only: bool,
    pub deprecated: bool,
    pub pattern: Option<String>,
    /// The default value: a string as written, anything else as JSON text.
    pub default: Option<String>,
    /// OpenAPI `nullable: true` or a 3.1 type array with `"null"` (Discovery: never).
    pub nullable: bool,
    /// Names of required properties (OpenAPI `required`; Discovery has none).
    pub required: Vec<String>,
    /// OpenAPI `allOf`, `oneOf` and `anyOf` parts, in order (Discovery: none).
    pub all_of: Vec<Schema>,
    pub one_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub discriminator: Option<Discriminator>,
}

/// The kind of a scalar value and how it travels in JSON, from a schema's `type` and `format`
/// (the same rule for Discovery and OpenAPI: a 64-bit integer is a JSON string when typed
/// `string`, a JSON number when typed `integer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    /// `string` with any other format (`uri`, `email`, `int32`, none, ...).
    String,
    Boolean,
    /// `integer` with any other format (`int32`, none, ...): a JSON number.
    Int32,
    /// `integer`, `uint32`: a JSON number.
    UInt32,
    /// `string`, `int64`: a JSON string.
    Int64,
    /// `string`, `uint64`: a JSON string.
    UInt64,
    /// `integer`, `int64` or `uint64`: a JSON number (read as a signed 64-bit integer).
    Int64Number,
    /// `number`, `float`.
    Float,
    /// `number` with any other format (`double`, none, ...).
    Double,
    /// `string`, `byte`: base64 text, sent in `alphabet`.
    Bytes {
        alphabet: Base64Alphabet,
    },
    /// `string`, `date-time` or `google-datetime`: RFC 3339 text.
    Timestamp,
    /// `string`, `google-duration`: seconds with an `s` (`3.5s`).
    Duration,
    /// `string`, `google-fieldmask`: comma-separated field paths.
    FieldMask,
    /// `string`, `date`: a full date (`2024-02-29`).
    Date,
    /// Any JSON value: Discovery's `any`, an OpenAPI type array of several types other than
    /// `null`, the schema `true`.
    Any,
}

/// The base64 alphabet `format: byte` values are sent in (every alphabet is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Alphabet {
    /// RFC 4648 section 5 (`-` and `_`): what Google's servers take for every `bytes` field,
    /// and the only one some accept (Gmail's `raw`).
    UrlSafe,
    /// RFC 4648 section 4 (`+` and `/`): OpenAPI's definition of `format: byte`, for servers
    /// that may not read the URL-safe one.
    Standard,
}

/// OpenAPI `discriminator`: the property naming the variant, and value -> schema name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    pub property_name: String,
    pub mapping: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub schema: Schema,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    pub description: Option<String>,
    pub deprecated: bool,
}

impl Schema {
    /// The property called `name`, if any.
    pub fn property(&self, name: &str) -> Option<&Schema> {
        self.properties.iter().find(|p| p.name == name).map(|p| &p.schema)
    }

    /// True when this is a `$ref` carrying keys of its own (a description, `readOnly`, ...).
    pub fn is_ref_with_siblings(&self) -> bool {
        self.reference.is_some() && (self.description.is_some() || self.read_only || self.deprecated)
    }
}

/// A method: a Discovery method or an OpenAPI operation.
#[derive(Debug, Clone)]
pub struct Method {
    /// Discovery id, e.g. `aiplatform.projects.locations.notebookExecutionJobs.get`; OpenAPI
    /// `operationId` (or `<verb> <path>` without one).
    pub id: String,
    /// Resource chain, e.g. `["projects", "locations", "notebookExecutionJobs"]` (empty for
    /// methods declared on the service). OpenAPI: the middle of a dotted `operationId`
    /// (`svc.a.b.get` gives `["a", "b"]`), else the first tag.
    pub resource_path: Vec<String>,
    /// Name within its resource (`get`).
    pub name: String,
    pub http_method: HttpMethod,
    /// URI template relative to the base URL (`v1/{+name}`; OpenAPI: the path key without its
    /// leading `/`).
    pub path: PathTemplate,
    /// The same with every path segment spelt out (`v1/projects/{projectsId}/...`).
    pub flat_path: Option<String>,
    pub description: Option<String>,
    /// Parameters in document order; `None` when the method declares no `parameters` key.
    pub parameters: Option<Vec<Parameter>>,
    pub parameter_order: Vec<String>,
    pub request: Option<String>,
    pub response: Option<String>,
    /// OpenAPI error responses (codes `4XX`/`5XX`, ranges and `default`) that have a JSON
    /// schema, in document order; empty for Discovery (Google's errors are one
    /// `google.rpc.Status` shape, which the runtime decodes itself).
    pub error_responses: Vec<ErrorResponse>,
    pub scopes: Vec<String>,
    pub supports_media_upload: bool,
    pub supports_media_download: bool,
    /// Discovery's `supportsSubscription`: changes can be watched through a push channel (on
    /// `watch` methods, and on the `list` a channel watches).
    pub supports_subscription: bool,
    /// Media upload and download, from `mediaUpload` and the `supportsMedia*` flags.
    pub media: media::Media,
    pub deprecated: bool,
    /// Where the method takes an AIP-155 request id, if it does (see [`RequestIdSlot`]).
    pub request_id: Option<RequestIdSlot>,
}

/// An HTTP method: Discovery documents use the first seven, OpenAPI adds `trace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Trace,
}

impl HttpMethod {
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
        HttpMethod::Head,
        HttpMethod::Options,
        HttpMethod::Trace,
    ];

    /// As HTTP (and Discovery's `httpMethod`) spells it: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// From the upper-case name (HTTP methods are case-sensitive).
    pub fn parse(text: &str) -> Option<HttpMethod> {
        HttpMethod::ALL.into_iter().find(|method| method.as_str() == text)
    }
}

/// A documented error response: for which status, and the schema of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    pub status: ResponseStatus,
    pub schema: String,
}

/// An OpenAPI response key other than a success code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseStatus {
    /// `404`.
    Code(u16),
    /// `4XX`: the first digit.
    Range(u8),
    /// `default`: any status not listed.
    Default,
}

impl ResponseStatus {
    /// Whether a response with HTTP `status` falls under this key.
    pub fn matches(self, status: u16) -> bool {
        match self {
            ResponseStatus::Code(code) => code == status,
            ResponseStatus::Range(digit) => status / 100 == u16::from(digit),
            ResponseStatus::Default => true,
        }
    }
}

impl std::fmt::Display for ResponseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResponseStatus::Code(code) => write!(f, "{code}"),
            ResponseStatus::Range(digit) => write!(f, "{digit}XX"),
            ResponseStatus::Default => f.write_str("default"),
        }
    }
}

/// Where a create-like method carries its AIP-155 request id: the client fills in a UUID v4
/// when the caller did not set one, keeps it across attempts and may then retry the call as
/// idempotent (the server answers a repeated id with the first result). Which methods have
/// one is decided by `crate::analysis`, from the document alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestIdSlot {
    /// A string query parameter of this (wire) name (compute, alloydb, backupdr, ...).
    Query(String),
    /// A top-level string property of the request body, by its JSON name.
    BodyField(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    /// OpenAPI `in: header` (Discovery has none).
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub location: ParamLocation,
    /// `required: true` in the document (absent means false in both formats).
    pub required: bool,
    pub repeated: bool,
    pub json_type: Option<String>,
    pub format: Option<String>,
    /// As [`Schema::scalar`] (of the items, for a repeated parameter).
    pub scalar: Option<ScalarType>,
    pub description: Option<String>,
    pub enum_values: Vec<EnumValue>,
    pub pattern: Option<String>,
    pub default: Option<String>,
    pub deprecated: bool,
}

/// StackQL's SQL verbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SqlVerb {
    Select,
    Insert,
    Update,
    Replace,
    Delete,
    Exec,
}

impl SqlVerb {
    /// The verbs that have their own examples section, in page order.
    pub const GROUPED: [SqlVerb; 5] =
        [SqlVerb::Select, SqlVerb::Insert, SqlVerb::Update, SqlVerb::Replace, SqlVerb::Delete];

    pub fn as_str(self) -> &'static str {
        match self {
            SqlVerb::Select => "select",
            SqlVerb::Insert => "insert",
            SqlVerb::Update => "update",
            SqlVerb::Replace => "replace",
            SqlVerb::Delete => "delete",
            SqlVerb::Exec => "exec",
        }
    }

    pub fn parse(text: &str) -> Option<SqlVerb> {
        [SqlVerb::Select, SqlVerb::Insert, SqlVerb::Update, SqlVerb::Replace, SqlVerb::Delete, SqlVerb::Exec]
            .into_iter()
            .find(|verb| verb.as_str() == text)
    }
}

/// A resource in StackQL's model (`google.aiplatform.notebook_execution_jobs`).
#[derive(Debug, Clone)]
pub struct SqlResource {
    pub name: String,
    /// `<provider>.<service>.<name>`.
    pub id: String,
    /// Methods by name in order of first appearance (a later method with the same name
    /// replaced the earlier one's value but kept its position).
    pub methods: Vec<SqlMethod>,
    /// Method names per grouped SQL verb ([`SqlVerb::GROUPED`] order), most path
    /// parameters first.
    pub verb_groups: [Vec<String>; 5],
}

impl SqlResource {
    pub fn method(&self, name: &str) -> Option<&SqlMethod> {
        self.methods.iter().find(|m| m.name == name)
    }

    /// Names of methods in the group of `verb` (empty for `exec`).
    pub fn group(&self, verb: SqlVerb) -> &[String] {
        SqlVerb::GROUPED.iter().position(|v| *v == verb).map_or(&[], |i| &self.verb_groups[i])
    }

    /// Methods that belong to no grouped verb, in method order.
    pub fn exec_methods(&self) -> impl Iterator<Item = &SqlMethod> {
        self.methods.iter().filter(|m| !self.verb_groups.iter().any(|group| group.contains(&m.name)))
    }
}

/// A method as StackQL exposes it.
#[derive(Debug, Clone)]
pub struct SqlMethod {
    pub name: String,
    /// Index into [`Api::methods`].
    pub method: usize,
    /// Discovery method id (StackQL's operationId).
    pub operation_id: String,
    pub sql_verb: SqlVerb,
    pub http_verb: HttpMethod,
    /// Flat path template with a leading `/` (`/v1/projects/{projectsId}/...`).
    pub path: String,
    pub description: String,
    /// Path parameters from the flat path, then query parameters.
    pub params: Vec<SqlParam>,
    pub request: Option<String>,
    pub response: Option<String>,
    /// The success response's `description` in a provider spec (`The raw content of the
    /// object.`); empty from Discovery, which has none.
    pub response_description: String,
    /// Where the rows of a select live in the response (`$.notebookExecutionJobs`).
    pub object_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlParam {
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub json_type: Option<String>,
    pub format: Option<String>,
}
