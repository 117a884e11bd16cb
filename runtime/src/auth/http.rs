//! The HTTP side of credential sources: endpoint checks, form posts to token
//! endpoints and the OAuth2 token and error responses.

use std::time::Duration;

use reqwest::header::{HeaderValue, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use super::failure::AuthError;
use super::secret::Secret;

/// Per-request timeout of token endpoints.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// The HTTP client of credential sources (their own, so that the API
/// client's default headers never reach a token endpoint). It follows no redirect: a form
/// carrying a client secret or a signed assertion goes to the endpoint chosen, nowhere else.
pub(crate) fn client() -> reqwest::Client {
    built(
        crate::http_client::runtime_http(reqwest::Client::builder())
            .timeout(TOKEN_TIMEOUT)
            .connect_timeout(Duration::from_secs(10)),
    )
}

/// Builds `builder`. That fails only when the TLS backend cannot initialize; the fallback
/// keeps the redirect policy (and reaches only plain-http endpoints, such as emulators).
pub(crate) fn built(builder: reqwest::ClientBuilder) -> reqwest::Client {
    builder.build().unwrap_or_else(|_| {
        reqwest::Client::builder().redirect(crate::redirect::http_policy()).build().unwrap_or_default()
    })
}

/// Parses `url`, which must be https unless its host is a loopback address:
/// credentials are never sent in clear text over a network.
pub(crate) fn secure_endpoint(url: &str, what: &str) -> Result<Url, String> {
    let parsed = Url::parse(url).map_err(|e| format!("{what} {url:?} is not a URL: {e}"))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        _ => Err(format!("{what} {url:?} must use https (plain http is allowed on loopback only)")),
    }
}

/// [`secure_endpoint`] with its error attributed to credential source `source`.
pub(crate) fn endpoint(url: &str, what: &str, source: &str) -> Result<Url, AuthError> {
    secure_endpoint(url, what).map_err(|e| AuthError::new(source, e))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A successful token endpoint response.
#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

impl TokenResponse {
    pub fn refresh_token(&self) -> Option<Secret> {
        self.refresh_token.clone().map(Secret::new)
    }
}

/// The OAuth2 error body (RFC 6749 section 5.2).
#[derive(Deserialize, Default)]
pub(crate) struct OAuthError {
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// How a token endpoint answered.
pub(crate) enum Answer<T = TokenResponse> {
    Token(T),
    /// A non-2xx status with the OAuth2 error body (empty when the body is not one).
    Refused(u16, OAuthError),
}

/// POSTs `form` (URL-encoded) to `url` and reads the OAuth2 answer.
pub(crate) async fn post_form<T: DeserializeOwned>(
    http: &reqwest::Client,
    url: &Url,
    form: &[(&str, &str)],
) -> Result<Answer<T>, String> {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let request = http
        .post(url.clone())
        .header(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"))
        .body(body);
    answer(request).await
}

/// Sends `request` and reads the OAuth2 answer.
pub(crate) async fn answer<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> Result<Answer<T>, String> {
    let response = request.send().await.map_err(describe)?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(describe)?;
    if (200..300).contains(&status) {
        // serde_json's messages name the place, never the content.
        serde_json::from_slice(&body).map(Answer::Token).map_err(|e| format!("unreadable token response: {e}"))
    } else {
        Ok(Answer::Refused(status, serde_json::from_slice(&body).unwrap_or_default()))
    }
}

/// An answer that must be a token.
pub(crate) fn expect_token<T>(answer: Answer<T>) -> Result<T, String> {
    match answer {
        Answer::Token(token) => Ok(token),
        Answer::Refused(status, error) => Err(refusal(status, &error)),
    }
}

/// "HTTP 400: invalid_grant (Bad Request)": status and OAuth2 error only.
pub(crate) fn refusal(status: u16, error: &OAuthError) -> String {
    let mut text = format!("HTTP {status}");
    if (300..400).contains(&status) {
        text.push_str(" (a redirect: credential requests follow none)");
    }
    if !error.error.is_empty() {
        text.push_str(": ");
        text.push_str(&error.error);
    }
    if let Some(description) = error.error_description.as_deref().filter(|d| !d.is_empty()) {
        text.push_str(&format!(" ({description})"));
    }
    text
}

/// A transport error with its causes but without its URL (which may carry
/// query parameters).
pub(crate) fn describe(err: reqwest::Error) -> String {
    crate::error::error_chain(&err.without_url())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_https_except_on_loopback() {
        assert!(secure_endpoint("https://oauth2.googleapis.com/token", "token endpoint").is_ok());
        assert!(secure_endpoint("http://127.0.0.1:8080/token", "token endpoint").is_ok());
        assert!(secure_endpoint("http://[::1]:8080/token", "token endpoint").is_ok());
        assert!(secure_endpoint("http://localhost/token", "token endpoint").is_ok());
        let err = secure_endpoint("http://oauth2.googleapis.com/token", "token endpoint").unwrap_err();
        assert!(err.contains("must use https"), "{err}");
        assert!(secure_endpoint("ftp://x/", "token endpoint").is_err());
        assert!(secure_endpoint("not a url", "token endpoint").unwrap_err().contains("token endpoint"));
    }

    #[test]
    fn refusals_keep_only_the_oauth_fields() {
        let error: OAuthError =
            serde_json::from_str(r#"{"error":"invalid_grant","error_description":"Bad Request","x":"ya29.secret"}"#)
                .unwrap();
        assert_eq!(refusal(400, &error), "HTTP 400: invalid_grant (Bad Request)");
        assert_eq!(refusal(503, &OAuthError::default()), "HTTP 503");
    }
}
