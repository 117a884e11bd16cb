//! The single error type of the runtime and of generated clients.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

mod operation;
mod resource_name;
mod status;

pub use operation::OperationError;
pub use resource_name::ResourceNameError;
pub(crate) use status::ErrorEnvelope;
pub use status::{Code, RpcStatus};

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed error source, as stored in [`Error::Transport`] and [`Error::Auth`].
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// How many characters of a body an error keeps.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong when calling an API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success HTTP status.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The request could not be sent, or the response could not be read
    /// (connection refused or reset, DNS, TLS, ...).
    #[error("transport error: {message}")]
    Transport {
        /// The connection could not be established, so the request was
        /// certainly not sent.
        connect: bool,
        /// The HTTP stack reported a timeout (e.g. the connect timeout).
        timeout: bool,
        /// The error and its causes, joined with `": "`.
        message: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// One attempt took longer than the per-attempt timeout (or than what was
    /// left of the retry policy's overall deadline).
    #[error("request timed out after {0:?}")]
    Timeout(Duration),

    /// A response (or an operation result) did not have the expected shape.
    #[error(
        "failed to decode response{}: {path}: {source}; body starts with: {snippet:?}",
        status_suffix(*.status)
    )]
    Decode {
        /// HTTP status of the response, `None` for operation results.
        status: Option<u16>,
        /// Where in the body decoding failed, as a JSON path (`$.items[2].id`; `$` for the
        /// body itself).
        path: String,
        /// The first 200 characters of the body.
        snippet: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },

    /// A request body could not be serialized to JSON.
    #[error("failed to serialize request body: {0}")]
    Serialize(#[source] serde_json::Error),

    /// The token provider failed.
    #[error("authentication failed: {0}")]
    Auth(#[source] BoxError),

    /// A long-running operation finished with an error.
    #[error("operation {name} failed: {status}")]
    Operation {
        /// The operation name.
        name: String,
        /// The operation's `error` field.
        status: Box<RpcStatus>,
    },

    /// A Discovery-style operation (compute's `Operation`) finished with `error.errors`.
    #[error("operation {name} failed{}: {}", status_suffix(*.http_status), join_errors(errors))]
    OperationErrors {
        /// The operation name.
        name: String,
        /// The operation's `httpErrorStatusCode`, when it has one.
        http_status: Option<u16>,
        /// The operation's `error.errors`.
        errors: Vec<OperationError>,
    },

    /// A long-running operation was still running when the polling deadline
    /// passed.
    #[error("operation {name} not done after {waited:?}")]
    OperationTimeout {
        /// The operation name.
        name: String,
        /// How long it was polled.
        waited: Duration,
    },

    /// The response body was longer than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes));
    /// reading stopped there. Not retried: the same call would get the same body.
    #[error(
        "response body larger than the limit of {limit} bytes \
         (raise it with ClientBuilder::max_response_bytes)"
    )]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },

    /// The server broke the API's protocol (e.g. an operation marked done
    /// with neither `response` nor `error`, or a repeated page token).
    #[error("invalid response: {0}")]
    InvalidResponse(String),

    /// The client configuration is invalid (bad endpoint, no credentials, ...).
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// The request is invalid (bad header, path that is not a valid URL, ...).
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The server answered with a redirect the runtime does not follow: API calls follow
    /// none (credentials must not reach a host the caller did not choose, and Google's JSON
    /// APIs do not redirect their calls); media downloads never follow one from https to
    /// http, nor more than ten.
    #[error("HTTP {status} redirect to {location} not followed: {reason}")]
    Redirect {
        /// The redirect's HTTP status (301, 302, 303, 307, 308).
        status: u16,
        /// Where it pointed, without user info, query and fragment (they may carry secrets).
        location: String,
        /// Why it was not followed.
        reason: String,
    },
}

fn join_errors(errors: &[OperationError]) -> String {
    if errors.is_empty() {
        return "no details".to_owned();
    }
    errors.iter().map(|e| format!("{}: {}", e.code, e.message)).collect::<Vec<_>>().join("; ")
}

fn status_suffix(status: Option<u16>) -> String {
    status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
}

/// A non-success HTTP response, with Google's `google.rpc.Status` when the
/// body carried one.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The parsed `{"error": {...}}` body, if the body had that shape.
    pub rpc: Option<RpcStatus>,
    /// The first 200 characters of the body.
    pub body_snippet: String,
    /// The whole body, for [`Error::decode_body`] (error bodies are small; a cheap clone).
    pub body: bytes::Bytes,
    /// The server's `Retry-After` header (seconds form) or `RetryInfo` detail.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// Builds the error from a response status, body and `Retry-After` value.
    pub fn from_response(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        let rpc = serde_json::from_slice::<ErrorEnvelope>(body).ok().map(|envelope| envelope.error);
        let retry_after = retry_after.or_else(|| rpc.as_ref().and_then(RpcStatus::retry_delay));
        ApiError { status, rpc, body_snippet: snippet(body), body: bytes::Bytes::copy_from_slice(body), retry_after }
    }

    /// The canonical code: from the body's `status` name, else from the HTTP
    /// status.
    pub fn code(&self) -> Code {
        self.rpc
            .as_ref()
            .and_then(|rpc| rpc.status.as_deref())
            .and_then(Code::from_name)
            .unwrap_or_else(|| Code::from_http_status(self.status))
    }
}

impl fmt::Debug for ApiError {
    /// The body once, as its snippet (and its length): the parsed status already holds what
    /// it says, and a log line with the whole body twice helps nobody.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("rpc", &self.rpc)
            .field("body_snippet", &self.body_snippet)
            .field("body_len", &self.body.len())
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} {}", self.status, self.code())?;
        match &self.rpc {
            Some(rpc) => write!(f, ": {}", rpc.message),
            None if self.body_snippet.is_empty() => Ok(()),
            None => write!(f, ": {}", self.body_snippet),
        }
    }
}

impl Error {
    /// The HTTP status of the response this error came from, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => *status,
            Error::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `google.rpc.Status` sent by the server or carried by a failed
    /// operation.
    pub fn rpc_status(&self) -> Option<&RpcStatus> {
        match self {
            Error::Api(api) => api.rpc.as_ref(),
            Error::Operation { status, .. } => Some(status),
            _ => None,
        }
    }

    /// The canonical code of a server-side error ([`Error::Api`] or
    /// [`Error::Operation`]); `None` for client-side errors.
    pub fn code(&self) -> Option<Code> {
        match self {
            Error::Api(api) => Some(api.code()),
            Error::Operation { status, .. } => Some(status.canonical_code()),
            Error::OperationErrors { http_status: Some(status), .. } => Some(Code::from_http_status(*status)),
            _ => None,
        }
    }

    /// The `error.errors` of a failed Discovery-style operation (empty for other errors).
    pub fn operation_errors(&self) -> &[OperationError] {
        match self {
            Error::OperationErrors { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The start of the offending body, for API and decode errors.
    pub fn body_snippet(&self) -> Option<&str> {
        match self {
            Error::Api(api) => Some(&api.body_snippet),
            Error::Decode { snippet, .. } => Some(snippet),
            _ => None,
        }
    }

    /// Decodes the body of an [`Error::Api`] as `T`: the error schema the API documents for
    /// that status (an OpenAPI error response; a generated method's `send` lists them), e.g.
    /// `if err.status() == Some(404) { let problem: Problem = err.decode_body()?.ok()?; }`.
    /// `None` for other errors; `Some(Err(..))` when the body is not a `T`.
    pub fn decode_body<T: serde::de::DeserializeOwned>(&self) -> Option<std::result::Result<T, serde_json::Error>> {
        match self {
            Error::Api(api) => Some(serde_json::from_slice(&api.body)),
            _ => None,
        }
    }

    /// For decode errors, the JSON path of the value that did not match (`$.id`,
    /// `$.items[0].creationTimestamp`; `$` when the body itself is not JSON).
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Decode { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The delay the server asked for before retrying, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(api) => api.retry_after,
            _ => None,
        }
    }

    /// The resource does not exist (HTTP 404 / `NOT_FOUND`).
    pub fn is_not_found(&self) -> bool {
        self.code() == Some(Code::NotFound)
    }

    /// The resource already exists (`ALREADY_EXISTS`).
    pub fn is_already_exists(&self) -> bool {
        self.code() == Some(Code::AlreadyExists)
    }

    /// The request was rejected as invalid (`INVALID_ARGUMENT`).
    pub fn is_invalid_argument(&self) -> bool {
        self.code() == Some(Code::InvalidArgument)
    }

    /// Missing or insufficient credentials (`UNAUTHENTICATED` or
    /// `PERMISSION_DENIED`).
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::Auth(_)) || matches!(self.code(), Some(Code::Unauthenticated | Code::PermissionDenied))
    }

    /// A client-side timeout: per-attempt, connect, or operation polling
    /// deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_) | Error::OperationTimeout { .. } | Error::Transport { timeout: true, .. })
    }

    /// A connection-level failure.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport { .. })
    }

    /// The response body could not be decoded.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode { .. })
    }

    /// A JSON decoding error at `path`, keeping the start of the body.
    pub(crate) fn decode(status: Option<u16>, body: &[u8], path: String, source: serde_json::Error) -> Error {
        Error::Decode { status, path, snippet: snippet(body), source }
    }
}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(Box::new(api))
    }
}

/// `err` with the query (and any user info) removed from the URL its message shows: a query
/// may carry an API key, a resumable session's `upload_id` or a signed `Location`.
pub(crate) fn without_query(mut err: reqwest::Error) -> reqwest::Error {
    if let Some(url) = err.url_mut() {
        crate::redact::redact(url);
    }
    err
}

/// `err` followed by its sources, joined with `": "` (reqwest's own message
/// hides the cause, e.g. "error sending request").
pub(crate) fn error_chain(err: &dyn StdError) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// The first [`SNIPPET_CHARS`] characters of `body` (lossy UTF-8), with `…`
/// appended when cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str) -> Error {
        ApiError::from_response(status, body.as_bytes(), None).into()
    }

    #[test]
    fn decode_body_reads_the_whole_body_as_the_documented_error_type() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Problem {
            code: u32,
            detail: String,
        }
        // Longer than the snippet: the typed decode must not see a cut body.
        let detail = "x".repeat(300);
        let err = api(404, &format!(r#"{{"code": 7, "detail": "{detail}"}}"#));
        let problem: Problem = err.decode_body().expect("an API error").expect("a Problem");
        assert_eq!(problem, Problem { code: 7, detail });
        assert!(api(400, "not json").decode_body::<Problem>().expect("an API error").is_err());
        assert!(Error::Timeout(Duration::from_secs(1)).decode_body::<Problem>().is_none());
    }

    #[test]
    fn google_error_body_is_parsed() {
        let err = api(
            404,
            r#"{"error": {"code": 404, "message": "Job x not found.", "status": "NOT_FOUND", "details": []}}"#,
        );
        assert!(err.is_not_found());
        assert!(!err.is_timeout());
        assert_eq!(err.status(), Some(404));
        let rpc = err.rpc_status().unwrap();
        assert_eq!(rpc.message, "Job x not found.");
        assert_eq!(rpc.status.as_deref(), Some("NOT_FOUND"));
        assert_eq!(err.to_string(), "HTTP 404 NOT_FOUND: Job x not found.");
    }

    #[test]
    fn status_name_wins_over_http_mapping() {
        let err = api(409, r#"{"error": {"code": 409, "message": "exists", "status": "ALREADY_EXISTS"}}"#);
        assert!(err.is_already_exists());
        assert_eq!(err.code(), Some(Code::AlreadyExists));
        // Without a body, 409 maps to ABORTED.
        assert_eq!(api(409, "").code(), Some(Code::Aborted));
    }

    #[test]
    fn non_json_error_body_keeps_a_snippet() {
        let err = api(502, "<html>Bad Gateway</html>");
        assert!(err.rpc_status().is_none());
        assert_eq!(err.code(), Some(Code::Internal));
        assert_eq!(err.body_snippet(), Some("<html>Bad Gateway</html>"));
        assert_eq!(err.to_string(), "HTTP 502 INTERNAL: <html>Bad Gateway</html>");
    }

    #[test]
    fn debug_shows_the_body_once() {
        let err = api(502, "<html>Bad Gateway</html>");
        let debug = format!("{err:?}");
        assert_eq!(debug.matches("Bad Gateway").count(), 1, "{debug}");
        assert!(debug.contains("status: 502") && debug.contains("body_len: 24"), "{debug}");
    }

    #[test]
    fn retry_after_falls_back_to_retry_info() {
        let body = r#"{"error": {"code": 429, "message": "m", "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}]}}"#;
        let err = api(429, body);
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
        let header_wins: Error = ApiError::from_response(429, body.as_bytes(), Some(Duration::from_secs(7))).into();
        assert_eq!(header_wins.retry_after(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn snippet_is_cut_on_a_char_boundary() {
        let long = "é".repeat(300);
        let cut = snippet(long.as_bytes());
        assert_eq!(cut.chars().count(), SNIPPET_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(snippet(b"short"), "short");
    }

    #[test]
    fn decode_error_mentions_status_and_snippet() {
        let source = serde_json::from_str::<u32>("\"x\"").unwrap_err();
        let err = Error::decode(Some(200), b"\"x\"", "$".to_owned(), source);
        assert!(err.is_decode());
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.path(), Some("$"));
        let text = err.to_string();
        assert!(text.contains("(HTTP 200): $: "), "{text}");
        assert!(text.contains(r#"body starts with: "\"x\"""#), "{text}");
    }

    #[test]
    fn operation_error_uses_numeric_codes() {
        let err = Error::Operation {
            name: "operations/1".into(),
            status: Box::new(RpcStatus { code: 5, message: "gone".into(), ..Default::default() }),
        };
        assert!(err.is_not_found());
        assert_eq!(err.status(), None);
        assert_eq!(err.to_string(), "operation operations/1 failed: NOT_FOUND: gone");
    }

    #[tokio::test]
    async fn transport_errors_do_not_show_the_query_of_the_url() {
        // Port 9 (discard) is closed on test machines: the connection is refused at once.
        let url = "http://user:pw@127.0.0.1:9/upload?upload_id=SESSION-SECRET&key=KEY-SECRET";
        let err = reqwest::Client::new().get(url).send().await.unwrap_err();
        for shown in [
            crate::transport::TransportError::from(err).into_error().to_string(),
            format!(
                "{:?}",
                crate::transport::TransportError::from(reqwest::Client::new().get(url).send().await.unwrap_err(),)
            ),
        ] {
            assert!(shown.contains("127.0.0.1:9/upload"), "{shown}");
            assert!(!shown.contains("SECRET") && !shown.contains("pw"), "{shown}");
        }
    }

    #[test]
    fn timeouts_are_recognised() {
        assert!(Error::Timeout(Duration::from_millis(5)).is_timeout());
        assert!(Error::OperationTimeout { name: "op".into(), waited: Duration::from_secs(1) }.is_timeout());
        assert!(!api(504, "").is_timeout());
    }
}
