//! Uploads: `uploadType=media` (media only), `multipart` (metadata + media in one
//! `multipart/related` body) and `resumable` (a session, then chunks) for large or
//! unknown-length sources.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, CONTENT_LENGTH, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use url::Url;

use super::http;
use super::resumable::{self, ResumableSession};
use super::source::MediaSource;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::options::RequestOptions;
use crate::options::RetryPolicy;
use crate::request::Request;

/// Resumable chunks are multiples of this (Google's granularity).
pub const CHUNK_GRANULARITY: usize = 256 * 1024;

/// Default chunk size of resumable uploads: 8 MiB.
pub const DEFAULT_CHUNK_SIZE: usize = 32 * CHUNK_GRANULARITY;

/// Sources larger than this (or of unknown length) upload resumably by default.
pub const DEFAULT_RESUMABLE_THRESHOLD: u64 = DEFAULT_CHUNK_SIZE as u64;

/// Called with the session of a resumable upload as soon as it exists.
pub type SessionCallback = Arc<dyn Fn(&ResumableSession) + Send + Sync>;

/// A media upload for one API call, built by generated `upload(..)` methods; configure it,
/// then [`send`](Self::send) it.
///
/// Which protocol is used: a source of known length up to the
/// [resumable threshold](Self::resumable_threshold) goes in one request
/// (`uploadType=media`, or `multipart` when the call carries metadata); anything
/// larger, of unknown length, or [forced](Self::resumable) goes resumably in chunks.
/// `accept` and `maxSize` from the Discovery document are checked before
/// anything is sent.
#[must_use = "an upload does nothing until it is sent"]
pub struct MediaUpload<T> {
    client: Client,
    method_id: String,
    service_path: String,
    request: Result<Request>,
    /// Per-call options set on the upload itself; they win over the request's.
    options: RequestOptions,
    media: MediaSource,
    accept: Vec<String>,
    max_size: Option<u64>,
    chunk_size: usize,
    threshold: u64,
    force_resumable: bool,
    resume: Option<ResumableSession>,
    on_session: Option<SessionCallback>,
    boundary: Option<String>,
    _response: PhantomData<fn() -> T>,
}

crate::call_options!(@generic [T] MediaUpload<T>, options);

impl<T: DeserializeOwned> MediaUpload<T> {
    /// An upload for `method_id` (named in errors). `request`'s path is the upload URI
    /// template expanded and relative to the API's root URL (`upload/storage/v1/b/x/o`);
    /// its JSON body, if any, is the metadata. `service_path` (`storage/v1/`) is what the
    /// client's endpoint adds to the root URL.
    pub fn new(
        client: Client,
        method_id: impl Into<String>,
        service_path: impl Into<String>,
        request: Result<Request>,
        media: MediaSource,
    ) -> Self {
        MediaUpload {
            client,
            method_id: method_id.into(),
            service_path: service_path.into(),
            request,
            options: RequestOptions::default(),
            media,
            accept: Vec::new(),
            max_size: None,
            chunk_size: DEFAULT_CHUNK_SIZE,
            threshold: DEFAULT_RESUMABLE_THRESHOLD,
            force_resumable: false,
            resume: None,
            on_session: None,
            boundary: None,
            _response: PhantomData,
        }
    }

    /// MIME patterns the method accepts (`*/*`, `image/*`, `video/mp4`); empty accepts all.
    pub fn accept(mut self, patterns: &[&str]) -> Self {
        self.accept = patterns.iter().map(|p| (*p).to_owned()).collect();
        self
    }

    /// The largest media the method accepts, in bytes.
    pub fn max_size(mut self, bytes: Option<u64>) -> Self {
        self.max_size = bytes;
        self
    }

    /// Bytes per resumable chunk, rounded down to a multiple of 256 KiB (at least 256 KiB).
    /// Memory use is about two chunks (the one in flight and the next, read meanwhile).
    /// Chunks are what readers and streams go in, and any source through a transport that
    /// does not [stream request bodies](crate::transport::Transport::streams_request_bodies);
    /// through one that does (the default reqwest transport), a file or bytes in memory go in
    /// one request for all the rest of the media, read in 1 MiB pieces (two held), and this
    /// size does not apply.
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = (bytes / CHUNK_GRANULARITY).max(1) * CHUNK_GRANULARITY;
        self
    }

    /// Sources longer than this upload resumably (default 8 MiB).
    pub fn resumable_threshold(mut self, bytes: u64) -> Self {
        self.threshold = bytes;
        self
    }

    /// Uploads resumably whatever the size.
    pub fn resumable(mut self) -> Self {
        self.force_resumable = true;
        self
    }

    /// Calls `callback` with the session once a resumable upload has one, so that an
    /// application can store [`ResumableSession::uri`] and [resume](Self::resume_session)
    /// after a restart.
    pub fn on_session(mut self, callback: impl Fn(&ResumableSession) + Send + Sync + 'static) -> Self {
        self.on_session = Some(Arc::new(callback));
        self
    }

    /// Continues an upload started earlier (possibly by another process): asks the session
    /// how many bytes it has, skips them in the source (which must be the same media) and
    /// sends the rest.
    pub fn resume_session(mut self, session: ResumableSession) -> Self {
        self.resume = Some(session);
        self.force_resumable = true;
        self
    }

    /// The `multipart/related` boundary (random by default). For tests that compare bodies
    /// byte for byte; it must not occur in the metadata or the media.
    #[doc(hidden)]
    pub fn multipart_boundary(mut self, boundary: impl Into<String>) -> Self {
        self.boundary = Some(boundary.into());
        self
    }

    /// Checks the media against the method's limits, then uploads it and decodes the
    /// method's response.
    pub async fn send(self) -> Result<T> {
        let request = self.request?;
        let request = {
            let options = self.options.or(request.request_options().clone());
            request.options(options)
        };
        check_accept(&self.method_id, &self.accept, self.media.content_type())?;
        if let (Some(limit), Some(length)) = (self.max_size, self.media.len()) {
            if length > limit {
                return Err(too_large(&self.method_id, limit, &format!("{length} bytes")));
            }
        }
        let mut url = upload_url(&self.client, &self.service_path, &request)?;
        let headers = http::common(&self.client, &mut url, request.request_options())?;
        let policy = request.request_options().retry_policy().unwrap_or(self.client.retry_policy()).clone();
        let timeout = request.request_options().timeout().or(self.client.timeout());
        let metadata = request.body().filter(|body| !is_empty_object(body)).cloned();
        let metadata = match metadata {
            Some(metadata) if request.wraps_data() => Some(crate::data_wrapper::wrap(metadata)),
            other => other,
        };
        let small = self.media.len().filter(|length| *length <= self.threshold);
        match small {
            Some(length) if !self.force_resumable => {
                let content_type = self.media.content_type().to_owned();
                let mut reader = self.media.open().await?;
                let mut bytes = BytesMut::with_capacity(length as usize);
                reader.fill(&mut bytes, length as usize).await?;
                let one_shot = OneShot {
                    client: &self.client,
                    request: &request,
                    url,
                    headers: &headers,
                    policy: &policy,
                    timeout,
                };
                match metadata {
                    None => one_shot.send("media", content_type, bytes.freeze()).await,
                    Some(metadata) => {
                        let boundary = self.boundary.unwrap_or_else(random_boundary);
                        let body = multipart_body(&boundary, &metadata, &content_type, &bytes);
                        let content_type = format!("multipart/related; boundary={boundary}");
                        one_shot.send("multipart", content_type, body).await
                    }
                }
            }
            _ => {
                let plan = resumable::Plan {
                    client: &self.client,
                    method_id: &self.method_id,
                    method: request.method(),
                    url,
                    headers: &headers,
                    metadata,
                    chunk_size: self.chunk_size,
                    max_size: self.max_size,
                    policy: &policy,
                    timeout,
                    on_session: self.on_session,
                    data_wrapper: request.wraps_data(),
                };
                match self.resume {
                    Some(session) => plan.resume(session, self.media).await,
                    None => plan.run(self.media).await,
                }
            }
        }
    }
}

impl<T> fmt::Debug for MediaUpload<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaUpload")
            .field("method_id", &self.method_id)
            .field("media", &self.media)
            .field("chunk_size", &self.chunk_size)
            .field("threshold", &self.threshold)
            .field("force_resumable", &self.force_resumable)
            .finish_non_exhaustive()
    }
}

/// One request carrying all the media.
struct OneShot<'a> {
    client: &'a Client,
    request: &'a Request,
    url: Url,
    headers: &'a HeaderMap,
    policy: &'a RetryPolicy,
    timeout: Option<std::time::Duration>,
}

impl OneShot<'_> {
    /// Sends with `uploadType`; retried like the call itself would be (a `POST` only when
    /// the connection could not be opened, so nothing is created twice).
    async fn send<T: DeserializeOwned>(&self, upload_type: &str, content_type: String, body: Bytes) -> Result<T> {
        let mut url = self.url.clone();
        url.query_pairs_mut().append_pair("uploadType", upload_type);
        let method = self.request.method();
        let idempotent = self.request.is_idempotent();
        let mut attempt = 1;
        loop {
            let result = async {
                let request = http::authorized(self.client, method, url.clone(), self.headers)
                    .await?
                    .header(CONTENT_TYPE, content_type.as_str())?
                    .header(CONTENT_LENGTH, body.len())?
                    .body(body.clone());
                let response = http::send(self.client, request, self.timeout).await?;
                http::json(response, self.timeout, self.client.max_response_bytes(), self.request.wraps_data()).await
            }
            .await;
            match result {
                Err(error) if attempt < self.policy.max_attempts() && self.policy.may_retry(&error, idempotent) => {
                    tokio::time::sleep(self.policy.backoff(attempt - 1)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// The absolute upload URL: the request's path against the root URL, which is the client's
/// endpoint without the service path (or the endpoint's origin when it does not end so).
pub(crate) fn upload_url(client: &Client, service_path: &str, request: &Request) -> Result<Url> {
    let base = client.endpoint().as_str();
    let root = match base.strip_suffix(service_path.trim_start_matches('/')) {
        Some(root) if !service_path.is_empty() && root.ends_with('/') => root.to_owned(),
        _ => {
            let url = Url::parse(base).map_err(|e| Error::Config(format!("invalid endpoint {base:?}: {e}")))?;
            format!("{}/", url.origin().ascii_serialization())
        }
    };
    let full = format!("{root}{}", request.checked_path()?.trim_start_matches('/'));
    let mut url = Url::parse(&full).map_err(|e| Error::InvalidRequest(format!("invalid upload URL {full:?}: {e}")))?;
    if !request.query_pairs().is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in request.query_pairs() {
            pairs.append_pair(key, value);
        }
    }
    Ok(url)
}

fn is_empty_object(body: &[u8]) -> bool {
    let trimmed = body.trim_ascii();
    trimmed.is_empty() || trimmed == b"{}" || trimmed == b"null"
}

/// Refuses a content type no `accept` pattern matches (`*/*`, `type/*` or exact; parameters
/// and case ignored).
fn check_accept(method_id: &str, accept: &[String], content_type: &str) -> Result<()> {
    let essence = |text: &str| text.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let wanted = essence(content_type);
    let matches = |pattern: &String| {
        let pattern = essence(pattern);
        pattern == "*/*"
            || pattern == wanted
            || pattern.strip_suffix("/*").is_some_and(|kind| wanted.split('/').next() == Some(kind))
    };
    if accept.is_empty() || accept.iter().any(matches) {
        Ok(())
    } else {
        Err(Error::InvalidRequest(format!(
            "{method_id}: media of type {content_type:?} is not accepted (accepted: {}); nothing was sent",
            accept.join(", ")
        )))
    }
}

pub(crate) fn too_large(method_id: &str, limit: u64, what: &str) -> Error {
    Error::InvalidRequest(format!(
        "{method_id}: media of {what} exceeds the method's maximum size of {limit} bytes; nothing was sent"
    ))
}

fn random_boundary() -> String {
    let tail: String = std::iter::repeat_with(fastrand::alphanumeric).take(32).collect();
    format!("discogen_{tail}")
}

/// `multipart/related`: the JSON metadata part, then the media part (Google's documented
/// layout: <https://developers.google.com/drive/api/guides/manage-uploads#multipart>).
pub(crate) fn multipart_body(boundary: &str, metadata: &[u8], content_type: &str, media: &[u8]) -> Bytes {
    let mut body = BytesMut::with_capacity(metadata.len() + media.len() + 4 * boundary.len() + 128);
    body.extend_from_slice(format!("--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n").as_bytes());
    body.extend_from_slice(metadata);
    body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
    body.extend_from_slice(media);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    #[test]
    fn accept_patterns() {
        let accept = |patterns: &[&str], ty: &str| {
            check_accept("svc.m", &patterns.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>(), ty)
        };
        assert!(accept(&["*/*"], "text/plain").is_ok());
        assert!(accept(&["image/*"], "Image/PNG; q=1").is_ok());
        assert!(accept(&["video/mp4"], "video/mp4").is_ok());
        assert!(accept(&[], "anything/else").is_ok());
        let err = accept(&["image/*", "video/mp4"], "text/plain").unwrap_err();
        assert!(err.to_string().contains("svc.m: media of type \"text/plain\" is not accepted"), "{err}");
    }

    #[test]
    fn upload_urls_resolve_against_the_root() {
        let request = Request::new(Method::Post, "upload/storage/v1/b/x/o").query("name", "a b");
        let google = Client::builder("https://storage.googleapis.com/storage/v1/").no_auth().build().unwrap();
        assert_eq!(
            upload_url(&google, "storage/v1/", &request).unwrap().as_str(),
            "https://storage.googleapis.com/upload/storage/v1/b/x/o?name=a+b"
        );
        let proxied =
            google.with_endpoint(crate::client::Endpoint::new("http://127.0.0.1:9/proxy/storage/v1/").unwrap());
        assert_eq!(
            upload_url(&proxied, "storage/v1/", &request).unwrap().as_str(),
            "http://127.0.0.1:9/proxy/upload/storage/v1/b/x/o?name=a+b"
        );
        let elsewhere = google.with_endpoint(crate::client::Endpoint::new("http://127.0.0.1:9/other/").unwrap());
        assert_eq!(
            upload_url(&elsewhere, "storage/v1/", &request).unwrap().as_str(),
            "http://127.0.0.1:9/upload/storage/v1/b/x/o?name=a+b"
        );
    }

    #[test]
    fn multipart_layout() {
        let body = multipart_body("b", br#"{"name":"n"}"#, "text/plain", b"hi");
        assert_eq!(
            &body[..],
            &b"--b\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{\"name\":\"n\"}\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n"[..]
        );
    }

    #[test]
    fn chunk_sizes_are_multiples_of_256_kib() {
        let client = Client::builder("http://127.0.0.1:9/").no_auth().build().unwrap();
        let upload = |size| {
            MediaUpload::<()>::new(
                client.clone(),
                "m",
                "",
                Ok(Request::new(Method::Post, "u")),
                MediaSource::from_bytes("", "a/b"),
            )
            .chunk_size(size)
            .chunk_size
        };
        assert_eq!(upload(1), CHUNK_GRANULARITY);
        assert_eq!(upload(3 * CHUNK_GRANULARITY + 5), 3 * CHUNK_GRANULARITY);
    }
}
