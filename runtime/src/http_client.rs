//! The reqwest client every HTTP request of the runtime goes through (API calls, token
//! requests, media): one place decides its TLS backend and its redirect policy.

/// What every HTTP client the runtime builds starts from: the TLS backend of the enabled
/// features (see `tls.rs`) and no redirect followed by reqwest (the runtime decides, see
/// `redirect.rs`).
pub(crate) fn runtime_http(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    crate::tls::configure(builder).redirect(crate::redirect::http_policy())
}
