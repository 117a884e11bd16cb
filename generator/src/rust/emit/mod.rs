//! Emission: the crate plan as token streams, one function per file or item kind. Every
//! choice was made by `plan`; these modules only spell it.

pub mod example;
pub mod gates;
pub mod lib_rs;
pub mod model_files;
pub mod models;
pub mod names;
pub mod operations_resource;
pub mod resource;
pub mod scopes;
pub mod unions;

use proc_macro2::{Ident, Span};

use crate::rust::idents::spelled;

/// The identifier token of `name`, spelled as [`spelled`] says: raw when it is a keyword.
pub fn ident(name: &str) -> Ident {
    let spelled = spelled(name);
    match spelled.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&spelled, Span::call_site()),
    }
}
