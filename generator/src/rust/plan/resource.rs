//! The plan of one resource: its module, handle, accessors, methods and feature, and the
//! module names of all resources.

use super::method::MethodPlan;
use super::operations::StandardOperations;
use crate::rust::idents::{snake_string, spelled};

#[derive(Debug, Clone)]
pub struct ResourcePlan {
    /// Dotted Discovery chain, e.g. `projects.locations.notebookExecutionJobs`.
    pub chain: String,
    /// The chain's resource names (`["projects", "locations", "notebookExecutionJobs"]`).
    pub segments: Vec<String>,
    pub module: String,
    pub handle: String,
    /// The accessor calls from the client to this resource, one per segment of the method id
    /// (`users().messages()` for `gmail.users.messages.send`).
    pub accessors: Vec<String>,
    /// The client's accessor from before accessors nested (`client.messages()`, the module's
    /// name), kept deprecated and hidden where that name is still free.
    pub moved_accessor: Option<String>,
    pub methods: Vec<MethodPlan>,
    /// The resources one level down, reached from this resource's handle (indices into the
    /// crate plan's resources).
    pub children: Vec<usize>,
    /// The cargo feature that enables this resource's methods, when the crate has
    /// per-resource features (a resource with children keeps its handle without it).
    pub feature: Option<String>,
    /// The features whose code reads the handle's client (its methods', its children's), when
    /// the handle is not always read: with none of them on, the field is dead code.
    pub client_readers: Option<Vec<String>>,
    /// The resource is the standard operations resource: one runtime macro instead of
    /// per-method builders.
    pub standard_operations: Option<StandardOperations>,
}

impl ResourcePlan {
    /// The last accessor: the method of the client or of the parent handle.
    pub fn accessor(&self) -> &str {
        self.accessors.last().map_or("service", String::as_str)
    }

    /// The feature that compiles this resource's module out. A resource with children keeps
    /// its module (and handle) whatever its feature, which then compiles its methods only.
    pub fn module_gate(&self) -> Option<&str> {
        self.feature.as_deref().filter(|_| self.children.is_empty())
    }

    /// The expression reaching the handle from `client` (`client.users().messages()`).
    pub fn reach(&self, client: &str) -> String {
        let calls: Vec<String> = self.accessors.iter().map(|a| format!(".{}()", spelled(a))).collect();
        format!("{client}{}", calls.concat())
    }
}

/// The crate's own modules, files and cargo features, and crates the generated code names by
/// path: a resource module with one of these names gets a `_resource` suffix.
pub const TAKEN_MODULES: [&str; 17] = [
    "model",
    "names",
    "scopes",
    // Re-exported from the runtime with the `adc` feature.
    "credentials",
    "transport",
    "adc",
    "full",
    "tracing",
    "lib",
    "main",
    "mod",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "discogen_runtime",
];

/// Module names for resource chains: the last segment in snake case, with parent segments
/// prepended to every chain whose name would otherwise be shared (`roles`,
/// `projects_roles`, `organizations_roles`).
/// A chain with a module name in `kept` (the previous generation's) keeps it; the others
/// avoid those names.
pub(super) fn module_names<'a>(
    chains: impl Iterator<Item = &'a str>,
    kept: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    let chains: Vec<&str> = chains.collect();
    // Names kept for method-less ancestors of these chains too: a newcomer does not take them.
    let reserved = super::accessors::reserved_modules(chains.iter().copied(), kept);
    let mut fixed: Vec<Option<String>> = chains.iter().map(|chain| kept.get(*chain).cloned()).collect();
    // Two chains cannot keep one name (a record written by hand): the first keeps it.
    let mut seen = std::collections::HashSet::new();
    for name in &mut fixed {
        if name.as_ref().is_some_and(|n| !seen.insert(n.clone())) {
            *name = None;
        }
    }
    let segments: Vec<Vec<&str>> =
        chains.iter().map(|c| if c.is_empty() { vec!["service"] } else { c.split('.').collect() }).collect();
    let mut depth = vec![1usize; chains.len()];
    loop {
        let names: Vec<String> = segments
            .iter()
            .zip(&depth)
            .zip(&fixed)
            .map(|((segments, d), fixed)| match fixed {
                Some(name) => name.clone(),
                None => snake_string(&segments[segments.len().saturating_sub(*d)..].join("_")),
            })
            .collect();
        let mut changed = false;
        for i in 0..names.len() {
            let clashes = names.iter().enumerate().any(|(j, other)| j != i && *other == names[i])
                || reserved.get(names[i].as_str()).is_some_and(|owner| owner != chains[i]);
            if clashes && fixed[i].is_none() && depth[i] < segments[i].len() {
                depth[i] += 1;
                changed = true;
            }
        }
        if !changed {
            let names: Vec<String> = names
                .into_iter()
                .zip(&fixed)
                .map(|(n, fixed)| {
                    let keyword = crate::rust::idents::spelled(&n) != n;
                    if fixed.is_none() && (TAKEN_MODULES.contains(&n.as_str()) || keyword) {
                        format!("{n}_resource")
                    } else {
                        n
                    }
                })
                .collect();
            // Kept names first, so that a newcomer is the one to yield.
            let mut taken: std::collections::HashSet<String> =
                fixed.iter().flatten().cloned().chain(reserved.keys().map(|m| (*m).to_owned())).collect();
            let mut free: Vec<String> =
                names.iter().zip(&fixed).filter(|(_, f)| f.is_none()).map(|(n, _)| n.clone()).collect();
            crate::rust::idents::dedupe(&mut free);
            let mut free = free.into_iter();
            return names
                .into_iter()
                .zip(&fixed)
                .map(|(name, fixed)| match fixed {
                    Some(_) => name,
                    None => {
                        let mut name = free.next().unwrap_or(name);
                        while !taken.insert(name.clone()) {
                            name.push('_');
                        }
                        name
                    }
                })
                .collect();
        }
    }
}
