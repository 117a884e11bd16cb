//! The request executor: attempts, timeouts and retries.

use std::borrow::Cow;
use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::{Either, FutureExt};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use crate::client::Client;
use crate::data_wrapper;
use crate::decode::decode_json;
use crate::error::{ApiError, Error, Result};
use crate::headers::header_pair;
use crate::options::RequestOptions;
use crate::options::RetryPolicy;
use crate::request::{Method, Request};
use crate::trace::Span;
use crate::transport::{HttpRequest, TransportError};

/// A successful (2xx) response, undecoded.
#[derive(Clone, Debug)]
pub struct RawResponse {
    status: u16,
    body: Bytes,
}

impl RawResponse {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body as JSON (see [`Client::execute`] for empty bodies).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(Some(self.status), &self.body)
    }
}

/// What one attempt sends: the prepared call's parts, its URL its own.
struct Sent<'a> {
    method: Method,
    url: Url,
    headers: &'a HeaderMap,
    body: &'a Bytes,
}

/// Everything an attempt needs, prepared once per call.
struct Prepared<'c> {
    method: Method,
    url: Url,
    /// The client's precomputed headers when the call adds none (the usual case), else the
    /// call's merge of them.
    headers: Cow<'c, HeaderMap>,
    body: Bytes,
}

impl Client {
    /// Sends `request` (retrying per the policies) and decodes the JSON
    /// response as `T`.
    ///
    /// An empty body, `{}` and `null` all decode as `()`, [`crate::wkt::Empty`] or
    /// `None`.
    pub async fn execute<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.execute_raw(request).await?.json()
    }

    /// Sends `request` and ignores the response body.
    pub async fn execute_empty(&self, request: Request) -> Result<()> {
        self.execute_raw(request).await.map(drop)
    }

    /// Sends `request` and returns the undecoded successful response (for a
    /// [`Request::data_wrapper`] call, the `data` member the server wrapped it in).
    ///
    /// Non-2xx responses become [`Error::Api`]. Transient failures are
    /// retried according to the call's (or else the client's)
    /// [`RetryPolicy`]; each attempt is bounded by the call's (or else the
    /// client's) timeout and by what is left of the policy's overall deadline.
    pub async fn execute_raw(&self, request: Request) -> Result<RawResponse> {
        // `prepared` in a block: as a named local it would keep a slot in the future beside
        // the one it moves into.
        let span;
        let sending = {
            let prepared = self.prepare(&request)?;
            span = Span::call(request.id(), prepared.method, &prepared.url);
            self.send_with_retries(&request, prepared, &span)
        };
        let result = span.instrument(sending).await;
        match &result {
            Ok(response) => span.status(response.status),
            Err(error) => span.error(error),
        }
        if request.wraps_data() {
            return result.map(|RawResponse { status, body }| RawResponse { status, body: data_wrapper::unwrap(body) });
        }
        result
    }

    async fn send_with_retries(&self, request: &Request, prepared: Prepared<'_>, span: &Span) -> Result<RawResponse> {
        let options = request.request_options();
        let policy = options.retry_policy().unwrap_or(&self.inner.retry);
        let attempt_timeout = options.timeout().or(self.inner.timeout);
        let idempotent = request.is_idempotent();
        // One reading of the clock per attempt: the overall deadline, what is left of it and
        // the attempt's own all start from it.
        let mut now = Instant::now();
        let deadline = policy.total_timeout().and_then(|total| now.checked_add(total));

        let mut attempt: u32 = 1;
        let mut delay = None;
        // The first attempt sends the prepared URL itself; a retry (rare) writes it out again
        // rather than every call keeping a copy in case.
        let mut first_url = Some(prepared.url);
        loop {
            let remaining = deadline.map(|d| d.saturating_duration_since(now));
            let timeout = min_timeout(attempt_timeout, remaining);
            // The URL and what holds it in a block: a named local would keep its own slot in
            // the call's future beside the attempt's.
            let attempt_span;
            let attempting = {
                let url = match first_url.take() {
                    Some(url) => url,
                    None => self.call_url(request)?,
                };
                attempt_span = Span::attempt(span, attempt, delay, prepared.method, &url);
                let sent = Sent { method: prepared.method, url, headers: &prepared.headers, body: &prepared.body };
                self.attempt(request, sent, now, timeout)
            };
            let result = attempt_span.instrument(attempting).await;
            span.attempts(attempt);
            let error = match result {
                Ok(response) => {
                    attempt_span.status(response.status);
                    return Ok(response);
                }
                Err(error) => error,
            };
            attempt_span.error(&error);
            delay = retry_delay(policy, &error, idempotent, attempt, deadline);
            match delay {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Err(error),
            }
            now = Instant::now();
            attempt += 1;
        }
    }

    fn prepare(&self, request: &Request) -> Result<Prepared<'_>> {
        let options = request.request_options();
        let url = self.call_url(request)?;
        let body = request.body();
        let headers = if request.headers().is_empty() && options.headers().is_empty() {
            Cow::Borrowed(&self.inner.json_headers[usize::from(body.is_some())])
        } else {
            Cow::Owned(json_headers(&self.inner.headers, request.headers(), options.headers(), body.is_some())?)
        };
        // Google front ends reject body-carrying methods without a length: the transport
        // sends an empty body for them.
        let body = body.cloned().unwrap_or_default();
        let body = if request.wraps_data() { data_wrapper::wrap(body) } else { body };
        Ok(Prepared { method: request.method(), url, headers, body })
    }

    /// The URL of `request`: [`Client::request_url`] of its path, query and options.
    fn call_url(&self, request: &Request) -> Result<Url> {
        self.request_url(request.checked_path()?, request.query_pairs(), request.request_options())
    }

    /// The URL of a call: the endpoint and `path`, parsed once (against the endpoint's parsed
    /// URL when the path is plainly relative to it), then the call's `query` and the standard
    /// parameters ([`Client::apply_common`]) appended.
    fn request_url(&self, path: &str, query: &[(String, String)], options: &RequestOptions) -> Result<Url> {
        let path = path.trim_start_matches('/');
        // Bytes, not chars: a `char` pattern decodes the path as it searches.
        if has_query_or_fragment(path.as_bytes()) {
            // A query or fragment in the path itself (hand-built requests): parsed first, so
            // that its parameters count as present.
            return self.request_url_parsed(path, query, options);
        }
        // What parsing the endpoint and path alone drops at their end: spaces and controls.
        let path = path.trim_end_matches(|c: char| c <= ' ');
        let endpoint = &self.inner.endpoint;
        let parsed =
            if plainly_relative(path) { endpoint.url().join(path) } else { Url::parse(&format!("{endpoint}{path}")) };
        let mut url = parsed.map_err(|e| {
            let full = format!("{endpoint}{path}");
            Error::InvalidRequest(format!("invalid request URL {full:?}: {e}"))
        })?;
        // Appended form-encoded, not parsed: the form encoding leaves only characters the
        // query parser keeps as they are, so the bytes are the same without the parser's pass
        // over every character (callgrind: 0.9k instructions less per get, 1.5k per create).
        let standard = self.standard_parameters(options);
        let mut standard = standard
            .into_iter()
            .flatten()
            .filter(|(key, _)| !query.iter().any(|(present, _)| present == key))
            .peekable();
        if !query.is_empty() || standard.peek().is_some() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in query {
                pairs.append_pair(key, value);
            }
            for (key, value) in standard {
                pairs.append_pair(key, value);
            }
        }
        Ok(url)
    }

    /// [`Client::request_url`] by parsing the endpoint and path first, then adding the query.
    fn request_url_parsed(&self, path: &str, query: &[(String, String)], options: &RequestOptions) -> Result<Url> {
        let mut url = self.inner.endpoint.url_for(path)?;
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in query {
                pairs.append_pair(key, value);
            }
        }
        self.apply_standard_parameters(&mut url, options);
        Ok(url)
    }

    /// The standard query parameters of a call, in order: `fields`, `quotaUser` and
    /// `prettyPrint=false`, those that apply.
    fn standard_parameters<'a>(&self, options: &'a RequestOptions) -> [Option<(&'static str, &'a str)>; 3] {
        [
            options.fields().map(|fields| ("fields", fields)),
            options.quota_user().map(|quota_user| ("quotaUser", quota_user)),
            (!self.inner.pretty_print).then_some((PRETTY_PRINT, "false")),
        ]
    }

    /// Adds the standard query parameters to `url`, each unless already in it.
    fn apply_standard_parameters(&self, url: &mut Url, options: &RequestOptions) {
        let present: Vec<String> = url.query_pairs().map(|(key, _)| key.into_owned()).collect();
        let mut standard: Vec<(&str, &str)> = self.standard_parameters(options).into_iter().flatten().collect();
        standard.retain(|(key, _)| !present.iter().any(|p| p == key));
        if !standard.is_empty() {
            url.query_pairs_mut().extend_pairs(standard);
        }
    }

    /// What every request of this client carries, whatever sends it: the client's headers
    /// (user agent, `x-goog-api-client`, quota project, defaults) unless the call sets its
    /// own of the same name, the call's headers, and the standard query parameters
    /// `fields`, `quotaUser` and `prettyPrint=false` (unless already in the URL).
    pub(crate) fn apply_common(&self, url: &mut Url, headers: &mut HeaderMap, options: &RequestOptions) -> Result<()> {
        merge_headers(&self.inner.headers, headers, options.headers())?;
        self.apply_standard_parameters(url, options);
        Ok(())
    }

    /// One attempt: token, send, map non-2xx to errors.
    async fn attempt(
        &self,
        call: &Request,
        sent: Sent<'_>,
        start: Instant,
        timeout: Option<Duration>,
    ) -> Result<RawResponse> {
        let send = async {
            let mut headers = HeaderMap::clone(sent.headers);
            self.add_credentials(&mut headers).await?;
            let request = HttpRequest {
                method: sent.method,
                url: sent.url,
                headers,
                body: sent.body.clone(),
                timeout,
                max_response_bytes: self.inner.max_response_bytes,
            };
            let response = self.inner.transport.send(request).await.map_err(TransportError::into_error)?;
            // Whatever the transport read: a custom one may not stop at the limit itself.
            if response.body.len() as u64 > self.inner.max_response_bytes {
                return Err(Error::ResponseTooLarge { limit: self.inner.max_response_bytes });
            }
            let status = response.status;
            if (200..300).contains(&status) {
                return Ok(RawResponse { status, body: response.body });
            }
            // The URL went to the transport: a redirect's target is resolved against it
            // written out again (error responses only).
            if (300..400).contains(&status) {
                let url = self.call_url(call)?;
                if let Some(target) = crate::redirect::target(&url, status, &response.headers) {
                    return Err(crate::redirect::refused(status, &target?, "API calls do not follow redirects"));
                }
            }
            Err(ApiError::from_response(status, &response.body, retry_after(&response.headers)).into())
        };
        within_from(start, timeout, send).await
    }

    /// The call's credentials: `Authorization: Bearer` (marked sensitive, so it never shows
    /// in debug output) and/or `x-goog-api-key`, whatever the provider supplies.
    pub(crate) async fn add_credentials(&self, headers: &mut HeaderMap) -> Result<()> {
        if let Some(token) = self.inner.auth.token().await? {
            let mut value = HeaderValue::try_from(format!("Bearer {}", token.as_str()))
                .map_err(|_| Error::Auth("the access token contains characters not allowed in a header".into()))?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        if let Some(key) = self.inner.auth.api_key() {
            headers.insert("x-goog-api-key", crate::auth::api_key_header(key)?);
        }
        Ok(())
    }
}

pub(crate) use crate::retry_after::retry_after;

/// The standard parameter every call sends as `false` unless the client is built to pretty
/// print.
const PRETTY_PRINT: &str = "prettyPrint";

/// Whether `path` holds a `?` or `#` (every call's path is searched, and one holding either
/// is rare).
fn has_query_or_fragment(path: &[u8]) -> bool {
    memchr::memchr2(b'?', b'#', path).is_some()
}

/// Whether `path` resolved against the endpoint's URL is the endpoint's text followed by
/// `path`: it starts with a letter or digit (no leading space or control the parser would
/// drop, no `/` or `\` to reach another host or path) and its first segment has no `:` (which
/// would make it a scheme).
fn plainly_relative(path: &str) -> bool {
    let first_segment = path.split(['/', '\\']).next().unwrap_or_default();
    path.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric) && !first_segment.contains(':')
}

/// The headers of a JSON call: `request_headers`, the client's headers and the call's
/// (`option_headers`) merged as [`Client::apply_common`] does, `Accept: application/json`
/// unless one is set, and `Content-Type: application/json` when there is a body. The client
/// computes those of a call without headers of its own once, when built.
pub(crate) fn json_headers(
    client_headers: &HeaderMap,
    request_headers: &[(String, String)],
    option_headers: &[(String, String)],
    body: bool,
) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    for (name, value) in request_headers {
        let (name, value) = header_pair(name, value).map_err(Error::InvalidRequest)?;
        headers.append(name, value);
    }
    merge_headers(client_headers, &mut headers, option_headers)?;
    // The client decodes JSON only: an API offering several media types (XML first, say)
    // must choose JSON. Media transfers do not come through here.
    if !headers.contains_key(ACCEPT) {
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    }
    if body {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    Ok(headers)
}

/// Adds the client's headers to `headers` unless it or the call (`option_headers`) has one
/// of the same name, then the call's, replacing any of the same name.
fn merge_headers(
    client_headers: &HeaderMap,
    headers: &mut HeaderMap,
    option_headers: &[(String, String)],
) -> Result<()> {
    let mut call_headers = HeaderMap::new();
    for (name, value) in option_headers {
        let (name, value) = header_pair(name, value).map_err(Error::InvalidRequest)?;
        call_headers.append(name, value);
    }
    for (name, value) in client_headers {
        if !headers.contains_key(name) && !call_headers.contains_key(name) {
            headers.append(name, value.clone());
        }
    }
    for name in call_headers.keys() {
        headers.remove(name);
    }
    for (name, value) in &call_headers {
        headers.append(name, value.clone());
    }
    Ok(())
}

/// Runs `work` bounded by `timeout` (an elapsed limit is [`Error::Timeout`]).
pub(crate) async fn within<T>(
    timeout: Option<Duration>,
    work: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    within_from(Instant::now(), timeout, work).await
}

/// Runs `work` bounded by `timeout` counted from `start` (an elapsed limit is
/// [`Error::Timeout`]); a limit past the end of time is none. Not an `async fn`: its future
/// holds `work` once (an `async fn` keeps its argument beside the timeout wrapping it, and
/// every move of the call's future copies both).
fn within_from<T, F: Future<Output = Result<T>>>(
    start: Instant,
    timeout: Option<Duration>,
    work: F,
) -> impl Future<Output = Result<T>> {
    match timeout.and_then(|limit| Some((limit, start.checked_add(limit)?))) {
        Some((limit, end)) => {
            Either::Left(tokio::time::timeout_at(end, work).map(move |done| done.unwrap_or(Err(Error::Timeout(limit)))))
        }
        None => Either::Right(work),
    }
}

/// The smaller of two optional limits.
fn min_timeout(a: Option<Duration>, b: Option<Duration>) -> Option<Duration> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The delay before the next attempt, or `None` to give up with `error`.
fn retry_delay(
    policy: &RetryPolicy,
    error: &Error,
    idempotent: bool,
    attempts_made: u32,
    deadline: Option<Instant>,
) -> Option<Duration> {
    if attempts_made >= policy.max_attempts() || !policy.may_retry(error, idempotent) {
        return None;
    }
    let mut delay = policy.backoff(attempts_made - 1);
    if let Some(asked) = error.retry_after() {
        // The server's wish within the policy's bound: a Retry-After of u64::MAX seconds
        // must not become a sleep of that long (nor an Instant overflow).
        delay = delay.max(asked.min(policy.max_backoff()));
    }
    match deadline {
        Some(deadline) if Instant::now().checked_add(delay).is_none_or(|wake| wake >= deadline) => None,
        _ => Some(delay),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_or_fragment_anywhere_in_the_path_is_found() {
        for (path, found) in [("", false), ("v1/a/b:run", false), ("?", true), ("v1/a?x=1", true), ("v1/a#f", true)] {
            assert_eq!(has_query_or_fragment(path.as_bytes()), found, "{path}");
        }
    }

    fn unavailable(retry_after: Option<Duration>) -> Error {
        ApiError::from_response(503, b"", retry_after).into()
    }

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
            .with_max_attempts(3)
            .with_initial_backoff(Duration::from_millis(10))
            .with_jitter(0.0)
            .with_total_timeout(None)
    }

    #[test]
    fn attempt_limit_and_idempotency_stop_retries() {
        let error = unavailable(None);
        assert_eq!(retry_delay(&policy(), &error, true, 1, None), Some(Duration::from_millis(10)));
        assert_eq!(retry_delay(&policy(), &error, true, 2, None), Some(Duration::from_millis(20)));
        assert_eq!(retry_delay(&policy(), &error, true, 3, None), None);
        assert_eq!(retry_delay(&policy(), &error, false, 1, None), None);
    }

    #[test]
    fn retry_after_raises_the_delay() {
        let error = unavailable(Some(Duration::from_secs(2)));
        assert_eq!(retry_delay(&policy(), &error, true, 1, None), Some(Duration::from_secs(2)));
    }

    #[test]
    fn a_retry_after_beyond_the_maximum_backoff_is_cut_to_it() {
        let policy = policy().with_max_backoff(Duration::from_secs(30));
        let asked = |seconds| unavailable(Some(Duration::from_secs(seconds)));
        let max = Some(Duration::from_secs(30));
        assert_eq!(retry_delay(&policy, &asked(30), true, 1, None), max);
        assert_eq!(retry_delay(&policy, &asked(31), true, 1, None), max);
        assert_eq!(retry_delay(&policy, &asked(1_000_000_000), true, 1, None), max);
        assert_eq!(retry_delay(&policy, &asked(u64::MAX), true, 1, None), max);
        let soon = Some(Instant::now() + Duration::from_secs(10));
        assert_eq!(retry_delay(&policy, &asked(u64::MAX), true, 1, soon), None, "30 s would pass the deadline");
        let unbounded = policy.with_max_backoff(Duration::MAX);
        let far = Some(Instant::now() + Duration::from_secs(60));
        assert_eq!(retry_delay(&unbounded, &asked(u64::MAX), true, 1, far), None, "no overflow past the deadline");
    }

    #[tokio::test]
    async fn no_retry_past_the_deadline() {
        let error = unavailable(Some(Duration::from_secs(2)));
        let soon = Instant::now() + Duration::from_secs(1);
        assert_eq!(retry_delay(&policy(), &error, true, 1, Some(soon)), None);
        let later = Instant::now() + Duration::from_secs(60);
        assert!(retry_delay(&policy(), &error, true, 1, Some(later)).is_some());
    }

    #[test]
    fn connect_failures_are_retried_even_when_not_idempotent() {
        let refused = Error::Transport {
            connect: true,
            timeout: false,
            message: "connection refused".into(),
            source: "connection refused".into(),
        };
        assert!(retry_delay(&policy(), &refused, false, 1, None).is_some());
        let reset = Error::Transport {
            connect: false,
            timeout: false,
            message: "connection reset".into(),
            source: "connection reset".into(),
        };
        assert!(retry_delay(&policy(), &reset, false, 1, None).is_none());
        assert!(retry_delay(&policy(), &reset, true, 1, None).is_some());
    }

    #[test]
    fn timeouts_combine() {
        let s = Duration::from_secs;
        assert_eq!(min_timeout(Some(s(5)), Some(s(3))), Some(s(3)));
        assert_eq!(min_timeout(None, Some(s(3))), Some(s(3)));
        assert_eq!(min_timeout(Some(s(5)), None), Some(s(5)));
        assert_eq!(min_timeout(None, None), None);
    }

    #[test]
    fn urls_carry_encoded_query_pairs() {
        let client = Client::builder("http://127.0.0.1:9/base").no_auth().build().unwrap();
        let request =
            Request::new(Method::Get, "v1/a/b:list").query("filter", "displayName=\"x y\"").query_all("f", ["1", "2"]);
        let prepared = client.prepare(&request).unwrap();
        assert_eq!(
            prepared.url.as_str(),
            "http://127.0.0.1:9/base/v1/a/b:list?filter=displayName%3D%22x+y%22&f=1&f=2&prettyPrint=false"
        );
        assert!(prepared.body.is_empty());
        let bad = Request::new(Method::Get, "v1/a").header("x", "line\nbreak");
        assert!(matches!(client.prepare(&bad), Err(Error::InvalidRequest(_))));
        let bad = Request::new(Method::Get, "v1/a").options(RequestOptions::new().with_header("x y", "v"));
        assert!(matches!(client.prepare(&bad), Err(Error::InvalidRequest(_))));
    }

    #[test]
    fn urls_written_out_at_once_are_those_parsed_then_extended() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let queries = [
            pairs(&[]),
            pairs(&[("filter", "displayName=\"x y\" & z+1 é"), ("f", "1"), ("f", "2")]),
            pairs(&[("fields", "kept"), ("prettyPrint", "true"), ("a b", "%2F/?#")]),
        ];
        let options = [
            RequestOptions::new(),
            RequestOptions::new().with_fields("name,items(id)").with_quota_user("u 1"),
            RequestOptions::new().with_quota_user("u"),
        ];
        for base in ["http://127.0.0.1:9/base", "https://example.com/"] {
            for pretty in [false, true] {
                let client = Client::builder(base).no_auth().pretty_print(pretty).build().unwrap();
                for path in [
                    "v1/a/b:list",
                    "/v1/x y/é%2F",
                    "",
                    "v1/{x}/[a]|^`",
                    "v1:run",
                    "a:b/c",
                    " v1/x ",
                    "\\\\host/x",
                    "v1\\x\\y",
                    "v1/x\ty\n",
                    "%2F%2Fhost/x",
                    "v1/x ",
                    "//other.example/x",
                ] {
                    for query in &queries {
                        for options in &options {
                            let fast = client.request_url(path, query, options).unwrap();
                            let parsed =
                                client.request_url_parsed(path.trim_start_matches('/'), query, options).unwrap();
                            assert_eq!(fast.as_str(), parsed.as_str(), "{base} {path} {query:?} {options:?}");
                        }
                    }
                }
            }
        }
        let client = Client::builder("http://127.0.0.1:9/").no_auth().build().unwrap();
        let own = client.request_url("v1/a?prettyPrint=true&x=1#frag", &pairs(&[("y", "2")]), &options[0]).unwrap();
        assert_eq!(own.as_str(), "http://127.0.0.1:9/v1/a?prettyPrint=true&x=1&y=2#frag");
    }

    #[test]
    fn client_headers_yield_to_call_headers_and_standard_parameters_are_added_once() {
        let client = Client::builder("http://127.0.0.1:9/")
            .no_auth()
            .quota_project("billing")
            .default_header("x-both", "client")
            .api_client("google-x-v1", "1.2.3")
            .user_agent("app/1")
            .build()
            .unwrap();
        let options = RequestOptions::new().with_header("x-both", "call").with_fields("name").with_quota_user("u");
        let request = Request::new(Method::Get, "v1/a").query("fields", "kept").options(options);
        let prepared = client.prepare(&request).unwrap();
        assert_eq!(prepared.url.as_str(), "http://127.0.0.1:9/v1/a?fields=kept&quotaUser=u&prettyPrint=false");
        let values =
            |name: &str| -> Vec<&str> { prepared.headers.get_all(name).iter().map(|v| v.to_str().unwrap()).collect() };
        assert_eq!(values("x-both"), ["call"]);
        assert_eq!(values("x-goog-user-project"), ["billing"]);
        assert_eq!(values("user-agent"), ["app/1"]);
        let api_client = format!("google-x-v1/1.2.3 gdcl/{}", env!("CARGO_PKG_VERSION"));
        assert_eq!(values("x-goog-api-client"), [api_client.as_str()]);
        assert_eq!(values("accept"), ["application/json"], "JSON is asked for");
        let own = Request::new(Method::Get, "v1/a").header("accept", "application/problem+json");
        let own = client.prepare(&own).unwrap();
        assert_eq!(own.headers.get_all("accept").iter().count(), 1, "a call's own Accept wins");

        let pretty = Client::builder("http://127.0.0.1:9/").no_auth().pretty_print(true).build().unwrap();
        assert_eq!(pretty.prepare(&Request::new(Method::Get, "v1/a")).unwrap().url.query(), None);
    }

    /// The first attempt sends the prepared URL itself; a retry writes it out again, and a
    /// redirect (refused) is resolved against it written out again: all the same URL.
    #[tokio::test]
    async fn retries_send_the_same_url_and_redirects_resolve_against_it() {
        use crate::transport::{HttpResponse, MockTransport};
        let mock = MockTransport::new();
        mock.push(HttpResponse::new(503, ""));
        mock.push(HttpResponse::json(200, &serde_json::json!({})));
        mock.push(HttpResponse::new(302, "").with_header("location", "../moved?secret=1"));
        let retry = RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)).with_jitter(0.0);
        let client = Client::builder("http://127.0.0.1:9/base/")
            .no_auth()
            .retry_policy(retry)
            .transport(mock.clone())
            .build()
            .unwrap();
        let request =
            || Request::new(Method::Get, "v1/a/b").query("x", "1 2").options(RequestOptions::new().with_fields("f"));
        client.execute_empty(request()).await.unwrap();
        let error = client.execute_empty(request()).await.unwrap_err();
        let urls: Vec<String> = mock.requests().iter().map(|sent| sent.url.to_string()).collect();
        let expected = "http://127.0.0.1:9/base/v1/a/b?x=1+2&fields=f&prettyPrint=false";
        assert_eq!(urls, [expected; 3]);
        match error {
            Error::Redirect { status: 302, location, .. } => assert_eq!(location, "http://127.0.0.1:9/base/v1/moved"),
            other => panic!("{other:?}"),
        }
    }
}
