//! Typed resource names from path-parameter patterns (`analysis::resource_names`), e.g.
//! `^projects/[^/]+/locations/[^/]+/notebookExecutionJobs/[^/]+$` ->
//! `NotebookExecutionJobName { project, location, notebook_execution_job }`.

use super::gates::Gates;
use crate::analysis::resource_names::{NamePattern, PatternSegment};
use crate::rust::idents::{camel_string, singular, snake_string};

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
    /// The name type of a path parameter's `pattern`; `None` when it is not a plain
    /// `literal/[^/]+/...` chain (`analysis::resource_names`), such parameters staying `String`.
    pub fn from_pattern(regex: &str) -> Option<NameType> {
        let pattern = NamePattern::parse(regex)?;
        let mut fields: Vec<String> = Vec::new();
        let segments = pattern
            .segments
            .iter()
            .map(|segment| match segment {
                PatternSegment::Literal(literal) => Segment::Literal(literal.clone()),
                PatternSegment::Variable { collection } => {
                    let mut field = snake_string(&singular(collection));
                    while fields.contains(&field) {
                        field.push('_');
                    }
                    fields.push(field.clone());
                    Segment::Variable(field)
                }
            })
            .collect();
        // The last collection's word until `name_rule::assign` decides the crate-wide name.
        let name = format!("{}Name", camel_string(&singular(pattern.last_collection()?)));
        Some(NameType { name, pattern: pattern.text, segments })
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
    pub fn parent_of(&self, child: &NameType) -> Option<(String, String)> {
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

/// A name type and the helpers that build its children's names.
#[derive(Debug, Clone)]
pub struct NamePlan {
    pub ty: NameType,
    pub helpers: Vec<ChildHelper>,
}

/// A helper of a name type that builds a child's name from one more segment
/// (`LocationName::job(..)` -> `JobName`).
#[derive(Debug, Clone)]
pub struct ChildHelper {
    /// The helper's method name: the child's literal segment, singular.
    pub method: String,
    pub child: String,
    /// The child's template, for the helper's doc.
    pub child_template: String,
    /// The child's own field, the helper's argument.
    pub field: String,
    /// The child's gate when the parent's does not imply it (inside the parent's gate it is
    /// otherwise needed only when narrower).
    pub gate: Option<Vec<String>>,
}

/// Every name type with its child helpers, gated by `gates`.
pub fn plan_names(names: Vec<NameType>, gates: &Gates) -> Vec<NamePlan> {
    let helpers: Vec<Vec<ChildHelper>> = names
        .iter()
        .map(|name| {
            names
                .iter()
                .filter_map(|child| {
                    let (literal, field) = name.parent_of(child)?;
                    let child_gate = gates.features(&child.name);
                    let gate = (!implies(gates.features(&name.name), child_gate))
                        .then(|| child_gate.map(<[String]>::to_vec))
                        .flatten();
                    Some(ChildHelper {
                        method: snake_string(&singular(&literal)),
                        child: child.name.clone(),
                        child_template: child.template(),
                        field,
                        gate,
                    })
                })
                .collect()
        })
        .collect();
    names.into_iter().zip(helpers).map(|(ty, helpers)| NamePlan { ty, helpers }).collect()
}

/// Whether every build that has an item gated `outer` also has one gated `inner`.
fn implies(outer: Option<&[String]>, inner: Option<&[String]>) -> bool {
    match (outer, inner) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(outer), Some(inner)) => outer.iter().all(|feature| inner.contains(feature)),
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
