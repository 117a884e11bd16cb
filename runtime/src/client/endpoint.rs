//! Base URLs: the global endpoint, regional endpoints, or any URL (emulators).

use url::Url;

use crate::error::{Error, Result};

/// The base URL requests are sent to, e.g. `https://aiplatform.googleapis.com/`.
///
/// Always ends with `/`; request paths (`v1/projects/...`) are appended to it,
/// so a base URL with a path prefix (`http://127.0.0.1:8080/proxy/`) works.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    base: String,
    /// `base` parsed, which request paths are resolved against (its host is not parsed again
    /// per call).
    url: Url,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint").field("base", &self.base).finish()
    }
}

impl Endpoint {
    /// Validates `url`: an absolute `http` or `https` URL without query or
    /// fragment. A missing trailing `/` is added.
    pub fn new(url: &str) -> Result<Endpoint> {
        let parsed = Url::parse(url).map_err(|e| Error::Config(format!("invalid endpoint URL {url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!("endpoint URL {url:?} must use http or https")));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() || parsed.cannot_be_a_base() {
            return Err(Error::Config(format!("endpoint URL {url:?} must not have a query or fragment")));
        }
        let mut base = parsed.to_string();
        if !base.ends_with('/') {
            base.push('/');
        }
        let url = Url::parse(&base).map_err(|e| Error::Config(format!("invalid endpoint URL {url:?}: {e}")))?;
        Ok(Endpoint { base, url })
    }

    /// The base URL, ending with `/`.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// The base URL, parsed.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// The absolute URL of a request: `path` (without a leading `/`) appended
    /// to the base.
    pub(crate) fn url_for(&self, path: &str) -> Result<Url> {
        let full = format!("{}{}", self.base, path.trim_start_matches('/'));
        Url::parse(&full).map_err(|e| Error::InvalidRequest(format!("invalid request URL {full:?}: {e}")))
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.base)
    }
}

/// How to find the endpoint of a location (region).
///
/// Generated clients fill it from the Discovery document: a template such as
/// `https://{location}-aiplatform.googleapis.com/` and/or the document's list
/// of regional endpoints. Listed locations win over the template.
///
/// ```
/// use discogen_runtime::client::RegionalEndpoints;
///
/// let regions = RegionalEndpoints::from_template("https://{location}-aiplatform.googleapis.com/")
///     .with_endpoint("eu", "https://eu-aiplatform.example.com/");
/// assert_eq!(
///     regions.resolve("us-central1").unwrap().as_str(),
///     "https://us-central1-aiplatform.googleapis.com/"
/// );
/// assert_eq!(regions.resolve("eu").unwrap().as_str(), "https://eu-aiplatform.example.com/");
/// assert!(regions.resolve("us-central1/../x").is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegionalEndpoints {
    template: Option<String>,
    known: Vec<(String, String)>,
}

impl RegionalEndpoints {
    /// No template and no list: every location is unknown.
    pub fn new() -> Self {
        Self::default()
    }

    /// Endpoints built from a template containing `{location}`.
    pub fn from_template(template: impl Into<String>) -> Self {
        RegionalEndpoints { template: Some(template.into()), known: Vec::new() }
    }

    /// Endpoints from a list of `(location, url)` pairs.
    pub fn from_list(list: &[(&str, &str)]) -> Self {
        list.iter().fold(Self::new(), |acc, (location, url)| acc.with_endpoint(*location, *url))
    }

    /// Adds (or replaces) the endpoint of one location.
    pub fn with_endpoint(mut self, location: impl Into<String>, url: impl Into<String>) -> Self {
        let location = location.into();
        self.known.retain(|(known, _)| *known != location);
        self.known.push((location, url.into()));
        self
    }

    /// Sets the template used for locations that are not listed.
    pub fn with_template(mut self, template: impl Into<String>) -> Self {
        self.template = Some(template.into());
        self
    }

    /// The endpoint of `location`. Fails if the location is not a plain
    /// region name (lowercase letters, digits, `-`) or is neither listed nor
    /// covered by a template.
    pub fn resolve(&self, location: &str) -> Result<Endpoint> {
        let valid =
            !location.is_empty() && location.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return Err(Error::Config(format!("invalid location {location:?}")));
        }
        if let Some((_, url)) = self.known.iter().find(|(known, _)| known == location) {
            return Endpoint::new(url);
        }
        match &self.template {
            Some(template) if template.contains("{location}") => {
                Endpoint::new(&template.replace("{location}", location))
            }
            Some(template) => {
                Err(Error::Config(format!("regional endpoint template {template:?} has no {{location}} placeholder")))
            }
            None => Err(Error::Config(format!("no regional endpoint known for location {location:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slash_is_added_and_paths_are_appended() {
        let endpoint = Endpoint::new("http://127.0.0.1:8080").unwrap();
        assert_eq!(endpoint.as_str(), "http://127.0.0.1:8080/");
        let prefixed = Endpoint::new("https://example.com/proxy").unwrap();
        assert_eq!(
            prefixed.url_for("/v1/projects/p:run").unwrap().as_str(),
            "https://example.com/proxy/v1/projects/p:run"
        );
    }

    #[test]
    fn bad_endpoints_are_rejected() {
        for bad in ["", "aiplatform.googleapis.com", "ftp://x/", "https://x/?a=b", "https://x/#f"] {
            let err = Endpoint::new(bad).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{bad}: {err}");
        }
    }

    #[test]
    fn regions_without_template_or_entry_fail() {
        let none = RegionalEndpoints::new();
        assert!(none.resolve("us-central1").is_err());
        let no_placeholder = RegionalEndpoints::from_template("https://x/");
        assert!(no_placeholder.resolve("us-central1").is_err());
        let listed = RegionalEndpoints::from_list(&[("a", "https://a/"), ("a", "https://b/")]);
        assert_eq!(listed.resolve("a").unwrap().as_str(), "https://b/");
        assert!(listed.with_template("https://{location}.x/").resolve("US").is_err());
    }
}
