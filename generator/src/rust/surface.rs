//! The public API of a generated crate as data, and the change between two of them
//! (`discogen diff`): what a user's code names (accessors, methods and their arguments,
//! setters, types, fields, enum variants, resource names, features) with what it depends on in
//! each, from the crate plan rather than from the text of the code.
//!
//! Each change is classed by what it does to code written against the old crate:
//! - removed or changed items break it (a changed signature is a changed argument, field or
//!   alias type, or a method's required arguments);
//! - added items do not, by these crates' conventions: models are built with
//!   `..Default::default()` (every field is optional and examples are written that way), and
//!   enums are open (values the crate does not know decode as `Unknown`), so code matching them
//!   has a catch-all arm. Rust's own rules (and `cargo-semver-checks`) call an added field of a
//!   constructible struct and an added variant of an exhaustive enum breaking; a struct literal
//!   naming every field, or a `match` without a catch-all, is not supported use of these crates.

use std::collections::BTreeMap;
use std::fmt;

use super::emit::models::type_tokens;
use super::plan::types::wire_type;
use super::plan::{self, CratePlan};
use super::plan::{PathType, QueryParam, ResourcePlan, Response};
use super::plan::{RustType, TypeDef};
use crate::config::ClientConfig;
use crate::error::Result;
use crate::ir::Api;

/// What kind of item a public path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Feature,
    Resource,
    Method,
    Setter,
    Type,
    Field,
    Variant,
    Name,
}

impl Kind {
    /// The kind as the diff's text and JSON name it (`method`, `setter`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Feature => "feature",
            Kind::Resource => "resource",
            Kind::Method => "method",
            Kind::Setter => "setter",
            Kind::Type => "type",
            Kind::Field => "field",
            Kind::Variant => "variant",
            Kind::Name => "name",
        }
    }
}

/// A crate's public items: path -> (kind, what code using it depends on).
#[derive(Debug, Default, PartialEq)]
pub struct Surface {
    pub crate_name: String,
    pub version: String,
    pub items: BTreeMap<String, (Kind, String)>,
}

/// The public items of the crate `config` generates from `api`.
pub fn surface(api: &Api, config: &ClientConfig) -> Result<Surface> {
    Ok(surface_and_names(api, config)?.0)
}

/// [`surface`] and the names the generation chose (its `names.json`): a diff generates the
/// new revision keeping the old one's names, as `cargo xtask regen` does.
pub fn surface_and_names(api: &Api, config: &ClientConfig) -> Result<(Surface, super::record::NameRecord)> {
    let plan = plan::build(api, config)?;
    let mut surface =
        Surface { crate_name: config.crate_name.clone(), version: config.version.clone(), ..Surface::default() };
    let mut add = |path: String, kind: Kind, signature: String| {
        surface.items.insert(path, (kind, signature));
    };
    for resource in &plan.resources {
        resource_items(resource, &mut add);
    }
    type_items(&plan, &mut add);
    Ok((surface, plan.record))
}

fn resource_items(resource: &ResourcePlan, add: &mut impl FnMut(String, Kind, String)) {
    let reach = resource.reach("client");
    if let Some(feature) = &resource.feature {
        add(format!("feature {feature}"), Kind::Feature, String::new());
    }
    add(reach.clone(), Kind::Resource, format!("{}::{}", resource.module, resource.handle));
    for method in &resource.methods {
        let call = format!("{reach}.{}", method.name);
        let mut arguments: Vec<String> = method
            .path_params
            .iter()
            .map(|p| match &p.ty {
                PathType::Name(name, _) => format!("{}: {name}", p.field),
                PathType::String => format!("{}: String", p.field),
            })
            .collect();
        arguments.extend(method.query.iter().filter(|q| q.required).map(|q| format!("{}: {}", q.field, query_type(q))));
        arguments.extend(method.body.iter().map(|body| format!("body: {}", text(body))));
        // What `send()` returns: a changed response type breaks code that names or reads it.
        let output = match &method.response {
            Response::Empty => "()".to_owned(),
            Response::Json(ty) => text(ty),
            Response::Operation { result, metadata, .. } => {
                format!("discogen_runtime::Operation<{},{}>", text(result), text(metadata))
            }
            Response::DiscoveryOperation { operation, resource, .. } => {
                format!("discogen_runtime::lro::DiscoveryOperation<{},{}>", text(operation), text(resource))
            }
        };
        add(call.clone(), Kind::Method, format!("({}) -> {} (send: {output})", arguments.join(", "), method.builder));
        for query in method.query.iter().filter(|q| !q.required) {
            add(format!("{call}(..).{}", query.field), Kind::Setter, query_type(query));
        }
        if method.upload.is_some() {
            add(format!("{call}(..).upload"), Kind::Setter, "MediaSource".to_owned());
        }
        if method.download {
            add(format!("{call}(..).download"), Kind::Setter, String::new());
        }
    }
}

fn type_items(plan: &CratePlan, add: &mut impl FnMut(String, Kind, String)) {
    for def in &plan.types {
        match def {
            TypeDef::Struct(s) => {
                add(s.name.clone(), Kind::Type, "struct".to_owned());
                // The type the field is declared with (inside its `Option`): boxed to break a
                // cycle, nested 64-bit integers as strings.
                for field in &s.fields {
                    let ty = text(&wire_type(&field.ty));
                    let ty = if field.boxed { format!("Box<{ty}>") } else { ty };
                    add(format!("{}.{}", s.name, field.rust_name), Kind::Field, ty);
                }
            }
            TypeDef::Enum(e) => {
                add(e.name.clone(), Kind::Type, "enum".to_owned());
                for variant in &e.variants {
                    add(format!("{}::{}", e.name, variant.name), Kind::Variant, variant.value.clone());
                }
            }
            TypeDef::Union(u) => {
                add(u.name.clone(), Kind::Type, "enum (one of)".to_owned());
                for variant in &u.variants {
                    add(format!("{}::{}", u.name, variant.name), Kind::Variant, text(&variant.ty));
                }
            }
            TypeDef::Alias { name, ty, .. } => add(name.clone(), Kind::Type, format!("= {}", text(ty))),
        }
    }
    for name in plan.names.iter().map(|name| &name.ty) {
        add(name.name.clone(), Kind::Name, name.template());
    }
    for (old, new) in &plan.aliases {
        add(old.clone(), Kind::Type, format!("= {new} (deprecated)"));
    }
}

/// A type as code names it, without the crate path.
/// What a query parameter takes: `[T]` when repeated (any iterable of values), else `T`.
fn query_type(query: &QueryParam) -> String {
    if query.repeated {
        format!("[{}]", text(&query.ty))
    } else {
        text(&query.ty)
    }
}

fn text(ty: &RustType) -> String {
    type_tokens(ty).to_string().replace(' ', "").replace("crate::", "").replace("discogen_runtime::wkt::", "")
}

/// How code written against the old crate fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
    /// A type that is now a `#[deprecated]` alias of another with the same definition (its
    /// name could not be kept): code naming it, its fields or its variants still compiles,
    /// with a warning.
    Deprecated,
}

impl Change {
    /// The word the text and the JSON report use.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Deprecated => "deprecated",
        }
    }
}

/// One item that differs between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChange {
    pub path: String,
    pub kind: Kind,
    pub change: Change,
    /// The old and new signature (empty on the side where the item is absent).
    pub old: String,
    pub new: String,
}

impl ItemChange {
    /// Whether code written against the old crate may stop compiling (see the module docs).
    pub fn breaking(&self) -> bool {
        matches!(self.change, Change::Removed | Change::Changed)
    }
}

/// The changes from `old` to `new`, breaking first, each group by path.
///
/// An old type that is now a deprecated alias (`= Target (deprecated)`) is seen through, as the
/// compiler does: its fields and variants are looked up under the target, and signatures that
/// name it are compared with the target's name in its place.
pub fn diff(old: &Surface, new: &Surface) -> Vec<ItemChange> {
    let aliases: BTreeMap<&str, &str> = new
        .items
        .iter()
        .filter(|(_, (kind, _))| *kind == Kind::Type)
        .filter_map(|(path, (_, s))| Some((path.as_str(), s.strip_prefix("= ")?.strip_suffix(" (deprecated)")?)))
        .collect();
    // An old signature with each name that is now an alias written as its target.
    let through_aliases = |signature: &str| -> String {
        if aliases.is_empty() {
            return signature.to_owned();
        }
        let mut out = String::new();
        let mut word = String::new();
        for c in signature.chars().chain(std::iter::once(' ')) {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
                continue;
            }
            out.push_str(aliases.get(word.as_str()).copied().unwrap_or(&word));
            word.clear();
            out.push(c);
        }
        out.pop();
        out
    };
    // The item a path names in `new`: itself, or under the alias's target.
    let lookup = |path: &str| {
        new.items.get(path).or_else(|| {
            let end = path.find(['.', ':']).unwrap_or(path.len());
            let target = aliases.get(&path[..end])?;
            new.items.get(&format!("{target}{}", &path[end..]))
        })
    };
    let mut changes = Vec::new();
    for (path, (kind, signature)) in &old.items {
        if let (Kind::Type, Some(target)) = (kind, aliases.get(path.as_str())) {
            if !signature.starts_with("= ") {
                let same = new.items.get(*target).is_some_and(|(k, s)| k == kind && *s == through_aliases(signature));
                changes.push(ItemChange {
                    path: path.clone(),
                    kind: *kind,
                    change: if same { Change::Deprecated } else { Change::Changed },
                    old: signature.clone(),
                    new: new.items[path].1.clone(),
                });
                continue;
            }
        }
        match lookup(path) {
            None => changes.push(ItemChange {
                path: path.clone(),
                kind: *kind,
                change: Change::Removed,
                old: signature.clone(),
                new: String::new(),
            }),
            Some((new_kind, new_signature)) if new_kind != kind || *new_signature != through_aliases(signature) => {
                changes.push(ItemChange {
                    path: path.clone(),
                    kind: *kind,
                    change: Change::Changed,
                    old: signature.clone(),
                    new: new_signature.clone(),
                })
            }
            Some(_) => {}
        }
    }
    for (path, (kind, signature)) in &new.items {
        if !old.items.contains_key(path) {
            changes.push(ItemChange {
                path: path.clone(),
                kind: *kind,
                change: Change::Added,
                old: String::new(),
                new: signature.clone(),
            });
        }
    }
    changes.sort_by_key(|c| !c.breaking());
    changes
}

/// The changes of one crate for people: a summary line, then one line per change.
pub struct Report<'a> {
    pub crate_name: &'a str,
    pub changes: &'a [ItemChange],
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let breaking = self.changes.iter().filter(|c| c.breaking()).count();
        writeln!(f, "{}: {breaking} breaking, {} compatible", self.crate_name, self.changes.len() - breaking)?;
        for change in self.changes {
            let class = if change.breaking() { "breaking  " } else { "compatible" };
            let what = format!("{:<8} {} {}", change.change.as_str(), change.kind.as_str(), change.path);
            let signature = match change.change {
                Change::Added if !change.new.is_empty() => format!(": {}", change.new),
                Change::Removed if !change.old.is_empty() => format!(": {}", change.old),
                Change::Changed | Change::Deprecated => format!(": {} -> {}", change.old, change.new),
                _ => String::new(),
            };
            writeln!(f, "{class} {what}{signature}")?;
        }
        Ok(())
    }
}

/// The changes as JSON for tools.
pub fn json(crate_name: &str, changes: &[ItemChange]) -> serde_json::Value {
    let items: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "path": c.path,
                "kind": c.kind.as_str(),
                "change": c.change.as_str(),
                "breaking": c.breaking(),
                "old": c.old,
                "new": c.new,
            })
        })
        .collect();
    serde_json::json!({
        "crate": crate_name,
        "breaking": changes.iter().filter(|c| c.breaking()).count(),
        "compatible": changes.iter().filter(|c| !c.breaking()).count(),
        "changes": items,
    })
}
