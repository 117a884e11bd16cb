//! The published StackQL pages (tests/fixtures/golden, never rewritten by tooling) must be
//! reproduced byte for byte, for every service that has fixtures.

use std::collections::BTreeMap;
use std::path::Path;

use discogen_tests::{line_diff, root, spec_docs};

/// Services with published pages in the fixtures, and how many pages each has there.
const SERVICES: [(&str, usize); 5] =
    [("aiplatform", 13), ("cloudasset", 6), ("addressvalidation", 2), ("storage", 18), ("pubsub", 11)];

fn check_service(service: &str, expected_pages: usize) {
    let generated: BTreeMap<String, String> = spec_docs(service).into_iter().map(|f| (f.path, f.contents)).collect();
    let golden_root = root().join("tests/fixtures/golden/stackql");
    let pages = golden_pages(&golden_root, service);
    let mut failures = Vec::new();
    for relative in &pages {
        let expected = std::fs::read_to_string(golden_root.join(relative)).expect("golden page");
        match generated.get(relative) {
            None => failures.push(format!("{relative}: not generated")),
            Some(actual) if *actual != expected => {
                failures.push(format!("{relative} differs:\n{}", line_diff(&expected, actual, 60)))
            }
            Some(_) => {}
        }
    }
    assert_eq!(pages.len(), expected_pages, "{service}: resource pages and the service index in the fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// One test per service, so that a failure names it.
macro_rules! golden_tests {
    ($($test:ident => $index:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let (service, pages) = SERVICES[$index];
            check_service(service, pages);
        }
    )*};
}

golden_tests! {
    aiplatform_pages_match_byte_for_byte => 0,
    cloudasset_pages_match_byte_for_byte => 1,
    addressvalidation_pages_match_byte_for_byte => 2,
    storage_pages_match_byte_for_byte => 3,
    pubsub_pages_match_byte_for_byte => 4,
}

/// The four smaller services are published in full: no page more, none less.
#[test]
fn fully_published_services_get_exactly_their_pages() {
    for (service, _) in &SERVICES[1..] {
        let golden = golden_pages(&root().join("tests/fixtures/golden/stackql"), service);
        let mut generated: Vec<String> = spec_docs(service).into_iter().map(|f| f.path).collect();
        generated.sort();
        assert_eq!(generated, golden, "{service}");
    }
}

#[test]
fn every_resource_of_the_revision_gets_a_page() {
    let files = spec_docs("aiplatform");
    let pages = files.iter().filter(|f| f.path.ends_with("/index.md") && f.path.matches('/').count() == 2).count();
    assert_eq!(pages, 75);
    let index = &files.iter().find(|f| f.path == "aiplatform/index.md").expect("index").contents;
    assert!(index.contains("total resources: __75__  \n"));
}

/// `<service>/index.md` and `<service>/<resource>/index.md` under the golden root, sorted.
fn golden_pages(golden_root: &Path, service: &str) -> Vec<String> {
    let mut pages = vec![format!("{service}/index.md")];
    for entry in std::fs::read_dir(golden_root.join(service)).expect("golden fixtures") {
        let entry = entry.expect("directory entry");
        if entry.path().is_dir() {
            pages.push(format!("{service}/{}/index.md", entry.file_name().to_string_lossy()));
        }
    }
    pages.sort();
    pages
}
