//! [`MockTransport`]: canned responses and a record of every request, for tests.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use super::{
    HttpRequest, HttpResponse, StreamingFuture, StreamingResponse, Transport, TransportError, TransportFuture,
};

type Responder = dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync;

/// A transport for unit tests: answers from a queue of canned responses (or a closure) and
/// records every request, so application code using a generated client can be tested
/// without a network.
///
/// Clones share the queue and the record: keep one, give the other to the client builder.
/// A request with nothing queued gets `501 UNIMPLEMENTED` (which is not retried), naming
/// the method and path. Media calls (uploads, downloads) are recorded and answered the same
/// way: see [`Transport::send_streaming`] on this type.
///
/// ```
/// use discogen_runtime::{Client, Method, Request};
/// use discogen_runtime::transport::{HttpResponse, MockTransport};
/// use serde_json::json;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> discogen_runtime::Result<()> {
/// let mock = MockTransport::new();
/// mock.push(HttpResponse::json(200, &json!({"name": "jobs/1"})));
/// let client = Client::builder("https://example.googleapis.com/")
///     .bearer_token("test-token")
///     .transport(mock.clone())
///     .build()?;
///
/// let job: serde_json::Value = client.execute(Request::new(Method::Get, "v1/jobs/1")).await?;
/// assert_eq!(job["name"], "jobs/1");
///
/// let sent = mock.requests();
/// assert_eq!(sent.len(), 1);
/// assert_eq!(sent[0].url.path(), "/v1/jobs/1");
/// assert_eq!(sent[0].header("authorization"), Some("Bearer test-token"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<MockState>>,
}

#[derive(Default)]
struct MockState {
    queue: VecDeque<Result<HttpResponse, TransportError>>,
    responder: Option<Arc<Responder>>,
    requests: Vec<HttpRequest>,
}

impl MockTransport {
    /// The largest piece of a body [`Transport::send_streaming`] yields: media bodies
    /// arrive in several pieces, as from a network.
    pub const MOCK_CHUNK: usize = 64 * 1024;

    /// A mock with nothing queued.
    pub fn new() -> Self {
        Self::default()
    }

    /// A mock that answers every request with `responder` (after the queue is empty).
    pub fn with_responder(
        responder: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> Self {
        let mock = Self::new();
        mock.lock().responder = Some(Arc::new(responder));
        mock
    }

    /// Queues a response for the next request.
    pub fn push(&self, response: HttpResponse) -> &Self {
        self.lock().queue.push_back(Ok(response));
        self
    }

    /// Queues a JSON response for the next request.
    pub fn push_json(&self, status: u16, body: serde_json::Value) -> &Self {
        self.push(HttpResponse::json(status, &body))
    }

    /// Queues a transport failure for the next request.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.lock().queue.push_back(Err(error));
        self
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }

    /// How many queued responses are left.
    pub fn pending(&self) -> usize {
        self.lock().queue.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MockState> {
        // A panicking test thread must not hide the record from the others.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn answer(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut state = self.lock();
        state.requests.push(request.clone());
        if let Some(answer) = state.queue.pop_front() {
            return answer;
        }
        match state.responder.clone() {
            Some(responder) => {
                drop(state);
                responder(&request)
            }
            None => Ok(HttpResponse::json(
                501,
                &serde_json::json!({"error": {
                    "code": 501,
                    "status": "UNIMPLEMENTED",
                    "message": format!("MockTransport: no response queued for {} {}", request.method, request.url.path()),
                }}),
            )),
        }
    }
}

impl Transport for MockTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let answer = self.answer(request);
        Box::pin(async move { answer })
    }

    /// Records the request like [`send`](Self::send) (an upload's body is its bytes) and
    /// answers from the same queue, the body streamed in pieces of at most
    /// [`MOCK_CHUNK`](MockTransport::MOCK_CHUNK) bytes. A response whose `Content-Length`
    /// says more than its body is a connection cut at the end of the body.
    fn send_streaming(&self, request: HttpRequest) -> StreamingFuture<'_> {
        let answer = self.answer(request).map(|response| {
            let mut body = response.body;
            let chunks = std::iter::from_fn(move || {
                (!body.is_empty()).then(|| Ok(body.split_to(body.len().min(Self::MOCK_CHUNK))))
            });
            StreamingResponse::new(response.status, response.headers, futures_util::stream::iter(chunks))
        });
        Box::pin(async move { answer })
    }
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MockTransport")
            .field("queued", &state.queue.len())
            .field("responder", &state.responder.is_some())
            .field("requests", &state.requests.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::sample_request as request;

    #[tokio::test]
    async fn queue_then_responder_then_nothing() {
        let mock = MockTransport::new();
        mock.push(HttpResponse::new(200, "first")).push_error(TransportError::connect("refused"));
        assert_eq!(mock.send(request("a")).await.unwrap().body, "first");
        assert!(mock.send(request("b")).await.unwrap_err().is_connect());
        let empty = mock.send(request("c")).await.unwrap();
        assert_eq!(empty.status, 501);
        assert!(String::from_utf8_lossy(&empty.body).contains("GET /c"));
        let paths: Vec<String> = mock.requests().iter().map(|r| r.url.path().to_owned()).collect();
        assert_eq!(paths, ["/a", "/b", "/c"]);

        let echo = MockTransport::with_responder(|r| Ok(HttpResponse::new(200, r.url.path().to_owned())));
        assert_eq!(echo.send(request("x")).await.unwrap().body, "/x");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_an_error_naming_the_limit_whatever_the_transport() {
        let mock = MockTransport::new();
        mock.push(HttpResponse::new(200, "[1,2,3,4]")).push(HttpResponse::new(200, "[1,2,3,4,5]"));
        let client = crate::Client::builder("https://example.com/")
            .no_auth()
            .max_response_bytes(9)
            .transport(mock.clone())
            .build()
            .unwrap();
        let get = || client.execute::<Vec<u8>>(crate::Request::new(crate::Method::Get, "v1/x"));
        assert_eq!(get().await.unwrap(), [1, 2, 3, 4]);
        let err = get().await.unwrap_err();
        assert!(matches!(err, crate::Error::ResponseTooLarge { limit: 9 }), "{err:?}");
        assert!(err.to_string().contains("limit of 9 bytes"), "{err}");
        assert_eq!(mock.requests().len(), 2, "not retried");
        assert_eq!(mock.requests()[0].max_response_bytes, 9, "the transport is told the limit");
    }
}
