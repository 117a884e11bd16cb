//! Fault injection: what the next requests get instead of a normal answer, from a queue
//! (exactly these faults, in order) or from a seeded [`FaultPlan`] (a mix by probability).

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
    /// Close the connection without answering, before the request is handled.
    Drop,
    /// Handle the request (a create creates), then close the connection without answering:
    /// the client sees a failure although the server did the work.
    DropAfterHandling,
}

impl Fault {
    /// A short name for reports: `503`, `429+retry-after`, `drop`, `drop-after`, `delay`, ...
    pub fn label(&self) -> String {
        match self {
            Fault::Status { status, retry_after: None } => status.to_string(),
            Fault::Status { status, retry_after: Some(_) } => format!("{status}+retry-after"),
            Fault::Respond { status, .. } => format!("{status}-raw"),
            Fault::Delay(_) => "delay".to_owned(),
            Fault::Drop => "drop".to_owned(),
            Fault::DropAfterHandling => "drop-after".to_owned(),
        }
    }
}

/// A seeded mix of faults: each request (any route) independently gets fault *i* with
/// probability *p_i*, or none. The same seed gives the same sequence of draws.
///
/// ```
/// use std::time::Duration;
/// use notebook_emulator::{Fault, FaultPlan};
///
/// let plan = FaultPlan::new(7)
///     .with(0.10, Fault::Status { status: 503, retry_after: None })
///     .with(0.01, Fault::DropAfterHandling)
///     .with(0.01, Fault::Delay(Duration::from_millis(500)));
/// assert!((plan.total_probability() - 0.12).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FaultPlan {
    state: u64,
    /// `(cumulative probability, fault)`, in the order added.
    mix: Vec<(f64, Fault)>,
}

impl FaultPlan {
    /// A plan without faults, drawing from `seed`.
    pub fn new(seed: u64) -> FaultPlan {
        FaultPlan { state: seed, mix: Vec::new() }
    }

    /// Adds `fault` with probability `probability` (clamped so the total stays at most 1).
    pub fn with(mut self, probability: f64, fault: Fault) -> FaultPlan {
        let total = self.total_probability();
        let probability = if probability.is_finite() { probability.clamp(0.0, 1.0 - total) } else { 0.0 };
        self.mix.push((total + probability, fault));
        self
    }

    /// The probability that a request gets some fault.
    pub fn total_probability(&self) -> f64 {
        self.mix.last().map_or(0.0, |(cumulative, _)| *cumulative)
    }

    /// The fault for the next request, if any.
    fn draw(&mut self) -> Option<Fault> {
        let draw = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        self.mix.iter().find(|(cumulative, _)| draw < *cumulative).map(|(_, fault)| fault.clone())
    }

    /// splitmix64: small, fast and good enough to pick faults.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Faults, shared with the server. Each incoming request (any route) takes the fault at the
/// front of the queue, if any, else draws one from the plan, if one is set.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    queue: VecDeque<Fault>,
    plan: Option<FaultPlan>,
    /// How many of each fault were applied, by [`Fault::label`], in first-seen order.
    applied: Vec<(String, usize)>,
}

impl Faults {
    /// Queues `fault` for the next `count` requests (after those already queued).
    pub fn push(&self, fault: Fault, count: usize) -> &Self {
        self.lock().queue.extend(std::iter::repeat_n(fault, count));
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

    /// Draws faults for requests the queue has none for from `plan` (replacing any plan).
    pub fn set_plan(&self, plan: FaultPlan) -> &Self {
        self.lock().plan = Some(plan);
        self
    }

    /// Stops drawing from the plan.
    pub fn clear_plan(&self) -> &Self {
        self.lock().plan = None;
        self
    }

    /// Forgets all queued faults (the plan stays).
    pub fn clear(&self) {
        self.lock().queue.clear();
    }

    /// Number of queued faults.
    pub fn pending(&self) -> usize {
        self.lock().queue.len()
    }

    /// How many requests got each fault so far (queued or drawn), by [`Fault::label`].
    pub fn applied(&self) -> Vec<(String, usize)> {
        self.lock().applied.clone()
    }

    /// Takes the fault for the current request.
    pub(crate) fn take(&self) -> Option<Fault> {
        let mut inner = self.lock();
        let fault = match inner.queue.pop_front() {
            Some(fault) => Some(fault),
            None => inner.plan.as_mut().and_then(FaultPlan::draw),
        }?;
        let label = fault.label();
        match inner.applied.iter_mut().find(|(seen, _)| *seen == label) {
            Some((_, count)) => *count += 1,
            None => inner.applied.push((label, 1)),
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("faults")
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

    #[test]
    fn a_plan_draws_its_mix_reproducibly_after_the_queue() {
        let plan = || {
            FaultPlan::new(42)
                .with(0.2, Fault::Status { status: 503, retry_after: None })
                .with(0.1, Fault::DropAfterHandling)
        };
        let faults = Faults::default();
        faults.set_plan(plan()).drop_next(1);
        assert_eq!(faults.take(), Some(Fault::Drop));
        let drawn: Vec<Option<Fault>> = (0..10_000).map(|_| faults.take()).collect();
        let count = |label: &str| drawn.iter().flatten().filter(|f| f.label() == label).count();
        assert!((1800..2200).contains(&count("503")), "{}", count("503"));
        assert!((850..1150).contains(&count("drop-after")), "{}", count("drop-after"));
        let mut applied = faults.applied();
        applied.sort();
        assert_eq!(
            applied,
            [("503".into(), count("503")), ("drop".into(), 1), ("drop-after".into(), count("drop-after"))]
        );

        let again = Faults::default();
        again.set_plan(plan());
        assert_eq!((0..10_000).map(|_| again.take()).collect::<Vec<_>>(), drawn);
        again.clear_plan();
        assert_eq!(again.take(), None);
        // Probabilities are capped so the total stays at most 1.
        assert_eq!(FaultPlan::new(1).with(0.7, Fault::Drop).with(0.7, Fault::Drop).total_probability(), 1.0);
    }
}
