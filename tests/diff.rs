//! `discogen diff` (issue 26): the change in a generated client's public API between two
//! revisions of a document, each change classed breaking or compatible, as text, as JSON and
//! in the exit status.

use discogen::pipeline::{self, Input};
use discogen::rust::surface::{self, Change, Kind, Surface};
use discogen_tests::discogen_binary;
use serde_json::{json, Value};

/// A small revision of an API; `next` edits it into the next revision.
fn revision(next: bool) -> Value {
    let mut doc = json!({
        "kind": "discovery#restDescription", "name": "shop", "version": "v1", "title": "Shop",
        "rootUrl": "https://shop.example.com/", "servicePath": "", "revision": "1",
        "schemas": {
            "Item": {"id": "Item", "type": "object", "properties": {
                "name": {"type": "string"},
                "count": {"type": "integer", "format": "int32"},
                "state": {"type": "string", "enum": ["STATE_UNSPECIFIED", "STATE_ACTIVE"]}}}
        },
        "resources": {"items": {"methods": {
            "get": {"id": "shop.items.get", "path": "items/{item}", "httpMethod": "GET",
                "parameterOrder": ["item"], "response": {"$ref": "Item"},
                "parameters": {"item": {"type": "string", "location": "path", "required": true}}},
            "list": {"id": "shop.items.list", "path": "items", "httpMethod": "GET",
                "parameters": {"filter": {"type": "string", "location": "query"}}},
            "purge": {"id": "shop.items.purge", "path": "items:purge", "httpMethod": "POST"}
        }}}
    });
    if next {
        doc["revision"] = json!("2");
        let item = &mut doc["schemas"]["Item"]["properties"];
        item["count"] = json!({"type": "string", "format": "int64"});
        item["color"] = json!({"type": "string"});
        item["state"]["enum"].as_array_mut().unwrap().push(json!("STATE_RETIRED"));
        let methods = &mut doc["resources"]["items"]["methods"];
        methods.as_object_mut().unwrap().remove("purge");
        methods["list"]["parameters"]["pageSize"] = json!({"type": "integer", "format": "int32", "location": "query"});
        methods["get"]["parameters"]["region"] = json!({"type": "string", "location": "query", "required": true});
        methods["get"]["parameterOrder"] = json!(["item", "region"]);
    }
    doc
}

fn surface_of(doc: &Value) -> Surface {
    let text = doc.to_string();
    let (api, config) = pipeline::load(Input { name: "shop.v1.json", text: &text }, None).unwrap();
    surface::surface(&api, &pipeline::client_config(&api, &config)).unwrap()
}

#[test]
fn every_change_is_found_and_classed() {
    let changes = surface::diff(&surface_of(&revision(false)), &surface_of(&revision(true)));
    let found: Vec<(String, Kind, Change, bool)> =
        changes.iter().map(|c| (c.path.clone(), c.kind, c.change, c.breaking())).collect();
    let expected = [
        // Breaking: a removed method, a field whose type changed, a new required argument.
        ("Item.count", Kind::Field, Change::Changed, true),
        ("client.items().get", Kind::Method, Change::Changed, true),
        ("client.items().purge", Kind::Method, Change::Removed, true),
        // Compatible by the crates' conventions: new fields, variants and setters.
        ("Item.color", Kind::Field, Change::Added, false),
        ("State::Retired", Kind::Variant, Change::Added, false),
        ("client.items().list(..).page_size", Kind::Setter, Change::Added, false),
    ];
    for (path, kind, change, breaking) in expected {
        assert!(
            found.iter().any(|f| f.0 == path && f.1 == kind && f.2 == change && f.3 == breaking),
            "{path} {kind:?} {change:?} breaking={breaking} not in {found:#?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    let count = changes.iter().find(|c| c.path == "Item.count").unwrap();
    assert_eq!((count.old.as_str(), count.new.as_str()), ("i32", "i64"));
    // The same document twice: nothing.
    assert!(surface::diff(&surface_of(&revision(true)), &surface_of(&revision(true))).is_empty());
}

#[test]
fn the_command_prints_text_or_json_and_exits_2_on_breaking_changes() {
    let dir = std::env::temp_dir().join(format!("discogen-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    std::fs::write(&old, revision(false).to_string()).unwrap();
    std::fs::write(&new, revision(true).to_string()).unwrap();
    let run = |args: &[&std::path::Path], json: bool| {
        let mut command = std::process::Command::new(discogen_binary());
        command.arg("diff");
        for path in args {
            command.arg("--discovery").arg(path);
        }
        if json {
            command.arg("--json");
        }
        command.output().unwrap()
    };

    let text = run(&[&old, &new], false);
    assert_eq!(text.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.starts_with("google-shop-v1: 3 breaking, 3 compatible\n"), "{stdout}");
    assert!(stdout.contains("breaking   changed  field Item.count: i32 -> i64"), "{stdout}");

    let json_output = run(&[&old, &new], true);
    let report: Value = serde_json::from_slice(&json_output.stdout).unwrap();
    assert_eq!((report["breaking"].as_u64(), report["compatible"].as_u64()), (Some(3), Some(3)));

    // Only additions: exit 0. One document: a clear error.
    assert_eq!(run(&[&new, &new], false).status.code(), Some(0));
    let one = run(&[&old], false);
    assert_eq!(one.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&one.stderr).contains("give the old and the new document"));
    std::fs::remove_dir_all(&dir).unwrap();
}
