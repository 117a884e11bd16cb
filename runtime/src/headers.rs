//! Header validation shared by the client builder, per-call options and the transport.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// Validates a header name and value.
pub(crate) fn header_pair(name: &str, value: &str) -> std::result::Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::try_from(name).map_err(|_| format!("invalid header name {name:?}"))?;
    let header_value = HeaderValue::try_from(value).map_err(|_| format!("invalid value for header {name:?}"))?;
    Ok((header_name, header_value))
}

/// The header texts this process's clients send with every call, each copied once into memory
/// kept for the process's life, at most [`SHARED_TEXT_LIMIT`] bytes in all.
static SHARED_TEXT: std::sync::Mutex<(usize, Vec<&'static [u8]>)> = std::sync::Mutex::new((0, Vec::new()));

/// What [`SHARED_TEXT`] may hold: a client's user agent, API client and quota project
/// headers take about 200 bytes, and clients with the same ones share them.
const SHARED_TEXT_LIMIT: usize = 16 * 1024;

/// `text` in memory kept for the process's life (the same copy for equal texts), unless that
/// would pass [`SHARED_TEXT_LIMIT`].
fn shared_text(text: &[u8]) -> Option<&'static [u8]> {
    let mut shared = SHARED_TEXT.lock().ok()?;
    if let Some(found) = shared.1.iter().find(|kept| **kept == text) {
        return Some(found);
    }
    if shared.0 + text.len() > SHARED_TEXT_LIMIT {
        return None;
    }
    let kept: &'static [u8] = Box::leak(text.to_vec().into_boxed_slice());
    shared.0 += text.len();
    shared.1.push(kept);
    Some(kept)
}

/// `headers` with names and values whose bytes are `'static`, so that cloning the map (once
/// per attempt) copies pointers: a name or value built at run time is a reference-counted
/// buffer, whose count every clone and drop changes with an atomic operation, on one cache
/// line that every worker thread's calls share. The same names, values, order and
/// sensitivity; a value marked sensitive, and an entry past the limit of [`shared_text`],
/// stays as it is.
pub(crate) fn with_static_text(headers: &HeaderMap) -> HeaderMap {
    // Grown as `headers` was (not sized to it): the transport adds to it (`Host`, ...), and a
    // full map would grow on every call.
    let mut kept = HeaderMap::new();
    for (name, value) in headers {
        let name = match shared_text(name.as_str().as_bytes()).and_then(|text| std::str::from_utf8(text).ok()) {
            // A valid name's text (lowercase tokens): `from_static` accepts it.
            Some(text) => HeaderName::from_static(text),
            None => name.clone(),
        };
        // A value marked sensitive is not kept past its client.
        let text = if value.is_sensitive() { None } else { shared_text(value.as_bytes()) };
        let value = match text.and_then(|text| HeaderValue::from_maybe_shared(bytes::Bytes::from_static(text)).ok()) {
            Some(text) => text,
            None => value.clone(),
        };
        kept.append(name, value);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_text_keeps_names_values_order_and_sensitivity() {
        let mut headers = HeaderMap::new();
        headers.insert("user-agent", HeaderValue::try_from(String::from("app/1")).unwrap());
        let (name, value) = header_pair("x-goog-api-client", "gl-rust/1 gdcl/0.3").unwrap();
        headers.insert(name, value);
        headers.append("x-two", HeaderValue::from_bytes(b"first \xff").unwrap());
        headers.append("x-two", HeaderValue::from_static("second"));
        let mut secret = HeaderValue::try_from(String::from("key")).unwrap();
        secret.set_sensitive(true);
        headers.insert("x-goog-api-key", secret);
        let kept = with_static_text(&headers);
        let pairs = |map: &HeaderMap| -> Vec<(String, Vec<u8>, bool)> {
            map.iter().map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec(), v.is_sensitive())).collect()
        };
        assert_eq!(pairs(&kept), pairs(&headers));
        // Equal texts share one copy, whichever map they come from.
        let again = with_static_text(&headers);
        let ua = |map: &HeaderMap| map["user-agent"].as_bytes().as_ptr();
        assert_eq!(ua(&kept), ua(&again));
        assert_ne!(ua(&kept), ua(&headers));
    }

    /// A client's template (three entries): a map sized to it would be full, and every
    /// attempt's clone would grow (two allocations) when the transport adds `Host`.
    #[test]
    fn static_text_leaves_the_room_the_original_had() {
        let mut headers = HeaderMap::new();
        headers.insert("user-agent", HeaderValue::try_from(String::from("app/1")).unwrap());
        let (name, value) = header_pair("x-goog-api-client", "gl-rust/1").unwrap();
        headers.insert(name, value);
        headers.insert("accept", HeaderValue::from_static("application/json"));
        let kept = with_static_text(&headers);
        assert_eq!(kept.capacity(), headers.capacity());
        assert!(kept.capacity() > kept.len());
    }

    #[test]
    fn text_past_the_limit_is_not_kept() {
        assert_eq!(shared_text(&vec![b'a'; SHARED_TEXT_LIMIT + 1]), None);
        let kept = shared_text(b"short").unwrap();
        assert_eq!(kept, b"short");
    }
}
