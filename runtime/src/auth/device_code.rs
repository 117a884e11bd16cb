//! The device-code flow (RFC 8628) for machines without a browser: the
//! person opens a URL elsewhere and types a short code; this side polls the
//! token endpoint until they consent or refuse.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use super::authorized_user::OAuthClient;
use super::failure::AuthError;
use super::http::{self, Answer, TokenResponse};
use super::secret::Secret;
use super::token_cache::TokenCache;
use super::token_cell::TokenCell;
use super::user_consent::UserGrant;
use super::{scope_list, TokenFuture, TokenProvider};

/// Google's device-authorization endpoint.
pub const GOOGLE_DEVICE_AUTH_URI: &str = "https://oauth2.googleapis.com/device/code";

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// What the person must be told: where to go and which code to enter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePrompt {
    /// The page to open on another device.
    pub verification_url: String,
    /// The code to type there.
    pub user_code: String,
    /// How long the code stays valid.
    pub expires_in: Duration,
}

#[derive(Deserialize)]
struct DeviceAuthorization {
    device_code: String,
    user_code: String,
    // Google says `verification_url`, RFC 8628 `verification_uri`.
    #[serde(alias = "verification_uri")]
    verification_url: String,
    expires_in: u64,
    #[serde(default)]
    interval: Option<u64>,
}

type Prompt = Arc<dyn Fn(&DevicePrompt) + Send + Sync>;

/// Tokens a person grants by entering a code on another device (OAuth2
/// client of type "TVs and Limited Input devices"). Like [`InstalledApp`](super::InstalledApp),
/// it keeps the refresh token (in a [`TokenCache`] when set) and only
/// refreshes afterwards.
pub struct DeviceCode {
    grant: UserGrant,
    device_uri: Url,
    source: String,
    prompt: Prompt,
    cell: TokenCell,
}

impl DeviceCode {
    /// The flow for OAuth2 client `client_id` / `client_secret` against Google's endpoints.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>, scopes: &[&str]) -> Self {
        let client = OAuthClient::google(client_id.into(), client_secret.into());
        DeviceCode {
            source: format!("device-code consent for client {}", client.client_id),
            grant: UserGrant::new(client, scopes),
            device_uri: Url::parse(GOOGLE_DEVICE_AUTH_URI).expect("constant URL"),
            prompt: Arc::new(|p| {
                eprintln!("To grant access, open {} and enter the code {}", p.verification_url, p.user_code)
            }),
            cell: TokenCell::default(),
        }
    }

    /// Uses another device-authorization and token endpoint (https, or http on loopback).
    pub fn with_endpoints(mut self, device_uri: &str, token_uri: &str) -> Result<Self, AuthError> {
        self.device_uri = http::endpoint(device_uri, "device-authorization endpoint", &self.source)?;
        self.grant.client.token_uri = http::endpoint(token_uri, "token endpoint", &self.source)?;
        Ok(self)
    }

    /// Keeps the refresh token in `cache` (read before asking for consent).
    pub fn with_token_cache(mut self, cache: TokenCache) -> Self {
        self.grant.cache = Some(cache);
        self
    }

    /// Shows the prompt with `show` instead of printing it to stderr.
    pub fn with_prompt(mut self, show: impl Fn(&DevicePrompt) + Send + Sync + 'static) -> Self {
        self.prompt = Arc::new(show);
        self
    }

    async fn consent(&self) -> Result<TokenResponse, AuthError> {
        let failed = |reason: String| AuthError::new(&self.source, reason);
        let client = &self.grant.client;
        let scopes = scope_list(&self.grant.scopes);
        let form = [("client_id", client.client_id.as_str()), ("scope", scopes.as_str())];
        let authorization: DeviceAuthorization = http::post_form(&self.grant.http, &self.device_uri, &form)
            .await
            .and_then(http::expect_token)
            .map_err(|e| failed(format!("device-authorization endpoint {}: {e}", self.device_uri)))?;
        (self.prompt)(&DevicePrompt {
            verification_url: authorization.verification_url.clone(),
            user_code: authorization.user_code.clone(),
            expires_in: Duration::from_secs(authorization.expires_in),
        });
        let deadline = tokio::time::Instant::now() + Duration::from_secs(authorization.expires_in);
        let mut interval = Duration::from_secs(authorization.interval.unwrap_or(5));
        let form = [
            ("grant_type", DEVICE_GRANT),
            ("client_id", client.client_id.as_str()),
            ("client_secret", client.client_secret.expose()),
            ("device_code", authorization.device_code.as_str()),
        ];
        loop {
            tokio::time::sleep(interval).await;
            if tokio::time::Instant::now() > deadline {
                return Err(failed("the device code expired before consent was given".into()));
            }
            let answer: Answer = http::post_form(&self.grant.http, &client.token_uri, &form)
                .await
                .map_err(|e| failed(format!("token endpoint {}: {e}", client.token_uri)))?;
            match answer {
                Answer::Token(token) => return Ok(token),
                Answer::Refused(_, error) if error.error == "authorization_pending" => {}
                Answer::Refused(_, error) if error.error == "slow_down" => interval += Duration::from_secs(5),
                Answer::Refused(_, error) if error.error == "access_denied" => {
                    return Err(failed("consent refused: access_denied".into()))
                }
                Answer::Refused(status, error) => {
                    return Err(failed(format!(
                        "token endpoint {}: {}",
                        client.token_uri,
                        http::refusal(status, &error)
                    )))
                }
            }
        }
    }
}

impl fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCode")
            .field("device_uri", &self.device_uri.as_str())
            .field("grant", &self.grant)
            .field("token", &self.cell)
            .finish_non_exhaustive()
    }
}

impl TokenProvider for DeviceCode {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let token = self.cell.get(|| self.grant.token(&self.source, || self.consent())).await?;
            Ok(Some(token))
        })
    }
}
