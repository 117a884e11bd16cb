//! The media path's only contact with the HTTP stack: a request built from the client (the
//! call's headers and standard parameters, credentials), handed to the client's
//! [`Transport::send_streaming`](crate::transport::Transport::send_streaming) once, errors
//! mapped as everywhere.

use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

pub(crate) use crate::client::within;
use crate::client::Client;
use crate::error::{ApiError, Error, Result};
use crate::options::RequestOptions;
use crate::request::Method;
use crate::retry_after::retry_after;
use crate::transport::{HttpRequest, RequestBody, StreamingResponse, TransportError};

/// What every request of a media call carries, computed once per call: the standard query
/// parameters are added to `url` (the method's own URL; session URIs are used as the server
/// gave them) and the headers (user agent, `x-goog-api-client`, quota project, the client's
/// and the call's headers) are returned, exactly as on JSON calls.
pub(crate) fn common(client: &Client, url: &mut Url, options: &RequestOptions) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    client.apply_common(url, &mut headers, options)?;
    Ok(headers)
}

/// One media request, before it is handed to the transport.
pub(crate) struct MediaRequest {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Bytes,
}

impl MediaRequest {
    /// Sets header `name` (a value that is not valid HTTP is an [`Error::InvalidRequest`]).
    pub(crate) fn header(mut self, name: impl Into<HeaderName>, value: impl ToString) -> Result<Self> {
        let name = name.into();
        let value = HeaderValue::try_from(value.to_string())
            .map_err(|_| Error::InvalidRequest(format!("the {name} header of a media request is not valid HTTP")))?;
        self.headers.insert(name, value);
        Ok(self)
    }

    pub(crate) fn body(mut self, body: Bytes) -> Self {
        self.body = body;
        self
    }
}

/// A request to `url` carrying the call's [`common`] headers and the client's credentials.
pub(crate) async fn authorized(client: &Client, method: Method, url: Url, headers: &HeaderMap) -> Result<MediaRequest> {
    let mut headers = headers.clone();
    client.add_credentials(&mut headers).await?;
    Ok(MediaRequest { method, url, headers, body: Bytes::new() })
}

/// A request to `url` with no credentials and none of the call's headers: what goes to an
/// origin other than the API's (a download redirected elsewhere, a session URI of the
/// caller's on another host).
pub(crate) fn bare(method: Method, url: Url) -> MediaRequest {
    MediaRequest { method, url, headers: HeaderMap::new(), body: Bytes::new() }
}

/// How a media request was answered.
pub(crate) enum Answer {
    /// 2xx, or a resumable upload's `308` without a `Location`.
    Response(StreamingResponse),
    /// A 3xx with a `Location`: the status and the target, resolved.
    Redirect(u16, Url),
}

/// Sends `request` within `timeout`; a redirect is an error ([`Error::Redirect`]: uploads
/// follow none), any other non-2xx, non-308 answer [`Error::Api`] with the server's status
/// and message.
pub(crate) async fn send(
    client: &Client,
    request: MediaRequest,
    timeout: Option<Duration>,
) -> Result<StreamingResponse> {
    refuse_redirect(send_or_redirect(client, request, timeout).await?)
}

/// The response of an [`Answer`]; a redirect is [`Error::Redirect`] (uploads follow none).
fn refuse_redirect(answer: Answer) -> Result<StreamingResponse> {
    match answer {
        Answer::Response(response) => Ok(response),
        Answer::Redirect(status, target) => {
            Err(crate::redirect::refused(status, &target, "API calls do not follow redirects"))
        }
    }
}

/// What `response`, the answer to a request to `url`, says: a redirect, a response (2xx or
/// `308`), or [`Error::Api`] with the server's status and message (the body read up to
/// `limit` bytes).
async fn answer(url: &Url, response: StreamingResponse, limit: u64) -> Result<Answer> {
    let status = response.status;
    if let Some(target) = crate::redirect::target(url, status, &response.headers) {
        return Ok(Answer::Redirect(status, target?));
    }
    if (200..300).contains(&status) || status == 308 {
        return Ok(Answer::Response(response));
    }
    let retry_after = retry_after(&response.headers);
    let body = response.collect(limit).await.map_err(TransportError::into_error)?;
    Err(ApiError::from_response(status, &body, retry_after).into())
}

/// [`send`], with a redirect returned to the caller instead of refused. An error body is
/// read up to the client's `max_response_bytes`.
pub(crate) async fn send_or_redirect(
    client: &Client,
    request: MediaRequest,
    timeout: Option<Duration>,
) -> Result<Answer> {
    let limit = client.max_response_bytes();
    let send = async {
        let MediaRequest { method, url, headers, body } = request;
        let request = HttpRequest { method, url, headers, body, timeout, max_response_bytes: limit };
        let url = &request.url.clone();
        let response = client.inner.transport.send_streaming(request).await.map_err(TransportError::into_error)?;
        answer(url, response, limit).await
    };
    within(timeout, send).await
}

/// Sends `request` with a streamed `body` (the transport must
/// [stream request bodies](crate::transport::Transport::streams_request_bodies)); a redirect
/// or an answer other than 2xx and 308 is an error, as in [`send`]. `timeout` bounds each wait
/// for progress, not the whole transfer: the call fails with [`Error::Timeout`] when the
/// transport takes no piece of the body during a whole period of `timeout` (checked once per
/// period, so a stall is noticed within one to two periods), and likewise once it has taken
/// all and no response comes.
pub(crate) async fn send_body(
    client: &Client,
    request: MediaRequest,
    body: RequestBody,
    timeout: Option<Duration>,
) -> Result<StreamingResponse> {
    let limit = client.max_response_bytes();
    let taken = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counted = {
        let taken = taken.clone();
        let length = body.len();
        RequestBody::new(
            length,
            body.into_stream().inspect(move |piece| {
                if let Ok(piece) = piece {
                    taken.fetch_add(piece.len() as u64 + 1, std::sync::atomic::Ordering::Relaxed);
                }
            }),
        )
    };
    let send = async {
        let MediaRequest { method, url, headers, body: _ } = request;
        let request = HttpRequest { method, url, headers, body: Bytes::new(), timeout, max_response_bytes: limit };
        let url = &request.url.clone();
        let response =
            client.inner.transport.send_streaming_body(request, counted).await.map_err(TransportError::into_error)?;
        refuse_redirect(answer(url, response, limit).await?)
    };
    let Some(limit) = timeout else { return send.await };
    let mut send = std::pin::pin!(send);
    let mut seen = taken.load(std::sync::atomic::Ordering::Relaxed);
    loop {
        match tokio::time::timeout(limit, send.as_mut()).await {
            Ok(done) => return done,
            Err(_) => {
                let now = taken.load(std::sync::atomic::Ordering::Relaxed);
                if now == seen {
                    return Err(Error::Timeout(limit));
                }
                seen = now;
            }
        }
    }
}

/// The next piece of `response`'s body, waiting at most `timeout` for it.
pub(crate) async fn chunk(response: &mut StreamingResponse, timeout: Option<Duration>) -> Result<Option<Bytes>> {
    let next = async { response.body.next().await.transpose().map_err(TransportError::into_error) };
    within(timeout, next).await
}

/// Reads (up to `limit` bytes) and decodes a JSON response body: its `data` member for a
/// `data_wrapper` call (`crate::Request::data_wrapper`).
pub(crate) async fn json<T: serde::de::DeserializeOwned>(
    response: StreamingResponse,
    timeout: Option<Duration>,
    limit: u64,
    data_wrapper: bool,
) -> Result<T> {
    let status = response.status;
    let read = async { response.collect(limit).await.map_err(TransportError::into_error) };
    let body = within(timeout, read).await?;
    let body = if data_wrapper { crate::data_wrapper::unwrap(body) } else { body };
    crate::decode::decode_json(Some(status), &body)
}
