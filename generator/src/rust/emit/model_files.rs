//! The model files: `src/model.rs` declaring one module per group, and each group's types
//! with the `page!` lines of its list responses.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::models;
use crate::rust::plan::{by_gate, CratePlan, TypeDef};

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
    let groups = by_gate(defs.iter().copied(), |def| plan.gates.features(def.name()));
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
        super::gates::gated_module(gate, &format!("gated_{index}"), quote!(#( #items )* #serde))
    });
    quote! { #( #groups )* }
}

/// `PageToken` (and `Page` when it has items) for a list response, or nothing: one
/// `page!` line, the impls being the same on every list.
fn page_impl(plan: &CratePlan, def: &TypeDef) -> Option<TokenStream> {
    let page = plan.pages.iter().find(|page| page.response == def.name())?;
    let (response, token) = (ident(&page.response), ident(&page.token_field));
    let token = match &page.token_json {
        None => quote!(#token),
        Some(name) => quote!(#token = #name),
    };
    let items = match &page.items {
        Some((items, item)) => {
            let items = ident(items);
            let item = models::type_tokens(item);
            quote!(, #items => #item)
        }
        None => quote!(),
    };
    Some(quote!(discogen_runtime::page!(#response, #token #items);))
}
