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
        copying: HashSet::default(),
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
    /// References with siblings whose fresh copy is being crawled (by address).
    copying: HashSet<usize>,
    outcome: RefDescriptions,
}

/// One step of the crawl. The crawl follows `$ref`s, so a chain of thousands of schemas each
/// referring to the next would be thousands of nested calls: it runs on an explicit stack
/// instead, each frame standing for a call (or the rest of one) of the recursive description in
/// `specs/stackql-page-format.md`. A frame that finishes leaves its result ("circular") in
/// `ret` for the frame below it.
enum Frame<'a> {
    /// A value in an object slot: a reference is dereferenced, anything else crawled unless it
    /// is on the stack (which makes the walk circular).
    Value(&'a Schema),
    /// A schema object, crawled once.
    Schema(&'a Schema),
    /// The end of a schema's crawl: it leaves the stack; the result passes through.
    Leave(Node),
    /// The object-valued keys of a schema in Discovery's key order, before key number `step`
    /// (0 `properties`, 1 `items`, 2 `additionalProperties`). `pending`: the result of the
    /// previous key is in `ret`.
    Children { schema: &'a Schema, step: u8, circular: bool, pending: bool },
    /// The `properties` object of `owner`, crawled once.
    Properties(&'a Schema),
    /// The properties of `owner` from number `index` on.
    PropertyLoop { owner: &'a Schema, index: usize, circular: bool, pending: bool },
    /// A reference; `property` is (owner, index) when it is a property's.
    Dereference { reference: &'a Schema, property: Option<(&'a Schema, usize)> },
    /// The end of a sibling-less dereference: its result is cached and passes through.
    Cache(&'a str),
    /// The end of the crawl of a reference's fresh copy; the result passes through.
    Copied(usize),
}

impl<'a> Crawler<'a> {
    /// Crawls a value in an object slot (a named schema at the top).
    fn crawl_value(&mut self, value: &'a Schema) {
        let mut stack = vec![Frame::Value(value)];
        let mut ret = false;
        while let Some(frame) = stack.pop() {
            match frame {
                Frame::Value(value) => {
                    if value.reference.is_some() {
                        stack.push(Frame::Dereference { reference: value, property: None });
                    } else if self.parents.contains(&Node::Schema(address(value))) {
                        ret = true;
                    } else {
                        stack.push(Frame::Schema(value));
                    }
                }
                Frame::Schema(schema) => {
                    let node = Node::Schema(address(schema));
                    if self.processed.insert(node) {
                        self.parents.insert(node);
                        stack.push(Frame::Leave(node));
                        stack.push(Frame::Children { schema, step: 0, circular: false, pending: false });
                    } else {
                        ret = false;
                    }
                }
                Frame::Leave(node) => {
                    self.parents.remove(&node);
                }
                Frame::Cache(name) => {
                    self.cache.insert(name, ret);
                }
                Frame::Copied(reference) => {
                    self.copying.remove(&reference);
                }
                Frame::Children { schema, step, mut circular, pending } => {
                    if pending {
                        circular |= ret;
                    }
                    let resume = Frame::Children { schema, step: step + 1, circular, pending: true };
                    let skip = Frame::Children { schema, step: step + 1, circular, pending: false };
                    match step {
                        0 if schema.properties.is_empty() => stack.push(skip),
                        0 if self.parents.contains(&Node::Properties(address(schema))) => {
                            stack.push(Frame::Children { schema, step: 1, circular: true, pending: false });
                        }
                        0 => {
                            stack.push(resume);
                            stack.push(Frame::Properties(schema));
                        }
                        1 | 2 => {
                            let child = if step == 1 { &schema.items } else { &schema.additional_properties };
                            match child {
                                Some(child) => {
                                    stack.push(resume);
                                    stack.push(Frame::Value(child));
                                }
                                None => stack.push(skip),
                            }
                        }
                        _ => ret = circular,
                    }
                }
                Frame::Properties(owner) => {
                    let node = Node::Properties(address(owner));
                    if self.processed.insert(node) {
                        self.parents.insert(node);
                        stack.push(Frame::PropertyLoop { owner, index: 0, circular: false, pending: false });
                    } else {
                        ret = false;
                    }
                }
                Frame::PropertyLoop { owner, index, mut circular, pending } => {
                    if pending {
                        circular |= ret;
                    }
                    match owner.properties.get(index) {
                        Some(property) => {
                            stack.push(Frame::PropertyLoop { owner, index: index + 1, circular, pending: true });
                            stack.push(if property.schema.reference.is_some() {
                                Frame::Dereference { reference: &property.schema, property: Some((owner, index)) }
                            } else {
                                Frame::Value(&property.schema)
                            });
                        }
                        None => {
                            self.parents.remove(&Node::Properties(address(owner)));
                            ret = circular;
                        }
                    }
                }
                Frame::Dereference { reference, property } => {
                    ret = false;
                    let Some(name) = reference.reference.as_deref() else { continue };
                    let has_siblings = reference.is_ref_with_siblings();
                    if self.cache.get(name) == Some(&false) {
                        // A copy of the cached, already dereferenced target: its keys come
                        // first, so a property's own description loses.
                        if let (true, Some((owner, index))) = (has_siblings, property) {
                            self.outcome.target_wins.insert((address(owner), index));
                        }
                        continue;
                    }
                    let Some(target) = self.schemas.get(name) else { continue };
                    let circular = self.parents.contains(&Node::Schema(address(target)));
                    if !has_siblings {
                        stack.push(Frame::Cache(name));
                    }
                    if circular {
                        ret = true;
                    } else if has_siblings {
                        // A fresh copy (siblings first, then the target's keys) sharing the
                        // target's children; it is never cached and nothing else can reach it.
                        // Meeting the same reference again inside its own copy means a cycle
                        // made of such copies only (`X.items = {$ref: X, readOnly}` reached
                        // through another copy of X), which json-schema-ref-parser follows
                        // until its stack runs out: here it counts as circular.
                        if self.copying.insert(address(reference)) {
                            stack.push(Frame::Copied(address(reference)));
                            stack.push(Frame::Children { schema: target, step: 0, circular: false, pending: false });
                        } else {
                            ret = true;
                        }
                    } else {
                        stack.push(Frame::Schema(target));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crawl as plain recursion (how it was first written, and how the specification
    /// describes it): the explicit-stack version must reach the same outcome.
    struct Recursive<'a>(Crawler<'a>);

    impl<'a> Recursive<'a> {
        /// A value in an object slot: a reference is dereferenced, anything else crawled unless
        /// it is on the stack (which makes the walk circular). Returns "circular".
        fn crawl_value(&mut self, value: &'a Schema) -> bool {
            if value.reference.is_some() {
                return self.dereference(value).1;
            }
            if self.0.parents.contains(&Node::Schema(address(value))) {
                return true;
            }
            self.crawl_schema(value)
        }

        fn crawl_schema(&mut self, schema: &'a Schema) -> bool {
            let node = Node::Schema(address(schema));
            if !self.0.processed.insert(node) {
                return false;
            }
            self.0.parents.insert(node);
            let circular = self.crawl_children(schema);
            self.0.parents.remove(&node);
            circular
        }

        /// The object-valued keys of a schema, in Discovery's key order.
        fn crawl_children(&mut self, schema: &'a Schema) -> bool {
            let mut circular = false;
            if !schema.properties.is_empty() {
                let node = Node::Properties(address(schema));
                circular |= self.0.parents.contains(&node) || self.crawl_properties(schema);
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
            if !self.0.processed.insert(node) {
                return false;
            }
            self.0.parents.insert(node);
            let mut circular = false;
            for (index, property) in owner.properties.iter().enumerate() {
                if property.schema.reference.is_some() {
                    let (target_wins, ref_circular) = self.dereference(&property.schema);
                    if target_wins {
                        self.0.outcome.target_wins.insert((address(owner), index));
                    }
                    circular |= ref_circular;
                } else {
                    circular |= self.crawl_value(&property.schema);
                }
            }
            self.0.parents.remove(&node);
            circular
        }

        /// Returns (the target's description wins, circular).
        fn dereference(&mut self, reference: &'a Schema) -> (bool, bool) {
            let Some(name) = reference.reference.as_deref() else { return (false, false) };
            let has_siblings = reference.is_ref_with_siblings();
            if self.0.cache.get(name) == Some(&false) {
                // A copy of the cached, already dereferenced target: its keys come first.
                return (has_siblings, false);
            }
            let Some(target) = self.0.schemas.get(name) else { return (false, false) };
            let mut circular = self.0.parents.contains(&Node::Schema(address(target)));
            if has_siblings {
                // A fresh copy (siblings first, then the target's keys) sharing the target's
                // children; it is never cached and nothing else can reach it.
                if !circular {
                    // (The same guard against copies of copies as the explicit-stack crawl.)
                    if self.0.copying.insert(address(reference)) {
                        circular = self.crawl_children(target);
                        self.0.copying.remove(&address(reference));
                    } else {
                        circular = true;
                    }
                }
            } else {
                if !circular {
                    circular = self.crawl_schema(target);
                }
                self.0.cache.insert(name, circular);
            }
            (false, circular)
        }
    }

    /// The properties where the target wins, sorted.
    type Outcome = Vec<(usize, usize)>;

    fn both(schemas: &IndexMap<String, Schema>) -> (Outcome, Outcome) {
        let iterative = crawl(schemas);
        let mut recursive = Recursive(Crawler {
            schemas,
            processed: HashSet::default(),
            parents: HashSet::default(),
            cache: HashMap::default(),
            copying: HashSet::default(),
            outcome: RefDescriptions::default(),
        });
        for schema in schemas.values() {
            recursive.crawl_value(schema);
        }
        let sorted = |set: &HashSet<(usize, usize)>| {
            let mut v: Vec<_> = set.iter().copied().collect();
            v.sort_unstable();
            v
        };
        (sorted(&iterative.target_wins), sorted(&recursive.0.outcome.target_wins))
    }

    #[test]
    fn the_explicit_stack_crawl_matches_the_recursive_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned();
        let mut inputs = vec![root.join("specs/aiplatform.v1.json")];
        if let Ok(entries) = std::fs::read_dir(root.join("tests/fixtures/nasty")) {
            inputs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")));
        }
        let mut compared = 0;
        for path in inputs {
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(api) = crate::pipeline::build_api(crate::pipeline::Input { name: "x", text: &text }, None) else {
                continue;
            };
            let (iterative, recursive) = both(&api.schemas);
            assert_eq!(iterative, recursive, "{}", path.display());
            compared += iterative.len();
        }
        assert!(compared > 10, "the inputs exercise the quirk ({compared} properties)");
    }
}
