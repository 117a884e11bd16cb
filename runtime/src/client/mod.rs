//! The API client: endpoint, credentials, policies and the transport, shared by every
//! generated client; built by [`ClientBuilder`].

mod builder;
mod endpoint;
mod execute;

pub use builder::ClientBuilder;
pub use endpoint::{Endpoint, RegionalEndpoints};
pub(crate) use execute::within;
pub use execute::RawResponse;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName};

use crate::auth::TokenProvider;
use crate::options::PollPolicy;
use crate::options::RetryPolicy;
use crate::transport::Transport;

/// The `User-Agent` product token of this runtime, e.g. `discogen-runtime/0.1.0`.
pub const RUNTIME_USER_AGENT: &str = concat!("discogen-runtime/", env!("CARGO_PKG_VERSION"));

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default limit of a JSON call's response body: 256 MiB (media downloads stream, unlimited).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

/// An API client: endpoint, credentials, timeouts, retry and polling
/// policies, and a pooled HTTP connection manager.
///
/// Cloning is cheap (an `Arc`), and clones share connections. Generated
/// clients wrap it and call [`Client::execute`] and friends.
///
/// ```no_run
/// use std::time::Duration;
/// use discogen_runtime::{Client, Method, Request};
/// use discogen_runtime::client::RegionalEndpoints;
///
/// # async fn demo() -> discogen_runtime::Result<()> {
/// let client = Client::builder("https://aiplatform.googleapis.com/")
///     .regional_endpoints(RegionalEndpoints::from_template(
///         "https://{location}-aiplatform.googleapis.com/",
///     ))
///     .location("us-central1")
///     .bearer_token(std::env::var("TOKEN").unwrap_or_default())
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// let job: serde_json::Value = client
///     .execute(Request::new(
///         Method::Get,
///         "v1/projects/p/locations/us-central1/notebookExecutionJobs/j",
///     ))
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Clone)]
pub(crate) struct Inner {
    /// What sends every request, media included: a [`ReqwestTransport`] on the runtime's
    /// `reqwest::Client` (or the one the user brought) unless the user chose a transport.
    pub(crate) transport: Arc<dyn Transport>,
    /// Sent with every request: `User-Agent`, `x-goog-api-client`, the quota project and the
    /// builder's default headers (applied per request, so a user's own `reqwest::Client`
    /// gets them too).
    pub(crate) headers: HeaderMap,
    /// The headers of a JSON call that adds none, without and with a body: `headers`,
    /// `Accept` and `Content-Type` as [`execute::json_headers`] merges them, computed once.
    pub(crate) json_headers: [HeaderMap; 2],
    /// Whether to leave out `prettyPrint=false` (pretty responses are larger).
    pub(crate) pretty_print: bool,
    pub(crate) endpoint: Endpoint,
    pub(crate) auth: Arc<dyn TokenProvider>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Option<Duration>,
    pub(crate) poll: PollPolicy,
    pub(crate) max_response_bytes: u64,
}

impl Client {
    /// A builder whose endpoint defaults to `default_endpoint` (the API's
    /// global endpoint, supplied by the generated crate).
    pub fn builder(default_endpoint: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(default_endpoint)
    }

    /// The base URL requests go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The client-wide retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The client-wide per-attempt timeout.
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// The default polling policy of long-running operations.
    pub fn poll_policy(&self) -> &PollPolicy {
        &self.inner.poll
    }

    /// The most bytes a JSON call's response body may have.
    pub fn max_response_bytes(&self) -> u64 {
        self.inner.max_response_bytes
    }

    /// A client with the same settings and connection pool but another
    /// endpoint (e.g. another region).
    pub fn with_endpoint(&self, endpoint: Endpoint) -> Client {
        Client { inner: Arc::new(Inner { endpoint, ..Inner::clone(&self.inner) }) }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("transport", &self.inner.transport)
            .field("headers", &header_names(&self.inner.headers))
            .field("pretty_print", &self.inner.pretty_print)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("poll", &self.inner.poll)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// The names of `headers` (values may be credentials).
pub(crate) fn header_names(headers: &HeaderMap) -> Vec<&str> {
    headers.keys().map(HeaderName::as_str).collect()
}

#[cfg(test)]
mod thread_safety {
    use super::*;
    use crate::lro::RawOperation;
    use crate::{Error, Method, Operation, Request};

    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn client_errors_and_futures_can_cross_threads() {
        assert_send_sync::<Client>();
        assert_send_sync::<Error>();
        assert_send_sync::<Operation<serde_json::Value>>();
        let client = Client::builder("http://127.0.0.1:9/").no_auth().build().unwrap();
        assert_send(&client.execute::<serde_json::Value>(Request::new(Method::Get, "x")));
        let operation: Operation<()> = Operation::new(client, RawOperation::default());
        assert_send(&operation.wait());
    }
}
