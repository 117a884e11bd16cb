//! TLS set-up: rustls with the `ring` crypto provider.
//!
//! reqwest is built with `rustls-no-provider`, which needs a process-wide
//! rustls crypto provider. The `ring` provider builds much faster than the
//! `aws-lc-rs` one reqwest would pick otherwise.

/// Installs the `ring` provider as the process default unless the application
/// already installed one (which is then respected).
pub(crate) fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread is fine: some provider is set.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
