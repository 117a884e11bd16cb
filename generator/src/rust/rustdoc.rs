//! Turning Discovery descriptions into rustdoc that renders cleanly and never warns.
//!
//! Descriptions are Markdown-ish text written for protobuf docs. Rustdoc would read `[name]`
//! as an intra-doc link, `<tag>` as HTML, bare URLs as lint targets and code fences or indented
//! blocks as doctests. Outside code spans those are escaped; fences become ```` ```text ````.

/// Rustdoc lines (without the `///`) for a description.
pub fn lines(description: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in description.lines() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") {
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_owned());
        } else {
            // A line right after a list item, not an item itself, would continue the item
            // (Markdown's lazy continuation, which clippy flags); in these descriptions, one
            // line per paragraph, it is the next paragraph.
            // Leading indentation would turn into an indented (doctest) code block.
            let line = escape_line(trimmed.trim_end());
            let after_item = out.last().is_some_and(|last| is_list_item(last));
            if after_item && !line.is_empty() && !is_list_item(&line) {
                out.push(String::new());
            }
            out.push(line);
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Whether a (trimmed) line starts a Markdown list item: `- `, `* `, `+ `, `1. ` or `1) `.
fn is_list_item(line: &str) -> bool {
    if ["- ", "* ", "+ "].iter().any(|bullet| line.starts_with(bullet)) {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// Escapes one line outside `code spans`.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    loop {
        match rest.find('`') {
            Some(start) => {
                let (plain, tail) = rest.split_at(start);
                out.push_str(&escape_plain(plain));
                let ticks = tail.len() - tail.trim_start_matches('`').len();
                let fence = &tail[..ticks];
                match tail[ticks..].find(fence) {
                    Some(end) => {
                        let span = &tail[..ticks + end + ticks];
                        out.push_str(span);
                        rest = &tail[span.len()..];
                    }
                    None => {
                        // An unmatched backtick: escape it so it does not open a span.
                        for _ in 0..ticks {
                            out.push_str("\\`");
                        }
                        rest = &tail[ticks..];
                    }
                }
            }
            None => {
                out.push_str(&escape_plain(rest));
                return out;
            }
        }
    }
}

/// Escapes brackets that are not part of a Markdown link `[text](url)`, HTML-ish angle
/// brackets, and wraps bare URLs in `<...>`.
fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '[' => {
                if let Some(len) = markdown_link_len(&chars[i..]) {
                    out.extend(&chars[i..i + len]);
                    i += len;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_'
                if chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) && i > 0 && chars[i - 1].is_alphanumeric() =>
            {
                // `snake_case_words` and `a*b` inside words must not become emphasis.
                out.push('\\');
                out.push(c);
            }
            'h' if starts_with_url(&chars[i..]) => {
                let end = url_end(&chars, i);
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Length of `[text](http...)` at the start of `chars`, if it is one.
fn markdown_link_len(chars: &[char]) -> Option<usize> {
    // Link texts are short; bounding the search keeps text full of unclosed `[` linear.
    const MAX_LINK_TEXT: usize = 500;
    let close = chars.iter().take(MAX_LINK_TEXT).position(|&c| c == ']')?;
    if chars[1..close].contains(&'[') || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let target = &chars[close + 2..];
    if !starts_with_url(target) {
        return None;
    }
    let end = target.iter().take(MAX_LINK_TEXT * 4).position(|&c| c == ')' || c.is_whitespace())?;
    (target[end] == ')').then_some(close + 2 + end + 1)
}

fn starts_with_url(chars: &[char]) -> bool {
    let prefix: String = chars.iter().take(8).collect();
    prefix.starts_with("https://") || prefix.starts_with("http://")
}

fn url_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len() && !chars[end].is_whitespace() && !matches!(chars[end], '<' | '>' | '"' | '`' | ')' | ']') {
        end += 1;
    }
    // Trailing punctuation belongs to the sentence.
    while end > start && matches!(chars[end - 1], '.' | ',' | ';' | ':') {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_html_and_urls_are_escaped_outside_code() {
        assert_eq!(lines("See [Foo] and <b>x</b>."), ["See \\[Foo\\] and &lt;b&gt;x&lt;/b&gt;."]);
        assert_eq!(lines("Keep `a[0] <b>` as is."), ["Keep `a[0] <b>` as is."]);
        assert_eq!(lines("Go to https://x.io/a_b."), ["Go to <https://x.io/a_b>."]);
        assert_eq!(lines("A [link](https://x.io) stays."), ["A [link](https://x.io) stays."]);
        assert_eq!(lines("snake_case_name"), ["snake\\_case\\_name"]);
    }

    #[test]
    fn fences_become_text_and_indentation_is_dropped() {
        assert_eq!(lines("Example:\n```\nfn x() {}\n```"), ["Example:", "```text", "fn x() {}", "```"]);
        assert_eq!(lines("a\n\n    indented"), ["a", "", "indented"]);
        assert_eq!(lines("```\nunclosed"), ["```text", "unclosed", "```"]);
    }

    #[test]
    fn a_line_after_a_list_item_starts_a_paragraph() {
        let text = "Rules:\n- one\n- two\nOtherwise nothing.\n1. first\n\nAfter a blank line.";
        assert_eq!(
            lines(text),
            ["Rules:", "- one", "- two", "", "Otherwise nothing.", "1. first", "", "After a blank line."]
        );
        assert_eq!(lines("- a\n* b\n+ c\n2) d\ne"), ["- a", "* b", "+ c", "2) d", "", "e"]);
        assert_eq!(lines("-1 is not an item\nnext"), ["-1 is not an item", "next"]);
    }

    #[test]
    fn unmatched_backticks_are_escaped() {
        assert_eq!(lines("a ` b"), ["a \\` b"]);
    }
}
