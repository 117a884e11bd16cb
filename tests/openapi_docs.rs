//! StackQL's pages from StackQL's provider spec (`specs/stackql/aiplatform.yaml`, the file its
//! page generator read): the OpenAPI reader must give the same 76 aiplatform pages as the
//! Discovery reader, byte for byte, and so the 13 published golden pages.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use discogen::pipeline::{self, Input};
use discogen_tests::{discogen_binary, line_diff, read, root};

const PROVIDER_SPEC: &str = "specs/stackql/aiplatform.yaml";

fn provider_spec_pages() -> BTreeMap<String, String> {
    let text = read(PROVIDER_SPEC);
    pipeline::docs_openapi(Input { name: PROVIDER_SPEC, text: &text }, None)
        .unwrap_or_else(|err| panic!("{err}"))
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect()
}

/// Every `index.md` under `dir`, relative to `base`.
fn pages_under(base: &Path, dir: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            pages.extend(pages_under(base, &path));
        } else if path.file_name().is_some_and(|name| name == "index.md") {
            pages.push(path.strip_prefix(base).unwrap().display().to_string());
        }
    }
    pages.sort();
    pages
}

fn compare(expected_root: &Path, pages: &[String], actual: &BTreeMap<String, String>) -> Vec<String> {
    let mut failures = Vec::new();
    for relative in pages {
        let expected = std::fs::read_to_string(expected_root.join(relative)).expect("expected page");
        match actual.get(relative) {
            None => failures.push(format!("{relative}: not generated")),
            Some(page) if *page != expected => {
                failures.push(format!("{relative} differs:\n{}", line_diff(&expected, page, 40)))
            }
            Some(_) => {}
        }
    }
    failures
}

#[test]
fn provider_spec_gives_the_published_golden_pages() {
    let golden = root().join("tests/fixtures/golden/stackql");
    let pages = pages_under(&golden, &golden.join("aiplatform"));
    assert_eq!(pages.len(), 13, "aiplatform golden pages (12 resources and the index)");
    let failures = compare(&golden, &pages, &provider_spec_pages());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn provider_spec_and_discovery_document_give_the_same_pages() {
    let generated = root().join("generated/docs");
    let pages = pages_under(&generated, &generated.join("aiplatform"));
    assert_eq!(pages.len(), 76, "aiplatform pages written by the Discovery path (75 resources and the index)");
    let actual = provider_spec_pages();
    let failures = compare(&generated, &pages, &actual);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let extra: Vec<&String> = actual.keys().filter(|page| !pages.contains(page)).collect();
    assert!(extra.is_empty(), "pages only the provider spec gives: {extra:?}");
}

/// The same through the command line, with the spec named by a configuration's `openapi:` key.
#[test]
fn the_cli_reads_the_openapi_key_of_a_configuration() {
    let dir = std::env::temp_dir().join(format!("discogen-openapi-docs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("aiplatform.yaml");
    std::fs::write(&config, format!("openapi: {}\n", root().join(PROVIDER_SPEC).display())).unwrap();
    let out = dir.join("out");
    let output = Command::new(discogen_binary())
        .args(["docs", "--config", config.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .expect("run discogen");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let index = std::fs::read_to_string(out.join("aiplatform/index.md")).expect("index written");
    assert_eq!(index, read("tests/fixtures/golden/stackql/aiplatform/index.md"));
    assert_eq!(pages_under(&out, &out.join("aiplatform")).len(), 76);
    std::fs::remove_dir_all(&dir).unwrap();
}
