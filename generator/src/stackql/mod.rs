//! StackQL's resource model derived from a Discovery-read IR, with the configuration's
//! overrides (stackql-provider-google's `src/helper/functions.js` and `src/config/tagging.js`,
//! as specified in `specs/stackql-page-format.md` sections 2 and 3). An OpenAPI provider spec
//! states the model instead; `crate::openapi` reads it.

mod naming;
mod overrides;

use indexmap::IndexMap;

use crate::config::{Config, SKIP_RESOURCE};
use crate::error::{Error, Result};
use crate::ir::*;
use naming::{derived_resource_name, derived_sql_verb, is_list_action, method_name};

/// Which of StackQL's Discovery-to-provider-spec converters to follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Rules {
    /// The one behind the seed's pages (August 2025): live Discovery order, a later method with
    /// the same (path, verb) wins, a `:verb` suffix cut from some path keys.
    #[default]
    Seed,
    /// The current one (provider specs of August 2026, read by `@stackql/provider-utils`
    /// 0.7.7): the spec is written with sorted keys, so resources, methods, schema properties
    /// and non-path parameters are alphabetical and verb groups break ties by method name; on
    /// a (path, verb) collision the smallest operationId is kept; `:verb` suffixes stay in path
    /// keys.
    Current,
}

/// Derives `api.resources` and adds the overrides' warnings to `api.warnings`. `document_file`
/// and `config_file` name the sources in errors: a method id that gives no resource name, an
/// override naming a method the API does not have (unless `unknown_methods: warn`).
pub fn derive(api: &mut Api, config: &Config, document_file: &str, config_file: &str) -> Result<()> {
    derive_with(api, config, document_file, config_file, Rules::Seed)
}

/// [`derive`] with a converter's rules.
pub fn derive_with(api: &mut Api, config: &Config, document_file: &str, config_file: &str, rules: Rules) -> Result<()> {
    // Methods on the service itself come last (see `crate::discovery::lower`); StackQL only
    // walks resources.
    let resource_methods = api.methods.iter().take_while(|m| !m.resource_path.is_empty()).count();
    let resource_methods = &api.methods[..resource_methods];
    if let Some(method) = resource_methods.iter().find(|m| derived_resource_name(&m.id).is_empty()) {
        return Err(Error::invalid(document_file, &method.id, "method id gives an empty StackQL resource name"));
    }
    let warnings = overrides::check(&config.stackql, config_file, &api.methods)?;
    api.resources = resources(&api.service, resource_methods, &api.schemas, &config.stackql, rules);
    if rules == Rules::Current {
        sorted_keys(api);
    }
    api.warnings.extend(warnings);
    Ok(())
}

/// What reading a provider spec written with sorted keys gives: resources, their methods and
/// schema properties in JavaScript's default order (UTF-16 code units), each method's path
/// parameters in path order and its other parameters by name.
fn sorted_keys(api: &mut Api) {
    let order = |a: &String, b: &String| a.encode_utf16().cmp(b.encode_utf16());
    api.resources.sort_by(|a, b| order(&a.name, &b.name));
    for resource in &mut api.resources {
        resource.methods.sort_by(|a, b| order(&a.name, &b.name));
        for method in &mut resource.methods {
            let (path, mut other): (Vec<SqlParam>, Vec<SqlParam>) =
                method.params.drain(..).partition(|p| p.location == ParamLocation::Path);
            other.sort_by(|a, b| order(&a.name, &b.name));
            method.params = path.into_iter().chain(other).collect();
        }
    }
    for schema in api.schemas.values_mut() {
        sort_properties(schema, &order);
    }
    api.schemas.sort_by(|a, _, b, _| order(a, b));
}

fn sort_properties(schema: &mut Schema, order: &impl Fn(&String, &String) -> std::cmp::Ordering) {
    schema.properties.sort_by(|a, b| order(&a.name, &b.name));
    for property in &mut schema.properties {
        sort_properties(&mut property.schema, order);
    }
    if let Some(items) = &mut schema.items {
        sort_properties(items, order);
    }
    if let Some(additional) = &mut schema.additional_properties {
        sort_properties(additional, order);
    }
}

/// One OpenAPI operation as StackQL's converter produces it.
struct Operation<'a> {
    index: usize,
    method: &'a Method,
    path: String,
    http_verb: String,
    params: Vec<SqlParam>,
}

fn resources(
    service: &Service,
    methods: &[Method],
    schemas: &IndexMap<String, Schema>,
    overrides: &crate::config::StackqlOverrides,
    rules: Rules,
) -> Vec<SqlResource> {
    let mut resources: IndexMap<String, SqlResource> = IndexMap::new();
    // Each grouped verb collects (method name, number of path parameters) pushes.
    let mut pushes: IndexMap<String, [Vec<(String, usize)>; 5]> = IndexMap::new();

    for operation in operations(methods, rules).into_iter().flat_map(|(_, verbs)| verbs.into_values()) {
        let id = operation.method.id.as_str();
        let name = match overrides.resource_names.get(id) {
            Some(name) => name.clone(),
            None => {
                let derived = derived_resource_name(id);
                overrides.resource_renames.get(&derived).cloned().unwrap_or(derived)
            }
        };
        if name == SKIP_RESOURCE {
            continue;
        }
        let method_name = overrides
            .method_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| method_name(id, overrides.fully_qualified_method_names));
        let (mut sql_verb, is_final) = derived_sql_verb(&name, id, &operation.http_verb);
        if !is_final {
            if let Some(verb) = overrides.sql_verbs.get(id).and_then(|v| SqlVerb::parse(v)) {
                sql_verb = verb;
            }
        }
        let object_key = overrides.object_keys.get(id).cloned().or_else(|| object_key(&operation, schemas));
        let path_param_count = operation.path.split('/').filter(|s| s.starts_with('{')).count();
        let method = SqlMethod {
            name: method_name.clone(),
            method: operation.index,
            operation_id: id.to_owned(),
            sql_verb,
            http_verb: operation.method.http_method,
            path: operation.path,
            description: operation.method.description.clone().unwrap_or_default(),
            params: operation.params,
            request: operation.method.request.clone(),
            response: operation.method.response.clone(),
            response_description: String::new(),
            object_key,
        };

        let resource = resources.entry(name.clone()).or_insert_with(|| SqlResource {
            id: format!("{}.{}.{}", service.provider, service.stackql_name, name),
            name: name.clone(),
            methods: Vec::new(),
            verb_groups: Default::default(),
        });
        overwrite_by_name(&mut resource.methods, method);
        if let Some(group) = SqlVerb::GROUPED.iter().position(|v| *v == sql_verb) {
            pushes.entry(name).or_default()[group].push((method_name, path_param_count));
        }
    }

    for (name, groups) in pushes {
        let resource = &mut resources[&name];
        for (slot, mut pushed) in resource.verb_groups.iter_mut().zip(groups) {
            if rules == Rules::Current {
                // The spec lists a verb's methods by name before the stable sort by count.
                pushed.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            }
            *slot = ordered_group(&mut pushed);
        }
    }
    resources.into_values().collect()
}

/// StackQL keeps methods in an object keyed by name: a later method with a name already
/// present replaces the value but keeps the first position. (StackQL quirk: e.g. top-level
/// `batchPredictionJobs.get` replaces `projects.locations.batchPredictionJobs.get`.)
fn overwrite_by_name(methods: &mut Vec<SqlMethod>, method: SqlMethod) {
    match methods.iter_mut().find(|m| m.name == method.name) {
        Some(slot) => *slot = method,
        None => methods.push(method),
    }
}

/// Most path parameters first (stable), then the first occurrence of each name.
fn ordered_group(pushed: &mut [(String, usize)]) -> Vec<String> {
    pushed.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    let mut names: Vec<String> = Vec::new();
    for (name, _) in pushed.iter() {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

/// The operations of all resource methods keyed by (path, verb). StackQL quirk: a later method
/// with the same path and verb overwrites the earlier one, which keeps its position
/// (`aiplatform.media.upload` replaces `...ragFiles.upload`).
fn operations(methods: &[Method], rules: Rules) -> IndexMap<String, IndexMap<String, Operation<'_>>> {
    let mut paths: IndexMap<String, IndexMap<String, Operation<'_>>> = IndexMap::new();
    for (index, method) in methods.iter().enumerate() {
        // The current converter leaves out the methods that open a push channel: storage's
        // `objects.watchAll` is the only method the three published services' specs lack. A
        // guess from that one case: `objects.list` supports subscription too and is kept, so
        // the rule here is a `watch` method that supports subscription.
        if rules == Rules::Current && method.supports_subscription && method.name.starts_with("watch") {
            continue;
        }
        let path = match rules {
            Rules::Seed => operation_path(method),
            Rules::Current => current_operation_path(method),
        };
        // StackQL's converter spells verbs as OpenAPI keys them.
        let http_verb = method.http_method.as_str().to_ascii_lowercase();
        let params = operation_params(method, &path);
        let operation = Operation { index, method, path: path.clone(), http_verb: http_verb.clone(), params };
        let verbs = paths.entry(path).or_default();
        // The current converter keeps the smallest operationId of a (path, verb) collision.
        let keep_first = rules == Rules::Current
            && verbs.get(&http_verb).is_some_and(|first| first.method.id.as_str() < method.id.as_str());
        if !keep_first {
            verbs.insert(http_verb, operation);
        }
    }
    paths
}

/// The current converter's path key: `/` + flatPath (or path), its `:verb` suffix kept, then
/// the first `{parent}` as `{parentType}/{parent}` (kept from the seed's rule: a guess).
fn current_operation_path(method: &Method) -> String {
    let chosen = method.flat_path.as_deref().unwrap_or(method.path.as_str());
    format!("/{}", chosen.trim_start_matches('/')).replacen("{parent}", "{parentType}/{parent}", 1)
}

/// `/` + flatPath (or path). When the second segment is `{<first segment>Id}` the converter
/// uses `path` up to its first `:` with its first `+` removed instead (JavaScript's
/// `String.replace` with a string pattern replaces one occurrence, so a second `{+x}` keeps
/// its `+`). Then the first `{parent}` becomes `{parentType}/{parent}`.
fn operation_path(method: &Method) -> String {
    let chosen = method.flat_path.as_deref().unwrap_or(method.path.as_str());
    let mut path = format!("/{}", chosen.trim_start_matches('/'));
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() > 2 && segments[2] == format!("{{{}Id}}", segments[1]) {
        let cut = method.path.as_str().split(':').next().unwrap_or_default().replacen('+', "", 1);
        path = format!("/{}", cut.trim_start_matches('/'));
    }
    path.replacen("{parent}", "{parentType}/{parent}", 1)
}

/// Path parameters named by the flat path's `{...}` segments, then the query parameters:
/// those in `parameterOrder` first, then the rest in document order. Only produced when the
/// method declares `parameters` at all.
fn operation_params(method: &Method, path: &str) -> Vec<SqlParam> {
    let Some(declared) = &method.parameters else { return Vec::new() };
    let mut params: Vec<SqlParam> = path
        .split('/')
        .filter(|segment| segment.starts_with('{'))
        .map(|segment| SqlParam {
            // The placeholder's name: `{name}` and `{name}:verb` both give `name` (as StackQL's
            // segment-wise parsing does), and nothing after the `}` can leak into it.
            name: segment[1..].split('}').next().unwrap_or_default().split(':').next().unwrap_or_default().to_owned(),
            location: ParamLocation::Path,
            required: true,
            json_type: Some("string".to_owned()),
            format: None,
        })
        .collect();
    let query: Vec<&Parameter> = declared.iter().filter(|p| p.location != ParamLocation::Path).collect();
    let ordered = method
        .parameter_order
        .iter()
        .filter_map(|name| query.iter().find(|p| &p.name == name))
        .chain(query.iter().filter(|p| !method.parameter_order.contains(&p.name)));
    params.extend(ordered.map(|p| SqlParam {
        name: p.name.clone(),
        location: ParamLocation::Query,
        required: p.required,
        json_type: p.json_type.clone(),
        format: p.format.clone(),
    }));
    params
}

/// `$.bindings` for IAM policies; for list methods answered by a GET whose response pages
/// with `nextPageToken`, the first array property.
fn object_key(operation: &Operation<'_>, schemas: &IndexMap<String, Schema>) -> Option<String> {
    let id = &operation.method.id;
    if id.ends_with(".getIamPolicy") {
        return Some("$.bindings".to_owned());
    }
    if !is_list_action(id) || operation.http_verb != "get" {
        return None;
    }
    let response = schemas.get(operation.method.response.as_deref()?)?;
    // StackQL's rule, not the client's (which takes configured names and refuses ambiguous
    // lists): Google's token name, then the first array.
    response.property("nextPageToken")?;
    let items = response
        .properties
        .iter()
        .find(|p| p.name != "nextPageToken" && p.schema.json_type.as_deref() == Some("array"));
    items.map(|p| format!("$.{}", p.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_sort_by_path_parameters_and_drop_repeats() {
        let mut pushed =
            vec![("get".into(), 3), ("list".into(), 2), ("query_deployed_models".into(), 3), ("get".into(), 1)];
        assert_eq!(ordered_group(&mut pushed), ["get", "query_deployed_models", "list"]);
    }
}
