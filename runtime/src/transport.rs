//! What sends an HTTP request: reqwest by default, anything implementing [`Transport`]
//! otherwise (a [`MockTransport`] in unit tests of application code, an instrumented or
//! proxied stack in production).
//!
//! The executor builds an [`HttpRequest`] (URL with query, headers with credentials, body),
//! hands it to the transport once per attempt, and interprets the [`HttpResponse`]: retries,
//! timeouts, error decoding and tracing stay in the runtime whatever the transport.
//!
//! Media (uploads and downloads, [`crate::media`]) goes through the same transport, by
//! [`Transport::send_streaming`]: the request is an [`HttpRequest`] as well (an upload's body
//! is at most one chunk, already in memory), the response a [`StreamingResponse`] whose body
//! is read as it arrives.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use url::Url;

use crate::error::{error_chain, BoxError};
use crate::request::Method;

/// The HTTP client the runtime is built on, for
/// [`ClientBuilder::http_client_builder`](crate::ClientBuilder::http_client_builder) (proxies,
/// custom root certificates) with a matching version. The TLS backend is a cargo feature (see
/// [`TLS_BACKEND`]); call [`install_crypto_provider`] before building a `reqwest::Client`
/// yourself.
pub use reqwest;

pub use crate::tls::TLS_BACKEND;

/// Installs the rustls crypto provider of the enabled TLS feature (`aws-lc-rs` or `ring`) as
/// the process default, unless one is installed already.
/// [`ClientBuilder::build`](crate::ClientBuilder::build) does this; call it before building
/// your own `reqwest::Client` for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
pub fn install_crypto_provider() {
    crate::tls::ensure_crypto_provider();
}

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// The future of [`Transport::send_streaming`]: done once the status and headers are in.
pub type StreamingFuture<'a> = Pin<Box<dyn Future<Output = Result<StreamingResponse, TransportError>> + Send + 'a>>;

/// The body of a [`StreamingResponse`]: its bytes in order, as they arrive; `Err` ends it
/// (a connection cut mid-body).
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send + 'static>>;

/// Sends one HTTP request and reads the whole response.
///
/// Called once per attempt; the runtime decides about retries from the result. Non-2xx
/// statuses are responses, not errors: return them as [`HttpResponse`].
///
/// Media calls use [`send_streaming`](Self::send_streaming), which by default is `send` with
/// the whole response body as one chunk; a transport that implements only `send` therefore
/// carries media too, each response in memory (within
/// [`max_response_bytes`](HttpRequest::max_response_bytes) if `send` honours it). Implement
/// `send_streaming` as well to stream downloads of any size.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request`.
    fn send(&self, request: HttpRequest) -> TransportFuture<'_>;

    /// Sends `request` (a media upload, one chunk of one, a session query or a download) and
    /// returns as soon as the status and headers are in; the body is read from
    /// [`StreamingResponse::body`] as it arrives. The runtime bounds each wait (the request's
    /// [`timeout`](HttpRequest::timeout) applies to the headers, then to each chunk), checks
    /// redirects, resumes cut downloads with `Range` and reads at most
    /// [`max_response_bytes`](HttpRequest::max_response_bytes) of an error or JSON body; a
    /// media body it streams whatever its length, so do not apply the limit to it here.
    ///
    /// The default calls [`send`](Self::send) and returns its body as one chunk.
    ///
    /// ```
    /// use discogen_runtime::transport::{
    ///     HttpRequest, StreamingFuture, StreamingResponse, Transport, TransportFuture,
    /// };
    ///
    /// /// A transport that logs every media request and hands it to reqwest.
    /// #[derive(Debug)]
    /// struct Logged(discogen_runtime::transport::ReqwestTransport);
    ///
    /// impl Transport for Logged {
    ///     fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
    ///         self.0.send(request)
    ///     }
    ///
    ///     fn send_streaming(&self, request: HttpRequest) -> StreamingFuture<'_> {
    ///         eprintln!("media: {} {} ({} bytes)", request.method, request.url.path(), request.body.len());
    ///         self.0.send_streaming(request)
    ///     }
    /// }
    /// # let _ = StreamingResponse::from(discogen_runtime::transport::HttpResponse::new(200, ""));
    /// ```
    fn send_streaming(&self, request: HttpRequest) -> StreamingFuture<'_> {
        let sent = self.send(request);
        Box::pin(async move { sent.await.map(StreamingResponse::from) })
    }
}

/// One attempt of an API call, as handed to a [`Transport`].
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// Every header: the client's, the call's, credentials (marked sensitive) and
    /// `Content-Type`.
    pub headers: HeaderMap,
    /// The body; empty for methods without one.
    pub body: Bytes,
    /// What is left of the attempt's time budget. The runtime enforces it whatever the
    /// transport does; a transport may use it to give up earlier.
    pub timeout: Option<Duration>,
    /// The most body bytes to read ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
    /// The runtime rejects a longer body whatever the transport does; a transport should
    /// stop reading past it ([`TransportError::response_too_large`]) rather than buffer it.
    pub max_response_bytes: u64,
}

impl HttpRequest {
    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The decoded values of query parameter `key`, in order.
    pub fn query_values(&self, key: &str) -> Vec<String> {
        self.url.query_pairs().filter(|(k, _)| k == key).map(|(_, v)| v.into_owned()).collect()
    }

    /// The first decoded value of query parameter `key`.
    pub fn query_value(&self, key: &str) -> Option<String> {
        self.query_values(key).into_iter().next()
    }

    /// The body parsed as JSON (`Null` when empty or not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

impl fmt::Debug for HttpRequest {
    /// Header values are left out (credentials); so is the query (it may carry keys).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.url.path())
            .field("headers", &header_names)
            .field("body_len", &self.body.len())
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// A response as read by a [`Transport`], any status.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (the runtime reads `Retry-After`).
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response with `status` and `body` and no headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse { status, headers: HeaderMap::new(), body: body.into() }
    }

    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        let mut response = HttpResponse::new(status, body.to_string());
        response.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=UTF-8"));
        response
    }

    /// Adds a header (ignored when the name or value is not valid HTTP).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Ok((name, value)) = crate::headers::header_pair(name, value) {
            self.headers.append(name, value);
        }
        self
    }
}

/// A response whose body is read as it arrives: what [`Transport::send_streaming`] returns.
#[non_exhaustive]
pub struct StreamingResponse {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (the runtime reads `Content-Length`, `Content-Range`, `ETag`,
    /// `Location`, `Range` and `Retry-After`).
    pub headers: HeaderMap,
    /// The body. A body that ends before its `Content-Length` is a cut connection.
    pub body: BodyStream,
}

impl StreamingResponse {
    /// A response with `status`, `headers` and a body read from `body`.
    ///
    /// ```
    /// use discogen_runtime::transport::{reqwest::header::HeaderMap, StreamingResponse};
    /// use bytes::Bytes;
    ///
    /// let chunks = vec![Ok(Bytes::from_static(b"hello, ")), Ok(Bytes::from_static(b"world"))];
    /// let response = StreamingResponse::new(200, HeaderMap::new(), futures_util::stream::iter(chunks));
    /// assert_eq!(response.status, 200);
    /// ```
    pub fn new(
        status: u16,
        headers: HeaderMap,
        body: impl Stream<Item = Result<Bytes, TransportError>> + Send + 'static,
    ) -> Self {
        StreamingResponse { status, headers, body: Box::pin(body) }
    }

    /// The `Content-Length` header, if present and a number.
    pub fn content_length(&self) -> Option<u64> {
        self.headers.get(CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
    }

    /// Reads the whole body, stopping with [`TransportError::response_too_large`] once it
    /// passes `limit` bytes (neither the `Content-Length` nor its absence is trusted).
    pub async fn collect(self, limit: u64) -> Result<Bytes, TransportError> {
        if self.content_length().is_some_and(|length| length > limit) {
            return Err(TransportError::response_too_large(limit));
        }
        let mut body = self.body;
        let Some(first) = body.next().await.transpose()? else { return Ok(Bytes::new()) };
        if first.len() as u64 > limit {
            return Err(TransportError::response_too_large(limit));
        }
        let Some(second) = body.next().await.transpose()? else { return Ok(first) };
        let mut all = bytes::BytesMut::with_capacity(first.len() + second.len());
        all.extend_from_slice(&first);
        let mut next = Some(second);
        while let Some(chunk) = next {
            if (all.len() + chunk.len()) as u64 > limit {
                return Err(TransportError::response_too_large(limit));
            }
            all.extend_from_slice(&chunk);
            next = body.next().await.transpose()?;
        }
        Ok(all.freeze())
    }
}

impl From<HttpResponse> for StreamingResponse {
    /// The whole body as one chunk.
    fn from(response: HttpResponse) -> Self {
        let body = response.body;
        let chunks = (!body.is_empty()).then_some(Ok(body));
        StreamingResponse::new(response.status, response.headers, futures_util::stream::iter(chunks))
    }
}

impl fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().map(HeaderName::as_str).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The request could not be sent or the response could not be read.
#[derive(Debug)]
pub struct TransportError {
    connect: bool,
    timeout: bool,
    /// The body passed this many bytes: [`crate::Error::ResponseTooLarge`].
    too_large: Option<u64>,
    source: BoxError,
    /// The user's HTTP client followed a redirect: a configuration error, never retried.
    misconfigured: bool,
}

impl TransportError {
    /// A failure after the request may have reached the server (reset, broken body): only
    /// idempotent calls are retried.
    pub fn new(source: impl Into<BoxError>) -> Self {
        TransportError { connect: false, timeout: false, too_large: None, misconfigured: false, source: source.into() }
    }

    /// The body was longer than [`HttpRequest::max_response_bytes`] (`limit`); reading
    /// stopped there.
    pub fn response_too_large(limit: u64) -> Self {
        let message = format!("response body larger than the limit of {limit} bytes");
        TransportError { too_large: Some(limit), ..TransportError::new(message) }
    }

    /// The connection could not be opened, so the server never saw the request: every
    /// call may be retried.
    pub fn connect(source: impl Into<BoxError>) -> Self {
        TransportError { connect: true, ..TransportError::new(source) }
    }

    /// The transport's own timeout fired.
    pub fn timeout(source: impl Into<BoxError>) -> Self {
        TransportError { timeout: true, ..TransportError::new(source) }
    }

    /// Whether the connection could not be opened.
    pub fn is_connect(&self) -> bool {
        self.connect
    }

    /// Whether the transport timed out.
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }

    /// Whether the body was longer than the request's limit.
    pub fn is_response_too_large(&self) -> bool {
        self.too_large.is_some()
    }

    pub(crate) fn into_error(self) -> crate::Error {
        if let Some(limit) = self.too_large {
            return crate::Error::ResponseTooLarge { limit };
        }
        if self.misconfigured {
            return crate::Error::Config(error_chain(&*self.source));
        }
        crate::Error::Transport {
            connect: self.connect,
            timeout: self.timeout,
            message: error_chain(&*self.source),
            source: self.source,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&error_chain(&*self.source))
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

impl From<reqwest::Error> for TransportError {
    fn from(err: reqwest::Error) -> Self {
        let err = crate::error::without_query(err);
        TransportError {
            connect: err.is_connect(),
            timeout: err.is_timeout(),
            too_large: None,
            misconfigured: false,
            source: Box::new(err),
        }
    }
}

/// The body of `response`, read chunk by chunk and abandoned once it passes `limit` bytes:
/// neither a `Content-Length` nor its absence is trusted, so a lying or endless body costs
/// at most `limit` bytes of memory.
pub(crate) async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<Bytes, TransportError> {
    let length = response.content_length();
    if length.is_some_and(|length| length > limit) {
        return Err(TransportError::response_too_large(limit));
    }
    // A small body usually comes as one chunk: kept as it is, not copied.
    let Some(first) = response.chunk().await? else { return Ok(Bytes::new()) };
    if first.len() as u64 > limit {
        return Err(TransportError::response_too_large(limit));
    }
    let Some(second) = response.chunk().await? else { return Ok(first) };
    // The announced length as a first guess of the size, not trusted beyond 1 MiB (a lying
    // server must not make us reserve the limit up front).
    let expected = length.unwrap_or(0).min(limit).min(1 << 20) as usize;
    let mut body = bytes::BytesMut::with_capacity(expected.max(first.len() + second.len()));
    let mut next = Some(second);
    body.extend_from_slice(&first);
    while let Some(chunk) = next {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(TransportError::response_too_large(limit));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok(body.freeze())
}

/// The default transport: a `reqwest::Client` (connection pool, TLS, proxies as configured
/// on it).
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    http: reqwest::Client,
}

impl ReqwestTransport {
    /// Sends through `http`.
    pub fn new(http: reqwest::Client) -> Self {
        ReqwestTransport { http }
    }
}

impl ReqwestTransport {
    /// Sends `request` and returns the response once its headers are in. A redirect the
    /// user's `reqwest::Client` followed on its own is a configuration error.
    async fn execute(&self, request: HttpRequest) -> Result<reqwest::Response, TransportError> {
        let method = request.method.to_reqwest();
        let mut sent = if request.url.username().is_empty() && request.url.password().is_none() {
            // The request built directly (no `RequestBuilder`): the headers are moved in, not
            // copied entry by entry.
            let mut sent = reqwest::Request::new(method, request.url);
            *sent.headers_mut() = request.headers;
            sent
        } else {
            // User info (a redirect target or session URI of a media call): reqwest's builder
            // moves it out of the URL into `Authorization: Basic`, so that no secret stays in
            // the URL (connection pool keys, logs); the request's own headers win over it.
            let mut sent = self.http.request(method, request.url).build()?;
            let mut headers = request.headers;
            for (name, value) in sent.headers() {
                if !headers.contains_key(name) {
                    headers.insert(name.clone(), value.clone());
                }
            }
            *sent.headers_mut() = headers;
            sent
        };
        if request.method.has_body() || !request.body.is_empty() {
            *sent.body_mut() = Some(request.body.into());
        }
        let url = sent.url().clone();
        let response = self.http.execute(sent).await?;
        if response.url() != &url {
            let error = TransportError::new(followed_redirect(response.url()));
            return Err(TransportError { misconfigured: true, ..error });
        }
        Ok(response)
    }
}

impl Transport for ReqwestTransport {
    // No reqwest timeout: the runtime's own bound on the attempt (token fetch included)
    // gives one `Error::Timeout` whatever the transport.
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            let limit = request.max_response_bytes;
            let mut response = self.execute(request).await?;
            let status = response.status().as_u16();
            // Taken, not cloned: the body is read without them.
            let headers = std::mem::take(response.headers_mut());
            let body = read_body(response, limit).await?;
            Ok(HttpResponse { status, headers, body })
        })
    }

    fn send_streaming(&self, request: HttpRequest) -> StreamingFuture<'_> {
        Box::pin(async move {
            let mut response = self.execute(request).await?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = futures_util::stream::unfold(Some(response), |response| async move {
                let mut response = response?;
                match response.chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                    Ok(None) => None,
                    Err(error) => Some((Err(TransportError::from(error)), None)),
                }
            });
            Ok(StreamingResponse::new(status, headers, body))
        })
    }
}

/// The error for a `reqwest::Client` of the user's that followed a redirect on its own
/// (the runtime's clients follow none): the call fails, naming where it went.
pub(crate) fn followed_redirect(to: &Url) -> String {
    format!(
        "the HTTP client followed a redirect to {}; build it with \
         redirect(reqwest::redirect::Policy::none()) or use ClientBuilder::http_client_builder",
        crate::redact::redacted(to)
    )
}

type Responder = dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync;

/// A transport for unit tests: answers from a queue of canned responses (or a closure) and
/// records every request, so application code using a generated client can be tested
/// without a network.
///
/// Clones share the queue and the record: keep one, give the other to the client builder.
/// A request with nothing queued gets `501 UNIMPLEMENTED` (which is not retried), naming
/// the method and path. Media calls (uploads, downloads) are recorded and answered the same
/// way: see [`Transport::send_streaming`] on this type.
///
/// ```
/// use discogen_runtime::{Client, Method, Request};
/// use discogen_runtime::transport::{HttpResponse, MockTransport};
/// use serde_json::json;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> discogen_runtime::Result<()> {
/// let mock = MockTransport::new();
/// mock.push(HttpResponse::json(200, &json!({"name": "jobs/1"})));
/// let client = Client::builder("https://example.googleapis.com/")
///     .bearer_token("test-token")
///     .transport(mock.clone())
///     .build()?;
///
/// let job: serde_json::Value = client.execute(Request::new(Method::Get, "v1/jobs/1")).await?;
/// assert_eq!(job["name"], "jobs/1");
///
/// let sent = mock.requests();
/// assert_eq!(sent.len(), 1);
/// assert_eq!(sent[0].url.path(), "/v1/jobs/1");
/// assert_eq!(sent[0].header("authorization"), Some("Bearer test-token"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<MockState>>,
}

#[derive(Default)]
struct MockState {
    queue: VecDeque<Result<HttpResponse, TransportError>>,
    responder: Option<Arc<Responder>>,
    requests: Vec<HttpRequest>,
}

impl MockTransport {
    /// The largest piece of a body [`Transport::send_streaming`] yields: media bodies
    /// arrive in several pieces, as from a network.
    pub const MOCK_CHUNK: usize = 64 * 1024;

    /// A mock with nothing queued.
    pub fn new() -> Self {
        Self::default()
    }

    /// A mock that answers every request with `responder` (after the queue is empty).
    pub fn with_responder(
        responder: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> Self {
        let mock = Self::new();
        mock.lock().responder = Some(Arc::new(responder));
        mock
    }

    /// Queues a response for the next request.
    pub fn push(&self, response: HttpResponse) -> &Self {
        self.lock().queue.push_back(Ok(response));
        self
    }

    /// Queues a JSON response for the next request.
    pub fn push_json(&self, status: u16, body: serde_json::Value) -> &Self {
        self.push(HttpResponse::json(status, &body))
    }

    /// Queues a transport failure for the next request.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.lock().queue.push_back(Err(error));
        self
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }

    /// How many queued responses are left.
    pub fn pending(&self) -> usize {
        self.lock().queue.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MockState> {
        // A panicking test thread must not hide the record from the others.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn answer(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut state = self.lock();
        state.requests.push(request.clone());
        if let Some(answer) = state.queue.pop_front() {
            return answer;
        }
        match state.responder.clone() {
            Some(responder) => {
                drop(state);
                responder(&request)
            }
            None => Ok(HttpResponse::json(
                501,
                &serde_json::json!({"error": {
                    "code": 501,
                    "status": "UNIMPLEMENTED",
                    "message": format!("MockTransport: no response queued for {} {}", request.method, request.url.path()),
                }}),
            )),
        }
    }
}

impl Transport for MockTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let answer = self.answer(request);
        Box::pin(async move { answer })
    }

    /// Records the request like [`send`](Self::send) (an upload's body is its bytes) and
    /// answers from the same queue, the body streamed in pieces of at most
    /// [`MOCK_CHUNK`](MockTransport::MOCK_CHUNK) bytes. A response whose `Content-Length`
    /// says more than its body is a connection cut at the end of the body.
    fn send_streaming(&self, request: HttpRequest) -> StreamingFuture<'_> {
        let answer = self.answer(request).map(|response| {
            let mut body = response.body;
            let chunks = std::iter::from_fn(move || {
                (!body.is_empty()).then(|| Ok(body.split_to(body.len().min(Self::MOCK_CHUNK))))
            });
            StreamingResponse::new(response.status, response.headers, futures_util::stream::iter(chunks))
        });
        Box::pin(async move { answer })
    }
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MockTransport")
            .field("queued", &state.queue.len())
            .field("responder", &state.responder.is_some())
            .field("requests", &state.requests.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: Url::parse(&format!("https://example.com/{path}?key=secret")).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            timeout: None,
            max_response_bytes: u64::MAX,
        }
    }

    #[tokio::test]
    async fn queue_then_responder_then_nothing() {
        let mock = MockTransport::new();
        mock.push(HttpResponse::new(200, "first")).push_error(TransportError::connect("refused"));
        assert_eq!(mock.send(request("a")).await.unwrap().body, "first");
        assert!(mock.send(request("b")).await.unwrap_err().is_connect());
        let empty = mock.send(request("c")).await.unwrap();
        assert_eq!(empty.status, 501);
        assert!(String::from_utf8_lossy(&empty.body).contains("GET /c"));
        let paths: Vec<String> = mock.requests().iter().map(|r| r.url.path().to_owned()).collect();
        assert_eq!(paths, ["/a", "/b", "/c"]);

        let echo = MockTransport::with_responder(|r| Ok(HttpResponse::new(200, r.url.path().to_owned())));
        assert_eq!(echo.send(request("x")).await.unwrap().body, "/x");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_an_error_naming_the_limit_whatever_the_transport() {
        let mock = MockTransport::new();
        mock.push(HttpResponse::new(200, "[1,2,3,4]")).push(HttpResponse::new(200, "[1,2,3,4,5]"));
        let client = crate::Client::builder("https://example.com/")
            .no_auth()
            .max_response_bytes(9)
            .transport(mock.clone())
            .build()
            .unwrap();
        let get = || client.execute::<Vec<u8>>(crate::Request::new(Method::Get, "v1/x"));
        assert_eq!(get().await.unwrap(), [1, 2, 3, 4]);
        let err = get().await.unwrap_err();
        assert!(matches!(err, crate::Error::ResponseTooLarge { limit: 9 }), "{err:?}");
        assert!(err.to_string().contains("limit of 9 bytes"), "{err}");
        assert_eq!(mock.requests().len(), 2, "not retried");
        assert_eq!(mock.requests()[0].max_response_bytes, 9, "the transport is told the limit");
    }

    /// User info in a URL (a media redirect target or session URI) leaves the URL as
    /// `Authorization: Basic`, as reqwest's request builder does, so that it is in no
    /// connection pool key or log; a header of the request's own wins over it.
    #[tokio::test]
    async fn user_info_goes_into_basic_credentials_not_the_url() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let mut heads = Vec::new();
            for _ in 0..2 {
                let (mut stream, _) = listener.accept().await.unwrap();
                let mut head = Vec::new();
                while !head.ends_with(b"\r\n\r\n") {
                    let mut byte = [0u8];
                    stream.read_exact(&mut byte).await.unwrap();
                    head.push(byte[0]);
                }
                stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").await.unwrap();
                heads.push(String::from_utf8(head).unwrap().to_ascii_lowercase());
            }
            heads
        });
        crate::tls::ensure_crypto_provider();
        let http = crate::http_client::runtime_http(reqwest::Client::builder()).build().unwrap();
        let transport = ReqwestTransport::new(http);
        let mut sent = request("a");
        sent.url = Url::parse(&format!("http://user:pw@127.0.0.1:{port}/blob?sig=1")).unwrap();
        let response = transport.send_streaming(sent.clone()).await.unwrap();
        assert_eq!(response.collect(100).await.unwrap(), "ok");
        sent.headers.insert("authorization", HeaderValue::from_static("Bearer own"));
        assert_eq!(transport.send(sent).await.unwrap().body, "ok");
        let heads = server.await.unwrap();
        assert!(heads[0].starts_with("get /blob?sig=1 "), "{}", heads[0]);
        assert!(heads[0].contains("authorization: basic dxnlcjpwdw=="), "{}", heads[0]);
        assert!(heads[1].contains("authorization: bearer own") && !heads[1].contains("basic"), "{}", heads[1]);
    }

    #[test]
    fn debug_shows_neither_header_values_nor_query() {
        let mut sent = request("a");
        sent.headers.insert("authorization", HeaderValue::from_static("Bearer ya29.secret"));
        let text = format!("{sent:?}");
        assert!(text.contains("authorization"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
