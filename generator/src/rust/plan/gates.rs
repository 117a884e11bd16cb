//! Per-resource cargo features: which resources need which types and resource names, and the
//! `#[cfg(...)]` attributes that follow from it.

use std::collections::{BTreeSet, HashMap};

use super::method::{PathType, Response};
use super::resource::ResourcePlan;
use super::types::{RustType, TypeDef};

/// Which resources use which types and names: the `#[cfg]` gate of every item (features of
/// the resources that reach it; absent when every resource does or the crate has no
/// features), and the first resource that reaches it (its "home" model module).
#[derive(Debug, Default)]
pub struct Gates {
    gates: HashMap<String, Vec<String>>,
    homes: HashMap<String, usize>,
}

impl Gates {
    pub fn compute(resources: &[ResourcePlan], defs: &[TypeDef]) -> Gates {
        let fields: HashMap<&str, Vec<&RustType>> = defs
            .iter()
            .map(|def| match def {
                TypeDef::Struct(s) => (s.name.as_str(), s.fields.iter().map(|f| &f.ty).collect()),
                TypeDef::Alias { name, ty, .. } => (name.as_str(), vec![ty]),
                TypeDef::Enum(e) => (e.name.as_str(), Vec::new()),
                TypeDef::Union(u) => (u.name.as_str(), u.variants.iter().map(|v| &v.ty).collect()),
            })
            .collect();
        let mut users: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (index, resource) in resources.iter().enumerate() {
            let mut stack: Vec<String> = Vec::new();
            for method in &resource.methods {
                let mut roots: Vec<&RustType> = method.query.iter().map(|q| &q.ty).collect();
                roots.extend(method.body.iter());
                roots.extend(method.page_item.iter());
                roots.extend(method.errors.iter().map(|(_, ty)| ty));
                match &method.response {
                    Response::Json(ty) => roots.push(ty),
                    Response::Operation { result, metadata, .. } => roots.extend([result, metadata]),
                    Response::DiscoveryOperation { operation, resource, .. } => roots.extend([operation, resource]),
                    Response::Empty => {}
                }
                roots.into_iter().for_each(|ty| named(ty, &mut stack));
                for param in &method.path_params {
                    if let PathType::Name(name, _) = &param.ty {
                        stack.push(name.clone());
                    }
                }
            }
            while let Some(name) = stack.pop() {
                if users.entry(name.clone()).or_default().insert(index) {
                    for ty in fields.get(name.as_str()).into_iter().flatten() {
                        named(ty, &mut stack);
                    }
                }
            }
        }
        let homes = users.iter().filter_map(|(name, users)| Some((name.clone(), *users.first()?))).collect();
        // Resources without methods (parents that only lead to children) use no types.
        let with_methods = resources.iter().filter(|r| !r.methods.is_empty()).count();
        let gated = resources.iter().filter(|r| !r.methods.is_empty()).all(|r| r.feature.is_some());
        let gates = users
            .into_iter()
            .filter(|(_, users)| gated && users.len() < with_methods)
            .map(|(name, users)| {
                let features = users.into_iter().filter_map(|i| resources[i].feature.clone()).collect();
                (name, features)
            })
            .collect();
        Gates { gates, homes }
    }

    /// Index of the first resource that uses `item`.
    pub fn home(&self, item: &str) -> Option<usize> {
        self.homes.get(item).copied()
    }

    /// The features that enable an item (sorted), or `None` when it is always there.
    pub fn features(&self, item: &str) -> Option<&[String]> {
        self.gates.get(item).map(Vec::as_slice)
    }
}

/// Items grouped by their gate, each group in the order of its first item; `key` gives an
/// item's gate. Lets a file write each gate once, on a module of the items it gates.
pub fn by_gate<'a, T>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> Option<&'a [String]>,
) -> Vec<(Option<&'a [String]>, Vec<T>)> {
    let mut groups: Vec<(Option<&'a [String]>, Vec<T>)> = Vec::new();
    for item in items {
        let gate = key(&item);
        match groups.iter_mut().find(|(g, _)| *g == gate) {
            Some((_, members)) => members.push(item),
            None => groups.push((gate, vec![item])),
        }
    }
    groups
}
/// Fills `client_readers`: a handle is always read when its methods have no feature or a
/// child's module is always compiled; else the features of its methods and children read it.
pub fn find_client_readers(resources: &mut [ResourcePlan]) {
    for index in 0..resources.len() {
        let resource = &resources[index];
        let always_read = (!resource.methods.is_empty() && resource.feature.is_none())
            || resource.children.iter().any(|&child| resources[child].module_gate().is_none());
        let readers = (!always_read).then(|| {
            resource
                .feature
                .iter()
                .filter(|_| !resource.methods.is_empty())
                .cloned()
                .chain(resource.children.iter().filter_map(|&child| resources[child].module_gate().map(str::to_owned)))
                .collect()
        });
        resources[index].client_readers = readers;
    }
}

fn named(ty: &RustType, out: &mut Vec<String>) {
    match ty {
        RustType::Named(name) => out.push(name.clone()),
        RustType::Vec(inner) | RustType::Map(inner) => named(inner, out),
        _ => {}
    }
}

/// `notebook_execution_jobs` -> `notebook-execution-jobs`.
pub fn feature_name(module: &str) -> String {
    module.replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_the_order_of_their_first_item() {
        let (a, b) = (vec!["a".to_owned()], vec!["b".to_owned()]);
        let items = [("x", Some(&a)), ("y", None), ("z", Some(&a)), ("w", Some(&b))];
        let groups = by_gate(items, |(_, g)| g.map(|g| g.as_slice()));
        let names: Vec<Vec<&str>> = groups.iter().map(|(_, items)| items.iter().map(|(n, _)| *n).collect()).collect();
        assert_eq!(names, [vec!["x", "z"], vec!["y"], vec!["w"]]);
    }
}
