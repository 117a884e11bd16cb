//! The INSERT Manifest tab of StackQL's current format: a YAML document shown in a
//! `<CodeBlock language="yaml">`, every value a `{{ name }}` template, objects and arrays of
//! the request body expanded into their fields (`@stackql/provider-utils` 0.7.7, as its
//! published pages show it). The text returned is raw YAML; `mdx::code_block_literal` makes it
//! a template literal.

use super::fields::{FieldView, Resolver};
use super::model::MethodData;
use crate::ir::{Schema, SqlParam};

/// Nested fields this deep (a top-level body field is depth 0; a list item's fields are one
/// deeper than the list) are one template value, whatever their type:
/// `explanationSpec.parameters.examples.exampleGcsSource.gcsSource` (depth 5) is
/// `"{{ gcsSource }}"`. A list item's own object fields are expanded one level further
/// (`searchTrialJobSpec.workerPoolSpecs[].containerSpec`, depth 5, shows its fields). Also
/// ends recursive schemas. Inferred from the 577 manifest fields of the published pages.
const MAX_DEPTH: usize = 5;

/// Not StackQL's: at most this many values per body field, the rest written as templates, so a
/// document of wide schemas referring to each other cannot make a page grow as width^5. The
/// largest field of the published pages has a few hundred.
const MAX_VALUES: usize = 20_000;

/// A value as the manifest writes it.
enum Value {
    /// `"{{ name }}"` or, for numbers and booleans, `{{ name }}`.
    Template { name: String, quoted: bool },
    /// An object's fields, in schema order.
    Map(Vec<(String, Value)>),
    /// An array: one item.
    List(Box<Value>),
}

impl Value {
    /// True when the value expands into keys (an object, or a list of objects): StackQL then
    /// writes the entry's description before its value.
    fn has_keys(&self) -> bool {
        match self {
            Value::Template { .. } => false,
            Value::Map(_) => true,
            Value::List(item) => item.has_keys(),
        }
    }

    fn template(name: &str, json_type: Option<&str>) -> Value {
        Value::Template { name: name.to_owned(), quoted: !matches!(json_type, Some("number" | "integer" | "boolean")) }
    }

    /// Writes the value after `key:` (scalars on the same line), its nested lines indented by
    /// `indent` spaces.
    fn write(&self, out: &mut String, indent: usize) {
        match self {
            Value::Template { .. } => {
                out.push(' ');
                self.write_scalar(out);
                out.push('\n');
            }
            Value::Map(_) | Value::List(_) => {
                out.push('\n');
                self.write_block(out, indent);
            }
        }
    }

    fn write_scalar(&self, out: &mut String) {
        if let Value::Template { name, quoted } = self {
            if *quoted {
                out.push_str(&format!("\"{{{{ {name} }}}}\""));
            } else {
                out.push_str(&format!("{{{{ {name} }}}}"));
            }
        }
    }

    /// A map or list as lines starting at `indent`.
    fn write_block(&self, out: &mut String, indent: usize) {
        let pad = " ".repeat(indent);
        match self {
            Value::Template { .. } => {
                out.push_str(&pad);
                self.write_scalar(out);
                out.push('\n');
            }
            Value::Map(fields) => {
                for (key, value) in fields {
                    out.push_str(&format!("{pad}{key}:"));
                    value.write(out, indent + 2);
                }
            }
            Value::List(item) => {
                // `- ` then the item's first line; the rest of the item indented past the dash.
                let mut block = String::new();
                item.write_block(&mut block, indent + 2);
                out.push_str(&pad);
                out.push_str("- ");
                out.push_str(block.trim_start_matches(' '));
            }
        }
    }
}

/// The value of a field of a (dereferenced) schema at `depth`.
/// What an expansion needs besides the schema: the schemas, and the values left to write.
struct Expansion<'r, 'a> {
    resolver: &'r Resolver<'a>,
    budget: std::cell::Cell<usize>,
}

fn value(x: &Expansion<'_, '_>, name: &str, field: &FieldView<'_>, depth: usize, place: Place) -> Value {
    shape_value(x, name, field.json_type, field.shape, depth, place)
}

/// Where a value sits. StackQL writes an array that is a list item's own field as one
/// template (storage `cors[].method: "{{ method }}"`, aiplatform `contents[].parts`), while
/// arrays deeper inside the item are expanded (`workerPoolSpecs[].containerSpec.args`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Field,
    ListItem,
    ItemField,
}

fn shape_value(
    x: &Expansion<'_, '_>,
    name: &str,
    json_type: Option<&str>,
    shape: &Schema,
    depth: usize,
    place: Place,
) -> Value {
    let limit = if place == Place::ItemField { MAX_DEPTH + 1 } else { MAX_DEPTH };
    let left = x.budget.get();
    x.budget.set(left.saturating_sub(1));
    if depth >= limit || left == 0 {
        return Value::template(name, json_type);
    }
    if let Some(items) = &shape.items {
        let items_schema = x.resolver.target(items);
        // An array of objects without properties (`google.rpc.Status.details`) is one template.
        let opaque = items_schema.json_type.as_deref() == Some("object") && items_schema.properties.is_empty();
        if place == Place::ItemField || opaque {
            return Value::template(name, json_type);
        }
        let items_type = items_schema.json_type.as_deref().or(items.json_type.as_deref());
        return Value::List(Box::new(shape_value(x, name, items_type, items_schema, depth, Place::ListItem)));
    }
    let fields = x.resolver.properties(shape);
    if fields.is_empty() {
        return Value::template(name, json_type);
    }
    let inner = if place == Place::ListItem { Place::ItemField } else { Place::Field };
    Value::Map(fields.iter().map(|f| (f.name.to_owned(), value(x, f.name, f, depth + 1, inner))).collect())
}

/// The YAML of the Manifest tab, gathered across all insert methods: required parameters,
/// writable body fields (last definition wins, first position kept), then the other
/// parameters.
pub fn render(resource: &str, methods: &[&MethodData<'_>], resolver: &Resolver<'_>) -> String {
    let mut out = format!("# Description fields are for documentation purposes\n- name: {resource}\n  props:\n");
    let mut seen: Vec<&str> = Vec::new();
    let param = |out: &mut String, p: &SqlParam, note: Option<String>| {
        out.push_str(&format!("    - name: {}\n      value:", p.name));
        Value::template(&p.name, p.json_type.as_deref()).write(out, 8);
        if let Some(note) = note {
            out.push_str(&format!("      description: {note}\n"));
        }
    };
    for p in methods.iter().flat_map(|m| m.required.iter()) {
        if !seen.contains(&p.name.as_str()) {
            seen.push(&p.name);
            param(&mut out, p, Some(format!("Required parameter for the {resource} resource.")));
        }
    }
    let mut body: indexmap::IndexMap<&str, String> = indexmap::IndexMap::new();
    for field in methods.iter().flat_map(|m| m.writable_body()) {
        body.insert(field.name, body_entry(resolver, field));
    }
    for entry in body.values() {
        out.push_str(entry);
    }
    for p in methods.iter().flat_map(|m| m.optional.iter()) {
        if !seen.contains(&p.name.as_str()) {
            seen.push(&p.name);
            param(&mut out, p, None);
        }
    }
    out
}

fn body_entry(resolver: &Resolver<'_>, field: &FieldView<'_>) -> String {
    let expansion = Expansion { resolver, budget: std::cell::Cell::new(MAX_VALUES) };
    let value = value(&expansion, field.name, field, 0, Place::Field);
    let mut out = format!("    - name: {}\n", field.name);
    let description = field.description.filter(|d| !d.is_empty()).map(|text| {
        // Each line without its trailing spaces (`forms: ` is published as `forms:`); an
        // empty line stays empty (a guess: the published pages have none).
        let lines: Vec<String> = text
            .trim_end()
            .lines()
            .map(|line| match line.trim_end() {
                "" => String::new(),
                line => format!("        {line}"),
            })
            .collect();
        format!("      description: |\n{}\n", lines.join("\n"))
    });
    let mut value_text = "      value:".to_owned();
    value.write(&mut value_text, 8);
    if value.has_keys() {
        out.push_str(description.as_deref().unwrap_or(""));
        out.push_str(&value_text);
    } else {
        out.push_str(&value_text);
        out.push_str(description.as_deref().unwrap_or(""));
    }
    if !field.shape.enum_values.is_empty() {
        let values: Vec<String> = field.shape.enum_values.iter().map(|v| format!("'{}'", v.value)).collect();
        out.push_str(&format!("      valid_values: [{}]\n", values.join(", ")));
    }
    if let Some(default) = &field.shape.default {
        out.push_str(&format!("      default: {default}\n"));
    }
    out
}
