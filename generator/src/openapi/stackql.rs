//! StackQL's resource model as a provider spec states it: `components.x-stackQL-resources`,
//! each resource with its `methods` (an `operation.$ref` into `paths` and the `response`
//! StackQL reads: `mediaType`, `openAPIDocKey`, `objectKey`) and its `sqlVerbs` (lists of
//! `$ref`s to those methods, in the order StackQL groups them). Nothing is derived: the rules
//! of `crate::stackql` already ran when StackQL wrote the spec.

use super::lower::{component_name, Operation};
use super::node::{is_word, Node, Reader};
use crate::error::Result;
use crate::ir::*;

const RESOURCES: &str = "x-stackQL-resources";

/// The `id` of the first resource (`google.aiplatform.datasets`), which names the provider and
/// the service.
pub fn first_resource_id(r: &Reader<'_>, root: &Node<'_>) -> Result<Option<String>> {
    let Some(components) = r.get(root, "components") else { return Ok(None) };
    let resources = r.object(&components, RESOURCES)?;
    match resources.first() {
        Some((_, resource)) => Ok(r.string(resource, "id")?.map(str::to_owned)),
        None => Ok(None),
    }
}

/// Every resource of `x-stackQL-resources` in document order (none without the extension).
pub fn resources(
    r: &Reader<'_>,
    service: &Service,
    methods: &[Method],
    operations: &[Operation<'_>],
) -> Result<Vec<SqlResource>> {
    let root = r.node();
    let Some(components) = r.get(&root, "components") else { return Ok(Vec::new()) };
    let by_pointer = OperationIndex::new(operations);
    let mut resources = Vec::new();
    for (key, node) in r.object(&components, RESOURCES)? {
        let name = r.string(&node, "name")?.unwrap_or(key).to_owned();
        // Resource and method names become directories, anchors and JSX attributes.
        if !is_word(&name, "") {
            return Err(r.error(&node.path(), format!("{name:?} is not a resource name")));
        }
        let id = match r.string(&node, "id")? {
            Some(id) => id.to_owned(),
            None => format!("{}.{}.{name}", service.provider, service.stackql_name),
        };
        let mut sql_methods = Vec::new();
        for (method_name, method) in r.object(&node, "methods")? {
            if !is_word(method_name, "") {
                return Err(r.error(&method.path(), format!("{method_name:?} is not a method name")));
            }
            sql_methods.push(sql_method(r, method_name, &method, methods, operations, &by_pointer)?);
        }
        let mut verb_groups: [Vec<String>; 5] = Default::default();
        for (verb, refs) in r.object(&node, "sqlVerbs")? {
            let Some(verb) = SqlVerb::parse(verb) else {
                return Err(r.error(&refs.path(), format!("unknown SQL verb {verb:?}")));
            };
            let Some(group) = SqlVerb::GROUPED.iter().position(|v| *v == verb) else { continue };
            let prefix = format!("#/components/{RESOURCES}/{}/methods/", super::node::escape(key));
            for entry in listed(r, &refs)? {
                let reference = r.string(&entry, "$ref")?.ok_or_else(|| {
                    r.error(
                        &entry.path(),
                        "expected {$ref: '#/components/x-stackQL-resources/<resource>/methods/<method>'}",
                    )
                })?;
                let method = reference
                    .strip_prefix(&prefix)
                    .filter(|m| sql_methods.iter().any(|s: &SqlMethod| s.name == *m))
                    .ok_or_else(|| {
                        r.error(
                            &format!("{}/$ref", entry.path()),
                            format!("$ref {reference:?} names no method of resource {key:?}"),
                        )
                    })?;
                if !verb_groups[group].iter().any(|m| m == method) {
                    verb_groups[group].push(method.to_owned());
                }
            }
        }
        for method in &mut sql_methods {
            if let Some(group) = verb_groups.iter().position(|names| names.contains(&method.name)) {
                method.sql_verb = SqlVerb::GROUPED[group];
            }
        }
        resources.push(SqlResource { name, id, methods: sql_methods, verb_groups });
    }
    Ok(resources)
}

/// The entries of a `sqlVerbs` list.
fn listed<'a>(r: &Reader<'a>, refs: &Node<'a>) -> Result<Vec<Node<'a>>> {
    let items = refs.value.as_array().ok_or_else(|| r.error(&refs.path(), "expected a list of method $refs"))?;
    Ok(items.iter().map(|value| refs.at(value)).collect())
}

/// Operations by the JSON pointer a method's `operation.$ref` names them with
/// (`#/paths/~1v1~1{name}/get`): keyed by the path as written in `paths` and the verb, so no
/// pointer is built for each of the document's operations (aiplatform's 1 922), and the
/// pointer looked up is taken apart instead.
struct OperationIndex<'o> {
    by_path: rustc_hash::FxHashMap<(&'o str, &'o str), usize>,
}

impl<'o> OperationIndex<'o> {
    fn new(operations: &[Operation<'o>]) -> Self {
        Self { by_path: operations.iter().enumerate().map(|(index, op)| ((op.path, op.verb), index)).collect() }
    }

    /// The operation `pointer` (percent-decoded) names, if it names one.
    fn get(&self, pointer: &str) -> Option<usize> {
        let (segment, verb) = pointer.strip_prefix("#/paths/")?.rsplit_once('/')?;
        self.by_path.get(&(super::node::unescape(segment)?.as_ref(), verb)).copied()
    }
}

fn sql_method(
    r: &Reader<'_>,
    name: &str,
    node: &Node<'_>,
    methods: &[Method],
    operations: &[Operation<'_>],
    by_pointer: &OperationIndex<'_>,
) -> Result<SqlMethod> {
    let operation =
        r.get(node, "operation").ok_or_else(|| r.error(&node.path(), "a method needs an `operation` $ref"))?;
    let reference =
        r.string(&operation, "$ref")?.ok_or_else(|| r.error(&operation.path(), "expected {$ref: '#/paths/...'}"))?;
    let index = by_pointer.get(&super::node::percent_decode(reference)).ok_or_else(|| {
        r.error(&format!("{}/$ref", operation.path()), format!("$ref {reference:?} names no operation"))
    })?;
    let (op, method) = (&operations[index], &methods[index]);
    let response = r.get(node, "response");
    let string = |key: &str| -> Result<Option<&str>> {
        match &response {
            Some(response) => r.string(response, key),
            None => Ok(None),
        }
    };
    let media_type = string("mediaType")?.unwrap_or("application/json");
    let status = string("openAPIDocKey")?.unwrap_or("200");
    Ok(SqlMethod {
        name: name.to_owned(),
        method: index,
        operation_id: method.id.clone(),
        // Set from `sqlVerbs` once all methods are read.
        sql_verb: SqlVerb::Exec,
        http_verb: HttpMethod::parse(&op.verb.to_ascii_uppercase()).expect("VERBS are HTTP methods"),
        path: op.path.to_owned(),
        description: r.string(&op.node, "description")?.unwrap_or_default().to_owned(),
        params: operation_params(r, &op.node)?,
        request: method.request.clone(),
        response: match response_schema(r, &op.node, status, media_type)? {
            Body::Component(name) => Some(name),
            // The reader named an inline schema of the success response.
            Body::Inline => method.response.clone(),
            Body::None => None,
        },
        response_description: response_description(r, &op.node, status)?,
        object_key: string("objectKey")?.map(str::to_owned),
    })
}

/// The operation's own parameters in order. StackQL's pages leave out path-item parameters
/// (Google's provider specs put the global `alt`, `key`, `$.xgafv`, ... there).
fn operation_params(r: &Reader<'_>, operation: &Node<'_>) -> Result<Vec<SqlParam>> {
    let mut params = Vec::new();
    for parameter in r.array(operation, "parameters")? {
        let parameter = r.resolve(parameter)?;
        let name =
            r.string(&parameter, "name")?.ok_or_else(|| r.error(&parameter.path(), "a parameter needs a `name`"))?;
        let location = match r.string(&parameter, "in")? {
            Some("path") => ParamLocation::Path,
            Some("header") => ParamLocation::Header,
            _ => ParamLocation::Query,
        };
        let (json_type, format) = match r.get(&parameter, "schema") {
            Some(schema) => {
                let schema = r.resolve(schema)?;
                (r.string(&schema, "type").ok().flatten(), r.string(&schema, "format")?)
            }
            None => (None, None),
        };
        params.push(SqlParam {
            name: name.to_owned(),
            location,
            required: r.boolean(&parameter, "required")? == Some(true),
            json_type: json_type.map(str::to_owned),
            format: format.map(str::to_owned),
        });
    }
    Ok(params)
}

/// `responses[status].description`, empty when absent.
fn response_description(r: &Reader<'_>, operation: &Node<'_>, status: &str) -> Result<String> {
    let Some(response) = r.get(operation, "responses").and_then(|responses| r.get(&responses, status)) else {
        return Ok(String::new());
    };
    let response = r.resolve(response)?;
    Ok(r.string(&response, "description")?.unwrap_or_default().to_owned())
}

enum Body {
    Component(String),
    Inline,
    None,
}

/// What `responses[status].content[media_type].schema` is.
fn response_schema(r: &Reader<'_>, operation: &Node<'_>, status: &str, media_type: &str) -> Result<Body> {
    let Some(response) = r.get(operation, "responses").and_then(|responses| r.get(&responses, status)) else {
        return Ok(Body::None);
    };
    let response = r.resolve(response)?;
    let Some(schema) =
        r.get(&response, "content").and_then(|c| r.get(&c, media_type)).and_then(|m| r.get(&m, "schema"))
    else {
        return Ok(Body::None);
    };
    Ok(match r.string(&schema, "$ref")?.and_then(component_name) {
        Some(name) => Body::Component(name),
        None => Body::Inline,
    })
}
