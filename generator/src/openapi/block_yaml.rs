//! A fast reader for YAML as dumpers write it (js-yaml, which writes StackQL's provider specs,
//! and PyYAML): block mappings and sequences, plain, quoted and block scalars, empty `[]` and
//! `{}`, anchors and aliases. It answers `None` for anything else (tags, merge keys, flow
//! collections with content, tabs, multi-line plain scalars, numbers other than plain
//! integers, a name anchored twice, ...) and for anything malformed; [`super::parse`] then
//! takes serde_yaml_ng, which reads all of YAML and reports the errors. Where it answers, it
//! gives the JSON serde_yaml_ng gives: the tests hold it to that on every YAML file of the
//! repository, on each construct below and on random documents.
//!
//! Why it exists: serde_yaml_ng's scanner (libyaml's, ported) spends about 110 ms on
//! aiplatform's 3.4 MB provider spec, three times the whole Discovery path (issue 27).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_json::Number;

use super::tree::{has_duplicate_key, Object, Tree};

/// Nesting deeper than this is left to serde_yaml_ng (which has its own limit and error).
const MAX_DEPTH: usize = 100;

/// The document, or `None` when it is outside this reader's subset.
pub(super) fn read(text: &str) -> Option<Tree<'_>> {
    parse_with(text, SPLIT_LINES)
}

/// [`read`] as JSON, for the tests holding it to serde_yaml_ng.
#[cfg(test)]
pub(super) fn parse(text: &str) -> Option<serde_json::Value> {
    read(text).map(|tree| tree.to_json())
}

/// Documents of at least this many lines are read in two halves on two threads (aiplatform's
/// provider spec has 90 000); smaller ones are not worth a thread.
const SPLIT_LINES: usize = 16_384;

/// [`parse`], reading the document in two halves whenever it has at least `split_lines` lines.
fn parse_with(text: &str, split_lines: usize) -> Option<Tree<'_>> {
    let lines = lines(text)?;
    if lines.len() >= split_lines {
        if let Some(value) = halves(&lines) {
            return Some(value);
        }
    }
    let budget = lines.len();
    read_document(Reader::new(lines, budget)).map(|(value, _)| value)
}

/// What [`halves`] reads of `text` (no whole reading after it): the tests hold it to [`parse`]
/// on every document.
#[cfg(test)]
pub(super) fn parse_halves(text: &str) -> Option<serde_json::Value> {
    halves(&lines(text)?).map(|tree| tree.to_json())
}

/// The lines of a document in the subset, or `None` for one that is not.
fn lines(text: &str) -> Option<Vec<Line<'_>>> {
    if has_tab_or_cr(text.as_bytes()) || memchr::memmem::find(text.as_bytes(), "\u{feff}".as_bytes()).is_some() {
        return None;
    }
    let text = text.strip_prefix("---\n").unwrap_or(text);
    // Lines end with a line break (a block scalar's last one counts); a document whose last
    // line has none is left to serde_yaml_ng.
    if !text.ends_with('\n') {
        return None;
    }
    let mut lines = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    // The line breaks found by memchr's vector search: `split('\n')` took a third of the
    // read's time on the main thread (issue 27).
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let text = &text[start..end];
        // Document markers (a second document, an end marker) are serde_yaml_ng's business.
        if text.starts_with("---") || text.starts_with("...") {
            return None;
        }
        lines.push(Line { indent: indentation(text), text });
        start = end + 1;
    }
    Some(lines)
}

/// The whole document at column 0 read by `reader`, and the reader after it.
fn read_document(mut reader: Reader<'_>) -> Option<(Tree<'_>, Reader<'_>)> {
    reader.skip_blank();
    let (column, _) = reader.peek()?;
    if column != 0 {
        return None;
    }
    let value = reader.collection(0)?;
    reader.skip_blank();
    (reader.at == reader.lines.len()).then_some((value, reader))
}

/// A top-level mapping read as two mappings, the lines before and from a top-level key near
/// the middle (aiplatform's spec: `components` against `externalDocs` .. `servers`), the second
/// on a thread of its own; `None` when that does not give what one reader gives, and the
/// caller reads the document whole.
///
/// Why this is the same document: nothing but a top-level key's line ends a top-level value
/// (a block scalar ends at it, a quoted or plain scalar running into it is declined either
/// way), so each half reads as it would in one pass, except for what a reader carries from
/// line to line: anchors (an alias in the second half to an anchor of the first fails there,
/// and so does a name anchored in both halves), the budget of aliased nodes (the sum is
/// checked) and the keys met (a key in both halves is checked).
fn halves<'a>(lines: &[Line<'a>]) -> Option<Tree<'a>> {
    let mut keys = lines.iter().enumerate().filter(|(_, line)| {
        line.indent == 0 && !line.text.is_empty() && !line.text.starts_with('#') && !is_entry(line.text)
    });
    // The document's first line must be a key too: a mapping, not a sequence, at the top.
    let (first, _) = keys.next()?;
    if lines[..first].iter().any(|line| line.indent < line.text.len() && !line.text[line.indent..].starts_with('#')) {
        return None;
    }
    let middle = lines.len() / 2;
    let (split, _) = keys.min_by_key(|(at, _)| at.abs_diff(middle))?;
    let (front, back) = lines.split_at(split);
    // Each half may spend the whole budget; what they spend together is checked below.
    let budget = lines.len();
    let (front, back) = std::thread::scope(|scope| {
        let back = std::thread::Builder::new()
            .name("yaml-half".to_owned())
            .spawn_scoped(scope, || read_document(Reader::new(back.to_vec(), budget)))
            .ok()?;
        let front = read_document(Reader::new(front.to_vec(), budget));
        Some((front, back.join().ok()?))
    })?;
    let ((Tree::Object(map), front), (Tree::Object(rest), back)) = (front?, back?) else { return None };
    let spent = (budget - front.alias_budget) + (budget - back.alias_budget);
    if spent > budget || !front.anchor_names.is_disjoint(&back.anchor_names) {
        return None;
    }
    let mut members = map.into_members();
    members.extend(rest.into_members());
    (!has_duplicate_key(&members)).then(|| Tree::Object(Object::from_unique(members)))
}

/// A line of the document (without its line break) and its indentation, counted once.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// Whether `bytes` holds a tab or a carriage return: whole blocks at a time, which the compiler
/// turns into vector compares (a byte-at-a-time search of the 3.4 MB spec was a tenth of the
/// parse).
fn has_tab_or_cr(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(64);
    let found = chunks.any(|chunk| chunk.iter().fold(false, |found, &b| found | (b == b'\t') | (b == b'\r')));
    found || chunks.remainder().iter().any(|&b| b == b'\t' || b == b'\r')
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    /// The next line to read.
    at: usize,
    /// A collection that starts on a sequence entry's line (`- key: value`) starts at this
    /// (line, column), not at the line's indentation.
    entry_column: Option<(usize, usize)>,
    depth: usize,
    /// Each anchor's value and its size in nodes.
    anchors: HashMap<&'a str, (Tree<'a>, usize)>,
    /// How many more nodes aliases may copy.
    alias_budget: usize,
    /// Every anchor name met so far.
    anchor_names: HashSet<&'a str>,
    /// The members of the mappings being read, innermost last.
    members: Vec<(Cow<'a, str>, Tree<'a>)>,
    /// The items of the sequences being read, innermost last.
    items: Vec<Tree<'a>>,
}

impl<'a> Reader<'a> {
    /// A reader of `lines`, whose aliases may copy `alias_budget` nodes: as many as the document
    /// has lines, more (a "billion laughs") is serde_yaml_ng's to refuse.
    fn new(lines: Vec<Line<'a>>, alias_budget: usize) -> Self {
        Reader {
            lines,
            at: 0,
            entry_column: None,
            depth: 0,
            anchors: HashMap::new(),
            alias_budget,
            anchor_names: HashSet::new(),
            members: Vec::new(),
            items: Vec::new(),
        }
    }

    /// The next line's column and its text from there, without taking it.
    fn peek(&self) -> Option<(usize, &'a str)> {
        let line = self.lines.get(self.at)?;
        let column = match self.entry_column {
            Some((at, column)) if at == self.at => column,
            _ => line.indent,
        };
        Some((column, &line.text[column..]))
    }

    /// Skips empty and comment lines.
    fn skip_blank(&mut self) {
        while let Some((_, text)) = self.peek() {
            // `text` starts after the indentation: a line of spaces is empty here.
            if !(text.is_empty() || text.starts_with('#')) {
                break;
            }
            self.at += 1;
        }
    }

    /// The mapping or sequence whose first line (next) starts at `column`.
    fn collection(&mut self, column: usize) -> Option<Tree<'a>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let (_, text) = self.peek()?;
        let value = if is_entry(text) { self.sequence(column) } else { self.mapping(column) };
        self.depth -= 1;
        value
    }

    /// The text of the next non-blank line of the collection at `column`: `Some(None)` when
    /// the collection has ended (no line, or a shallower one), `None` for a deeper line (a
    /// continuation or an error: not this reader's).
    fn next_in(&mut self, column: usize) -> Option<Option<&'a str>> {
        self.skip_blank();
        match self.peek() {
            None => Some(None),
            Some((at, _)) if at < column => Some(None),
            Some((at, _)) if at > column => None,
            Some((_, text)) => Some(Some(text)),
        }
    }

    fn mapping(&mut self, column: usize) -> Option<Tree<'a>> {
        let start = self.members.len();
        while let Some(text) = self.next_in(column)? {
            if is_entry(text) {
                return None;
            }
            let (key, rest) = split_key(text)?;
            if key == "<<" {
                return None;
            }
            self.at += 1;
            let value = self.value(rest, column, true)?;
            self.members.push((key, value));
        }
        // Gathered first, then built at its size: one allocation instead of regrowing.
        let members: Vec<_> = self.members.drain(start..).collect();
        // A key written twice is serde_yaml_ng's to report.
        (!has_duplicate_key(&members)).then(|| Tree::Object(Object::from_unique(members)))
    }

    fn sequence(&mut self, column: usize) -> Option<Tree<'a>> {
        let start = self.items.len();
        while let Some(text) = self.next_in(column)? {
            if !is_entry(text) {
                // `key:` beside a sequence that is its sibling's value, at the same column.
                break;
            }
            let after = &text[1..];
            let rest = skip_spaces(after);
            if rest.is_empty() || rest.starts_with('#') {
                self.at += 1;
                let item = self.value_below(column, false)?;
                self.items.push(item);
            } else if is_entry(rest) || split_key(rest).is_some() {
                let inner = column + 1 + (after.len() - rest.len());
                self.entry_column = Some((self.at, inner));
                let item = self.collection(inner)?;
                self.items.push(item);
            } else {
                self.at += 1;
                let item = self.value(rest, column, false)?;
                self.items.push(item);
            }
        }
        // Gathered first, then built at its size, as a mapping's members.
        Some(Tree::Array(self.items.drain(start..).collect()))
    }

    /// The value after `key:` or `- ` on a line already taken; `parent` is the column of the
    /// mapping or sequence it belongs to.
    fn value(&mut self, text: &'a str, parent: usize, in_mapping: bool) -> Option<Tree<'a>> {
        let text = skip_spaces(text);
        match text.bytes().next() {
            None | Some(b'#') => self.value_below(parent, in_mapping),
            Some(b'&') => {
                let (name, rest) = anchor_name(&text[1..])?;
                // A name anchored twice is declined: serde_yaml_ng numbers anchors by how many
                // names it has seen, so which node a later alias copies is its own rule. An
                // alias inside its own anchor's node finds nothing yet and is declined too.
                // One anchor per node, and an anchor is not an alias's.
                if !self.anchor_names.insert(name) || skip_spaces(rest).starts_with(['&', '*']) {
                    return None;
                }
                let value = self.value(rest, parent, in_mapping)?;
                self.anchors.insert(name, (value.clone(), size(&value)));
                Some(value)
            }
            Some(b'*') => {
                let (name, rest) = anchor_name(&text[1..])?;
                end_of_line(rest)?;
                let (value, size) = self.anchors.get(name)?;
                self.alias_budget = self.alias_budget.checked_sub(*size)?;
                let value = value.clone();
                self.single_line_ends(parent)?;
                Some(value)
            }
            Some(b'|' | b'>') => self.block_scalar(text, parent).map(|text| Tree::String(Cow::Owned(text))),
            Some(b'\'' | b'"') => {
                let (scalar, rest) = self.quoted(text, parent)?;
                end_of_line(rest)?;
                self.single_line_ends(parent)?;
                Some(Tree::String(scalar))
            }
            _ => {
                let value = plain(text)?;
                self.single_line_ends(parent)?;
                Some(value)
            }
        }
    }

    /// A value that starts on the next lines: a collection indented deeper (or, for a mapping's
    /// value, a sequence at the mapping's own column), else null.
    fn value_below(&mut self, parent: usize, in_mapping: bool) -> Option<Tree<'a>> {
        self.skip_blank();
        match self.peek() {
            Some((column, _)) if column > parent => self.collection(column),
            Some((column, text)) if column == parent && in_mapping && is_entry(text) => self.collection(column),
            _ => Some(Tree::Null),
        }
    }

    /// After a one-line scalar, a deeper line would continue it (a multi-line plain scalar) or
    /// be an error: both are serde_yaml_ng's.
    fn single_line_ends(&mut self, parent: usize) -> Option<()> {
        self.skip_blank();
        match self.peek() {
            Some((column, _)) if column > parent => None,
            _ => Some(()),
        }
    }

    /// A quoted scalar starting at `text` (on the line before `self.at`), possibly over more
    /// lines; returns it and the rest of its last line.
    fn quoted(&mut self, text: &'a str, parent: usize) -> Option<(Cow<'a, str>, &'a str)> {
        let double = text.starts_with('"');
        let mut line = &text[1..];
        // Closed on its line before any escape: the text as written, borrowed.
        let bytes = line.as_bytes();
        let end = if double {
            bytes.iter().position(|&b| b == b'"' || b == b'\\').filter(|&end| bytes[end] == b'"')
        } else {
            bytes.iter().position(|&b| b == b'\'').filter(|&end| bytes.get(end + 1) != Some(&b'\''))
        };
        if let Some(end) = end {
            return Some((Cow::Borrowed(&line[..end]), &line[end + 1..]));
        }
        let mut out = String::new();
        // The end of what a fold must not trim: the previous lines and escapes (a line's
        // trailing white space is folded away, an escaped one is kept).
        let mut kept = 0;
        loop {
            let bytes = line.as_bytes();
            let mut i = 0;
            let mut continued = false;
            while i < bytes.len() {
                match bytes[i] {
                    b'\'' if !double => {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            out.push('\'');
                            i += 2;
                            kept = out.len();
                            continue;
                        }
                        return Some((out.into(), &line[i + 1..]));
                    }
                    b'"' if double => return Some((out.into(), &line[i + 1..])),
                    b'\\' if double => {
                        if i + 1 == bytes.len() {
                            continued = true;
                            break;
                        }
                        let (decoded, used) = escape(&line[i + 1..])?;
                        out.push(decoded);
                        i += 1 + used;
                        kept = out.len();
                    }
                    _ => {
                        // Up to the next quote or backslash (ASCII, so a char boundary).
                        let next = (i + 1..bytes.len())
                            .find(|&j| matches!(bytes[j], b'\'' | b'"' | b'\\'))
                            .unwrap_or(bytes.len());
                        out.push_str(&line[i..next]);
                        i = next;
                    }
                }
            }
            // The scalar goes on: fold the line break (an escaped one keeps what precedes it).
            if !continued {
                let trimmed = out[kept..].trim_end_matches(' ').len() + kept;
                out.truncate(trimmed);
            }
            let mut empty_lines = 0;
            loop {
                let Line { indent: start, text: next } = *self.lines.get(self.at)?;
                self.at += 1;
                if start == next.len() {
                    empty_lines += 1;
                    continue;
                }
                if start <= parent {
                    return None;
                }
                line = &next[start..];
                break;
            }
            // A folded break is a space, unless empty lines follow it (each one a line feed);
            // an escaped break is nothing.
            if !continued && empty_lines == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', empty_lines));
            }
            kept = out.len();
        }
    }

    /// A `|` or `>` scalar whose header is `header`; its lines follow.
    fn block_scalar(&mut self, header: &str, parent: usize) -> Option<String> {
        let folded = header.starts_with('>');
        let (chomp, rest) = match header.as_bytes().get(1) {
            Some(b'-') => (Chomp::Strip, &header[2..]),
            Some(b'+') => (Chomp::Keep, &header[2..]),
            _ => (Chomp::Clip, &header[1..]),
        };
        end_of_line(rest)?;
        // The content's indentation is the first non-empty line's; no indentation indicator.
        let mut end = self.at;
        let mut indent = None;
        while let Some(&Line { indent: start, text: line }) = self.lines.get(end) {
            if start == line.len() {
                end += 1;
                continue;
            }
            match indent {
                None if start > parent => indent = Some(start),
                None => break,
                Some(n) if start < n => break,
                Some(_) => {}
            }
            end += 1;
        }
        let Some(indent) = indent else {
            // No content: empty, unless kept line breaks are asked for.
            self.at = end;
            return (!matches!(chomp, Chomp::Keep)).then(String::new);
        };
        let lines = &self.lines[self.at..end];
        if lines.iter().any(|line| line.indent == line.text.len() && line.text.len() > indent) {
            return None;
        }
        self.at = end;
        let content = |line: &Line<'a>| line.text.get(indent..).unwrap_or("");
        let last = lines.iter().rposition(|line| !content(line).is_empty())?;
        let trailing_empty = lines.len() - 1 - last;
        let body = lines[..=last].iter().map(content);
        // At most the lines and a break after each, chomping aside.
        let mut out = String::with_capacity(body.clone().map(|line| line.len() + 1).sum::<usize>() + trailing_empty);
        if folded {
            let mut previous_spaced = None;
            let mut empty_lines = 0;
            for line in body {
                if line.is_empty() {
                    empty_lines += 1;
                    continue;
                }
                let spaced = line.starts_with(' ');
                match previous_spaced {
                    None => out.extend(std::iter::repeat_n('\n', empty_lines)),
                    Some(false) if !spaced && empty_lines == 0 => out.push(' '),
                    Some(false) if !spaced => out.extend(std::iter::repeat_n('\n', empty_lines)),
                    Some(_) => out.extend(std::iter::repeat_n('\n', empty_lines + 1)),
                }
                out.push_str(line);
                previous_spaced = Some(spaced);
                empty_lines = 0;
            }
        } else {
            for (n, line) in body.enumerate() {
                if n > 0 {
                    out.push('\n');
                }
                out.push_str(line);
            }
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => out.push('\n'),
            Chomp::Keep => out.extend(std::iter::repeat_n('\n', trailing_empty + 1)),
        }
        Some(out)
    }
}

enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// An anchor's or alias's name (letters, digits, `-` and `_`, as libyaml reads them) and the
/// rest of the line after it, which must start with a space if anything follows.
fn anchor_name(text: &str) -> Option<(&str, &str)> {
    let end = text.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_').count();
    let (name, rest) = text.split_at(end);
    (!name.is_empty() && (rest.is_empty() || rest.starts_with(' '))).then_some((name, rest))
}

/// The number of nodes in `value`.
fn size(value: &Tree<'_>) -> usize {
    1 + match value {
        Tree::Array(items) => items.iter().map(size).sum(),
        Tree::Object(map) => map.values().map(size).sum(),
        _ => 0,
    }
}

fn indentation(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// `-` followed by a space or the end of the line: a sequence entry.
fn is_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// The rest of a line after a scalar: nothing, or white space and a comment.
fn end_of_line(rest: &str) -> Option<()> {
    let trimmed = rest.trim_start_matches(' ');
    (trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())).then_some(())
}

/// Characters that start something other than a plain scalar (or need serde_yaml_ng's care).
fn starts_special(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        )
    )
}

/// `text` without its leading spaces.
fn skip_spaces(text: &str) -> &str {
    let spaces = text.bytes().take_while(|&b| b == b' ').count();
    &text[spaces..]
}

/// Where a comment starts (`#` after a space), if one does.
fn comment_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (1..bytes.len()).find(|&i| bytes[i] == b'#' && bytes[i - 1] == b' ')
}

/// `key: rest` or `key:` at the end of the line; the key plain or quoted on one line.
/// A plain key is borrowed: the sequence reader asks whether `- key: value` holds a key
/// before the mapping reads it.
fn split_key(text: &str) -> Option<(Cow<'_, str>, &str)> {
    if text.starts_with(['\'', '"']) {
        // One line: a reader without further lines declines a key that goes on.
        let (key, rest) = Reader::new(Vec::new(), 0).quoted(text, usize::MAX)?;
        let rest = rest.trim_start_matches(' ').strip_prefix(':')?;
        return (rest.is_empty() || rest.starts_with(' ')).then_some((key, rest));
    }
    if starts_special(text) {
        return None;
    }
    let bytes = text.as_bytes();
    let colon = (0..bytes.len()).find(|&i| bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' '))?;
    let key = text[..colon].trim_end_matches(' ');
    if key.is_empty() || comment_start(key).is_some() {
        return None;
    }
    Some((key.into(), &text[colon + 1..]))
}

/// A one-line plain scalar (or `[]`, `{}`), resolved as serde_yaml_ng resolves it.
fn plain(text: &str) -> Option<Tree<'_>> {
    if is_entry(text) {
        return None;
    }
    let text = comment_start(text).map_or(text, |comment| &text[..comment]).trim_end_matches(' ');
    match text {
        "[]" => return Some(Tree::Array(Vec::new())),
        "{}" => return Some(Tree::Object(Object::default())),
        "null" | "Null" | "NULL" | "~" => return Some(Tree::Null),
        "true" | "True" | "TRUE" => return Some(Tree::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Tree::Bool(false)),
        _ => {}
    }
    let bytes = text.as_bytes();
    if (0..bytes.len()).any(|i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&b| b == b' ')) {
        return None;
    }
    if text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return number_like(text);
    }
    if starts_special(text) {
        return None;
    }
    Some(Tree::String(Cow::Borrowed(text)))
}

/// A plain scalar that starts like a number: a decimal integer is one, text no number parser
/// accepts is a string, and the rest (floats, hex, octal, `.inf`, leading zeros) is left to
/// serde_yaml_ng.
fn number_like(text: &str) -> Option<Tree<'_>> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let decimal = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && text != "-0";
    if decimal {
        return if text.starts_with('-') {
            text.parse::<i64>().ok().map(|n| Tree::Number(Number::from(n)))
        } else {
            text.parse::<u64>().ok().map(|n| Tree::Number(Number::from(n)))
        };
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    if unsigned.starts_with('.')
        || unsigned.starts_with("0x")
        || unsigned.starts_with("0o")
        || unsigned.starts_with("0b")
    {
        return None;
    }
    if text.parse::<f64>().is_ok() {
        return None;
    }
    Some(Tree::String(Cow::Borrowed(text)))
}

/// A double-quoted escape (the text after the backslash): the character and the bytes used.
fn escape(text: &str) -> Option<(char, usize)> {
    let code = |len: usize| -> Option<(char, usize)> {
        let hex = text.get(1..1 + len)?;
        let value = u32::from_str_radix(hex, 16).ok()?;
        Some((char::from_u32(value)?, 1 + len))
    };
    let simple = |c: char| Some((c, 1));
    match text.as_bytes().first()? {
        b'0' => simple('\0'),
        b'a' => simple('\u{7}'),
        b'b' => simple('\u{8}'),
        b't' => simple('\t'),
        b'n' => simple('\n'),
        b'v' => simple('\u{b}'),
        b'f' => simple('\u{c}'),
        b'r' => simple('\r'),
        b'e' => simple('\u{1b}'),
        b' ' => simple(' '),
        b'"' => simple('"'),
        b'/' => simple('/'),
        b'\\' => simple('\\'),
        b'N' => simple('\u{85}'),
        b'_' => simple('\u{a0}'),
        b'L' => simple('\u{2028}'),
        b'P' => simple('\u{2029}'),
        b'x' => code(2),
        b'u' => code(4),
        b'U' => code(8),
        _ => None,
    }
}
