//! When and how fast failed attempts are retried.

use std::time::Duration;

use crate::error::Error;

/// HTTP statuses retried by default: 429, 500, 502, 503, 504.
pub const DEFAULT_RETRYABLE_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// Retry settings: which failures are retried, how many times, how long to
/// wait in between and for how long overall.
///
/// A failure is retried when all of these hold:
///
/// * fewer than [`max_attempts`](Self::max_attempts) attempts were made;
/// * it is transient: an HTTP status in the retryable list (429, 500, 502,
///   503, 504 by default), a transport error or a per-attempt timeout;
/// * the call is idempotent, or the connection could not even be established
///   (so the request was certainly not sent);
/// * the next attempt would start before the overall deadline
///   ([`total_timeout`](Self::total_timeout)).
///
/// The delay before retry *n* (from 0) is
/// `min(max_backoff, initial_backoff * multiplier^n)`, reduced by a random
/// fraction of up to `jitter` of itself, and raised to the server's
/// `Retry-After` (seconds or HTTP-date) when that is longer, up to `max_backoff`: no wait is
/// ever longer than `max_backoff`, whatever the server asks. A wait that would end past the
/// deadline ends the retries at once: the call fails with the server's error, whose
/// [`Error::retry_after`] says how long it asked for.
///
/// ```
/// use std::time::Duration;
/// use discogen_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(3)
///     .with_initial_backoff(Duration::from_millis(50))
///     .with_total_timeout(Some(Duration::from_secs(10)));
/// assert_eq!(policy.max_attempts(), 3);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    multiplier: f64,
    jitter: f64,
    total_timeout: Option<Duration>,
    retryable_statuses: Vec<u16>,
}

impl Default for RetryPolicy {
    /// 5 attempts, backoff 500 ms doubling up to 30 s, jitter 0.5, overall
    /// deadline 2 minutes.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            multiplier: 2.0,
            jitter: 0.5,
            total_timeout: Some(Duration::from_secs(120)),
            retryable_statuses: DEFAULT_RETRYABLE_STATUSES.to_vec(),
        }
    }
}

impl RetryPolicy {
    /// A single attempt: nothing is retried.
    pub fn none() -> Self {
        RetryPolicy::default().with_max_attempts(1)
    }

    /// Total number of attempts, including the first (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Delay before the first retry.
    pub fn with_initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Upper bound of every delay, the server's `Retry-After` included (a longer one is cut to
    /// it).
    pub fn with_max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Growth factor of the delay (at least 1).
    pub fn with_multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = if multiplier.is_finite() { multiplier.max(1.0) } else { 1.0 };
        self
    }

    /// Fraction of each delay that may be randomly removed, in `0.0..=1.0`;
    /// `0.0` makes delays deterministic.
    pub fn with_jitter(mut self, jitter: f64) -> Self {
        self.jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
        self
    }

    /// Overall deadline across all attempts and delays; `None` for no limit.
    pub fn with_total_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// Replaces the list of HTTP statuses considered transient.
    pub fn with_retryable_statuses(mut self, statuses: &[u16]) -> Self {
        self.retryable_statuses = statuses.to_vec();
        self
    }

    /// Total number of attempts, including the first.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Delay before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Upper bound of the computed delay.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Growth factor of the delay.
    pub fn multiplier(&self) -> f64 {
        self.multiplier
    }

    /// Fraction of each delay that may be randomly removed.
    pub fn jitter(&self) -> f64 {
        self.jitter
    }

    /// Overall deadline across attempts.
    pub fn total_timeout(&self) -> Option<Duration> {
        self.total_timeout
    }

    /// HTTP statuses considered transient.
    pub fn retryable_statuses(&self) -> &[u16] {
        &self.retryable_statuses
    }

    /// Whether `error` is transient for this policy (ignoring idempotency
    /// and attempt counts).
    pub fn is_transient(&self, error: &Error) -> bool {
        match error {
            Error::Api(api) => self.retryable_statuses.contains(&api.status),
            Error::Transport { .. } | Error::Timeout(_) => true,
            _ => false,
        }
    }

    /// Whether a call that failed with `error` may be sent again.
    pub(crate) fn may_retry(&self, error: &Error, idempotent: bool) -> bool {
        if idempotent {
            self.is_transient(error)
        } else {
            // Safe even for non-idempotent calls: nothing reached the server.
            matches!(error, Error::Transport { connect: true, .. })
        }
    }

    /// The delay before retry number `retry` (0 for the first retry), with
    /// jitter applied.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = i32::try_from(retry).unwrap_or(i32::MAX);
        let base = self.initial_backoff.as_secs_f64() * self.multiplier.powi(exponent);
        let capped = base.min(self.max_backoff.as_secs_f64());
        let jittered = capped * (1.0 - self.jitter * fastrand::f64());
        Duration::try_from_secs_f64(jittered).unwrap_or(self.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    fn api(status: u16) -> Error {
        ApiError::from_response(status, b"", None).into()
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(500))
            .with_multiplier(2.0)
            .with_jitter(0.0);
        let delays: Vec<_> = (0..5).map(|n| policy.backoff(n).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 500, 500]);
        assert_eq!(policy.backoff(u32::MAX), Duration::from_millis(500));
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let policy = RetryPolicy::default().with_initial_backoff(Duration::from_millis(100)).with_jitter(0.5);
        for _ in 0..200 {
            let delay = policy.backoff(0);
            assert!(delay >= Duration::from_millis(50) && delay <= Duration::from_millis(100));
        }
    }

    #[test]
    fn settings_are_sanitised() {
        let policy = RetryPolicy::default().with_max_attempts(0).with_multiplier(0.1).with_jitter(7.0);
        assert_eq!(policy.max_attempts(), 1);
        assert_eq!(policy.multiplier(), 1.0);
        assert_eq!(policy.jitter(), 1.0);
        assert_eq!(RetryPolicy::default().with_multiplier(f64::NAN).multiplier(), 1.0);
    }

    #[test]
    fn only_transient_failures_of_idempotent_calls_are_retried() {
        let policy = RetryPolicy::default();
        for status in DEFAULT_RETRYABLE_STATUSES {
            assert!(policy.may_retry(&api(status), true), "{status}");
            assert!(!policy.may_retry(&api(status), false), "{status}");
        }
        for status in [400, 401, 403, 404, 409, 501] {
            assert!(!policy.may_retry(&api(status), true), "{status}");
        }
        let timeout = Error::Timeout(Duration::from_secs(1));
        assert!(policy.may_retry(&timeout, true));
        assert!(!policy.may_retry(&timeout, false));
        assert!(!policy.may_retry(&Error::InvalidResponse("x".into()), true));
        let custom = policy.with_retryable_statuses(&[409]);
        assert!(custom.may_retry(&api(409), true));
        assert!(!custom.may_retry(&api(503), true));
    }
}
