//! What the two consent flows share: the OAuth2 client, the scopes, the
//! refresh token a person granted (in memory and in the optional cache
//! file), and the rule "refresh if a grant exists, else ask for consent".

use std::future::Future;

use super::authorized_user::OAuthClient;
use super::failure::AuthError;
use super::http::TokenResponse;
use super::secret::Secret;
use super::token_cache::TokenCache;
use super::token_cell::Token;

#[derive(Debug)]
pub(crate) struct UserGrant {
    pub client: OAuthClient,
    pub scopes: Vec<String>,
    pub cache: Option<TokenCache>,
    pub http: reqwest::Client,
    refresh_token: std::sync::Mutex<Option<Secret>>,
}

impl UserGrant {
    pub fn new(client: OAuthClient, scopes: &[&str]) -> Self {
        UserGrant {
            client,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            cache: None,
            http: super::http::client(),
            refresh_token: std::sync::Mutex::new(None),
        }
    }

    fn remembered(&self) -> Option<Secret> {
        self.refresh_token.lock().map(|guard| guard.clone()).unwrap_or_default()
    }

    fn remember(&self, token: Secret) {
        if let Ok(mut guard) = self.refresh_token.lock() {
            *guard = Some(token);
        }
    }

    /// A token from the existing grant, or from `consent` when there is none.
    /// Called under the provider's [`TokenCell`](super::token_cell::TokenCell)
    /// lock, so at most one consent runs at a time.
    pub async fn token<C, Fut>(&self, source: &str, consent: C) -> Result<Token, AuthError>
    where
        C: FnOnce() -> Fut,
        Fut: Future<Output = Result<TokenResponse, AuthError>>,
    {
        let known = match self.remembered() {
            Some(token) => Some(token),
            None => match &self.cache {
                Some(cache) => cache.load(&self.scopes)?,
                None => None,
            },
        };
        if let Some(refresh_token) = known {
            let token = self.client.refresh(&self.http, &refresh_token).await.map_err(|reason| {
                let hint = match &self.cache {
                    Some(cache) => format!(" (delete {} to consent again)", cache.path().display()),
                    None => String::new(),
                };
                AuthError::new(source, format!("refreshing the granted token failed: {reason}{hint}"))
            })?;
            self.remember(refresh_token);
            return Ok(token);
        }
        let answer = consent().await?;
        if let Some(refresh_token) = answer.refresh_token() {
            if let Some(cache) = &self.cache {
                cache.store(&refresh_token, &self.scopes)?;
            }
            self.remember(refresh_token);
        }
        Ok(Token::new(answer.access_token, answer.expires_in))
    }
}

/// `n` random bytes from the system's CSPRNG, base64url without padding
/// (PKCE verifiers, `state`).
pub(crate) fn random_token(n: usize, source: &str) -> Result<String, AuthError> {
    use base64::Engine;
    use ring::rand::SecureRandom;
    let mut bytes = vec![0; n];
    ring::rand::SystemRandom::new().fill(&mut bytes).map_err(|_| AuthError::new(source, "no system randomness"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}
