//! Discovery-style long-running operations, recognised from the document: an operation
//! schema whose `status` enum has `DONE` (compute's `Operation`), and operations resources
//! whose `get` (and `wait`) return it (`zoneOperations`, `regionOperations`,
//! `globalOperations`). A method returning that schema elsewhere polls the operations
//! resource whose parameters, but for the operation's own, it has too (the one with the most:
//! `instances.insert(project, zone)` polls `zoneOperations`).

use crate::ir::{Api, Method, ParamLocation, TemplatePiece};

/// The operations resources of the document's Discovery-style operation schema.
#[derive(Debug, Clone)]
pub struct DiscoveryOperations<'a> {
    pub schema: String,
    resources: Vec<OperationsResource<'a>>,
}

#[derive(Debug, Clone)]
struct OperationsResource<'a> {
    chain: String,
    get: &'a Method,
    wait: Option<&'a Method>,
}

/// How one method's operation is polled: template pieces up to the operation name (their
/// variables are path parameters of the calling method) and the literal after it.
#[derive(Debug, Clone)]
pub struct PollPaths {
    pub get: (Vec<TemplatePiece>, String),
    pub wait: Option<(Vec<TemplatePiece>, String)>,
}

impl<'a> DiscoveryOperations<'a> {
    /// `None` when the document has no such schema or no operations resource for it.
    /// `google_operation` (the configured `google.longrunning.Operation`) is never one.
    pub fn detect(api: &'a Api, google_operation: Option<&str>) -> Option<DiscoveryOperations<'a>> {
        let schema = api.schemas.iter().find_map(|(name, schema)| {
            let status = schema.property("status")?;
            let done = status.enum_values.iter().any(|v| v.value == "DONE");
            (done && schema.property("name").is_some() && Some(name.as_str()) != google_operation).then_some(name)
        })?;
        let returns = |m: &Method| m.response.as_deref() == Some(schema.as_str());
        let mut resources: Vec<OperationsResource<'a>> = Vec::new();
        for get in api.methods.iter().filter(|m| m.name == "get" && returns(m)) {
            let chain = get.resource_path.join(".");
            let wait =
                api.methods.iter().find(|m| m.name == "wait" && returns(m) && m.resource_path == get.resource_path);
            resources.push(OperationsResource { chain, get, wait });
        }
        (!resources.is_empty()).then(|| DiscoveryOperations { schema: schema.clone(), resources })
    }

    /// Whether `method` belongs to an operations resource (those return the plain model).
    pub fn is_operations_method(&self, method: &Method) -> bool {
        let chain = method.resource_path.join(".");
        self.resources.iter().any(|r| r.chain == chain)
    }

    /// Where `method`'s operation is polled, if it returns the operation schema and an
    /// operations resource fits its path parameters.
    pub fn poll_paths(&self, method: &Method) -> Option<PollPaths> {
        if method.response.as_deref() != Some(self.schema.as_str()) || self.is_operations_method(method) {
            return None;
        }
        let own: Vec<&str> = path_params(method);
        let mut best: Option<(usize, PollPaths)> = None;
        for resource in &self.resources {
            let Some((get, needs)) = split(resource.get, &own) else { continue };
            let wait = resource.wait.and_then(|wait| split(wait, &own)).map(|(wait, _)| wait);
            if best.as_ref().is_none_or(|(most, _)| needs > *most) {
                best = Some((needs, PollPaths { get, wait }));
            }
        }
        best.map(|(_, paths)| paths)
    }
}

fn path_params(method: &Method) -> Vec<&str> {
    method.parameters.iter().flatten().filter(|p| p.location == ParamLocation::Path).map(|p| p.name.as_str()).collect()
}

/// `operations_method`'s path cut at its last parameter (the operation name): the pieces
/// before it, which must name only parameters in `own`, the literal after it, and how many
/// parameters it took from `own`.
fn split(operations_method: &Method, own: &[&str]) -> Option<((Vec<TemplatePiece>, String), usize)> {
    let pieces = operations_method.path.pieces();
    let last = pieces.iter().rposition(|p| matches!(p, TemplatePiece::Expression { .. }))?;
    let suffix = match &pieces[last + 1..] {
        [] => String::new(),
        [TemplatePiece::Literal(text)] => text.clone(),
        _ => return None,
    };
    let prefix = pieces[..last].to_vec();
    let mut needs = 0;
    for piece in &prefix {
        if let TemplatePiece::Expression { name, .. } = piece {
            if !own.contains(&name.as_str()) {
                return None;
            }
            needs += 1;
        }
    }
    Some(((prefix, suffix), needs))
}
