//! The media path's only contact with the HTTP stack: a request built from the client
//! (connection pool, the call's headers and standard parameters, credentials), sent once, errors mapped as everywhere.

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use crate::client::Client;
use crate::error::{ApiError, Error, Result};
use crate::execute::retry_after;
pub(crate) use crate::execute::within;
use crate::request::RequestOptions;

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

/// Sends `builder` within `timeout`; a non-2xx, non-308 answer becomes [`Error::Api`] with the
/// server's status and message.
pub(crate) async fn send(builder: reqwest::RequestBuilder, timeout: Option<Duration>) -> Result<reqwest::Response> {
    let send = async {
        let response = builder.send().await.map_err(Error::transport)?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) || status == 308 {
            return Ok(response);
        }
        let retry_after = retry_after(response.headers());
        let body = response.bytes().await.map_err(Error::transport)?;
        Err(ApiError::from_response(status, &body, retry_after).into())
    };
    within(timeout, send).await
}

/// Reads and decodes a JSON response body.
pub(crate) async fn json<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
    timeout: Option<Duration>,
) -> Result<T> {
    let status = response.status().as_u16();
    let body = within(timeout, async { response.bytes().await.map_err(Error::transport) }).await?;
    crate::decode::decode_json(Some(status), &body)
}
