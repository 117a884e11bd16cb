//! Downloads: `alt=media` as a stream of bytes, an optional byte range, and automatic resume
//! with `Range: bytes=N-` when the connection drops mid-body.

use std::ops::{Bound, RangeBounds};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::header::{HeaderMap, CONTENT_RANGE, ETAG, RANGE};
use tokio::io::AsyncWriteExt;
use url::Url;

use super::http;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::options::RequestOptions;
use crate::options::RetryPolicy;
use crate::request::{Method, Request};
use crate::transport::StreamingResponse;

/// The media of a resource, built by generated `download()` methods: pick a
/// [`range`](Self::range), then read it as a [`stream`](Self::stream), into memory
/// ([`bytes`](Self::bytes)) or into a file ([`to_file`](Self::to_file)).
#[derive(Clone, Debug)]
#[must_use = "a download does nothing until it is read"]
pub struct MediaDownload {
    client: Client,
    request: Request,
    /// Per-call options set on the download itself; they win over the request's.
    options: RequestOptions,
    /// First byte and, when bounded, the first byte past the end.
    start: u64,
    end: Option<u64>,
}

crate::call_options!(@generic [] MediaDownload, options);

impl MediaDownload {
    /// The media behind `request` (the method's own path and query; `alt=media` is added).
    pub fn new(client: Client, request: Request) -> Self {
        MediaDownload { client, request, options: RequestOptions::default(), start: 0, end: None }
    }

    /// Only these bytes (`10..20`, `1024..`, `..=99`).
    pub fn range(mut self, range: impl RangeBounds<u64>) -> Self {
        self.start = match range.start_bound() {
            Bound::Included(n) => *n,
            Bound::Excluded(n) => n.saturating_add(1),
            Bound::Unbounded => 0,
        };
        self.end = match range.end_bound() {
            Bound::Included(n) => Some(n.saturating_add(1)),
            Bound::Excluded(n) => Some(*n),
            Bound::Unbounded => None,
        };
        self
    }

    /// Connects and returns the bytes as they arrive. A connection that drops mid-body is
    /// reopened from the next byte (`Range`) per the retry policy, after checking that the
    /// server still has the same content (ETag).
    ///
    /// Throughput: the body is read by the connection's task on a worker of the runtime and
    /// handed to whoever polls the stream, one piece at a time (up to about 400 KiB with the
    /// default transport). Read a large download in a task (`tokio::spawn`), where the two
    /// share a worker, rather than in `block_on` (the body of `#[tokio::main]`), where every
    /// piece wakes the caller's thread. [`to_file`](Self::to_file) measured no slower in
    /// `block_on` than in a task.
    pub async fn stream(self) -> Result<ByteStream> {
        let mut url = self.client.endpoint().url_for(self.request.checked_path()?)?;
        {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in self.request.query_pairs() {
                pairs.append_pair(key, value);
            }
            pairs.append_pair("alt", "media");
        }
        let options = &self.options.clone().or(self.request.request_options().clone());
        let headers = http::common(&self.client, &mut url, options)?;
        let mut state = State {
            headers,
            policy: options.retry_policy().unwrap_or(self.client.retry_policy()).clone(),
            timeout: options.timeout().or(self.client.timeout()),
            client: self.client,
            url,
            offset: self.start,
            end: self.end,
            etag: None,
            response: None,
            response_end: None,
            failures: 0,
        };
        if state.end.is_some_and(|end| end <= state.start()) {
            return Ok(ByteStream { inner: futures_util::stream::empty().boxed() });
        }
        state.connect().await?;
        let stream = futures_util::stream::unfold(Some(state), |state| async move {
            let mut state = state?;
            match state.next_chunk().await {
                Ok(Some(bytes)) => Some((Ok(bytes), Some(state))),
                Ok(None) => None,
                Err(error) => Some((Err(error), None)),
            }
        });
        Ok(ByteStream { inner: stream.boxed() })
    }

    /// The whole (ranged) media in memory.
    pub async fn bytes(self) -> Result<Vec<u8>> {
        let mut stream = self.stream().await?;
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Writes the media to `path` atomically: into a temporary file next to it, flushed to
    /// disk, then renamed over `path`. On any failure the temporary file is removed and
    /// `path` is untouched. Returns the number of bytes written.
    pub async fn to_file(self, path: impl AsRef<Path>) -> Result<u64> {
        let path = path.as_ref();
        let temp = TempFile::new(path)?;
        let file_error = |what: &str, e: std::io::Error| {
            Error::InvalidRequest(format!("download to {}: {what}: {e}", path.display()))
        };
        let mut file = tokio::fs::File::create(&temp.path).await.map_err(|e| file_error("cannot create", e))?;
        let mut stream = self.stream().await?;
        let mut written = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            file.write_all(&chunk).await.map_err(|e| file_error("cannot write", e))?;
            written += chunk.len() as u64;
        }
        file.sync_all().await.map_err(|e| file_error("cannot flush", e))?;
        drop(file);
        tokio::fs::rename(&temp.path, path).await.map_err(|e| file_error("cannot rename into place", e))?;
        temp.keep();
        Ok(written)
    }
}

/// The bytes of a download, in order; `Err` ends it.
pub struct ByteStream {
    inner: futures_util::stream::BoxStream<'static, Result<Bytes>>,
}

impl Stream for ByteStream {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

struct State {
    client: Client,
    url: Url,
    headers: HeaderMap,
    policy: RetryPolicy,
    timeout: Option<Duration>,
    /// The next byte to deliver.
    offset: u64,
    end: Option<u64>,
    /// The content's ETag from the first response; a resumed response must match it (compared
    /// here rather than sent as `If-Match`, which not every Google API honours on media).
    etag: Option<String>,
    response: Option<StreamingResponse>,
    /// Where the open response's body should end, from its Content-Range or Content-Length:
    /// a body that stops short is a cut, not the end.
    response_end: Option<u64>,
    /// Failures in a row without receiving a byte.
    failures: u32,
}

impl State {
    fn start(&self) -> u64 {
        self.offset
    }

    /// Opens (or reopens) the response from `offset`, retrying per the policy.
    async fn connect(&mut self) -> Result<()> {
        loop {
            match self.open().await {
                Ok(response) => {
                    self.response = Some(response);
                    return Ok(());
                }
                Err(error) => self.failed(error).await?,
            }
        }
    }

    /// Counts a failure; `Err` when it must not (or may no longer) be retried.
    async fn failed(&mut self, error: Error) -> Result<()> {
        self.failures += 1;
        let protocol_error = matches!(error, Error::InvalidResponse(_));
        if protocol_error || self.failures >= self.policy.max_attempts() || !self.policy.is_transient(&error) {
            return Err(error);
        }
        tokio::time::sleep(self.policy.backoff(self.failures - 1)).await;
        Ok(())
    }

    async fn open(&mut self) -> Result<StreamingResponse> {
        let ranged = self.offset > 0 || self.end.is_some();
        let response = self.follow_redirects(ranged).await?;
        let etag = response.headers.get(ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        match (&self.etag, &etag) {
            (Some(before), Some(now)) if before != now => {
                return Err(Error::InvalidResponse(format!(
                    "the media changed while downloading (ETag {before} became {now}); download it again"
                )))
            }
            (None, Some(now)) => self.etag = Some(now.clone()),
            _ => {}
        }
        let status = response.status;
        self.response_end = response.content_length().map(|length| self.offset + length);
        if ranged {
            let content_range = response.headers.get(CONTENT_RANGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let start = content_range
                .strip_prefix("bytes ")
                .and_then(|r| r.split('-').next())
                .and_then(|s| s.trim().parse::<u64>().ok());
            if status != 206 || start != Some(self.offset) {
                return Err(Error::InvalidResponse(format!(
                    "asked for bytes from {} but the server answered HTTP {status} with Content-Range {content_range:?}",
                    self.offset
                )));
            }
        }
        Ok(response)
    }

    /// GETs the media, following redirects the way a browser fetches a link, but keeping
    /// secrets home: the credentials and the call's headers go only to the API's origin, and
    /// once a redirect leaves it, every later hop carries nothing but `Range` (no way back to
    /// credentials); https -> http and more than ten hops are refused. Every reopen (resume
    /// after a cut) starts again at the API's URL, since redirect targets may expire.
    // `&mut self` though it changes nothing: the state holds a `StreamingResponse`, which is
    // `Send` but not `Sync`, so a shared borrow of it could not be held across an await.
    async fn follow_redirects(&mut self, ranged: bool) -> Result<StreamingResponse> {
        let mut url = self.url.clone();
        let mut at_home = true;
        let mut last_status = 0;
        for _ in 0..=crate::redirect::MAX_REDIRECTS {
            let mut request = if at_home {
                http::authorized(&self.client, Method::Get, url.clone(), &self.headers).await?
            } else {
                http::bare(Method::Get, url.clone())
            };
            if ranged {
                let end = self.end.map(|end| (end - 1).to_string()).unwrap_or_default();
                request = request.header(RANGE, format!("bytes={}-{end}", self.offset))?;
            }
            let (status, target) = match http::send_or_redirect(&self.client, request, self.timeout).await? {
                http::Answer::Response(response) if response.status == 308 => {
                    // A 308 without a Location: not media, not a redirect to follow.
                    return Err(Error::InvalidResponse(
                        "the media download was answered HTTP 308 without a Location".to_owned(),
                    ));
                }
                http::Answer::Response(response) => return Ok(response),
                http::Answer::Redirect(status, target) => (status, target),
            };
            if crate::redirect::downgrades(&url, &target) {
                return Err(crate::redirect::refused(status, &target, "a download never goes from https to http"));
            }
            at_home = at_home && crate::redirect::same_origin(&target, &self.url);
            last_status = status;
            url = target;
        }
        Err(Error::Redirect {
            status: last_status,
            location: crate::redact::redacted(&url),
            reason: format!("more than {} redirects", crate::redirect::MAX_REDIRECTS),
        })
    }

    /// The next piece of the body, reconnecting after a cut.
    async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        loop {
            if self.end.is_some_and(|end| self.offset >= end) {
                return Ok(None);
            }
            let Some(response) = self.response.as_mut() else {
                self.connect().await?;
                continue;
            };
            // The per-attempt timeout bounds each wait for data, not the whole transfer.
            match http::chunk(response, self.timeout).await {
                Ok(Some(bytes)) => {
                    self.failures = 0;
                    let bytes = match self.end {
                        Some(end) if self.offset + bytes.len() as u64 > end => {
                            bytes.slice(..(end - self.offset) as usize)
                        }
                        _ => bytes,
                    };
                    self.offset += bytes.len() as u64;
                    return Ok(Some(bytes));
                }
                Ok(None) if self.response_end.is_some_and(|end| self.offset < end) => {
                    self.response = None;
                    let message = format!("the body ended at byte {} before its declared end", self.offset);
                    self.failed(Error::Transport {
                        connect: false,
                        timeout: false,
                        source: message.clone().into(),
                        message,
                    })
                    .await?;
                }
                Ok(None) => return Ok(None),
                Err(error) => {
                    self.response = None;
                    self.failed(error).await?;
                }
            }
        }
    }
}

/// A temporary file next to the destination, removed unless kept.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl TempFile {
    fn new(destination: &Path) -> Result<TempFile> {
        let name = destination
            .file_name()
            .ok_or_else(|| Error::InvalidRequest(format!("download to {}: not a file name", destination.display())))?;
        let tag: String = std::iter::repeat_with(fastrand::alphanumeric).take(12).collect();
        let temp_name = format!(".{}.{tag}.part", name.to_string_lossy());
        Ok(TempFile { path: destination.with_file_name(temp_name), keep: false })
    }

    fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
