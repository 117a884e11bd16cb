//! Credentials: where the `Authorization: Bearer` token (or API key) of each
//! request comes from.
//!
//! Always available: [`StaticToken`] (a fixed token), [`NoAuth`] (no header,
//! for emulators) and [`ApiKey`]. With the `adc` cargo feature, one file per
//! source: `adc` (the Application Default Credentials chain),
//! `service_account` (RS256 JWT), `impersonated`, `authorized_user`,
//! `metadata`, `installed_app` and `device_code` (consent flows) with
//! `token_cache`; `token_cell` is the single-flight refresh they all share.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::error::Result;

mod api_key;
mod secret;

pub(crate) use api_key::api_key_header;
pub use api_key::ApiKey;
pub use secret::Secret;

#[cfg(feature = "adc")]
mod adc;
#[cfg(feature = "adc")]
mod authorized_user;
#[cfg(feature = "adc")]
mod device_code;
#[cfg(feature = "adc")]
mod failure;
#[cfg(feature = "adc")]
mod http;
#[cfg(feature = "adc")]
mod impersonated;
#[cfg(feature = "adc")]
mod installed_app;
#[cfg(feature = "adc")]
mod key_file;
#[cfg(feature = "adc")]
mod metadata;
#[cfg(feature = "adc")]
mod service_account;
#[cfg(feature = "adc")]
mod token_cache;
#[cfg(feature = "adc")]
mod token_cell;
#[cfg(feature = "adc")]
mod user_consent;

/// Google's credential sources (the `adc` feature): Application Default Credentials,
/// service accounts, impersonation, authorized users, the metadata server and the
/// installed-app and device-code consent flows.
#[cfg(feature = "adc")]
pub mod credentials {
    pub use super::adc::{credentials_from_file, AdcEnvironment, ApplicationDefaultCredentials, CLOUD_PLATFORM_SCOPE};
    pub use super::authorized_user::AuthorizedUser;
    pub use super::device_code::{DeviceCode, DevicePrompt, GOOGLE_DEVICE_AUTH_URI};
    pub use super::failure::AuthError;
    pub use super::impersonated::{ImpersonatedServiceAccount, IAM_CREDENTIALS_ENDPOINT};
    pub use super::installed_app::{InstalledApp, GOOGLE_AUTH_URI};
    pub use super::key_file::GOOGLE_TOKEN_URI;
    pub use super::metadata::{MetadataServer, DEFAULT_METADATA_HOST};
    pub use super::service_account::ServiceAccount;
    pub use super::token_cache::TokenCache;
    pub use super::token_cell::REFRESH_MARGIN;
}
#[cfg(feature = "adc")]
pub(crate) use credentials::*;

/// OAuth2's space-separated scope list.
#[cfg(feature = "adc")]
pub(crate) fn scope_list(scopes: &[String]) -> String {
    scopes.join(" ")
}

/// The future returned by [`TokenProvider::token`].
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Option<AccessToken>>> + Send + 'a>>;

/// A source of OAuth2 bearer tokens.
///
/// The client calls [`token`](TokenProvider::token) before every attempt, so
/// implementations should cache tokens until they are about to expire.
/// `Ok(None)` means "send no `Authorization` header".
///
/// The `Debug` implementation must not print secrets.
///
/// ```
/// use discogen_runtime::auth::{AccessToken, TokenFuture, TokenProvider};
///
/// #[derive(Debug)]
/// struct FromEnv;
///
/// impl TokenProvider for FromEnv {
///     fn token(&self) -> TokenFuture<'_> {
///         Box::pin(async {
///             Ok(std::env::var("ACCESS_TOKEN").ok().map(AccessToken::new))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// Returns the token to send, or `None` for an unauthenticated request.
    fn token(&self) -> TokenFuture<'_>;

    /// An API key to send as `X-Goog-Api-Key` (see [`ApiKey`]); `None` by default.
    fn api_key(&self) -> Option<&Secret> {
        None
    }
}

/// A bearer token. Its `Debug` output is redacted and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The token itself, to put in a header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Always sends the same token (e.g. from `gcloud auth print-access-token`).
#[derive(Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(Some(token)) })
    }
}

/// Sends no `Authorization` header (emulators, local tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoAuth;

impl TokenProvider for NoAuth {
    fn token(&self) -> TokenFuture<'_> {
        // A future of no size: boxing it allocates nothing.
        Box::pin(NoToken)
    }
}

/// The future of [`NoAuth::token`]: ready at once with no token.
struct NoToken;

impl Future for NoToken {
    type Output = Result<Option<AccessToken>>;

    fn poll(self: Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        std::task::Poll::Ready(Ok(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn static_token_is_returned_but_never_printed() {
        let provider = StaticToken::new("ya29.secret");
        let token = provider.token().await.unwrap().unwrap();
        assert_eq!(token.as_str(), "ya29.secret");
        assert!(!format!("{provider:?}").contains("secret"));
        assert!(!format!("{token:?}").contains("secret"));
        assert!(!format!("{:?}", Some(&token)).contains("secret"));
    }

    #[tokio::test]
    async fn no_auth_sends_nothing() {
        assert!(NoAuth.token().await.unwrap().is_none());
    }
}
