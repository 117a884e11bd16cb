//! [`AuthError`]: which credential source failed and why, without secrets.

use std::fmt;

use crate::error::Error;

/// A credential source could not produce a token. Carried by [`Error::Auth`].
///
/// `source` names the credential source ("service account a@b (key file
/// /k.json)"), `reason` says what went wrong. Neither ever contains a token,
/// key, refresh token or client secret: reasons from token endpoints keep
/// only the OAuth2 `error` and `error_description` fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    source: String,
    reason: String,
}

impl AuthError {
    /// An error of credential source `source`.
    pub fn new(source: impl Into<String>, reason: impl Into<String>) -> Self {
        AuthError { source: source.into(), reason: reason.into() }
    }

    /// The credential source that failed.
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// Why it failed.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

impl std::error::Error for AuthError {}

impl From<AuthError> for Error {
    fn from(err: AuthError) -> Self {
        Error::Auth(Box::new(err))
    }
}
