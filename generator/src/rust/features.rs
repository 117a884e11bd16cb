//! Per-resource cargo features: which resources need which types and resource names, and the
//! `#[cfg(...)]` attributes that follow from it.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;

use super::methods::{PathType, ResourcePlan, Response};
use super::types::{RustType, TypeDef};

/// Item name -> the features that need it. Items used by every resource (or when the crate
/// has no features) are absent: they are always compiled.
#[derive(Debug, Default)]
pub struct Gates {
    gates: HashMap<String, Vec<String>>,
}

impl Gates {
    pub fn compute(resources: &[ResourcePlan], defs: &[TypeDef]) -> Gates {
        let features: Vec<&str> = resources.iter().filter_map(|r| r.feature.as_deref()).collect();
        if features.is_empty() {
            return Gates::default();
        }
        let fields: HashMap<&str, Vec<&RustType>> = defs
            .iter()
            .map(|def| match def {
                TypeDef::Struct(s) => (s.name.as_str(), s.fields.iter().map(|f| &f.ty).collect()),
                TypeDef::Alias { name, ty, .. } => (name.as_str(), vec![ty]),
                TypeDef::Enum(e) => (e.name.as_str(), Vec::new()),
            })
            .collect();
        let mut users: HashMap<String, BTreeSet<String>> = HashMap::new();
        for resource in resources {
            let Some(feature) = &resource.feature else { continue };
            let mut stack: Vec<String> = Vec::new();
            for method in &resource.methods {
                let mut roots: Vec<&RustType> = method.query.iter().map(|q| &q.ty).collect();
                roots.extend(method.body.iter());
                roots.extend(method.page_item.iter());
                match &method.response {
                    Response::Json(ty) => roots.push(ty),
                    Response::Operation { result, metadata, .. } => roots.extend([result, metadata]),
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
                if users.entry(name.clone()).or_default().insert(feature.clone()) {
                    for ty in fields.get(name.as_str()).into_iter().flatten() {
                        named(ty, &mut stack);
                    }
                }
            }
        }
        let all = features.len();
        let gates = users
            .into_iter()
            .filter(|(_, features)| features.len() < all)
            .map(|(name, features)| (name, features.into_iter().collect()))
            .collect();
        Gates { gates }
    }

    /// `#[cfg(any(feature = "a", ...))]` for an item, or nothing.
    pub fn attribute(&self, item: &str) -> TokenStream {
        match self.gates.get(item).map(Vec::as_slice) {
            Some([feature]) => quote!(#[cfg(feature = #feature)]),
            Some(features) => quote!(#[cfg(any( #( feature = #features ),* ))]),
            None => quote!(),
        }
    }

    /// Adds the item's gate to every top-level item in `tokens` (a struct and its impls).
    pub fn apply(&self, item: &str, tokens: TokenStream) -> TokenStream {
        let attribute = self.attribute(item);
        if attribute.is_empty() {
            return tokens;
        }
        match syn::parse2::<syn::File>(tokens.clone()) {
            Ok(file) => {
                let items = file.items.into_iter();
                quote!( #( #attribute #items )* )
            }
            Err(_) => tokens,
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
