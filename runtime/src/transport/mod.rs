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
//! is read as it arrives. A transport that can also send a request body as it is produced
//! says so with [`Transport::streams_request_bodies`]; a resumable upload of a file (or of
//! bytes in memory) then goes as one [`Transport::send_streaming_body`] for all the rest of
//! it instead of one request per chunk.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use url::Url;

use crate::error::{error_chain, BoxError};
use crate::request::Method;

mod mock;
mod reqwest_transport;

pub use mock::MockTransport;
pub use reqwest_transport::ReqwestTransport;

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

/// The pieces of a [`RequestBody`], in order; `Err` means its source failed.
pub type RequestBodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send + 'static>>;

/// A request body produced while it is sent ([`Transport::send_streaming_body`]): exactly
/// [`len`](Self::len) bytes, in pieces, read from their source (a file, read ahead on the
/// blocking pool) as the transport asks for them. `Err` means the source failed: the request
/// must not complete (drop the connection, do not end the body early).
pub struct RequestBody {
    length: u64,
    stream: RequestBodyStream,
}

impl RequestBody {
    /// A body of `length` bytes from `stream`. A stream that ends short of `length` or goes
    /// past it yields an error there instead (so the request fails rather than sending a body
    /// of another length than its `Content-Length`).
    ///
    /// ```
    /// use bytes::Bytes;
    /// use discogen_runtime::transport::RequestBody;
    ///
    /// let pieces = vec![Ok::<_, std::io::Error>(Bytes::from_static(b"hello, ")), Ok(Bytes::from_static(b"world"))];
    /// let body = RequestBody::new(12, futures_util::stream::iter(pieces));
    /// assert_eq!(body.len(), 12);
    /// ```
    pub fn new<S, E>(length: u64, stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let mut left = length;
        let mut ended = false;
        let checked = stream
            .map(|item| Some(item.map_err(Into::into)))
            .chain(futures_util::stream::iter([None]))
            .filter_map(move |item: Option<Result<Bytes, BoxError>>| {
                let out = match item {
                    _ if ended => None,
                    Some(Ok(piece)) if piece.len() as u64 > left => {
                        ended = true;
                        Some(Err(BoxError::from(format!("request body longer than its length of {}", bytes(length)))))
                    }
                    Some(Ok(piece)) => {
                        left -= piece.len() as u64;
                        (!piece.is_empty()).then_some(Ok(piece))
                    }
                    Some(Err(error)) => {
                        ended = true;
                        Some(Err(error))
                    }
                    None if left > 0 => {
                        ended = true;
                        Some(Err(BoxError::from(format!(
                            "request body ended {} short of its length of {}",
                            bytes(left),
                            bytes(length)
                        ))))
                    }
                    None => None,
                };
                std::future::ready(out)
            });
        RequestBody { length, stream: Box::pin(checked) }
    }

    /// The body's length in bytes (what `Content-Length` says).
    pub fn len(&self) -> u64 {
        self.length
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The pieces, in order (length-checked as described in [`new`](Self::new)).
    pub fn into_stream(self) -> RequestBodyStream {
        self.stream
    }

    /// The whole body in memory: what the default [`Transport::send_streaming_body`] sends.
    pub async fn collect(self) -> Result<Bytes, TransportError> {
        let mut stream = self.stream;
        let mut all = bytes::BytesMut::with_capacity(usize::try_from(self.length).unwrap_or(usize::MAX).min(1 << 20));
        while let Some(piece) = stream.next().await {
            all.extend_from_slice(&piece.map_err(TransportError::new)?);
        }
        Ok(all.freeze())
    }
}

/// "1 byte", "6 bytes": a count of bytes for an error text.
fn bytes(count: u64) -> String {
    if count == 1 {
        "1 byte".to_owned()
    } else {
        format!("{count} bytes")
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBody").field("length", &self.length).finish_non_exhaustive()
    }
}

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

    /// Whether [`send_streaming_body`](Self::send_streaming_body) sends the body as it is
    /// produced, holding only a few pieces of it at a time. The runtime asks before a
    /// resumable upload: when `true`, a file or bytes in memory go in one request for all the
    /// rest of the media (after a failure the session is asked how much it holds and a new
    /// request sends the rest from there); when `false` (the default), in chunks of
    /// [`MediaUpload::chunk_size`](crate::media::MediaUpload::chunk_size), each in memory
    /// and sent by [`send_streaming`](Self::send_streaming).
    ///
    /// This and `send_streaming_body` are provided methods (an additive change to the
    /// trait): transports written before them keep compiling and carry uploads in chunks as
    /// before.
    fn streams_request_bodies(&self) -> bool {
        false
    }

    /// Sends `request` with `body` (`request.body` is empty; `Content-Length` is set to
    /// `body.len()`) and returns once the status and headers are in, as
    /// [`send_streaming`](Self::send_streaming) does. The runtime bounds the call by progress:
    /// it fails with a timeout when the transport takes no piece of the body (and, once all
    /// is taken, no response comes) for the request's [`timeout`](HttpRequest::timeout).
    ///
    /// The default reads the whole body into `request.body` and calls `send_streaming`; the
    /// runtime calls this only on a transport whose
    /// [`streams_request_bodies`](Self::streams_request_bodies) is `true`, so a transport
    /// that keeps the default is never handed a body larger than a chunk this way.
    fn send_streaming_body(&self, request: HttpRequest, body: RequestBody) -> StreamingFuture<'_> {
        Box::pin(async move {
            let mut request = request;
            request.body = body.collect().await?;
            self.send_streaming(request).await
        })
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

/// A GET of `https://example.com/{path}?key=secret` with nothing else, for the transports' tests.
#[cfg(test)]
pub(crate) fn sample_request(path: &str) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: Url::parse(&format!("https://example.com/{path}?key=secret")).unwrap(),
        headers: HeaderMap::new(),
        body: Bytes::new(),
        timeout: None,
        max_response_bytes: u64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request body is exactly its length: a stream that ends short or runs long ends in
    /// an error there (the transport then fails the request instead of sending another body).
    #[tokio::test]
    async fn a_request_body_is_exactly_its_length_or_an_error() {
        let body = |length: u64, pieces: &[&'static [u8]]| {
            let items: Vec<Result<Bytes, std::io::Error>> = pieces.iter().map(|p| Ok(Bytes::from_static(p))).collect();
            RequestBody::new(length, futures_util::stream::iter(items))
        };
        assert_eq!(body(5, &[b"he", b"", b"llo"]).collect().await.unwrap(), "hello");
        let short = body(6, &[b"he", b"llo"]).collect().await.unwrap_err();
        assert!(short.to_string().contains("ended 1 byte short of its length of 6 bytes"), "{short}");
        let long = body(4, &[b"he", b"llo"]).collect().await.unwrap_err();
        assert!(long.to_string().contains("longer than its length of 4"), "{long}");
        // Nothing is yielded after the error.
        let items: Vec<_> = body(4, &[b"he", b"llo", b"x"]).into_stream().collect().await;
        assert_eq!(items.len(), 2, "{items:?}");
    }

    #[test]
    fn debug_shows_neither_header_values_nor_query() {
        let mut sent = sample_request("a");
        sent.headers.insert("authorization", HeaderValue::from_static("Bearer ya29.secret"));
        let text = format!("{sent:?}");
        assert!(text.contains("authorization"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
