//! Header validation shared by the client builder, per-call options and the transport.

use reqwest::header::{HeaderName, HeaderValue};

/// Validates a header name and value.
pub(crate) fn header_pair(name: &str, value: &str) -> std::result::Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::try_from(name).map_err(|_| format!("invalid header name {name:?}"))?;
    let header_value = HeaderValue::try_from(value).map_err(|_| format!("invalid value for header {name:?}"))?;
    Ok((header_name, header_value))
}
