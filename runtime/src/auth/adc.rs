//! Application Default Credentials: Google's documented lookup order.
//!
//! 1. the file named by `GOOGLE_APPLICATION_CREDENTIALS` (service account
//!    key, authorized user, impersonated service account);
//! 2. gcloud's well-known file (`gcloud auth application-default login`):
//!    `$CLOUDSDK_CONFIG/application_default_credentials.json`, else
//!    `~/.config/gcloud/...` (`%APPDATA%\gcloud\...` on Windows);
//! 3. the metadata server (`GCE_METADATA_HOST`, else 169.254.169.254).
//!
//! Each step shadows the next: a set but broken `GOOGLE_APPLICATION_CREDENTIALS`
//! is an error naming the file, never a silent fall-through.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::OnceCell;

use super::authorized_user::AuthorizedUser;
use super::failure::AuthError;
use super::impersonated::ImpersonatedServiceAccount;
use super::key_file::{self, CredentialFile};
use super::metadata::{MetadataServer, DEFAULT_METADATA_HOST};
use super::service_account::ServiceAccount;
use super::{TokenFuture, TokenProvider};

/// The scope that grants access to all Google Cloud APIs.
pub const CLOUD_PLATFORM_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

/// Where ADC looks: plain data, read from the process environment by
/// [`from_process`](Self::from_process) or given explicitly (tests, tools).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdcEnvironment {
    /// `GOOGLE_APPLICATION_CREDENTIALS`.
    pub credentials_file: Option<PathBuf>,
    /// gcloud's `application_default_credentials.json` (used when it exists).
    pub gcloud_file: Option<PathBuf>,
    /// `GCE_METADATA_HOST`, else [`DEFAULT_METADATA_HOST`].
    pub metadata_host: String,
}

impl AdcEnvironment {
    /// The locations this process's environment variables point to.
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let gcloud_dir = var("CLOUDSDK_CONFIG").map(PathBuf::from).or_else(|| {
            if cfg!(windows) {
                var("APPDATA").map(|d| PathBuf::from(d).join("gcloud"))
            } else {
                var("HOME").map(|d| PathBuf::from(d).join(".config").join("gcloud"))
            }
        });
        AdcEnvironment {
            credentials_file: var("GOOGLE_APPLICATION_CREDENTIALS").map(PathBuf::from),
            gcloud_file: gcloud_dir.map(|d| d.join("application_default_credentials.json")),
            metadata_host: var("GCE_METADATA_HOST")
                .and_then(|h| h.into_string().ok())
                .unwrap_or_else(|| DEFAULT_METADATA_HOST.to_owned()),
        }
    }
}

/// Application Default Credentials, looked up on first use (see the module
/// order above) and then cached; tokens are refreshed before they expire by
/// the chosen source.
pub struct ApplicationDefaultCredentials {
    scopes: Vec<String>,
    environment: AdcEnvironment,
    chosen: OnceCell<Chosen>,
}

struct Chosen {
    description: String,
    provider: Arc<dyn TokenProvider>,
    /// The last step: its failure explains the whole chain.
    is_metadata: bool,
}

impl ApplicationDefaultCredentials {
    /// ADC with the [`CLOUD_PLATFORM_SCOPE`].
    pub fn new() -> Self {
        Self::with_scopes([CLOUD_PLATFORM_SCOPE])
    }

    /// ADC requesting the given OAuth2 scopes, from the process environment.
    pub fn with_scopes<I, S>(scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::with_environment(AdcEnvironment::from_process(), scopes)
    }

    /// ADC over an explicit environment.
    pub fn with_environment<I, S>(environment: AdcEnvironment, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ApplicationDefaultCredentials {
            scopes: scopes.into_iter().map(Into::into).collect(),
            environment,
            chosen: OnceCell::new(),
        }
    }

    /// Which source the chain chose, e.g. "GOOGLE_APPLICATION_CREDENTIALS
    /// /k.json (service account a@b)"; resolves the chain if needed.
    pub async fn source(&self) -> Result<&str, AuthError> {
        Ok(&self.resolve().await?.description)
    }

    async fn resolve(&self) -> Result<&Chosen, AuthError> {
        self.chosen.get_or_try_init(|| async { self.choose() }).await
    }

    fn choose(&self) -> Result<Chosen, AuthError> {
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        if let Some(path) = &self.environment.credentials_file {
            let (provider, kind) = credentials_from_file(path, &scopes)?;
            let description = format!("GOOGLE_APPLICATION_CREDENTIALS {} ({kind})", path.display());
            return Ok(Chosen { description, provider, is_metadata: false });
        }
        if let Some(path) = self.environment.gcloud_file.as_ref().filter(|p| p.is_file()) {
            let (provider, kind) = credentials_from_file(path, &scopes)?;
            let description = format!("gcloud credentials {} ({kind})", path.display());
            return Ok(Chosen { description, provider, is_metadata: false });
        }
        let host = &self.environment.metadata_host;
        let provider = Arc::new(MetadataServer::at(host, &scopes)?);
        Ok(Chosen { description: format!("metadata server {host}"), provider, is_metadata: true })
    }
}

/// The credentials a JSON credentials file describes, and what kind they are.
pub fn credentials_from_file(path: &Path, scopes: &[&str]) -> Result<(Arc<dyn TokenProvider>, String), AuthError> {
    let origin = format!("key file {}", path.display());
    from_parsed(key_file::read(path)?, &origin, scopes)
}

fn from_parsed(
    file: CredentialFile,
    origin: &str,
    scopes: &[&str],
) -> Result<(Arc<dyn TokenProvider>, String), AuthError> {
    Ok(match file {
        CredentialFile::ServiceAccount(key) => {
            let account = ServiceAccount::from_key(key, origin, scopes)?;
            let kind = format!("service account {}", account.email());
            (Arc::new(account), kind)
        }
        CredentialFile::AuthorizedUser(key) => {
            let kind = format!("authorized user of client {}", key.client_id);
            (Arc::new(AuthorizedUser::from_key(key, origin)?), kind)
        }
        CredentialFile::Impersonated(key) => {
            // The source only needs to call the IAM Credentials API.
            let (source, source_kind) = from_parsed(*key.source, origin, &[CLOUD_PLATFORM_SCOPE])?;
            let target = ImpersonatedServiceAccount::with_url(source, &key.impersonation_url, scopes)?
                .with_delegates(&key.delegates);
            let kind = format!("{} via {source_kind}", target.target());
            (Arc::new(target), kind)
        }
    })
}

impl Default for ApplicationDefaultCredentials {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ApplicationDefaultCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("ApplicationDefaultCredentials");
        s.field("scopes", &self.scopes).field("environment", &self.environment);
        match self.chosen.get() {
            Some(chosen) => s.field("source", &chosen.description).field("provider", &chosen.provider),
            None => s.field("source", &"<not resolved>"),
        };
        s.finish()
    }
}

impl TokenProvider for ApplicationDefaultCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let chosen = self.resolve().await?;
            match chosen.provider.token().await {
                Err(err) if chosen.is_metadata => {
                    let gcloud = match &self.environment.gcloud_file {
                        Some(path) => format!("there is no gcloud file at {}", path.display()),
                        None => "there is no gcloud configuration directory".to_owned(),
                    };
                    Err(AuthError::new(
                        "application default credentials",
                        format!(
                            "GOOGLE_APPLICATION_CREDENTIALS is not set, {gcloud}, and the metadata server failed \
                             ({err}); run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS"
                        ),
                    )
                    .into())
                }
                other => other,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(credentials_file: Option<&str>) -> AdcEnvironment {
        AdcEnvironment {
            credentials_file: credentials_file.map(PathBuf::from),
            gcloud_file: Some(PathBuf::from("/nonexistent/gcloud/application_default_credentials.json")),
            metadata_host: "127.0.0.1:9".to_owned(),
        }
    }

    #[test]
    fn debug_shows_scopes_and_places_only() {
        let adc = ApplicationDefaultCredentials::with_environment(environment(None), [CLOUD_PLATFORM_SCOPE]);
        let text = format!("{adc:?}");
        assert!(text.contains(CLOUD_PLATFORM_SCOPE), "{text}");
        assert!(text.contains("<not resolved>"), "{text}");
    }

    #[tokio::test]
    async fn a_missing_credentials_file_is_an_error_naming_it() {
        let adc = ApplicationDefaultCredentials::with_environment(
            environment(Some("/nonexistent/discogen-key.json")),
            [CLOUD_PLATFORM_SCOPE],
        );
        let err = adc.token().await.unwrap_err();
        assert!(err.is_auth(), "{err}");
        assert!(err.to_string().contains("/nonexistent/discogen-key.json"), "{err}");
    }
}
