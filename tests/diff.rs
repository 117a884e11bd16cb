//! `discogen diff` (issue 26): the change in a generated client's public API between two
//! revisions of a document, each change classed breaking or compatible, as text, as JSON and
//! in the exit status.

use discogen::pipeline::{self, Input};
use discogen::rust::record::{self, NameRecord};
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

/// Two revisions of a small API whose second adds only new items, each of a kind that used to
/// rename an old one (issue 26, measured on aiplatform and compute 2.181.0 -> 2.190.0): an
/// enum field of the same name with other values (`Op` was ambiguous), an enum whose values'
/// prefix is an old enum's name (`Language`), a value giving an enum's values a common prefix
/// (`IF_MACSEC` alone, then `IF_*`), and the same resources again at the root
/// (`customJobs/*` beside `projects/*/locations/*/customJobs/*`).
fn growing(next: bool) -> Value {
    let pattern = |p: &str| json!({"type": "string", "location": "path", "required": true, "pattern": p});
    let get = |id: &str, path: &str, p: &str| {
        json!({"id": id, "path": path, "httpMethod": "GET", "parameterOrder": ["name"],
            "response": {"$ref": "Filter"}, "parameters": {"name": pattern(p)}})
    };
    let mut doc = json!({
        "kind": "discovery#restDescription", "name": "lab", "version": "v1", "title": "Lab",
        "rootUrl": "https://lab.example.com/", "servicePath": "", "revision": "1",
        "schemas": {
            "Filter": {"id": "Filter", "type": "object", "properties": {
                "op": {"type": "string", "enum": ["OPERATOR_UNSPECIFIED", "LESS", "EQUAL"]},
                "language": {"type": "string", "enum": ["LANGUAGE_UNSPECIFIED", "PYTHON"]},
                "features": {"type": "array", "items": {"type": "string", "enum": ["IF_MACSEC"]}}}}
        },
        "resources": {"projects": {"resources": {"locations": {"resources": {"jobs": {
            "methods": {"get": get("lab.projects.locations.jobs.get", "v1/{+name}",
                "^projects/[^/]+/locations/[^/]+/jobs/[^/]+$")},
            "resources": {"operations": {"methods": {"get": get("lab.projects.locations.jobs.operations.get",
                "v1/{+name}", "^projects/[^/]+/locations/[^/]+/jobs/[^/]+/operations/[^/]+$")}}}
        }}}}}}
    });
    if next {
        doc["revision"] = json!("2");
        let filter = &mut doc["schemas"]["Filter"]["properties"];
        filter["memory"] = json!({"type": "object", "properties": {
            "op": {"type": "string", "enum": ["OPERATOR_UNSPECIFIED", "GREATER_THAN"]}}});
        filter["codeLanguage"] = json!({"type": "string", "enum": ["LANGUAGE_UNSPECIFIED", "LANGUAGE_PYTHON"]});
        filter["features"]["items"]["enum"].as_array_mut().unwrap().push(json!("IF_CROSS_SITE_NETWORK"));
        doc["resources"]["jobs"] = json!({
            "methods": {"get": get("lab.jobs.get", "v1/{+name}", "^jobs/[^/]+$")},
            "resources": {"operations": {"methods": {"get": get("lab.jobs.operations.get", "v1/{+name}",
                "^jobs/[^/]+/operations/[^/]+$")}}}
        });
    }
    doc
}

/// The surface of a revision and the names it chose, generated keeping `previous`.
fn generation(doc: &Value, previous: Option<NameRecord>) -> (Surface, NameRecord) {
    let text = doc.to_string();
    let (api, config) = pipeline::load(Input { name: "lab.v1.json", text: &text }, None).unwrap();
    let mut client = pipeline::client_config(&api, &config);
    client.previous_names = previous;
    surface::surface_and_names(&api, &client).unwrap()
}

#[test]
fn names_stay_put_when_a_revision_adds_unrelated_items() {
    let (old, names) = generation(&growing(false), None);
    // By the rules alone, each addition renames an old item.
    let (fresh, _) = generation(&growing(true), None);
    let renames = record::renames(&old, &fresh);
    for expected in [
        "type Feature: now If",
        "type Op: now FilterOp",
        "name JobName",
        "resource client.projects().locations().jobs()",
    ] {
        assert!(renames.iter().any(|r| r.starts_with(expected)), "{expected} not in {renames:#?}");
    }
    assert!(surface::diff(&old, &fresh).iter().any(|c| c.breaking()));
    // Keeping the old generation's names (as regen does from names.json), nothing breaks.
    let (new, record) = generation(&growing(true), Some(names.clone()));
    let changes = surface::diff(&old, &new);
    let breaking: Vec<_> = changes.iter().filter(|c| c.breaking()).collect();
    assert!(breaking.is_empty(), "{breaking:#?}");
    assert!(changes.iter().any(|c| c.path == "Filter.code_language" && c.change == Change::Added), "{changes:#?}");
    // The record grows by the new items and keeps the old ones' names and variant prefixes.
    for (key, name) in &names.names {
        assert_eq!(record.names.get(key), Some(name));
    }
    for (key, name) in &names.enums {
        assert_eq!(record.enums.get(key), Some(name));
    }
    assert_eq!(record.modules.len(), names.modules.len() + 2);
    // Generating again from the new record changes nothing (regen then check).
    let (again, same) = generation(&growing(true), Some(record.clone()));
    assert_eq!(again, new);
    assert_eq!(same, record);
    assert_eq!(NameRecord::parse(&record.to_json()).unwrap(), record);
}

/// A recorded name that cannot be kept (here, by hand, a schema's name) goes to the item's new
/// name as a deprecated alias for the rest of the revision, then goes.
#[test]
fn a_name_that_cannot_be_kept_stays_as_an_alias_for_the_revision() {
    let mut doc = growing(false);
    // A schema no method uses: its name is taken, but the crate defines no type under it.
    doc["schemas"]["Unused"] = json!({"id": "Unused", "type": "object", "properties": {"a": {"type": "string"}}});
    let (_, mut names) = generation(&doc, None);
    let pattern = "projects/*/locations/*/jobs/*";
    assert_eq!(names.names[pattern], "JobName");
    names.names.insert(pattern.to_owned(), "Unused".to_owned());
    let (surface, record) = generation(&doc, Some(names));
    assert_eq!(record.names[pattern], "JobName");
    assert_eq!(record.aliases.get("Unused").map(String::as_str), Some("JobName"));
    assert_eq!(surface.items.get("Unused").map(|(_, s)| s.as_str()), Some("= JobName (deprecated)"));
    // Regenerating the same revision keeps the alias; the next revision drops it.
    let (again, same) = generation(&doc, Some(record.clone()));
    assert_eq!((again, &same), (surface, &record));
    doc["revision"] = json!("2");
    let (_, next) = generation(&doc, Some(record));
    assert!(next.aliases.is_empty(), "{next:?}");
}

/// `discogen client --out DIR` keeps the names of the crate already in DIR (its `names.json`),
/// and `discogen diff` generates the new revision the same way: nothing breaks.
#[test]
fn the_commands_keep_the_names_of_the_previous_generation() {
    let dir = std::env::temp_dir().join(format!("discogen-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (old, new, out) = (dir.join("old.json"), dir.join("new.json"), dir.join("crate"));
    std::fs::write(&old, growing(false).to_string()).unwrap();
    std::fs::write(&new, growing(true).to_string()).unwrap();
    let client = |document: &std::path::Path| {
        let status = std::process::Command::new(discogen_binary())
            .args(["client", "--discovery"])
            .arg(document)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        std::fs::read_to_string(out.join("src/names.rs")).unwrap()
    };
    assert!(client(&old).contains("pub struct JobName"));
    let names = client(&new);
    let job = names.find("pub struct JobName").expect("JobName kept");
    assert!(names[..job]
        .rfind("(pattern `")
        .is_some_and(|at| names[at..job].contains("projects/*/locations/*/jobs/*")));
    let diff = std::process::Command::new(discogen_binary())
        .args(["diff", "--discovery"])
        .arg(&old)
        .arg("--discovery")
        .arg(&new)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("google-lab-v1: 0 breaking"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A new schema whose name is an old type's (here `Job` beside `GoogleCloudLabV1Job`, which was
/// `Job` without the API's prefix) takes another name rather than rename the old type.
#[test]
fn a_new_schema_does_not_take_an_old_type_name() {
    let mut doc = growing(false);
    doc["schemas"]["GoogleCloudLabV1Job"] =
        json!({"id": "GoogleCloudLabV1Job", "type": "object", "properties": {"state": {"type": "string"}}});
    doc["schemas"]["Filter"]["properties"]["job"] = json!({"$ref": "GoogleCloudLabV1Job"});
    let (old, names) = generation(&doc, None);
    assert_eq!(names.types["GoogleCloudLabV1Job"], "Job");
    doc["revision"] = json!("2");
    doc["schemas"]["Job"] = json!({"id": "Job", "type": "object", "properties": {"id": {"type": "string"}}});
    doc["schemas"]["Filter"]["properties"]["other"] = json!({"$ref": "Job"});
    // By the rules alone the prefix stays on the old schema and the new one is `Job`.
    let (fresh, _) = generation(&doc, None);
    assert!(record::renames(&old, &fresh).iter().any(|r| r.starts_with("type Job")));
    let (new, record) = generation(&doc, Some(names));
    let breaking: Vec<_> = surface::diff(&old, &new).into_iter().filter(|c| c.breaking()).collect();
    assert!(breaking.is_empty(), "{breaking:#?}");
    assert_eq!(record.types["GoogleCloudLabV1Job"], "Job");
    assert_eq!(record.types["Job"], "JobSchema");
}

/// The surface gives each item the type code names it by (what `cargo xtask semver-confirm`'s
/// programs write): a field boxed to break a cycle is a `Box`, a repeated required parameter
/// takes a list (`[T]`); a change of either breaks code, so the diff must see it.
#[test]
fn signatures_are_the_types_code_names() {
    let doc = json!({
        "kind": "discovery#restDescription", "name": "tree", "version": "v1", "title": "Tree",
        "rootUrl": "https://tree.example.com/", "servicePath": "", "revision": "1",
        "schemas": {"Node": {"id": "Node", "type": "object", "properties": {
            "child": {"$ref": "Node"},
            "sizes": {"type": "array", "items": {"type": "array", "items": {"type": "string", "format": "int64"}}}}}},
        "resources": {"nodes": {"methods": {"batch": {"id": "tree.nodes.batch", "path": "nodes:batch",
            "httpMethod": "GET", "response": {"$ref": "Node"},
            "parameters": {"ids": {"type": "string", "location": "query", "required": true, "repeated": true}}}}}}
    });
    let surface = surface_of(&doc);
    let signature = |path: &str| surface.items.get(path).map(|(_, s)| s.as_str());
    assert_eq!(signature("Node.child"), Some("Box<Node>"));
    // 64-bit integers nested in a list travel as strings.
    assert_eq!(signature("Node.sizes"), Some("Vec<Vec<String>>"));
    assert_eq!(signature("client.nodes().batch"), Some("(ids: [String]) -> Batch (send: Node)"));
}

/// A type whose name could not be kept is a deprecated alias of its new name (backupdr.v1
/// 2.181.0 -> 2.190.0: `BackupView` became `BackupViewEnum`): code naming it, its variants,
/// or a setter taking it still compiles, so only what the new type lacks is breaking.
#[test]
fn a_type_now_a_deprecated_alias_is_seen_through() {
    let surface = |items: &[(&str, Kind, &str)]| Surface {
        items: items.iter().map(|(p, k, s)| ((*p).to_owned(), (*k, (*s).to_owned()))).collect(),
        ..Surface::default()
    };
    let old = surface(&[
        ("BackupView", Kind::Type, "enum"),
        ("BackupView::Basic", Kind::Variant, "BACKUP_VIEW_BASIC"),
        ("BackupView::Full", Kind::Variant, "BACKUP_VIEW_FULL"),
        ("client.backups().get(..).view", Kind::Setter, "BackupView"),
        ("Backup.views", Kind::Field, "Vec<BackupView>"),
    ]);
    let mut items = vec![
        ("BackupView", Kind::Type, "= BackupViewEnum (deprecated)"),
        ("BackupViewEnum", Kind::Type, "enum"),
        ("BackupViewEnum::Basic", Kind::Variant, "BACKUP_VIEW_BASIC"),
        ("BackupViewEnum::Full", Kind::Variant, "BACKUP_VIEW_FULL"),
        ("client.backups().get(..).view", Kind::Setter, "BackupViewEnum"),
        ("Backup.views", Kind::Field, "Vec<BackupViewEnum>"),
    ];
    let changes = surface::diff(&old, &surface(&items));
    let found: Vec<(&str, Change)> = changes.iter().map(|c| (c.path.as_str(), c.change)).collect();
    assert_eq!(
        found,
        [
            ("BackupView", Change::Deprecated),
            ("BackupViewEnum", Change::Added),
            ("BackupViewEnum::Basic", Change::Added),
            ("BackupViewEnum::Full", Change::Added)
        ],
        "{changes:#?}"
    );
    assert!(!changes.iter().any(|c| c.breaking()));
    assert_eq!(record::renames(&old, &surface(&items)), ["type BackupView: now = BackupViewEnum (deprecated)"]);
    // What the new type lacks is still removed, and an alias of another kind of type is a change.
    items.retain(|(path, ..)| *path != "BackupViewEnum::Full");
    let changes = surface::diff(&old, &surface(&items));
    let breaking: Vec<(&str, Change)> =
        changes.iter().filter(|c| c.breaking()).map(|c| (c.path.as_str(), c.change)).collect();
    assert_eq!(breaking, [("BackupView::Full", Change::Removed)]);
    items[1].2 = "struct";
    let changes = surface::diff(&old, &surface(&items));
    assert!(changes.iter().any(|c| c.path == "BackupView" && c.change == Change::Changed), "{changes:#?}");
}

/// A method-less resource's handle (networkmanagement's `projects.locations.global`, whose
/// methods are its children's) keeps its module when a new resource of the same name comes
/// first in the next revision (`organizations.locations.global` in 2.190.0).
#[test]
fn a_handle_without_methods_keeps_its_module_when_a_namesake_arrives() {
    let get = |id: &str, p: &str| {
        json!({"id": id, "path": "v1/{+name}", "httpMethod": "GET", "parameterOrder": ["name"],
            "parameters": {"name": {"type": "string", "location": "path", "required": true, "pattern": p}}})
    };
    let global = |owner: &str| {
        json!({"locations": {"resources": {"global": {"resources": {"tests": {"methods": {"get": get(
            &format!("lab.{owner}.locations.global.tests.get"),
            &format!("^{owner}/[^/]+/locations/global/tests/[^/]+$"),
        )}}}}}}})
    };
    let revision = |organizations: bool| {
        let mut resources = serde_json::Map::new();
        if organizations {
            resources.insert("organizations".into(), json!({"resources": global("organizations")}));
        }
        resources.insert("projects".into(), json!({"resources": global("projects")}));
        json!({
            "kind": "discovery#restDescription", "name": "lab", "version": "v1", "title": "Lab",
            "rootUrl": "https://lab.example.com/", "servicePath": "",
            "revision": if organizations { "2" } else { "1" }, "resources": resources
        })
    };
    let (old, names) = generation(&revision(false), None);
    assert_eq!(names.modules.get("projects.locations.global").map(String::as_str), Some("global"));
    let (new, record) = generation(&revision(true), Some(names));
    let breaking: Vec<_> = surface::diff(&old, &new).into_iter().filter(|c| c.breaking()).collect();
    assert!(breaking.is_empty(), "{breaking:#?}");
    assert_eq!(record.modules.get("projects.locations.global").map(String::as_str), Some("global"));
    assert_ne!(record.modules.get("organizations.locations.global").map(String::as_str), Some("global"));
}
