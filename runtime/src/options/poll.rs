//! [`PollPolicy`]: how long-running operations are polled.

use std::time::Duration;

/// How [`Operation::wait`](crate::lro::Operation::wait) polls: exponential delays and an overall deadline.
///
/// ```
/// use std::time::Duration;
/// use discogen_runtime::PollPolicy;
///
/// let fast = PollPolicy::default()
///     .with_initial_delay(Duration::from_millis(10))
///     .with_max_delay(Duration::from_millis(100))
///     .with_timeout(Some(Duration::from_secs(5)));
/// assert_eq!(fast.initial_delay(), Duration::from_millis(10));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PollPolicy {
    initial_delay: Duration,
    max_delay: Duration,
    multiplier: f64,
    timeout: Option<Duration>,
}

impl Default for PollPolicy {
    /// First poll after 1 s, delays growing ×1.5 up to 30 s, deadline 1 hour.
    fn default() -> Self {
        PollPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            multiplier: 1.5,
            timeout: Some(Duration::from_secs(3600)),
        }
    }
}

impl PollPolicy {
    /// Delay before the first poll.
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Upper bound of the delay between polls.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Growth factor of the delay (at least 1).
    pub fn with_multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = if multiplier.is_finite() { multiplier.max(1.0) } else { 1.0 };
        self
    }

    /// Overall deadline; `None` polls forever.
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Delay before the first poll.
    pub fn initial_delay(&self) -> Duration {
        self.initial_delay
    }

    /// Upper bound of the delay between polls.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// Growth factor of the delay.
    pub fn multiplier(&self) -> f64 {
        self.multiplier
    }

    /// Overall deadline.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    pub(crate) fn next_delay(&self, delay: Duration) -> Duration {
        delay.mul_f64(self.multiplier).min(self.max_delay)
    }
}
