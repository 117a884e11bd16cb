//! One resource page: the view model handed to `templates/resource.md`.
//!
//! SQL fragments contain StackQL's own `{{ placeholder }}` syntax, which clashes with the
//! template language, so they are composed here; the template lays the page out.

use askama::Template;

use super::fields::{escape, FieldView, Resolver};
use super::model::{param_datatype, MethodData};
use super::profile::Profile;
use crate::ir::{Api, SqlParam, SqlResource, SqlVerb};

#[derive(Template)]
#[template(path = "resource.md", escape = "none")]
pub struct ResourcePage {
    pub provider: String,
    pub service: String,
    pub name: String,
    pub id: String,
    pub article: &'static str,
    pub fields: Option<Section<FieldTab>>,
    pub methods: Vec<MethodRow>,
    pub params: Vec<ParamRow>,
    pub selects: Option<Section<SelectExample>>,
    pub inserts: Option<Section<InsertExample>>,
    pub manifest: Vec<ManifestEntry>,
    pub updates: Option<Section<ChangeExample>>,
    pub replaces: Option<Section<ChangeExample>>,
    pub deletes: Option<Section<DeleteExample>>,
    pub execs: Option<Section<ExecExample>>,
    /// The Manifest tab's YAML as a CodeBlock template literal (current format only).
    pub manifest_block: String,
}

/// A page in StackQL's current format (`templates/resource_current.md`): the same view model.
#[derive(Template)]
#[template(path = "resource_current.md", escape = "none")]
pub struct CurrentPage<'a> {
    pub page: &'a ResourcePage,
}

impl std::ops::Deref for CurrentPage<'_> {
    type Target = ResourcePage;

    fn deref(&self) -> &ResourcePage {
        self.page
    }
}

/// A `<Tabs>` block: its tab labels/values and one item per tab.
pub struct Section<T> {
    pub tabs: Vec<Tab>,
    pub items: Vec<T>,
}

pub struct Tab {
    pub label: String,
    pub value: String,
}

pub struct FieldTab {
    pub method: String,
    pub response_description: String,
    pub rows: Vec<FieldRow>,
}

pub struct FieldRow {
    pub name: String,
    pub datatype: String,
    pub description: String,
}

pub struct MethodRow {
    pub name: String,
    pub verb: &'static str,
    pub required: Vec<String>,
    pub optional: Vec<String>,
    pub description: String,
}

pub struct ParamRow {
    pub name: String,
    pub datatype: String,
}

pub struct SelectExample {
    pub method: String,
    pub description: String,
    pub columns: Vec<String>,
    pub conditions: Vec<String>,
}

pub struct InsertExample {
    pub method: String,
    pub description: String,
    pub columns: Vec<String>,
    pub values: Vec<String>,
    pub returning: Vec<String>,
}

pub struct ManifestEntry {
    pub name: String,
    pub value: String,
    /// Fixed text for required parameters, written on one line.
    pub note: Option<String>,
    /// A body field's raw description, written as a folded block.
    pub description: Option<String>,
    pub valid_values: Option<String>,
    pub default: Option<String>,
}

pub struct ChangeExample {
    pub method: String,
    pub description: String,
    pub assignments: Vec<String>,
    pub conditions: Vec<String>,
    pub returning: Vec<String>,
}

pub struct DeleteExample {
    pub method: String,
    pub description: String,
    pub conditions: Vec<String>,
}

pub struct ExecExample {
    pub method: String,
    pub description: String,
    pub params: Vec<String>,
    pub json: Option<Vec<String>>,
}

impl ResourcePage {
    pub fn new(api: &Api, resource: &SqlResource, resolver: &Resolver<'_>, profile: Profile) -> ResourcePage {
        let service = &api.service;
        let all: Vec<MethodData<'_>> =
            resource.methods.iter().map(|method| MethodData::new(method, resolver)).collect();
        let group = |verb: SqlVerb| -> Vec<&MethodData<'_>> {
            resource.group(verb).iter().filter_map(|name| all.iter().find(|m| &m.method.name == name)).collect()
        };
        let selects = group(SqlVerb::Select);
        let inserts = group(SqlVerb::Insert);
        let updates = group(SqlVerb::Update);
        let replaces = group(SqlVerb::Replace);
        let deletes = group(SqlVerb::Delete);
        let execs: Vec<&MethodData<'_>> =
            resource.exec_methods().filter_map(|e| all.iter().find(|m| m.method.name == e.name)).collect();

        let mut methods = Vec::new();
        for (verb, list) in [
            (SqlVerb::Select, &selects),
            (SqlVerb::Insert, &inserts),
            (SqlVerb::Update, &updates),
            (SqlVerb::Replace, &replaces),
            (SqlVerb::Delete, &deletes),
            (SqlVerb::Exec, &execs),
        ] {
            methods.extend(list.iter().map(|m| method_row(verb, m, profile)));
        }
        ResourcePage {
            provider: service.provider.clone(),
            service: service.stackql_name.clone(),
            name: resource.name.clone(),
            id: resource.id.clone(),
            article: article(&resource.name),
            fields: section(&selects, |m| field_tab(m, profile)),
            methods,
            params: param_rows(&all, profile),
            selects: section(&selects, |m| select_example(m, profile)),
            inserts: insert_section(&inserts, profile),
            manifest: manifest(&resource.name, &inserts, profile),
            updates: section(&updates, |m| change_example(m, profile)),
            replaces: section(&replaces, |m| change_example(m, profile)),
            deletes: section(&deletes, |m| delete_example(m, profile)),
            execs: section(&execs, |m| exec_example(m, profile)),
            manifest_block: if profile.is_current() && !inserts.is_empty() {
                super::mdx::code_block_literal(&super::manifest::render(&resource.name, &inserts, resolver))
            } else {
                String::new()
            },
        }
    }
}

/// "an" before a vowel sound as StackQL guesses it: a, e, i, o, `un...` and `hour...`.
pub fn article(name: &str) -> &'static str {
    let mut chars = name.chars();
    let an = match chars.next() {
        Some('a' | 'e' | 'i' | 'o') => true,
        Some('u') => chars.next() == Some('n'),
        _ => name.starts_with("hour"),
    };
    if an {
        "an"
    } else {
        "a"
    }
}

fn tabs(methods: &[&MethodData<'_>]) -> Vec<Tab> {
    methods.iter().map(|m| Tab { label: m.method.name.clone(), value: m.method.name.clone() }).collect()
}

fn section<'a, T>(methods: &[&MethodData<'a>], item: impl Fn(&MethodData<'a>) -> T) -> Option<Section<T>> {
    (!methods.is_empty()).then(|| Section { tabs: tabs(methods), items: methods.iter().map(|m| item(m)).collect() })
}

fn description_or(m: &MethodData<'_>, fallback_to_response: bool, profile: Profile) -> String {
    let text = [m.method.description.as_str(), if fallback_to_response { m.response_description } else { "" }]
        .into_iter()
        .find(|text| !text.is_empty())
        .unwrap_or("No description available.");
    escape(text, profile)
}

fn method_row(verb: SqlVerb, m: &MethodData<'_>, profile: Profile) -> MethodRow {
    let names = |params: &[&SqlParam]| params.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    let mut required = names(&m.required);
    if profile.is_current() {
        required.extend(m.required_body.iter().map(|name| format!("data__{name}")));
    }
    MethodRow {
        name: m.method.name.clone(),
        verb: verb.as_str(),
        required,
        optional: names(&m.optional),
        description: escape(&m.method.description, profile),
    }
}

fn field_rows(fields: &[FieldView<'_>], profile: Profile) -> Vec<FieldRow> {
    fields
        .iter()
        .map(|f| FieldRow {
            // Shown in a JSX attribute (`code="..."`), which a quote would end.
            name: f.name.replace('"', "&quot;"),
            // Types and formats come from the document: escaped like descriptions so that a
            // `<` or `{` in them cannot open JSX (real documents never have one).
            datatype: escape(&f.datatype(), profile),
            description: escape(&f.table_description(profile.is_current() || !profile.is_stackql()), profile),
        })
        .collect()
}

fn field_tab(m: &MethodData<'_>, profile: Profile) -> FieldTab {
    // The current format shows the response's own description, but not the generic one.
    let response_description = if !profile.is_current() {
        m.response_description.to_owned()
    } else if m.method.response_description == "Successful response" {
        String::new()
    } else {
        escape(&m.method.response_description, profile)
    };
    FieldTab { method: m.method.name.clone(), response_description, rows: field_rows(&m.response, profile) }
}

/// All required parameters (sorted), then all optional ones (sorted); a name may be in both.
/// The datatype shown is that of the last method having the parameter.
fn param_rows(methods: &[MethodData<'_>], profile: Profile) -> Vec<ParamRow> {
    let mut rows = Vec::new();
    for required in [true, false] {
        let mut seen: Vec<(String, String)> = Vec::new();
        for param in methods.iter().flat_map(|m| if required { &m.required } else { &m.optional }) {
            let datatype = escape(&param_datatype(param), profile);
            match seen.iter_mut().find(|(name, _)| *name == param.name) {
                Some(slot) => slot.1 = datatype,
                None => seen.push((param.name.clone(), datatype)),
            }
        }
        seen.sort_by(|a, b| super::fields::js_string_order(&a.0, &b.0));
        rows.extend(seen.into_iter().map(|(name, datatype)| ParamRow { name, datatype }));
    }
    rows
}

fn placeholder(name: &str) -> String {
    format!("{{{{ {name} }}}}")
}

fn select_example(m: &MethodData<'_>, profile: Profile) -> SelectExample {
    let required = m.required.iter().map(|p| format!("{} = '{}' -- required", p.name, placeholder(&p.name)));
    let optional = m.optional.iter().map(|p| format!("{} = '{}'", p.name, placeholder(&p.name)));
    SelectExample {
        method: m.method.name.clone(),
        description: description_or(m, true, profile),
        columns: if m.response.is_empty() {
            vec!["*".to_owned()]
        } else {
            m.response.iter().map(|f| f.name.to_owned()).collect()
        },
        conditions: required.chain(optional).collect(),
    }
}

fn quoted_value(field: &FieldView<'_>) -> String {
    if field.is_unquoted() {
        placeholder(field.name)
    } else {
        format!("'{}'", placeholder(field.name))
    }
}

fn returning(m: &MethodData<'_>) -> Vec<String> {
    m.response.iter().map(|f| f.name.to_owned()).collect()
}

fn insert_section(methods: &[&MethodData<'_>], profile: Profile) -> Option<Section<InsertExample>> {
    let mut section = section(methods, |m| insert_example(m, profile))?;
    section.tabs.push(Tab { label: "Manifest".to_owned(), value: "manifest".to_owned() });
    Some(section)
}

fn insert_example(m: &MethodData<'_>, profile: Profile) -> InsertExample {
    let params = m.required.iter().chain(&m.optional);
    InsertExample {
        method: m.method.name.clone(),
        description: description_or(m, false, profile),
        columns: m
            .writable_body()
            .map(|f| format!("data__{}", f.name))
            .chain(params.clone().map(|p| p.name.clone()))
            .collect(),
        values: m
            .writable_body()
            .map(|f| {
                let value = quoted_value(f);
                if profile.is_current() && m.required_body.contains(&f.name) {
                    format!("{value} /* required */")
                } else {
                    value
                }
            })
            .chain(params.map(|p| format!("'{}'", placeholder(&p.name))))
            .collect(),
        returning: returning(m),
    }
}

/// The YAML manifest tab, gathered across all insert methods: required parameters, writable
/// body fields (last definition wins, first position kept), then the other parameters.
fn manifest(resource: &str, methods: &[&MethodData<'_>], profile: Profile) -> Vec<ManifestEntry> {
    // Required parameters show their type alone; optional ones keep their format
    // (`string (int64)`), as on StackQL's storage `objects` page.
    let param_entry = |p: &SqlParam, required: bool| ManifestEntry {
        name: p.name.clone(),
        value: if required { p.json_type.clone().unwrap_or_default() } else { param_datatype(p) },
        note: required.then(|| format!("Required parameter for the {resource} resource.")),
        description: None,
        valid_values: None,
        default: None,
    };
    let mut required: Vec<ManifestEntry> = Vec::new();
    for p in methods.iter().flat_map(|m| m.required.iter()) {
        if !required.iter().any(|e| e.name == p.name) {
            required.push(param_entry(p, true));
        }
    }
    // Keyed by name: a schema may have thousands of fields, and a later definition replaces
    // an earlier one in place (`IndexMap::insert` keeps the first position).
    let mut body: indexmap::IndexMap<&str, ManifestEntry> = indexmap::IndexMap::new();
    for field in methods.iter().flat_map(|m| m.writable_body()) {
        let values: Vec<String> = field.shape.enum_values.iter().map(|v| format!("'{}'", v.value)).collect();
        let entry = ManifestEntry {
            name: field.name.to_owned(),
            value: field.json_type.unwrap_or("string").to_owned(),
            note: None,
            description: field.description.filter(|d| !d.is_empty()).map(|text| folded_description(text, profile)),
            valid_values: (!values.is_empty()).then(|| format!("[{}]", values.join(", "))),
            default: field.shape.default.clone(),
        };
        body.insert(field.name, entry);
    }
    let mut optional: Vec<ManifestEntry> = Vec::new();
    for p in methods.iter().flat_map(|m| m.optional.iter()) {
        if !required.iter().chain(&optional).any(|e| e.name == p.name) {
            optional.push(param_entry(p, false));
        }
    }
    required.into_iter().chain(body.into_values()).chain(optional).collect()
}

/// StackQL quirk: its folding of INSERT-manifest descriptions turns each literal two-character
/// `\s` into a line break followed by the description's indentation (a regular expression
/// such as `[\w\s\-.]+.` in a description is published as `[\w` / `        \-.]+.`).
/// The clean profile keeps the description as it is.
fn folded_description(text: &str, profile: Profile) -> String {
    if profile.is_stackql() {
        text.replace("\\s", "\n        ")
    } else {
        text.to_owned()
    }
}

fn change_example(m: &MethodData<'_>, profile: Profile) -> ChangeExample {
    let assignments = m.writable_body().map(|f| format!("data__{} = {}", f.name, quoted_value(f))).collect();
    let required = m.required.iter().map(|p| format!("{} = '{}' --required", p.name, placeholder(&p.name)));
    // StackQL quirk: optional parameters are written `{{ P}}`, without the space before `}}`
    // (the clean profile writes `{{ P }}`).
    let optional = m.optional.iter().map(|p| {
        let value = if profile.is_stackql() { format!("{{{{ {}}}}}", p.name) } else { placeholder(&p.name) };
        if p.json_type.as_deref() == Some("boolean") {
            format!("{} = {value}", p.name)
        } else {
            format!("{} = '{value}'", p.name)
        }
    });
    // The current format also requires the request body's required fields.
    let required_body = m
        .required_body
        .iter()
        .filter(|_| profile.is_current())
        .map(|name| format!("data__{name} = '{}' --required", placeholder(name)));
    ChangeExample {
        method: m.method.name.clone(),
        description: description_or(m, false, profile),
        assignments,
        conditions: required.chain(required_body).chain(optional).collect(),
        returning: returning(m),
    }
}

fn delete_example(m: &MethodData<'_>, profile: Profile) -> DeleteExample {
    let required = m.required.iter().map(|p| format!("{} = '{}' --required", p.name, placeholder(&p.name)));
    let optional = m.optional.iter().map(|p| format!("{} = '{}'", p.name, placeholder(&p.name)));
    DeleteExample {
        method: m.method.name.clone(),
        description: description_or(m, false, profile),
        conditions: required.chain(optional).collect(),
    }
}

fn exec_example(m: &MethodData<'_>, profile: Profile) -> ExecExample {
    let required = m.required.iter().map(|p| format!("@{}='{}' --required", p.name, placeholder(&p.name)));
    let optional = m.optional.iter().map(|p| {
        if p.json_type.as_deref() == Some("boolean") {
            format!("@{}={}", p.name, placeholder(&p.name))
        } else {
            format!("@{}='{}'", p.name, placeholder(&p.name))
        }
    });
    let json = (!m.body.is_empty()).then(|| {
        m.writable_body()
            .map(|f| {
                if f.is_unquoted() {
                    format!("\"{}\": {}", f.name, placeholder(f.name))
                } else {
                    format!("\"{}\": \"{}\"", f.name, placeholder(f.name))
                }
            })
            .collect()
    });
    ExecExample {
        method: m.method.name.clone(),
        description: description_or(m, true, profile),
        params: required.chain(optional).collect(),
        json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_follows_stackql_guess() {
        assert_eq!(article("endpoints"), "an");
        assert_eq!(article("indexes"), "an");
        assert_eq!(article("operations"), "an");
        assert_eq!(article("undeploy"), "an");
        assert_eq!(article("users"), "a");
        assert_eq!(article("hours"), "an");
        assert_eq!(article("models"), "a");
    }
}
