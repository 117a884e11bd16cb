//! The resource-name types as tokens: one struct and one `resource_name!` line each, with
//! helpers for their children.

use proc_macro2::TokenStream;
use quote::quote;

use super::gates::{cfg_attribute, item_attribute};
use super::ident;
use crate::rust::plan::{ChildHelper, Gates, NamePlan, NameType};

/// The tokens of all name types, with constructors, `Display`, `FromStr` and child helpers.
/// Unlike models, each item keeps its own `#[cfg]` rather than sharing gated modules: on
/// aiplatform 5.1k lines against 5.3k (most names have a gate of their own, and a module's
/// deeper indentation wraps more lines).
pub fn tokens(names: &[NamePlan], crate_ident: &str, gates: &Gates) -> TokenStream {
    let defs = names.iter().map(|name| name_tokens(&name.ty, &name.helpers, crate_ident, gates));
    quote! { #( #defs )* }
}

fn name_tokens(name: &NameType, helpers: &[ChildHelper], crate_ident: &str, gates: &Gates) -> TokenStream {
    let type_name = ident(&name.name);
    let fields: Vec<_> = name.fields().map(ident).collect();
    let doc = format!(" The resource name `{}` (pattern `{}`).", name.template(), name.pattern);
    let pattern = &name.pattern;
    let children: Vec<TokenStream> = helpers
        .iter()
        .map(|helper| {
            let method = ident(&helper.method);
            let child_type = ident(&helper.child);
            let child_field = ident(&helper.field);
            let own = fields.iter();
            let doc = format!(" The `{}` named `{{{}}}` under this one.", helper.child_template, helper.field);
            let gate = cfg_attribute(helper.gate.as_deref());
            quote! {
                #[doc = #doc]
                #gate
                pub fn #method(&self, #child_field: impl Into<String>) -> #child_type {
                    #child_type { #( #own: self.#own.clone(), )* #child_field: #child_field.into() }
                }
            }
        })
        .collect();
    let example = name.fields().map(|f| format!("\"my-{}\"", f.replace('_', "-"))).collect::<Vec<_>>().join(", ");
    let example_doc = [
        String::new(),
        " ```".to_owned(),
        format!(" # use {crate_ident}::{};", name.name),
        format!(" let name = {}::new({example});", name.name),
        format!(" let parsed: {} = name.to_string().parse().unwrap();", name.name),
        " assert_eq!(parsed, name);".to_owned(),
        " ```".to_owned(),
    ];
    let example_doc = example_doc.iter();
    let gate = item_attribute(gates, &name.name);
    let field_docs = name.fields().map(|f| format!(" The `{{{f}}}` segment."));
    let helpers = (!children.is_empty()).then(|| quote!(#gate impl #type_name { #( #children )* }));
    // `new`, `Display` and `FromStr` are the same for every name but for the pattern: the
    // runtime's `resource_name!` writes them.
    quote! {
        #[doc = #doc]
        #( #[doc = #example_doc] )*
        #gate
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #type_name {
            #( #[doc = #field_docs] pub #fields: String, )*
        }

        #gate
        discogen_runtime::resource_name!(#type_name = #pattern { #( #fields ),* });

        #helpers
    }
}
