//! The errors a failed Discovery-style operation reports (`error.errors`), kept beside
//! [`Error`](super::Error), which carries them as [`Error::OperationErrors`](super::Error::OperationErrors).

use serde::{Deserialize, Serialize};

/// One entry of a failed operation's `error.errors`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationError {
    /// The error type, e.g. `RESOURCE_ALREADY_EXISTS`.
    #[serde(default)]
    pub code: String,
    /// What went wrong.
    #[serde(default)]
    pub message: String,
    /// The field or resource the error is about, when the server says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}
