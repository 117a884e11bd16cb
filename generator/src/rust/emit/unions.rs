//! `oneOf` / `anyOf` enums as tokens.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::models::{doc_attrs, type_tokens};
use crate::rust::plan::types::composition::UnionDef;
use crate::rust::plan::RustType;

/// The enum's tokens.
pub fn union_tokens(def: &UnionDef) -> TokenStream {
    let how = match &def.tag {
        Some(tag) => format!(
            "Tagged by the `{tag}` property, which serde writes and reads: leave the variant's own `{tag}` field unset."
        ),
        None if def.keyword == "oneOf" => {
            "Untagged: decoding tries the variants in order and keeps the first that fits.".to_owned()
        }
        None => "Untagged (`anyOf`): decoding tries the variants in order and keeps the first that fits.".to_owned(),
    };
    let docs =
        doc_attrs(def.description.as_deref(), &[format!("OpenAPI schema `{}` (`{}`).", def.origin, def.keyword), how]);
    let name = ident(&def.name);
    let container = match &def.tag {
        Some(tag) => quote!(#[serde(tag = #tag)]),
        None => quote!(#[serde(untagged)]),
    };
    let variants = def.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        // Boxed: a variant can lead back to the enum, and boxes keep the enum small.
        let ty = match &variant.ty {
            RustType::Named(_) => {
                let inner = type_tokens(&variant.ty);
                quote!(Box<#inner>)
            }
            other => type_tokens(other),
        };
        let doc = match &variant.tag_value {
            Some(value) => format!(" `{value}`."),
            None => format!(" The `{}` member.", variant.name),
        };
        let rename = variant.tag_value.as_ref().map(|value| quote!(#[serde(rename = #value)]));
        quote! {
            #[doc = #doc]
            #rename
            #variant_name(#ty),
        }
    });
    let first = def.variants.first().map(|v| ident(&v.name));
    let default = first.map(|first| {
        quote! {
            impl Default for #name {
                /// The first variant, with its default value.
                fn default() -> Self {
                    #name::#first(Default::default())
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #container
        pub enum #name {
            #( #variants )*
        }

        #default
    }
}
