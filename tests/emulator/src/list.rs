//! `filter`, `orderBy` and page tokens of list calls.

use std::cmp::Ordering;

use serde_json::Value;

/// A parsed `filter`: `field = "value"` / `field != "value"` terms joined
/// with `AND`. Fields are top-level keys (`displayName`, `jobState`, ...) or
/// dotted paths (`labels.env`).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Filter {
    terms: Vec<Term>,
}

#[derive(Debug, PartialEq)]
struct Term {
    path: Vec<String>,
    negated: bool,
    value: String,
}

impl Filter {
    /// Parses a filter; an empty string matches everything.
    pub(crate) fn parse(text: &str) -> Result<Filter, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Filter::default());
        }
        let terms = text.split(" AND ").map(Term::parse).collect::<Result<Vec<_>, _>>()?;
        Ok(Filter { terms })
    }

    /// Whether `job` satisfies every term.
    pub(crate) fn matches(&self, job: &Value) -> bool {
        self.terms.iter().all(|term| {
            let actual = lookup(job, &term.path).map(as_text).unwrap_or_default();
            (actual == term.value) != term.negated
        })
    }
}

impl Term {
    fn parse(text: &str) -> Result<Term, String> {
        let (field, negated, value) = if let Some((field, value)) = text.split_once("!=") {
            (field, true, value)
        } else if let Some((field, value)) = text.split_once('=') {
            (field, false, value)
        } else {
            return Err(format!("unsupported filter expression {text:?}"));
        };
        let field = field.trim();
        let valid_field = !field.is_empty()
            && field
                .split('.')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !valid_field {
            return Err(format!("invalid filter field {field:?}"));
        }
        let value = value.trim();
        let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(quoted) => quoted,
            None if value.contains(['"', ' ']) || value.is_empty() => {
                return Err(format!("invalid filter value {value:?}"))
            }
            None => value,
        };
        Ok(Term { path: field.split('.').map(str::to_owned).collect(), negated, value: value.to_owned() })
    }
}

/// Fields `orderBy` accepts.
const ORDERABLE: [&str; 5] = ["createTime", "updateTime", "displayName", "name", "jobState"];

/// A parsed `orderBy`: comma-separated fields, each optionally followed by
/// `asc` or `desc`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct OrderBy {
    keys: Vec<(String, bool)>,
}

impl OrderBy {
    /// Parses an `orderBy`; an empty string keeps creation order.
    pub(crate) fn parse(text: &str) -> Result<OrderBy, String> {
        let mut keys = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let mut words = part.split_whitespace();
            let field = words.next().unwrap_or_default();
            if !ORDERABLE.contains(&field) {
                return Err(format!("unsupported orderBy field {field:?}"));
            }
            let descending = match words.next() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(other) => return Err(format!("invalid orderBy direction {other:?}")),
            };
            if words.next().is_some() {
                return Err(format!("invalid orderBy clause {part:?}"));
            }
            keys.push((field.to_owned(), descending));
        }
        Ok(OrderBy { keys })
    }

    /// Compares two jobs (stable sorts keep creation order for ties).
    pub(crate) fn compare(&self, a: &Value, b: &Value) -> Ordering {
        self.keys
            .iter()
            .map(|(field, descending)| {
                let ordering = as_text(&a[field.as_str()]).cmp(&as_text(&b[field.as_str()]));
                if *descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            })
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

fn lookup<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |current, key| current.get(key))
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Page tokens: the offset of the next page, bound to the query that made it
/// (a token used with another parent, filter or orderBy is rejected).
pub(crate) struct PageTokens {
    fingerprint: u64,
}

impl PageTokens {
    /// Tokens for a list query.
    pub(crate) fn new(parent: &str, filter: &str, order_by: &str) -> PageTokens {
        // FNV-1a over the query parts.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in [parent, filter, order_by].join("\u{0}").bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        PageTokens { fingerprint: hash }
    }

    /// The token of the page starting at `offset`.
    pub(crate) fn encode(&self, offset: usize) -> String {
        format!("CAE{offset:x}.{:016x}", self.fingerprint)
    }

    /// The offset a token stands for, if it is valid for this query.
    pub(crate) fn decode(&self, token: &str) -> Option<usize> {
        let (offset, fingerprint) = token.strip_prefix("CAE")?.split_once('.')?;
        let offset = usize::from_str_radix(offset, 16).ok()?;
        (u64::from_str_radix(fingerprint, 16).ok()? == self.fingerprint).then_some(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_match_fields_and_labels() {
        let job = json!({"displayName": "a b", "jobState": "JOB_STATE_SUCCEEDED", "labels": {"env": "dev"}});
        let accept = |text: &str| Filter::parse(text).unwrap().matches(&job);
        assert!(accept(""));
        assert!(accept(r#"displayName="a b""#));
        assert!(accept(r#"displayName = "a b" AND labels.env=dev"#));
        assert!(accept(r#"jobState != "JOB_STATE_FAILED""#));
        assert!(!accept(r#"displayName="a""#));
        assert!(!accept(r#"labels.env="prod""#));
        assert!(!accept(r#"missing="x""#));
    }

    #[test]
    fn bad_filters_are_rejected() {
        for bad in ["displayName", "=x", r#"display Name="x""#, "displayName=a b", "a.=x"] {
            assert!(Filter::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn order_by_sorts_with_ties_broken_by_later_keys() {
        let mut jobs = [
            json!({"displayName": "b", "createTime": "1"}),
            json!({"displayName": "a", "createTime": "2"}),
            json!({"displayName": "b", "createTime": "3"}),
        ];
        let order = OrderBy::parse("displayName, createTime desc").unwrap();
        jobs.sort_by(|a, b| order.compare(a, b));
        let times: Vec<&str> = jobs.iter().map(|j| j["createTime"].as_str().unwrap()).collect();
        assert_eq!(times, ["2", "3", "1"]);
        assert!(OrderBy::parse("color").is_err());
        assert!(OrderBy::parse("createTime sideways").is_err());
        assert_eq!(OrderBy::parse(" ").unwrap(), OrderBy::default());
    }

    #[test]
    fn page_tokens_are_bound_to_the_query() {
        let tokens = PageTokens::new("projects/p/locations/l", "", "");
        let token = tokens.encode(42);
        assert_eq!(tokens.decode(&token), Some(42));
        let other = PageTokens::new("projects/p/locations/l", "displayName=x", "");
        assert_eq!(other.decode(&token), None);
        assert_eq!(tokens.decode("garbage"), None);
        assert_eq!(tokens.decode("CAEzz.0"), None);
    }
}
