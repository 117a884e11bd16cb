//! Service account impersonation: a source credential asks the IAM
//! Credentials API for a token of another service account, possibly through
//! a chain of delegates.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::json;
use url::Url;

use super::failure::AuthError;
use super::http;
use super::token_cell::{Token, TokenCell};
use super::{TokenFuture, TokenProvider};
use crate::wkt::Timestamp;

/// The IAM Credentials API.
pub const IAM_CREDENTIALS_ENDPOINT: &str = "https://iamcredentials.googleapis.com/";

/// Lifetime requested for impersonated tokens.
const LIFETIME: Duration = Duration::from_secs(3600);

/// Tokens of `target` obtained with the tokens of `source`
/// (`projects/-/serviceAccounts/{target}:generateAccessToken`).
pub struct ImpersonatedServiceAccount {
    source: Arc<dyn TokenProvider>,
    target: String,
    url: Url,
    delegates: Vec<String>,
    scopes: Vec<String>,
    http: reqwest::Client,
    cell: TokenCell,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GenerateAccessTokenResponse {
    access_token: String,
    expire_time: Timestamp,
}

impl ImpersonatedServiceAccount {
    /// Impersonates the service account `target` (an email) with the
    /// credentials of `source`, which need `roles/iam.serviceAccountTokenCreator`.
    pub fn new(source: Arc<dyn TokenProvider>, target: &str, scopes: &[&str]) -> Result<Self, AuthError> {
        let url = format!("{IAM_CREDENTIALS_ENDPOINT}v1/projects/-/serviceAccounts/{target}:generateAccessToken");
        Self::with_url(source, &url, scopes)
    }

    /// Impersonation through the `generateAccessToken` URL `url` (as found
    /// in `service_account_impersonation_url`), which must be https except
    /// on loopback.
    pub fn with_url(source: Arc<dyn TokenProvider>, url: &str, scopes: &[&str]) -> Result<Self, AuthError> {
        let target = url
            .rsplit_once("/serviceAccounts/")
            .and_then(|(_, rest)| rest.strip_suffix(":generateAccessToken"))
            .unwrap_or(url)
            .to_owned();
        let source_name = format!("impersonated service account {target}");
        let url = http::endpoint(url, "impersonation URL", &source_name)?;
        Ok(ImpersonatedServiceAccount {
            source,
            target,
            url,
            delegates: Vec::new(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            http: http::client(),
            cell: TokenCell::default(),
        })
    }

    /// The delegation chain: each service account (email or
    /// `projects/-/serviceAccounts/{email}`) must be able to create tokens for
    /// the next, the last for the target.
    pub fn with_delegates<I, S>(mut self, delegates: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.delegates = delegates
            .into_iter()
            .map(|d| {
                let d = d.as_ref();
                if d.starts_with("projects/") {
                    d.to_owned()
                } else {
                    format!("projects/-/serviceAccounts/{d}")
                }
            })
            .collect();
        self
    }

    /// The impersonated service account.
    pub fn target(&self) -> &str {
        &self.target
    }

    async fn fetch(&self) -> Result<Token, AuthError> {
        let source_name = || format!("impersonated service account {}", self.target);
        let source_token = self
            .source
            .token()
            .await
            .map_err(|e| AuthError::new(source_name(), format!("source credentials failed: {e}")))?
            .ok_or_else(|| AuthError::new(source_name(), "source credentials gave no token"))?;
        let body = json!({
            "delegates": self.delegates,
            "scope": self.scopes,
            "lifetime": format!("{}s", LIFETIME.as_secs()),
        });
        let request = self
            .http
            .post(self.url.clone())
            .bearer_auth(source_token.as_str())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let failed = |reason: String| AuthError::new(source_name(), format!("IAM Credentials {}: {reason}", self.url));
        let response = request.send().await.map_err(|e| failed(http::describe(e)))?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|e| failed(http::describe(e)))?;
        if !(200..300).contains(&status) {
            // A google.rpc.Status body; its message carries no credential.
            let message = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
                .unwrap_or_default();
            return Err(failed(format!("HTTP {status} {message}").trim_end().to_owned()));
        }
        let answer: GenerateAccessTokenResponse =
            serde_json::from_slice(&bytes).map_err(|e| failed(format!("unreadable response: {e}")))?;
        let lifetime = answer
            .expire_time
            .to_system_time()
            .and_then(|expiry| expiry.duration_since(SystemTime::now()).ok())
            .unwrap_or_default();
        Ok(Token { access: super::AccessToken::new(answer.access_token), lifetime: Some(lifetime) })
    }
}

impl fmt::Debug for ImpersonatedServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImpersonatedServiceAccount")
            .field("target", &self.target)
            .field("delegates", &self.delegates)
            .field("scopes", &self.scopes)
            .field("source", &self.source)
            .field("token", &self.cell)
            .finish_non_exhaustive()
    }
}

impl TokenProvider for ImpersonatedServiceAccount {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move { Ok(Some(self.cell.get(|| self.fetch()).await?)) })
    }
}
