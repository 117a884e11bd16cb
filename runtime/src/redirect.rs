//! The redirect policy. API calls (JSON, operation polls, uploads, token requests) follow
//! no redirect: Google's JSON APIs do not redirect them, and following one would carry the
//! call's credentials and headers to wherever the server points. A 3xx with a `Location`
//! becomes [`Error::Redirect`]. Media downloads follow redirects themselves (see
//! `media/download.rs`): with credentials and headers only while they stay on the API's
//! origin, and never from https to http.

use reqwest::header::{HeaderMap, LOCATION};
use url::Url;

use crate::error::Error;
use crate::redact::redacted;

/// At most this many redirects are followed by a media download.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// The reqwest policy of every client the runtime builds: redirects are the runtime's
/// decision, never the HTTP stack's.
pub(crate) fn http_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::none()
}

/// Whether a response with `status` and `headers` to a request for `url` is a redirect,
/// and where to: `Location` resolved against `url`. `None` for responses that are not
/// redirects (including 304 and resumable uploads' `308` without a `Location`).
pub(crate) fn target(url: &Url, status: u16, headers: &HeaderMap) -> Option<Result<Url, Error>> {
    if !(300..400).contains(&status) {
        return None;
    }
    let location = headers.get(LOCATION)?;
    let resolved = location.to_str().ok().and_then(|text| url.join(text).ok());
    Some(resolved.ok_or_else(|| Error::Redirect {
        status,
        location: "an invalid Location".to_owned(),
        reason: "API calls do not follow redirects".to_owned(),
    }))
}

/// The error for a redirect the runtime does not follow.
pub(crate) fn refused(status: u16, location: &Url, reason: &str) -> Error {
    Error::Redirect { status, location: redacted(location), reason: reason.to_owned() }
}

/// Whether `a` and `b` have the same origin: scheme, host and port (RFC 6454).
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// Whether following `from` -> `to` would leave https for http.
pub(crate) fn downgrades(from: &Url, to: &Url) -> bool {
    from.scheme() == "https" && to.scheme() != "https"
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn location(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_3xx_with_a_location_is_a_redirect() {
        let base = url("https://storage.googleapis.com/storage/v1/b/x");
        assert!(target(&base, 200, &location("/elsewhere")).is_none());
        assert!(target(&base, 304, &HeaderMap::new()).is_none());
        assert!(target(&base, 308, &HeaderMap::new()).is_none(), "resumable uploads' 308 has no Location");
        let relative = target(&base, 302, &location("/other?sig=1")).unwrap().unwrap();
        assert_eq!(relative.as_str(), "https://storage.googleapis.com/other?sig=1");
        let absolute = target(&base, 307, &location("http://127.0.0.1:9/x")).unwrap().unwrap();
        assert_eq!(absolute.as_str(), "http://127.0.0.1:9/x");
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let api = url("https://www.googleapis.com/drive/v3/files");
        assert!(same_origin(&api, &url("https://www.googleapis.com:443/upload/x")));
        assert!(!same_origin(&api, &url("http://www.googleapis.com/x")));
        assert!(!same_origin(&api, &url("https://www.googleapis.com:8443/x")));
        assert!(!same_origin(&api, &url("https://evil.example/x")));
        assert!(downgrades(&api, &url("http://www.googleapis.com/x")));
        assert!(!downgrades(&url("http://127.0.0.1:1/"), &url("http://127.0.0.1:2/")));
    }

    #[test]
    fn errors_show_no_query_fragment_or_user_info() {
        let error = refused(
            302,
            &url("https://user:pw@other.example/p?key=AIzaSECRET#frag"),
            "API calls do not follow redirects",
        );
        let text = error.to_string();
        assert!(text.contains("HTTP 302") && text.contains("https://other.example/p"), "{text}");
        for secret in ["AIzaSECRET", "pw", "user", "frag", "?"] {
            assert!(!text.contains(secret), "{text}");
            assert!(!format!("{error:?}").contains(secret), "{error:?}");
        }
    }
}
