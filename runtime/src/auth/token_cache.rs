//! The token cache file of the consent flows: the refresh token a person
//! granted, so that the next run needs no browser.
//!
//! Only the refresh token and its scopes are stored (access tokens are cheap
//! to refresh and short-lived). The file is written atomically (temporary
//! file + rename) and created with mode 0600 on Unix: it is a credential.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::failure::AuthError;
use super::secret::Secret;

/// Where a consent flow keeps its refresh token.
#[derive(Debug, Clone)]
pub struct TokenCache {
    path: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    refresh_token: String,
    scopes: Vec<String>,
}

impl TokenCache {
    /// A cache in the file `path` (created on first consent).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        TokenCache { path: path.into() }
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn source(&self) -> String {
        format!("token cache {}", self.path.display())
    }

    /// The refresh token stored for exactly these `scopes`, if any.
    pub(crate) fn load(&self, scopes: &[String]) -> Result<Option<Secret>, AuthError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(AuthError::new(self.source(), format!("cannot read: {e}"))),
        };
        let stored: Stored = serde_json::from_str(&text)
            .map_err(|e| AuthError::new(self.source(), format!("not a token cache: {e}")))?;
        Ok((stored.scopes == scopes).then(|| Secret::new(stored.refresh_token)))
    }

    /// Stores `refresh_token` for `scopes`, replacing the file atomically.
    pub(crate) fn store(&self, refresh_token: &Secret, scopes: &[String]) -> Result<(), AuthError> {
        let failed = |e: std::io::Error| AuthError::new(self.source(), format!("cannot write: {e}"));
        let stored = Stored { refresh_token: refresh_token.expose().to_owned(), scopes: scopes.to_vec() };
        let text = serde_json::to_string_pretty(&stored).map_err(|e| AuthError::new(self.source(), e.to_string()))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".tmp{}", std::process::id()));
        let temporary = self.path.with_file_name(name);
        let _ = std::fs::remove_file(&temporary);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary).map_err(failed)?;
        file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(failed)?;
        drop(file);
        std::fs::rename(&temporary, &self.path).map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_per_scope_set_with_mode_0600() {
        let dir = std::env::temp_dir().join(format!("discogen-cache-{}", std::process::id()));
        let cache = TokenCache::new(dir.join("sub/tokens.json"));
        let scopes = vec!["a".to_owned()];
        assert!(cache.load(&scopes).unwrap().is_none());
        cache.store(&Secret::new("1//refresh"), &scopes).unwrap();
        assert_eq!(cache.load(&scopes).unwrap().unwrap().expose(), "1//refresh");
        assert!(cache.load(&["b".to_owned()]).unwrap().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(cache.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(cache.path(), "{").unwrap();
        let err = cache.load(&scopes).unwrap_err().to_string();
        assert!(err.starts_with(&format!("token cache {}", cache.path().display())), "{err}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
