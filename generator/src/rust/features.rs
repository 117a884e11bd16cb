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

    /// `#[cfg(any(feature = "a", ...))]` for an item, or nothing.
    pub fn attribute(&self, item: &str) -> TokenStream {
        cfg_attribute(self.features(item))
    }
}

/// `#[cfg(any(feature = "a", ...))]` for a gate, or nothing.
pub fn cfg_attribute(features: Option<&[String]>) -> TokenStream {
    match features {
        Some([feature]) => quote!(#[cfg(feature = #feature)]),
        Some(features) => quote!(#[cfg(any( #( feature = #features ),* ))]),
        None => quote!(),
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

/// `items` under `gate`, in whichever of two forms is shorter: a `#[cfg]` on each item, or
/// (when the items are many or the gate is a long `any(...)` list) a private module named
/// `module` that carries the `#[cfg]` once, re-exported under the same gate.
pub fn gated_module(gate: Option<&[String]>, module: &str, items: TokenStream) -> TokenStream {
    let Some(features) = gate else { return items };
    let attribute = cfg_attribute(gate);
    // Lines as printed: `#[cfg(feature = "a")]` is one; an `any` list is one per feature plus
    // four. A module adds its `mod` line, closing brace, `pub use` and a blank line.
    let gate_lines = if features.len() == 1 { 1 } else { features.len() + 4 };
    if let Ok(file) = syn::parse2::<syn::File>(items.clone()) {
        if file.items.len() * gate_lines <= 2 * gate_lines + 4 {
            if let Some(gated) = each_gated(file, &attribute) {
                return gated;
            }
        }
    }
    let module = quote::format_ident!("{module}");
    quote! {
        #attribute
        mod #module {
            #items
        }

        #attribute
        pub use #module::*;
    }
}

/// Every item with `attribute` after its docs, or `None` for an item kind not written here.
fn each_gated(mut file: syn::File, attribute: &TokenStream) -> Option<TokenStream> {
    let attribute: syn::Attribute = syn::parse_quote!(#attribute);
    for item in &mut file.items {
        let attrs = match item {
            syn::Item::Struct(item) => &mut item.attrs,
            syn::Item::Enum(item) => &mut item.attrs,
            syn::Item::Impl(item) => &mut item.attrs,
            syn::Item::Macro(item) => &mut item.attrs,
            syn::Item::Type(item) => &mut item.attrs,
            _ => return None,
        };
        let docs = attrs.iter().take_while(|attr| attr.path().is_ident("doc")).count();
        attrs.insert(docs, attribute.clone());
    }
    let items = file.items;
    Some(quote!( #( #items )* ))
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

    fn gate(features: &[&str]) -> Vec<String> {
        features.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn a_short_gate_on_few_items_goes_on_each_item_after_its_docs() {
        let items = quote! { #[doc = " A."] pub struct A {} discogen_runtime::model_serde!(A {}); };
        let out = gated_module(Some(&gate(&["jobs"])), "gated_1", items).to_string();
        assert_eq!(out.matches("cfg").count(), 2, "{out}");
        assert!(!out.contains("mod gated_1"), "{out}");
        assert!(out.find("doc").unwrap() < out.find("cfg").unwrap(), "{out}");
    }

    #[test]
    fn a_long_gate_or_many_items_share_one_module() {
        let items = quote! { pub struct A {} pub struct B {} pub struct C {} };
        let long = gate(&["a", "b", "c"]);
        let out = gated_module(Some(&long), "gated_2", items.clone()).to_string();
        assert!(out.contains("mod gated_2") && out.contains("pub use gated_2 :: *"), "{out}");
        assert_eq!(out.matches("cfg").count(), 2, "{out}");
        let many = quote! { #items pub struct D {} pub struct E {} pub struct F {} pub struct G {} };
        assert!(gated_module(Some(&gate(&["a"])), "gated_3", many).to_string().contains("mod gated_3"));
        assert_eq!(gated_module(None, "gated_4", items.clone()).to_string(), items.to_string());
    }

    #[test]
    fn groups_keep_the_order_of_their_first_item() {
        let (a, b) = (gate(&["a"]), gate(&["b"]));
        let items = [("x", Some(&a)), ("y", None), ("z", Some(&a)), ("w", Some(&b))];
        let groups = by_gate(items, |(_, g)| g.map(|g| g.as_slice()));
        let names: Vec<Vec<&str>> = groups.iter().map(|(_, items)| items.iter().map(|(n, _)| *n).collect()).collect();
        assert_eq!(names, [vec!["x", "z"], vec!["y"], vec!["w"]]);
    }
}
