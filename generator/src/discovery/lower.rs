//! Discovery document -> IR: the last step of the Discovery reader, after validation.
//! Reader-independent passes (request ids) and StackQL's model run afterwards, in the pipeline.

use super::{media, walk_resource_methods, Document};
use crate::config::Config;
use crate::ir::*;

/// The IR of a validated document, without StackQL's resources (see `crate::stackql`). The
/// configuration gives the StackQL provider and service names.
pub fn lower(mut doc: Document, config: &Config) -> Api {
    let service = service(&doc, config);
    let mut schemas: indexmap::IndexMap<String, Schema> =
        std::mem::take(&mut doc.schemas).into_iter().map(|(name, schema)| (name, convert_schema(schema))).collect();
    let mut methods = Vec::new();
    walk_resource_methods(&doc.resources, &mut |path, name, method| {
        methods.push(convert_method(path, name, method, &mut schemas));
    });
    // StackQL only walks `resources`; methods on the service itself come last so that the
    // indices of resource methods match StackQL's operation order.
    methods.extend(doc.methods.iter().map(|(name, method)| convert_method(&[], name, method, &mut schemas)));
    Api { service, schemas, methods, resources: Vec::new(), warnings: Vec::new() }
}

fn service(doc: &Document, config: &Config) -> Service {
    // `rootUrl` + `servicePath`, as Google's Python and Go clients resolve methods; `baseUrl`
    // is the older field, only for a document without `rootUrl`. (analytics v3's `baseUrl` names
    // www.googleapis.com while its `rootUrl` is analytics.googleapis.com.)
    let base_url = match (doc.root_url.is_empty(), &doc.base_url) {
        (true, Some(base_url)) => base_url.clone(),
        _ => format!("{}{}", doc.root_url, doc.service_path),
    };
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
        data_wrapper: doc.features.iter().any(|feature| feature == "dataWrapper"),
        document: DocumentKind::Discovery,
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

fn convert_schema(schema: super::Schema) -> Schema {
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
    body: Option<&super::Schema>,
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
    method: &super::Method,
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
                required: p.required == Some(true),
                repeated: p.repeated,
                json_type: p.kind.clone(),
                format: p.format.clone(),
                // Filled in by `crate::analysis`.
                scalar: None,
                description: p.description.clone(),
                enum_values: enum_values(&p.enum_values, &p.enum_descriptions, &[]),
                pattern: p.pattern.clone(),
                default: p.default.clone(),
                deprecated: p.deprecated,
            })
            .collect()
    });
    let request = body_schema(method.request.as_ref(), resource_path, name, "Request", schemas);
    Method {
        id: method.id.clone(),
        resource_path: resource_path.iter().map(|s| (*s).to_owned()).collect(),
        name: name.to_owned(),
        http_method: HttpMethod::parse(&method.http_method).expect("validation refuses other verbs"),
        // Validation already refused a malformed template.
        path: PathTemplate::parse(&method.path).unwrap_or_default(),
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
        supports_subscription: method.supports_subscription,
        // Validation already refused a bad `maxSize`.
        media: media::lower(method).unwrap_or_default(),
        deprecated: method.deprecated,
        // Filled in by `crate::analysis`, the same rule for both readers.
        request_id: None,
    }
}
