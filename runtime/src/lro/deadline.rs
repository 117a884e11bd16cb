//! The overall deadline of a polling loop, shared by both kinds of long-running operation.

use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::options::PollPolicy;

/// The overall deadline of a polling loop: it bounds the sleeps between polls and the polls
/// themselves, so a server that never answers a poll cannot hold the loop past it.
pub(crate) struct PollDeadline {
    started: Instant,
    deadline: Option<Instant>,
}

impl PollDeadline {
    pub(crate) fn start(policy: &PollPolicy) -> Self {
        let started = Instant::now();
        PollDeadline { started, deadline: policy.timeout().and_then(|timeout| started.checked_add(timeout)) }
    }

    /// `delay`, shortened to what is left; `None` once the deadline has passed.
    pub(crate) fn bound(&self, delay: Duration) -> Option<Duration> {
        match self.deadline {
            Some(deadline) => {
                let remaining = deadline.saturating_duration_since(Instant::now());
                (!remaining.is_zero()).then(|| delay.min(remaining))
            }
            None => Some(delay),
        }
    }

    /// [`Error::OperationTimeout`] for operation `name`.
    pub(crate) fn expired(&self, name: &str) -> Error {
        Error::OperationTimeout { name: name.to_owned(), waited: self.started.elapsed() }
    }

    /// Runs `poll`, giving up with [`Error::OperationTimeout`] when the deadline passes first.
    pub(crate) async fn run<T>(&self, name: &str, poll: impl std::future::Future<Output = Result<T>>) -> Result<T> {
        match self.deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, poll).await.unwrap_or_else(|_| Err(self.expired(name))),
            None => poll.await,
        }
    }
}
