//! Request paths from a method's URI template (RFC 6570 levels 1 and 2, plus the level-3
//! operators Discovery documents use with one variable), and the one path a URL cannot carry:
//! a `.` or `..` segment.
//!
//! The rules, as sent:
//!
//! * `{x}` (simple expansion): every byte but the unreserved `A-Z a-z 0-9 - . _ ~` is
//!   percent-encoded, `/` and `%` included.
//! * `{+x}` (reserved expansion): RFC 6570 keeps unreserved and reserved characters and passes
//!   percent-encoded triplets (`%` and two hex digits) through; every other byte (`%` not
//!   starting a triplet, space, non-ASCII, `"` `<` `>` `\` `^` `` ` `` `{` `|` `}`, controls)
//!   is encoded. In a path the gen-delims `?` `#` `[` `]` are encoded too: RFC 3986 allows
//!   them nowhere in a path, and a raw `?` or `#` would end it (the rest of the name sent as
//!   query or not at all).
//! * `{#x}`: `#` and the value with RFC 6570's reserved set. `{/x}`, `{.x}`, `{;x}`, `{?x}`,
//!   `{&x}`: their prefix and the value encoded as by `{x}`.
//! * A path segment (between `/`, or `\` which URL parsers read as `/`, before any `?` or
//!   `#`) that is `.` or `..`, also written with `%2E`/`%2e`, is refused: URL normalisation
//!   (the `url` crate's as every browser's) removes it and the request would reach another
//!   resource, e.g. the bucket instead of an object named `..`.

use std::fmt::{self, Write as _};
use std::ops::Range;

/// Percent-encodes one path segment (RFC 6570 simple expansion): everything but unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) is encoded, including `/` and `%`.
///
/// ```
/// assert_eq!(discogen_runtime::__support::encode_path_segment("a b/c%"), "a%20b%2Fc%25");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    encode(segment, Keep::Unreserved)
}

/// Percent-encodes a reserved expansion (`{+x}`) in a path: unreserved characters, `/`, `:`,
/// `@`, the sub-delims `! $ & ' ( ) * + , ; =` and percent-encoded triplets are kept; `?`,
/// `#`, `[`, `]` (which a path cannot carry), a `%` not starting a triplet and every other
/// byte are encoded.
///
/// ```
/// use discogen_runtime::__support::encode_path_reserved;
///
/// assert_eq!(encode_path_reserved("projects/p/topics/load-100%"), "projects/p/topics/load-100%25");
/// assert_eq!(encode_path_reserved("a%2Fb c?"), "a%2Fb%20c%3F");
/// ```
pub fn encode_path_reserved(value: &str) -> String {
    encode(value, Keep::PathReserved)
}

/// Percent-encodes as RFC 6570's reserved expansion does (`{+x}`, `{#x}`): like
/// [`encode_path_reserved`] but keeping the gen-delims `?`, `#`, `[`, `]` as well; for a
/// fragment, not a path.
///
/// ```
/// assert_eq!(discogen_runtime::__support::encode_reserved("a?b#c %"), "a?b#c%20%25");
/// ```
pub fn encode_reserved(value: &str) -> String {
    encode(value, Keep::Reserved)
}

const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

const fn is_sub_delim(byte: u8) -> bool {
    matches!(byte, b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=')
}

/// Per byte, the [`Keep`] sets it belongs to (a bit each): every byte of every path
/// parameter is looked up here, once per call.
static KEPT: [u8; 256] = kept_table();

const fn kept_table() -> [u8; 256] {
    let mut table = [0; 256];
    let mut index = 0;
    while index < 256 {
        let byte = index as u8;
        if is_unreserved(byte) {
            table[index] |= Keep::Unreserved.bit();
        }
        if is_unreserved(byte) || is_sub_delim(byte) || matches!(byte, b'/' | b':' | b'@') {
            table[index] |= Keep::PathReserved.bit();
        }
        if is_unreserved(byte) || is_sub_delim(byte) || matches!(byte, b':' | b'/' | b'?' | b'#' | b'[' | b']' | b'@') {
            table[index] |= Keep::Reserved.bit();
        }
        index += 1;
    }
    table
}

/// What an expansion keeps as it is; everything else is percent-encoded.
#[derive(Clone, Copy)]
enum Keep {
    /// `{x}` and the other operators: unreserved characters only.
    Unreserved,
    /// `{+x}` in a path: also reserved characters but `? # [ ]`, and percent triplets.
    PathReserved,
    /// `{#x}`: also every reserved character, and percent triplets.
    Reserved,
}

impl Keep {
    const fn bit(self) -> u8 {
        match self {
            Keep::Unreserved => 1,
            Keep::PathReserved => 2,
            Keep::Reserved => 4,
        }
    }

    fn byte(self, byte: u8) -> bool {
        KEPT[usize::from(byte)] & self.bit() != 0
    }

    /// Whether the byte at `index` of `bytes` stays as it is.
    fn at(self, bytes: &[u8], index: usize) -> bool {
        let byte = bytes[index];
        self.byte(byte)
            || (byte == b'%'
                && !matches!(self, Keep::Unreserved)
                && bytes.get(index + 1..index + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)))
    }
}

fn encode(value: &str, keep: Keep) -> String {
    let mut out = String::with_capacity(value.len());
    encode_into(&mut out, value, keep);
    out
}

/// Appends `value` to `out`, percent-encoding what `keep` does not keep.
fn encode_into(out: &mut String, value: &str, keep: Keep) {
    let bytes = value.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        if keep.at(bytes, index) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Encodes in place what `out[start..]` holds as written; it is copied only when some byte
/// of it needs encoding (a resource name usually needs none).
fn encode_tail(out: &mut String, start: usize, keep: Keep) {
    let bytes = &out.as_bytes()[start..];
    // One table look-up per byte up to the first byte the set does not hold (none, for the
    // usual name); only from there the full rule, which passes percent triplets.
    let bit = keep.bit();
    let Some(first) = bytes.iter().position(|&byte| KEPT[usize::from(byte)] & bit == 0) else { return };
    if (first..bytes.len()).all(|index| keep.at(bytes, index)) {
        return;
    }
    let raw = out.split_off(start);
    encode_into(out, &raw, keep);
}

/// Expands a URI template (`b/{bucket}/o/{object}`, `v1/{+name}:cancel`) with `values` in the
/// order of its expressions, by the rules of this module. The result may still hold a dot
/// segment: [`Request::from_template`](crate::Request::from_template) refuses it, naming
/// the parameter, and every request path is checked again before it is sent.
///
/// ```
/// let path = discogen_runtime::__support::expand_path("v1/{+name}/{id}:run", &[&"projects/p", &"a b"]);
/// assert_eq!(path, "v1/projects/p/a%20b:run");
/// ```
pub fn expand_path(template: &str, values: &[&dyn fmt::Display]) -> String {
    Expansion::new(template, values).path
}

/// An expanded template and the first dot segment in it, if any, by the expression that
/// produced it.
pub(crate) struct Expansion {
    pub(crate) path: String,
    pub(crate) refused: Option<String>,
}

impl Expansion {
    pub(crate) fn new(template: &str, values: &[&dyn fmt::Display]) -> Expansion {
        // Values are written into the path and encoded there: one allocation for the usual
        // call. The parameter behind a dot segment is looked for only when there is one.
        let mut path = String::with_capacity(template.len() + 64);
        expand_into(&mut path, template, values, |_, _, _| {});
        let refused = dot_segment(&path).map(|segment| Expansion::refusal(template, values, &path, segment));
        Expansion { path, refused }
    }

    /// Why `path` (the expansion of `template`) must not be sent: its dot segment `segment`,
    /// by the expression that produced it.
    fn refusal(template: &str, values: &[&dyn fmt::Display], path: &str, segment: Range<usize>) -> String {
        // Where each expression's value landed in the path: (range, name, value).
        let mut expanded: Vec<(Range<usize>, &str, String)> = Vec::new();
        let mut rebuilt = String::with_capacity(path.len());
        expand_into(&mut rebuilt, template, values, |range, name, value| {
            expanded.push((range, name, value.map(ToString::to_string).unwrap_or_default()));
        });
        let culprit = expanded.iter().find(|(range, ..)| range.start < segment.end && segment.start < range.end);
        let found = &path[segment];
        match culprit {
            Some((_, name, value)) if value == found => {
                format!("path parameter `{name}` is {value:?}, {}", DOT_SEGMENT_WHY)
            }
            Some((_, name, value)) => {
                format!("path parameter `{name}` is {value:?}: its segment {found:?} is {}", DOT_SEGMENT_WHY_SHORT)
            }
            None => format!("path {path:?} has the segment {found:?}, {}", DOT_SEGMENT_WHY),
        }
    }
}

const DOT_SEGMENT_WHY: &str =
    "a dot segment: URL normalisation would remove it and send the request to another resource";
const DOT_SEGMENT_WHY_SHORT: &str =
    "a dot segment, which URL normalisation would remove, sending the request to another resource";

/// Appends the expansion of `template` with `values` (in order; a missing one is empty) to
/// `path`; `each` sees every expression as it lands: its range in `path`, its wire name and
/// its value.
fn expand_into<'t>(
    path: &mut String,
    template: &'t str,
    values: &[&dyn fmt::Display],
    mut each: impl FnMut(Range<usize>, &'t str, Option<&dyn fmt::Display>),
) {
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let value = values.next().copied();
        let start = path.len();
        let name = expand_expression_into(path, &rest[open + 1..close], value);
        each(start..path.len(), name, value);
        rest = rest.get(close + 1..).unwrap_or("");
    }
    path.push_str(rest);
}

/// Appends the expansion of `expression` with `value` (none: empty) to `path`; returns the
/// expression's wire name.
fn expand_expression_into<'a>(path: &mut String, expression: &'a str, value: Option<&dyn fmt::Display>) -> &'a str {
    // The operators are ASCII: the first byte tells (a byte match, not a search of the
    // operator list per expression).
    let operator = match expression.as_bytes().first() {
        Some(&byte @ (b'+' | b'#' | b'.' | b'/' | b';' | b'?' | b'&')) => Some(char::from(byte)),
        _ => None,
    };
    let name = if operator.is_some() { &expression[1..] } else { expression };
    let keep = match operator {
        Some('+') => Keep::PathReserved,
        Some('#') => Keep::Reserved,
        _ => Keep::Unreserved,
    };
    match operator {
        Some(prefix @ ('#' | '/' | '.')) => path.push(prefix),
        Some(op @ (';' | '?' | '&')) => {
            path.push(op);
            path.push_str(name);
            path.push('=');
        }
        _ => {}
    }
    let start = path.len();
    if let Some(value) = value {
        let _ = write!(path, "{value}");
    }
    if operator == Some(';') && path.len() == start {
        // `;name` without `=` for an empty value (RFC 6570).
        path.pop();
        return name;
    }
    encode_tail(path, start, keep);
    name
}

/// The byte range of the first segment of `path` that URL parsers resolve as `.` or `..`.
/// Only the path counts: scanning stops at `?` or `#`.
pub(crate) fn dot_segment(path: &str) -> Option<Range<usize>> {
    // Every request path is checked: most have neither `.` nor `%`, so none of their
    // segments can be a dot segment (each `contains` is a memchr-like search).
    if !path.contains('.') && !path.contains('%') {
        return None;
    }
    let mut start = 0;
    for (index, byte) in path.bytes().enumerate() {
        match byte {
            b'/' | b'\\' => {
                if is_dot_segment(&path[start..index]) {
                    return Some(start..index);
                }
                start = index + 1;
            }
            b'?' | b'#' => return is_dot_segment(&path[start..index]).then_some(start..index),
            _ => {}
        }
    }
    is_dot_segment(&path[start..]).then_some(start..path.len())
}

/// Whether `segment` is `.` or `..`, each dot possibly written `%2E` or `%2e` (the forms the
/// WHATWG URL standard resolves).
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    // One or two dots, each `.` or `%2E` in either case; nothing else. Checked on every
    // request path, so without allocating.
    let bytes = segment.as_bytes();
    let (mut dots, mut index) = (0, 0);
    while index < bytes.len() {
        match bytes[index] {
            b'.' => index += 1,
            b'%' if bytes.get(index + 1) == Some(&b'2') && bytes.get(index + 2).is_some_and(|e| e | 0x20 == b'e') => {
                index += 3
            }
            _ => return false,
        }
        dots += 1;
    }
    dots == 1 || dots == 2
}

/// The refusal of an untyped request path with a dot segment (see [`dot_segment`]).
pub(crate) fn refuse_dot_segment(path: &str) -> Option<String> {
    dot_segment(path).map(|segment| format!("path {path:?} has the segment {:?}, {DOT_SEGMENT_WHY}", &path[segment]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters RFC 6570 and RFC 3986 treat differently, one by one.
    const TRICKY: &str = "/?#%+~:@!$&'()*,;= é\"<>\\^`{|}[]";

    #[test]
    fn simple_expansion_keeps_only_unreserved() {
        assert_eq!(encode_path_segment("job-1_x.y~z"), "job-1_x.y~z");
        assert_eq!(
            encode_path_segment(TRICKY),
            "%2F%3F%23%25%2B~%3A%40%21%24%26%27%28%29%2A%2C%3B%3D%20%C3%A9%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D"
        );
        // A percent triplet is data here: encoded like any `%`.
        assert_eq!(encode_path_segment("a%2Fb"), "a%252Fb");
    }

    #[test]
    fn reserved_expansion_follows_rfc_6570() {
        assert_eq!(encode_reserved(TRICKY), "/?#%25+~:@!$&'()*,;=%20%C3%A9%22%3C%3E%5C%5E%60%7B%7C%7D[]");
        // Triplets (either case) pass through; a `%` without two hex digits after it does not.
        assert_eq!(encode_reserved("%2f%2F%zz%4%"), "%2f%2F%25zz%254%25");
        assert_eq!(encode_reserved("load-100%"), "load-100%25");
    }

    #[test]
    fn reserved_expansion_in_a_path_also_encodes_what_would_end_it() {
        assert_eq!(encode_path_reserved(TRICKY), "/%3F%23%25+~:@!$&'()*,;=%20%C3%A9%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D");
        assert_eq!(encode_path_reserved("projects/p/topics/load-100%"), "projects/p/topics/load-100%25");
        assert_eq!(encode_path_reserved("projects/p/topics/a%20b"), "projects/p/topics/a%20b");
    }

    #[test]
    fn the_table_keeps_what_rfc_6570_and_3986_keep() {
        const GEN_DELIMS: &[u8] = b":/?#[]@";
        const SUB_DELIMS: &[u8] = b"!$&'()*+,;=";
        for byte in 0..=255u8 {
            let unreserved = byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
            let sub_delim = SUB_DELIMS.contains(&byte);
            assert_eq!(Keep::Unreserved.byte(byte), unreserved, "{byte}");
            // In a path, of the gen-delims only `/`, `:` and `@` (the module's rules).
            assert_eq!(Keep::PathReserved.byte(byte), unreserved || sub_delim || b"/:@".contains(&byte), "{byte}");
            assert_eq!(Keep::Reserved.byte(byte), unreserved || sub_delim || GEN_DELIMS.contains(&byte), "{byte}");
        }
    }

    #[test]
    fn dot_segments_in_every_spelling() {
        for dot in [".", "..", "%2E", "%2e", ".%2E", "%2e.", "%2E%2e"] {
            assert!(is_dot_segment(dot), "{dot}");
        }
        for fine in ["", "...", "a.", ".a", "%2E%2E%2E", "%2", "%252E"] {
            assert!(!is_dot_segment(fine), "{fine}");
        }
        assert_eq!(dot_segment("b/x/o/.."), Some(6..8));
        assert_eq!(dot_segment("v1/a\\..\\b"), Some(5..7));
        assert_eq!(dot_segment("v1/a?x=/../"), None);
        assert_eq!(dot_segment("v1/a#/.."), None);
        assert_eq!(dot_segment("v1/..a/a../..."), None);
    }

    #[test]
    fn dot_segments_are_what_lowercasing_and_decoding_make_of_them() {
        // Every string of up to six of these bytes, against the plain definition.
        let alphabet = [".", "%", "2", "e", "E", "a", "/"];
        let mut strings = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> =
                strings.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            strings.extend(longer.into_iter().filter(|s| s.len() <= 6));
            strings.sort();
            strings.dedup();
        }
        for segment in &strings {
            let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
            assert_eq!(is_dot_segment(segment), decoded == "." || decoded == "..", "{segment:?}");
        }
    }

    #[test]
    fn expansion_names_the_parameter_of_a_dot_segment() {
        let whole = Expansion::new("b/{bucket}/o/{object}", &[&"my-bucket", &".."]);
        assert_eq!(whole.path, "b/my-bucket/o/..");
        assert!(whole.refused.unwrap().starts_with("path parameter `object` is \"..\", a dot segment"));

        let inner = Expansion::new("v1/{+name}:cancel", &[&"projects/p/../x"]);
        let refused = inner.refused.unwrap();
        assert!(refused.starts_with("path parameter `name` is \"projects/p/../x\": its segment \"..\""), "{refused}");
        assert!(Expansion::new("v1/{+name}", &[&"projects/%2e%2E/x"]).refused.is_some());
        assert!(Expansion::new("v1/{+name}", &[&"projects/p/."]).refused.is_some());

        // Dots inside a segment, or a dot value inside a longer segment, are names.
        for (template, value) in
            [("v1/{x}", "..."), ("v1/{x}.json", "a"), ("v1/{x}:run", ".."), ("v1/{+x}", "a/.b/c..")]
        {
            let expansion = Expansion::new(template, &[&value]);
            assert!(expansion.refused.is_none(), "{template} {value}: {:?}", expansion.refused);
        }
        // Simple expansion encodes `/`, so a value cannot bring a dot segment in with it.
        assert!(Expansion::new("v1/{x}", &[&"a/../b"]).refused.is_none());
        // The segment may be the parameter and a literal together.
        assert!(Expansion::new("v1/{x}.", &[&"."])
            .refused
            .unwrap()
            .starts_with("path parameter `x` is \".\": its segment \"..\""));
    }

    #[test]
    fn operators_expand_with_their_prefixes() {
        let path = expand_path(
            "v1/{name}{/extra}{.dot}/x{;semi}{;none}{?query}{&amp}{#frag}",
            &[&"a b", &"c/d", &"e", &"f", &"", &"g&h", &"i", &"j?k"],
        );
        assert_eq!(path, "v1/a%20b/c%2Fd.e/x;semi=f;none?query=g%26h&amp=i#j?k");
    }

    #[test]
    fn values_encoded_in_place_are_encoded_as_on_their_own() {
        // Plain values, and values plain up to a byte to encode or a triplet (the table's run
        // then the full rule).
        let mixed = ["projects/p/topics/a%2Fb c", "projects/p/x%", "projects/p/é", "p/q%41%zz?"];
        for value in
            [TRICKY, "projects/p/locations/us", "a%2", "%zz", "100%", "a%2fb", "é", ""].into_iter().chain(mixed)
        {
            assert_eq!(expand_path("{+x}", &[&value]), encode_path_reserved(value), "{value}");
            assert_eq!(expand_path("{x}", &[&value]), encode_path_segment(value), "{value}");
            assert_eq!(expand_path("{#x}", &[&value]), format!("#{}", encode_reserved(value)), "{value}");
            assert_eq!(expand_path("v1/{+x}:run", &[&value]), format!("v1/{}:run", encode_path_reserved(value)));
        }
        assert_eq!(expand_path("v1/{x}/{y}", &[&"a"]), "v1/a/", "a missing value is empty");
    }

    #[test]
    fn untyped_paths_are_checked_whole() {
        assert!(refuse_dot_segment("v1/projects/p").is_none());
        let refused = refuse_dot_segment("b/my-bucket/o/%2E%2E").unwrap();
        assert!(
            refused.starts_with("path \"b/my-bucket/o/%2E%2E\" has the segment \"%2E%2E\", a dot segment"),
            "{refused}"
        );
    }
}
