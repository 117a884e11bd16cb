//! The media path's only contact with the HTTP stack: a request built from the client
//! (connection pool, the call's headers and standard parameters, credentials), sent once, errors mapped as everywhere.

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

pub(crate) use crate::client::within;
use crate::client::Client;
use crate::error::{ApiError, Error, Result};
use crate::options::RequestOptions;
use crate::retry_after::retry_after;
use crate::transport::TransportError;

/// What every request of a media call carries, computed once per call: the standard query
/// parameters are added to `url` (the method's own URL; session URIs are used as the server
/// gave them) and the headers (user agent, `x-goog-api-client`, quota project, the client's
/// and the call's headers) are returned, exactly as on JSON calls.
pub(crate) fn common(client: &Client, url: &mut Url, options: &RequestOptions) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    client.apply_common(url, &mut headers, options)?;
    Ok(headers)
}

/// A reqwest request to `url` carrying the call's [`common`] headers and the client's
/// credentials.
pub(crate) async fn authorized(
    client: &Client,
    method: reqwest::Method,
    url: Url,
    headers: &HeaderMap,
) -> Result<reqwest::RequestBuilder> {
    let mut headers = headers.clone();
    client.add_credentials(&mut headers).await?;
    Ok(client.inner.http.request(method, url).headers(headers))
}

/// A reqwest request to `url` with no credentials and none of the call's headers: what goes
/// to an origin other than the API's (a download redirected elsewhere, a session URI of the
/// caller's on another host).
pub(crate) fn bare(client: &Client, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
    client.inner.http.request(method, url)
}

/// How a media request was answered.
pub(crate) enum Answer {
    /// 2xx, or a resumable upload's `308` without a `Location`.
    Response(reqwest::Response),
    /// A 3xx with a `Location`: the status and the target, resolved.
    Redirect(u16, Url),
}

/// Sends `builder` within `timeout`; a redirect is an error ([`Error::Redirect`]: uploads
/// follow none), any other non-2xx, non-308 answer [`Error::Api`] with the server's status
/// and message.
pub(crate) async fn send(
    builder: reqwest::RequestBuilder,
    timeout: Option<Duration>,
    limit: u64,
) -> Result<reqwest::Response> {
    match send_or_redirect(builder, timeout, limit).await? {
        Answer::Response(response) => Ok(response),
        Answer::Redirect(status, target) => {
            Err(crate::redirect::refused(status, &target, "API calls do not follow redirects"))
        }
    }
}

/// [`send`], with a redirect returned to the caller instead of refused. An error body is
/// read up to `limit` bytes (the client's `max_response_bytes`).
pub(crate) async fn send_or_redirect(
    builder: reqwest::RequestBuilder,
    timeout: Option<Duration>,
    limit: u64,
) -> Result<Answer> {
    let send = async {
        let (client, request) = builder.build_split();
        let request = request.map_err(Error::transport)?;
        let url = request.url().clone();
        let response = client.execute(request).await.map_err(Error::transport)?;
        if response.url() != &url {
            return Err(Error::Config(crate::transport::followed_redirect(response.url())));
        }
        let status = response.status().as_u16();
        if let Some(target) = crate::redirect::target(&url, status, response.headers()) {
            return Ok(Answer::Redirect(status, target?));
        }
        if (200..300).contains(&status) || status == 308 {
            return Ok(Answer::Response(response));
        }
        let retry_after = retry_after(response.headers());
        let body = crate::transport::read_body(response, limit).await.map_err(TransportError::into_error)?;
        Err(ApiError::from_response(status, &body, retry_after).into())
    };
    within(timeout, send).await
}

/// Reads (up to `limit` bytes) and decodes a JSON response body.
pub(crate) async fn json<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
    timeout: Option<Duration>,
    limit: u64,
) -> Result<T> {
    let status = response.status().as_u16();
    let read = async { crate::transport::read_body(response, limit).await.map_err(TransportError::into_error) };
    let body = within(timeout, read).await?;
    crate::decode::decode_json(Some(status), &body)
}
