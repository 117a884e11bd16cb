//! `google.rpc.Status` and the canonical error codes it carries.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The `google.rpc.Status` message, as Google sends it in JSON.
///
/// It appears in two places:
///
/// * in HTTP error bodies, wrapped as `{"error": {...}}`. There `code` is the
///   HTTP status (e.g. `404`) and `status` the canonical code name (e.g.
///   `"NOT_FOUND"`);
/// * in the `error` field of a failed long-running operation. There `code` is
///   the numeric canonical code (e.g. `5` for `NOT_FOUND`) and `status` is
///   usually absent.
///
/// [`RpcStatus::canonical_code`] understands both forms.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RpcStatus {
    /// HTTP status (in error bodies) or numeric canonical code (in operations).
    #[serde(default)]
    pub code: i32,
    /// Developer-facing error message.
    #[serde(default)]
    pub message: String,
    /// Canonical code name such as `"NOT_FOUND"`, when the server sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Typed error details (`google.rpc.ErrorInfo`, `RetryInfo`, ...), each an
    /// object with an `@type` key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<serde_json::Value>,
}

/// The JSON envelope of an HTTP error body: `{"error": {...}}`.
#[derive(Deserialize)]
pub(crate) struct ErrorEnvelope {
    pub(crate) error: RpcStatus,
}

impl RpcStatus {
    /// The canonical code, from the `status` name when present, otherwise
    /// from the numeric `code` read as a canonical code number.
    ///
    /// Use [`crate::Error::code`] on errors from HTTP responses: it also
    /// falls back to the HTTP status.
    pub fn canonical_code(&self) -> Code {
        self.status.as_deref().and_then(Code::from_name).or_else(|| Code::from_i32(self.code)).unwrap_or(Code::Unknown)
    }

    /// The delay requested by a `google.rpc.RetryInfo` detail, if any.
    pub fn retry_delay(&self) -> Option<Duration> {
        self.details.iter().find_map(|detail| {
            let type_url = detail.get("@type")?.as_str()?;
            if !type_url.ends_with("google.rpc.RetryInfo") {
                return None;
            }
            parse_proto_duration(detail.get("retryDelay")?.as_str()?)
        })
    }
}

impl fmt::Display for RpcStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.status {
            Some(name) => write!(f, "{name}: {}", self.message),
            None => write!(f, "{}: {}", self.canonical_code(), self.message),
        }
    }
}

/// Parses a `google.protobuf.Duration` in its JSON form, e.g. `"1.5s"`.
pub(crate) fn parse_proto_duration(text: &str) -> Option<Duration> {
    let seconds: f64 = text.strip_suffix('s')?.parse().ok()?;
    Duration::try_from_secs_f64(seconds).ok()
}

/// Canonical error codes of Google APIs (`google.rpc.Code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// Not an error.
    Ok,
    /// The operation was cancelled, typically by the caller.
    Cancelled,
    /// Unknown error.
    Unknown,
    /// The client specified an invalid argument.
    InvalidArgument,
    /// The deadline expired before the operation could complete.
    DeadlineExceeded,
    /// Some requested entity was not found.
    NotFound,
    /// The entity that a client attempted to create already exists.
    AlreadyExists,
    /// The caller does not have permission.
    PermissionDenied,
    /// Some resource has been exhausted (quota, rate limit).
    ResourceExhausted,
    /// The system is not in a state required for the operation.
    FailedPrecondition,
    /// The operation was aborted, typically due to a concurrency issue.
    Aborted,
    /// The operation was attempted past the valid range.
    OutOfRange,
    /// The operation is not implemented or supported.
    Unimplemented,
    /// Internal error.
    Internal,
    /// The service is currently unavailable (usually transient).
    Unavailable,
    /// Unrecoverable data loss or corruption.
    DataLoss,
    /// The request does not have valid authentication credentials.
    Unauthenticated,
}

const CODES: [(Code, &str); 17] = [
    (Code::Ok, "OK"),
    (Code::Cancelled, "CANCELLED"),
    (Code::Unknown, "UNKNOWN"),
    (Code::InvalidArgument, "INVALID_ARGUMENT"),
    (Code::DeadlineExceeded, "DEADLINE_EXCEEDED"),
    (Code::NotFound, "NOT_FOUND"),
    (Code::AlreadyExists, "ALREADY_EXISTS"),
    (Code::PermissionDenied, "PERMISSION_DENIED"),
    (Code::ResourceExhausted, "RESOURCE_EXHAUSTED"),
    (Code::FailedPrecondition, "FAILED_PRECONDITION"),
    (Code::Aborted, "ABORTED"),
    (Code::OutOfRange, "OUT_OF_RANGE"),
    (Code::Unimplemented, "UNIMPLEMENTED"),
    (Code::Internal, "INTERNAL"),
    (Code::Unavailable, "UNAVAILABLE"),
    (Code::DataLoss, "DATA_LOSS"),
    (Code::Unauthenticated, "UNAUTHENTICATED"),
];

impl Code {
    /// The code for its number (`5` is [`Code::NotFound`]).
    pub fn from_i32(number: i32) -> Option<Code> {
        let index = usize::try_from(number).ok()?;
        CODES.get(index).map(|(code, _)| *code)
    }

    /// The code for its name (`"NOT_FOUND"` is [`Code::NotFound`]).
    pub fn from_name(name: &str) -> Option<Code> {
        CODES.iter().find(|(_, n)| *n == name).map(|(code, _)| *code)
    }

    /// The code Google's HTTP mapping gives an HTTP status without a body.
    pub fn from_http_status(status: u16) -> Code {
        match status {
            200..=299 => Code::Ok,
            400 => Code::InvalidArgument,
            401 => Code::Unauthenticated,
            403 => Code::PermissionDenied,
            404 => Code::NotFound,
            409 => Code::Aborted,
            412 => Code::FailedPrecondition,
            416 => Code::OutOfRange,
            429 => Code::ResourceExhausted,
            499 => Code::Cancelled,
            501 => Code::Unimplemented,
            503 => Code::Unavailable,
            504 => Code::DeadlineExceeded,
            500..=599 => Code::Internal,
            _ => Code::Unknown,
        }
    }

    /// The canonical name, e.g. `"NOT_FOUND"`.
    pub fn name(self) -> &'static str {
        CODES[self as usize].1
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_round_trip_by_number_and_name() {
        for (number, (code, name)) in CODES.iter().enumerate() {
            assert_eq!(Code::from_i32(number as i32), Some(*code));
            assert_eq!(Code::from_name(name), Some(*code));
            assert_eq!(code.name(), *name);
        }
        assert_eq!(Code::from_i32(17), None);
        assert_eq!(Code::from_i32(-1), None);
        assert_eq!(Code::from_name("not_found"), None);
    }

    #[test]
    fn http_mapping() {
        assert_eq!(Code::from_http_status(404), Code::NotFound);
        assert_eq!(Code::from_http_status(429), Code::ResourceExhausted);
        assert_eq!(Code::from_http_status(502), Code::Internal);
        assert_eq!(Code::from_http_status(418), Code::Unknown);
    }

    #[test]
    fn canonical_code_prefers_the_name_then_the_number() {
        let http = RpcStatus { code: 404, status: Some("NOT_FOUND".into()), ..Default::default() };
        assert_eq!(http.canonical_code(), Code::NotFound);
        let operation = RpcStatus { code: 6, ..Default::default() };
        assert_eq!(operation.canonical_code(), Code::AlreadyExists);
        assert_eq!(operation.to_string(), "ALREADY_EXISTS: ");
    }

    #[test]
    fn retry_info_detail_is_read() {
        let status: RpcStatus = serde_json::from_value(json!({
            "code": 429,
            "message": "slow down",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.500s"}
            ]
        }))
        .unwrap();
        assert_eq!(status.retry_delay(), Some(Duration::from_millis(1500)));
        assert_eq!(RpcStatus::default().retry_delay(), None);
        assert_eq!(parse_proto_duration("3s"), Some(Duration::from_secs(3)));
        assert_eq!(parse_proto_duration("-3s"), None);
        assert_eq!(parse_proto_duration("3"), None);
    }
}
