//! The resumable protocol: start a session, send chunks (multiples of 256 KiB) with
//! `Content-Range`, follow the server's `Range` on `308`, and after a failure ask the session
//! how much it has (`Content-Range: bytes */N`) and continue from there. The chunk in flight
//! and the next one (read meanwhile) are held in memory; nothing is sent twice into the object.

use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, LOCATION, RANGE};
use serde::de::DeserializeOwned;
use url::Url;

use super::http::{self, MediaRequest};
use super::source::{MediaReader, MediaSource, Rereadable};
use super::upload::SessionCallback;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::options::RetryPolicy;
use crate::request::Method;
use crate::transport::{RequestBody, StreamingResponse};

/// An upload session: its URI is all it takes to continue the upload later, from this
/// process or another (sessions last about a week at Google).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResumableSession {
    uri: String,
}

impl ResumableSession {
    /// A session from a URI stored earlier.
    pub fn from_uri(uri: impl Into<String>) -> Self {
        ResumableSession { uri: uri.into() }
    }

    /// The session URI (it authorizes the upload: keep it as private as a token).
    pub fn uri(&self) -> &str {
        &self.uri
    }
}

/// What the server said about a session.
enum Progress<T> {
    /// It holds this many bytes and wants more.
    Incomplete(u64),
    /// The upload is finished; the method's response.
    Done(T),
}

pub(crate) struct Plan<'a> {
    pub(crate) client: &'a Client,
    pub(crate) method_id: &'a str,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) metadata: Option<Bytes>,
    pub(crate) chunk_size: usize,
    pub(crate) max_size: Option<u64>,
    pub(crate) policy: &'a RetryPolicy,
    pub(crate) timeout: Option<Duration>,
    pub(crate) on_session: Option<SessionCallback>,
    /// Whether the finished upload's response is wrapped in `{"data": ...}`.
    pub(crate) data_wrapper: bool,
}

impl Plan<'_> {
    /// Starts a session and uploads everything.
    /// The first chunk is read before the session starts, so a source of unknown length that
    /// fits in it is checked against `maxSize` before anything is sent.
    pub(crate) async fn run<T: DeserializeOwned>(self, media: MediaSource) -> Result<T> {
        let length = media.len();
        let content_type = media.content_type().to_owned();
        if let Some(media) = self.streamed(&media) {
            let session = self.start(&content_type, length).await?;
            return self.upload_streamed(&session, &media, 0).await;
        }
        let mut reader = media.open().await?;
        let mut buf = self.buffer();
        reader.fill(&mut buf, self.chunk_size + 1).await?;
        self.check_size(buf.len() as u64)?;
        let session = self.start(&content_type, length).await?;
        self.upload(&session, reader, buf, length, 0).await
    }

    fn buffer(&self) -> BytesMut {
        BytesMut::with_capacity(self.chunk_size + super::source::READ_SIZE)
    }

    /// `maxSize` against the bytes seen so far.
    fn check_size(&self, seen: u64) -> Result<()> {
        match self.max_size {
            Some(limit) if seen > limit => {
                Err(super::upload::too_large(self.method_id, limit, &format!("more than {limit} bytes")))
            }
            _ => Ok(()),
        }
    }

    /// Continues `session`: asks for its offset, skips that much of the source, sends the rest.
    pub(crate) async fn resume<T: DeserializeOwned>(self, session: ResumableSession, media: MediaSource) -> Result<T> {
        let length = media.len();
        let url = session_url(&session)?;
        let offset = match self.with_retries(|| self.query(&url, length)).await? {
            Progress::Done(response) => return Ok(response),
            Progress::Incomplete(offset) => offset,
        };
        if let Some(callback) = &self.on_session {
            callback(&session);
        }
        if let Some(media) = self.streamed(&media) {
            if offset > media.len() {
                return Err(Error::InvalidRequest(format!(
                    "{}: the session already holds {offset} bytes but the media has only {}",
                    self.method_id,
                    media.len()
                )));
            }
            return self.upload_streamed(&session, &media, offset).await;
        }
        let mut reader = media.open().await?;
        let mut skipped = 0u64;
        let mut scratch = BytesMut::new();
        while skipped < offset {
            let step = (offset - skipped).min(self.chunk_size as u64) as usize;
            scratch.clear();
            reader.fill(&mut scratch, step).await?;
            if scratch.len() < step {
                return Err(Error::InvalidRequest(format!(
                    "{}: the session already holds {offset} bytes but the media has only {}",
                    self.method_id,
                    skipped + scratch.len() as u64
                )));
            }
            skipped += step as u64;
        }
        self.upload(&session, reader, self.buffer(), length, offset).await
    }

    /// `uploadType=resumable`: the metadata (if any) now, the media's type and length as
    /// headers; the session URI comes back in `Location`. Starting creates nothing, so it is
    /// retried like an idempotent call.
    async fn start(&self, content_type: &str, length: Option<u64>) -> Result<ResumableSession> {
        let mut url = self.url.clone();
        url.query_pairs_mut().append_pair("uploadType", "resumable");
        let session = self
            .with_retries(|| async {
                let mut request = http::authorized(self.client, self.method, url.clone(), self.headers)
                    .await?
                    .header(HeaderName::from_static("x-upload-content-type"), content_type)?;
                if let Some(length) = length {
                    request = request.header(HeaderName::from_static("x-upload-content-length"), length)?;
                }
                request = match &self.metadata {
                    Some(metadata) => request
                        .header(CONTENT_TYPE, "application/json; charset=UTF-8")?
                        .header(CONTENT_LENGTH, metadata.len())?
                        .body(metadata.clone()),
                    None => request.header(CONTENT_LENGTH, 0)?,
                };
                let response = http::send(self.client, request, self.timeout).await?;
                let location =
                    response.headers.get(LOCATION).and_then(|value| value.to_str().ok()).ok_or_else(|| {
                        Error::InvalidResponse(format!("{}: resumable upload start without a Location", self.method_id))
                    })?;
                let uri = url.join(location).map_err(|e| {
                    Error::InvalidResponse(format!("{}: the session Location is not a URL: {e}", self.method_id))
                })?;
                if !crate::redirect::same_origin(&uri, &url) {
                    return Err(Error::InvalidResponse(format!(
                        "{}: the server put the upload session on {}, another origin than the upload \
                         endpoint {}; refused, so the media and credentials go nowhere else",
                        self.method_id,
                        crate::redact::redacted(&uri),
                        url.origin().ascii_serialization(),
                    )));
                }
                Ok(ResumableSession { uri: uri.to_string() })
            })
            .await?;
        if let Some(callback) = &self.on_session {
            callback(&session);
        }
        Ok(session)
    }

    /// Sends the media from `offset` on, chunk by chunk. While a chunk is in flight the next
    /// one is read into a second buffer (reading and sending overlap; at most two chunks are
    /// held), and the chunk goes to the transport as it was read, uncopied.
    async fn upload<T: DeserializeOwned>(
        &self,
        session: &ResumableSession,
        mut reader: MediaReader,
        mut buf: BytesMut,
        length: Option<u64>,
        mut offset: u64,
    ) -> Result<T> {
        let url = session_url(session)?;
        let chunk_size = self.chunk_size;
        // `buf` holds the bytes from `offset` on that the server has not confirmed.
        // Failures in a row without progress.
        let mut failures = 0u32;
        // The buffer of a confirmed chunk, reused for reading ahead.
        let mut spare: Option<BytesMut> = None;
        loop {
            // One byte of lookahead tells whether this chunk is the last (after a chunk went
            // through, `buf` was read ahead and this returns at once).
            reader.fill(&mut buf, chunk_size + 1).await?;
            let last = buf.len() <= chunk_size;
            let send_len = buf.len().min(chunk_size);
            let total = if last { Some(offset + send_len as u64) } else { length };
            self.check_size(offset + buf.len() as u64)?;
            let chunk = buf.split_to(send_len).freeze();
            // What follows the chunk (the lookahead byte), then the next chunk read behind it
            // while this one is sent.
            let mut next = spare.take().unwrap_or_else(|| self.buffer());
            next.clear();
            next.extend_from_slice(&buf);
            drop(buf);
            let read_ahead = async {
                if last {
                    Ok(())
                } else {
                    reader.fill(&mut next, chunk_size + 1).await
                }
            };
            let (sent, read) =
                futures_util::future::join(self.put_chunk(&url, chunk.clone(), offset, total), read_ahead).await;
            // A source that cannot be read fails the upload whatever the server said.
            read?;
            let progress = match sent {
                Ok(progress) => progress,
                Err(error) => match self.after_failure(&url, total, &mut failures, error).await? {
                    Progress::Done(response) => return Ok(response),
                    progress => progress,
                },
            };
            let confirmed = match progress {
                Progress::Done(response) if last => return Ok(response),
                Progress::Done(_) => {
                    return Err(Error::InvalidResponse(format!(
                        "{}: the server finished the upload before the last chunk",
                        self.method_id
                    )))
                }
                Progress::Incomplete(confirmed) => confirmed,
            };
            let chunk_end = offset + chunk.len() as u64;
            let held_end = chunk_end + next.len() as u64;
            if confirmed < offset || confirmed > held_end {
                return Err(Error::InvalidResponse(format!(
                    "{}: the session reports {confirmed} bytes received, outside the unconfirmed range {offset}..{held_end} this client still holds",
                    self.method_id
                )));
            }
            if confirmed > offset {
                failures = 0;
            }
            if confirmed >= chunk_end {
                next.advance((confirmed - chunk_end) as usize);
                buf = next;
                // The transport is done with the chunk; its buffer is reused when nothing
                // else (a recording transport) still holds it.
                spare = chunk.try_into_mut().ok();
            } else {
                // Part of the chunk goes again, before what was read ahead.
                let unsent = &chunk[(confirmed - offset) as usize..];
                let mut merged = BytesMut::with_capacity(unsent.len() + next.len() + super::source::READ_SIZE);
                merged.extend_from_slice(unsent);
                merged.extend_from_slice(&next);
                buf = merged;
            }
            offset = confirmed;
        }
    }

    /// Whether the media goes as one streamed request for all the rest of it: a source that
    /// can be read again from any offset (bytes, a file) through a transport that streams
    /// request bodies.
    fn streamed(&self, media: &MediaSource) -> Option<Rereadable> {
        media.rereadable().filter(|_| self.client.inner.transport.streams_request_bodies())
    }

    /// Sends the media from `offset` to `length` in one request whose body is read as it is
    /// sent. After a failure the session is asked how much it holds and a new request sends
    /// the rest from there (the source is read again from that offset), per the retry policy:
    /// the failures in a row that moved the session no further are what the policy counts.
    async fn upload_streamed<T: DeserializeOwned>(
        &self,
        session: &ResumableSession,
        media: &Rereadable,
        mut offset: u64,
    ) -> Result<T> {
        let length = media.len();
        let url = session_url(session)?;
        let mut failures = 0u32;
        loop {
            let sent = if offset == length {
                self.query(&url, Some(length)).await
            } else {
                self.put_rest(&url, media, offset, length).await
            };
            let answered = sent.is_ok();
            let progress = match sent {
                Ok(progress) => progress,
                Err(error) => self.after_failure(&url, Some(length), &mut failures, error).await?,
            };
            let confirmed = match progress {
                Progress::Done(response) => return Ok(response),
                Progress::Incomplete(confirmed) => confirmed,
            };
            if confirmed > length {
                return Err(Error::InvalidResponse(format!(
                    "{}: the session reports {confirmed} bytes received, more than the media's {length}",
                    self.method_id
                )));
            }
            if confirmed > offset {
                failures = 0;
            } else if answered {
                // A 308 to the request that moved nothing (a failure that did not is counted
                // already): counted, so that a server that never takes the bytes ends the upload.
                failures += 1;
                if failures >= self.policy.max_attempts() {
                    return Err(Error::InvalidResponse(format!(
                        "{}: the session stays at {confirmed} of {length} bytes",
                        self.method_id
                    )));
                }
            }
            offset = confirmed;
        }
    }

    /// `Content-Range: bytes S-(L-1)/L` with a body read from the source as it is sent. A
    /// source that cannot be read fails the upload (not retried), whatever the transport
    /// made of the broken body.
    async fn put_rest<T: DeserializeOwned>(
        &self,
        url: &Url,
        media: &Rereadable,
        offset: u64,
        length: u64,
    ) -> Result<Progress<T>> {
        let rest =
            media.rest_from(offset).ok_or_else(|| Error::InvalidRequest("media source not re-readable".into()))?;
        let failed: std::sync::Arc<std::sync::Mutex<Option<String>>> = Default::default();
        let seen = failed.clone();
        let rest = rest.inspect(move |piece| {
            if let Err(error) = piece {
                *seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(error.to_string());
            }
        });
        let request = self
            .session_request(url)
            .await?
            .header(CONTENT_RANGE, format!("bytes {offset}-{}/{length}", length - 1))?
            .header(CONTENT_LENGTH, length - offset)?;
        let sent = http::send_body(self.client, request, RequestBody::new(length - offset, rest), self.timeout).await;
        if let Some(message) = failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            return Err(Error::InvalidRequest(message));
        }
        self.progress_of(sent?).await
    }

    /// One chunk: `Content-Range: bytes S-E/T` (`*` while the total is unknown).
    async fn put_chunk<T: DeserializeOwned>(
        &self,
        url: &Url,
        chunk: Bytes,
        offset: u64,
        total: Option<u64>,
    ) -> Result<Progress<T>> {
        let total_text = total.map_or_else(|| "*".to_owned(), |t| t.to_string());
        let range = if chunk.is_empty() {
            format!("bytes */{total_text}")
        } else {
            format!("bytes {}-{}/{total_text}", offset, offset + chunk.len() as u64 - 1)
        };
        let request = self
            .session_request(url)
            .await?
            .header(CONTENT_RANGE, range)?
            .header(CONTENT_LENGTH, chunk.len())?
            .body(chunk);
        self.progress(request).await
    }

    /// A PUT to the session: with the credentials and the call's headers when the session is
    /// on the upload endpoint's origin (every session this runtime started is: `start`
    /// refuses others), bare when the caller resumes a session URI of its own on another
    /// origin (the URI itself authorizes the upload).
    async fn session_request(&self, session: &Url) -> Result<MediaRequest> {
        if crate::redirect::same_origin(session, &self.url) {
            http::authorized(self.client, Method::Put, session.clone(), self.headers).await
        } else {
            Ok(http::bare(Method::Put, session.clone()))
        }
    }

    /// After a request of the upload failed with `error`: counts it, gives up when the policy
    /// says so (too many failures in a row, or one not worth retrying), else waits the backoff
    /// and asks the session how much it holds.
    async fn after_failure<T: DeserializeOwned>(
        &self,
        url: &Url,
        total: Option<u64>,
        failures: &mut u32,
        error: Error,
    ) -> Result<Progress<T>> {
        *failures += 1;
        if *failures >= self.policy.max_attempts() || !self.policy.is_transient(&error) {
            return Err(error);
        }
        tokio::time::sleep(self.policy.backoff(*failures - 1)).await;
        self.with_retries(|| self.query(url, total)).await
    }

    /// The status query: `Content-Range: bytes */T` (or `*/*`) with an empty body.
    async fn query<T: DeserializeOwned>(&self, url: &Url, total: Option<u64>) -> Result<Progress<T>> {
        let total_text = total.map_or_else(|| "*".to_owned(), |t| t.to_string());
        let request = self
            .session_request(url)
            .await?
            .header(CONTENT_RANGE, format!("bytes */{total_text}"))?
            .header(CONTENT_LENGTH, 0)?;
        self.progress(request).await
    }

    async fn progress<T: DeserializeOwned>(&self, request: MediaRequest) -> Result<Progress<T>> {
        let response: StreamingResponse = http::send(self.client, request, self.timeout).await?;
        self.progress_of(response).await
    }

    async fn progress_of<T: DeserializeOwned>(&self, response: StreamingResponse) -> Result<Progress<T>> {
        if response.status != 308 {
            return Ok(Progress::Done(
                http::json(response, self.timeout, self.client.max_response_bytes(), self.data_wrapper).await?,
            ));
        }
        // `Range: bytes=0-N` means N+1 bytes arrived; no header means none did.
        let range = response.headers.get(RANGE).and_then(|value| value.to_str().ok()).map(str::to_owned);
        match range {
            None => Ok(Progress::Incomplete(0)),
            Some(range) => range
                .trim()
                .strip_prefix("bytes=0-")
                .and_then(|end| end.trim().parse::<u64>().ok())
                .map(|end| Progress::Incomplete(end + 1))
                .ok_or_else(|| {
                    Error::InvalidResponse(format!("{}: unexpected Range header {range:?} in a 308", self.method_id))
                }),
        }
    }

    /// Runs `step` until it succeeds, a failure is not transient, or the policy gives up.
    async fn with_retries<T, F, Fut>(&self, mut step: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let mut attempt = 1;
        loop {
            match step().await {
                Err(error) if attempt < self.policy.max_attempts() && self.policy.is_transient(&error) => {
                    tokio::time::sleep(self.policy.backoff(attempt - 1)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

fn session_url(session: &ResumableSession) -> Result<Url> {
    Url::parse(&session.uri)
        .map_err(|e| Error::InvalidRequest(format!("resumable session URI {:?} is not a URL: {e}", session.uri)))
}
