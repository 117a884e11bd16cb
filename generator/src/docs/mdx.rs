//! MDX brace escaping, the post-processing StackQL's docs repository applies to every page of
//! its current format: outside the frontmatter, `<CodeBlock ...>...</CodeBlock>` components,
//! fenced code blocks, inline code spans and JSX/HTML tags, `{` becomes `&#123;` and `}`
//! becomes `&#125;`; inside a CodeBlock's template literal the escaping is normalised.

use super::fields::closing_run;

/// A CodeBlock's template-literal text: a backslash escapes the next character (so an escape
/// written already is read as the character), then `\` -> `\\`, backtick -> `` \` `` and
/// `${` -> `\${`.
pub fn code_block_literal(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                plain.push(next);
            }
        } else {
            plain.push(c);
        }
    }
    let mut out = String::with_capacity(plain.len() + 16);
    let mut chars = plain.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            _ => out.push(c),
        }
    }
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
        } else if let Some(start) = line.contains('<').then(|| line.find("<CodeBlock")).flatten() {
            text.push_str(&line[..start]);
            out.push_str(&escape_inline(&std::mem::take(&mut text)));
            let mut block = line[start..].to_owned();
            // The closing tag is on one line: look for it in each line as it is added, not in
            // the whole block again (manifests run to hundreds of lines).
            let mut closed = block.contains("</CodeBlock>");
            while !closed {
                match lines.next() {
                    Some(inner) => {
                        closed = inner.contains("</CodeBlock>");
                        block.push_str(inner);
                    }
                    None => break,
                }
            }
            let end = block.find("</CodeBlock>").map_or(block.len(), |at| at + "</CodeBlock>".len());
            out.push_str(&block[..end]);
            text.push_str(&block[end..]);
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
    while at < bytes.len() {
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
                match text[at..].find('>') {
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
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        out.push_str(if rest.as_bytes()[at] == b'{' { "&#123;" } else { "&#125;" });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_block_literal_normalises_escapes() {
        assert_eq!(code_block_literal("a `b` ${c} \\`d\\` \\\\e"), "a \\`b\\` \\${c} \\`d\\` \\\\e");
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
