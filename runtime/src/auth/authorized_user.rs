//! Authorized user credentials: a refresh token exchanged for access tokens
//! (the refresh-token grant). gcloud's `application-default login` writes
//! them; the consent flows produce them.

use std::fmt;
use std::path::Path;

use url::Url;

use super::failure::AuthError;
use super::http::{self, TokenResponse};
use super::key_file::{self, AuthorizedUserKey, CredentialFile};
use super::secret::Secret;
use super::token_cell::{Token, TokenCell};
use super::{TokenFuture, TokenProvider};

/// An OAuth2 client: its id and secret and where it gets tokens.
#[derive(Clone)]
pub(crate) struct OAuthClient {
    pub client_id: String,
    pub client_secret: Secret,
    pub token_uri: Url,
}

impl OAuthClient {
    /// A client of Google's token endpoint.
    pub fn google(client_id: String, client_secret: Secret) -> Self {
        let token_uri = Url::parse(key_file::GOOGLE_TOKEN_URI).expect("constant URL");
        OAuthClient { client_id, client_secret, token_uri }
    }

    /// The refresh-token grant.
    pub async fn refresh(&self, http: &reqwest::Client, refresh_token: &Secret) -> Result<Token, String> {
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
            ("refresh_token", refresh_token.expose()),
        ];
        let answer: Result<TokenResponse, String> =
            http::post_form(http, &self.token_uri, &form).await.and_then(http::expect_token);
        let answer = answer.map_err(|reason| format!("token endpoint {}: {reason}", self.token_uri))?;
        Ok(Token::new(answer.access_token, answer.expires_in))
    }
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .field("token_uri", &self.token_uri.as_str())
            .finish_non_exhaustive()
    }
}

/// A user's refresh token and the OAuth2 client it was issued to.
pub struct AuthorizedUser {
    client: OAuthClient,
    refresh_token: Secret,
    origin: String,
    http: reqwest::Client,
    cell: TokenCell,
}

impl AuthorizedUser {
    /// Credentials from a refresh token, for the client `client_id` /
    /// `client_secret`, refreshed at Google's token endpoint.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        let client = OAuthClient::google(client_id.into(), client_secret.into());
        AuthorizedUser {
            origin: format!("authorized user {} (given refresh token)", client.client_id),
            client,
            refresh_token: refresh_token.into(),
            http: http::client(),
            cell: TokenCell::default(),
        }
    }

    /// Reads an `authorized_user` file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, AuthError> {
        let path = path.as_ref();
        match key_file::read(path)? {
            CredentialFile::AuthorizedUser(key) => Self::from_key(key, &format!("file {}", path.display())),
            _ => Err(AuthError::new(
                format!("credentials file {}", path.display()),
                "field `type` is not \"authorized_user\"",
            )),
        }
    }

    /// Sends refresh requests to `token_uri` (https, or http on loopback).
    pub fn with_token_uri(mut self, token_uri: &str) -> Result<Self, AuthError> {
        self.client.token_uri = http::endpoint(token_uri, "token endpoint", &self.origin)?;
        Ok(self)
    }

    pub(crate) fn from_key(key: AuthorizedUserKey, origin: &str) -> Result<Self, AuthError> {
        let origin = format!("authorized user {} ({origin})", key.client_id);
        let token_uri = http::endpoint(&key.token_uri, "field `token_uri`", &origin)?;
        Ok(AuthorizedUser {
            client: OAuthClient { client_id: key.client_id, client_secret: key.client_secret, token_uri },
            refresh_token: key.refresh_token,
            origin,
            http: http::client(),
            cell: TokenCell::default(),
        })
    }
}

impl fmt::Debug for AuthorizedUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizedUser")
            .field("client", &self.client)
            .field("token", &self.cell)
            .finish_non_exhaustive()
    }
}

impl TokenProvider for AuthorizedUser {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let token = self
                .cell
                .get(|| async {
                    self.client
                        .refresh(&self.http, &self.refresh_token)
                        .await
                        .map_err(|e| AuthError::new(&self.origin, e))
                })
                .await?;
            Ok(Some(token))
        })
    }
}
