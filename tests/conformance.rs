//! Issue 22's conformance harness on the five committed specs: every method through its
//! generated typed builder (recorded by `MockTransport`) and through google-api-python-client
//! 2.181.0, with the same arguments, and the requests compared (see `discogen-conformance`).
//! The first run installs the reference client into `target/` and builds the driver (a few
//! minutes on 2 cores); later runs rebuild nothing and take seconds.

use std::path::PathBuf;

use discogen_conformance::{Document, Harness};

const SPECS: [&str; 5] = ["aiplatform", "cloudasset", "addressvalidation", "storage", "pubsub"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("repository root")
}

/// Methods in the Discovery document: what "every method" has to reach.
fn methods_of(discovery: &std::path::Path) -> usize {
    let text = std::fs::read_to_string(discovery).expect("spec");
    let input = discogen::pipeline::Input { name: "spec", text: &text };
    discogen::pipeline::build_api(input, None).expect("spec parses").methods.len()
}

#[test]
fn every_method_of_the_committed_specs_is_sent_as_the_reference_client_sends_it() {
    let root = root();
    let documents: Vec<Document> = SPECS
        .iter()
        .map(|spec| Document {
            discovery: root.join(format!("specs/{spec}.v1.json")),
            config: Some(root.join(format!("specs/{spec}.yaml"))),
        })
        .collect();
    let methods: usize = documents.iter().map(|d| methods_of(&d.discovery)).sum();
    let report = Harness::new(&root).run(&documents).expect("the harness runs");
    println!("{report}");
    let (compared, equal, intentional, failing) = report.totals();
    // Every method once; once more with a body clearing every field (field presence), and
    // with media for storage's uploads and downloads.
    use discogen::rust::conformance::{DOWNLOAD, PRESENCE, UPLOAD};
    let [presence, uploads, downloads] = [PRESENCE, UPLOAD, DOWNLOAD].map(|suffix| report.variant_calls(suffix));
    assert!(
        presence > 100 && uploads > 0 && downloads > 0,
        "{presence} presence, {uploads} upload, {downloads} download calls:\n{report}"
    );
    assert_eq!(
        compared,
        methods + presence + uploads + downloads,
        "every method of the five specs is compared:\n{report}"
    );
    assert_eq!(failing, 0, "unexplained differences:\n{report}");
    assert_eq!(equal + intentional, compared);
    // The comparison sees differences at all: equal methods are not an empty comparison.
    assert!(equal > 0, "{report}");
}
