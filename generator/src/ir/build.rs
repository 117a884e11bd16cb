//! Discovery document (+ configuration) -> IR.

use crate::config::Config;
use crate::discovery::{self, walk_resource_methods, Document};
use crate::error::Result;

use super::*;

/// Builds the IR of a validated document. `config_file` names the configuration in errors.
pub fn build(mut doc: Document, config: &Config, config_file: &str) -> Result<Api> {
    let warnings = config.check_against(config_file, &doc)?;
    let service = service(&doc, config);
    let mut schemas: indexmap::IndexMap<String, Schema> =
        std::mem::take(&mut doc.schemas).into_iter().map(|(name, schema)| (name, convert_schema(schema))).collect();
    let mut methods = Vec::new();
    walk_resource_methods(&doc.resources, &mut |path, name, method| {
        methods.push(convert_method(path, name, method, &mut schemas));
    });
    // StackQL only walks `resources`; methods on the service itself come last so that the
    // indices of resource methods match StackQL's operation order.
    let resource_method_count = methods.len();
    methods.extend(doc.methods.iter().map(|(name, method)| convert_method(&[], name, method, &mut schemas)));
    let resources = stackql::resources(&service, &methods[..resource_method_count], &schemas, &config.stackql);
    Ok(Api { service, schemas, methods, resources, warnings })
}

fn service(doc: &Document, config: &Config) -> Service {
    let base_url = doc.base_url.clone().unwrap_or_else(|| format!("{}{}", doc.root_url, doc.service_path));
    Service {
        provider: config.provider.clone(),
        name: doc.name.clone(),
        stackql_name: config.stackql.service_name.clone().unwrap_or_else(|| doc.name.clone()),
        version: doc.version.clone(),
        title: doc.title.clone(),
        description: doc.description.clone(),
        revision: doc.revision.clone(),
        canonical_name: doc.canonical_name.clone(),
        documentation_link: doc.documentation_link.clone(),
        base_url,
        root_url: doc.root_url.clone(),
        mtls_root_url: doc.mtls_root_url.clone(),
        endpoints: doc
            .endpoints
            .iter()
            .map(|e| RegionalEndpoint {
                location: e.location.clone(),
                url: e.endpoint_url.clone(),
                description: e.description.clone(),
            })
            .collect(),
        scopes: doc
            .auth
            .iter()
            .flat_map(|auth| auth.oauth2.iter())
            .flat_map(|oauth| oauth.scopes.iter())
            .map(|(url, info)| Scope { url: url.clone(), description: info.description.clone() })
            .collect(),
        security_schemes: Vec::new(),
        document: super::DocumentKind::Discovery,
    }
}

fn enum_values(values: &[String], descriptions: &[String], deprecated: &[bool]) -> Vec<EnumValue> {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| EnumValue {
            value: value.clone(),
            description: descriptions.get(i).cloned(),
            deprecated: deprecated.get(i).copied().unwrap_or(false),
        })
        .collect()
}

fn convert_schema(schema: discovery::Schema) -> Schema {
    Schema {
        enum_values: enum_values(&schema.enum_values, &schema.enum_descriptions, &schema.enum_deprecated),
        id: schema.id,
        reference: schema.reference,
        json_type: schema.kind,
        format: schema.format,
        description: schema.description,
        properties: schema
            .properties
            .into_iter()
            .map(|(name, property)| Property { name, schema: convert_schema(property) })
            .collect(),
        items: schema.items.map(|s| Box::new(convert_schema(*s))),
        additional_properties: schema.additional_properties.map(|s| Box::new(convert_schema(*s))),
        read_only: schema.read_only,
        deprecated: schema.deprecated,
        pattern: schema.pattern,
        default: schema.default,
        ..Schema::default()
    }
}

/// The schema name of a request or response: its `$ref`, or a new named schema for an inline
/// one (`<Resource chain><Method>Request`), so that emitters only ever see named bodies.
fn body_schema(
    body: Option<&discovery::Schema>,
    resource_path: &[&str],
    method: &str,
    suffix: &str,
    schemas: &mut indexmap::IndexMap<String, Schema>,
) -> Option<String> {
    let body = body?;
    if let Some(reference) = &body.reference {
        return Some(reference.clone());
    }
    let mut name: String = resource_path.iter().chain([&method]).map(|s| upper_first(s)).collect();
    name.push_str(suffix);
    while schemas.contains_key(&name) {
        name.push('_');
    }
    let mut schema = convert_schema(body.clone());
    schema.id = Some(name.clone());
    schemas.insert(name.clone(), schema);
    Some(name)
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn convert_method(
    resource_path: &[&str],
    name: &str,
    method: &discovery::Method,
    schemas: &mut indexmap::IndexMap<String, Schema>,
) -> Method {
    let parameters = method.parameters.as_ref().map(|params| {
        params
            .iter()
            .map(|(name, p)| Parameter {
                name: name.clone(),
                location: if p.location.as_deref() == Some("path") {
                    ParamLocation::Path
                } else {
                    ParamLocation::Query
                },
                required: p.required,
                repeated: p.repeated,
                json_type: p.kind.clone(),
                format: p.format.clone(),
                description: p.description.clone(),
                enum_values: enum_values(&p.enum_values, &p.enum_descriptions, &[]),
                pattern: p.pattern.clone(),
                default: p.default.clone(),
                deprecated: p.deprecated,
            })
            .collect()
    });
    let request = body_schema(method.request.as_ref(), resource_path, name, "Request", schemas);
    let request_id = request_id_slot(&method.http_method, parameters.as_deref(), request.as_deref(), schemas);
    Method {
        id: method.id.clone(),
        resource_path: resource_path.iter().map(|s| (*s).to_owned()).collect(),
        name: name.to_owned(),
        http_method: method.http_method.clone(),
        path: method.path.clone(),
        flat_path: method.flat_path.clone(),
        description: method.description.clone(),
        parameters,
        parameter_order: method.parameter_order.clone(),
        request,
        response: body_schema(method.response.as_ref(), resource_path, name, "Response", schemas),
        error_responses: Vec::new(),
        scopes: method.scopes.clone(),
        supports_media_upload: method.supports_media_upload,
        supports_media_download: method.supports_media_download,
        // Validation already refused a bad `maxSize`.
        media: media::from_discovery(method).unwrap_or_default(),
        deprecated: method.deprecated,
        request_id,
    }
}

/// The name AIP-155 gives the request id, as a query parameter and as a body field.
const REQUEST_ID: &str = "requestId";

/// Where a method takes an AIP-155 request id. The rule reads the document only (never a list
/// of APIs or methods):
///
/// * only `POST` and `PATCH` methods qualify (the others are idempotent by HTTP already);
/// * a non-repeated query parameter `requestId` of type `string` makes it
///   [`RequestIdSlot::Query`] (compute, alloydb, backupdr, networkconnectivity, ...);
/// * otherwise a top-level property `requestId` of type `string` in the request body's schema
///   (following one `$ref`) makes it [`RequestIdSlot::BodyField`].
///
/// Anything else (an integer `requestId`, one nested deeper, a `GET`) has none: a wrong guess
/// would make the client resend a call that the server cannot recognise as a repeat.
pub(crate) fn request_id_slot(
    http_method: &str,
    parameters: Option<&[Parameter]>,
    request: Option<&str>,
    schemas: &indexmap::IndexMap<String, Schema>,
) -> Option<RequestIdSlot> {
    if !matches!(http_method, "POST" | "PATCH") {
        return None;
    }
    let is_string = |json_type: Option<&str>| json_type == Some("string");
    let query = parameters.unwrap_or_default().iter().find(|p| {
        p.name == REQUEST_ID && p.location == ParamLocation::Query && !p.repeated && is_string(p.json_type.as_deref())
    });
    if query.is_some() {
        return Some(RequestIdSlot::Query(REQUEST_ID.to_owned()));
    }
    let body = schemas.get(request?)?;
    let body = match &body.reference {
        Some(target) => schemas.get(target)?,
        None => body,
    };
    let field = body.property(REQUEST_ID)?;
    (field.reference.is_none() && is_string(field.json_type.as_deref()))
        .then(|| RequestIdSlot::BodyField(REQUEST_ID.to_owned()))
}
