//! Credentials: where the `Authorization: Bearer` token of each request
//! comes from.
//!
//! Built-in providers: [`StaticToken`] (a fixed token), [`NoAuth`] (no header,
//! for emulators) and, with the `adc` cargo feature,
//! [`ApplicationDefaultCredentials`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::error::Result;

#[cfg(feature = "adc")]
mod adc;
#[cfg(feature = "adc")]
pub use adc::{ApplicationDefaultCredentials, CLOUD_PLATFORM_SCOPE};

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
/// use discogen_runtime::{AccessToken, TokenFuture, TokenProvider};
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
        Box::pin(async { Ok(None) })
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
