//! Rust identifiers from Discovery names: case conversion, keywords, clashes, singulars.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: [&str; 51] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// UpperCamelCase for a type or variant (keywords get a trailing `_`).
pub fn camel_string(name: &str) -> String {
    // Non-identifier characters become word breaks before case conversion, so `Ünïcödé`
    // gives `NCD`, not `n_c_d`.
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let camel = sanitize(&ascii.to_upper_camel_case(), "Value");
    if KEYWORDS.contains(&camel.as_str()) {
        format!("{camel}_")
    } else {
        camel
    }
}

/// snake_case for a field, method or module (`ident` makes keywords raw).
pub fn snake_string(name: &str) -> String {
    sanitize(&name.to_snake_case(), "field")
}

/// Keeps identifier characters and makes sure the result starts like an identifier.
fn sanitize(text: &str, fallback: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }) {
        // One `_` for a run of dropped characters (`ventilação` -> `ventila_o`): `__` inside a
        // name is not snake case, and rustc warns about it.
        if !(c == '_' && cleaned.ends_with('_')) {
            cleaned.push(c);
        }
    }
    let cleaned = cleaned.trim_matches('_').to_owned();
    if cleaned.is_empty() {
        fallback.to_owned()
    } else if cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{}{cleaned}", if fallback.starts_with(char::is_uppercase) { "V" } else { "n" })
    } else {
        cleaned
    }
}

/// How `name` is spelled in the code (`emit::ident` builds the token): `r#move` for a keyword,
/// `self_` for one that cannot be raw.
pub fn spelled(name: &str) -> String {
    match name {
        "self" | "Self" | "super" | "crate" | "_" => format!("{name}_"),
        _ if KEYWORDS.contains(&name) => format!("r#{name}"),
        _ => name.to_owned(),
    }
}

/// Makes names unique by appending `_` to later duplicates (never a number: a user cannot
/// guess which number to import).
pub fn dedupe(names: &mut [String]) {
    let mut seen = std::collections::HashSet::new();
    for name in names.iter_mut() {
        // Spelled as `ident` will write them, so `self` and a later `self_` do not meet.
        if matches!(name.as_str(), "self" | "Self" | "super" | "crate" | "_") {
            name.push('_');
        }
        while !seen.insert(name.clone()) {
            name.push('_');
        }
    }
}

/// English singular of a collection name, good enough for Google's resource collections.
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if lower.ends_with("series") || lower.ends_with("species") {
        word.to_owned()
    } else if lower.ends_with("indexes")
        || lower.ends_with("statuses")
        || lower.ends_with("sses")
        || lower.ends_with("xes")
    {
        word[..word.len() - 2].to_owned()
    } else if lower.ends_with("ies") && word.len() > 3 {
        format!("{}y", &word[..word.len() - 3])
    } else if lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("us") && !lower.ends_with("is") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_odd_names_become_valid_identifiers() {
        let snake = |name: &str| spelled(&snake_string(name));
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("displayName"), "display_name");
        assert_eq!(snake("$.xgafv"), "xgafv");
        assert_eq!(snake("123abc"), "n123abc");
        assert_eq!(snake("Ar e ventilação"), "ar_e_ventila_o");
        assert_eq!(snake("a..b"), "a_b");
        assert_eq!(camel_string("JOB_STATE_FAILED"), "JobStateFailed");
        assert_eq!(camel_string("self"), "Self_");
        assert_eq!(camel_string("1x"), "V1x");
        assert_eq!(camel_string("Ünïcödé"), "NCD");
        assert_eq!(camel_string(""), "Value");
    }

    #[test]
    fn the_token_is_spelled_as_the_plan_spells_it() {
        for name in ["type", "self", "Self", "_", "move", "plain", "crate"] {
            assert_eq!(crate::rust::emit::ident(name).to_string(), spelled(name), "{name}");
        }
    }

    #[test]
    fn singulars_of_collections() {
        assert_eq!(singular("notebookExecutionJobs"), "notebookExecutionJob");
        assert_eq!(singular("indexes"), "index");
        assert_eq!(singular("ragCorpora"), "ragCorpora");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("timeSeries"), "timeSeries");
    }

    #[test]
    fn duplicates_get_underscores_not_numbers() {
        let mut names = vec!["a".to_owned(), "a".to_owned(), "a2".to_owned(), "a".to_owned(), "Self_".to_owned()];
        dedupe(&mut names);
        assert_eq!(names, ["a", "a_", "a2", "a__", "Self_"]);
        let mut names = vec!["self".to_owned(), "self".to_owned()];
        dedupe(&mut names);
        assert_eq!(names.iter().map(|n| spelled(n)).collect::<Vec<_>>(), ["self_", "self__"]);
    }
}
