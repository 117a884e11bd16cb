//! Field rows: how a property of a dereferenced schema is shown on a page.

use indexmap::IndexMap;

use super::deref::RefDescriptions;
use super::profile::Profile;
use crate::ir::Schema;

/// A property as StackQL sees it after dereferencing: a `$ref` is merged with its target.
#[derive(Debug, Clone, Copy)]
pub struct FieldView<'a> {
    pub name: &'a str,
    pub json_type: Option<&'a str>,
    pub format: Option<&'a str>,
    pub description: Option<&'a str>,
    pub read_only: bool,
    /// The schema whose `properties`, `items`, enum and default this view exposes.
    pub shape: &'a Schema,
    /// String-valued keys other than type, format and description, in key order (the
    /// reference's own first unless the target won; see [`RefDescriptions`]).
    annotations: [Option<(&'static str, &'a str)>; 6],
}

impl<'a> FieldView<'a> {
    /// `type (format)`, e.g. `string (google-datetime)`.
    pub fn datatype(&self) -> String {
        match self.format {
            Some(format) => format!("{} ({format})", self.json_type.unwrap_or("")),
            None => self.json_type.unwrap_or("").to_owned(),
        }
    }

    /// The one-line description of a field table: newlines become spaces, and string-valued
    /// keys such as a `$ref` target's `id` are appended as ` (id: X)`.
    /// With `enums` (StackQL's current format and the clean profile), enum values follow as
    /// ` (A, B, C)`.
    pub fn table_description(&self, enums: bool) -> String {
        let mut text = self.description.unwrap_or("").replace('\n', " ");
        if enums && !self.shape.enum_values.is_empty() {
            let values: Vec<&str> = self.shape.enum_values.iter().map(|v| v.value.as_str()).collect();
            text.push_str(&format!(" ({})", values.join(", ")));
        }
        let annotations: Vec<String> =
            self.annotations.iter().flatten().map(|(key, value)| format!("{key}: {value}")).collect();
        if !annotations.is_empty() {
            text.push_str(&format!(" ({})", annotations.join(", ")));
        }
        text
    }

    /// True for types StackQL writes without quotes in SQL examples.
    pub fn is_unquoted(&self) -> bool {
        matches!(self.json_type, Some("number" | "integer" | "boolean"))
    }
}

fn own_annotations(schema: &Schema) -> [Option<(&'static str, &str)>; 3] {
    [
        schema.id.as_deref().map(|v| ("id", v)),
        schema.pattern.as_deref().map(|v| ("pattern", v)),
        schema.default.as_deref().map(|v| ("default", v)),
    ]
}

fn merged_annotations<'a>(first: &'a Schema, second: &'a Schema) -> [Option<(&'static str, &'a str)>; 6] {
    let first = own_annotations(first);
    let mut merged = [None; 6];
    merged[..3].copy_from_slice(&first);
    for (slot, extra) in merged[3..].iter_mut().zip(own_annotations(second)) {
        *slot = extra.filter(|(key, _)| !first.iter().flatten().any(|(k, _)| k == key));
    }
    merged
}

static NO_ANNOTATIONS: Schema = Schema {
    id: None,
    reference: None,
    json_type: None,
    format: None,
    scalar: None,
    description: None,
    properties: Vec::new(),
    items: None,
    additional_properties: None,
    enum_values: Vec::new(),
    read_only: false,
    deprecated: false,
    pattern: None,
    default: None,
    nullable: false,
    required: Vec::new(),
    all_of: Vec::new(),
    one_of: Vec::new(),
    any_of: Vec::new(),
    discriminator: None,
};

/// Resolves properties of named or inline schemas into [`FieldView`]s.
pub struct Resolver<'a> {
    pub schemas: &'a IndexMap<String, Schema>,
    pub refs: &'a RefDescriptions,
}

impl<'a> Resolver<'a> {
    /// The schema a value stands for: its `$ref` target, or itself.
    pub fn target(&self, schema: &'a Schema) -> &'a Schema {
        schema.reference.as_deref().and_then(|name| self.schemas.get(name)).unwrap_or(schema)
    }

    /// The views of all properties of `schema` (after following a `$ref`), in schema order.
    pub fn properties(&self, schema: &'a Schema) -> Vec<FieldView<'a>> {
        let owner = self.target(schema);
        owner
            .properties
            .iter()
            .enumerate()
            .map(|(index, property)| self.view(owner, index, &property.name, &property.schema))
            .collect()
    }

    fn view(&self, owner: &'a Schema, index: usize, name: &'a str, property: &'a Schema) -> FieldView<'a> {
        let target = self.target(property);
        if std::ptr::eq(target, property) {
            return FieldView {
                name,
                json_type: property.json_type.as_deref(),
                format: property.format.as_deref(),
                description: property.description.as_deref(),
                read_only: property.read_only,
                shape: property,
                annotations: merged_annotations(property, &NO_ANNOTATIONS),
            };
        }
        let (description, annotations) = if !property.is_ref_with_siblings() {
            (target.description.as_deref(), merged_annotations(target, property))
        } else if self.refs.target_wins(owner, index) {
            (target.description.as_deref().or(property.description.as_deref()), merged_annotations(target, property))
        } else {
            (property.description.as_deref().or(target.description.as_deref()), merged_annotations(property, target))
        };
        FieldView {
            name,
            json_type: target.json_type.as_deref(),
            format: target.format.as_deref(),
            description,
            read_only: property.read_only || target.read_only,
            shape: target,
            annotations,
        }
    }
}

/// StackQL's field order: `id`/`name`, then `*_id`, then `*_name`, then the rest, each group
/// sorted like JavaScript's default sort (by UTF-16 code unit, so upper case first).
pub fn sort_fields(fields: &mut [FieldView<'_>]) {
    fields.sort_by(|a, b| field_order(a.name, b.name));
}

pub fn field_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn group(name: &str) -> u8 {
        match name {
            "id" | "name" => 0,
            _ if name.ends_with("_id") => 1,
            _ if name.ends_with("_name") => 2,
            _ => 3,
        }
    }
    group(a).cmp(&group(b)).then_with(|| js_string_order(a, b))
}

/// JavaScript's default string comparison: by UTF-16 code unit.
pub fn js_string_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Text escaped for MDX. StackQL quirk: `sanitizeHtml` escapes everywhere, also inside
/// backtick code spans and bare URLs, where MDX shows the entities literally
/// (`projects/&#123;project&#125;`). The clean profile leaves code spans as they are, since MDX
/// reads nothing inside them, and keeps URL templates from becoming links (see `unlink`).
pub fn escape(text: &str, profile: Profile) -> String {
    if profile.is_stackql() {
        return sanitize(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut plain = 0;
    let mut at = 0;
    while let Some(offset) = text[at..].find('`') {
        let start = at + offset;
        let run = text[start..].bytes().take_while(|b| *b == b'`').count();
        let escaped = text[..start].ends_with('\\');
        match (!escaped).then(|| closing_run(text, start + run, run)).flatten() {
            Some(end) => {
                out.push_str(&unlink_and_sanitize(&text[plain..start]));
                out.push_str(&text[start..end]);
                plain = end;
                at = end;
            }
            None => at = start + run,
        }
    }
    out.push_str(&unlink_and_sanitize(&text[plain..]));
    out
}

/// Google's descriptions link to its documentation root-relatively (`[network](/compute/docs/
/// networks-and-firewalls#networks)`), which points nowhere on a doc site. The clean profile
/// makes every root-relative link target absolute on `origin` (the scheme and host of the
/// service's documentation link: `https://cloud.google.com` for aiplatform,
/// `https://developers.google.com` for Drive); without one, a `/<product>/docs...` target on
/// `https://cloud.google.com` and a `/workspace/...` one on `https://developers.google.com`.
/// The pages' own links (`/services/...`) stay.
pub fn absolute_links<'t>(text: &'t str, origin: Option<&str>) -> std::borrow::Cow<'t, str> {
    const CLOUD: &str = "https://cloud.google.com";
    const DEVELOPERS: &str = "https://developers.google.com";
    let is_doc_path = |target: &str| {
        let target = &target[..target.find([')', ' ']).unwrap_or(target.len())];
        let mut segments = target[1..].splitn(3, '/');
        let product = segments.next().unwrap_or_default();
        !product.is_empty()
            && product.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && segments
                .next()
                .is_some_and(|docs| docs == "docs" || docs.starts_with("docs#") || docs.starts_with("docs?"))
    };
    if !text.contains("](/") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find("](/") {
        let target = &rest[at + 2..];
        out.push_str(&rest[..at + 2]);
        // `//host/...` is protocol-relative, not root-relative.
        if !target.starts_with("/services/") && !target.starts_with("//") {
            match origin {
                Some(origin) => out.push_str(origin),
                None if target.starts_with("/workspace/") => out.push_str(DEVELOPERS),
                None if is_doc_path(target) => out.push_str(CLOUD),
                None => {}
            }
        }
        rest = target;
    }
    out.push_str(rest);
    out.into()
}

/// `https://host` of an `https://host/...` documentation link.
pub fn link_origin(link: &str) -> Option<&str> {
    let after = link.strip_prefix("https://")?;
    let host = after.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| &link[.."https://".len() + host.len()])
}

fn unlink_and_sanitize(text: &str) -> String {
    text.split_inclusive(char::is_whitespace).map(unlink).map(|piece| sanitize(&piece)).collect()
}

/// A bare URL (GFM autolink literal) keeps its text raw, so an entity in it shows literally;
/// a URL template such as `https://x/v1/{name}` cannot be written as a link at all. Writing
/// its `:` (or the `.` of `www.`) as an entity stops it being a link: it shows as the text
/// it is. URLs without braces or angle brackets stay links.
fn unlink(word: &str) -> std::borrow::Cow<'_, str> {
    let start = ["https://", "http://", "www."].iter().filter_map(|scheme| word.find(scheme)).min();
    match start {
        Some(start) if word[start..].contains(['{', '}', '<', '>']) => {
            let (separator, entity) = if word[start..].starts_with("www.") { (".", "&#46;") } else { (":", "&#58;") };
            let at = start + word[start..].find(separator).unwrap_or(0);
            format!("{}{entity}{}", &word[..at], &word[at + 1..]).into()
        }
        _ => word.into(),
    }
}

/// The end of the backtick run of exactly `run` backticks that closes a code span opened
/// before `from` (CommonMark), within the paragraph.
pub(super) fn closing_run(text: &str, from: usize, run: usize) -> Option<usize> {
    let paragraph_end = find_blank_line(&text[from..]).map_or(text.len(), |end| from + end);
    let mut at = from;
    while let Some(offset) = text[at..paragraph_end].find('`') {
        let start = at + offset;
        let length = text[start..paragraph_end].bytes().take_while(|b| *b == b'`').count();
        if length == run {
            return Some(start + length);
        }
        at = start + length;
    }
    None
}

/// Where the first `\n\n` in `text` starts: memchr's vector search, since `str::find` built a
/// substring searcher and read every byte at several instructions a byte for each code span
/// of a page (issue 27).
fn find_blank_line(text: &str) -> Option<usize> {
    memchr::memmem::find(text.as_bytes(), b"\n\n")
}

/// StackQL's `sanitizeHtml`: braces and angle brackets become entities so MDX does not read
/// them as JSX; `&` and quotes are left alone.
pub fn sanitize(text: &str) -> String {
    // One pass over the bytes (every character replaced is ASCII), copying the runs between
    // them whole: a `chars()` loop and a `replace` over the result cost a third of a page's
    // rendering (issue 27).
    let mut out = String::with_capacity(text.len() + 16);
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'{' => "&#123;",
            b'}' => "&#125;",
            b'>' => "&gt;",
            b'<' => "&lt;",
            b'_' => {
                out.push_str(&text[plain..at]);
                plain = at;
                if !is_emphasis_underscore(&out, &text[at + 1..]) {
                    continue;
                }
                "&#95;"
            }
            _ => continue,
        };
        out.push_str(&text[plain..at]);
        out.push_str(entity);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
    out
}

/// Whether a `_` between `written` (the escaped text before it) and `rest` (the text after it,
/// not yet escaped) sits in `&#125;_&#123;`: `}_{` would otherwise read as emphasis in MDX.
/// The entities on either side may come from a brace or be written as such in the text (as
/// StackQL's replace over the escaped text sees it).
fn is_emphasis_underscore(written: &str, rest: &str) -> bool {
    written.ends_with("&#125;") && (rest.starts_with('{') || rest.starts_with("&#123;"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_braces_and_angle_brackets_only() {
        assert_eq!(sanitize("a {b} <c> & \"d\""), "a &#123;b&#125; &lt;c&gt; & \"d\"");
        assert_eq!(sanitize("{x}_{y}"), "&#123;x&#125;&#95;&#123;y&#125;");
        // As StackQL's replace over the escaped text: entities written in the text count.
        assert_eq!(
            sanitize("}_&#123; &#125;_{ &#125;_&#123; }__{ _{"),
            "&#125;&#95;&#123; &#125;&#95;&#123; &#125;&#95;&#123; &#125;__&#123; _&#123;"
        );
    }

    #[test]
    fn clean_escaping_leaves_code_spans_alone() {
        let text = "Format: `projects/{p}/x` and {y} <z> ``a`b{c}`` `open {d}";
        assert_eq!(escape(text, Profile::Stackql), sanitize(text));
        assert_eq!(
            escape(text, Profile::Clean),
            "Format: `projects/{p}/x` and &#123;y&#125; &lt;z&gt; ``a`b{c}`` `open &#123;d&#125;"
        );
        // An escaped backtick opens nothing; a span does not cross a blank line.
        assert_eq!(escape("\\`{a}` x", Profile::Clean), "\\`&#123;a&#125;` x");
        assert_eq!(escape("`{a}\n\n{b}`", Profile::Clean), "`&#123;a&#125;\n\n&#123;b&#125;`");
    }

    #[test]
    fn root_relative_links_become_absolute() {
        let text = "See [n](/compute/docs/networks#a), [o](/vertex-ai/docs), [p](/apis/design), [d](/workspace/drive/api/guides/search-files), [s](/services/x/y/) and [q](https://x.com/a).";
        assert_eq!(
            absolute_links(text, None),
            "See [n](https://cloud.google.com/compute/docs/networks#a), [o](https://cloud.google.com/vertex-ai/docs), [p](/apis/design), [d](https://developers.google.com/workspace/drive/api/guides/search-files), [s](/services/x/y/) and [q](https://x.com/a)."
        );
        assert_eq!(
            absolute_links(
                "[p](/apis/design) [s](/services/x/)",
                link_origin("https://developers.google.com/display-video/")
            ),
            "[p](https://developers.google.com/apis/design) [s](/services/x/)"
        );
        assert_eq!(link_origin("https://cloud.google.com/vertex-ai/"), Some("https://cloud.google.com"));
        assert_eq!(link_origin("http://x.com/"), None);
    }

    #[test]
    fn clean_escaping_keeps_url_templates_from_becoming_links() {
        assert_eq!(
            escape("See https://x.com/v1/{name } or www.x.com/{a} or https://x.com/ok.", Profile::Clean),
            "See https&#58;//x.com/v1/&#123;name &#125; or www&#46;x.com/&#123;a&#125; or https://x.com/ok."
        );
    }

    #[test]
    fn fields_order_name_then_suffix_groups_then_code_units() {
        let mut names = vec!["zeta", "Alpha", "user_name", "name", "alpha", "row_id", "id", "createTime"];
        names.sort_by(|a, b| field_order(a, b));
        assert_eq!(names, ["id", "name", "row_id", "user_name", "Alpha", "alpha", "createTime", "zeta"]);
    }

    #[test]
    fn js_order_compares_utf16_code_units() {
        // U+FF5E (one unit) sorts after U+1F600 (surrogate pair starting 0xD83D) in JS.
        assert_eq!(js_string_order("\u{1F600}", "\u{FF5E}"), std::cmp::Ordering::Less);
    }
}
