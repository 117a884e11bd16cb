//! The published StackQL pages (tests/fixtures/golden, never rewritten by tooling) must be
//! reproduced byte for byte.

use std::collections::BTreeMap;

use discogen_tests::{aiplatform_docs, line_diff, root};

#[test]
fn golden_pages_match_byte_for_byte() {
    let generated: BTreeMap<String, String> = aiplatform_docs().into_iter().map(|f| (f.path, f.contents)).collect();
    let golden_root = root().join("tests/fixtures/golden/stackql");
    let mut checked = 0;
    let mut failures = Vec::new();
    for relative in golden_pages(&golden_root) {
        let expected = std::fs::read_to_string(golden_root.join(&relative)).expect("golden page");
        match generated.get(&relative) {
            None => failures.push(format!("{relative}: not generated")),
            Some(actual) if *actual != expected => {
                failures.push(format!("{relative} differs:\n{}", line_diff(&expected, actual, 60)))
            }
            Some(_) => {}
        }
        checked += 1;
    }
    assert_eq!(checked, 13, "expected 12 resource pages and the service index in the fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_resource_of_the_revision_gets_a_page() {
    let files = aiplatform_docs();
    let pages = files.iter().filter(|f| f.path.ends_with("/index.md") && f.path.matches('/').count() == 2).count();
    assert_eq!(pages, 75);
    assert!(files.iter().any(|f| f.path == "aiplatform/index.md"));
    let index = &files.iter().find(|f| f.path == "aiplatform/index.md").unwrap().contents;
    assert!(index.contains("total resources: __75__  \n"));
}

/// `aiplatform/index.md` and `aiplatform/<resource>/index.md` under the golden root.
fn golden_pages(golden_root: &std::path::Path) -> Vec<String> {
    let service = golden_root.join("aiplatform");
    let mut pages = vec!["aiplatform/index.md".to_owned()];
    for entry in std::fs::read_dir(&service).expect("golden fixtures") {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            pages.push(format!("aiplatform/{}/index.md", entry.file_name().to_string_lossy()));
        }
    }
    pages.sort();
    pages
}
