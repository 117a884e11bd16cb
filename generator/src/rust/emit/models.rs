//! Type definitions -> tokens: serde structs and open enums.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::ir::{Base64Alphabet, DocumentKind};
use crate::rust::plan::types::{wire_type, EnumDef, Field, RustType, StructDef, TypeDef};
use crate::rust::rustdoc;

/// `#[doc = "..."]` attributes for a description plus extra lines.
pub fn doc_attrs(description: Option<&str>, extra: &[String]) -> TokenStream {
    let mut lines = description.map(rustdoc::lines).unwrap_or_default();
    if !extra.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(extra.iter().cloned());
    }
    let lines = lines.into_iter().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// What a `format: byte` field's or parameter's docs add: the client does the base64, in the
/// form [`discogen_runtime::wkt::Bytes`] documents.
pub const BYTES_DOC: &str = "Raw bytes: the client sends them as URL-safe base64 with padding (`-` and `_`, RFC 4648 section 5) and reads either base64 alphabet, padded or not; do not encode them yourself.";

/// [`BYTES_DOC`] for [`discogen_runtime::wkt::StandardBytes`].
pub const STANDARD_BYTES_DOC: &str = "Raw bytes: the client sends them as standard base64 with padding (`+` and `/`, RFC 4648 section 4) and reads either base64 alphabet, padded or not; do not encode them yourself.";

/// The docs line of a field or parameter of type `ty`, if it holds bytes.
pub fn bytes_doc(ty: &RustType) -> Option<String> {
    ty.bytes_alphabet().map(|alphabet| match alphabet {
        Base64Alphabet::UrlSafe => BYTES_DOC.to_owned(),
        Base64Alphabet::Standard => STANDARD_BYTES_DOC.to_owned(),
    })
}

/// The description, or `fallback` when it is missing or blank (every public item gets docs).
pub fn described<'a>(description: Option<&'a str>, fallback: &'a str) -> &'a str {
    description.filter(|d| !d.trim().is_empty()).unwrap_or(fallback)
}

/// The type tokens of a field (inside `Option`, `Vec` or map as needed by the caller).
pub fn type_tokens(ty: &RustType) -> TokenStream {
    match ty {
        RustType::String => quote!(String),
        RustType::Bool => quote!(bool),
        RustType::I32 => quote!(i32),
        RustType::U32 => quote!(u32),
        RustType::I64 => quote!(i64),
        RustType::U64 => quote!(u64),
        RustType::I64Number => quote!(i64),
        RustType::F32 => quote!(f32),
        RustType::F64 => quote!(f64),
        RustType::Json => quote!(serde_json::Value),
        RustType::Timestamp => quote!(discogen_runtime::wkt::Timestamp),
        RustType::Duration => quote!(discogen_runtime::wkt::Duration),
        RustType::FieldMask => quote!(discogen_runtime::wkt::FieldMask),
        RustType::Bytes(Base64Alphabet::UrlSafe) => quote!(discogen_runtime::wkt::Bytes),
        RustType::Bytes(Base64Alphabet::Standard) => quote!(discogen_runtime::wkt::StandardBytes),
        RustType::Named(name) => {
            let name = ident(name);
            quote!(crate::#name)
        }
        RustType::Runtime(name) => {
            let module = runtime_module(name).map(|module| {
                let module = ident(module);
                quote!(#module::)
            });
            let name = ident(name);
            quote!(discogen_runtime::#module #name)
        }
        RustType::Vec(inner) => {
            let inner = type_tokens(inner);
            quote!(Vec<#inner>)
        }
        RustType::Map(inner) => {
            let inner = type_tokens(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// The runtime module of a type that `runtime_types` (config) names by its bare name:
/// `google.rpc.Status` is in `error`, the well-known types are in `wkt`.
fn runtime_module(name: &str) -> Option<&'static str> {
    match name {
        "RpcStatus" | "Code" => Some("error"),
        "Empty" | "Timestamp" | "Duration" | "FieldMask" | "Bytes" | "StandardBytes" => Some("wkt"),
        _ => None,
    }
}

/// The tokens of a type definition (a struct's serde impls come from [`serde_entry`]).
pub fn definition(def: &TypeDef, document: DocumentKind) -> TokenStream {
    match def {
        TypeDef::Struct(s) => struct_tokens(s, document),
        TypeDef::Enum(e) => enum_tokens(e),
        TypeDef::Union(u) => super::unions::union_tokens(u),
        TypeDef::Alias { name, origin, description, ty, newtype } => {
            let docs = doc_attrs(description.as_deref(), &[origin_line(document, origin)]);
            let name = ident(name);
            let ty = type_tokens(&wire_type(ty));
            if *newtype {
                quote! {
                    #docs
                    #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
                    #[serde(transparent)]
                    pub struct #name(pub #ty);
                }
            } else {
                quote! { #docs pub type #name = #ty; }
            }
        }
    }
}

/// Where a type comes from: `Discovery schema `X`.` or `OpenAPI schema `X`.` (a nested type's
/// origin is its `Schema.property` path).
fn origin_line(document: DocumentKind, origin: &str) -> String {
    format!("{} schema `{origin}`.", document.as_str())
}

fn struct_tokens(def: &StructDef, document: DocumentKind) -> TokenStream {
    let docs = doc_attrs(def.description.as_deref(), &[origin_line(document, &def.origin)]);
    let name = ident(&def.name);
    let fields = def.fields.iter().map(field_tokens);
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #( #fields )*
            /// Members sent or received as `null`, and fields this crate does not know: kept on decode and sent back.
            pub _extra: discogen_runtime::ExtraFields,
        }
    }
}

/// A struct's entry in a `model_serde!` call: `Name { "jsonKey" => field, ... }`, 64-bit
/// integers `as int64` (sent as strings). The runtime macro writes a smaller decoder than
/// serde's derive, which was most of the crate's build time (guide, Design); one call takes
/// the entries of every model under one feature gate.
pub fn serde_entry(def: &TypeDef) -> Option<TokenStream> {
    let TypeDef::Struct(def) = def else { return None };
    let name = ident(&def.name);
    let fields = def.fields.iter().map(|field| {
        let json = &field.json_name;
        let rust = ident(&field.rust_name);
        let int64 = match wire_type(&field.ty) {
            RustType::I64 | RustType::U64 => true,
            RustType::Vec(inner) => matches!(*inner, RustType::I64 | RustType::U64),
            _ => false,
        };
        if int64 {
            quote!(#json => #rust as int64)
        } else {
            quote!(#json => #rust)
        }
    });
    Some(quote!(#name { #( #fields ),* }))
}

/// One `model_serde!` call for `entries`, or nothing.
pub fn serde_call(entries: &[TokenStream]) -> TokenStream {
    if entries.is_empty() {
        return quote!();
    }
    quote! { discogen_runtime::model_serde!( #( #entries );* ); }
}

fn field_tokens(field: &Field) -> TokenStream {
    let mut extra = Vec::new();
    // Discovery states it in the description ("Required. ..."); OpenAPI in `required`.
    if field.required && !field.description.as_deref().is_some_and(|d| d.trim_start().starts_with("Required")) {
        extra.push("Required.".to_owned());
    }
    if field.read_only {
        extra.push("Output only: set by the server and ignored in requests.".to_owned());
    }
    if field.deprecated {
        extra.push("Deprecated.".to_owned());
    }
    extra.extend(bytes_doc(&field.ty));
    let fallback = format!("The `{}` field.", field.json_name);
    let docs = doc_attrs(Some(described(field.description.as_deref(), &fallback)), &extra);
    let name = ident(&field.rust_name);
    // Every field is an `Option`, lists and maps included: `None` is not sent, `Some(vec![])`
    // is `[]`; `null` lives in the model's `_extra` (guide, "Field presence").
    let mut inner = type_tokens(&wire_type(&field.ty));
    if field.boxed {
        inner = quote!(Box<#inner>);
    }
    let field_type = quote!(Option<#inner>);
    quote! {
        #docs
        pub #name: #field_type,
    }
}

fn enum_tokens(def: &EnumDef) -> TokenStream {
    let docs = doc_attrs(
        def.description.as_deref(),
        &[format!(
            "Values this crate does not know yet are kept in [`{}::{}`], so they round-trip unchanged.",
            def.name, def.unknown
        )],
    );
    let name = ident(&def.name);
    let unknown = format_ident!("{}", def.unknown);
    let variants: Vec<_> = def.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = def.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = def.variants.iter().map(|v| {
        let mut extra = vec![format!("`{}`", v.value)];
        if v.deprecated {
            extra.push("Deprecated.".to_owned());
        }
        doc_attrs(v.description.as_deref(), &extra)
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value not known to this version of the crate.
            #unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #values, )*
                    #name::#unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => #name::#variants, )*
                    other => #name::#unknown(other.to_owned()),
                }
            }
        }

        discogen_runtime::open_enum_impls!(#name);
    }
}
