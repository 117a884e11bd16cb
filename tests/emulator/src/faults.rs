//! Fault injection: what the next requests get instead of a normal answer.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A fault applied to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this HTTP status and a Google error body (e.g. 503
    /// `UNAVAILABLE`), with a `Retry-After: <seconds>` header if given.
    Status {
        /// HTTP status.
        status: u16,
        /// `Retry-After` in seconds.
        retry_after: Option<u64>,
    },
    /// Answer with this status and body verbatim (e.g. malformed JSON).
    Respond {
        /// HTTP status.
        status: u16,
        /// Response body.
        body: String,
    },
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Close the connection without answering.
    Drop,
}

/// Queue of faults, shared with the server. Each incoming request (any
/// route) takes the fault at the front of the queue, if any.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    queue: Arc<Mutex<VecDeque<Fault>>>,
}

impl Faults {
    /// Queues `fault` for the next `count` requests (after those already queued).
    pub fn push(&self, fault: Fault, count: usize) -> &Self {
        let mut queue = self.queue.lock().expect("fault queue");
        queue.extend(std::iter::repeat_n(fault, count));
        self
    }

    /// The next `count` requests fail with `status` and a Google error body.
    pub fn fail_next(&self, count: usize, status: u16) -> &Self {
        self.push(Fault::Status { status, retry_after: None }, count)
    }

    /// Like [`fail_next`](Self::fail_next), with `Retry-After: seconds`.
    pub fn fail_next_with_retry_after(&self, count: usize, status: u16, seconds: u64) -> &Self {
        self.push(Fault::Status { status, retry_after: Some(seconds) }, count)
    }

    /// The next `count` requests get `status` and `body` verbatim.
    pub fn respond_next(&self, count: usize, status: u16, body: impl Into<String>) -> &Self {
        self.push(Fault::Respond { status, body: body.into() }, count)
    }

    /// The next `count` requests are answered normally after `delay`.
    pub fn delay_next(&self, count: usize, delay: Duration) -> &Self {
        self.push(Fault::Delay(delay), count)
    }

    /// The next `count` requests get their connection closed without answer.
    pub fn drop_next(&self, count: usize) -> &Self {
        self.push(Fault::Drop, count)
    }

    /// Forgets all queued faults.
    pub fn clear(&self) {
        self.queue.lock().expect("fault queue").clear();
    }

    /// Number of queued faults.
    pub fn pending(&self) -> usize {
        self.queue.lock().expect("fault queue").len()
    }

    /// Takes the fault for the current request.
    pub(crate) fn take(&self) -> Option<Fault> {
        self.queue.lock().expect("fault queue").pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_taken_in_order() {
        let faults = Faults::default();
        faults.fail_next(2, 503).drop_next(1);
        assert_eq!(faults.pending(), 3);
        assert!(matches!(faults.take(), Some(Fault::Status { status: 503, .. })));
        assert!(matches!(faults.take(), Some(Fault::Status { status: 503, .. })));
        assert_eq!(faults.take(), Some(Fault::Drop));
        assert_eq!(faults.take(), None);
        faults.delay_next(5, Duration::from_millis(1)).clear();
        assert_eq!(faults.pending(), 0);
    }
}
