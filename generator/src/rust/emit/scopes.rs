//! The `scopes` module of a generated crate: one constant per Discovery
//! `auth.oauth2.scopes` entry, with its description, and the default scope.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::models::doc_attrs;
use crate::ir::DocumentKind;
use crate::rust::plan::ScopesPlan;

/// `pub mod scopes { ... }`, empty of `DEFAULT` when the API has no scopes.
pub fn module(scopes: &ScopesPlan, document: DocumentKind) -> TokenStream {
    let constants = scopes.constants.iter().map(|scope| {
        let docs = doc_attrs(Some(&scope.description), &[format!("`{}`", scope.url)]);
        let (name, url) = (ident(&scope.name), &scope.url);
        quote! {
            #docs
            pub const #name: &str = #url;
        }
    });
    let default = scopes.default.as_ref().map(|target| {
        let target = ident(target);
        quote! {
            /// The scope requested by default: `cloud-platform` when the API has it, else its
            /// broadest scope.
            pub const DEFAULT: &str = #target;
        }
    });
    // Where the scopes come from, in the document's own terms.
    let [first, second] = match document {
        DocumentKind::Discovery => [
            " The OAuth2 scopes of the API (Discovery `auth.oauth2.scopes`), for the credential",
            " sources of `discogen_runtime::auth::credentials`.",
        ],
        DocumentKind::OpenApi => [
            " The OAuth2 scopes of the API (from its OpenAPI `oauth2` security schemes), for the",
            " credential sources of `discogen_runtime::auth::credentials`.",
        ],
    };
    quote! {
        #[doc = #first]
        #[doc = #second]
        pub mod scopes {
            #( #constants )*
            #default
        }
    }
}
