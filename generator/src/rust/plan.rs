//! What the crate contains: selected resources and methods, the model types they need, the
//! resource-name types, how long-running operations are typed and which lists page.

use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::quote;

use super::features::{feature_name, Gates};
use super::idents::{camel_string, ident, singular, snake_string};
use super::methods::{self, MethodPlan, PathParam, PathPiece, PathType, QueryParam, ResourcePlan, Response};
use super::models::{self, doc_attrs};
use super::names::NameType;
use super::record::NameRecord;
use super::types::{self, Alphabet, RustType, TypeBuilder, TypeDef};
use crate::analysis::operations::DiscoveryOperations;
use crate::analysis::paging;
use crate::config::ClientConfig;
use crate::error::{Error, Result};
use crate::ir::{Api, HttpMethod, Method, ParamLocation, Schema, TemplatePiece};

/// Names the crate root defines or re-exports, and prelude names generated code relies on;
/// a schema with one of these names gets a `Schema` suffix.
const RESERVED: [&str; 51] = [
    "MediaSource",
    "MediaUpload",
    "MediaDownload",
    "ResumableSession",
    "ByteStream",
    "Client",
    "ClientBuilder",
    "Error",
    "Result",
    "Operation",
    "Page",
    "Stream",
    "StreamExt",
    "TryStreamExt",
    "Method",
    "Bytes",
    "StandardBytes",
    "Code",
    "Duration",
    "Empty",
    "FieldMask",
    "NoAuth",
    "PollPolicy",
    "RegionalEndpoints",
    "RetryPolicy",
    "RpcStatus",
    "StaticToken",
    "Timestamp",
    "TokenProvider",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Default",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "PartialEq",
    "Eq",
];

pub struct CratePlan {
    pub resources: Vec<ResourcePlan>,
    /// Which features compile which types and names.
    pub gates: Gates,
    pub types: Vec<TypeDef>,
    pub names: Vec<NameType>,
    /// The responses of paged lists.
    pub pages: Vec<PagePlan>,
    /// Deprecated aliases (old name, new name) of renamed types and names.
    pub aliases: Vec<(String, String)>,
    /// The kind of document the types come from, named in their docs.
    pub document: crate::ir::DocumentKind,
    /// The names chosen, for the next generation to keep (`names.json`).
    pub record: NameRecord,
}

/// A paged list's response type: where its next-page token is and, when it has one
/// unambiguous list, that list (`items()`); without one it only gets `pages()`.
#[derive(Debug, Clone)]
pub struct PagePlan {
    pub response: String,
    /// The JSON name of the next-page token.
    pub token: String,
    /// The items field's JSON name and the item type.
    pub items: Option<(String, RustType)>,
}

pub fn build(api: &Api, config: &ClientConfig) -> Result<CratePlan> {
    let selected = select(api, config)?;
    // Google's servers take URL-safe base64 and Gmail nothing else; OpenAPI defines
    // `format: byte` as the standard alphabet, which other servers may insist on.
    let bytes = if api.service.is_google() { Alphabet::UrlSafe } else { Alphabet::Standard };
    let previous = config.previous_names.clone().unwrap_or_default();
    // What "one release" of an alias means: the document's revision, else (an OpenAPI document
    // without one) its version.
    let revision = if api.service.revision.is_empty() { &api.service.version } else { &api.service.revision };
    // The old names of aliases (by hand or from the record) are no new item's name.
    let mut aliased: std::collections::HashSet<String> = config.renamed.keys().cloned().collect();
    if previous.revision == *revision {
        aliased.extend(previous.aliases.keys().cloned());
    }
    let mut builder = TypeBuilder::new(&api.schemas, &config.type_prefix, &config.runtime_types, &RESERVED, bytes);
    builder.keep_names(&previous, &aliased);
    for parameter in api.methods.iter().flat_map(|m| m.parameters.iter().flatten()) {
        if !parameter.enum_values.is_empty() {
            builder.claim_enum(&parameter.enum_values, Some(&parameter.name));
        }
    }

    // Long-running result/metadata schemas are roots too, so decide them first.
    let mut operation_types: IndexMap<&str, (Option<String>, Option<String>)> = IndexMap::new();
    let mut roots: Vec<String> = Vec::new();
    for (_, methods) in &selected {
        for method in methods {
            roots.extend(method.request.iter().cloned());
            roots.extend(method.error_responses.iter().map(|error| error.schema.clone()));
            match (&method.response, &config.operation_schema) {
                (Some(response), Some(operation)) if response == operation => {
                    let typed = operation_types_for(api, config, method);
                    roots.extend(typed.0.iter().cloned());
                    roots.extend(typed.1.iter().cloned());
                    operation_types.insert(&method.id, typed);
                }
                (Some(response), _) => roots.push(response.clone()),
                (None, _) => {}
            }
        }
    }
    // Discovery-style operations (compute's): the resource an operation's `targetLink` names
    // is a root too.
    let discovery_ops = DiscoveryOperations::detect(api, config.operation_schema.as_deref());
    if let Some(ops) = &discovery_ops {
        for method in selected.iter().flat_map(|(_, methods)| methods) {
            if ops.poll_paths(method).is_some() {
                roots.extend(resource_get(api, method).into_iter().cloned());
            }
        }
    }
    let closure = types::closure(&api.schemas, &roots, &config.runtime_types);
    builder.define_all(&closure);

    let name_table = name_table(api, config, &previous.names, &aliased);
    let mut used = UsedNames { table: &name_table, used: Vec::new() };
    let mut resources = Vec::new();
    let mut pages = Vec::new();
    let module_names = module_names(selected.iter().map(|(chain, _)| chain.as_str()), &previous.modules);
    for ((chain, methods), module) in selected.iter().zip(module_names) {
        let last = chain.rsplit('.').next().unwrap_or("service");
        let mut plans: Vec<MethodPlan> = Vec::new();
        let handle = camel_string(&module);
        for method in methods {
            let mut plan = method_plan(api, config, &mut builder, &mut used, method, &operation_types, last)?;
            if let Some(paths) = discovery_ops.as_ref().and_then(|ops| ops.poll_paths(method)) {
                if let Response::Json(operation) = &plan.response {
                    let resource =
                        resource_get(api, method).map_or(RustType::Json, |s| schema_type(&mut builder, config, s));
                    let own = |(pieces, suffix): (Vec<TemplatePiece>, String)| {
                        (with_fields(methods::path_pieces(&pieces), &plan.path), suffix)
                    };
                    plan.response = Response::DiscoveryOperation {
                        operation: operation.clone(),
                        resource,
                        get: own(paths.get),
                        wait: paths.wait.map(own),
                    };
                }
            }
            // Methods whose names collide after case conversion (or with the handle type).
            while plans.iter().any(|p| p.name == plan.name) {
                plan.name.push('_');
            }
            while plan.builder == handle
                || methods::IMPORTED_NAMES.contains(&plan.builder.as_str())
                || plans.iter().any(|p| p.builder == plan.builder)
            {
                plan.builder.push('_');
            }
            if let (Some(_), Response::Json(RustType::Named(response))) = (&plan.page_token_field, &plan.response) {
                if let Some(paging) = paging::response_paging(api, config.pagination.as_ref(), method) {
                    if !pages.iter().any(|page: &PagePlan| &page.response == response) {
                        let items = paging.items.map(|p| p.name.clone()).zip(plan.page_item.clone());
                        pages.push(PagePlan { response: response.clone(), token: paging.token.to_owned(), items });
                    }
                }
            }
            plans.push(plan);
        }
        let segments = methods.first().map(|m| m.resource_path.clone()).unwrap_or_default();
        resources.push(ResourcePlan {
            feature: config.features.then(|| feature_name(&module)),
            chain: chain.clone(),
            segments,
            handle,
            accessors: Vec::new(),
            flat_accessor: module.clone(),
            module,
            methods: plans,
            children: Vec::new(),
        });
    }
    super::accessors::nest(&mut resources, &previous.modules);
    let gates = Gates::compute(&resources, &builder.defs);
    let names = used.used;
    let defined = |name: &str| builder.defs.iter().any(|d| d.name() == name) || names.iter().any(|n| n.name == name);
    // What this generation chose; an item whose recorded name it could not keep gets an
    // alias under that name for this revision.
    let mut record = NameRecord {
        revision: revision.clone(),
        modules: resources.iter().map(|r| (r.chain.clone(), r.module.clone())).collect(),
        names: name_table.values().map(|n| (n.pattern.clone(), n.name.clone())).collect(),
        types: builder.chosen_types.clone(),
        enums: builder.chosen_enums.clone(),
        variant_prefixes: builder.chosen_prefixes.clone(),
        aliases: Default::default(),
    };
    let renamed = |old: &std::collections::BTreeMap<String, String>,
                   new: &std::collections::BTreeMap<String, String>| {
        old.iter()
            .filter_map(|(key, old)| Some((old.clone(), new.get(key)?.clone())))
            .filter(|(old, new)| old != new)
            .collect::<Vec<_>>()
    };
    let mut automatic = renamed(&previous.names, &record.names);
    automatic.extend(renamed(&previous.enums, &record.enums));
    automatic.extend(renamed(&previous.types, &record.types));
    if previous.revision == *revision {
        automatic.extend(previous.aliases.iter().map(|(old, new)| (old.clone(), new.clone())));
    }
    for (old, new) in automatic {
        if defined(&new) && !defined(&old) && !config.renamed.contains_key(&old) {
            record.aliases.insert(old, new);
        }
    }
    let mut aliases: Vec<(String, String)> = Vec::new();
    for (old, new) in &config.renamed {
        if !defined(new) || defined(old) {
            return Err(Error::Config {
                file: "configuration".to_owned(),
                location: format!("client.renamed.{old}"),
                message: if defined(old) {
                    format!("`{old}` is still generated; an alias would clash with it")
                } else {
                    format!("`{new}` is not a type or resource name of the crate")
                },
            });
        }
        aliases.push((old.clone(), new.clone()));
    }
    aliases.extend(record.aliases.iter().map(|(old, new)| (old.clone(), new.clone())));
    let document = api.service.document;
    Ok(CratePlan { resources, gates, types: builder.defs, names, pages, aliases, document, record })
}

/// The response schema of the `get` method beside `method` (the resource a Discovery-style
/// operation's `targetLink` names).
fn resource_get<'a>(api: &'a Api, method: &Method) -> Option<&'a String> {
    api.methods.iter().find(|m| m.name == "get" && m.resource_path == method.resource_path)?.response.as_ref()
}

/// Path pieces naming the calling method's parameters by wire name, renamed to its builder
/// fields.
fn with_fields(mut pieces: Vec<PathPiece>, method_path: &[PathPiece]) -> Vec<PathPiece> {
    for piece in &mut pieces {
        if let PathPiece::Param { field, wire, .. } = piece {
            if let Some(PathPiece::Param { field: own, .. }) =
                method_path.iter().find(|p| matches!(p, PathPiece::Param { wire: w, .. } if w == wire))
            {
                *field = own.clone();
            }
        }
    }
    pieces
}

/// The document's resource names and those the selected methods use, in order of first use.
struct UsedNames<'t> {
    table: &'t IndexMap<String, NameType>,
    used: Vec<NameType>,
}

/// Every resource-name pattern of the document (not only the selected resources', so a
/// configuration choosing fewer resources names them alike), named by `name_rule`.
fn name_table(
    api: &Api,
    config: &ClientConfig,
    kept: &std::collections::BTreeMap<String, String>,
    aliased: &std::collections::HashSet<String>,
) -> IndexMap<String, NameType> {
    let mut table: IndexMap<String, NameType> = IndexMap::new();
    for method in &api.methods {
        for parameter in method.parameters.iter().flatten().filter(|p| p.location == ParamLocation::Path) {
            if let Some(name) = parameter.pattern.as_deref().and_then(NameType::from_pattern) {
                table.entry(name.pattern.clone()).or_insert(name);
            }
        }
    }
    let schema_names: std::collections::HashSet<String> = api
        .schemas
        .keys()
        .map(|schema| camel_string(types::without_prefix(schema, &config.type_prefix, &api.schemas)))
        .collect();
    let mut named: Vec<NameType> = table.values().cloned().collect();
    super::name_rule::assign_keeping(&mut named, &schema_names, aliased, kept);
    named.into_iter().map(|name| (name.pattern.clone(), name)).collect()
}

/// The crate's own modules, files and cargo features, and crates the generated code names by
/// path: a resource module with one of these names gets a `_resource` suffix.
pub(super) const TAKEN_MODULES: [&str; 17] = [
    "model",
    "names",
    "scopes",
    // Re-exported from the runtime with the `adc` feature.
    "credentials",
    "transport",
    "adc",
    "full",
    "tracing",
    "lib",
    "main",
    "mod",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "discogen_runtime",
];

/// Module names for resource chains: the last segment in snake case, with parent segments
/// prepended to every chain whose name would otherwise be shared (`roles`,
/// `projects_roles`, `organizations_roles`).
/// A chain with a module name in `kept` (the previous generation's) keeps it; the others
/// avoid those names.
fn module_names<'a>(
    chains: impl Iterator<Item = &'a str>,
    kept: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    let chains: Vec<&str> = chains.collect();
    // Names kept for method-less ancestors of these chains too: a newcomer does not take them.
    let reserved = super::accessors::reserved_modules(chains.iter().copied(), kept);
    let mut fixed: Vec<Option<String>> = chains.iter().map(|chain| kept.get(*chain).cloned()).collect();
    // Two chains cannot keep one name (a record written by hand): the first keeps it.
    let mut seen = std::collections::HashSet::new();
    for name in &mut fixed {
        if name.as_ref().is_some_and(|n| !seen.insert(n.clone())) {
            *name = None;
        }
    }
    let segments: Vec<Vec<&str>> =
        chains.iter().map(|c| if c.is_empty() { vec!["service"] } else { c.split('.').collect() }).collect();
    let mut depth = vec![1usize; chains.len()];
    loop {
        let names: Vec<String> = segments
            .iter()
            .zip(&depth)
            .zip(&fixed)
            .map(|((segments, d), fixed)| match fixed {
                Some(name) => name.clone(),
                None => snake_string(&segments[segments.len().saturating_sub(*d)..].join("_")),
            })
            .collect();
        let mut changed = false;
        for i in 0..names.len() {
            let clashes = names.iter().enumerate().any(|(j, other)| j != i && *other == names[i])
                || reserved.get(names[i].as_str()).is_some_and(|owner| owner != chains[i]);
            if clashes && fixed[i].is_none() && depth[i] < segments[i].len() {
                depth[i] += 1;
                changed = true;
            }
        }
        if !changed {
            let names: Vec<String> = names
                .into_iter()
                .zip(&fixed)
                .map(|(n, fixed)| {
                    let keyword = super::idents::ident(&n) != n.as_str();
                    if fixed.is_none() && (TAKEN_MODULES.contains(&n.as_str()) || keyword) {
                        format!("{n}_resource")
                    } else {
                        n
                    }
                })
                .collect();
            // Kept names first, so that a newcomer is the one to yield.
            let mut taken: std::collections::HashSet<String> =
                fixed.iter().flatten().cloned().chain(reserved.keys().map(|m| (*m).to_owned())).collect();
            let mut free: Vec<String> =
                names.iter().zip(&fixed).filter(|(_, f)| f.is_none()).map(|(n, _)| n.clone()).collect();
            super::idents::dedupe(&mut free);
            let mut free = free.into_iter();
            return names
                .into_iter()
                .zip(&fixed)
                .map(|(name, fixed)| match fixed {
                    Some(_) => name,
                    None => {
                        let mut name = free.next().unwrap_or(name);
                        while !taken.insert(name.clone()) {
                            name.push('_');
                        }
                        name
                    }
                })
                .collect();
        }
    }
}

/// Selected methods grouped by resource chain, in document order.
fn select<'a>(api: &'a Api, config: &ClientConfig) -> Result<Vec<(String, Vec<&'a Method>)>> {
    let mut groups: IndexMap<String, Vec<&Method>> = IndexMap::new();
    // discogen_runtime::Method has no TRACE: such an operation (httpbin's, the one in the
    // OpenAPI corpus) is left out rather than sent as another verb, as it once was as OPTIONS.
    for method in api.methods.iter().filter(|method| method.http_method != HttpMethod::Trace) {
        let chain = method.resource_path.join(".");
        if config.resources.is_empty() || config.resources.contains(&chain) {
            groups.entry(chain).or_default().push(method);
        }
    }
    if let Some(missing) = config.resources.iter().find(|chain| !groups.contains_key(*chain)) {
        return Err(Error::Config {
            file: "configuration".to_owned(),
            location: format!("client.resources: {missing}"),
            message: "no such resource (with methods) in the Discovery document".to_owned(),
        });
    }
    Ok(groups.into_iter().collect())
}

/// Result and metadata schemas of a long-running method: the configuration's, else by rule
/// (create/update/patch return the request's resource, delete returns `Empty`; metadata is
/// `<prefix><Method><Resource>OperationMetadata` or `<prefix><Method>OperationMetadata` when
/// the document has it). `None` means untyped JSON.
fn operation_types_for(api: &Api, config: &ClientConfig, method: &Method) -> (Option<String>, Option<String>) {
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

fn method_plan(
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
    let mut path = methods::path_pieces(method.path.pieces());
    let in_template = |name: &str| {
        path.iter().any(|piece| matches!(piece, super::methods::PathPiece::Param { wire, .. } if wire == name))
    };
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
        path_params.push(PathParam { field, ty, description: p.description.clone() });
    }
    // The template was parsed with wire names as fields; now use the builder's field names.
    for piece in &mut path {
        if let super::methods::PathPiece::Param { field, wire, .. } = piece {
            *field = path_fields.iter().find(|(n, _)| n == wire).map_or_else(|| snake_string(wire), |(_, f)| f.clone());
        }
    }
    let mut query = Vec::new();
    // Header parameters (OpenAPI) are set like query parameters and sent as headers.
    for p in params.iter().filter(|p| matches!(p.location, ParamLocation::Query | ParamLocation::Header)) {
        let schema = Schema {
            json_type: p.json_type.clone(),
            format: p.format.clone(),
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
fn upload_plan(method: &Method, path_fields: &[(String, String)]) -> Option<methods::UploadPlan> {
    let upload = method.media.upload.as_ref()?;
    let mut path = methods::path_pieces(upload.path.pieces());
    for piece in &mut path {
        if let super::methods::PathPiece::Param { field, wire, .. } = piece {
            *field = path_fields.iter().find(|(n, _)| n == wire)?.1.clone();
        }
    }
    Some(methods::UploadPlan {
        path,
        template: upload.path.as_str().to_owned(),
        accept: upload.accept.clone(),
        max_size: upload.max_size,
    })
}

fn schema_type(builder: &mut TypeBuilder<'_>, config: &ClientConfig, schema: &str) -> RustType {
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

/// The model files: `src/model.rs` declaring one module per group, and each group's types
/// (those first used by one resource, in the order they were defined) with the `Page` impls of
/// its list responses. Returns `(module name, tokens)`; the first entry is `model` itself.
pub fn model_groups(plan: &CratePlan) -> Vec<(String, Vec<&TypeDef>)> {
    let mut groups: Vec<(String, Vec<&TypeDef>)> =
        plan.resources.iter().map(|r| (r.module.clone(), Vec::new())).collect();
    let mut common = Vec::new();
    for def in &plan.types {
        match plan.gates.home(def.name()) {
            Some(index) => groups[index].1.push(def),
            None => common.push(def),
        }
    }
    if !common.is_empty() {
        groups.push(("common".to_owned(), common));
    }
    groups.retain(|(_, defs)| !defs.is_empty());
    groups
}

/// `src/model.rs`: the group modules, re-exported flat.
pub fn model_root_tokens(groups: &[(String, Vec<&TypeDef>)]) -> TokenStream {
    let modules: Vec<_> = groups.iter().map(|(name, _)| ident(name)).collect();
    quote! {
        //! Request and response types, grouped by the first resource that uses them; all are
        //! re-exported at the crate root.

        #( mod #modules; )*

        #(
            #[allow(unused_imports)] // empty when no feature enables its types
            pub use #modules::*;
        )*
    }
}

/// One model group file: its types grouped by feature gate, each gated group in a private
/// module that carries the `#[cfg]` once, with one `model_serde!` call for its structs.
pub fn model_group_tokens(plan: &CratePlan, defs: &[&TypeDef]) -> TokenStream {
    let groups = super::features::by_gate(defs.iter().copied(), |def| plan.gates.features(def.name()));
    let mut index = 0;
    let groups = groups.into_iter().map(|(gate, defs)| {
        let items = defs.iter().map(|def| {
            let definition = models::definition(def, plan.document);
            let page = page_impl(plan, def);
            quote!(#definition #page)
        });
        let entries: Vec<_> = defs.iter().filter_map(|def| models::serde_entry(def)).collect();
        let serde = models::serde_call(&entries);
        if gate.is_some() {
            index += 1;
        }
        super::features::gated_module(gate, &format!("gated_{index}"), quote!(#( #items )* #serde))
    });
    quote! { #( #groups )* }
}

/// `PageToken` (and `Page` when it has items) for a list response, or nothing: one
/// `page!` line, the impls being the same on every list.
fn page_impl(plan: &CratePlan, def: &TypeDef) -> Option<TokenStream> {
    let page = plan.pages.iter().find(|page| page.response == def.name())?;
    let TypeDef::Struct(s) = def else { return None };
    let field = |json: &str| s.fields.iter().find(|f| f.json_name == json).map(|f| ident(&f.rust_name));
    let token = field(&page.token)?;
    let response = ident(&s.name);
    // The trait's default is Google's usual name.
    let token = match page.token.as_str() {
        "nextPageToken" => quote!(#token),
        name => quote!(#token = #name),
    };
    let items = match &page.items {
        Some((items_json, item)) => {
            let items = field(items_json)?;
            let item = models::type_tokens(item);
            quote!(, #items => #item)
        }
        None => quote!(),
    };
    Some(quote!(discogen_runtime::page!(#response, #token #items);))
}

/// The crate root: docs, re-exports, endpoints and the `Client`.
pub fn lib_tokens(api: &Api, plan: &CratePlan, crate_name: &str) -> TokenStream {
    let service = &api.service;
    let feature_attr = |r: &ResourcePlan| r.module_gate().map(|feature| quote!(#[cfg(feature = #feature)]));
    let modules = plan.resources.iter().map(|r| {
        let module = ident(&r.module);
        let gate = feature_attr(r);
        quote!(#gate pub mod #module;)
    });
    let top_level: Vec<&ResourcePlan> = plan.resources.iter().filter(|r| r.accessors.len() == 1).collect();
    let accessors = top_level.iter().map(|r| {
        let module = ident(&r.module);
        super::methods::accessor_tokens(r, quote!(#module), quote!(self.inner), crate_name)
    });
    // The accessors of nested resources before they nested (`client.messages()`), deprecated
    // and hidden, where the name is still free.
    let moved = plan.resources.iter().filter(|r| !r.methods.is_empty()).filter_map(|r| {
        let old = &r.flat_accessor;
        if r.accessors.len() == 1 && r.accessor() == old.as_str() {
            return None;
        }
        let clashes = top_level.iter().any(|t| t.accessor() == old.as_str())
            || super::accessors::CLIENT_METHODS.contains(&old.as_str());
        if clashes {
            return None;
        }
        let (old, module, handle) = (ident(old), ident(&r.module), ident(&r.handle));
        let gate = feature_attr(r);
        let note = format!("accessors follow the method id: use `{}`", r.reach("client"));
        Some(quote!(#gate discogen_runtime::moved_accessor!(#old, #module::#handle, #note);))
    });
    let default_endpoint = service.base_url.clone();
    let service_path = service.base_url.strip_prefix(&service.root_url).unwrap_or_default().to_owned();
    let regional: Vec<_> = service
        .endpoints
        .iter()
        .map(|e| {
            let (location, url) = (&e.location, &e.url);
            quote!((#location, #url))
        })
        .collect();
    let scopes = service.scopes.iter().map(|s| s.url.as_str());
    let scopes_module = super::scopes::module(&service.scopes, service.document);
    let regional_doc = format!(" Regional endpoints from the {} document, by location.", service.document.as_str());
    let adc_scope = match super::scopes::default_scope(&service.scopes) {
        Some(_) => quote!(scopes::DEFAULT),
        None => quote!(discogen_runtime::auth::credentials::CLOUD_PLATFORM_SCOPE),
    };
    let (names_mod, names_use) = if plan.names.is_empty() {
        (quote!(), quote!())
    } else {
        // Empty when no resource feature is enabled.
        (
            quote!(
                mod names;
            ),
            quote!(
                #[allow(unused_imports)]
                pub use names::*;
            ),
        )
    };
    let title_doc = doc_attrs(Some(&format!("A client for the {}; cheap to clone and share.", service.title)), &[]);
    let aliases = plan.aliases.iter().map(|(old, new)| {
        let (old_ident, new_ident) = (ident(old), ident(new));
        let gate = plan.gates.attribute(new);
        let note = format!("renamed to {new}");
        let doc = format!(" Renamed to [`{new}`]; this alias goes in the next release.");
        quote! {
            #[doc = #doc]
            #gate
            #[deprecated(note = #note)]
            pub type #old_ident = #new_ident;
        }
    });
    quote! {
        #![doc = include_str!("../README.md")]
        #![deny(missing_docs)]

        mod model;
        #names_mod
        #( #modules )*

        #[allow(unused_imports)]
        pub use model::*;
        #names_use
        pub use discogen_runtime::{
            auth::{NoAuth, StaticToken, TokenProvider},
            client::RegionalEndpoints,
            error::{Code, RpcStatus},
            media::{ByteStream, MediaDownload, MediaSource, MediaUpload, ResumableSession},
            paging::{Stream, StreamExt, TryStreamExt},
            wkt::{Bytes, Duration, Empty, FieldMask, StandardBytes, Timestamp},
            Error, Operation, PollPolicy, RetryPolicy,
        };
        /// The JSON library of the models: `serde_json::Value` holds `type: any` fields, and
        /// `serde_json::json!` builds them, with no dependency of your own to keep in step.
        pub use serde_json;
        /// Credential sources: Application Default Credentials, service accounts,
        /// impersonation, authorized users, the metadata server, installed-app and
        /// device-code consent.
        #[cfg(feature = "adc")]
        pub use discogen_runtime::auth::credentials;

        /// What sends the requests: a [`Transport`](transport::Transport) behind the client,
        /// reqwest by default. [`MockTransport`](transport::MockTransport) answers with canned
        /// responses and records every request, for unit tests without HTTP;
        /// [`reqwest`](transport::reqwest) builds a client for [`ClientBuilder::http_client`].
        pub mod transport {
            pub use discogen_runtime::transport::{
                install_crypto_provider, reqwest, HttpRequest, HttpResponse, MockTransport, ReqwestTransport, Transport,
                TransportError, TransportFuture,
            };
        }

        /// Result of every call: the value or an [`Error`].
        pub type Result<T> = std::result::Result<T, Error>;

        #( #aliases )*

        /// The global endpoint.
        pub const DEFAULT_ENDPOINT: &str = #default_endpoint;

        /// What the endpoint adds to the API's root URL (`ClientBuilder::root_url` adds it);
        /// media uploads go to the root.
        pub const SERVICE_PATH: &str = #service_path;

        #[doc = #regional_doc]
        pub const REGIONAL_ENDPOINTS: &[(&str, &str)] = &[ #( #regional ),* ];

        /// OAuth scopes the API accepts.
        pub const SCOPES: &[&str] = &[ #( #scopes ),* ];

        #scopes_module

        #title_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: discogen_runtime::Client,
        }

        impl Client {
            /// A builder with the global endpoint and the regional endpoints preset.
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    inner: discogen_runtime::Client::builder(DEFAULT_ENDPOINT)
                        .service_path(SERVICE_PATH)
                        .regional_endpoints(RegionalEndpoints::from_list(REGIONAL_ENDPOINTS))
                        .api_client(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
                }
            }

            /// Wraps an already configured runtime client.
            pub fn from_runtime(inner: discogen_runtime::Client) -> Self {
                Client { inner }
            }

            /// The runtime client, for raw requests.
            pub fn runtime(&self) -> &discogen_runtime::Client {
                &self.inner
            }

            #( #accessors )*
            #( #moved )*
        }

        // The builder's setters are the same in every crate: the runtime writes them.
        discogen_runtime::client_builder!(ClientBuilder builds Client, default scope #adc_scope);
    }
}
