//! The request executor: attempts, timeouts and retries.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use crate::client::{header_pair, Client};
use crate::decode::decode_json;
use crate::error::{ApiError, Error, Result};
use crate::request::{Method, Request};
use crate::retry::RetryPolicy;

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

/// Everything an attempt needs, prepared once per call.
struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl Client {
    /// Sends `request` (retrying per the policies) and decodes the JSON
    /// response as `T`.
    ///
    /// An empty body, `{}` and `null` all decode as `()`, [`crate::Empty`] or
    /// `None`.
    pub async fn execute<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.execute_raw(request).await?.json()
    }

    /// Sends `request` and ignores the response body.
    pub async fn execute_empty(&self, request: Request) -> Result<()> {
        self.execute_raw(request).await.map(drop)
    }

    /// Sends `request` and returns the undecoded successful response.
    ///
    /// Non-2xx responses become [`Error::Api`]. Transient failures are
    /// retried according to the call's (or else the client's)
    /// [`RetryPolicy`]; each attempt is bounded by the call's (or else the
    /// client's) timeout and by what is left of the policy's overall deadline.
    pub async fn execute_raw(&self, request: Request) -> Result<RawResponse> {
        let prepared = self.prepare(&request)?;
        let options = request.request_options();
        let policy = options.retry_policy().unwrap_or(&self.inner.retry);
        let attempt_timeout = options.timeout().or(self.inner.timeout);
        let idempotent = request.is_idempotent();
        let deadline = policy.total_timeout().map(|total| Instant::now() + total);

        let mut attempt: u32 = 1;
        loop {
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            let timeout = min_timeout(attempt_timeout, remaining);
            let error = match self.attempt(&prepared, timeout).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            match retry_delay(policy, &error, idempotent, attempt, deadline) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Err(error),
            }
            attempt += 1;
        }
    }

    fn prepare(&self, request: &Request) -> Result<Prepared> {
        let mut url = self.inner.endpoint.url_for(request.path())?;
        if !request.query_pairs().is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in request.query_pairs() {
                pairs.append_pair(key, value);
            }
        }
        let mut headers = HeaderMap::new();
        for (name, value) in request.headers() {
            let (name, value) = header_pair(name, value).map_err(Error::InvalidRequest)?;
            headers.append(name, value);
        }
        let body = match request.body() {
            Some(body) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                Some(body.clone())
            }
            // Google front ends reject body-carrying methods without a length.
            None if request.method().has_body() => Some(Bytes::new()),
            None => None,
        };
        Ok(Prepared { method: request.method(), url, headers, body })
    }

    /// One attempt: token, send, read the whole body, map non-2xx to errors.
    async fn attempt(&self, prepared: &Prepared, timeout: Option<Duration>) -> Result<RawResponse> {
        let send = async {
            let token = self.inner.auth.token().await?;
            let mut builder = self
                .inner
                .http
                .request(prepared.method.to_reqwest(), prepared.url.clone())
                .headers(prepared.headers.clone());
            if let Some(token) = token {
                // Marks the header as sensitive.
                builder = builder.bearer_auth(token.as_str());
            }
            if let Some(key) = self.inner.auth.api_key() {
                builder = builder.header("x-goog-api-key", crate::auth::api_key_header(key)?);
            }
            if let Some(body) = &prepared.body {
                builder = builder.body(body.clone());
            }
            let response = builder.send().await.map_err(Error::transport)?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let body = response.bytes().await.map_err(Error::transport)?;
            if (200..300).contains(&status) {
                Ok(RawResponse { status, body })
            } else {
                Err(ApiError::from_response(status, &body, retry_after).into())
            }
        };
        match timeout {
            Some(limit) => tokio::time::timeout(limit, send).await.unwrap_or(Err(Error::Timeout(limit))),
            None => send.await,
        }
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
        delay = delay.max(asked);
    }
    match deadline {
        Some(deadline) if Instant::now() + delay >= deadline => None,
        _ => Some(delay),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(prepared.url.as_str(), "http://127.0.0.1:9/base/v1/a/b:list?filter=displayName%3D%22x+y%22&f=1&f=2");
        assert!(prepared.body.is_none());
        let post = client.prepare(&Request::new(Method::Post, "v1/a")).unwrap();
        assert_eq!(post.body.as_deref(), Some(&b""[..]));
        let bad = Request::new(Method::Get, "v1/a").header("x", "line\nbreak");
        assert!(matches!(client.prepare(&bad), Err(Error::InvalidRequest(_))));
    }
}
