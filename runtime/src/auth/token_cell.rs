//! Single-flight token refresh: the cached token of one credential source.
//!
//! Callers queue on one async mutex; the first that finds the token missing
//! or about to expire fetches a new one, and every caller that was already
//! waiting takes that fresh token instead of fetching again. So 100
//! concurrent calls on an expired token make exactly one token request.

use std::future::Future;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::failure::AuthError;
use super::AccessToken;

/// Tokens are refreshed this long before they expire (or halfway through
/// their lifetime when that is shorter), so no request carries a token that
/// expires in flight.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Lifetime assumed when a token endpoint does not say (`expires_in` missing).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// A token and when it must be replaced.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub access: AccessToken,
    /// Seconds until expiry as the endpoint reported them.
    pub lifetime: Option<Duration>,
}

impl Token {
    pub fn new(access: impl Into<String>, expires_in: Option<u64>) -> Self {
        Token { access: AccessToken::new(access), lifetime: expires_in.map(Duration::from_secs) }
    }
}

struct Cached {
    access: AccessToken,
    fetched_at: Instant,
    refresh_at: Instant,
    expires_at: Instant,
}

/// The cache and refresh lock of one credential source.
#[derive(Default)]
pub(crate) struct TokenCell {
    cached: Mutex<Option<Cached>>,
}

impl TokenCell {
    /// The cached token, or a new one from `fetch` when it is missing or due
    /// for refresh. A failed fetch leaves nothing cached, so the next call
    /// tries again.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<AccessToken, AuthError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token, AuthError>>,
    {
        let arrived = Instant::now();
        let mut cached = self.cached.lock().await;
        let now = Instant::now();
        if let Some(token) = cached.as_ref() {
            let fresh = now < token.refresh_at;
            // Fetched while this caller waited for the lock: use it even when
            // its lifetime is shorter than the margin.
            let fetched_for_us = token.fetched_at >= arrived && now < token.expires_at;
            if fresh || fetched_for_us {
                return Ok(token.access.clone());
            }
        }
        *cached = None;
        let token = fetch().await?;
        let fetched_at = Instant::now();
        let lifetime = token.lifetime.unwrap_or(DEFAULT_LIFETIME);
        let margin = REFRESH_MARGIN.min(lifetime / 2);
        *cached = Some(Cached {
            access: token.access.clone(),
            fetched_at,
            refresh_at: fetched_at + lifetime - margin,
            expires_at: fetched_at + lifetime,
        });
        Ok(token.access)
    }
}

impl std::fmt::Debug for TokenCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.cached.try_lock() {
            Ok(cached) if cached.is_some() => "cached",
            Ok(_) => "empty",
            Err(_) => "refreshing",
        };
        f.write_str(state)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    async fn fetch_counted(count: &AtomicUsize, expires_in: u64) -> Result<Token, AuthError> {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(Duration::from_millis(10)).await;
        Ok(Token::new(format!("token-{n}"), Some(expires_in)))
    }

    #[tokio::test(start_paused = true)]
    async fn refreshes_within_the_margin_before_expiry() {
        let cell = TokenCell::default();
        let count = AtomicUsize::new(0);
        assert_eq!(cell.get(|| fetch_counted(&count, 3600)).await.unwrap().as_str(), "token-1");
        tokio::time::advance(Duration::from_secs(3600 - 301)).await;
        assert_eq!(cell.get(|| fetch_counted(&count, 3600)).await.unwrap().as_str(), "token-1");
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(cell.get(|| fetch_counted(&count, 3600)).await.unwrap().as_str(), "token-2");
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn short_lived_tokens_refresh_halfway() {
        let cell = TokenCell::default();
        let count = AtomicUsize::new(0);
        cell.get(|| fetch_counted(&count, 60)).await.unwrap();
        tokio::time::advance(Duration::from_secs(29)).await;
        cell.get(|| fetch_counted(&count, 60)).await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        cell.get(|| fetch_counted(&count, 60)).await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_fetch_even_for_tokens_shorter_than_the_margin() {
        let cell = Arc::new(TokenCell::default());
        let count = Arc::new(AtomicUsize::new(0));
        let calls: Vec<_> = (0..100)
            .map(|_| {
                let (cell, count) = (cell.clone(), count.clone());
                tokio::spawn(async move { cell.get(|| fetch_counted(&count, 10)).await.unwrap() })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().as_str(), "token-1");
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_fetch_is_retried_by_the_next_call() {
        let cell = TokenCell::default();
        let err = cell.get(|| async { Err(AuthError::new("test source", "boom")) }).await.unwrap_err();
        assert_eq!(err.to_string(), "test source: boom");
        let token = cell.get(|| async { Ok(Token::new("ok", None)) }).await.unwrap();
        assert_eq!(token.as_str(), "ok");
    }
}
