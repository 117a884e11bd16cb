//! Per-resource cargo features: which resources need which types and resource names, and the
//! `#[cfg(...)]` attributes that follow from it.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;

use super::methods::{PathType, ResourcePlan, Response};
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
        let gated = resources.iter().all(|r| r.feature.is_some());
        let gates = users
            .into_iter()
            .filter(|(_, users)| gated && users.len() < resources.len())
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

    /// `#[cfg(any(feature = "a", ...))]` for an item, or nothing.
    pub fn attribute(&self, item: &str) -> TokenStream {
        match self.gates.get(item).map(Vec::as_slice) {
            Some([feature]) => quote!(#[cfg(feature = #feature)]),
            Some(features) => quote!(#[cfg(any( #( feature = #features ),* ))]),
            None => quote!(),
        }
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
