//! API keys, for the APIs (and methods) that accept them instead of OAuth2.

use std::fmt;

use reqwest::header::HeaderValue;

use super::secret::Secret;
use super::{TokenFuture, TokenProvider};
use crate::error::{Error, Result};

/// Sends an API key with every request and no `Authorization` header.
///
/// Google APIs take the key as the `key` query parameter or, equivalently,
/// the `X-Goog-Api-Key` header; this sends the header (marked sensitive), so
/// the key never appears in a URL, in a proxy's logs or in a transport
/// error, which quote the URL.
#[derive(Clone)]
pub struct ApiKey(Secret);

impl ApiKey {
    /// Wraps an API key.
    pub fn new(key: impl Into<Secret>) -> Self {
        ApiKey(key.into())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl TokenProvider for ApiKey {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async { Ok(None) })
    }

    fn api_key(&self) -> Option<&Secret> {
        Some(&self.0)
    }
}

/// The `X-Goog-Api-Key` value, marked sensitive so that it is never logged.
pub(crate) fn api_key_header(key: &Secret) -> Result<HeaderValue> {
    let mut value = HeaderValue::from_str(key.expose())
        .map_err(|_| Error::Config("the API key contains characters not allowed in a header".to_owned()))?;
    value.set_sensitive(true);
    Ok(value)
}
