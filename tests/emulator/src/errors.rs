//! Responses in the shape Google sends them.

use serde_json::{json, Value};

/// A response to send: status, JSON (or raw) body and extra headers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// `200 OK` with a JSON body.
    pub(crate) fn ok(body: Value) -> Reply {
        Reply::raw(200, body.to_string())
    }

    /// A response with any status and body.
    pub(crate) fn raw(status: u16, body: String) -> Reply {
        Reply { status, body, headers: Vec::new() }
    }

    /// A Google error: `{"error": {"code", "message", "status", "details"}}`
    /// with the canonical status name that Google uses for `status`.
    pub(crate) fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::error_named(status, status_name(status), message)
    }

    /// A Google error with an explicit canonical status name (e.g. 409 is
    /// both `ALREADY_EXISTS` and `ABORTED`).
    pub(crate) fn error_named(status: u16, name: &str, message: impl Into<String>) -> Reply {
        Reply::raw(status, error_body(status, name, &message.into()).to_string())
    }
}

/// The JSON body of a Google error.
pub(crate) fn error_body(status: u16, name: &str, message: &str) -> Value {
    json!({"error": {"code": status, "message": message, "status": name, "details": []}})
}

/// The canonical status name Google sends with an HTTP status.
pub(crate) fn status_name(status: u16) -> &'static str {
    match status {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        412 => "FAILED_PRECONDITION",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        500..=599 => "INTERNAL",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_shape() {
        let reply = Reply::error(404, "gone");
        let body: Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(body, json!({"error": {"code": 404, "message": "gone", "status": "NOT_FOUND", "details": []}}));
        assert_eq!(status_name(503), "UNAVAILABLE");
        assert_eq!(status_name(502), "INTERNAL");
    }
}
