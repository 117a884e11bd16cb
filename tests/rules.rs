//! StackQL resource-model and page rules, exercised on small hand-written Discovery documents.

use discogen::ir::{Api, SqlVerb};
use discogen::pipeline::{build_api, Input};
use discogen_tests::docs_for;
use serde_json::{json, Value};

fn api(doc: &Value, config: Option<&str>) -> Api {
    let text = doc.to_string();
    build_api(Input { name: "test.json", text: &text }, config.map(|text| Input { name: "test.yaml", text }))
        .expect("document builds")
}

/// A method whose path placeholders are all declared as required path parameters.
fn method(id: &str, http: &str, flat_path: &str, response: Option<&str>) -> Value {
    let mut m = json!({
        "id": id, "httpMethod": http, "path": flat_path, "flatPath": flat_path,
        "parameters": path_params(flat_path), "parameterOrder": [], "description": format!("{id} does things.")
    });
    if let Some(response) = response {
        m["response"] = json!({"$ref": response});
    }
    m
}

fn path_params(path: &str) -> Value {
    let mut params = serde_json::Map::new();
    for piece in path.split('{').skip(1) {
        let name = piece.split('}').next().unwrap();
        params.insert(name.to_owned(), json!({"type": "string", "location": "path", "required": true}));
    }
    Value::Object(params)
}

fn document(resources: Value, schemas: Value) -> Value {
    json!({"name": "svc", "version": "v1", "rootUrl": "https://svc.googleapis.com/", "servicePath": "",
           "resources": resources, "schemas": schemas})
}

fn page<'a>(files: &'a [discogen::file::File], resource: &str) -> &'a str {
    let path = format!("svc/{resource}/index.md");
    &files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} not generated")).contents
}

fn list_schemas() -> Value {
    json!({
        "Widget": {"id": "Widget", "type": "object", "properties": {"name": {"type": "string"}}},
        "ListWidgetsResponse": {"id": "ListWidgetsResponse", "type": "object", "properties": {
            "unreachable": {"type": "string"},
            "widgets": {"type": "array", "items": {"$ref": "Widget"}},
            "others": {"type": "array", "items": {"type": "string"}},
            "nextPageToken": {"type": "string"}}},
        "Unpaged": {"id": "Unpaged", "type": "object", "properties": {
            "widgets": {"type": "array", "items": {"$ref": "Widget"}}}}
    })
}

#[test]
fn object_key_is_the_first_array_of_a_paged_get_list() {
    let doc = document(
        json!({"projects": {"resources": {"widgets": {"methods": {
            "list": method("svc.projects.widgets.list", "GET", "v1/projects/{projectsId}/widgets", Some("ListWidgetsResponse")),
            "listUnpaged": method("svc.projects.widgets.listUnpaged", "GET", "v1/projects/{projectsId}/widgets:unpaged", Some("Unpaged")),
            "listPosted": method("svc.projects.widgets.listPosted", "POST", "v1/projects/{projectsId}/widgets:posted", Some("ListWidgetsResponse")),
            "getIamPolicy": method("svc.projects.widgets.getIamPolicy", "GET", "v1/projects/{projectsId}/widgets/{widgetsId}:getIamPolicy", Some("Widget"))
        }}}}}),
        list_schemas(),
    );
    let api = api(&doc, None);
    let key = |resource: &str, method: &str| {
        let resource = api.resources.iter().find(|r| r.name == resource).expect(resource);
        resource.method(method).expect(method).object_key.clone()
    };
    assert_eq!(key("widgets", "list").as_deref(), Some("$.widgets"));
    assert_eq!(key("widgets_unpaged", "list_unpaged"), None, "no nextPageToken, no object key");
    assert_eq!(key("widgets_posted", "list_posted"), None, "only GET lists unwrap");
    assert_eq!(key("widgets_iam_policies", "get_iam_policy").as_deref(), Some("$.bindings"));
}

#[test]
fn select_methods_order_by_path_parameter_count_and_later_names_overwrite() {
    let doc = document(
        json!({
            "projects": {"resources": {"widgets": {"methods": {
                "list": method("svc.projects.widgets.list", "GET", "v1/projects/{projectsId}/widgets", Some("ListWidgetsResponse")),
                "get": method("svc.projects.widgets.get", "GET", "v1/projects/{projectsId}/widgets/{widgetsId}", Some("Widget"))
            }}}},
            "widgets": {"methods": {
                "get": method("svc.widgets.get", "GET", "v1/widgets/{widgetsId}", Some("Widget"))
            }}
        }),
        list_schemas(),
    );
    let api = api(&doc, None);
    let widgets = api.resources.iter().find(|r| r.name == "widgets").unwrap();
    // Pushed: list(1), get(2), get(1) -> sorted by count, first occurrence kept.
    assert_eq!(widgets.group(SqlVerb::Select), ["get", "list"]);
    // The later top-level `get` replaced the project-level one but kept its position.
    assert_eq!(widgets.methods.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["list", "get"]);
    assert_eq!(widgets.method("get").unwrap().operation_id, "svc.widgets.get");
    assert_eq!(widgets.method("get").unwrap().path, "/v1/widgets/{widgetsId}");
}

#[test]
fn same_path_and_verb_overwrites_the_earlier_method() {
    let doc = document(
        json!({
            "projects": {"resources": {"widgets": {"methods": {
                "upload": method("svc.projects.widgets.upload", "POST", "v1/upload", Some("Widget"))
            }}}},
            "media": {"methods": {
                "upload": method("svc.media.upload", "POST", "v1/upload", Some("Widget"))
            }}
        }),
        list_schemas(),
    );
    let api = api(&doc, None);
    let names: Vec<&str> = api.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["media"], "the projects-level upload was overwritten");
    // Both methods stay in the IR for other emitters.
    assert_eq!(api.methods.len(), 2);
}

#[test]
fn overrides_rename_resources_and_force_verbs() {
    let doc = document(
        json!({"projects": {"resources": {"widgets": {"methods": {
            "create": method("svc.projects.widgets.create", "POST", "v1/projects/{projectsId}/widgets", Some("Widget")),
            "addThing": method("svc.projects.widgets.addThing", "POST", "v1/projects/{projectsId}/widgets:addThing", Some("Widget"))
        }}}}}),
        list_schemas(),
    );
    let config = "stackql:\n  resource_names:\n    svc.projects.widgets.addThing: widgets\n  sql_verbs:\n    svc.projects.widgets.addThing: exec\n";
    let api = api(&doc, Some(config));
    assert_eq!(api.resources.len(), 1);
    let widgets = &api.resources[0];
    assert_eq!(widgets.method("add_thing").unwrap().sql_verb, SqlVerb::Exec);
    assert_eq!(widgets.group(SqlVerb::Insert), ["create"]);
    assert_eq!(widgets.exec_methods().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["add_thing"]);
}

/// StackQL quirk: a `$ref` property with its own description shows the target's description
/// once a sibling-less reference to the same schema was dereferenced earlier in the crawl.
#[test]
fn ref_description_depends_on_dereferencing_order() {
    let schemas = json!({
        "Holder": {"id": "Holder", "type": "object", "properties": {
            "first": {"description": "Own text of first.", "$ref": "Status"},
            "many": {"type": "array", "items": {"$ref": "Status"}},
            "second": {"description": "Own text of second.", "$ref": "Status"}}},
        "Status": {"id": "Status", "type": "object", "description": "The Status type.",
                   "properties": {"code": {"type": "integer", "format": "int32"}}}
    });
    let doc = document(
        json!({"projects": {"resources": {"holders": {"methods": {
            "get": method("svc.projects.holders.get", "GET", "v1/projects/{projectsId}/holders/{holdersId}", Some("Holder"))
        }}}}}),
        schemas,
    );
    let files = docs_for(&doc, None).unwrap();
    let page = page(&files, "holders");
    assert!(page.contains("<td>Own text of first. (id: Status)</td>"), "{page}");
    assert!(page.contains("<td>The Status type. (id: Status)</td>"), "second comes after the items ref: {page}");
}

#[test]
fn descriptions_are_escaped_for_mdx_in_tables_but_raw_in_the_manifest() {
    let schemas = json!({
        "Widget": {"id": "Widget", "type": "object", "properties": {
            "name": {"type": "string", "description": "Format: `projects/{project}/widgets/{widget}` <b>bold</b>"},
            "size": {"type": "integer", "format": "int32", "description": "Size."},
            "kind": {"type": "string", "enum": ["A", "B"], "description": "Kind."},
            "state": {"type": "string", "readOnly": true, "description": "Output only."}}}
    });
    let doc = document(
        json!({"projects": {"resources": {"widgets": {"methods": {
            "get": method("svc.projects.widgets.get", "GET", "v1/projects/{projectsId}/widgets/{widgetsId}", Some("Widget")),
            "create": {"id": "svc.projects.widgets.create", "httpMethod": "POST", "path": "v1/projects/{projectsId}/widgets",
                       "flatPath": "v1/projects/{projectsId}/widgets", "parameters": path_params("{projectsId}"), "request": {"$ref": "Widget"},
                       "response": {"$ref": "Widget"}}
        }}}}}),
        schemas,
    );
    let files = docs_for(&doc, None).unwrap();
    let page = page(&files, "widgets");
    assert!(page.contains("Format: `projects/&#123;project&#125;/widgets/&#123;widget&#125;` &lt;b&gt;bold&lt;/b&gt;"));
    assert!(page.contains("        Format: `projects/{project}/widgets/{widget}` <b>bold</b>\n        \n"));
    assert!(page.contains("      valid_values: ['A', 'B']\n"));
    // Integers are unquoted in SQL values; read-only fields are not insertable.
    assert!(page.contains("'{{ name }}',\n{{ size }},\n'{{ kind }}',"), "{page}");
    assert!(!page.contains("data__state"));
    // No description on the method: the fallback text.
    assert!(page.contains("<TabItem value=\"create\">\n\nNo description available.\n"));
}

#[test]
fn service_index_lists_resources_in_locale_order_in_two_columns() {
    let doc = document(
        json!({"projects": {"resources": {
            "models": {"methods": {"get": method("svc.projects.models.get", "GET", "v1/projects/{projectsId}/models/{modelsId}", Some("Widget"))}},
            "modelVersions": {"methods": {"get": method("svc.projects.modelVersions.get", "GET", "v1/projects/{projectsId}/modelVersions/{modelVersionsId}", Some("Widget"))}},
            "alphas": {"methods": {"get": method("svc.projects.alphas.get", "GET", "v1/projects/{projectsId}/alphas/{alphasId}", Some("Widget"))}}
        }}}),
        list_schemas(),
    );
    let files = docs_for(&doc, None).unwrap();
    let index = &files.iter().find(|f| f.path == "svc/index.md").unwrap().contents;
    let expected_tail = "## Resources\n<div class=\"row\">\n<div class=\"providerDocColumn\">\n\
        <a href=\"/services/svc/alphas/\">alphas</a><br />\n<a href=\"/services/svc/model_versions/\">model_versions</a>\n</div>\n\
        <div class=\"providerDocColumn\">\n<a href=\"/services/svc/models/\">models</a>\n</div>\n</div>";
    assert!(index.ends_with(expected_tail), "{index}");
    assert!(index.contains("total resources: __3__  \n"));
}

/// Rule 1: after the path is chosen, the first `{parent}` becomes `{parentType}/{parent}`:
/// two required path parameters, which also count when SELECT tabs are ordered.
#[test]
fn parent_placeholder_becomes_parent_type_and_parent() {
    let mut list = method("svc.widgets.list", "GET", "v1/{+parent}/widgets", Some("ListWidgetsResponse"));
    list["flatPath"] = json!("v1/{v1Id}/{v1Id1}/widgets");
    list["parameters"] = json!({"parent": {"type": "string", "location": "path", "required": true}});
    let doc = document(
        json!({"widgets": {"methods": {
            "get": method("svc.widgets.get", "GET", "v1/widgets/{widgetsId}", Some("Widget")),
            "list": list
        }}}),
        list_schemas(),
    );
    let api = api(&doc, None);
    let widgets = api.resources.iter().find(|r| r.name == "widgets").expect("widgets");
    let list = widgets.method("list").expect("list");
    assert_eq!(list.path, "/v1/{parentType}/{parent}/widgets");
    let required: Vec<&str> = list.params.iter().filter(|p| p.required).map(|p| p.name.as_str()).collect();
    assert_eq!(required, ["parentType", "parent"]);
    // list now has two path parameters, get one: list comes first.
    assert_eq!(widgets.group(SqlVerb::Select), ["list", "get"]);
    let files = docs_for(&doc, None).unwrap();
    assert!(page(&files, "widgets")
        .contains("WHERE parentType = '{{ parentType }}' -- required\nAND parent = '{{ parent }}' -- required"));
}

/// Rule 2: the `{<version>Id}` case takes `path` cut at the first `:` and removes only the
/// first `+`.
#[test]
fn version_id_path_loses_only_its_first_plus() {
    let mut get = method("svc.tables.get", "GET", "v1/{+projectId}/tables/{+datasetId}:get", Some("Widget"));
    get["flatPath"] = json!("v1/{v1Id}/tables/{tablesId}:get");
    get["parameters"] = json!({"projectId": {"type": "string", "location": "path", "required": true},
                               "datasetId": {"type": "string", "location": "path", "required": true}});
    let doc = document(json!({"tables": {"methods": {"get": get}}}), list_schemas());
    let api = api(&doc, None);
    let get = api.resources[0].method("get").expect("get");
    assert_eq!(get.path, "/v1/{projectId}/tables/{+datasetId}");
    let path_params: Vec<&str> = get.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(path_params, ["projectId", "+datasetId"]);
}

/// A service with one resource, `widgets`, and one method, `get`.
fn one_widget_document() -> Value {
    document(
        json!({"widgets": {"methods": {"get": method("svc.widgets.get", "GET", "v1/widgets/{widgetsId}", Some("Widget"))}}}),
        list_schemas(),
    )
}

/// Rule 3: with one resource the index's second column is an empty line.
#[test]
fn service_index_with_one_resource_has_an_empty_second_column() {
    let doc = one_widget_document();
    let files = docs_for(&doc, None).unwrap();
    let index = &files.iter().find(|f| f.path == "svc/index.md").unwrap().contents;
    let expected_tail = "<div class=\"providerDocColumn\">\n<a href=\"/services/svc/widgets/\">widgets</a>\n</div>\n\
        <div class=\"providerDocColumn\">\n\n</div>\n</div>";
    assert!(index.ends_with(expected_tail), "{index}");
    assert!(index.contains("total resources: __1__  \n"));
}

/// A create method with a body (`Widget`) and query parameters.
fn create_with_params(params: Value) -> Value {
    let mut parameters = path_params("{projectsId}");
    for (name, param) in params.as_object().unwrap() {
        parameters[name] = param.clone();
    }
    json!({"id": "svc.projects.widgets.create", "httpMethod": "POST", "path": "v1/projects/{projectsId}/widgets",
           "flatPath": "v1/projects/{projectsId}/widgets", "parameters": parameters,
           "request": {"$ref": "Widget"}, "response": {"$ref": "Widget"}})
}

/// Rule 4: optional manifest parameters keep their format; required ones show the type only.
#[test]
fn optional_manifest_parameters_keep_their_format() {
    let create = create_with_params(json!({
        "ifGenerationMatch": {"type": "string", "format": "int64", "location": "query"},
        "count": {"type": "string", "format": "int64", "location": "query", "required": true}
    }));
    let doc =
        document(json!({"projects": {"resources": {"widgets": {"methods": {"create": create}}}}}), list_schemas());
    let files = docs_for(&doc, None).unwrap();
    let page = page(&files, "widgets");
    assert!(page.contains("    - name: ifGenerationMatch\n      value: string (int64)\n"), "{page}");
    assert!(page.contains("    - name: count\n      value: string\n      description: Required parameter"), "{page}");
}

/// Rule 5: a literal `\s` in a manifest description becomes a line break plus indentation;
/// the field tables keep it.
#[test]
fn backslash_s_in_manifest_descriptions_folds_into_a_new_line() {
    let schemas = json!({"Widget": {"id": "Widget", "type": "object", "properties": {
        "label": {"type": "string", "description": "Matches [\\w\\s\\-.]+."}}}});
    let create = create_with_params(json!({}));
    let doc = document(json!({"projects": {"resources": {"widgets": {"methods": {"create": create}}}}}), schemas);
    let files = docs_for(&doc, None).unwrap();
    let page = page(&files, "widgets");
    assert!(page.contains("      description: >\n        Matches [\\w\n        \\-.]+.\n        \n"), "{page}");
}

/// Rule 6: `skip_this_resource` drops the method: no page, not counted in the index.
#[test]
fn skip_this_resource_drops_the_method() {
    let doc = document(
        json!({"projects": {"resources": {
            "widgets": {"methods": {"get": method("svc.projects.widgets.get", "GET", "v1/projects/{projectsId}/widgets/{widgetsId}", Some("Widget"))}},
            "gadgets": {"methods": {"get": method("svc.projects.gadgets.get", "GET", "v1/projects/{projectsId}/gadgets/{gadgetsId}", Some("Widget"))}}
        }}}),
        list_schemas(),
    );
    let config = "stackql:\n  resource_names:\n    svc.projects.gadgets.get: skip_this_resource\n";
    let files = docs_for(&doc, Some(config)).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["svc/index.md", "svc/widgets/index.md"]);
    assert!(files[0].contents.contains("total resources: __1__  \n"));
}

/// Rule 7: `service_name` names the folder, the resource ids and the index; the Discovery
/// name stays the service's name elsewhere.
#[test]
fn service_name_renames_folder_ids_and_index() {
    let doc = one_widget_document();
    let config = "stackql:\n  service_name: svcv2\n";
    let api = api(&doc, Some(config));
    assert_eq!((api.service.name.as_str(), api.resources[0].id.as_str()), ("svc", "google.svcv2.widgets"));
    let files = docs_for(&doc, Some(config)).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["svcv2/index.md", "svcv2/widgets/index.md"]);
    assert!(files[0].contents.contains("title: svcv2\n"));
    assert!(files[0].contents.contains("<a href=\"/services/svcv2/widgets/\">widgets</a>"));
    assert!(files[1].contents.contains("<CopyableCode code=\"google.svcv2.widgets\" />"));
    assert!(files[1].contents.contains("FROM google.svcv2.widgets\n"));
}

/// Rule 8: an override naming a missing method is an error by default and a warning (and
/// otherwise ignored) with `unknown_methods: warn`.
#[test]
fn unknown_override_methods_error_or_warn() {
    let doc = one_widget_document();
    let overrides = "  resource_names:\n    svc.widgets.gone: gadgets\n";
    let text = doc.to_string();
    let error = build_api(
        Input { name: "test.json", text: &text },
        Some(Input { name: "test.yaml", text: &format!("stackql:\n{overrides}") }),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("test.yaml: stackql.resource_names.svc.widgets.gone"), "{error}");
    let api = api(&doc, Some(&format!("stackql:\n  unknown_methods: warn\n{overrides}")));
    assert_eq!(api.warnings.len(), 1);
    assert!(api.warnings[0].contains("svc.widgets.gone"), "{:?}", api.warnings);
    assert_eq!(api.resources.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["widgets"]);
    let unknown = "stackql:\n  unknown_methods: ignore\n";
    assert!(
        build_api(Input { name: "test.json", text: &text }, Some(Input { name: "test.yaml", text: unknown })).is_err()
    );
}

/// The clean profile: code spans keep their braces, `$ref` properties show their own
/// description, optional UPDATE parameters are `{{ P }}`, manifest descriptions are as
/// written; everything else is as in the stackql profile.
#[test]
fn clean_profile_switches_each_quirk_off() {
    let schemas = json!({
        "Widget": {"id": "Widget", "type": "object", "properties": {
            "name": {"type": "string", "description": "Format: `projects/{project}/widgets/{widget}`, not {this}."},
            "label": {"type": "string", "description": "Matches [\\w\\s]+."},
            "many": {"type": "array", "items": {"$ref": "Status"}},
            "status": {"description": "Own text of status.", "$ref": "Status"}}},
        "Status": {"id": "Status", "type": "object", "description": "The Status type.",
                   "properties": {"code": {"type": "integer", "format": "int32"}}}
    });
    let mut patch = create_with_params(
        json!({"updateMask": {"type": "string", "format": "google-fieldmask", "location": "query"}}),
    );
    patch["id"] = json!("svc.projects.widgets.patch");
    patch["httpMethod"] = json!("PATCH");
    let doc = document(
        json!({"projects": {"resources": {"widgets": {"methods": {
            "get": method("svc.projects.widgets.get", "GET", "v1/projects/{projectsId}/widgets/{widgetsId}", Some("Widget")),
            "create": create_with_params(json!({})),
            "patch": patch
        }}}}}),
        schemas,
    );
    let api = api(&doc, None);
    let render = |profile| discogen::docs::render_profile(&api, profile).expect("renders");
    let (stackql, clean) = (render(discogen::docs::Profile::Stackql), render(discogen::docs::Profile::Clean));
    assert_eq!(stackql, docs_for(&doc, None).unwrap(), "stackql is the default");
    let (stackql, clean) = (page(&stackql, "widgets"), page(&clean, "widgets"));
    assert!(
        stackql.contains("Format: `projects/&#123;project&#125;/widgets/&#123;widget&#125;`, not &#123;this&#125;.")
    );
    assert!(clean.contains("Format: `projects/{project}/widgets/{widget}`, not &#123;this&#125;."), "{clean}");
    assert!(stackql.contains("<td>The Status type. (id: Status)</td>"));
    assert!(clean.contains("<td>Own text of status. (id: Status)</td>"), "{clean}");
    assert!(stackql.contains("AND updateMask = '{{ updateMask}}'"));
    assert!(clean.contains("AND updateMask = '{{ updateMask }}'"), "{clean}");
    assert!(stackql.contains("        Matches [\\w\n        ]+.\n"));
    assert!(clean.contains("        Matches [\\w\\s]+.\n"), "{clean}");
}
