//! Long-running operations (`google.longrunning.Operation`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::deadline::PollDeadline;
use crate::client::Client;
use crate::decode::decode_json;
use crate::error::RpcStatus;
use crate::error::{Error, Result};
use crate::options::PollPolicy;
use crate::request::{Method, Request};

/// Default path prefix used to poll operations: `GET v1/{name}`.
pub const DEFAULT_POLL_PATH_PREFIX: &str = "v1/";

/// A `google.longrunning.Operation` as sent by the server, untyped.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawOperation {
    /// Server-assigned name, e.g. `projects/p/locations/l/operations/123`.
    #[serde(default)]
    pub name: String,
    /// Service-specific metadata (an object with an `@type` key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Whether the operation finished; omitted by the server while `false`.
    #[serde(default)]
    pub done: bool,
    /// The failure, when done unsuccessfully.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RpcStatus>,
    /// The result, when done successfully (an object with an `@type` key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
}

/// A typed long-running operation: `R` is the result type (use `()` or
/// [`crate::wkt::Empty`] for `google.protobuf.Empty`), `M` the metadata type.
///
/// Generated methods that return an operation build it with
/// [`Operation::new`] from the [`RawOperation`] they received.
///
/// ```no_run
/// use discogen_runtime::{Client, Method, Operation, Request};
/// use discogen_runtime::lro::RawOperation;
///
/// # async fn demo(client: Client) -> discogen_runtime::Result<()> {
/// let raw: RawOperation = client
///     .execute(Request::new(Method::Delete, "v1/projects/p/locations/l/notebookExecutionJobs/j"))
///     .await?;
/// let operation: Operation<()> = Operation::new(client.clone(), raw);
/// operation.wait().await?;
/// # Ok(())
/// # }
/// ```
pub struct Operation<R, M = Value> {
    client: Client,
    raw: RawOperation,
    poll_path_prefix: String,
    types: PhantomData<fn() -> (R, M)>,
}

impl<R, M> Operation<R, M>
where
    R: DeserializeOwned,
    M: DeserializeOwned,
{
    /// Wraps an operation returned by `client`; polls go to
    /// `GET v1/{name}` ([`DEFAULT_POLL_PATH_PREFIX`]).
    pub fn new(client: Client, raw: RawOperation) -> Self {
        Operation { client, raw, poll_path_prefix: DEFAULT_POLL_PATH_PREFIX.to_owned(), types: PhantomData }
    }

    /// Polls `GET {prefix}{name}` instead (e.g. `"v1beta1/"`).
    pub fn with_poll_path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.poll_path_prefix = prefix.into();
        self
    }

    /// The operation name.
    pub fn name(&self) -> &str {
        &self.raw.name
    }

    /// Whether the operation finished (as of the last poll).
    pub fn is_done(&self) -> bool {
        self.raw.done
    }

    /// The last state received.
    pub fn raw(&self) -> &RawOperation {
        &self.raw
    }

    /// The last state received, by value.
    pub fn into_raw(self) -> RawOperation {
        self.raw
    }

    /// The typed metadata (without its `@type`), if the server sent any.
    pub fn metadata(&self) -> Option<Result<M>> {
        self.raw.metadata.as_ref().map(decode_any)
    }

    /// The operation's error, if it finished unsuccessfully.
    pub fn error(&self) -> Option<&RpcStatus> {
        self.raw.error.as_ref()
    }

    /// The outcome if done: the typed response, or the operation's error as
    /// [`Error::Operation`]. `None` while running.
    pub fn result(&self) -> Option<Result<R>> {
        if !self.raw.done {
            return None;
        }
        Some(match (&self.raw.error, &self.raw.response) {
            (Some(status), _) => {
                Err(Error::Operation { name: self.raw.name.clone(), status: Box::new(status.clone()) })
            }
            (None, Some(response)) => decode_any(response),
            // Done without a result: only acceptable for empty result types.
            (None, None) => decode_json(None, b"").map_err(|_| {
                Error::InvalidResponse(format!(
                    "operation {} is done but has neither response nor error",
                    self.raw.name
                ))
            }),
        })
    }

    /// Fetches the current state once (no request if already done) and
    /// returns whether the operation is done.
    pub async fn poll(&mut self) -> Result<bool> {
        if self.raw.done {
            return Ok(true);
        }
        if self.raw.name.is_empty() {
            return Err(Error::InvalidResponse("cannot poll an operation without a name".to_owned()));
        }
        let path = format!("{}{}", self.poll_path_prefix, self.raw.name);
        self.raw = self
            .client
            .execute(Request::new(Method::Get, path).method_id("google.longrunning.Operations.GetOperation"))
            .await?;
        Ok(self.raw.done)
    }

    /// Polls with the client's [`PollPolicy`] until done, and returns the
    /// finished operation (its metadata stays readable).
    pub async fn until_done(self) -> Result<Self> {
        let policy = self.client.poll_policy().clone();
        self.until_done_with(&policy).await
    }

    /// Polls with `policy` until done, and returns the finished operation.
    ///
    /// Fails with [`Error::OperationTimeout`] when the policy's deadline
    /// passes first (a poll request still running then is abandoned), or with
    /// the error of a poll request.
    pub async fn until_done_with(mut self, policy: &PollPolicy) -> Result<Self> {
        let deadline = PollDeadline::start(policy);
        let mut delay = policy.initial_delay();
        while !self.raw.done {
            let Some(wait) = deadline.bound(delay) else {
                return Err(deadline.expired(&self.raw.name));
            };
            tokio::time::sleep(wait).await;
            let name = self.raw.name.clone();
            deadline.run(&name, self.poll()).await?;
            delay = policy.next_delay(delay);
        }
        Ok(self)
    }

    /// Waits (client's [`PollPolicy`]) and returns the typed result.
    pub async fn wait(self) -> Result<R> {
        let policy = self.client.poll_policy().clone();
        self.wait_with(&policy).await
    }

    /// Waits with `policy` and returns the typed result.
    pub async fn wait_with(self, policy: &PollPolicy) -> Result<R> {
        let done = self.until_done_with(policy).await?;
        done.result().unwrap_or_else(|| Err(Error::InvalidResponse("operation not done".to_owned())))
    }
}

impl<R, M> fmt::Debug for Operation<R, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("raw", &self.raw)
            .field("poll_path_prefix", &self.poll_path_prefix)
            .finish_non_exhaustive()
    }
}

/// Decodes an `Any`-like JSON object as `T`, dropping its `@type` key.
fn decode_any<T: DeserializeOwned>(value: &Value) -> Result<T> {
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        map.remove("@type");
    }
    let bytes = serde_json::to_vec(&value).map_err(Error::Serialize)?;
    decode_json(None, &bytes)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::time::Instant;

    use super::*;
    use crate::wkt::Empty;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Job {
        name: String,
        job_state: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Meta {
        progress_message: String,
    }

    fn client() -> Client {
        Client::builder("http://127.0.0.1:9/").no_auth().build().unwrap()
    }

    fn operation<R: DeserializeOwned, M: DeserializeOwned>(raw: Value) -> Operation<R, M> {
        Operation::new(client(), serde_json::from_value(raw).unwrap())
    }

    #[test]
    fn typed_response_and_metadata_drop_the_type_key() {
        let op: Operation<Job, Meta> = operation(json!({
            "name": "projects/p/locations/l/operations/1",
            "metadata": {"@type": "type.googleapis.com/x.Meta", "progressMessage": "half"},
            "done": true,
            "response": {"@type": "type.googleapis.com/x.Job", "name": "j", "jobState": "JOB_STATE_SUCCEEDED"}
        }));
        assert_eq!(op.metadata().unwrap().unwrap().progress_message, "half");
        assert_eq!(op.result().unwrap().unwrap(), Job { name: "j".into(), job_state: "JOB_STATE_SUCCEEDED".into() });
    }

    #[test]
    fn running_operations_have_no_result() {
        // `done` is omitted by the server while false.
        let op: Operation<Job, Meta> = operation(json!({"name": "op"}));
        assert!(!op.is_done());
        assert!(op.result().is_none());
        assert!(op.metadata().is_none());
    }

    #[test]
    fn empty_responses_decode_as_unit_and_empty() {
        let raw = json!({"name": "op", "done": true,
            "response": {"@type": "type.googleapis.com/google.protobuf.Empty"}});
        operation::<(), Value>(raw.clone()).result().unwrap().unwrap();
        assert_eq!(operation::<Empty, Value>(raw).result().unwrap().unwrap(), Empty {});
        let bare = json!({"name": "op", "done": true});
        operation::<(), Value>(bare.clone()).result().unwrap().unwrap();
        let err = operation::<Job, Value>(bare).result().unwrap().unwrap_err();
        assert!(matches!(err, Error::InvalidResponse(_)), "{err}");
    }

    #[test]
    fn failed_operations_yield_their_status() {
        let op: Operation<Job> = operation(json!({
            "name": "op", "done": true,
            "error": {"code": 9, "message": "bad state"}
        }));
        let err = op.result().unwrap().unwrap_err();
        assert_eq!(err.rpc_status().unwrap().message, "bad state");
        assert_eq!(err.code(), Some(crate::error::Code::FailedPrecondition));
    }

    #[test]
    fn mismatched_response_is_a_decode_error() {
        let op: Operation<Job> = operation(json!({
            "name": "op", "done": true, "response": {"@type": "t", "unexpected": 1}
        }));
        let err = op.result().unwrap().unwrap_err();
        assert!(err.is_decode());
        assert!(err.body_snippet().unwrap().contains("unexpected"));
    }

    #[tokio::test]
    async fn finished_operations_are_not_polled() {
        let mut op: Operation<()> = operation(json!({"name": "op", "done": true}));
        assert!(op.poll().await.unwrap());
        op.until_done().await.unwrap().result().unwrap().unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn a_poll_that_never_answers_ends_at_the_deadline() {
        // A transport whose answer never comes: the poll itself must be abandoned.
        #[derive(Debug)]
        struct Silent;
        impl crate::transport::Transport for Silent {
            fn send(&self, _: crate::transport::HttpRequest) -> crate::transport::TransportFuture<'_> {
                Box::pin(std::future::pending())
            }
        }
        let client = Client::builder("http://127.0.0.1:9/").no_auth().no_timeout().transport(Silent).build().unwrap();
        let op: Operation<()> = Operation::new(client, serde_json::from_value(json!({"name": "op"})).unwrap());
        let policy = PollPolicy::default()
            .with_initial_delay(Duration::from_millis(10))
            .with_timeout(Some(Duration::from_secs(5)));
        let started = Instant::now();
        let err = op.wait_with(&policy).await.unwrap_err();
        assert!(matches!(err, Error::OperationTimeout { .. }), "{err}");
        assert_eq!(started.elapsed(), Duration::from_secs(5));
    }

    #[test]
    fn poll_delays_grow_to_the_cap() {
        let policy = PollPolicy::default()
            .with_initial_delay(Duration::from_millis(100))
            .with_multiplier(2.0)
            .with_max_delay(Duration::from_millis(300));
        assert_eq!(policy.next_delay(Duration::from_millis(100)), Duration::from_millis(200));
        assert_eq!(policy.next_delay(Duration::from_millis(200)), Duration::from_millis(300));
    }
}
