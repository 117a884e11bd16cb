//! TLS set-up: which backend reqwest uses, chosen by cargo features.
//!
//! * `rustls-aws-lc`: rustls with the `aws-lc-rs` provider, post-quantum key exchange
//!   preferred (X25519MLKEM768).
//! * `rustls-ring`: rustls with the `ring` provider (no post-quantum key exchange).
//! * `native-tls`: the platform's library (OpenSSL, Secure Transport, SChannel).
//!
//! reqwest is built with `rustls-no-provider`, which needs a process-wide rustls crypto
//! provider: the chosen one is installed unless the application installed one already
//! (which is then respected). With a rustls feature and `native-tls` both enabled (cargo
//! unifies features across a build), rustls is used.

/// Applies the backend to a reqwest builder and installs the rustls provider if needed.
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    ensure_crypto_provider();
    backend(builder)
}

#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
fn backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_rustls()
}

#[cfg(all(feature = "native-tls", not(any(feature = "rustls-ring", feature = "rustls-aws-lc"))))]
fn backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_native()
}

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc", feature = "native-tls")))]
fn backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder
}

/// Installs the chosen rustls provider as the process default unless one is installed.
pub(crate) fn ensure_crypto_provider() {
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread is fine: some provider is set.
        let _ = provider().install_default();
    }
}

#[cfg(feature = "rustls-aws-lc")]
fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
fn provider() -> rustls::crypto::CryptoProvider {
    // Deprecated by rustls 0.23.48 for lacking post-quantum key exchange, which is what
    // choosing `rustls-ring` over `rustls-aws-lc` means (see the guide, Decisions).
    #[allow(deprecated)]
    rustls::crypto::ring::default_provider()
}

/// The backend in use, for `Debug` output and tests.
pub const TLS_BACKEND: &str = if cfg!(feature = "rustls-aws-lc") {
    "rustls (aws-lc-rs)"
} else if cfg!(feature = "rustls-ring") {
    "rustls (ring)"
} else if cfg!(feature = "native-tls") {
    "native-tls"
} else {
    "none (plain http only)"
};
