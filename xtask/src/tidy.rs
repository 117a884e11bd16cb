//! Repository rules that `cargo test` checks, as rust-analyzer's `xtask/src/tidy.rs` does: the
//! generator's top-level modules import each other only downwards through the layers stated
//! in `generator/src/lib.rs`, the Rust emitter's plan (its decisions) uses no token or syntax
//! crate, and (callable for any crate) a crate's modules form no cycle.
//!
//! Imports are read from the source text: every `crate::<module>` path (and `super::` paths
//! that climb to the crate root) outside comments, string literals and `#[cfg(test)]` items.
//! Tests may reach anywhere (a reader's test runs the pipeline); shipped code may not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The generator's layers, bottom first: a module may import from lower layers only, never
/// from a sibling in its own layer. `generator/src/lib.rs` states the same order.
pub const GENERATOR_LAYERS: &[&[&str]] = &[
    &["error", "file", "ir", "record"],
    &["config"],
    &["discovery", "openapi"],
    &["analysis", "stackql"],
    &["docs", "rust"],
    &["output", "pipeline"],
];

/// The generator's modules that hold decisions only (the Rust emitter's plan, and the naming
/// rules it uses): the emission modules beside them turn the plan into tokens, so these
/// import none of [`TOKEN_CRATES`].
pub const DECISION_MODULES: &[&str] = &["rust/plan", "rust/idents"];

/// The crates that build or print Rust syntax.
pub const TOKEN_CRATES: &[&str] = &["quote", "proc_macro2", "syn", "prettyplease"];

/// `cargo xtask tidy`: the generator's layer and plan checks, as the test runs it.
pub fn run() -> Result<(), String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/src");
    let graph = read_crate(&src)?;
    check_layers(&graph, GENERATOR_LAYERS).map_err(|problems| format!("generator/src:\n{problems}"))?;
    println!("generator/src: {} modules, {} imports, all downwards", graph.modules.len(), graph.edges.len());
    let mut files = Vec::new();
    collect_files(&src, &src, &mut files)?;
    files.sort();
    let checked = check_token_free(&files, DECISION_MODULES, TOKEN_CRATES)
        .map_err(|problems| format!("generator/src:\n{problems}"))?;
    println!(
        "generator/src: {checked} decision files ({}), none uses {}",
        DECISION_MODULES.join(", "),
        TOKEN_CRATES.join(", ")
    );
    Ok(())
}

/// Fails on any use of `crates` (`use quote::quote;`, `proc_macro2::TokenStream`, `quote!`)
/// outside test code in the files under `modules` (`rust/plan` is `rust/plan.rs` and
/// `rust/plan/`); returns how many files it read.
pub fn check_token_free(files: &[(String, String)], modules: &[&str], crates: &[&str]) -> Result<usize, String> {
    let under = |path: &str| modules.iter().any(|m| path == format!("{m}.rs") || path.starts_with(&format!("{m}/")));
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, text) in files.iter().filter(|(path, _)| under(path)) {
        checked += 1;
        let tokens = tokens(text);
        let mut i = 0;
        while i < tokens.len() {
            if is_cfg_test(&tokens, i) {
                i = skip_item(&tokens, i + 7, &mut Vec::new());
                continue;
            }
            if let (Token::Ident(word), line) = &tokens[i] {
                let next = |k: usize| tokens.get(i + k).map(|(t, _)| t);
                let used = matches!(next(1), Some(Token::Punct('!')))
                    || matches!((next(1), next(2)), (Some(Token::Punct(':')), Some(Token::Punct(':'))));
                let after_use = matches!(i.checked_sub(1).map(|k| &tokens[k].0), Some(Token::Ident(w)) if w == "use");
                if crates.contains(&word.as_str()) && (used || after_use) {
                    problems.push(format!(
                        "{path}:{line}: `{word}` in a decision module: build tokens in the emission modules"
                    ));
                }
            }
            i += 1;
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems.join("\n"))
    }
}

/// One import of a top-level module by another, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// `discovery/lower.rs:5`.
    pub at: String,
}

/// The top-level modules of a crate and their imports of each other.
#[derive(Debug, Default)]
pub struct ModuleGraph {
    pub modules: BTreeSet<String>,
    pub edges: Vec<Edge>,
}

/// Reads every `.rs` file under `src` (a crate's source directory).
pub fn read_crate(src: &Path) -> Result<ModuleGraph, String> {
    let mut files = Vec::new();
    collect_files(src, src, &mut files)?;
    files.sort();
    Ok(module_graph(&files))
}

fn collect_files(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|err| format!("{}: {err}", dir.display()))?.path();
        if path.is_dir() {
            collect_files(root, &path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            files.push((relative, text));
        }
    }
    Ok(())
}

/// The module graph of source files given as (path relative to `src`, text). The crate roots
/// (`lib.rs`, `main.rs`) declare modules and are not part of the graph; files that a
/// `#[cfg(test)] mod name;` declares are skipped with everything below them.
pub fn module_graph(files: &[(String, String)]) -> ModuleGraph {
    let scanned: Vec<(&str, Scan)> = files.iter().map(|(path, text)| (path.as_str(), scan(text))).collect();
    let test_dirs: Vec<String> = scanned
        .iter()
        .flat_map(|(path, scan)| scan.test_modules.iter().map(move |name| format!("{}{name}", module_dir(path))))
        .collect();
    let is_test_file =
        |path: &str| test_dirs.iter().any(|stem| path == format!("{stem}.rs") || path.starts_with(&format!("{stem}/")));
    let shipped: Vec<&(&str, Scan)> =
        scanned.iter().filter(|(path, _)| !matches!(*path, "lib.rs" | "main.rs") && !is_test_file(path)).collect();
    let mut graph = ModuleGraph {
        modules: shipped.iter().map(|(path, _)| module_path(path)[0].clone()).collect(),
        edges: Vec::new(),
    };
    for (path, scan) in shipped {
        let module_path = module_path(path);
        let from = module_path[0].clone();
        for import in &scan.imports {
            let to = match import.supers {
                0 => import.name.clone(),
                climbs if climbs == module_path.len() => import.name.clone(),
                climbs if climbs < module_path.len() => module_path[0].clone(),
                _ => continue,
            };
            // Other names at the root are items (`crate::Error`, or `crate::SERVICE_PATH` in a
            // `quote!` of generated code), not modules.
            if to != from && graph.modules.contains(&to) {
                graph.edges.push(Edge { from: from.clone(), to, at: format!("{path}:{}", import.line) });
            }
        }
    }
    graph
}

/// `discovery/lower.rs` -> `[discovery, lower]`; `discovery/mod.rs` -> `[discovery]`.
fn module_path(path: &str) -> Vec<String> {
    let stem = path.strip_suffix(".rs").unwrap_or(path);
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    stem.split('/').map(str::to_owned).collect()
}

/// Where the children of the module in `path` live: `lib.rs` and `a/mod.rs` have theirs beside
/// them, `a/b.rs` in `a/b/`.
fn module_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        _ if path == "lib.rs" || path == "main.rs" => String::new(),
        Some((dir, "mod.rs")) => format!("{dir}/"),
        _ => format!("{}/", path.strip_suffix(".rs").unwrap_or(path)),
    }
}

/// Fails with every import that runs against `layers` (bottom first): one into the importer's
/// own layer or a higher one, or one of a module no layer names.
pub fn check_layers(graph: &ModuleGraph, layers: &[&[&str]]) -> Result<(), String> {
    let layer_of = |module: &str| layers.iter().position(|layer| layer.contains(&module));
    let mut problems = Vec::new();
    for module in &graph.modules {
        if layer_of(module).is_none() {
            problems.push(format!("module `{module}` is in no layer: add it to the stated order"));
        }
    }
    for edge in &graph.edges {
        match (layer_of(&edge.from), layer_of(&edge.to)) {
            (Some(from), Some(to)) if to >= from => problems.push(format!(
                "{}: `{}` imports `{}`, against the direction (a module imports only from lower layers: {})",
                edge.at,
                edge.from,
                edge.to,
                describe(layers)
            )),
            _ => {}
        }
    }
    check_acyclic(graph)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn describe(layers: &[&[&str]]) -> String {
    layers.iter().map(|layer| layer.join(", ")).collect::<Vec<_>>().join(" <- ")
}

/// Fails naming one cycle of imports between top-level modules, with where each is written.
pub fn check_acyclic(graph: &ModuleGraph) -> Result<(), String> {
    let mut targets: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for edge in &graph.edges {
        targets.entry(edge.from.as_str()).or_default().entry(edge.to.as_str()).or_insert(edge.at.as_str());
    }
    // Depth first; a module reached again while still on the stack closes a cycle.
    fn visit<'a>(
        module: &'a str,
        targets: &BTreeMap<&'a str, BTreeMap<&'a str, &'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(start) = stack.iter().position(|m| *m == module) {
            let mut cycle = stack[start..].to_vec();
            cycle.push(module);
            return Some(cycle);
        }
        if !done.insert(module) {
            return None;
        }
        stack.push(module);
        for target in targets.get(module).into_iter().flat_map(|t| t.keys()) {
            if let Some(cycle) = visit(target, targets, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in targets.keys() {
        if let Some(cycle) = visit(module, &targets, &mut Vec::new(), &mut done) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|pair| format!("{} -> {} ({})", pair[0], pair[1], targets[pair[0]][pair[1]]))
                .collect();
            return Err(format!("import cycle: {}", steps.join(", ")));
        }
    }
    Ok(())
}

/// What one file imports and which test modules it declares in files of their own.
#[derive(Debug, Default)]
struct Scan {
    imports: Vec<Import>,
    test_modules: Vec<String>,
}

/// `crate::name` (supers 0) or `super::super::name` (supers 2), on a line.
#[derive(Debug)]
struct Import {
    supers: usize,
    name: String,
    line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Punct(char),
}

/// Identifiers and punctuation with their lines; comments, strings and characters dropped.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            loop {
                match (at(i), at(i + 1)) {
                    ('\0', _) => break,
                    ('/', '*') => (depth, i) = (depth + 1, i + 2),
                    ('*', '/') => {
                        (depth, i) = (depth - 1, i + 2);
                        if depth == 0 {
                            break;
                        }
                    }
                    ('\n', _) => (line, i) = (line + 1, i + 1),
                    _ => i += 1,
                }
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                match chars[i] {
                    '\\' => i += 2,
                    '\n' => (line, i) = (line + 1, i + 1),
                    _ => i += 1,
                }
            }
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a), which is skipped.
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if (word == "r" || word == "br") && (at(i) == '"' || at(i) == '#') {
                let hashes = chars[i..].iter().take_while(|c| **c == '#').count();
                if at(i + hashes) == '"' {
                    // A raw string: ends at `"` followed by as many `#`.
                    i += hashes + 1;
                    while i < chars.len() && !(chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#')) {
                        line += usize::from(chars[i] == '\n');
                        i += 1;
                    }
                    i += hashes + 1;
                    continue;
                }
                // A raw identifier (`r#type`): the `#` is skipped as punctuation below.
            }
            out.push((Token::Ident(word), line));
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

fn scan(text: &str) -> Scan {
    let tokens = tokens(text);
    let ident = |i: usize| match tokens.get(i) {
        Some((Token::Ident(word), _)) => Some(word.as_str()),
        _ => None,
    };
    let punct = |i: usize, c: char| matches!(tokens.get(i), Some((Token::Punct(p), _)) if *p == c);
    let path_separator = |i: usize| punct(i, ':') && punct(i + 1, ':');
    let mut scan = Scan::default();
    let mut i = 0;
    while i < tokens.len() {
        if is_cfg_test(&tokens, i) {
            i = skip_item(&tokens, i + 7, &mut scan.test_modules);
            continue;
        }
        let line = tokens[i].1;
        let supers = (0..).take_while(|k| ident(i + 3 * k) == Some("super") && path_separator(i + 3 * k + 1)).count();
        let after = if supers > 0 {
            Some(i + 3 * supers)
        } else if ident(i) == Some("crate") && path_separator(i + 1) && !punct(i.wrapping_sub(1), '$') {
            Some(i + 3)
        } else {
            None
        };
        let Some(next) = after else {
            i += 1;
            continue;
        };
        if let Some(name) = ident(next) {
            scan.imports.push(Import { supers, name: name.to_owned(), line });
        } else if punct(next, '{') {
            // `crate::{a, b::C, d::{..}}`: the first segment of every top-level entry.
            let (mut depth, mut j, mut first) = (0, next, true);
            while j < tokens.len() {
                match &tokens[j].0 {
                    Token::Punct('{') => depth += 1,
                    Token::Punct('}') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Token::Punct(',') if depth == 1 => first = true,
                    Token::Ident(name) if depth == 1 && first => {
                        scan.imports.push(Import { supers, name: name.clone(), line: tokens[j].1 });
                        first = false;
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        i = next;
    }
    scan
}

/// `#[cfg(test)]` starting at token `i`.
fn is_cfg_test(tokens: &[(Token, usize)], i: usize) -> bool {
    let expected = ["#", "[", "cfg", "(", "test", ")", "]"];
    expected.iter().enumerate().all(|(k, want)| match tokens.get(i + k) {
        Some((Token::Ident(word), _)) => word == want,
        Some((Token::Punct(c), _)) => want.len() == 1 && want.starts_with(*c),
        None => false,
    })
}

/// Skips the item starting at `i` (further attributes included): up to its `;` or the `}` that
/// closes its body. A `mod name;` is recorded in `test_modules`.
fn skip_item(tokens: &[(Token, usize)], mut i: usize, test_modules: &mut Vec<String>) -> usize {
    while matches!(tokens.get(i), Some((Token::Punct('#'), _))) {
        let mut depth = 0;
        i += 1;
        while let Some((token, _)) = tokens.get(i) {
            i += 1;
            match token {
                Token::Punct('[') => depth += 1,
                Token::Punct(']') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    let start = i;
    let mut depth = 0;
    while let Some((token, _)) = tokens.get(i) {
        i += 1;
        match token {
            Token::Punct('{' | '(' | '[') => depth += 1,
            Token::Punct('}' | ')' | ']') => {
                depth -= 1;
                if depth == 0 && matches!(token, Token::Punct('}')) {
                    break;
                }
            }
            Token::Punct(';') if depth == 0 => {
                let words: Vec<&Token> = tokens[start..i - 1].iter().map(|(t, _)| t).collect();
                if let [.., Token::Ident(keyword), Token::Ident(name)] = words.as_slice() {
                    if keyword == "mod" {
                        test_modules.push(name.clone());
                    }
                }
                break;
            }
            _ => {}
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(files: &[(&str, &str)]) -> ModuleGraph {
        let files: Vec<(String, String)> = files.iter().map(|(p, t)| ((*p).to_owned(), (*t).to_owned())).collect();
        module_graph(&files)
    }

    fn edges(graph: &ModuleGraph) -> Vec<(&str, &str)> {
        graph.edges.iter().map(|e| (e.from.as_str(), e.to.as_str())).collect()
    }

    #[test]
    fn the_generator_imports_only_downwards() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/src");
        let graph = read_crate(&src).unwrap();
        assert!(graph.modules.contains("ir") && graph.edges.iter().any(|e| e.from == "pipeline"), "{graph:?}");
        if let Err(problems) = run() {
            panic!("{problems}");
        }
    }

    #[test]
    fn the_runtime_has_no_import_cycle() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        if let Err(cycle) = check_acyclic(&read_crate(&src).unwrap()) {
            panic!("runtime/src: {cycle}");
        }
    }

    #[test]
    fn a_token_crate_in_the_plan_fails() {
        let files = |text: &str| {
            vec![
                ("rust/plan/mod.rs".to_owned(), "pub mod method;".to_owned()),
                ("rust/plan/method.rs".to_owned(), text.to_owned()),
                ("rust/emit/lib_rs.rs".to_owned(), "use quote::quote; use proc_macro2::TokenStream;".to_owned()),
            ]
        };
        let clean = files(
            "// quote::quote!\nconst QUOTE: &str = \"quote!\";\nfn quote() {}\n#[cfg(test)]\nmod tests { use quote::quote; }",
        );
        assert_eq!(check_token_free(&clean, &["rust/plan"], TOKEN_CRATES), Ok(2));
        for (bad, crate_name) in [
            ("use quote::quote;", "quote"),
            ("fn f() -> proc_macro2::TokenStream { todo!() }", "proc_macro2"),
            ("use {syn::File};", "syn"),
            ("fn f() { let _ = quote!(x); }", "quote"),
            ("fn f(file: &F) -> String { prettyplease::unparse(file) }", "prettyplease"),
        ] {
            let error = check_token_free(&files(bad), &["rust/plan"], TOKEN_CRATES).unwrap_err();
            assert!(error.starts_with(&format!("rust/plan/method.rs:1: `{crate_name}`")), "{bad}: {error}");
        }
    }

    #[test]
    fn a_deliberate_cycle_fails() {
        let g = graph(&[
            ("lib.rs", "pub mod a; pub mod b; pub mod c;"),
            ("a.rs", "use crate::b::Thing;"),
            ("b/mod.rs", "mod inner;"),
            ("b/inner.rs", "pub fn f() -> crate::c::C { todo!() }"),
            ("c.rs", "use crate::a;\n"),
        ]);
        let error = check_acyclic(&g).unwrap_err();
        assert_eq!(error, "import cycle: a -> b (a.rs:1), b -> c (b/inner.rs:1), c -> a (c.rs:1)");
        assert!(check_layers(&g, &[&["a", "b", "c"]]).is_err());
    }

    #[test]
    fn an_import_against_the_direction_fails() {
        let layers: &[&[&str]] = &[&["ir"], &["discovery", "openapi"], &["rust"]];
        let good = graph(&[
            ("ir/mod.rs", "pub struct Api;"),
            ("discovery.rs", "use crate::ir::Api;"),
            ("rust.rs", "use crate::{discovery as _, ir};"),
        ]);
        assert_eq!(check_layers(&good, layers), Ok(()));

        let upwards = graph(&[
            ("ir/mod.rs", "mod build;"),
            ("ir/build.rs", "\n\nuse crate::discovery::Document;"),
            ("discovery.rs", ""),
        ]);
        let error = check_layers(&upwards, layers).unwrap_err();
        assert!(error.starts_with("ir/build.rs:3: `ir` imports `discovery`, against the direction"), "{error}");

        let sideways =
            graph(&[("openapi.rs", "fn f() { crate::discovery::load(); }"), ("discovery.rs", "pub fn load() {}")]);
        assert!(check_layers(&sideways, layers).unwrap_err().contains("`openapi` imports `discovery`"));

        let unlisted = graph(&[("extra.rs", "use crate::ir;"), ("ir.rs", "")]);
        assert!(check_layers(&unlisted, layers).unwrap_err().contains("module `extra` is in no layer"));
    }

    #[test]
    fn comments_strings_macros_and_test_code_are_not_imports() {
        let g = graph(&[
            (
                "a.rs",
                r##"
                // use crate::b;
                /* crate::b /* nested */ crate::b */
                const TEXT: &str = "crate::b";
                const RAW: &str = r#"crate::b " still raw"#;
                const QUOTE: char = '"';
                fn tokens<'x>(name: &'x str) { quote!(crate::#name); }
                macro_rules! m { () => { $crate::b::f() } }
                #[cfg(test)]
                mod tests { use crate::b; }
                #[cfg(test)]
                #[path = "elsewhere.rs"]
                mod more;
                #[cfg(test)]
                mod files;
                use crate::c;
            "##,
            ),
            ("a/files.rs", "use crate::b;"),
            ("a/files/deeper.rs", "use crate::b;"),
            ("b.rs", "use crate::Error;"),
            ("c.rs", ""),
        ]);
        assert_eq!(edges(&g), [("a", "c")]);
    }

    #[test]
    fn super_paths_that_reach_the_root_count() {
        let g = graph(&[
            ("a/mod.rs", "use super::b;"),
            ("a/x.rs", "use super::y; use super::super::c::Z;"),
            ("a/x/deep.rs", "use super::super::super::d;"),
            ("b.rs", ""),
            ("c.rs", ""),
            ("d/mod.rs", ""),
        ]);
        assert_eq!(edges(&g), [("a", "b"), ("a", "c"), ("a", "d")]);
    }
}
