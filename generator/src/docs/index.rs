//! The service index page: every resource, in two columns.

use askama::Template;

use crate::error::{Error, Result};
use crate::ir::Api;

#[derive(Template)]
#[template(path = "service_index.md", escape = "none")]
struct ServiceIndex<'a> {
    provider: &'a str,
    service: &'a str,
    total: usize,
    /// Each column's links joined by `<br />` lines; StackQL writes an empty column (a
    /// service with one resource) as an empty line.
    columns: [String; 2],
}

pub fn render(api: &Api) -> Result<String> {
    let mut names: Vec<&str> = api.resources.iter().map(|r| r.name.as_str()).collect();
    names.sort_by(|a, b| locale_order(a, b));
    let split = names.len().div_ceil(2);
    let second = names.split_off(split);
    let page = ServiceIndex {
        provider: &api.service.provider,
        service: &api.service.stackql_name,
        total: split + second.len(),
        columns: [column(&api.service.stackql_name, &names), column(&api.service.stackql_name, &second)],
    };
    page.render()
        .map_err(|err| Error::Render { what: format!("{} index", api.service.stackql_name), message: err.to_string() })
}

fn column(service: &str, names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("<a href=\"/services/{service}/{name}/\">{name}</a>"))
        .collect::<Vec<_>>()
        .join("<br />\n")
}

/// JavaScript's `localeCompare` (ICU root collation) for identifiers: punctuation (`_`, then
/// `-`) before digits before letters, case ignored except as a final tie-break (lower first).
pub fn locale_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn primary(c: char) -> (u32, u32) {
        match c {
            '_' => (0, 0),
            '-' => (1, 0),
            '0'..='9' => (2, c as u32),
            'a'..='z' | 'A'..='Z' => (3, c.to_ascii_lowercase() as u32),
            _ => (4, c as u32),
        }
    }
    let key = |s: &str| s.chars().map(primary).collect::<Vec<_>>();
    key(a).cmp(&key(b)).then_with(|| {
        let tertiary = |s: &str| s.chars().map(|c| c.is_ascii_uppercase()).collect::<Vec<_>>();
        tertiary(a).cmp(&tertiary(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underscore_sorts_before_letters_and_digits() {
        let mut names = vec!["models", "model_versions", "datasets", "dataset_versions", "a2", "a_b", "ab"];
        names.sort_by(|a, b| locale_order(a, b));
        assert_eq!(names, ["a_b", "a2", "ab", "dataset_versions", "datasets", "model_versions", "models"]);
    }
}
