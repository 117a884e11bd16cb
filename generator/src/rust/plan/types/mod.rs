//! Schema -> Rust type model: which structs and enums the crate defines and what type every
//! field has. Plain data; `emit::models` turns it into tokens.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use crate::ir::{Base64Alphabet, EnumValue, ScalarType, Schema};
use crate::rust::idents::{camel_string, dedupe, singular, snake_string};

pub mod composition;

/// A field or value type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    String,
    Bool,
    I32,
    U32,
    /// JSON string on the wire.
    I64,
    /// JSON string on the wire.
    U64,
    /// An OpenAPI `integer` with format `int64`: a JSON number on the wire.
    I64Number,
    F32,
    F64,
    /// `type: any`.
    Json,
    Timestamp,
    Duration,
    FieldMask,
    /// `format: byte`: base64, sent in this alphabet.
    Bytes(Base64Alphabet),
    /// A type defined in this crate (struct or enum).
    Named(String),
    /// A type from the runtime crate (`RpcStatus`, `Empty`).
    Runtime(String),
    Vec(Box<RustType>),
    Map(Box<RustType>),
}

impl RustType {
    /// The alphabet of the base64 bytes values of this type are (or contain), if any.
    pub fn bytes_alphabet(&self) -> Option<Base64Alphabet> {
        match self {
            RustType::Bytes(alphabet) => Some(*alphabet),
            RustType::Vec(inner) | RustType::Map(inner) => inner.bytes_alphabet(),
            _ => None,
        }
    }
}

/// The Rust type of a scalar value.
fn scalar_type(scalar: ScalarType) -> RustType {
    match scalar {
        ScalarType::String | ScalarType::Date => RustType::String,
        ScalarType::Boolean => RustType::Bool,
        ScalarType::Int32 => RustType::I32,
        ScalarType::UInt32 => RustType::U32,
        ScalarType::Int64 => RustType::I64,
        ScalarType::UInt64 => RustType::U64,
        ScalarType::Int64Number => RustType::I64Number,
        ScalarType::Float => RustType::F32,
        ScalarType::Double => RustType::F64,
        ScalarType::Bytes { alphabet } => RustType::Bytes(alphabet),
        // RFC 3339 text either way; `Timestamp` keeps it as sent.
        ScalarType::Timestamp => RustType::Timestamp,
        ScalarType::Duration => RustType::Duration,
        ScalarType::FieldMask => RustType::FieldMask,
        ScalarType::Any => RustType::Json,
    }
}

/// 64-bit integers travel as JSON strings. A top-level `Option` or `Vec` of them uses a serde
/// helper; deeper inside maps or nested lists they are kept as `String`.
pub fn wire_type(ty: &RustType) -> RustType {
    fn deep(ty: &RustType) -> RustType {
        match ty {
            RustType::I64 | RustType::U64 => RustType::String,
            RustType::Vec(inner) => RustType::Vec(Box::new(deep(inner))),
            RustType::Map(inner) => RustType::Map(Box::new(deep(inner))),
            other => other.clone(),
        }
    }
    match ty {
        RustType::Vec(inner) if matches!(**inner, RustType::I64 | RustType::U64) => ty.clone(),
        RustType::Vec(_) | RustType::Map(_) => deep(ty),
        other => other.clone(),
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust_name: String,
    pub json_name: String,
    pub ty: RustType,
    /// Boxed to break a recursive cycle.
    pub boxed: bool,
    pub description: Option<String>,
    pub read_only: bool,
    pub deprecated: bool,
    /// Listed in the schema's OpenAPI `required`. Documented, not enforced by the type: the
    /// field stays an `Option` (see the guide, "required properties").
    pub required: bool,
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub name: String,
    /// The schema (or `Schema.property` path) it comes from, for docs.
    pub origin: String,
    pub description: Option<String>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    pub origin: String,
    pub description: Option<String>,
    pub variants: Vec<Variant>,
    /// Name of the catch-all variant holding values this version does not know.
    pub unknown: String,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub value: String,
    pub description: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
    /// An OpenAPI `oneOf` / `anyOf` (see `composition`).
    Union(composition::UnionDef),
    /// A named schema that is not an object: `pub type X = ...`, or a transparent newtype
    /// `pub struct X(pub ...)` when the type refers back to itself (`List = Vec<List>`).
    Alias {
        name: String,
        origin: String,
        description: Option<String>,
        ty: RustType,
        newtype: bool,
    },
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
            TypeDef::Alias { name, .. } => name,
        }
    }
}

/// Builds type definitions for a closure of named schemas.
pub struct TypeBuilder<'a> {
    schemas: &'a IndexMap<String, Schema>,
    prefix: &'a str,
    runtime: &'a IndexMap<String, String>,
    /// Schema name -> Rust name, decided up front so references resolve in any order.
    named: HashMap<String, String>,
    taken: HashSet<String>,
    pub defs: Vec<TypeDef>,
    /// Enums by name before clashes are resolved and value set: every use of one field or
    /// parameter name with one value set shares a type.
    enums_by_key: HashMap<(String, Vec<String>), String>,
    reserved: HashSet<String>,
    /// Depth of inline `Vec`/map nesting of the field being typed.
    nesting: usize,
    /// Named schemas whose fields are being typed now (the one being defined and those an
    /// inline `allOf` merged in): an inline `allOf` that would expand one again is a cycle.
    expanding: Vec<String>,
    /// Enum value sets of the whole document by the name their common prefix gives.
    prefix_claims: HashMap<String, HashSet<Vec<String>>>,
    /// Enum value sets of the whole document by the field or parameter they belong to
    /// (`ValueInputOption`).
    own_claims: HashMap<String, HashSet<Vec<String>>>,
    /// Every schema's name before clashes are resolved: an enum never takes one.
    schema_names: HashSet<String>,
    /// The previous generation's enum names by use, and the value prefixes their variants
    /// leave out (see `record`).
    kept_enums: std::collections::BTreeMap<String, String>,
    kept_prefixes: std::collections::BTreeMap<String, String>,
    /// Names an enum without a kept name does not take: every kept one, and aliases' old names.
    kept_names: HashSet<String>,
    /// The previous generation's struct and alias names by schema (or inline origin), and
    /// every kept name of a type or enum: no other item takes one.
    kept_types: std::collections::BTreeMap<String, String>,
    kept_reserved: HashSet<String>,
    /// The type name chosen for each schema and inline origin.
    pub chosen_types: std::collections::BTreeMap<String, String>,
    /// The enum name chosen for each use, and the prefix each enum's variants leave out.
    pub chosen_enums: std::collections::BTreeMap<String, String>,
    pub chosen_prefixes: std::collections::BTreeMap<String, String>,
}

/// Inline lists and maps nested deeper than this become `serde_json::Value`.
const MAX_INLINE_NESTING: usize = 8;

impl<'a> TypeBuilder<'a> {
    pub fn new(
        schemas: &'a IndexMap<String, Schema>,
        prefix: &'a str,
        runtime: &'a IndexMap<String, String>,
        reserved: &[&str],
    ) -> Self {
        let reserved: HashSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
        let mut taken = reserved.clone();
        taken.extend(runtime.values().cloned());
        let mut builder = TypeBuilder {
            schemas,
            prefix,
            runtime,
            named: HashMap::new(),
            taken,
            defs: Vec::new(),
            enums_by_key: HashMap::new(),
            reserved,
            nesting: 0,
            expanding: Vec::new(),
            prefix_claims: HashMap::new(),
            own_claims: HashMap::new(),
            schema_names: HashSet::new(),
            kept_enums: Default::default(),
            kept_prefixes: Default::default(),
            kept_names: HashSet::new(),
            kept_types: Default::default(),
            kept_reserved: HashSet::new(),
            chosen_types: Default::default(),
            chosen_enums: Default::default(),
            chosen_prefixes: Default::default(),
        };
        builder.schema_names = schemas.keys().map(|schema| builder.plain_name(schema)).collect();
        for schema in schemas.values() {
            builder.claim_schema_enums(schema);
        }
        builder
    }

    /// Keeps the enum names of a previous generation (`record`): each use keeps its enum's
    /// name and variant names; an enum without one takes none of those names, nor `aliased`.
    pub fn keep_names(&mut self, previous: &crate::rust::record::NameRecord, aliased: &HashSet<String>) {
        self.kept_enums = previous.enums.clone();
        self.kept_prefixes = previous.variant_prefixes.clone();
        self.kept_names = previous.enums.values().cloned().collect();
        self.kept_names.extend(aliased.iter().cloned());
        self.kept_types = previous.types.clone();
        self.kept_reserved = self.kept_names.clone();
        self.kept_reserved.extend(previous.types.values().cloned());
    }

    /// The name kept for `key` (a schema, or an inline origin) when it is still free, else
    /// `unique(base, suffix)`; recorded under `key`.
    fn kept_or_unique(&mut self, key: &str, base: String, suffix: &str) -> String {
        let kept =
            self.kept_types.get(key).filter(|n| !self.reserved.contains(*n) && !self.taken.contains(*n)).cloned();
        let name = match kept {
            Some(kept) => {
                self.taken.insert(kept.clone());
                kept
            }
            None => self.unique(base, suffix),
        };
        self.chosen_types.entry(key.to_owned()).or_insert_with(|| name.clone());
        name
    }

    /// The Rust name for a named schema (stable, unique).
    pub fn schema_type_name(&mut self, schema: &str) -> String {
        if let Some(name) = self.named.get(schema) {
            return name.clone();
        }
        let name = self.kept_or_unique(schema, self.plain_name(schema), "Schema");
        self.named.insert(schema.to_owned(), name.clone());
        name
    }

    /// A schema's name without the configured prefix, before clashes are resolved.
    fn plain_name(&self, schema: &str) -> String {
        camel_string(without_prefix(schema, self.prefix, self.schemas))
    }

    /// `base`, else `base` + `suffix` (a word saying what kind of item it is), else that with
    /// `_` appended until it is free. Never a number: a numbered name cannot be guessed and
    /// changes when the document adds an item elsewhere.
    fn unique(&mut self, base: String, suffix: &str) -> String {
        let base = if self.reserved.contains(&base) { format!("{base}Schema") } else { base };
        // A name the previous generation gave another item stays that item's.
        let free = |this: &Self, name: &String| !this.taken.contains(name) && !this.kept_reserved.contains(name);
        if free(self, &base) {
            self.taken.insert(base.clone());
            return base;
        }
        let mut name = if base.ends_with(suffix) { format!("{base}_") } else { format!("{base}{suffix}") };
        while !free(self, &name) {
            name.push('_');
        }
        self.taken.insert(name.clone());
        name
    }

    /// Records an enum's values, and the field or parameter name it belongs to (`own`), before
    /// any type is named: an enum takes its values' common prefix as name (`JOB_STATE_*` ->
    /// `JobState`) only when no other enum of the document has that prefix with other values,
    /// else its own name (`valueInputOption` -> `ValueInputOption`) only when every enum of
    /// that name has these values.
    pub fn claim_enum(&mut self, values: &[EnumValue], own: Option<&str>) {
        let key: Vec<String> = values.iter().map(|v| v.value.clone()).collect();
        let prefix = common_prefix(&key);
        if prefix.len() > 1 {
            self.prefix_claims.entry(camel_string(prefix.trim_end_matches('_'))).or_default().insert(key.clone());
        }
        if let Some(own) = own.filter(|own| !own.is_empty()) {
            self.own_claims.entry(camel_string(own)).or_default().insert(key);
        }
    }

    /// Claims the enums of `schema` and of everything inline in it (iteratively: inline
    /// nesting can be as deep as the JSON parser allows), with the names `field_type` gives
    /// them.
    fn claim_schema_enums(&mut self, schema: &'a Schema) {
        let mut stack: Vec<(&Schema, Option<String>)> = vec![(schema, None)];
        while let Some((schema, own)) = stack.pop() {
            if !schema.enum_values.is_empty() {
                self.claim_enum(&schema.enum_values, own.as_deref());
            }
            stack.extend(schema.properties.iter().map(|p| (&p.schema, Some(p.name.clone()))));
            stack.extend(schema.items.iter().map(|items| (&**items, own.as_deref().map(singular))));
            stack.extend(schema.additional_properties.iter().map(|values| (&**values, None)));
            stack.extend(schema.all_of.iter().map(|member| (member, own.clone())));
            stack.extend(schema.one_of.iter().chain(&schema.any_of).map(|member| (member, None)));
        }
    }

    /// Defines every schema in `closure` (names of named schemas, in order).
    pub fn define_all(&mut self, closure: &[String]) {
        for schema in closure {
            self.schema_type_name(schema);
        }
        for schema_name in closure {
            let Some(schema) = self.schemas.get(schema_name) else { continue };
            let name = self.schema_type_name(schema_name);
            self.expanding.push(schema_name.clone());
            let def = self.define(&name, schema_name, schema);
            self.expanding.pop();
            self.defs.push(def);
        }
        self.break_alias_cycles();
        self.box_cycles();
    }

    /// The type of a schema used in a field position; inline objects and enums become new
    /// definitions named after `context`.
    pub fn field_type(&mut self, schema: &Schema, context: &str, origin: &str) -> RustType {
        self.own_field_type(schema, context, None, origin)
    }

    /// [`Self::field_type`] of a field or parameter called `own` (its enum may take that name).
    pub fn own_field_type(&mut self, schema: &Schema, context: &str, own: Option<&str>, origin: &str) -> RustType {
        if let Some(target) = &schema.reference {
            if let Some(runtime) = self.runtime.get(target) {
                return RustType::Runtime(runtime.clone());
            }
            return RustType::Named(self.schema_type_name(target));
        }
        if !schema.enum_values.is_empty() {
            let description = schema.description.clone();
            return RustType::Named(self.enum_type(&schema.enum_values, description, context, own, origin));
        }
        if let Some(member) = composition::lone_reference(schema) {
            return self.own_field_type(member, context, own, origin);
        }
        if composition::is_composed(schema) && self.nesting < MAX_INLINE_NESTING {
            let merged = self.merged_all_of(schema);
            // A recursive inline `allOf` has no finite set of types: JSON at the repeat.
            if merged.as_ref().is_some_and(|(_, followed)| self.reenters(followed)) {
                return RustType::Json;
            }
            let name = self.kept_or_unique(origin, camel_string(context), "Object");
            let def = self.define_with(&name, origin, schema, merged);
            self.defs.push(def);
            return RustType::Named(name);
        }
        if let Some(scalar) = schema.scalar {
            return scalar_type(scalar);
        }
        match schema.json_type.as_deref() {
            // Absurdly deep inline nesting would overflow rustc's type checks: stop at JSON.
            Some("array" | "object") if self.nesting >= MAX_INLINE_NESTING => RustType::Json,
            Some("array") => match &schema.items {
                Some(items) => {
                    self.nesting += 1;
                    let own = own.map(singular);
                    let inner = self.own_field_type(items, &format!("{context}Item"), own.as_deref(), origin);
                    self.nesting -= 1;
                    RustType::Vec(Box::new(inner))
                }
                None => RustType::Vec(Box::new(RustType::Json)),
            },
            Some("object") if !schema.properties.is_empty() => {
                let name = self.kept_or_unique(origin, camel_string(context), "Object");
                let def = self.define(&name, origin, schema);
                self.defs.push(def);
                RustType::Named(name)
            }
            Some("object") => match &schema.additional_properties {
                Some(values) => {
                    self.nesting += 1;
                    let inner = self.field_type(values, &format!("{context}Value"), origin);
                    self.nesting -= 1;
                    RustType::Map(Box::new(inner))
                }
                None => RustType::Json,
            },
            _ => RustType::Json,
        }
    }

    /// An open enum for a value set, named by its values' prefix, else by its own field or
    /// parameter name (`own`), else by `context`; every use of one such name with one value
    /// set shares the type (never a type named after an unrelated field with equal values).
    pub fn enum_type(
        &mut self,
        values: &[EnumValue],
        description: Option<String>,
        context: &str,
        own: Option<&str>,
        origin: &str,
    ) -> String {
        let key: Vec<String> = values.iter().map(|v| v.value.clone()).collect();
        let prefix = common_prefix(&key);
        let prefix_name = camel_string(prefix.trim_end_matches('_'));
        let own_name = own.map(camel_string).unwrap_or_default();
        let free = |name: &String| !self.schema_names.contains(name) && !self.reserved.contains(name);
        let owned_prefix = prefix.len() > 1
            && self.prefix_claims.get(&prefix_name).is_none_or(|sets| sets.len() == 1)
            && free(&prefix_name);
        let owned_name = !own_name.is_empty()
            && self.own_claims.get(&own_name).is_some_and(|sets| sets.len() == 1 && sets.contains(&key))
            && free(&own_name);
        // A kept name is kept even when a newer schema's name is the same: that schema yields.
        let kept = self.kept_enums.get(origin).filter(|name| !self.reserved.contains(*name)).cloned();
        let base = if let Some(kept) = &kept {
            kept.clone()
        } else if owned_prefix && !self.kept_names.contains(&prefix_name) {
            prefix_name
        } else if owned_name && !self.kept_names.contains(&own_name) {
            own_name
        } else {
            camel_string(context)
        };
        if let Some(name) = self.enums_by_key.get(&(base.clone(), key.clone())) {
            let name = name.clone();
            self.chosen_enums.entry(origin.to_owned()).or_insert_with(|| name.clone());
            return name;
        }
        let name = match &kept {
            Some(kept) if *kept == base && !self.taken.contains(kept) => {
                self.taken.insert(kept.clone());
                kept.clone()
            }
            _ => self.unique(base.clone(), "Enum"),
        };
        // A kept enum keeps its variants: they leave out the prefix they left out before
        // (where a value has it), not the prefix of today's values.
        let prefix = match &kept {
            Some(kept) if *kept == name => self.kept_prefixes.get(kept).cloned().unwrap_or_default(),
            _ => prefix,
        };
        let strip = |value: &str| -> String {
            match value.strip_prefix(prefix.as_str()) {
                Some(rest) if rest.starts_with(|c: char| c.is_ascii_alphabetic()) => rest.to_owned(),
                _ => value.to_owned(),
            }
        };
        let mut names: Vec<String> = key.iter().map(|value| camel_string(&strip(value))).collect();
        dedupe(&mut names);
        // The catch-all variant must not collide with a value's variant.
        let mut unknown = "Unknown".to_owned();
        if names.contains(&unknown) {
            unknown = "UnknownValue".to_owned();
        }
        while names.contains(&unknown) {
            unknown.push('_');
        }
        let variants = values
            .iter()
            .zip(names)
            .map(|(value, name)| Variant {
                name,
                value: value.value.clone(),
                description: value.description.clone(),
                deprecated: value.deprecated,
            })
            .collect();
        self.defs.push(TypeDef::Enum(EnumDef {
            name: name.clone(),
            origin: origin.to_owned(),
            description,
            variants,
            unknown,
        }));
        self.enums_by_key.insert((base, key), name.clone());
        self.chosen_enums.entry(origin.to_owned()).or_insert_with(|| name.clone());
        if !prefix.is_empty() {
            self.chosen_prefixes.insert(name.clone(), prefix);
        }
        name
    }

    fn define(&mut self, name: &str, origin: &str, schema: &Schema) -> TypeDef {
        let merged = self.merged_all_of(schema);
        self.define_with(name, origin, schema, merged)
    }

    /// [`Self::define`] with the schema's `allOf` merge already done (`merged_all_of`).
    fn define_with(
        &mut self,
        name: &str,
        origin: &str,
        schema: &Schema,
        merged: Option<(Schema, HashSet<String>)>,
    ) -> TypeDef {
        if let Some(union) = self.union_def(name, origin, schema) {
            return union;
        }
        let (merged, followed) = merged.unzip();
        let schema = merged.as_ref().unwrap_or(schema);
        let followed: Vec<String> = followed.into_iter().flatten().collect();
        let expanding = self.expanding.len();
        self.expanding.extend(followed);
        let def = self.define_merged(name, origin, schema);
        self.expanding.truncate(expanding);
        def
    }

    /// A struct or alias for a schema whose `allOf` is merged already.
    fn define_merged(&mut self, name: &str, origin: &str, schema: &Schema) -> TypeDef {
        let is_object = schema.json_type.as_deref() == Some("object") || !schema.properties.is_empty();
        if !is_object || (schema.properties.is_empty() && schema.additional_properties.is_some()) {
            let ty = match schema.json_type.as_deref() {
                Some("object") | None if schema.additional_properties.is_none() => RustType::Json,
                _ => self.field_type(&Schema { id: None, ..schema.clone() }, &format!("{name}Value"), origin),
            };
            return TypeDef::Alias {
                name: name.to_owned(),
                origin: origin.to_owned(),
                description: schema.description.clone(),
                ty,
                newtype: false,
            };
        }
        let mut rust_names: Vec<String> = schema.properties.iter().map(|p| snake_string(&p.name)).collect();
        dedupe(&mut rust_names);
        let fields = schema
            .properties
            .iter()
            .zip(rust_names)
            .map(|(property, rust_name)| {
                let context = format!("{name}{}", camel_string(&property.name));
                let origin = format!("{origin}.{}", property.name);
                let lone_reference = composition::lone_reference(&property.schema);
                let description = property
                    .schema
                    .description
                    .clone()
                    .or_else(|| composition::annotation_description(&property.schema).cloned())
                    .or_else(|| {
                        let target = (property.schema.reference.as_ref())
                            .or_else(|| lone_reference.and_then(|member| member.reference.as_ref()))?;
                        self.schemas.get(target)?.description.clone()
                    });
                Field {
                    ty: self.own_field_type(&property.schema, &context, Some(&property.name), &origin),
                    rust_name,
                    json_name: property.name.clone(),
                    boxed: false,
                    description,
                    read_only: property.schema.read_only,
                    deprecated: property.schema.deprecated,
                    required: schema.required.contains(&property.name),
                }
            })
            .collect();
        TypeDef::Struct(StructDef {
            name: name.to_owned(),
            origin: origin.to_owned(),
            description: schema.description.clone(),
            fields,
        })
    }

    /// Type aliases cannot refer to themselves, even through `Vec`: make those newtypes.
    fn break_alias_cycles(&mut self) {
        let aliases: HashMap<String, RustType> = self
            .defs
            .iter()
            .filter_map(|def| match def {
                TypeDef::Alias { name, ty, .. } => Some((name.clone(), ty.clone())),
                _ => None,
            })
            .collect();
        let cyclic: HashSet<String> = aliases
            .keys()
            .filter(|start| {
                let mut stack: Vec<&RustType> = vec![&aliases[*start]];
                let mut seen = HashSet::new();
                while let Some(ty) = stack.pop() {
                    match ty {
                        RustType::Named(name) if name == *start => return true,
                        RustType::Named(name) => {
                            if let Some(next) = aliases.get(name).filter(|_| seen.insert(name.clone())) {
                                stack.push(next);
                            }
                        }
                        RustType::Vec(inner) | RustType::Map(inner) => stack.push(inner),
                        _ => {}
                    }
                }
                false
            })
            .cloned()
            .collect();
        for def in &mut self.defs {
            if let TypeDef::Alias { name, newtype, .. } = def {
                *newtype = cyclic.contains(name.as_str());
            }
        }
    }

    /// Boxes direct (non-`Vec`, non-map) fields that lead back to their own struct: a field
    /// whose target lies in the same strongly connected component as its struct.
    fn box_cycles(&mut self) {
        let index: HashMap<&str, usize> = self.defs.iter().enumerate().map(|(i, def)| (def.name(), i)).collect();
        let edges: Vec<Vec<usize>> = self
            .defs
            .iter()
            .map(|def| match def {
                TypeDef::Struct(s) => s
                    .fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        RustType::Named(n) => index.get(n.as_str()).copied(),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let component = strongly_connected_components(&edges);
        let to_box: Vec<(usize, usize)> = self
            .defs
            .iter()
            .enumerate()
            .filter_map(|(owner, def)| match def {
                TypeDef::Struct(s) => Some((owner, s)),
                _ => None,
            })
            .flat_map(|(owner, s)| {
                let (index, component) = (&index, &component);
                s.fields.iter().enumerate().filter_map(move |(i, field)| match &field.ty {
                    RustType::Named(target) => {
                        let target = *index.get(target.as_str())?;
                        // Same component: a cycle (a field pointing at its own struct included).
                        (component[target] == component[owner]).then_some((owner, i))
                    }
                    _ => None,
                })
            })
            .collect();
        for (owner, i) in to_box {
            if let TypeDef::Struct(s) = &mut self.defs[owner] {
                s.fields[i].boxed = true;
            }
        }
    }
}

/// Component number of every node (Kosaraju, iterative so that long chains of thousands of
/// schemas cannot overflow the stack).
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    // First pass: nodes in order of DFS completion.
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&child) = edges[*node].get(*next) {
                *next += 1;
                if !visited[child] {
                    visited[child] = true;
                    stack.push((child, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    // Second pass on the reversed graph, in reverse completion order.
    let mut reversed = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reversed[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = count;
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &from in &reversed[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

/// The longest prefix ending in `_` shared by all values (empty if any value would be left
/// empty or start with a digit).
/// `schema` without the API's own prefix (`GoogleCloudAiplatformV1Model` -> `Model`) when that
/// leaves a name (starting a new word) that no other schema of the document has.
pub fn without_prefix<'s>(schema: &'s str, prefix: &str, schemas: &IndexMap<String, Schema>) -> &'s str {
    match schema.strip_prefix(prefix) {
        Some(rest)
            if !prefix.is_empty()
                && rest.starts_with(|c: char| c.is_ascii_uppercase())
                && !schemas.contains_key(rest) =>
        {
            rest
        }
        _ => schema,
    }
}

fn common_prefix(values: &[String]) -> String {
    let Some(first) = values.first() else { return String::new() };
    let mut prefix: &str = first;
    for value in &values[1..] {
        while !value.starts_with(prefix) {
            // Shorten by one character (not byte): values may be non-ASCII.
            let cut = prefix.char_indices().last().map_or(0, |(at, _)| at);
            prefix = &prefix[..cut];
        }
    }
    let prefix = match prefix.rfind('_') {
        Some(at) => &prefix[..=at],
        None => return String::new(),
    };
    let usable = values.iter().all(|v| {
        let rest = &v[prefix.len()..];
        !rest.is_empty() && rest.starts_with(|c: char| c.is_ascii_alphabetic())
    });
    if usable && values.len() > 1 {
        prefix.to_owned()
    } else {
        String::new()
    }
}

/// Named schemas reachable from `roots` through properties, items and map values, in
/// discovery order of first reach (runtime-provided schemas are not followed).
pub fn closure(
    schemas: &IndexMap<String, Schema>,
    roots: &[String],
    runtime: &IndexMap<String, String>,
) -> Vec<String> {
    fn visit(schema: &Schema, out: &mut Vec<String>) {
        if let Some(target) = &schema.reference {
            out.push(target.clone());
        }
        for property in &schema.properties {
            visit(&property.schema, out);
        }
        if let Some(items) = &schema.items {
            visit(items, out);
        }
        if let Some(values) = &schema.additional_properties {
            visit(values, out);
        }
        for member in schema.all_of.iter().chain(&schema.one_of).chain(&schema.any_of) {
            visit(member, out);
        }
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut order = Vec::new();
    let mut queue: std::collections::VecDeque<String> = roots.iter().cloned().collect();
    while let Some(name) = queue.pop_front() {
        if runtime.contains_key(&name) || !seen.insert(name.clone()) {
            continue;
        }
        let Some(schema) = schemas.get(&name) else { continue };
        order.push(name);
        let mut refs = Vec::new();
        visit(schema, &mut refs);
        queue.extend(refs);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_group_cycles_only() {
        // 0 -> 1 -> 0 is a cycle; 2 -> 0 is not part of it; 3 -> 3 is a self loop.
        let component = strongly_connected_components(&[vec![1], vec![0], vec![0], vec![3]]);
        assert_eq!(component[0], component[1]);
        assert_ne!(component[2], component[0]);
        assert_ne!(component[3], component[0]);
    }

    #[test]
    fn common_prefix_stops_at_underscores() {
        let values = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(common_prefix(&values(&["JOB_STATE_A", "JOB_STATE_B"])), "JOB_STATE_");
        assert_eq!(common_prefix(&values(&["VIEW_1", "VIEW_2"])), "");
        assert_eq!(common_prefix(&values(&["A", "B"])), "");
        assert_eq!(common_prefix(&values(&["STATE_A"])), "");
        assert_eq!(common_prefix(&values(&["é_A", "e_B"])), "");
        assert_eq!(common_prefix(&values(&["ÉTAT_A", "ÉTAT_B"])), "ÉTAT_");
    }
}
