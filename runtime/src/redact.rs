//! What an error, a log or a span may show of a URL: never its user info, query or fragment,
//! which may carry keys or signatures. The bottom of the crate: errors use it.

use url::Url;

/// `url` without user info, query and fragment: what an error or a log may show of a
/// server-chosen URL (its query may carry signatures or keys).
pub(crate) fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    redact(&mut shown);
    shown.to_string()
}

/// Removes user info, query and fragment from `url` in place.
pub(crate) fn redact(url: &mut Url) {
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
}
