//! The OAuth2 scopes of the crate: one constant per scope of the document, named from its
//! URL, and the scope requested by default.

use crate::ir::Scope;
use crate::rust::idents::{dedupe, snake_string};

/// The `scopes` module's constants, in the document's order, and which one is the default.
#[derive(Debug, Clone, Default)]
pub struct ScopesPlan {
    pub constants: Vec<ScopeConstant>,
    /// The constant `DEFAULT` names, when the API has scopes.
    pub default: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ScopeConstant {
    pub name: String,
    pub url: String,
    pub description: String,
}

/// The constants of `scopes`: `DEFAULT` is taken first, so that a scope named "default" is
/// the one renamed.
pub fn plan_scopes(scopes: &[Scope]) -> ScopesPlan {
    let mut names: Vec<String> =
        std::iter::once("DEFAULT".to_owned()).chain(scopes.iter().map(|s| constant_name(&s.url))).collect();
    dedupe(&mut names);
    let default = default_scope(scopes).map(|scope| {
        let position = scopes.iter().position(|s| s.url == scope.url).unwrap_or_default();
        names[position + 1].clone()
    });
    let constants = scopes
        .iter()
        .zip(names.into_iter().skip(1))
        .map(|(scope, name)| ScopeConstant { name, url: scope.url.clone(), description: scope.description.clone() })
        .collect();
    ScopesPlan { constants, default }
}

const CLOUD_PLATFORM: &str = "https://www.googleapis.com/auth/cloud-platform";

/// The scope requested by default: `cloud-platform` when the API has it,
/// else the broadest one: the shortest URL that is not read-only (Drive's
/// `.../auth/drive`, Gmail's `https://mail.google.com/`).
fn default_scope(scopes: &[Scope]) -> Option<&Scope> {
    let read_only = |s: &&Scope| ["readonly", "read-only", "read_only"].iter().any(|r| s.url.contains(r));
    scopes.iter().find(|s| s.url == CLOUD_PLATFORM).or_else(|| {
        let writable = || scopes.iter().filter(|s| !read_only(s));
        writable().min_by_key(|s| s.url.len()).or_else(|| scopes.iter().min_by_key(|s| s.url.len()))
    })
}

/// `https://www.googleapis.com/auth/cloud-platform.read-only` ->
/// `CLOUD_PLATFORM_READ_ONLY`; other URLs use their host and path.
fn constant_name(url: &str) -> String {
    let short = url
        .strip_prefix("https://www.googleapis.com/auth/")
        .or_else(|| url.split_once("://").map(|(_, rest)| rest))
        .unwrap_or(url);
    if short.starts_with(|c: char| c.is_ascii_digit()) {
        snake_string(&format!("scope_{short}")).to_uppercase()
    } else {
        snake_string(short).to_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(url: &str) -> Scope {
        Scope { url: url.to_owned(), description: String::new() }
    }

    #[test]
    fn default_is_cloud_platform_else_the_broadest_writable_scope() {
        let aiplatform = [scope("https://www.googleapis.com/auth/cloud-platform.read-only"), scope(CLOUD_PLATFORM)];
        assert_eq!(default_scope(&aiplatform).unwrap().url, CLOUD_PLATFORM);
        let drive = [
            scope("https://www.googleapis.com/auth/drive.readonly"),
            scope("https://www.googleapis.com/auth/drive.file"),
            scope("https://www.googleapis.com/auth/drive"),
        ];
        assert_eq!(default_scope(&drive).unwrap().url, "https://www.googleapis.com/auth/drive");
        let gmail = [scope("https://www.googleapis.com/auth/gmail.modify"), scope("https://mail.google.com/")];
        assert_eq!(default_scope(&gmail).unwrap().url, "https://mail.google.com/");
        let read_only = [scope("https://www.googleapis.com/auth/x.readonly")];
        assert_eq!(default_scope(&read_only).unwrap().url, "https://www.googleapis.com/auth/x.readonly");
        assert!(default_scope(&[]).is_none());
    }

    #[test]
    fn constant_names() {
        assert_eq!(
            constant_name("https://www.googleapis.com/auth/cloud-platform.read-only"),
            "CLOUD_PLATFORM_READ_ONLY"
        );
        assert_eq!(constant_name("https://mail.google.com/"), "MAIL_GOOGLE_COM");
        assert_eq!(constant_name("openid"), "OPENID");
        assert_eq!(constant_name("https://www.googleapis.com/auth/3p"), "SCOPE_3P");
    }
}
