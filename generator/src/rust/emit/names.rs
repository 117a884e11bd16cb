//! The resource-name types as tokens: one struct and one `resource_name!` line each, with
//! helpers for their children.

use proc_macro2::TokenStream;
use quote::quote;

use super::gates::{cfg_attribute, item_attribute};
use crate::rust::idents::{ident, singular, snake_string};
use crate::rust::plan::{Gates, NameType};

/// The tokens of all name types, with constructors, `Display`, `FromStr` and child helpers.
/// Unlike models, each item keeps its own `#[cfg]` rather than sharing gated modules: on
/// aiplatform 5.1k lines against 5.3k (most names have a gate of their own, and a module's
/// deeper indentation wraps more lines).
pub fn tokens(names: &[NameType], crate_ident: &str, gates: &Gates) -> TokenStream {
    let defs = names.iter().map(|name| name_tokens(name, names, crate_ident, gates));
    quote! { #( #defs )* }
}

/// Whether every build that has an item gated `outer` also has one gated `inner`.
fn implies(outer: Option<&[String]>, inner: Option<&[String]>) -> bool {
    match (outer, inner) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(outer), Some(inner)) => outer.iter().all(|feature| inner.contains(feature)),
    }
}

fn name_tokens(name: &NameType, all: &[NameType], crate_ident: &str, gates: &Gates) -> TokenStream {
    let type_name = ident(&name.name);
    let fields: Vec<_> = name.fields().map(ident).collect();
    let doc = format!(" The resource name `{}` (pattern `{}`).", name.template(), name.pattern);
    let pattern = &name.pattern;
    let children: Vec<TokenStream> = all
        .iter()
        .filter_map(|child| {
            let (literal, field) = name.parent_of(child)?;
            let method = ident(&snake_string(&singular(&literal)));
            let child_type = ident(&child.name);
            let child_field = ident(&field);
            let own = fields.iter();
            let doc = format!(" The `{}` named `{{{field}}}` under this one.", child.template());
            // Inside the parent's gate, the child's is only needed when it is narrower.
            let child_gate = gates.features(&child.name);
            let gate =
                if implies(gates.features(&name.name), child_gate) { quote!() } else { cfg_attribute(child_gate) };
            Some(quote! {
                #[doc = #doc]
                #gate
                pub fn #method(&self, #child_field: impl Into<String>) -> #child_type {
                    #child_type { #( #own: self.#own.clone(), )* #child_field: #child_field.into() }
                }
            })
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
