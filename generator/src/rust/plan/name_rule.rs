//! Names of resource-name types, derived from their patterns and never numbered.
//!
//! The rule: a pattern's name is the shortest run of its last collection words that no other
//! pattern of the document (and no schema type) shares, plus `Name`:
//! `projects/*/secrets/*/versions/*` is `SecretVersionName` and
//! `projects/*/locations/*/secrets/*/versions/*` `LocationSecretVersionName`. The first
//! segment (the root, usually `projects`) is used only when nothing shorter distinguishes,
//! and a `projects`-rooted pattern keeps the shorter name against other roots
//! (`LocationName` vs `OrganizationLocationName`). A name depends only on the patterns that
//! share its words, so a revision adding an unrelated pattern renames nothing.

use std::collections::{BTreeMap, HashSet};

use super::names::{NameType, Segment};
use crate::rust::idents::{camel_string, singular};

/// One pattern being named.
struct Candidate {
    /// One word per literal segment: collections singular (`Secret`), fixed ids as written.
    words: Vec<String>,
    /// How many trailing words the name uses.
    depth: usize,
    /// Spelled out segment by segment (`ProjectAnySecretAny`): for patterns whose words are
    /// all equal to another's.
    spelled: Option<String>,
    /// `_`s after `Name` when even the spelled-out name is reserved.
    underscores: usize,
}

impl Candidate {
    fn name(&self) -> String {
        let underscores = "_".repeat(self.underscores);
        match &self.spelled {
            Some(spelled) => format!("{spelled}Name{underscores}"),
            None => format!("{}Name{underscores}", self.words[self.words.len() - self.depth..].concat()),
        }
    }

    fn project_rooted(&self) -> bool {
        self.words.first().is_some_and(|w| w == "Project")
    }
}

/// Assigns `name` of every pattern (distinct patterns in, any order). `reserved` holds Rust
/// names the crate root already uses (schema types); a name never equals one of them.
pub fn assign(names: &mut [NameType], reserved: &HashSet<String>) {
    let mut candidates: Vec<Candidate> = names
        .iter()
        .map(|name| {
            let words = name
                .segments
                .iter()
                .filter_map(|segment| match segment {
                    Segment::Literal(literal) => Some(camel_string(&singular(literal))),
                    Segment::Variable(_) => None,
                })
                .collect();
            Candidate { words, depth: 1, spelled: None, underscores: 0 }
        })
        .collect();
    // Each round lengthens the names of every clashing group; depth is bounded by the number
    // of words, so this ends.
    loop {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, candidate) in candidates.iter().enumerate() {
            groups.entry(candidate.name()).or_default().push(index);
        }
        let mut changed = false;
        for (name, members) in groups {
            if members.len() < 2 && !reserved.contains(&name) {
                continue;
            }
            // Below the root first; then the root for all but a projects-rooted pattern;
            // then spelled out.
            let below_root: Vec<usize> =
                members.iter().copied().filter(|&i| candidates[i].depth + 1 < candidates[i].words.len()).collect();
            let with_root: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| candidates[i].spelled.is_none() && candidates[i].depth < candidates[i].words.len())
                .collect();
            let keeps_short =
                members.len() > 1 && with_root.iter().filter(|&&i| candidates[i].project_rooted()).count() == 1;
            let with_root: Vec<usize> =
                with_root.into_iter().filter(|&i| !(keeps_short && candidates[i].project_rooted())).collect();
            if !below_root.is_empty() {
                below_root.iter().for_each(|&i| candidates[i].depth += 1);
                changed = true;
            } else if !with_root.is_empty() {
                with_root.iter().for_each(|&i| candidates[i].depth += 1);
                changed = true;
            } else {
                for &i in &members {
                    if candidates[i].spelled.is_none() {
                        candidates[i].spelled = Some(spelled(&names[i]));
                        changed = true;
                    } else if reserved.contains(&name) {
                        candidates[i].underscores += 1;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (name, candidate) in names.iter_mut().zip(&candidates) {
        name.name = candidate.name();
    }
}

/// [`assign`], but a pattern with a name in `kept` (the previous generation's, by pattern)
/// keeps it when it is still free, and the others avoid every kept name and `aliased` (old
/// names that stay as aliases): a revision adding patterns renames none of the old ones.
pub fn assign_keeping(
    names: &mut [NameType],
    reserved: &HashSet<String>,
    aliased: &HashSet<String>,
    kept: &std::collections::BTreeMap<String, String>,
) {
    let mut taken: HashSet<String> = HashSet::new();
    let mut fixed = vec![false; names.len()];
    for (index, name) in names.iter_mut().enumerate() {
        if let Some(old) = kept.get(&name.pattern) {
            if !reserved.contains(old) && taken.insert(old.clone()) {
                name.name = old.clone();
                fixed[index] = true;
            }
        }
    }
    let mut others: Vec<NameType> = names.iter().zip(&fixed).filter(|(_, f)| !**f).map(|(n, _)| n.clone()).collect();
    let mut avoid = reserved.clone();
    avoid.extend(taken);
    avoid.extend(aliased.iter().cloned());
    assign(&mut others, &avoid);
    let mut others = others.into_iter();
    for (name, fixed) in names.iter_mut().zip(fixed) {
        if !fixed {
            *name = others.next().expect("one named per unkept pattern");
        }
    }
}

/// Every segment in order, variables as `Any`.
fn spelled(name: &NameType) -> String {
    name.segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal(literal) => camel_string(literal),
            Segment::Variable(_) => "Any".to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(patterns: &[&str], reserved: &[&str]) -> Vec<String> {
        let mut names: Vec<NameType> =
            patterns.iter().map(|p| NameType::from_pattern(&format!("^{p}$")).unwrap()).collect();
        assign(&mut names, &reserved.iter().map(|s| (*s).to_owned()).collect());
        names.into_iter().map(|n| n.name).collect()
    }

    #[test]
    fn the_shortest_distinguishing_run_of_collections() {
        let names = named(
            &[
                "projects/[^/]+/locations/[^/]+/secrets/[^/]+/versions/[^/]+",
                "projects/[^/]+/secrets/[^/]+/versions/[^/]+",
                "projects/[^/]+/secrets/[^/]+",
                "projects/[^/]+/locations/[^/]+/secrets/[^/]+",
            ],
            &[],
        );
        assert_eq!(names, ["LocationSecretVersionName", "SecretVersionName", "SecretName", "LocationSecretName"]);
    }

    #[test]
    fn projects_keep_the_short_name_against_other_roots() {
        let names = named(
            &["organizations/[^/]+/locations/[^/]+", "projects/[^/]+/locations/[^/]+", "folders/[^/]+/locations/[^/]+"],
            &[],
        );
        assert_eq!(names, ["OrganizationLocationName", "LocationName", "FolderLocationName"]);
        let names = named(&["organizations/[^/]+/sinks/[^/]+", "folders/[^/]+/sinks/[^/]+"], &[]);
        assert_eq!(names, ["OrganizationSinkName", "FolderSinkName"]);
    }

    #[test]
    fn names_do_not_depend_on_order_or_unrelated_patterns() {
        let base = ["projects/[^/]+/locations/[^/]+/featureGroups/[^/]+/features/[^/]+/operations/[^/]+"];
        let more = [
            "projects/[^/]+/locations/[^/]+/datasets/[^/]+/operations/[^/]+",
            "projects/[^/]+/locations/[^/]+/operations/[^/]+",
            base[0],
            "projects/[^/]+/locations/[^/]+/models/[^/]+",
        ];
        assert_eq!(named(&base, &[]), ["OperationName"]);
        let names = named(&more, &[]);
        assert_eq!(names, ["DatasetOperationName", "LocationOperationName", "FeatureOperationName", "ModelName"]);
        let mut reversed = more;
        reversed.reverse();
        let mut again = named(&reversed, &[]);
        again.reverse();
        assert_eq!(again, names);
    }

    #[test]
    fn kept_names_stay_when_a_revision_adds_a_shorter_pattern() {
        let old = ["projects/[^/]+/locations/[^/]+/customJobs/[^/]+"];
        let new = [old[0], "customJobs/[^/]+"];
        assert_eq!(named(&old, &[]), ["CustomJobName"]);
        // By the rule alone the newcomer takes the short name.
        assert_eq!(named(&new, &[]), ["LocationCustomJobName", "CustomJobName"]);
        // Keeping the previous generation's names, the old pattern keeps it.
        let mut names: Vec<NameType> = new.iter().map(|p| NameType::from_pattern(&format!("^{p}$")).unwrap()).collect();
        let kept = [("projects/*/locations/*/customJobs/*".to_owned(), "CustomJobName".to_owned())].into();
        let aliased = ["CustomJobsAnyName".to_owned()].into();
        assign_keeping(&mut names, &HashSet::new(), &HashSet::new(), &kept);
        assert_eq!(names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), ["CustomJobName", "CustomJobsAnyName"]);
        // Nor does a newcomer take an alias's old name.
        assign_keeping(&mut names, &HashSet::new(), &aliased, &kept);
        assert_ne!(names[1].name, "CustomJobsAnyName");
        assert_ne!(names[1].name, "CustomJobName");
    }

    #[test]
    fn schema_names_and_equal_words_are_avoided_without_numbers() {
        assert_eq!(named(&["projects/[^/]+/locations/[^/]+"], &["LocationName"]), ["ProjectLocationName"]);
        let names = named(&["projects/[^/]+/jobs/[^/]+", "projects/jobs/[^/]+"], &[]);
        assert_ne!(names[0], names[1]);
        assert!(names.iter().all(|n| !n.ends_with(|c: char| c.is_ascii_digit())), "{names:?}");
    }
}
