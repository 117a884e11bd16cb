//! How a user reaches a resource: one accessor per segment of the method id, the same rule in
//! every API. `gmail.users.messages.send` is `client.users().messages().send(..)` and
//! `pubsub.projects.subscriptions.pull` is `client.projects().subscriptions().pull(..)`, as
//! Google's other Discovery clients nest them. A resource that has no methods of its own
//! (pubsub's `projects`) still gets a handle, with only the accessors of its children.

use std::collections::BTreeMap;

use super::resource::{ResourcePlan, TAKEN_MODULES};
use crate::rust::idents::{camel_string, dedupe, snake_string, spelled};

/// Methods of the generated `Client` an accessor must not shadow.
pub const CLIENT_METHODS: [&str; 3] = ["builder", "from_runtime", "runtime"];

/// Adds the method-less ancestors of nested resources, and fills every resource's accessor
/// path and children. Modules of resources with methods keep the names they had; an ancestor
/// keeps the module the previous generation gave it (`kept`, chain -> module) when it is free.
pub fn nest(resources: &mut Vec<ResourcePlan>, kept: &BTreeMap<String, String>) {
    add_ancestors(resources, kept);
    // Parents before children: a child's path extends its parent's.
    let mut order: Vec<usize> = (0..resources.len()).collect();
    order.sort_by_key(|&i| resources[i].segments.len());
    for index in order {
        let segments = resources[index].segments.clone();
        let parent =
            segments.split_last().filter(|(_, above)| !above.is_empty()).and_then(|(_, above)| find(resources, above));
        let Some(parent) = parent else {
            resources[index].accessors = vec![top_level_accessor(resources, &segments)];
            continue;
        };
        let mut path = resources[parent].accessors.clone();
        path.push(child_accessor(resources, parent, segments.last().map_or("", String::as_str)));
        resources[index].accessors = path;
        resources[parent].children.push(index);
    }
}

/// The accessors of resources with methods that nested (`client.messages()` before it was
/// `client.users().messages()`): their module's name, kept where no top-level accessor or
/// client method has it.
pub fn keep_moved_accessors(resources: &mut [ResourcePlan]) {
    let top_level: Vec<String> =
        resources.iter().filter(|r| r.accessors.len() == 1).map(|r| r.accessor().to_owned()).collect();
    for resource in resources.iter_mut().filter(|r| !r.methods.is_empty()) {
        let old = &resource.module;
        let unmoved = resource.accessors.len() == 1 && resource.accessor() == old.as_str();
        let clashes = top_level.contains(old) || CLIENT_METHODS.contains(&old.as_str());
        resource.moved_accessor = (!unmoved && !clashes).then(|| old.clone());
    }
}

/// The client's accessor of a top-level resource: its snake-case name unless that is a
/// keyword or a method of the client (methods of the API itself: `service`).
fn top_level_accessor(resources: &[ResourcePlan], segments: &[String]) -> String {
    let Some(segment) = segments.first() else { return "service".to_owned() };
    let mut name = snake_string(segment);
    if spelled(&name) != name || CLIENT_METHODS.contains(&name.as_str()) {
        name.push_str("_resource");
    }
    let mut taken: Vec<String> =
        resources.iter().filter(|r| r.segments.len() <= 1).flat_map(|r| r.accessors.first().cloned()).collect();
    taken.push(name);
    dedupe(&mut taken);
    taken.pop().unwrap_or_default()
}

/// The accessor of `segment` on `parent`'s handle: its snake-case name, unless that is a
/// keyword, one of the parent's methods or a sibling's accessor.
fn child_accessor(resources: &[ResourcePlan], parent: usize, segment: &str) -> String {
    let mut name = snake_string(segment);
    let parent = &resources[parent];
    if spelled(&name) != name || parent.methods.iter().any(|m| m.name == name) {
        name.push_str("_resource");
    }
    let mut taken: Vec<String> = parent.children.iter().map(|&c| resources[c].accessor().to_owned()).collect();
    taken.push(name);
    dedupe(&mut taken);
    taken.pop().unwrap_or_default()
}

fn find(resources: &[ResourcePlan], segments: &[String]) -> Option<usize> {
    resources.iter().position(|r| r.segments == segments)
}

/// Inserts a method-less resource for every missing ancestor, just before its first
/// descendant; its module is the one `kept` records for it if free, else the first free of
/// `projects`, `a_projects`, `a_projects_resource` that `kept` does not record for another
/// chain of the crate (a newcomer never takes a kept name, whichever comes first).
fn add_ancestors(resources: &mut Vec<ResourcePlan>, kept: &BTreeMap<String, String>) {
    let reserved = reserved_modules(resources.iter().map(|r| r.chain.as_str()), kept);
    let mut at = 0;
    while at < resources.len() {
        let segments = resources[at].segments.clone();
        let missing = (1..segments.len()).map(|depth| &segments[..depth]).find(|s| find(resources, s).is_none());
        let Some(ancestor) = missing else {
            at += 1;
            continue;
        };
        let mut taken: Vec<String> = resources.iter().map(|r| r.module.clone()).collect();
        let chain = ancestor.join(".");
        let candidates = [snake_string(ancestor.last().map_or("", String::as_str)), snake_string(&ancestor.join("_"))];
        let others = |m: &String| reserved.get(m.as_str()).is_none_or(|owner| *owner == chain);
        let module = kept
            .get(&chain)
            .filter(|m| free(m, &taken))
            .cloned()
            .or_else(|| candidates.into_iter().find(|m| free(m, &taken) && others(m)))
            .unwrap_or_else(|| format!("{}_resource", snake_string(&ancestor.join("_"))));
        taken.push(module);
        dedupe(&mut taken);
        let module = taken.pop().unwrap_or_default();
        let ancestor = ResourcePlan {
            chain: ancestor.join("."),
            segments: ancestor.to_vec(),
            handle: camel_string(&module),
            accessors: Vec::new(),
            moved_accessor: None,
            // Nothing to compile out: the handle only leads to its children.
            feature: None,
            module,
            methods: Vec::new(),
            children: Vec::new(),
            client_readers: None,
            standard_operations: None,
        };
        // Inserted before `at`, so the next round looks at it (and its own ancestors) first.
        resources.insert(at, ancestor);
    }
}

/// The modules `kept` records for chains the crate has (given `chains` and their ancestors),
/// by module: names newcomers must leave to them.
pub fn reserved_modules<'k, 'c>(
    chains: impl Iterator<Item = &'c str>,
    kept: &'k BTreeMap<String, String>,
) -> BTreeMap<&'k str, String> {
    let mut present = std::collections::HashSet::new();
    for chain in chains {
        let segments: Vec<&str> = chain.split('.').collect();
        for depth in 1..=segments.len() {
            present.insert(segments[..depth].join("."));
        }
    }
    kept.iter()
        .filter(|(chain, _)| present.contains(*chain))
        .map(|(chain, module)| (module.as_str(), chain.clone()))
        .collect()
}

fn free(module: &str, taken: &[String]) -> bool {
    !module.is_empty()
        && !taken.iter().any(|t| t == module)
        && !TAKEN_MODULES.contains(&module)
        && spelled(module) == module
        && !CLIENT_METHODS.contains(&module)
}
