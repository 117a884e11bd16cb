//! The emitter's decisions: what the crate contains (selected resources and methods, the
//! model types they need, the resource-name types), what every item is called, how
//! long-running operations are typed, which lists page and which features gate what. Plain
//! data and the code that decides it; `emit` turns the plan into tokens and takes no
//! decision of its own. No token types here (`cargo test -p xtask` checks it).

mod accessors;
mod gates;
mod method;
mod name_rule;
mod names;
mod operations;
mod resource;
mod scopes;
pub mod types;

use indexmap::IndexMap;

pub use gates::{by_gate, Gates};
pub use method::{MethodPlan, PathPiece, PathType, QueryParam, Response};
pub use names::{ChildHelper, NamePlan, NameType};
pub use operations::StandardOperations;
pub use resource::ResourcePlan;
pub use scopes::ScopesPlan;

/// The client's service and where it sends requests.
#[derive(Debug, Clone)]
pub struct EndpointsPlan {
    /// The service's title, for the client's doc.
    pub title: String,
    /// The global endpoint (the document's base URL).
    pub default: String,
    /// What the endpoint adds to the root URL (media uploads go to the root).
    pub service_path: String,
    /// `(location, URL)` of the regional endpoints.
    pub regional: Vec<(String, String)>,
}
pub use types::{RustType, TypeDef};

use super::idents::camel_string;
use super::record::NameRecord;
use crate::analysis::operations::DiscoveryOperations;
use crate::analysis::paging;
use crate::config::ClientConfig;
use crate::error::{Error, Result};
use crate::ir::{Api, HttpMethod, Method, ParamLocation, TemplatePiece};
use gates::feature_name;
use method::{method_plan, operation_types_for, schema_type};
use resource::module_names;
use types::TypeBuilder;

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
    /// The resource-name types the selected methods use.
    pub names: Vec<NamePlan>,
    pub endpoints: EndpointsPlan,
    /// The `scopes` module's constants and default.
    pub scopes: ScopesPlan,
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
    /// The next-page token's Rust field.
    pub token_field: String,
    /// The token's JSON name when it is not `nextPageToken` (the `page!` macro's default).
    pub token_json: Option<String>,
    /// The items' Rust field and the item type.
    pub items: Option<(String, RustType)>,
}

/// A paged list's response as the paging rules found it, by JSON names.
struct PagedResponse {
    response: String,
    token: String,
    items: Option<(String, RustType)>,
}

impl PagedResponse {
    /// The page plan, with Rust field names; `None` when the response is not a struct with
    /// those fields.
    fn resolve(self, defs: &[TypeDef]) -> Option<PagePlan> {
        let fields = defs.iter().find_map(|def| match def {
            TypeDef::Struct(s) if s.name == self.response => Some(&s.fields),
            _ => None,
        })?;
        let field = |json: &str| fields.iter().find(|f| f.json_name == json).map(|f| f.rust_name.clone());
        let token_field = field(&self.token)?;
        let items = match self.items {
            Some((json, item)) => Some((field(&json)?, item)),
            None => None,
        };
        let token_json = (self.token != "nextPageToken").then_some(self.token);
        Some(PagePlan { response: self.response, token_field, token_json, items })
    }
}

pub fn build(api: &Api, config: &ClientConfig) -> Result<CratePlan> {
    let selected = select(api, config)?;
    let previous = config.previous_names.clone().unwrap_or_default();
    // What "one release" of an alias means: the document's revision, else (an OpenAPI document
    // without one) its version.
    let revision = if api.service.revision.is_empty() { &api.service.version } else { &api.service.revision };
    // The old names of aliases (by hand or from the record) are no new item's name.
    let mut aliased: std::collections::HashSet<String> = config.renamed.keys().cloned().collect();
    if previous.revision == *revision {
        aliased.extend(previous.aliases.keys().cloned());
    }
    let mut builder = TypeBuilder::new(&api.schemas, &config.type_prefix, &config.runtime_types, &RESERVED);
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
                        (with_fields(method::path_pieces(&pieces), &plan.path), suffix)
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
                || method::IMPORTED_NAMES.contains(&plan.builder.as_str())
                || plans.iter().any(|p| p.builder == plan.builder)
            {
                plan.builder.push('_');
            }
            if let (Some(_), Response::Json(RustType::Named(response))) = (&plan.page_token_field, &plan.response) {
                if let Some(paging) = paging::response_paging(api, config.pagination.as_ref(), method) {
                    if !pages.iter().any(|page: &PagedResponse| &page.response == response) {
                        let items = paging.items.map(|p| p.name.clone()).zip(plan.page_item.clone());
                        pages.push(PagedResponse { response: response.clone(), token: paging.token.to_owned(), items });
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
            moved_accessor: None,
            module,
            methods: plans,
            children: Vec::new(),
            client_readers: None,
            standard_operations: None,
        });
    }
    accessors::nest(&mut resources, &previous.modules);
    accessors::keep_moved_accessors(&mut resources);
    gates::find_client_readers(&mut resources);
    for resource in &mut resources {
        resource.standard_operations = operations::standard_shape(&resource.methods, !resource.children.is_empty());
    }
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
    let pages = pages.into_iter().filter_map(|page| page.resolve(&builder.defs)).collect();
    let names = names::plan_names(names, &gates);
    let scopes = scopes::plan_scopes(&api.service.scopes);
    let service = &api.service;
    let endpoints = EndpointsPlan {
        title: service.title.clone(),
        default: service.base_url.clone(),
        service_path: service.base_url.strip_prefix(&service.root_url).unwrap_or_default().to_owned(),
        regional: service.endpoints.iter().map(|e| (e.location.clone(), e.url.clone())).collect(),
    };
    Ok(CratePlan { resources, gates, types: builder.defs, names, endpoints, scopes, pages, aliases, document, record })
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
pub(super) struct UsedNames<'t> {
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
    name_rule::assign_keeping(&mut named, &schema_names, aliased, kept);
    named.into_iter().map(|name| (name.pattern.clone(), name)).collect()
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
