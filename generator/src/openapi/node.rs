//! Walking a parsed OpenAPI document: values with the JSON pointer that reached them, typed
//! look-ups that refuse a wrong type naming the place, and local `$ref` resolution.

use std::borrow::Cow;

use super::tree::{Object, Tree as Value};

use crate::error::{Error, Result};

/// How many `$ref`s in a row may be followed before the chain counts as a loop.
const MAX_REF_HOPS: usize = 64;

/// A value of the document. Its JSON pointer (`#/paths/~1v1~1{name}/get`) is found only when
/// an error or warning names it ([`Node::path`]): a value lives at one place in the tree, so
/// its address says where it is, and the lowering, which reads a node for every member it
/// looks at, builds no pointer string for each (issue 27: 13 M instructions of the spec path).
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    pub value: &'a Value<'a>,
    /// The whole document, searched for `value` by [`Node::path`].
    root: &'a Value<'a>,
}

impl<'a> Node<'a> {
    /// The node of `value`, a value of the document `root`.
    pub fn new(root: &'a Value<'a>, value: &'a Value<'a>) -> Self {
        Node { value, root }
    }

    /// Another value of the same document.
    pub fn at(&self, value: &'a Value<'a>) -> Self {
        Node { value, root: self.root }
    }

    /// The JSON pointer of the value: `#`, then each key (escaped) or index on the way to it
    /// from the root. A search of the whole tree, so for errors and warnings only.
    pub fn path(&self) -> String {
        let mut path = "#".to_owned();
        if !find(self.root, self.value, &mut path) {
            // Not a value of the document (no reader builds one): the root is all it can say.
            path.truncate(1);
        }
        path
    }
}

/// Whether `target` is `value` or inside it; if so `path` has its pointer segments appended.
fn find(value: &Value<'_>, target: &Value<'_>, path: &mut String) -> bool {
    if std::ptr::eq(value, target) {
        return true;
    }
    let len = path.len();
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter() {
                path.push('/');
                path.push_str(&escape(key));
                if find(member, target, path) {
                    return true;
                }
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                use std::fmt::Write;
                let _ = write!(path, "/{i}");
                if find(item, target, path) {
                    return true;
                }
                path.truncate(len);
            }
        }
        _ => {}
    }
    false
}

/// The member `key` of an object value; `None` for anything else, as `Value::get`.
pub fn member<'v, 'a>(value: &'v Value<'a>, key: &str) -> Option<&'v Value<'a>> {
    value.get(key)
}

/// `key` as one JSON pointer segment (`/` is `~1`, `~` is `~0`).
pub fn escape(key: &str) -> std::borrow::Cow<'_, str> {
    // Bytes, not `contains(['~', '/'])`, whose search decodes every character.
    if key.bytes().any(|b| b == b'~' || b == b'/') {
        key.replace('~', "~0").replace('/', "~1").into()
    } else {
        key.into()
    }
}

/// The key a JSON pointer segment escapes, [`escape`] undone (`~1` is `/`, `~0` is `~`);
/// `None` for a segment no key escapes to (a bare `/`, a `~` before anything but `0` or `1`),
/// so that a segment and a key match exactly when the key escapes to the segment.
pub fn unescape(segment: &str) -> Option<std::borrow::Cow<'_, str>> {
    if segment.contains('/') {
        return None;
    }
    if !segment.contains('~') {
        return Some(segment.into());
    }
    let mut key = String::with_capacity(segment.len());
    let mut chars = segment.chars();
    while let Some(c) = chars.next() {
        match c {
            '~' => key.push(match chars.next()? {
                '0' => '~',
                '1' => '/',
                _ => return None,
            }),
            c => key.push(c),
        }
    }
    Some(key.into())
}

/// The pointer of the member `key` of `node`, for an error about a member read without a
/// node of its own (a missing or mistyped one).
pub fn child_path(node: Node<'_>, key: &str) -> String {
    let mut path = node.path();
    path.push('/');
    path.push_str(&escape(key));
    path
}

/// The document being read: the file name for errors and the root for `$ref`s.
pub struct Reader<'a> {
    pub file: &'a str,
    pub root: &'a Value<'a>,
}

impl<'a> Reader<'a> {
    pub fn node(&self) -> Node<'a> {
        Node::new(self.root, self.root)
    }

    pub fn error(&self, path: &str, message: impl Into<String>) -> Error {
        Error::invalid(self.file, path, message)
    }

    /// The member `key` of an object node, if present.
    pub fn get(&self, node: &Node<'a>, key: &str) -> Option<Node<'a>> {
        member(node.value, key).map(|value| node.at(value))
    }

    /// The member `key`, which must be an object when present; its entries with their nodes.
    pub fn object(&self, node: &Node<'a>, key: &str) -> Result<Vec<(&'a str, Node<'a>)>> {
        match self.get(node, key) {
            None => Ok(Vec::new()),
            Some(child) => self.entries(&child),
        }
    }

    /// The entries of an object node.
    pub fn entries(&self, node: &Node<'a>) -> Result<Vec<(&'a str, Node<'a>)>> {
        let map: &'a Object<'a> = node
            .value
            .as_object()
            .ok_or_else(|| self.error(&node.path(), format!("expected an object, found {}", kind(node.value))))?;
        Ok(map.iter().map(|(key, value)| (key, node.at(value))).collect())
    }

    /// The member `key`, which must be an array when present.
    pub fn array(&self, node: &Node<'a>, key: &str) -> Result<Vec<Node<'a>>> {
        let Some(child) = self.get(node, key) else { return Ok(Vec::new()) };
        let items = child
            .value
            .as_array()
            .ok_or_else(|| self.error(&child.path(), format!("expected an array, found {}", kind(child.value))))?;
        Ok(items.iter().map(|value| node.at(value)).collect())
    }

    /// The member `key`, which must be a string when present.
    pub fn string(&self, node: &Node<'a>, key: &str) -> Result<Option<&'a str>> {
        match member(node.value, key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.as_ref())),
            Some(other) => {
                Err(self.error(&child_path(*node, key), format!("expected a string, found {}", kind(other))))
            }
        }
    }

    /// The member `key`, which must be a boolean when present.
    pub fn boolean(&self, node: &Node<'a>, key: &str) -> Result<Option<bool>> {
        match member(node.value, key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(other) => {
                Err(self.error(&child_path(*node, key), format!("expected true or false, found {}", kind(other))))
            }
        }
    }

    /// The node an object's `$ref` points to (following chains), or the node itself. Only
    /// references inside the document are read.
    pub fn resolve(&self, node: Node<'a>) -> Result<Node<'a>> {
        let start = node;
        let mut current = node;
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = member(current.value, "$ref") else { return Ok(current) };
            let at = move || child_path(current, "$ref");
            let reference = reference.as_str().ok_or_else(|| self.error(&at(), "expected a string"))?;
            current = self.target(at, reference)?;
        }
        Err(self.error(&start.path(), format!("more than {MAX_REF_HOPS} $refs in a row (a reference loop?)")))
    }

    /// The node a local reference (`#/components/...`) names; `at` gives the pointer of where
    /// it was written, for an error.
    pub fn target(&self, at: impl Fn() -> String, reference: &str) -> Result<Node<'a>> {
        self.locate(at, reference).map(|(node, _)| node)
    }

    /// [`Reader::target`], and the reference's pointer as it names the node, without its `#`
    /// (percent-decoded: `/components/schemas/A/properties/b`).
    pub fn locate<'r>(&self, at: impl Fn() -> String, reference: &'r str) -> Result<(Node<'a>, Cow<'r, str>)> {
        let Some(pointer) = reference.strip_prefix('#') else {
            return Err(
                self.error(&at(), format!("$ref {reference:?} points outside the document, which is not supported"))
            );
        };
        // A fragment is URI-encoded: `{` in a path key is often written `%7B`.
        let decoded = percent_decode(pointer);
        let value = self
            .root
            .pointer(&decoded)
            .ok_or_else(|| self.error(&at(), format!("$ref {reference:?} names nothing in the document")))?;
        Ok((Node::new(self.root, value), decoded))
    }
}

/// `%XX` escapes of a URI fragment decoded (as UTF-8); anything else, malformed escapes
/// included, is kept as written.
pub fn percent_decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('%') {
        return text.into();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, ..) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or_else(|_| text.into(), Into::into)
}

/// The JSON type of a value, for messages.
pub fn kind(value: &Value<'_>) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value as the IR keeps it: a string as written, anything else as JSON text.
pub fn text(value: &Value<'_>) -> String {
    match value {
        Value::String(text) => text.as_ref().to_owned(),
        other => other.to_string(),
    }
}

/// Non-empty, and only letters, digits, `_`, `-` and the characters in `extra`: the Discovery
/// reader's rule for names that end up in page anchors, table cells and Rust identifiers.
pub fn is_word(text: &str, extra: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || extra.contains(c))
}

#[cfg(test)]
mod tests {
    use super::{escape, unescape};

    #[test]
    fn unescape_undoes_escape_and_refuses_what_no_key_escapes_to() {
        for key in ["plain", "/v1/{name}", "a~b", "~1/~0", "é~/"] {
            assert_eq!(unescape(&escape(key)).as_deref(), Some(key));
        }
        for segment in ["a/b", "~", "~2", "x~"] {
            assert_eq!(unescape(segment), None, "{segment}");
        }
    }
}
