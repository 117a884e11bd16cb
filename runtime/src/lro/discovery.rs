//! Discovery-style long-running operations: compute, sqladmin, dns, deploymentmanager and
//! others return their own `Operation` (`status: PENDING | RUNNING | DONE`, `error.errors`,
//! `targetLink`) and poll it through an operations resource (`zoneOperations.get` /
//! `.wait`, ...) rather than `GET v1/{name}`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::deadline::PollDeadline;
use crate::client::Client;
use crate::decode::decode_json;
use crate::error::{Error, OperationError, Result};
use crate::options::PollPolicy;
use crate::request::{Method, Request};
use crate::uri_template::encode_path_segment;

/// Where an operation is polled: `{prefix}{operation name}{suffix}` for the operations
/// resource's `get`, and for its `wait` when it has one (a POST that returns when the
/// operation is done or after a server-side timeout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationPaths {
    get: (String, String),
    wait: Option<(String, String)>,
}

impl OperationPaths {
    /// Polls with `GET {prefix}{name}{suffix}`.
    pub fn get(prefix: impl Into<String>, suffix: impl Into<String>) -> Self {
        OperationPaths { get: (prefix.into(), suffix.into()), wait: None }
    }

    /// Waits with `POST {prefix}{name}{suffix}` instead.
    pub fn with_wait(mut self, prefix: impl Into<String>, suffix: impl Into<String>) -> Self {
        self.wait = Some((prefix.into(), suffix.into()));
        self
    }

    fn path((prefix, suffix): &(String, String), name: &str) -> String {
        format!("{prefix}{}{suffix}", encode_path_segment(name))
    }
}

/// A Discovery-style operation: `O` is the API's operation model, `R` the resource the
/// operation creates or changes (what `targetLink` names), `Value` when the API cannot `get`
/// it.
///
/// ```no_run
/// use discogen_runtime::{Client, Method, Request};
/// use discogen_runtime::lro::{DiscoveryOperation, OperationPaths};
///
/// # async fn demo(client: Client) -> discogen_runtime::Result<()> {
/// let raw: serde_json::Value = client
///     .execute(Request::new(Method::Post, "projects/p/zones/z/instances").json(&serde_json::json!({"name": "vm"}))?)
///     .await?;
/// let paths = OperationPaths::get("projects/p/zones/z/operations/", "")
///     .with_wait("projects/p/zones/z/operations/", "/wait");
/// let operation: DiscoveryOperation<serde_json::Value> = DiscoveryOperation::new(client, raw, paths);
/// let instance = operation.wait_for_resource().await?;
/// println!("{instance}");
/// # Ok(())
/// # }
/// ```
pub struct DiscoveryOperation<O, R = Value> {
    client: Client,
    raw: Value,
    paths: OperationPaths,
    types: PhantomData<fn() -> (O, R)>,
}

impl<O: DeserializeOwned, R: DeserializeOwned> DiscoveryOperation<O, R> {
    /// Wraps an operation returned by `client`, polled at `paths`.
    pub fn new(client: Client, raw: Value, paths: OperationPaths) -> Self {
        DiscoveryOperation { client, raw, paths, types: PhantomData }
    }

    /// The operation's `name`.
    pub fn name(&self) -> &str {
        self.field("name").unwrap_or_default()
    }

    /// The operation's `status` (`PENDING`, `RUNNING`, `DONE`) as of the last poll.
    pub fn status(&self) -> &str {
        self.field("status").unwrap_or_default()
    }

    /// Whether `status` is `DONE`.
    pub fn is_done(&self) -> bool {
        self.status() == "DONE"
    }

    /// `targetLink`: the URL of the resource the operation works on.
    pub fn target_link(&self) -> Option<&str> {
        self.field("targetLink")
    }

    /// The last state received, typed.
    pub fn operation(&self) -> Result<O> {
        decode_value(&self.raw)
    }

    /// The last state received, as JSON.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// The entries of `error.errors` (empty while running and on success).
    pub fn errors(&self) -> Vec<OperationError> {
        self.raw
            .pointer("/error/errors")
            .and_then(|errors| serde_json::from_value(errors.clone()).ok())
            .unwrap_or_default()
    }

    /// The outcome if done: the operation, or its errors as [`Error::OperationErrors`].
    /// `None` while running.
    pub fn result(&self) -> Option<Result<O>> {
        if !self.is_done() {
            return None;
        }
        let errors = self.errors();
        if errors.is_empty() && self.raw.pointer("/error").is_none_or(Value::is_null) {
            return Some(self.operation());
        }
        let http_status =
            self.raw.get("httpErrorStatusCode").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok());
        Some(Err(Error::OperationErrors { name: self.name().to_owned(), http_status, errors }))
    }

    /// Fetches the state once (no request if done): the operations resource's `wait` when it
    /// has one, else its `get`. Returns whether the operation is done.
    pub async fn poll(&mut self) -> Result<bool> {
        if self.is_done() {
            return Ok(true);
        }
        if self.name().is_empty() {
            return Err(Error::InvalidResponse("cannot poll an operation without a name".to_owned()));
        }
        let request = match &self.paths.wait {
            Some(wait) => Request::new(Method::Post, OperationPaths::path(wait, self.name())),
            None => Request::new(Method::Get, OperationPaths::path(&self.paths.get, self.name())),
        };
        self.raw = self.client.execute(request).await?;
        Ok(self.is_done())
    }

    /// Polls with the client's [`PollPolicy`] until done; the operation or its errors.
    pub async fn wait(self) -> Result<O> {
        let policy = self.client.poll_policy().clone();
        self.wait_with(&policy).await
    }

    /// Polls with `policy` until done (a `wait` method is called again at once, since the
    /// server itself waits; `get` polls back off), then returns the operation or its errors.
    /// Fails with [`Error::OperationTimeout`] when the deadline passes first.
    pub async fn wait_with(mut self, policy: &PollPolicy) -> Result<O> {
        self.until_done(policy).await?;
        self.result().unwrap_or_else(|| Err(Error::InvalidResponse("operation not done".to_owned())))
    }

    /// Waits, then fetches the finished resource that `targetLink` names.
    pub async fn wait_for_resource(self) -> Result<R> {
        let policy = self.client.poll_policy().clone();
        self.wait_for_resource_with(&policy).await
    }

    /// [`Self::wait_for_resource`] with `policy`. The link must lie under the client's
    /// endpoint: credentials are never sent to another host.
    pub async fn wait_for_resource_with(mut self, policy: &PollPolicy) -> Result<R> {
        self.until_done(policy).await?;
        self.result().unwrap_or_else(|| Err(Error::InvalidResponse("operation not done".to_owned())))?;
        let link = self
            .target_link()
            .ok_or_else(|| Error::InvalidResponse(format!("operation {} has no targetLink", self.name())))?;
        let endpoint = self.client.endpoint().as_str();
        let path = link.strip_prefix(endpoint).ok_or_else(|| {
            Error::InvalidResponse(format!("targetLink {link} is not under the client's endpoint {endpoint}"))
        })?;
        self.client.execute(Request::new(Method::Get, path.to_owned())).await
    }

    /// Polls until done; the deadline bounds the sleeps and the polls (a `wait` call the
    /// server never answers included).
    async fn until_done(&mut self, policy: &PollPolicy) -> Result<()> {
        let deadline = PollDeadline::start(policy);
        let mut delay = policy.initial_delay();
        while !self.is_done() {
            let Some(wait) = deadline.bound(delay) else {
                return Err(deadline.expired(self.name()));
            };
            if self.paths.wait.is_none() {
                tokio::time::sleep(wait).await;
                delay = delay.mul_f64(policy.multiplier()).min(policy.max_delay());
            }
            let name = self.name().to_owned();
            deadline.run(&name, self.poll()).await?;
        }
        Ok(())
    }

    fn field(&self, key: &str) -> Option<&str> {
        self.raw.get(key).and_then(Value::as_str)
    }
}

impl<O, R> fmt::Debug for DiscoveryOperation<O, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiscoveryOperation").field("raw", &self.raw).field("paths", &self.paths).finish_non_exhaustive()
    }
}

fn decode_value<T: DeserializeOwned>(value: &Value) -> Result<T> {
    let bytes = serde_json::to_vec(value).map_err(Error::Serialize)?;
    decode_json(None, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn operation(raw: Value) -> DiscoveryOperation<Value> {
        let client = Client::builder("http://127.0.0.1:9/").no_auth().build().unwrap();
        DiscoveryOperation::new(client, raw, OperationPaths::get("projects/p/global/operations/", ""))
    }

    #[test]
    fn done_without_errors_is_the_operation() {
        let op = operation(json!({"name": "op-1", "status": "DONE", "targetLink": "http://127.0.0.1:9/x"}));
        assert!(op.is_done());
        assert_eq!(op.result().unwrap().unwrap()["name"], "op-1");
        assert!(operation(json!({"name": "op-1", "status": "RUNNING"})).result().is_none());
    }

    #[test]
    fn errors_become_an_error_carrying_them() {
        let op = operation(json!({
            "name": "op-2", "status": "DONE", "httpErrorStatusCode": 409,
            "error": {"errors": [{"code": "RESOURCE_ALREADY_EXISTS", "message": "exists", "location": "vm"}]}
        }));
        let err = op.result().unwrap().unwrap_err();
        assert_eq!(err.operation_errors()[0].code, "RESOURCE_ALREADY_EXISTS");
        assert_eq!(err.code(), Some(crate::error::Code::Aborted));
        assert!(err.to_string().contains("RESOURCE_ALREADY_EXISTS: exists"), "{err}");
    }

    #[test]
    fn operation_names_are_one_encoded_segment() {
        let paths = OperationPaths::get("a/", "").with_wait("a/", "/wait");
        assert_eq!(OperationPaths::path(paths.wait.as_ref().unwrap(), "op 1/x"), "a/op%201%2Fx/wait");
    }
}
