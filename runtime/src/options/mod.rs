//! Policies and per-call options: plain data the client and generated call builders hold.

mod poll;
mod request;
mod retry;

pub use poll::PollPolicy;
pub use request::RequestOptions;
pub use retry::{RetryPolicy, DEFAULT_RETRYABLE_STATUSES};
