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

/// Entries are numbered in arrival order: entry `id` sits at `id - first_id`, so recording a
/// status costs the same however long the log is.
#[derive(Debug, Default)]
struct LogInner {
    /// The id of `entries[0]` (the next id when the log is empty).
    first_id: u64,
    entries: Vec<RecordedRequest>,
}

impl RequestLog {
    /// Appends a request; returns its id for [`RequestLog::set_status`].
    pub(crate) fn push(&self, request: RecordedRequest) -> u64 {
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
        self.inner.lock().expect("request log").entries.clone()
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

    fn request(path: &str) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: path.into(),
            query: String::new(),
            authorization: None,
            user_agent: None,
            content_type: None,
            headers: Vec::new(),
            body: String::new(),
            status: None,
        }
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
