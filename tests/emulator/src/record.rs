//! The log of requests the emulator received.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One request as received, with the status it was answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// HTTP method, e.g. `"POST"`.
    pub method: String,
    /// Path as sent (percent-encoded), e.g. `/v1/projects/p/locations/l/notebookExecutionJobs`.
    pub path: String,
    /// Raw query string without `?` (empty if none).
    pub query: String,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// Every header as received (names lower-case, values lossy UTF-8), in order.
    pub headers: Vec<(String, String)>,
    /// The body (lossy UTF-8).
    pub body: String,
    /// The status answered; `None` while in progress or when the connection
    /// was dropped by a fault.
    pub status: Option<u16>,
}

impl RecordedRequest {
    /// The decoded values of query parameter `key`, in order.
    pub fn query_values(&self, key: &str) -> Vec<String> {
        form_urlencoded::parse(self.query.as_bytes()).filter(|(k, _)| k == key).map(|(_, v)| v.into_owned()).collect()
    }

    /// The first decoded value of query parameter `key`.
    pub fn query_value(&self, key: &str) -> Option<String> {
        self.query_values(key).into_iter().next()
    }

    /// The values of header `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).into_iter().next()
    }
}

/// One request as the server received it, kept as cheaply as it can be on the request's
/// path: the headers as raw bytes in one buffer, the body's bytes as they came. What a test
/// reads ([`RecordedRequest`], with its lossy UTF-8 and one `String` per header name and
/// value) is made from it when the test asks ([`RequestLog::snapshot`]), not on every
/// request: a client sending more headers must not be slowed down by the emulator's
/// bookkeeping of them (the benchmarks time calls one at a time against it).
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) method: hyper::Method,
    pub(crate) path: String,
    pub(crate) query: String,
    /// Every header in order, each `name:value\n`: names are tokens (no `:`), values carry
    /// no line break.
    pub(crate) headers: Vec<u8>,
    pub(crate) body: Vec<u8>,
    pub(crate) status: Option<u16>,
}

impl Received {
    /// The header block of `headers`, as [`Received::headers`] holds it.
    pub(crate) fn header_block(headers: &hyper::HeaderMap) -> Vec<u8> {
        let length = headers.iter().map(|(name, value)| name.as_str().len() + value.len() + 2).sum();
        let mut block = Vec::with_capacity(length);
        for (name, value) in headers {
            block.extend_from_slice(name.as_str().as_bytes());
            block.push(b':');
            block.extend_from_slice(value.as_bytes());
            block.push(b'\n');
        }
        block
    }

    fn recorded(&self) -> RecordedRequest {
        let headers: Vec<(String, String)> = self
            .headers
            .split(|&byte| byte == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| {
                let colon = line.iter().position(|&byte| byte == b':').unwrap_or(line.len());
                let value = line.get(colon + 1..).unwrap_or_default();
                (String::from_utf8_lossy(&line[..colon]).into_owned(), String::from_utf8_lossy(value).into_owned())
            })
            .collect();
        let first = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, value)| value.clone());
        RecordedRequest {
            method: self.method.as_str().to_owned(),
            path: self.path.clone(),
            query: self.query.clone(),
            authorization: first("authorization"),
            user_agent: first("user-agent"),
            content_type: first("content-type"),
            body: String::from_utf8_lossy(&self.body).into_owned(),
            status: self.status,
            headers,
        }
    }
}

/// Shared request log.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestLog {
    inner: Arc<Mutex<LogInner>>,
    /// Set when nothing will read the log ([`RequestLog::set_recording`]).
    off: Arc<AtomicBool>,
}

/// Entries are numbered in arrival order: entry `id` sits at `id - first_id`, so recording a
/// status costs the same however long the log is.
#[derive(Debug, Default)]
struct LogInner {
    /// The id of `entries[0]` (the next id when the log is empty).
    first_id: u64,
    entries: Vec<Received>,
}

impl RequestLog {
    /// Whether requests are logged (from the start: yes).
    pub(crate) fn is_recording(&self) -> bool {
        !self.off.load(Ordering::Relaxed)
    }

    /// Starts or stops logging requests; what is logged stays.
    pub(crate) fn set_recording(&self, on: bool) {
        self.off.store(!on, Ordering::Relaxed);
    }

    /// Appends a request; returns its id for [`RequestLog::set_status`].
    pub(crate) fn push(&self, request: Received) -> u64 {
        let mut inner = self.inner.lock().expect("request log");
        let id = inner.first_id + inner.entries.len() as u64;
        inner.entries.push(request);
        id
    }

    /// Records the status a request was answered with (ignored if the log
    /// was cleared in between).
    pub(crate) fn set_status(&self, id: u64, status: u16) {
        let mut inner = self.inner.lock().expect("request log");
        let Some(index) = id.checked_sub(inner.first_id).and_then(|i| usize::try_from(i).ok()) else {
            return;
        };
        if let Some(entry) = inner.entries.get_mut(index) {
            entry.status = Some(status);
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.inner.lock().expect("request log").entries.iter().map(Received::recorded).collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.inner.lock().expect("request log").entries.len()
    }

    pub(crate) fn clear(&self) {
        let mut inner = self.inner.lock().expect("request log");
        inner.first_id += inner.entries.len() as u64;
        inner.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> Received {
        Received {
            method: hyper::Method::GET,
            path: path.into(),
            query: String::new(),
            headers: Vec::new(),
            body: Vec::new(),
            status: None,
        }
    }

    /// What a test reads is what reading each header on arrival gave: every header in order
    /// (a repeated one each time, lossy UTF-8, a `:` in a value kept), the first of each
    /// named one, the body as lossy UTF-8.
    #[test]
    fn recorded_requests_are_the_headers_as_received() {
        use hyper::header::{HeaderMap, HeaderValue};
        let mut headers = HeaderMap::new();
        headers.append("user-agent", HeaderValue::from_static("app/1 (x: y)"));
        headers.append("x-multi", HeaderValue::from_static("one"));
        headers.append("authorization", HeaderValue::from_static("Bearer t"));
        headers.append("x-multi", HeaderValue::from_static(""));
        headers.append("x-bytes", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        headers.append("content-type", HeaderValue::from_static("application/json"));
        headers.append("content-type", HeaderValue::from_static("text/plain"));
        let log = RequestLog::default();
        log.push(Received {
            method: hyper::Method::POST,
            path: "/v1/x".into(),
            query: "a=1".into(),
            headers: Received::header_block(&headers),
            body: b"{\"k\":\xff}".to_vec(),
            status: None,
        });
        let eager: Vec<(String, String)> = headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        let lossy = |name: &str| headers.get(name).map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let recorded = log.snapshot().remove(0);
        assert_eq!(recorded.headers, eager);
        assert_eq!(recorded.header_values("x-multi"), ["one", ""]);
        assert_eq!(recorded.header("x-bytes"), Some("caf\u{fffd}"));
        assert_eq!(recorded.authorization, lossy("authorization"));
        assert_eq!(recorded.user_agent.as_deref(), Some("app/1 (x: y)"));
        assert_eq!(recorded.content_type, lossy("content-type"));
        assert_eq!(recorded.content_type.as_deref(), Some("application/json"));
        assert_eq!(
            (recorded.method.as_str(), recorded.path.as_str(), recorded.query.as_str()),
            ("POST", "/v1/x", "a=1")
        );
        assert_eq!(recorded.body, "{\"k\":\u{fffd}}");
    }

    #[test]
    fn recording_stops_and_starts_again_keeping_what_was_logged() {
        let log = RequestLog::default();
        assert!(log.is_recording());
        log.push(request("/a"));
        log.set_recording(false);
        assert!(!log.is_recording());
        log.set_recording(true);
        log.push(request("/b"));
        let paths: Vec<String> = log.snapshot().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/a", "/b"]);
    }

    #[test]
    fn statuses_find_their_request_across_clears() {
        let log = RequestLog::default();
        let a = log.push(request("/a"));
        log.clear();
        let b = log.push(request("/b"));
        let c = log.push(request("/c"));
        log.set_status(a, 500);
        log.set_status(c, 204);
        log.set_status(b, 200);
        let statuses: Vec<_> = log.snapshot().into_iter().map(|r| (r.path, r.status)).collect();
        assert_eq!(statuses, [("/b".to_string(), Some(200)), ("/c".to_string(), Some(204))]);
        assert_eq!(log.len(), 2);
    }
}
