//! The metadata server of Compute Engine, GKE, Cloud Run and Cloud
//! Functions: tokens of the attached service account.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

use super::failure::AuthError;
use super::http::{self, TokenResponse};
use super::token_cell::{Token, TokenCell};
use super::{TokenFuture, TokenProvider};

/// The metadata server's address when `GCE_METADATA_HOST` is not set.
pub const DEFAULT_METADATA_HOST: &str = "169.254.169.254";

/// Off Google Cloud nothing answers at the metadata address; fail fast.
const METADATA_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Tokens from the metadata server (`http://{host}/computeMetadata/v1/...`,
/// header `Metadata-Flavor: Google`). The server is reached over plain http
/// by design: it is link-local and never leaves the machine's host.
pub struct MetadataServer {
    host: String,
    url: Url,
    http: reqwest::Client,
    cell: TokenCell,
}

impl MetadataServer {
    /// The server at `GCE_METADATA_HOST`, else at [`DEFAULT_METADATA_HOST`].
    pub fn new(scopes: &[&str]) -> Result<Self, AuthError> {
        let host = std::env::var("GCE_METADATA_HOST").unwrap_or_else(|_| DEFAULT_METADATA_HOST.to_owned());
        Self::at(&host, scopes)
    }

    /// The server at `host` (`host` or `host:port`).
    pub fn at(host: &str, scopes: &[&str]) -> Result<Self, AuthError> {
        let source = format!("metadata server {host}");
        let mut url = Url::parse(&format!("http://{host}/computeMetadata/v1/instance/service-accounts/default/token"))
            .map_err(|e| AuthError::new(&source, format!("invalid host: {e}")))?;
        if !scopes.is_empty() {
            url.query_pairs_mut().append_pair("scopes", &scopes.join(","));
        }
        let http = http::built(
            crate::http_client::runtime_http(reqwest::Client::builder())
                .connect_timeout(METADATA_CONNECT_TIMEOUT)
                .timeout(Duration::from_secs(10)),
        );
        Ok(MetadataServer { host: host.to_owned(), url, http, cell: TokenCell::default() })
    }

    async fn fetch(&self) -> Result<Token, AuthError> {
        let request = self.http.get(self.url.clone()).header("Metadata-Flavor", HeaderValue::from_static("Google"));
        let answer: Result<TokenResponse, String> = http::answer(request).await.and_then(http::expect_token);
        let answer = answer.map_err(|reason| AuthError::new(format!("metadata server {}", self.host), reason))?;
        Ok(Token::new(answer.access_token, answer.expires_in))
    }
}

impl fmt::Debug for MetadataServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetadataServer").field("url", &self.url.as_str()).field("token", &self.cell).finish()
    }
}

impl TokenProvider for MetadataServer {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move { Ok(Some(self.cell.get(|| self.fetch()).await?)) })
    }
}
