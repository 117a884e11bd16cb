//! The installed-app flow: the person consents in a browser, which Google
//! redirects to a one-shot server on 127.0.0.1 with an authorization code;
//! PKCE (S256) binds the code to this process and `state` to this request.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::authorized_user::OAuthClient;
use super::failure::AuthError;
use super::http::{self, TokenResponse};
use super::secret::Secret;
use super::token_cache::TokenCache;
use super::token_cell::TokenCell;
use super::user_consent::{random_token, UserGrant};
use super::{scope_list, TokenFuture, TokenProvider};

/// Google's authorization page.
pub const GOOGLE_AUTH_URI: &str = "https://accounts.google.com/o/oauth2/v2/auth";

/// How long the flow waits for the browser to come back by default.
const CONSENT_TIMEOUT: Duration = Duration::from_secs(300);

/// How long one loopback connection may take to send its request line.
const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(2);

/// What an opened URL callback receives.
type OpenUrl = Arc<dyn Fn(&str) + Send + Sync>;

/// Tokens a person grants in a browser (OAuth2 client of type "Desktop app").
///
/// The first call prints the authorization URL (or hands it to
/// [`with_browser`](Self::with_browser)), waits for the redirect to
/// `http://127.0.0.1:{port}/`, checks `state`, and exchanges the code with
/// its PKCE verifier. The refresh token is kept, in the
/// [`TokenCache`] file when one is set, so later calls and runs only refresh.
pub struct InstalledApp {
    grant: UserGrant,
    auth_uri: Url,
    source: String,
    open_url: OpenUrl,
    timeout: Duration,
    cell: TokenCell,
}

#[derive(Deserialize)]
struct ClientSecrets {
    installed: InstalledClient,
}

#[derive(Deserialize)]
struct InstalledClient {
    client_id: String,
    client_secret: String,
    #[serde(default)]
    auth_uri: Option<String>,
    #[serde(default)]
    token_uri: Option<String>,
}

impl InstalledApp {
    /// The flow for OAuth2 client `client_id` / `client_secret` against
    /// Google's authorization page and token endpoint.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>, scopes: &[&str]) -> Self {
        let client = OAuthClient::google(client_id.into(), client_secret.into());
        InstalledApp {
            source: format!("installed-app consent for client {}", client.client_id),
            grant: UserGrant::new(client, scopes),
            auth_uri: Url::parse(GOOGLE_AUTH_URI).expect("constant URL"),
            open_url: Arc::new(|url| eprintln!("Open this URL in your browser to grant access:\n\n    {url}\n")),
            timeout: CONSENT_TIMEOUT,
            cell: TokenCell::default(),
        }
    }

    /// Reads the `client_secret_*.json` downloaded from the Cloud console
    /// (an `installed` client).
    pub fn from_client_secrets_file(path: impl AsRef<Path>, scopes: &[&str]) -> Result<Self, AuthError> {
        let path = path.as_ref();
        let origin = format!("client secrets file {}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| AuthError::new(&origin, format!("cannot read: {e}")))?;
        let secrets: ClientSecrets = serde_json::from_str(&text).map_err(|e| {
            AuthError::new(&origin, format!("expected {{\"installed\": {{client_id, client_secret, ...}}}}: {e}"))
        })?;
        let client = secrets.installed;
        let mut app = Self::new(client.client_id, client.client_secret, scopes);
        if let Some(auth_uri) = &client.auth_uri {
            app.auth_uri = http::endpoint(auth_uri, "field `installed.auth_uri`", &origin)?;
        }
        if let Some(token_uri) = &client.token_uri {
            app.grant.client.token_uri = http::endpoint(token_uri, "field `installed.token_uri`", &origin)?;
        }
        Ok(app)
    }

    /// Uses another authorization page and token endpoint (https, or http on loopback).
    pub fn with_endpoints(mut self, auth_uri: &str, token_uri: &str) -> Result<Self, AuthError> {
        self.auth_uri = http::endpoint(auth_uri, "authorization page", &self.source)?;
        self.grant.client.token_uri = http::endpoint(token_uri, "token endpoint", &self.source)?;
        Ok(self)
    }

    /// Keeps the refresh token in `cache` (read before asking for consent).
    pub fn with_token_cache(mut self, cache: TokenCache) -> Self {
        self.grant.cache = Some(cache);
        self
    }

    /// Hands the authorization URL to `open` (e.g. to launch a browser)
    /// instead of printing it to stderr.
    pub fn with_browser(mut self, open: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.open_url = Arc::new(open);
        self
    }

    /// How long to wait for the browser's redirect (default 5 minutes).
    pub fn with_consent_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn consent(&self) -> Result<TokenResponse, AuthError> {
        let failed = |reason: String| AuthError::new(&self.source, reason);
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| failed(format!("cannot listen on 127.0.0.1: {e}")))?;
        let port = listener.local_addr().map_err(|e| failed(e.to_string()))?.port();
        let redirect_uri = format!("http://127.0.0.1:{port}/");
        let verifier = random_token(32, &self.source)?;
        let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()));
        let state = random_token(16, &self.source)?;
        let mut url = self.auth_uri.clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.grant.client.client_id)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("scope", &scope_list(&self.grant.scopes))
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("state", &state)
            .append_pair("access_type", "offline");
        (self.open_url)(url.as_str());

        let redirect = tokio::time::timeout(self.timeout, wait_for_redirect(&listener))
            .await
            .map_err(|_| failed(format!("no browser redirect within {:?}", self.timeout)))?
            .map_err(|e| failed(format!("loopback redirect: {e}")))?;
        if redirect.state.as_deref() != Some(state.as_str()) {
            return Err(failed(
                "the redirect's `state` does not match this request (possible CSRF); no code was exchanged".into(),
            ));
        }
        if let Some(error) = redirect.error {
            return Err(failed(format!("consent refused: {error}")));
        }
        let code = redirect.code.ok_or_else(|| failed("the redirect carries no authorization code".into()))?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("client_id", self.grant.client.client_id.as_str()),
            ("client_secret", self.grant.client.client_secret.expose()),
            ("redirect_uri", redirect_uri.as_str()),
            ("code_verifier", verifier.as_str()),
        ];
        let token_uri = &self.grant.client.token_uri;
        http::post_form(&self.grant.http, token_uri, &form)
            .await
            .and_then(http::expect_token)
            .map_err(|reason| failed(format!("code exchange at {token_uri}: {reason}")))
    }
}

/// The query of the browser's redirect.
struct Redirect {
    code: Option<Secret>,
    state: Option<String>,
    error: Option<String>,
}

/// Serves the loopback address until a request carries `code` or `error`
/// (browsers also ask for `/favicon.ico`).
async fn wait_for_redirect(listener: &TcpListener) -> std::io::Result<Redirect> {
    loop {
        let (mut stream, _) = listener.accept().await?;
        // Browsers open speculative connections that never send a request: give up on
        // those instead of blocking the real redirect behind them.
        let read = tokio::time::timeout(REQUEST_READ_TIMEOUT, read_request_target(&mut stream)).await;
        let Ok(Ok(Some(target))) = read else { continue };
        let url = Url::parse(&format!("http://127.0.0.1{target}")).ok();
        let mut redirect = Redirect { code: None, state: None, error: None };
        for (key, value) in url.iter().flat_map(|u| u.query_pairs().into_owned().collect::<Vec<_>>()) {
            match key.as_str() {
                "code" => redirect.code = Some(Secret::new(value)),
                "state" => redirect.state = Some(value),
                "error" => redirect.error = Some(value),
                _ => {}
            }
        }
        if redirect.code.is_none() && redirect.error.is_none() {
            let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
            continue;
        }
        let page =
            "<!doctype html><title>Signed in</title><p>You can close this window and return to the application.</p>";
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
            page.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
        return Ok(redirect);
    }
}

/// The target of a request's first line (`GET /?code=... HTTP/1.1`), or
/// `None` for anything that is not a readable GET.
async fn read_request_target(stream: &mut TcpStream) -> std::io::Result<Option<String>> {
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.lines().next().unwrap_or_default().split_whitespace();
    Ok(match (words.next(), words.next()) {
        (Some("GET"), Some(target)) if target.starts_with('/') => Some(target.to_owned()),
        _ => None,
    })
}

impl fmt::Debug for InstalledApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstalledApp")
            .field("auth_uri", &self.auth_uri.as_str())
            .field("grant", &self.grant)
            .field("token", &self.cell)
            .finish_non_exhaustive()
    }
}

impl TokenProvider for InstalledApp {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let token = self.cell.get(|| self.grant.token(&self.source, || self.consent())).await?;
            Ok(Some(token))
        })
    }
}
