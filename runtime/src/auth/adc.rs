//! Application Default Credentials through the `gcp_auth` crate.

use std::fmt;
use std::sync::Arc;

use tokio::sync::OnceCell;

use super::{AccessToken, TokenFuture, TokenProvider};
use crate::error::Error;

/// The scope that grants access to all Google Cloud APIs.
pub const CLOUD_PLATFORM_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

/// Application Default Credentials, looked up on first use, in this order:
///
/// 1. the service-account key file named by `GOOGLE_APPLICATION_CREDENTIALS`;
/// 2. `gcloud auth application-default login` credentials
///    (`~/.config/gcloud/application_default_credentials.json`);
/// 3. the GCE / GKE / Cloud Run metadata server;
/// 4. `gcloud auth print-access-token`.
///
/// Tokens are cached and refreshed by `gcp_auth` before they expire.
/// Available with the `adc` cargo feature.
pub struct ApplicationDefaultCredentials {
    scopes: Vec<String>,
    provider: OnceCell<Arc<dyn gcp_auth::TokenProvider>>,
}

impl ApplicationDefaultCredentials {
    /// ADC with the [`CLOUD_PLATFORM_SCOPE`].
    pub fn new() -> Self {
        Self::with_scopes([CLOUD_PLATFORM_SCOPE])
    }

    /// ADC requesting the given OAuth2 scopes.
    pub fn with_scopes<I, S>(scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ApplicationDefaultCredentials {
            scopes: scopes.into_iter().map(Into::into).collect(),
            provider: OnceCell::new(),
        }
    }
}

impl Default for ApplicationDefaultCredentials {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ApplicationDefaultCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplicationDefaultCredentials")
            .field("scopes", &self.scopes)
            .field("initialized", &self.provider.initialized())
            .finish()
    }
}

impl TokenProvider for ApplicationDefaultCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let provider =
                self.provider.get_or_try_init(gcp_auth::provider).await.map_err(|e| Error::Auth(Box::new(e)))?;
            let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
            let token = provider.token(&scopes).await.map_err(|e| Error::Auth(Box::new(e)))?;
            Ok(Some(AccessToken::new(token.as_str())))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_scopes_only() {
        let adc = ApplicationDefaultCredentials::new();
        let text = format!("{adc:?}");
        assert!(text.contains(CLOUD_PLATFORM_SCOPE));
        assert!(text.contains("initialized: false"));
    }

    #[tokio::test]
    async fn unreadable_key_file_is_an_auth_error() {
        // The only test of this crate that touches the environment.
        std::env::set_var("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/discogen-key.json");
        let err = ApplicationDefaultCredentials::new().token().await.unwrap_err();
        assert!(matches!(err, Error::Auth(_)), "{err}");
        assert!(err.is_auth());
    }
}
