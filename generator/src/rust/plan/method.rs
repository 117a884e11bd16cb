//! The plan of one method: its builder's name and fields, path and query parameters, body,
//! response (JSON, a long-running operation, nothing), paging, media and request id.

use indexmap::IndexMap;

use super::names::NameType;
use super::types::{RustType, TypeBuilder, TypeDef};
use super::UsedNames;
use crate::analysis::paging;
use crate::config::ClientConfig;
use crate::error::Result;
use crate::ir::{Api, HttpMethod, Method, ParamLocation, Schema, TemplatePiece};
use crate::rust::idents::{camel_string, singular, snake_string};

/// How a path parameter is typed.
#[derive(Debug, Clone)]
pub enum PathType {
    /// A resource-name type from the parameter's pattern, and its fields.
    Name(String, Vec<String>),
    String,
}

#[derive(Debug, Clone)]
pub struct PathParam {
    pub field: String,
    /// The parameter's name in the URI template, which a refused name argument reports.
    pub wire: String,
    pub ty: PathType,
    pub description: Option<String>,
}

/// The runtime names a resource module imports for its builders (`use discogen_runtime::{..}`
/// below): a builder may not take one (cloudfunctions v1 has a method called `call`).
pub const IMPORTED_NAMES: [&str; 3] = ["Call", "Method", "Request"];

/// A piece of a method's URI template.
#[derive(Debug, Clone)]
pub enum PathPiece {
    Literal(String),
    /// A URI-template expression (RFC 6570): `{x}` (percent-encoded), `{+x}` (reserved
    /// characters such as `/` kept), or one with another operator (`/`, `.`, `;`, `?`, `&`,
    /// `#`).
    Param {
        field: String,
        wire: String,
        operator: Option<char>,
    },
}

#[derive(Debug, Clone)]
pub struct QueryParam {
    pub wire_name: String,
    pub field: String,
    pub ty: RustType,
    pub repeated: bool,
    pub required: bool,
    pub description: Option<String>,
    /// An OpenAPI header parameter: set like a query parameter, sent as a header.
    pub header: bool,
}

#[derive(Debug, Clone)]
pub enum Response {
    Empty,
    Json(RustType),
    Operation {
        result: RustType,
        metadata: RustType,
        poll_prefix: String,
    },
    /// A Discovery-style operation (compute's), polled at the operations resource's `get`
    /// and `wait` paths (pieces up to the operation name, and the literal after it).
    DiscoveryOperation {
        operation: RustType,
        /// What `targetLink` names (the `get` response of the method's resource).
        resource: RustType,
        get: (Vec<PathPiece>, String),
        wait: Option<(Vec<PathPiece>, String)>,
    },
}

#[derive(Debug, Clone)]
pub struct MethodPlan {
    pub id: String,
    pub name: String,
    pub builder: String,
    pub description: Option<String>,
    pub http: HttpMethod,
    pub template: String,
    pub path: Vec<PathPiece>,
    pub path_params: Vec<PathParam>,
    pub query: Vec<QueryParam>,
    pub body: Option<RustType>,
    pub response: Response,
    /// Documented error responses: (`404`, `4XX` or `default`, body type).
    pub errors: Vec<(String, RustType)>,
    /// Item type when the paged response has one unambiguous list (`items()`).
    pub page_item: Option<RustType>,
    /// The page-token parameter's field name when the method pages (`pages()`).
    pub page_token_field: Option<String>,
    /// Discovery says the method can upload or download media.
    pub media: bool,
    /// `upload(media)` on the builder: where and what it uploads.
    pub upload: Option<UploadPlan>,
    /// `download()` on the builder (`alt=media`).
    pub download: bool,
    /// The AIP-155 request id `send` fills in when the caller did not.
    pub request_id: Option<crate::ir::RequestIdSlot>,
    /// The API has Discovery's `dataWrapper` feature: bodies and responses travel in
    /// `{"data": ...}`, which the runtime adds and takes off.
    pub data_wrapper: bool,
}

/// A media upload of a method: its URI template relative to the root URL and its limits.
#[derive(Debug, Clone)]
pub struct UploadPlan {
    pub path: Vec<PathPiece>,
    pub template: String,
    pub accept: Vec<String>,
    pub max_size: Option<u64>,
}

/// The emitter's pieces of a URI template (fields start out as the wire names).
pub fn path_pieces(template: &[TemplatePiece]) -> Vec<PathPiece> {
    let piece = |piece: &TemplatePiece| match piece {
        TemplatePiece::Literal(text) => PathPiece::Literal(text.clone()),
        TemplatePiece::Expression { operator, name } => {
            PathPiece::Param { field: name.clone(), wire: name.clone(), operator: *operator }
        }
    };
    template.iter().map(piece).collect()
}

/// Result and metadata schemas of a long-running method: the configuration's, else by rule
/// (create/update/patch return the request's resource, delete returns `Empty`; metadata is
/// `<prefix><Method><Resource>OperationMetadata` or `<prefix><Method>OperationMetadata` when
/// the document has it). `None` means untyped JSON.
pub(super) fn operation_types_for(
    api: &Api,
    config: &ClientConfig,
    method: &Method,
) -> (Option<String>, Option<String>) {
    let configured = config.operations.get(&method.id);
    let exists = |name: &str| api.schemas.contains_key(name) || config.runtime_types.contains_key(name);
    let verb = camel_string(&method.name);
    let result = configured.and_then(|c| c.response.clone()).or_else(|| {
        let name = method.name.as_str();
        if ["create", "update", "patch"].iter().any(|v| name.starts_with(v)) {
            method.request.clone()
        } else if name.starts_with("delete") {
            config.runtime_types.iter().find(|(_, rust)| *rust == "Empty").map(|(schema, _)| schema.clone())
        } else {
            None
        }
    });
    let metadata = configured.and_then(|c| c.metadata.clone()).or_else(|| {
        let resource = method.resource_path.last().map(|r| camel_string(&singular(r))).unwrap_or_default();
        [
            format!("{}{verb}{resource}OperationMetadata", config.type_prefix),
            format!("{}{verb}OperationMetadata", config.type_prefix),
        ]
        .into_iter()
        .find(|name| exists(name))
    });
    (result.filter(|n| exists(n)), metadata)
}

pub(super) fn method_plan(
    api: &Api,
    config: &ClientConfig,
    builder: &mut TypeBuilder<'_>,
    names: &mut UsedNames<'_>,
    method: &Method,
    operation_types: &IndexMap<&str, (Option<String>, Option<String>)>,
    resource: &str,
) -> Result<MethodPlan> {
    let params = method.parameters.clone().unwrap_or_default();
    let ordered_path: Vec<&crate::ir::Parameter> = method
        .parameter_order
        .iter()
        .filter_map(|n| params.iter().find(|p| &p.name == n && p.location == ParamLocation::Path))
        .chain(params.iter().filter(|p| p.location == ParamLocation::Path && !method.parameter_order.contains(&p.name)))
        .collect();
    // Builder fields and the builder's own methods; a parameter with one of these names gets
    // a `_param` suffix (e.g. the `timeout` of `operations.wait`).
    let mut fields_taken: Vec<String> = [
        "call",
        "client",
        "options",
        "body",
        "send",
        "pages",
        "items",
        "request",
        // The setters of `discogen_runtime::call_options!`.
        "timeout",
        "retry_policy",
        "header",
        "fields",
        "quota_user",
        "upload",
        "download",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut field_for = |name: &str| {
        let mut field = snake_string(name);
        if fields_taken.contains(&field) {
            field.push_str("_param");
        }
        while fields_taken.contains(&field) {
            field.push('_');
        }
        fields_taken.push(field.clone());
        field
    };
    let mut path_params = Vec::new();
    let mut path_fields: Vec<(String, String)> = Vec::new();
    // A path parameter the URI template never mentions is not sent anywhere: no argument.
    let mut path = path_pieces(method.path.pieces());
    let in_template =
        |name: &str| path.iter().any(|piece| matches!(piece, PathPiece::Param { wire, .. } if wire == name));
    for p in ordered_path.into_iter().filter(|p| in_template(&p.name)) {
        let field = field_for(&p.name);
        path_fields.push((p.name.clone(), field.clone()));
        let ty = match p.pattern.as_deref().and_then(NameType::from_pattern) {
            Some(name) => {
                let name = names.table.get(&name.pattern).cloned().unwrap_or(name);
                if !names.used.iter().any(|n| n.pattern == name.pattern) {
                    names.used.push(name.clone());
                }
                PathType::Name(name.name.clone(), name.fields().map(str::to_owned).collect())
            }
            None => PathType::String,
        };
        path_params.push(PathParam { field, wire: p.name.clone(), ty, description: p.description.clone() });
    }
    // The template was parsed with wire names as fields; now use the builder's field names.
    for piece in &mut path {
        if let PathPiece::Param { field, wire, .. } = piece {
            *field = path_fields.iter().find(|(n, _)| n == wire).map_or_else(|| snake_string(wire), |(_, f)| f.clone());
        }
    }
    let mut query = Vec::new();
    // Header parameters (OpenAPI) are set like query parameters and sent as headers.
    for p in params.iter().filter(|p| matches!(p.location, ParamLocation::Query | ParamLocation::Header)) {
        let schema = Schema {
            json_type: p.json_type.clone(),
            format: p.format.clone(),
            scalar: p.scalar,
            description: p.description.clone(),
            enum_values: p.enum_values.clone(),
            ..Schema::default()
        };
        let context = format!("{}{}", camel_string(&singular(resource)), camel_string(&p.name));
        let ty = builder.own_field_type(&schema, &context, Some(&p.name), &format!("{}.{}", method.id, p.name));
        query.push(QueryParam {
            wire_name: p.name.clone(),
            field: field_for(&p.name),
            ty,
            repeated: p.repeated,
            required: p.required,
            description: p.description.clone(),
            header: p.location == ParamLocation::Header,
        });
    }
    let body = method.request.as_ref().map(|schema| schema_type(builder, config, schema));
    let response = match (&method.response, operation_types.get(method.id.as_str())) {
        (_, Some((result, metadata))) => Response::Operation {
            result: result.as_ref().map_or(RustType::Json, |s| schema_type(builder, config, s)),
            metadata: metadata.as_ref().map_or(RustType::Json, |s| schema_type(builder, config, s)),
            poll_prefix: poll_prefix(method.path.as_str()),
        },
        (Some(schema), None) => Response::Json(schema_type(builder, config, schema)),
        (None, None) => Response::Empty,
    };
    let request_token = pagination(config).request_token;
    let paging = paging::response_paging(api, config.pagination.as_ref(), method);
    let page_token_field = match (&response, &paging) {
        (Response::Json(RustType::Named(_)), Some(_)) => query
            .iter()
            .find(|q| {
                q.wire_name == request_token && q.ty == RustType::String && !q.repeated && !q.required && !q.header
            })
            .map(|q| q.field.clone()),
        _ => None,
    };
    let page_item = match (&response, &page_token_field, paging.and_then(|p| p.items)) {
        (Response::Json(RustType::Named(response)), Some(_), Some(items)) => {
            list_item_type(&builder.defs, response, &items.name)
        }
        _ => None,
    };
    Ok(MethodPlan {
        id: method.id.clone(),
        name: snake_string(&method.name),
        builder: camel_string(&method.name),
        description: method.description.clone(),
        http: method.http_method,
        template: method.path.as_str().to_owned(),
        path,
        path_params,
        query,
        body,
        response,
        errors: method
            .error_responses
            .iter()
            .map(|error| (error.status.to_string(), schema_type(builder, config, &error.schema)))
            .collect(),
        page_token_field,
        media: method.supports_media_upload || method.supports_media_download,
        upload: upload_plan(method, &path_fields),
        // Media comes from a GET of the resource with `alt=media`.
        download: method.media.download && method.http_method == HttpMethod::Get,
        page_item,
        request_id: method.request_id.clone(),
        data_wrapper: api.service.data_wrapper,
    })
}

/// The upload of a method whose upload template only uses the method's own path parameters.
fn upload_plan(method: &Method, path_fields: &[(String, String)]) -> Option<UploadPlan> {
    let upload = method.media.upload.as_ref()?;
    let mut path = path_pieces(upload.path.pieces());
    for piece in &mut path {
        if let PathPiece::Param { field, wire, .. } = piece {
            *field = path_fields.iter().find(|(n, _)| n == wire)?.1.clone();
        }
    }
    Some(UploadPlan {
        path,
        template: upload.path.as_str().to_owned(),
        accept: upload.accept.clone(),
        max_size: upload.max_size,
    })
}

pub(super) fn schema_type(builder: &mut TypeBuilder<'_>, config: &ClientConfig, schema: &str) -> RustType {
    match config.runtime_types.get(schema) {
        Some(runtime) => RustType::Runtime(runtime.clone()),
        None => RustType::Named(builder.schema_type_name(schema)),
    }
}

/// `v1/` for paths that start with a version segment.
fn poll_prefix(path: &str) -> String {
    match path.split('/').next() {
        Some(first) if first.starts_with('v') && first[1..].starts_with(|c: char| c.is_ascii_digit()) => {
            format!("{first}/")
        }
        _ => String::new(),
    }
}

/// The configured token names, else Google's.
fn pagination(config: &ClientConfig) -> crate::config::Pagination {
    config.pagination.clone().unwrap_or_else(crate::config::Pagination::google)
}

/// The element type of the list field `items` of struct `response`, as already defined.
fn list_item_type(defs: &[TypeDef], response: &str, items: &str) -> Option<RustType> {
    defs.iter().find_map(|def| match def {
        TypeDef::Struct(s) if s.name == response => match &s.fields.iter().find(|f| f.json_name == items)?.ty {
            RustType::Vec(inner) => Some((**inner).clone()),
            _ => None,
        },
        _ => None,
    })
}
