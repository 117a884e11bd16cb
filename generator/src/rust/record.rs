//! The names record (`crate::record`) as the Rust emitter uses it, and what a rename is.

pub use crate::record::{NameRecord, FILE};

/// The changes from `old` to `new` (`surface::diff`) that rename an item the new revision still
/// has: a resource-name type whose pattern is now under another name (or whose name is now
/// another pattern's), a type whose members reappear under another name (or that lost fields a
/// new type has: its name went to another schema), an enum variant whose
/// value is now under another variant name, a resource accessor whose module or handle type
/// changed. Removals of what the document removed are not renames; a method, field or setter
/// whose signature changed only because a type in it was renamed is counted once, as that
/// type. One line per rename.
pub fn renames(old: &super::surface::Surface, new: &super::surface::Surface) -> Vec<String> {
    use super::surface::{Change, ItemChange, Kind, Surface};
    let changes = &super::surface::diff(old, new);
    let added = |kind: Kind| changes.iter().filter(move |c| c.kind == kind && c.change == Change::Added);
    // A type's fields as (name, type) and its variants' values.
    let members = |name: &str, side: Change| -> (Vec<(String, String)>, Vec<String>) {
        let (mut fields, mut values) = (Vec::new(), Vec::new());
        for c in changes.iter().filter(|c| c.change == side) {
            let signature = if side == Change::Added { &c.new } else { &c.old };
            let Some(rest) = c.path.strip_prefix(name) else { continue };
            match c.kind {
                Kind::Field if rest.starts_with('.') => fields.push((rest.to_owned(), signature.clone())),
                Kind::Variant if rest.starts_with("::") => values.push(signature.clone()),
                _ => {}
            }
        }
        fields.sort();
        (fields, values)
    };
    let mut renames = Vec::new();
    for change in changes.iter().filter(|c| c.change != Change::Added) {
        let removed = change.change == Change::Removed;
        let found = match change.kind {
            _ if change.change == Change::Deprecated => Some(format!("now {}", change.new)),
            Kind::Name if !removed => Some(format!("now names {}", change.new)),
            Kind::Name => added(Kind::Name).find(|a| a.new == change.old).map(|a| format!("now {}", a.path)),
            Kind::Resource if !removed => Some(format!("now {}", change.new)),
            Kind::Variant if !removed => Some(format!("now the value {}", change.new)),
            Kind::Variant => {
                let owner = change.path.rsplit_once("::").map_or("", |(owner, _)| owner);
                added(Kind::Variant)
                    .find(|a| a.new == change.old && a.path.rsplit_once("::").is_some_and(|(o, _)| o == owner))
                    .map(|a| format!("now {}", a.path))
            }
            // The same fields, or every old value among the new ones.
            Kind::Type if removed => {
                let (fields, values) = members(&change.path, Change::Removed);
                let same = |a: &&ItemChange| {
                    let (new_fields, new_values) = members(&a.path, Change::Added);
                    new_fields == fields && values.iter().all(|v| new_values.contains(v))
                };
                let empty = fields.is_empty() && values.is_empty();
                (!empty).then(|| added(Kind::Type).find(same)).flatten().map(|a| format!("now {}", a.path))
            }
            _ => None,
        };
        if let Some(found) = found {
            renames.push(format!("{} {}: {found}", format!("{:?}", change.kind).to_lowercase(), change.path));
        }
    }
    // A type that stays but whose fields all went to a new type: its name now names another
    // schema.
    let fields = |surface: &Surface, owner: &str| -> Vec<(String, String)> {
        let prefix = format!("{owner}.");
        let mut found: Vec<(String, String)> = surface
            .items
            .range(prefix.clone()..)
            .take_while(|(path, _)| path.starts_with(&prefix))
            .filter(|(_, (kind, _))| *kind == Kind::Field)
            .map(|(path, (_, signature))| (path[prefix.len()..].to_owned(), signature.clone()))
            .collect();
        found.sort();
        found
    };
    let mut owners: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == Kind::Field && c.change == Change::Removed)
        .filter_map(|c| c.path.split_once('.').map(|(owner, _)| owner))
        .filter(|owner| new.items.contains_key(*owner))
        .collect();
    owners.dedup();
    for owner in owners {
        let had = fields(old, owner);
        let moved = added(Kind::Type).find(|a| {
            let now = fields(new, &a.path);
            had.iter().all(|field| now.contains(field))
        });
        if let Some(moved) = moved {
            renames.push(format!("type {owner}: now {} (its fields are there)", moved.path));
        }
    }
    renames
}
