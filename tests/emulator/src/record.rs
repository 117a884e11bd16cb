//! The log of requests the emulator received.

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

/// Shared request log.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestLog {
    inner: Arc<Mutex<LogInner>>,
}

#[derive(Debug, Default)]
struct LogInner {
    next_id: u64,
    entries: Vec<(u64, RecordedRequest)>,
}

impl RequestLog {
    /// Appends a request; returns its id for [`RequestLog::set_status`].
    pub(crate) fn push(&self, request: RecordedRequest) -> u64 {
        let mut inner = self.inner.lock().expect("request log");
        inner.next_id += 1;
        let id = inner.next_id;
        inner.entries.push((id, request));
        id
    }

    /// Records the status a request was answered with (ignored if the log
    /// was cleared in between).
    pub(crate) fn set_status(&self, id: u64, status: u16) {
        let mut inner = self.inner.lock().expect("request log");
        if let Some((_, entry)) = inner.entries.iter_mut().find(|(entry_id, _)| *entry_id == id) {
            entry.status = Some(status);
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        let inner = self.inner.lock().expect("request log");
        inner.entries.iter().map(|(_, entry)| entry.clone()).collect()
    }

    pub(crate) fn clear(&self) {
        self.inner.lock().expect("request log").entries.clear();
    }
}
