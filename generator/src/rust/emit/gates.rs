//! Feature gates as tokens: `#[cfg(...)]` attributes, and gated items either each with the
//! attribute or together in a private module.

use proc_macro2::TokenStream;
use quote::quote;

use crate::rust::plan::Gates;

/// `#[cfg(any(feature = "a", ...))]` for an item of the crate plan, or nothing.
pub fn item_attribute(gates: &Gates, item: &str) -> TokenStream {
    cfg_attribute(gates.features(item))
}

/// `#[cfg(any(feature = "a", ...))]` for a gate, or nothing.
pub fn cfg_attribute(features: Option<&[String]>) -> TokenStream {
    match features {
        Some([feature]) => quote!(#[cfg(feature = #feature)]),
        Some(features) => quote!(#[cfg(any( #( feature = #features ),* ))]),
        None => quote!(),
    }
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
}
