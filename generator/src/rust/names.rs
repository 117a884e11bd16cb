//! Typed resource names from Discovery path-parameter patterns, e.g.
//! `^projects/[^/]+/locations/[^/]+/notebookExecutionJobs/[^/]+$` ->
//! `NotebookExecutionJobName { project, location, notebook_execution_job }`.

use proc_macro2::TokenStream;
use quote::quote;

use super::idents::{camel_string, ident, singular, snake_string};

/// One segment of a name pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    /// A variable segment and its field name.
    Variable(String),
}

/// A resource-name type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameType {
    pub name: String,
    pub pattern: String,
    pub segments: Vec<Segment>,
}

impl NameType {
    /// Parses a Discovery `pattern`; `None` when it is not a plain `literal/[^/]+/...` chain
    /// (such patterns stay `String` parameters).
    pub fn from_pattern(pattern: &str) -> Option<NameType> {
        let body = pattern.strip_prefix('^')?.strip_suffix('$')?.replace("[^/]+", "*");
        let mut segments = Vec::new();
        let mut previous_literal: Option<String> = None;
        let mut fields: Vec<String> = Vec::new();
        for piece in body.split('/') {
            if piece == "*" {
                let literal = previous_literal.take()?;
                let mut field = snake_string(&singular(&literal));
                while fields.contains(&field) {
                    field.push('_');
                }
                fields.push(field.clone());
                segments.push(Segment::Variable(field));
            } else if !piece.is_empty() && piece.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                previous_literal = Some(piece.to_owned());
                segments.push(Segment::Literal(piece.to_owned()));
            } else {
                return None;
            }
        }
        if fields.is_empty() {
            return None;
        }
        // The last segment's word until `name_rule::assign` decides the crate-wide name.
        let last = segments.iter().rev().find_map(|segment| match segment {
            Segment::Literal(literal) => Some(literal.clone()),
            Segment::Variable(_) => None,
        })?;
        Some(NameType { name: format!("{}Name", camel_string(&singular(&last))), pattern: body.clone(), segments })
    }

    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Variable(field) => Some(field.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// `projects/{project}/locations/{location}` for docs.
    pub fn template(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => l.clone(),
                Segment::Variable(v) => format!("{{{v}}}"),
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// True when `child` is this name plus one `literal/{variable}` pair.
    fn parent_of(&self, child: &NameType) -> Option<(String, String)> {
        let n = self.segments.len();
        if child.segments.len() != n + 2 || child.segments[..n] != self.segments[..] {
            return None;
        }
        match (&child.segments[n], &child.segments[n + 1]) {
            (Segment::Literal(literal), Segment::Variable(field)) => Some((literal.clone(), field.clone())),
            _ => None,
        }
    }
}

/// The tokens of all name types, with constructors, `Display`, `FromStr` and child helpers.
/// Unlike models, each item keeps its own `#[cfg]` rather than sharing gated modules: on
/// aiplatform 5.1k lines against 5.3k (most names have a gate of their own, and a module's
/// deeper indentation wraps more lines).
pub fn tokens(names: &[NameType], crate_ident: &str, gates: &super::features::Gates) -> TokenStream {
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

fn name_tokens(name: &NameType, all: &[NameType], crate_ident: &str, gates: &super::features::Gates) -> TokenStream {
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
            let gate = if implies(gates.features(&name.name), child_gate) {
                quote!()
            } else {
                super::features::cfg_attribute(child_gate)
            };
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
    let gate = gates.attribute(&name.name);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_patterns_become_name_types() {
        let name = NameType::from_pattern("^projects/[^/]+/locations/[^/]+/notebookExecutionJobs/[^/]+$").unwrap();
        assert_eq!(name.name, "NotebookExecutionJobName");
        assert_eq!(name.fields().collect::<Vec<_>>(), ["project", "location", "notebook_execution_job"]);
        assert_eq!(name.pattern, "projects/*/locations/*/notebookExecutionJobs/*");
        let fixed = NameType::from_pattern("^projects/[^/]+/locations/[^/]+/publishers/google/models/[^/]+$").unwrap();
        assert_eq!(fixed.name, "ModelName");
        assert_eq!(fixed.template(), "projects/{project}/locations/{location}/publishers/google/models/{model}");
    }

    #[test]
    fn other_patterns_stay_strings() {
        assert!(NameType::from_pattern("^projects/[^/]+/locations/[^/]+/.*$").is_none());
        assert!(NameType::from_pattern("^[^/]+$").is_none());
        assert!(NameType::from_pattern("no anchors").is_none());
    }

    #[test]
    fn parent_relation_is_one_more_pair() {
        let parent = NameType::from_pattern("^projects/[^/]+/locations/[^/]+$").unwrap();
        let child = NameType::from_pattern("^projects/[^/]+/locations/[^/]+/jobs/[^/]+$").unwrap();
        assert_eq!(parent.parent_of(&child), Some(("jobs".to_owned(), "job".to_owned())));
        assert_eq!(child.parent_of(&parent), None);
    }
}
