//! Spans of API calls (cargo feature `tracing`), after OpenTelemetry's HTTP client
//! conventions: one span per call (`discogen.call`) and, inside it, one per attempt
//! (`discogen.attempt`, the HTTP client span proper).
//!
//! Spans carry only what cannot leak a secret: the Discovery method id, the HTTP method, the
//! host and the URL *path* (never the query, which may hold keys or `quotaUser`), status
//! codes and an error category. Never a header value, a token or a body. Without the
//! feature every function here is an inlined no-op.

use std::future::Future;
use std::time::Duration;

use url::Url;

use crate::error::Error;
use crate::request::Method;

/// The `error.type` of a failed call or attempt: the HTTP status for server errors, else a
/// low-cardinality category.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) fn error_type(error: &Error) -> String {
    match error {
        Error::Api(api) => api.status.to_string(),
        Error::Transport { connect: true, .. } => "connect".to_owned(),
        Error::Transport { timeout: true, .. } | Error::Timeout(_) => "timeout".to_owned(),
        Error::Transport { .. } => "transport".to_owned(),
        Error::Decode { .. } => "decode".to_owned(),
        Error::ResponseTooLarge { .. } => "response_too_large".to_owned(),
        Error::Auth(_) => "auth".to_owned(),
        Error::Serialize(_) => "serialize".to_owned(),
        Error::InvalidRequest(_) => "invalid_request".to_owned(),
        _ => "other".to_owned(),
    }
}

#[cfg(feature = "tracing")]
mod enabled {
    use super::*;
    use tracing::field::Empty;
    use tracing::Instrument;

    /// A span (call or attempt).
    pub(crate) struct Span(tracing::Span);

    impl Span {
        /// The span of a whole call, retries included.
        pub(crate) fn call(method_id: Option<&'static str>, method: Method, url: &Url) -> Span {
            let name = method_id.unwrap_or(method.as_str());
            Span(tracing::info_span!(
                "discogen.call",
                otel.name = name,
                otel.kind = "client",
                rpc.system = "http",
                rpc.method = method_id,
                http.request.method = method.as_str(),
                server.address = url.host_str(),
                server.port = url.port_or_known_default(),
                url.path = url.path(),
                http.response.status_code = Empty,
                "error.type" = Empty,
                discogen.attempts = Empty,
            ))
        }

        /// The span of attempt `number` (1-based) of `call`, sent after waiting `delay`.
        pub(crate) fn attempt(call: &Span, number: u32, delay: Option<Duration>, method: Method, url: &Url) -> Span {
            let span = tracing::debug_span!(
                parent: &call.0,
                "discogen.attempt",
                otel.name = method.as_str(),
                otel.kind = "client",
                http.request.method = method.as_str(),
                url.path = url.path(),
                discogen.attempt = number,
                http.request.resend_count = Empty,
                discogen.retry_delay_ms = Empty,
                http.response.status_code = Empty,
                "error.type" = Empty,
            );
            if number > 1 {
                span.record("http.request.resend_count", number - 1);
            }
            if let Some(delay) = delay {
                span.record("discogen.retry_delay_ms", delay.as_millis() as u64);
            }
            Span(span)
        }

        pub(crate) fn status(&self, status: u16) {
            self.0.record("http.response.status_code", status);
        }

        pub(crate) fn error(&self, error: &Error) {
            if let Some(status) = error.status() {
                self.status(status);
            }
            self.0.record("error.type", error_type(error).as_str());
        }

        pub(crate) fn attempts(&self, attempts: u32) {
            self.0.record("discogen.attempts", attempts);
        }

        pub(crate) fn instrument<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
            future.instrument(self.0.clone())
        }
    }
}

#[cfg(not(feature = "tracing"))]
mod disabled {
    use super::*;

    /// No span: the `tracing` feature is off.
    pub(crate) struct Span;

    impl Span {
        #[inline(always)]
        pub(crate) fn call(_: Option<&'static str>, _: Method, _: &Url) -> Span {
            Span
        }

        #[inline(always)]
        pub(crate) fn attempt(_: &Span, _: u32, _: Option<Duration>, _: Method, _: &Url) -> Span {
            Span
        }

        #[inline(always)]
        pub(crate) fn status(&self, _: u16) {}

        #[inline(always)]
        pub(crate) fn error(&self, _: &Error) {}

        #[inline(always)]
        pub(crate) fn attempts(&self, _: u32) {}

        #[inline(always)]
        pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
            future
        }
    }
}

#[cfg(not(feature = "tracing"))]
pub(crate) use disabled::Span;
#[cfg(feature = "tracing")]
pub(crate) use enabled::Span;
