//! MDX brace escaping, the post-processing StackQL's docs repository applies to every page of
//! its current format: outside the frontmatter, `<CodeBlock ...>...</CodeBlock>` components,
//! fenced code blocks, inline code spans and JSX/HTML tags, `{` becomes `&#123;` and `}`
//! becomes `&#125;`; inside a CodeBlock's template literal the escaping is normalised.

use super::fields::closing_run;

/// A CodeBlock's template-literal text: a backslash escapes the next character (so an escape
/// written already is read as the character), then `\` -> `\\`, backtick -> `` \` `` and
/// `${` -> `\${`.
pub fn code_block_literal(text: &str) -> String {
    // Bytes, not chars: every character looked at is ASCII, and a UTF-8 continuation byte is
    // never one of them, so the runs between them are copied whole.
    let mut plain = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let (mut at, mut start) = (0, 0);
    while at < bytes.len() {
        if bytes[at] == b'\\' {
            // Drop the backslash, keep the character after it whatever it is.
            plain.push_str(&text[start..at]);
            start = at + 1;
            at += 2;
        } else {
            at += 1;
        }
    }
    plain.push_str(&text[start.min(text.len())..]);
    let mut out = String::with_capacity(plain.len() + 16);
    let mut start = 0;
    for (at, byte) in plain.bytes().enumerate() {
        let escaped = match byte {
            b'\\' => "\\\\",
            b'`' => "\\`",
            b'$' if plain.as_bytes().get(at + 1) == Some(&b'{') => "\\$",
            _ => continue,
        };
        out.push_str(&plain[start..at]);
        out.push_str(escaped);
        start = at + 1;
    }
    out.push_str(&plain[start..]);
    out
}

/// Escapes the braces of a whole page (see the module documentation).
pub fn escape_braces(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + 64);
    let mut rest = page;
    // Frontmatter: the first line is `---` (StackQL writes `--- ` on resource pages).
    if rest.starts_with("---") {
        let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let body = &rest[first_end..];
        let close = body
            .match_indices("---")
            .find(|(at, _)| *at == 0 || body.as_bytes()[at - 1] == b'\n')
            .map(|(at, _)| first_end + at + 3);
        let end = close.unwrap_or(rest.len());
        out.push_str(&rest[..end]);
        rest = &rest[end..];
    }
    let mut text = String::new();
    let mut lines = rest.split_inclusive('\n');
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("```") {
            out.push_str(&escape_inline(&std::mem::take(&mut text)));
            out.push_str(line);
            for inner in lines.by_ref() {
                out.push_str(inner);
                if inner.trim_start().starts_with("```") {
                    break;
                }
            }
        } else if let Some(start) = find_tag(line, "<CodeBlock") {
            text.push_str(&line[..start]);
            out.push_str(&escape_inline(&std::mem::take(&mut text)));
            // The block runs to its closing tag, which is on one line: searched for once in
            // the rest of the page, not line by line (manifests run to hundreds of lines).
            let block = offset_in(rest, line) + start;
            match rest[block..].find("</CodeBlock>") {
                Some(close) => {
                    let end = block + close + "</CodeBlock>".len();
                    let line_end = rest[end..].find('\n').map_or(rest.len(), |at| end + at + 1);
                    out.push_str(&rest[block..end]);
                    text.push_str(&rest[end..line_end]);
                    lines = rest[line_end..].split_inclusive('\n');
                }
                None => {
                    out.push_str(&rest[block..]);
                    lines = rest[rest.len()..].split_inclusive('\n');
                }
            }
        } else {
            text.push_str(line);
        }
    }
    out.push_str(&escape_inline(&text));
    out
}

/// Braces outside code spans and tags.
fn escape_inline(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    let mut plain = 0;
    // From one backtick or `<` to the next (memchr's vector search), not byte by byte.
    while let Some(offset) = memchr::memchr2(b'`', b'<', &bytes[at..]) {
        at += offset;
        match bytes[at] {
            b'`' => {
                let run = bytes[at..].iter().take_while(|b| **b == b'`').count();
                match closing_run(text, at + run, run) {
                    Some(end) => {
                        push_braces(&mut out, &text[plain..at]);
                        out.push_str(&text[at..end]);
                        plain = end;
                        at = end;
                    }
                    None => at += run,
                }
            }
            b'<' if bytes.get(at + 1).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!') => {
                match memchr::memchr(b'>', &bytes[at..]) {
                    Some(offset) => {
                        push_braces(&mut out, &text[plain..at]);
                        out.push_str(&text[at..at + offset + 1]);
                        at += offset + 1;
                        plain = at;
                    }
                    None => at += 1,
                }
            }
            _ => at += 1,
        }
    }
    push_braces(&mut out, &text[plain..]);
    out
}

/// `text` onto `out` with `{` as `&#123;` and `}` as `&#125;`.
fn push_braces(out: &mut String, text: &str) {
    // memchr's search for either brace: `find(['{', '}'])` decodes every character.
    let mut plain = 0;
    for at in memchr::memchr2_iter(b'{', b'}', text.as_bytes()) {
        out.push_str(&text[plain..at]);
        out.push_str(if text.as_bytes()[at] == b'{' { "&#123;" } else { "&#125;" });
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
}

/// Where `tag` (which starts with `<`) first starts in `text`: checked at each `<` (found by
/// memchr), since a substring searcher built for every line cost more than the search.
fn find_tag(text: &str, tag: &str) -> Option<usize> {
    memchr::memchr_iter(b'<', text.as_bytes()).find(|at| text[*at..].starts_with(tag))
}

/// Where `part`, a slice of `whole`, starts in it.
fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_block_literal_normalises_escapes() {
        assert_eq!(code_block_literal("a `b` ${c} \\`d\\` \\\\e"), "a \\`b\\` \\${c} \\`d\\` \\\\e");
        assert_eq!(code_block_literal("\\é\\\\ü $ $\\{ \\"), "é\\\\ü $ \\${ ");
    }

    #[test]
    fn braces_escaped_outside_code_tags_and_frontmatter() {
        let page = "--- \ntitle: {x}\n---\n\n<Tabs values={[{ a: 1 }]}\n>\ntext {a} `b {c}` <td>{d}</td>\n```sql\n{{ e }}\n```\n<CodeBlock language=\"yaml\">{`{{ f }}\n`}</CodeBlock>\n{g}\n";
        assert_eq!(
            escape_braces(page),
            "--- \ntitle: {x}\n---\n\n<Tabs values={[{ a: 1 }]}\n>\ntext &#123;a&#125; `b {c}` <td>&#123;d&#125;</td>\n```sql\n{{ e }}\n```\n<CodeBlock language=\"yaml\">{`{{ f }}\n`}</CodeBlock>\n&#123;g&#125;\n"
        );
    }
}
