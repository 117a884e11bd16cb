//! Which description a `$ref` property shows on StackQL's pages.
//!
//! StackQL quirk (reproduced so the pages match): the pages read schemas after
//! `@apidevtools/json-schema-ref-parser` 11.7.2 has dereferenced them in place. For a property
//! `{description, readOnly?, $ref: X}` the library either builds a copy in which the
//! property's own description wins, or, when a sibling-less `{$ref: X}` was already
//! dereferenced (non-circularly) earlier in its depth-first crawl, copies the cached target so
//! that **X's own description wins**. The outcome depends on crawl order, so this module
//! replays the crawl over the named schemas in document order (see
//! `specs/stackql-page-format.md`, section 4) and records the properties where the target won.
//!
//! Identity matters in the crawl (shared nodes, "already processed", "on the stack"), so nodes
//! are identified by address within the borrowed IR.

use indexmap::IndexMap;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::ir::Schema;

/// The crawl's outcome: the `$ref`-with-description properties that show their target's
/// description instead of their own.
#[derive(Debug, Default)]
pub struct RefDescriptions {
    target_wins: HashSet<(usize, usize)>,
}

impl RefDescriptions {
    /// True when property number `index` of `owner` shows its `$ref` target's description.
    pub fn target_wins(&self, owner: &Schema, index: usize) -> bool {
        self.target_wins.contains(&(address(owner), index))
    }
}

/// Replays the dereferencing crawl over `schemas`.
pub fn crawl(schemas: &IndexMap<String, Schema>) -> RefDescriptions {
    let mut crawler = Crawler {
        schemas,
        processed: HashSet::default(),
        parents: HashSet::default(),
        cache: HashMap::default(),
        outcome: RefDescriptions::default(),
    };
    for schema in schemas.values() {
        crawler.crawl_value(schema);
    }
    crawler.outcome
}

fn address(schema: &Schema) -> usize {
    schema as *const Schema as usize
}

/// A schema object, or the `properties` object owned by a schema.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Node {
    Schema(usize),
    Properties(usize),
}

struct Crawler<'a> {
    schemas: &'a IndexMap<String, Schema>,
    processed: HashSet<Node>,
    parents: HashSet<Node>,
    /// Sibling-less references dereferenced so far, and whether the result was circular.
    cache: HashMap<&'a str, bool>,
    outcome: RefDescriptions,
}

impl<'a> Crawler<'a> {
    /// A value in an object slot: a reference is dereferenced, anything else crawled unless
    /// it is on the stack (which makes the walk circular). Returns "circular".
    fn crawl_value(&mut self, value: &'a Schema) -> bool {
        if value.reference.is_some() {
            return self.dereference(value).1;
        }
        if self.parents.contains(&Node::Schema(address(value))) {
            return true;
        }
        self.crawl_schema(value)
    }

    fn crawl_schema(&mut self, schema: &'a Schema) -> bool {
        let node = Node::Schema(address(schema));
        if !self.processed.insert(node) {
            return false;
        }
        self.parents.insert(node);
        let circular = self.crawl_children(schema);
        self.parents.remove(&node);
        circular
    }

    /// The object-valued keys of a schema, in Discovery's key order.
    fn crawl_children(&mut self, schema: &'a Schema) -> bool {
        let mut circular = false;
        if !schema.properties.is_empty() {
            let node = Node::Properties(address(schema));
            circular |= self.parents.contains(&node) || self.crawl_properties(schema);
        }
        if let Some(items) = &schema.items {
            circular |= self.crawl_value(items);
        }
        if let Some(values) = &schema.additional_properties {
            circular |= self.crawl_value(values);
        }
        circular
    }

    fn crawl_properties(&mut self, owner: &'a Schema) -> bool {
        let node = Node::Properties(address(owner));
        if !self.processed.insert(node) {
            return false;
        }
        self.parents.insert(node);
        let mut circular = false;
        for (index, property) in owner.properties.iter().enumerate() {
            if property.schema.reference.is_some() {
                let (target_wins, ref_circular) = self.dereference(&property.schema);
                if target_wins {
                    self.outcome.target_wins.insert((address(owner), index));
                }
                circular |= ref_circular;
            } else {
                circular |= self.crawl_value(&property.schema);
            }
        }
        self.parents.remove(&node);
        circular
    }

    /// Returns (the target's description wins, circular).
    fn dereference(&mut self, reference: &'a Schema) -> (bool, bool) {
        let Some(name) = reference.reference.as_deref() else { return (false, false) };
        let has_siblings = reference.is_ref_with_siblings();
        if self.cache.get(name) == Some(&false) {
            // A copy of the cached, already dereferenced target: its keys come first.
            return (has_siblings, false);
        }
        let Some(target) = self.schemas.get(name) else { return (false, false) };
        let mut circular = self.parents.contains(&Node::Schema(address(target)));
        if has_siblings {
            // A fresh copy (siblings first, then the target's keys) sharing the target's
            // children; it is never cached and nothing else can reach it.
            if !circular {
                circular = self.crawl_children(target);
            }
        } else {
            if !circular {
                circular = self.crawl_schema(target);
            }
            self.cache.insert(name, circular);
        }
        (false, circular)
    }
}
