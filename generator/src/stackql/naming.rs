//! StackQL's naming rules (stackql-provider-google `src/config/tagging.js`): how an operation
//! id becomes a resource name, a method name and a SQL verb. Pure string functions.

use crate::ir::SqlVerb;

/// Words StackQL lowercases before splitting camel case, so `GitLab` does not become `git_lab`.
const WHOLE_WORDS: [&str; 3] = ["gitlab", "github", "dotcom"];

/// `camelCase` -> `camel_case`: an `_` between a lower-case letter or digit and a following
/// upper-case letter, then everything lower-cased.
pub fn camel_to_snake(text: &str) -> String {
    let text = lowercase_whole_words(text);
    let mut out = String::with_capacity(text.len() + 4);
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_uppercase() && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        previous = Some(c);
    }
    out
}

fn lowercase_whole_words(text: &str) -> String {
    let mut text = text.to_owned();
    for word in WHOLE_WORDS {
        let lower = text.to_ascii_lowercase();
        let mut from = 0;
        while let Some(at) = lower[from..].find(word) {
            let start = from + at;
            text.replace_range(start..start + word.len(), word);
            from = start + word.len();
        }
    }
    text
}

const IAM_ACTIONS: [&str; 6] = [
    "getIamPolicy",
    "setIamPolicy",
    "testIamPermissions",
    "analyzeIamPolicy",
    "analyzeIamPolicyLongrunning",
    "searchAllIamPolicies",
];

/// Verbs whose prefix is stripped from an action to name a sub-resource (`listVersions` ->
/// `versions`), in the order StackQL tries them.
const ACTION_VERBS: [&str; 10] =
    ["get", "list", "delete", "batchGet", "remove", "create", "add", "update", "fetch", "retrieve"];

/// Resource names that a sub-resource suffix replaces instead of extending.
const CONTAINER_RESOURCES: [&str; 4] = ["organizations", "folders", "projects", "locations"];

/// The resource name StackQL derives from an operation id, before overrides.
pub fn derived_resource_name(operation_id: &str) -> String {
    let tokens: Vec<&str> = operation_id.split('.').collect();
    let action = tokens.last().copied().unwrap_or_default();
    let owner = if tokens.len() >= 2 { tokens[tokens.len() - 2] } else { "" };
    let mut name = camel_to_snake(owner);
    if IAM_ACTIONS.contains(&action) {
        name.push_str("_iam_policies");
    } else if let Some(verb) = ACTION_VERBS.iter().find(|verb| action.starts_with(*verb) && action != **verb) {
        let suffix = camel_to_snake(&action[verb.len()..]);
        if CONTAINER_RESOURCES.contains(&name.as_str()) {
            name = suffix;
        } else {
            name = format!("{name}_{suffix}");
        }
    }
    let name = name.replace("__", "_");
    name.strip_prefix('_').map(str::to_owned).unwrap_or(name)
}

/// The method name: the snake-cased action, or every token after the service when the
/// service asks for fully qualified names.
pub fn method_name(operation_id: &str, fully_qualified: bool) -> String {
    let tokens: Vec<&str> = operation_id.split('.').collect();
    if fully_qualified {
        camel_to_snake(&tokens[1.min(tokens.len())..].join("_"))
    } else {
        camel_to_snake(tokens.last().copied().unwrap_or_default())
    }
}

/// The SQL verb derived from the action and HTTP verb (before per-method overrides), and
/// whether it is final (IAM policy methods skip the overrides).
pub fn derived_sql_verb(resource: &str, operation_id: &str, http_verb: &str) -> (SqlVerb, bool) {
    if resource.ends_with("_iam_policies") {
        if operation_id.ends_with(".getIamPolicy") {
            return (SqlVerb::Select, true);
        }
        if operation_id.ends_with(".setIamPolicy") {
            return (SqlVerb::Replace, true);
        }
    }
    let action = operation_id.rsplit('.').next().unwrap_or_default();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| action.starts_with(p));
    // Later rules win, as in StackQL's chain of `if`s.
    let rules: [(&str, &[&str], SqlVerb); 9] = [
        ("post", &["insert", "create", "add", "batchCreate", "bulkInsert"], SqlVerb::Insert),
        ("patch", &["update", "patch"], SqlVerb::Update),
        ("post", &["update", "patch", "batchUpdate"], SqlVerb::Update),
        ("put", &["update", "replace"], SqlVerb::Replace),
        ("post", &["replace"], SqlVerb::Replace),
        ("delete", &["delete", "remove"], SqlVerb::Delete),
        ("post", &["delete", "destroy", "batchDelete", "bulkDelete", "remove"], SqlVerb::Delete),
        ("get", &["aggregatedList", "get", "batchGet", "list", "query", "fetch", "retrieve"], SqlVerb::Select),
        ("post", &["get", "list", "fetch"], SqlVerb::Select),
    ];
    let verb = rules
        .iter()
        .rev()
        .find(|(http, prefixes, _)| *http == http_verb && starts(prefixes))
        .map_or(SqlVerb::Exec, |(_, _, verb)| *verb);
    (verb, false)
}

/// True when the action names a list method for object-key purposes.
pub fn is_list_action(operation_id: &str) -> bool {
    let action = operation_id.rsplit('.').next().unwrap_or_default();
    action == "aggregatedList" || action.starts_with("list")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_to_snake_splits_after_lower_or_digit() {
        assert_eq!(camel_to_snake("notebookExecutionJobs"), "notebook_execution_jobs");
        assert_eq!(camel_to_snake("ragFiles"), "rag_files");
        assert_eq!(camel_to_snake("v1Beta"), "v1_beta");
        assert_eq!(camel_to_snake("IAMPolicy"), "iampolicy");
        assert_eq!(camel_to_snake("GitHubRepos"), "github_repos");
        assert_eq!(camel_to_snake("myGitLabThing"), "mygitlab_thing");
    }

    #[test]
    fn resource_names_follow_the_published_examples() {
        let cases = [
            ("aiplatform.projects.locations.notebookExecutionJobs.get", "notebook_execution_jobs"),
            ("aiplatform.projects.locations.models.getIamPolicy", "models_iam_policies"),
            ("aiplatform.projects.locations.featureOnlineStores.featureViews.operations.listWait", "operations_wait"),
            ("aiplatform.projects.locations.models.listVersions", "models_versions"),
            ("aiplatform.projects.locations.models.listCheckpoints", "models_checkpoints"),
            ("aiplatform.projects.getCacheConfig", "cache_config"),
            ("aiplatform.projects.locations.getRagEngineConfig", "rag_engine_config"),
            ("aiplatform.projects.locations.evaluateInstances", "locations"),
            ("aiplatform.projects.locations.retrieveContexts", "contexts"),
            ("aiplatform.endpoints.chat.completions", "chat"),
            ("aiplatform.projects.locations.endpoints.fetchPredictOperation", "endpoints_predict_operation"),
            ("aiplatform.projects.locations.metadataStores.artifacts.queryArtifactLineageSubgraph", "artifacts"),
        ];
        for (id, expected) in cases {
            assert_eq!(derived_resource_name(id), expected, "{id}");
        }
    }

    #[test]
    fn method_names_are_the_snake_cased_action() {
        assert_eq!(method_name("aiplatform.projects.locations.models.getIamPolicy", false), "get_iam_policy");
        assert_eq!(method_name("a.b.operations.listWait", false), "list_wait");
        assert_eq!(method_name("svc.projects.zones.getThing", true), "projects_zones_get_thing");
    }

    #[test]
    fn sql_verbs_follow_action_and_http_verb() {
        let verb = |resource, id, http| derived_sql_verb(resource, id, http).0;
        assert_eq!(verb("jobs", "s.jobs.create", "post"), SqlVerb::Insert);
        assert_eq!(verb("jobs", "s.jobs.get", "get"), SqlVerb::Select);
        assert_eq!(verb("jobs", "s.jobs.list", "get"), SqlVerb::Select);
        assert_eq!(verb("jobs", "s.jobs.patch", "patch"), SqlVerb::Update);
        assert_eq!(verb("jobs", "s.jobs.delete", "delete"), SqlVerb::Delete);
        assert_eq!(verb("jobs", "s.jobs.cancel", "post"), SqlVerb::Exec);
        assert_eq!(verb("jobs", "s.jobs.batchDelete", "post"), SqlVerb::Delete);
        assert_eq!(verb("jobs", "s.jobs.queryThings", "get"), SqlVerb::Select);
        assert_eq!(verb("jobs", "s.jobs.queryThings", "post"), SqlVerb::Exec);
        assert_eq!(verb("jobs", "s.jobs.update", "put"), SqlVerb::Replace);
        // `fetch` on POST is a select; `get` on DELETE matches nothing.
        assert_eq!(verb("jobs", "s.jobs.fetchValues", "post"), SqlVerb::Select);
        assert_eq!(verb("jobs", "s.jobs.get", "delete"), SqlVerb::Exec);
        assert_eq!(derived_sql_verb("m_iam_policies", "s.m.setIamPolicy", "post"), (SqlVerb::Replace, true));
        assert_eq!(derived_sql_verb("m_iam_policies", "s.m.getIamPolicy", "post"), (SqlVerb::Select, true));
        assert_eq!(verb("m_iam_policies", "s.m.testIamPermissions", "post"), SqlVerb::Exec);
    }
}
