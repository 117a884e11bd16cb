//! The description of one API call, as built by generated code.

use std::fmt;

use bytes::Bytes;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::options::RequestOptions;

/// HTTP method of an API call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
}

impl Method {
    /// The method name, e.g. `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// Idempotency by HTTP semantics (`GET`, `PUT`, `DELETE`, `HEAD`, `OPTIONS`): the
    /// default of [`Request::new`], which generated code may override.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete | Method::Head | Method::Options)
    }

    /// Whether the method carries a body (`POST`, `PUT`, `PATCH`); such
    /// requests are sent with `Content-Length: 0` when they have none.
    pub(crate) fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One API call: method, path relative to the endpoint (already expanded),
/// query parameters, optional JSON body, idempotency and per-call options.
///
/// ```
/// use discogen_runtime::{Method, Request};
///
/// # fn main() -> discogen_runtime::Result<()> {
/// let request = Request::new(Method::Post, "v1/projects/p/locations/l/notebookExecutionJobs")
///     .query("notebookExecutionJobId", "job-1")
///     .query_opt("validateOnly", None::<bool>)
///     .json(&serde_json::json!({"displayName": "nightly"}))?;
/// assert!(!request.is_idempotent());
/// assert_eq!(request.query_pairs(), &[("notebookExecutionJobId".to_string(), "job-1".to_string())]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Bytes>,
    idempotent: bool,
    /// The call's overrides, boxed and only when there are any: a request is moved through
    /// every builder step and future layer of a call, each move a copy of it (the options
    /// alone were 192 of its 344 bytes).
    options: Option<Box<RequestOptions>>,
    method_id: Option<&'static str>,
    /// Why the path expanded from a template must not be sent (a dot segment), naming the
    /// parameter; reported by [`Request::checked_path`].
    refused: Option<String>,
    /// Whether `path` was checked for dot segments already (expanded from a template).
    dots_checked: bool,
    /// The API's `dataWrapper` feature: the body goes out as `{"data": body}` and the
    /// response's `data` member is what is decoded.
    data_wrapper: bool,
}

impl Request {
    /// A request without query, body or options; idempotent by the method's
    /// HTTP semantics ([`Method::is_idempotent`]).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotent: method.is_idempotent(),
            options: None,
            method_id: None,
            refused: None,
            dots_checked: false,
            data_wrapper: false,
        }
    }

    /// A request whose path is `template` (the method's URI template, e.g.
    /// `b/{bucket}/o/{object}` or `v1/{+name}:cancel`) expanded with `values`, one per
    /// expression in order: `{x}` percent-encodes all but unreserved characters, `{+x}` keeps
    /// reserved ones and percent triplets (see [`encode_path_reserved`](crate::__support::encode_path_reserved)).
    /// A value that makes a `.` or `..` path segment is refused when the request is sent,
    /// with an [`Error::InvalidRequest`] naming the method and the parameter: URL
    /// normalisation would remove the segment and reach another resource.
    ///
    /// ```
    /// use discogen_runtime::{Method, Request};
    ///
    /// let request = Request::from_template(Method::Delete, "b/{bucket}/o/{object}", &[&"my-bucket", &"a/b c"]);
    /// assert_eq!(request.checked_path().unwrap(), "b/my-bucket/o/a%2Fb%20c");
    /// let dots = Request::from_template(Method::Delete, "b/{bucket}/o/{object}", &[&"my-bucket", &".."])
    ///     .method_id("storage.objects.delete");
    /// assert!(dots.checked_path().unwrap_err().to_string().contains("storage.objects.delete: path parameter `object` is \"..\""));
    /// ```
    pub fn from_template(method: Method, template: &str, values: &[&dyn fmt::Display]) -> Self {
        let expansion = crate::uri_template::Expansion::new(template, values);
        let mut request = Request::new(method, expansion.path);
        request.refused = expansion.refused;
        request.dots_checked = true;
        request
    }

    /// Marks the request as one that must not be sent, for `why` (kept if one is marked already).
    pub(crate) fn refuse(mut self, why: String) -> Self {
        self.refused.get_or_insert(why);
        self
    }

    /// Appends a query parameter (repeating a key is allowed).
    pub fn query(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Appends a query parameter when `value` is `Some`.
    pub fn query_opt<V: ToString>(self, key: impl Into<String>, value: Option<V>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    /// Appends one `key=value` pair per element (repeated parameters).
    pub fn query_all<I>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: ToString,
    {
        for value in values {
            self.query.push((key.to_owned(), value.to_string()));
        }
        self
    }

    /// Adds a header (for instance `x-goog-request-params`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds an API header parameter (OpenAPI `in: header`) when `value` is `Some`; the value
    /// is checked like every header when the request is sent.
    pub fn header_opt<V: ToString>(self, name: impl Into<String>, value: Option<V>) -> Self {
        match value {
            Some(value) => self.header(name, value.to_string()),
            None => self,
        }
    }

    /// Adds a header parameter holding a list: the values joined by `,` (OpenAPI's `simple`
    /// style, the only one headers have); nothing when the list is empty.
    pub fn header_all<I>(self, name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: ToString,
    {
        let joined: Vec<String> = values.into_iter().map(|value| value.to_string()).collect();
        if joined.is_empty() {
            self
        } else {
            self.header(name, joined.join(","))
        }
    }

    /// Serializes `body` as the JSON request body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(Error::Serialize)?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets whether the call may be retried after it possibly reached the
    /// server (decided by the generated code; see [`RetryPolicy`](crate::RetryPolicy)).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Sets per-call overrides (replacing earlier ones).
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = if options.is_none() { None } else { Some(Box::new(options)) };
        self
    }

    /// Names the API method (its Discovery id, e.g.
    /// `aiplatform.projects.locations.notebookExecutionJobs.get`), for tracing.
    pub fn method_id(mut self, id: &'static str) -> Self {
        self.method_id = Some(id);
        self
    }

    /// Marks a method of an API with Discovery's `dataWrapper` feature (translate v2): the JSON
    /// body is sent as `{"data": body}` (unless it is not an object or has a `data` member
    /// already) and a response object's `data` member is what is returned and decoded, as
    /// Google's client libraries do. Set by the generated code.
    pub fn data_wrapper(mut self) -> Self {
        self.data_wrapper = true;
        self
    }

    /// Whether the body and response are wrapped in `{"data": ...}` ([`Request::data_wrapper`]).
    pub fn wraps_data(&self) -> bool {
        self.data_wrapper
    }

    /// The Discovery method id, if the generated code set one.
    pub fn id(&self) -> Option<&'static str> {
        self.method_id
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path relative to the endpoint.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path, unless it must not be sent: a segment `.` or `..` (also as `%2E`), which URL
    /// normalisation would remove, sending the request to another resource (`DELETE
    /// b/my-bucket/o/..` would become `DELETE b/my-bucket/`). The error names the method and,
    /// for a path built by [`Request::from_template`], the parameter. Checked by everything
    /// that sends a request, before anything is sent.
    ///
    /// ```
    /// use discogen_runtime::{Method, Request};
    ///
    /// assert!(Request::new(Method::Get, "v1/projects/p/../x").checked_path().is_err());
    /// assert_eq!(Request::new(Method::Get, "v1/projects/p/x..").checked_path().unwrap(), "v1/projects/p/x..");
    /// ```
    pub fn checked_path(&self) -> Result<&str> {
        let refused = match &self.refused {
            Some(why) => Some(why.clone()),
            None if self.dots_checked => None,
            None => crate::uri_template::refuse_dot_segment(&self.path),
        };
        match refused {
            Some(why) => {
                Err(Error::InvalidRequest(format!("{}: {why}; not sent", self.method_id.unwrap_or("request"))))
            }
            None => Ok(&self.path),
        }
    }

    /// The query parameters, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The extra headers, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The serialized JSON body.
    pub fn body(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }

    /// Whether the call may be retried: the options' override if set, else
    /// the generated code's decision.
    pub fn is_idempotent(&self) -> bool {
        self.request_options().idempotent().unwrap_or(self.idempotent)
    }

    /// The per-call overrides.
    pub fn request_options(&self) -> &RequestOptions {
        self.options.as_deref().unwrap_or(&NO_OPTIONS)
    }
}

/// What a request without options of its own answers for them.
static NO_OPTIONS: RequestOptions = RequestOptions::NONE;

impl fmt::Debug for Request {
    /// Header values are left out (they may hold secrets); the body is shown
    /// by size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("method_id", &self.method_id)
            .field("path", &self.path)
            .field("refused", &self.refused)
            .field("query", &self.query)
            .field("headers", &header_names)
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("idempotent", &self.is_idempotent())
            .field("options", self.request_options())
            .finish()
    }
}

/// A path built from a call's arguments, and why the call must not be sent when an argument
/// was refused (a resource name given as text that does not match its pattern). The runtime's
/// operations builders hold one; generated code makes them.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct CheckedPath {
    path: String,
    refused: Option<String>,
}

impl CheckedPath {
    /// `path`, refused for `refused` if that is set.
    pub fn new(path: String, refused: Option<String>) -> Self {
        CheckedPath { path, refused }
    }

    /// A request to this path, which fails when sent if the path was refused.
    pub fn request(self, method: Method) -> Request {
        let request = Request::new(method, self.path);
        match self.refused {
            Some(why) => request.refuse(why),
            None => request,
        }
    }
}

impl From<String> for CheckedPath {
    fn from(path: String) -> Self {
        CheckedPath { path, refused: None }
    }
}

impl From<&str> for CheckedPath {
    fn from(path: &str) -> Self {
        CheckedPath { path: path.to_owned(), refused: None }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn idempotency_defaults_follow_http_and_can_be_overridden() {
        assert!(Request::new(Method::Get, "x").is_idempotent());
        assert!(Request::new(Method::Delete, "x").is_idempotent());
        assert!(!Request::new(Method::Post, "x").is_idempotent());
        assert!(!Request::new(Method::Patch, "x").is_idempotent());
        assert!(Request::new(Method::Post, "x").idempotent(true).is_idempotent());
        let forced = Request::new(Method::Get, "x").options(RequestOptions::new().with_idempotent(false));
        assert!(!forced.is_idempotent());
    }

    #[test]
    fn options_replace_the_request_s_and_none_is_the_default() {
        let each = [
            RequestOptions::new().with_retry_policy(crate::RetryPolicy::none()),
            RequestOptions::new().with_timeout(Duration::from_secs(3)),
            RequestOptions::new().with_idempotent(true),
            RequestOptions::new().with_header("x-a", "1"),
            RequestOptions::new().with_fields("name"),
            RequestOptions::new().with_quota_user("u"),
        ];
        for options in each {
            assert!(!options.is_none(), "{options:?}");
            let request = Request::new(Method::Get, "x").options(options.clone());
            assert!(request.request_options() == &options);
            let cleared = request.options(RequestOptions::new());
            assert!(cleared.request_options() == &RequestOptions::default());
        }
        assert!(RequestOptions::NONE == RequestOptions::default() && RequestOptions::NONE.is_none());
        assert!(Request::new(Method::Get, "x").request_options() == &RequestOptions::default());
    }

    #[test]
    fn repeated_and_optional_query_parameters() {
        let request = Request::new(Method::Get, "x")
            .query("pageSize", 3)
            .query_opt("filter", Some("a b"))
            .query_opt::<u32>("skip", None)
            .query_all("fields", ["a", "b"]);
        let pairs: Vec<(&str, &str)> = request.query_pairs().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("pageSize", "3"), ("filter", "a b"), ("fields", "a"), ("fields", "b")]);
    }

    #[test]
    fn debug_hides_header_values_and_body() {
        let request = Request::new(Method::Post, "x")
            .header("x-secret", "hunter2")
            .json(&serde_json::json!({"password": "hunter2"}))
            .unwrap();
        let text = format!("{request:?}");
        assert!(text.contains("x-secret"));
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn options_debug_hides_header_values_and_merges_headers() {
        let call = RequestOptions::new().with_header("x-call", "hunter2").with_fields("name");
        let client = RequestOptions::new().with_header("x-client", "1").with_fields("other").with_quota_user("u");
        assert!(!format!("{call:?}").contains("hunter2"));
        let merged = call.or(client);
        let names: Vec<&str> = merged.headers().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["x-client", "x-call"]);
        assert_eq!(merged.fields(), Some("name"));
        assert_eq!(merged.quota_user(), Some("u"));
    }

    #[test]
    fn options_fall_back_field_by_field() {
        let call = RequestOptions::new().with_timeout(Duration::from_secs(1));
        let defaults = RequestOptions::new().with_timeout(Duration::from_secs(9)).with_idempotent(true);
        let merged = call.or(defaults);
        assert_eq!(merged.timeout(), Some(Duration::from_secs(1)));
        assert_eq!(merged.idempotent(), Some(true));
        assert!(merged.retry_policy().is_none());
    }

    #[test]
    fn unserializable_body_is_an_error() {
        let mut map = std::collections::HashMap::new();
        map.insert((1, 2), 3);
        let err = Request::new(Method::Post, "x").json(&map).unwrap_err();
        assert!(matches!(err, Error::Serialize(_)));
    }

    #[test]
    fn a_mask_without_the_field_gets_it_appended_once() {
        let selected = |mask: &str| {
            RequestOptions::new().with_fields(mask).with_field_selected("nextPageToken").fields().map(str::to_owned)
        };
        assert_eq!(selected("files(id,name)").as_deref(), Some("files(id,name),nextPageToken"));
        // A token name inside a sub-selection is another field.
        assert_eq!(selected("items(nextPageToken)").as_deref(), Some("items(nextPageToken),nextPageToken"));
        assert_eq!(selected("kind,items/id").as_deref(), Some("kind,items/id,nextPageToken"));
        assert_eq!(selected("").as_deref(), Some("nextPageToken"));
        assert_eq!(selected("nextPageTokens").as_deref(), Some("nextPageTokens,nextPageToken"));
        for kept in ["nextPageToken", "files(id), nextPageToken ", "*", "a(b,c),*", "nextPageToken(*)"] {
            assert_eq!(selected(kept).as_deref(), Some(kept), "{kept}");
        }
        assert_eq!(RequestOptions::new().with_field_selected("nextPageToken").fields(), None);
    }
}
