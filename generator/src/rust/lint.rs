//! A check over a generated crate: no public name ends in a number the generator made up to
//! tell two items apart (`OperationName2`, `JobState3`, `field2`). A name may end in digits
//! only when its last word comes from the Discovery document (`Oauth2`, `Sha256`, `ipv4`).

use std::collections::HashSet;

use crate::file::File;

/// `path: name` of every public item, variant or field of `files` (the crate's sources)
/// whose name ends in a number that the document `discovery_json` does not spell.
pub fn numbered_names(discovery_json: &str, files: &[File]) -> Vec<String> {
    let words = document_words(discovery_json);
    let mut found = Vec::new();
    for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
        let Ok(parsed) = syn::parse_file(&file.contents) else {
            found.push(format!("{}: does not parse", file.path));
            continue;
        };
        let mut names = Vec::new();
        parsed.items.iter().for_each(|item| public_names(item, &mut names));
        for name in names {
            if is_made_up_number(&name, &words) {
                found.push(format!("{}: {name}", file.path));
            }
        }
    }
    found
}

/// True when `name` ends in digits and its last word (with the digits) is no word of the
/// document.
fn is_made_up_number(name: &str, words: &HashSet<String>) -> bool {
    let name = name.trim_start_matches("r#");
    if !name.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let last_word = last_word(name);
    // A value that starts with a digit is prefixed to make an identifier (`42` -> `V42`).
    if let Some(digits) = last_word.strip_prefix(['v', 'n']).filter(|d| d.chars().all(|c| c.is_ascii_digit())) {
        if words.contains(digits) {
            return false;
        }
    }
    // The word followed by anything but another digit: `oauth2` in `oauth2info`, not `name2`
    // in `name21`.
    !words.iter().any(|word| {
        word.match_indices(&last_word)
            .any(|(at, _)| !word[at + last_word.len()..].starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The last word with its digits, lower case: `OperationName2` -> `name2`, `cloud_platform2`
/// -> `platform2`, `V1` -> `v1`.
fn last_word(name: &str) -> String {
    let letters = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let start = if name.contains('_') || !letters.chars().any(|c| c.is_ascii_lowercase()) {
        letters.rfind('_').map_or(0, |at| at + 1)
    } else {
        letters.rfind(|c: char| c.is_ascii_uppercase()).unwrap_or(0)
    };
    normalize(&name[start..])
}

fn normalize(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Every key and every space-free string of the document, normalized.
fn document_words(json: &str) -> HashSet<String> {
    fn walk(value: &serde_json::Value, out: &mut HashSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    out.insert(normalize(key));
                    walk(value, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
            serde_json::Value::String(text) if text.len() < 200 && !text.contains(' ') => {
                // Paths and patterns contribute their pieces (`v1/{+name}`, `^projects/[^/]+$`).
                for piece in text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-') {
                    out.insert(normalize(piece));
                }
                out.insert(normalize(text));
            }
            _ => {}
        }
    }
    let mut words = HashSet::new();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(json) {
        walk(&value, &mut words);
    }
    words.remove("");
    words
}

/// Names of public items, impl methods, enum variants and public fields.
fn public_names(item: &syn::Item, out: &mut Vec<String>) {
    let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
    let name = match item {
        syn::Item::Struct(i) if public(&i.vis) => {
            out.extend(
                i.fields.iter().filter(|f| public(&f.vis)).filter_map(|f| f.ident.as_ref()).map(|i| i.to_string()),
            );
            Some(&i.ident)
        }
        syn::Item::Enum(i) if public(&i.vis) => {
            out.extend(i.variants.iter().map(|v| v.ident.to_string()));
            Some(&i.ident)
        }
        // The deprecated aliases of renamed items keep their old names for one release.
        syn::Item::Type(i) if public(&i.vis) && !i.attrs.iter().any(|a| a.path().is_ident("deprecated")) => {
            Some(&i.ident)
        }
        syn::Item::Fn(i) if public(&i.vis) => Some(&i.sig.ident),
        syn::Item::Const(i) if public(&i.vis) => Some(&i.ident),
        syn::Item::Mod(i) => {
            i.content.iter().flat_map(|(_, items)| items).for_each(|inner| public_names(inner, out));
            public(&i.vis).then_some(&i.ident)
        }
        syn::Item::Impl(i) => {
            for inner in &i.items {
                if let syn::ImplItem::Fn(f) = inner {
                    if public(&f.vis) {
                        out.push(f.sig.ident.to_string());
                    }
                }
            }
            None
        }
        _ => None,
    };
    out.extend(name.map(ToString::to_string));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_up_numbers_are_found_and_spelled_ones_are_not() {
        let doc = r#"{"schemas": {"Oauth2Info": {"properties": {"sha256": {}}}}, "enum": ["IPV4_ONLY", "V1"]}"#;
        let code = "pub struct OperationName2 { pub sha256: String, pub name3: String }\n\
                    pub struct Oauth2;\n\
                    pub enum Kind { Ipv4, V1, Value2 }\n\
                    impl Kind { pub fn get2(&self) {} fn private3() {} }\n\
                    pub const CLOUD_PLATFORM2: &str = \"\";\n\
                    #[deprecated(note = \"renamed to Kind\")] pub type Kind2 = Kind;\n";
        let files = [File { path: "src/lib.rs".to_owned(), contents: code.to_owned() }];
        let mut found = numbered_names(doc, &files);
        found.sort();
        let mut expected =
            ["OperationName2", "name3", "Value2", "get2", "CLOUD_PLATFORM2"].map(|n| format!("src/lib.rs: {n}"));
        expected.sort();
        assert_eq!(found, expected);
    }
}
