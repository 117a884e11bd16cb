//! Lays out `model_serde!` calls after prettyplease, which prints macro arguments as one
//! stream of tokens: a call for several models reads best with each model starting its own
//! line, its `"key" => field` pairs wrapped after commas.

/// The longest line an entry is wrapped to (prettyplease's own margin is 89).
const WIDTH: usize = 100;

const CALL: &str = "discogen_runtime::model_serde!(";

/// `code` with every `model_serde!` call of several entries laid out one entry per line.
pub fn model_serde_calls(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut lines = code.lines();
    while let Some(line) = lines.next() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let trimmed = line.trim();
        let arguments = if trimmed == CALL {
            // Multi-line: the arguments run until the `);` at the call's indent.
            let mut arguments = Vec::new();
            for next in lines.by_ref() {
                if next.trim() == ");" && next.len() - next.trim_start().len() == indent.len() {
                    break;
                }
                arguments.push(next.trim());
            }
            arguments.join(" ")
        } else if let Some(arguments) = trimmed.strip_prefix(CALL).and_then(|rest| rest.strip_suffix(");")) {
            arguments.to_owned()
        } else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let entries = split_outside(&arguments, ';', 0);
        if entries.len() == 1 && indent.len() + CALL.len() + arguments.len() + 2 <= WIDTH {
            out.push_str(&format!("{indent}{CALL}{});\n", entries[0]));
            continue;
        }
        out.push_str(&format!("{indent}{CALL}\n"));
        for entry in entries {
            wrap_entry(&mut out, &format!("{indent}    "), entry);
        }
        out.push_str(&format!("{indent});\n"));
    }
    out
}

/// One `Name { ... };` entry, filled to [`WIDTH`], breaking only after a field's comma.
fn wrap_entry(out: &mut String, indent: &str, entry: &str) {
    let pieces = split_outside(entry, ',', 1);
    let last = pieces.len() - 1;
    let mut line = indent.to_owned();
    for (index, piece) in pieces.into_iter().enumerate() {
        let piece = if index == last { format!("{piece};") } else { format!("{piece},") };
        if line.trim().is_empty() {
            line.push_str(&piece);
        } else if line.len() + 1 + piece.len() <= WIDTH {
            line.push(' ');
            line.push_str(&piece);
        } else {
            out.push_str(&line);
            out.push('\n');
            line = format!("{indent}    {piece}");
        }
    }
    out.push_str(&line);
    out.push('\n');
}

/// `text` split at `separator` where it is outside string literals and at brace `depth`,
/// each part trimmed; empty parts (a trailing separator) are dropped.
fn split_outside(text: &str, separator: char, depth: usize) -> Vec<&str> {
    let (mut parts, mut start, mut level) = (Vec::new(), 0, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for (at, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => level += 1,
            '}' => level = level.saturating_sub(1),
            _ if c == separator && level == depth => {
                parts.push(text[start..at].trim());
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts.retain(|part| !part.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entry_starts_a_line_and_wraps_after_commas() {
        let code = "    discogen_runtime::model_serde!(\n        Job { \"name\" => name, \"a;b\" =>\n        a_b }; Empty {}; Count { \"n\" => n as int64 }\n    );\n";
        assert_eq!(
            model_serde_calls(code),
            "    discogen_runtime::model_serde!(\n        Job { \"name\" => name, \"a;b\" => a_b };\n        Empty {};\n        Count { \"n\" => n as int64 };\n    );\n"
        );
        let long: Vec<String> = (0..12).map(|i| format!("\"field{i}\" => field_{i}")).collect();
        let code = format!("discogen_runtime::model_serde!(Wide {{ {} }});\n", long.join(", "));
        let laid_out = model_serde_calls(&code);
        assert!(laid_out.lines().all(|line| line.len() <= WIDTH), "{laid_out}");
        let continued: Vec<&str> = laid_out.lines().skip(2).filter(|line| *line != ");").collect();
        assert!(continued.len() == 2 && continued.iter().all(|line| line.starts_with("        \"field")), "{laid_out}");
        assert!(laid_out.contains("\"field11\" => field_11 };\n);"), "{laid_out}");
    }

    #[test]
    fn a_short_single_entry_and_other_code_stay_as_they_are() {
        let code = "discogen_runtime::model_serde!(Empty {});\nfn f() {}\n    \"x\";\n";
        assert_eq!(model_serde_calls(code), code);
    }

    #[test]
    fn separators_inside_strings_are_text() {
        assert_eq!(
            split_outside(r#"A { "a,\";b" => a, "c" => c }; B {}"#, ';', 0),
            [r#"A { "a,\";b" => a, "c" => c }"#, "B {}"]
        );
        assert_eq!(split_outside(r#"A { "a,\"b" => a, "c" => c }"#, ',', 1), [r#"A { "a,\"b" => a"#, r#""c" => c }"#]);
    }
}
