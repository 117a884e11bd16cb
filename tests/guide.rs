//! The README stays a short first contact and the guide holds the rest: the README starts with
//! the two set-up commands and stays within ~200 lines, every guide chapter it names exists,
//! and every guide chapter with a Rust example is compiled as a doctest (support/lib.rs).

use discogen_tests::read;

const README_LIMIT: usize = 200;

fn guide_chapters() -> Vec<(String, String)> {
    let src = discogen_tests::root().join("docs/guide/src");
    let mut chapters: Vec<(String, String)> = std::fs::read_dir(&src)
        .expect("docs/guide/src")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md") && name != "SUMMARY.md")
        .map(|name| {
            let text = read(&format!("docs/guide/src/{name}"));
            (name, text)
        })
        .collect();
    chapters.sort();
    chapters
}

fn title(text: &str) -> &str {
    text.lines().next().and_then(|line| line.strip_prefix("# ")).expect("a chapter starts with its `# ` title")
}

#[test]
fn readme_starts_with_the_set_up_commands_and_stays_short() {
    let readme = read("README.md");
    let start: Vec<&str> = readme.lines().take(5).collect();
    assert_eq!(start[2], "```sh");
    assert!(start[3].starts_with("cargo xtask regen "), "first command: {}", start[3]);
    assert!(start[4].starts_with("cargo test --workspace "), "second command: {}", start[4]);
    let lines = readme.lines().count();
    assert!(lines <= README_LIMIT, "README.md has {lines} lines; the long material goes to docs/guide");
}

#[test]
fn every_guide_chapter_the_readme_names_exists() {
    let readme = read("README.md");
    let titles: Vec<String> = guide_chapters().iter().map(|(_, text)| title(text).to_owned()).collect();
    // The last column of the README's tour table names chapters, comma-separated.
    let tour = readme.split("## What a generated client does").nth(1).expect("the tour section");
    let mut named = 0;
    for row in tour.lines().take_while(|line| !line.starts_with("## ")).filter(|line| line.starts_with("| ")) {
        let cell = row.trim_end_matches('|').rsplit('|').next().expect("a last cell").trim();
        if cell.is_empty() || cell.starts_with("guide chapter") || cell.starts_with('-') {
            continue;
        }
        for name in cell.split(", ") {
            named += 1;
            assert!(
                titles.iter().any(|title| title.starts_with(name)),
                "the README names guide chapter {name:?}, which is not a chapter title ({titles:?})"
            );
        }
    }
    assert!(named >= 10, "the tour names the guide's chapters ({named} found)");
}

#[test]
fn every_guide_chapter_with_rust_examples_is_compiled() {
    let support = read("tests/support/lib.rs");
    for (name, text) in guide_chapters() {
        let compiled = text.lines().any(|line| line.starts_with("```rust") && !line.contains("ignore"));
        let included = support.contains(&format!("docs/guide/src/{name}\""));
        assert_eq!(compiled, included, "{name}: Rust examples {compiled}, a doctest in support/lib.rs {included}");
    }
}
