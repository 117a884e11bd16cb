//! OpenAPI document (+ configuration) -> IR: schemas from `components.schemas`, one method per
//! operation in document order, the service from `info`, `servers` and `securitySchemes`, and
//! StackQL's resource model from `x-stackQL-resources` (see `stackql.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::node::{kind, member, text, Node, Reader};
use super::tree::Tree as Value;
use super::Document;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ir::*;

/// The HTTP verbs a path item can hold, as OpenAPI spells them.
const VERBS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Schemas nested deeper than this are refused (also ends loops of non-component `$ref`s).
const MAX_DEPTH: usize = 100;

/// Builds the IR of an OpenAPI document. `file` names the document in errors, `config_file`
/// the configuration.
pub fn lower(file: &str, doc: &Document, config: &Config, config_file: &str) -> Result<Api> {
    refuse_overrides(config, config_file)?;
    let reader = Reader { file, root: &doc.root };
    let root = reader.node();
    let components = reader.get(&root, "components");
    let strict_names = components.as_ref().is_some_and(|c| c.value.get("x-stackQL-resources").is_some());
    let component_schemas = match &components {
        Some(components) => reader.object(components, "schemas")?,
        None => Vec::new(),
    };
    let component_names: HashSet<&str> = component_schemas.iter().map(|(name, _)| *name).collect();
    let lowered = match two_cores(&reader, &root, strict_names, &component_names, &component_schemas) {
        Some(lowered) => lowered?,
        None => one_core(&reader, &root, strict_names, &component_names, &component_schemas)?,
    };
    let Lowered { schemas, methods, operations, mut warnings } = lowered;
    let service = service(&reader, &root, config, &mut warnings)?;
    let resources = super::stackql::resources(&reader, &service, &methods, &operations)?;
    Ok(Api { service, schemas, methods, resources, warnings })
}

/// The named schemas, methods and warnings of a document, as [`lower`] puts them in the IR.
struct Lowered<'a> {
    schemas: IndexMap<String, Schema>,
    methods: Vec<Method>,
    operations: Vec<Operation<'a>>,
    warnings: Vec<String>,
}

/// Documents with at least this many component schemas and paths have their schemas lowered
/// on a second core beside the methods (aiplatform's provider spec: 1 500 and 700); for smaller
/// ones a thread costs more than it saves.
const TWO_CORE_SCHEMAS: usize = 256;
const TWO_CORE_PATHS: usize = 64;

/// The component schemas, then the methods, on this thread: what [`two_cores`] must give.
fn one_core<'a>(
    reader: &Reader<'a>,
    root: &Node<'a>,
    strict_names: bool,
    component_names: &HashSet<&'a str>,
    component_schemas: &[(&'a str, Node<'a>)],
) -> Result<Lowered<'a>> {
    let mut converter = Converter::new(reader, strict_names, component_names, None);
    converter.component_schemas(component_schemas)?;
    let (methods, operations) = converter.methods(root)?;
    let hoisted = converter.hoisted.take();
    converter.schemas.extend(hoisted);
    Ok(Lowered { schemas: converter.schemas, methods, operations, warnings: converter.warnings.take() })
}

/// [`one_core`] on two threads (issue 27: the lowering was the spec path's main-thread work,
/// the second core idle after its YAML half): the component schemas, then the last paths, on a
/// thread of its own, the first paths on this one; `None` for a small document, or when no
/// thread starts.
///
/// Why the result is [`one_core`]'s: the component schemas are lowered by the same code from
/// the same state (a fresh converter), so they, their warnings and their first error are the
/// same, and the last paths follow them as on one thread. The first paths, here, read three
/// things the schemas leave behind: the lowered schema a parameter's `$ref` names (here
/// lowered again, from the same state, its warnings dropped: the other thread reports them),
/// the names of schemas (every component's name is known beforehand, and a body's name is
/// checked against those) and the names given to self-referring non-component `$ref` targets.
/// The last paths miss what the first leave behind: their bodies' names and operation ids.
/// So the last paths' ids are checked against the first's here, in order, and when either
/// side gives a name in place, or a body of the last paths took a name one of the first took,
/// the rest depends on the order and the document is lowered again by [`one_core`]. Warnings
/// are the schemas', the first paths', the last paths'; errors come in that order too.
fn two_cores<'a>(
    reader: &Reader<'a>,
    root: &Node<'a>,
    strict_names: bool,
    component_names: &HashSet<&'a str>,
    component_schemas: &[(&'a str, Node<'a>)],
) -> Option<Result<Lowered<'a>>> {
    let paths = member(root.value, "paths").and_then(Value::as_object).map_or(0, |paths| paths.iter().len());
    if component_schemas.len() < TWO_CORE_SCHEMAS || paths < TWO_CORE_PATHS {
        return None;
    }
    let paths = reader.object(root, "paths").ok()?;
    // A path's methods take about four times a component schema's time (aiplatform's provider
    // spec: 55 M instructions for 818 paths, 25 M for 1 500 schemas): this thread takes the
    // paths that make half of it all.
    let (first, last) = paths.split_at((paths.len() / 2 + component_schemas.len() / 8).min(paths.len()));
    let (other, here) = std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .name("openapi-schemas".to_owned())
            // As deep as the main thread may recurse (`MAX_DEPTH` levels of schemas).
            .stack_size(8 << 20)
            .spawn_scoped(scope, || {
                let mut converter = Converter::new(reader, strict_names, component_names, None);
                converter.component_schemas(component_schemas)?;
                let schema_warnings = converter.warnings.borrow().len();
                let mut done = Methods::default();
                let read = converter.paths(last, &mut done);
                let named = !converter.named_in_place.borrow().is_empty();
                let mut schemas = converter.schemas;
                let bodies = schemas.split_off(component_schemas.len());
                let mut warnings = converter.warnings.take();
                let last_warnings = warnings.split_off(schema_warnings);
                Ok::<_, Error>((schemas, warnings, (read, done, bodies, last_warnings, named)))
            })
            .ok()?;
        let mut converter = Converter::new(reader, strict_names, component_names, Some(component_schemas));
        let mut done = Methods::default();
        let read = converter.paths(first, &mut done);
        let named = !converter.named_in_place.borrow().is_empty();
        let here = (read, done, converter.schemas, converter.warnings.take(), named);
        let other = other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Some((other, here))
    })?;
    let (mut schemas, mut warnings, last) = match other {
        Ok(other) => other,
        Err(err) => return Some(Err(err)),
    };
    let (first_read, first, first_bodies, first_warnings, first_named) = here;
    let (last_read, last, last_bodies, last_warnings, last_named) = last;
    if first_named || last_named {
        return None;
    }
    if let Err(err) = first_read {
        return Some(Err(err));
    }
    if last_bodies.keys().any(|name| first_bodies.contains_key(name)) {
        return None;
    }
    for (method, operation) in last.methods.iter().zip(&last.operations) {
        if let Some(earlier) = first.ids.get(&method.id) {
            return Some(Err(reader.same_id(&method.id, operation.node, *earlier)));
        }
    }
    if let Err(err) = last_read {
        return Some(Err(err));
    }
    schemas.extend(first_bodies);
    schemas.extend(last_bodies);
    warnings.extend(first_warnings);
    warnings.extend(last_warnings);
    let mut methods = first.methods;
    methods.extend(last.methods);
    let mut operations = first.operations;
    operations.extend(last.operations);
    Some(Ok(Lowered { schemas, methods, operations, warnings }))
}

/// A provider spec already carries StackQL's resource model: overrides keyed by Discovery
/// method ids would silently match nothing, so they are refused.
fn refuse_overrides(config: &Config, config_file: &str) -> Result<()> {
    let overrides = &config.stackql;
    let keyed = [
        ("resource_names", overrides.resource_names.is_empty()),
        ("resource_renames", overrides.resource_renames.is_empty()),
        ("sql_verbs", overrides.sql_verbs.is_empty()),
        ("method_names", overrides.method_names.is_empty()),
        ("object_keys", overrides.object_keys.is_empty()),
    ];
    match keyed.iter().find(|(_, empty)| !empty) {
        Some((section, _)) => Err(Error::Config {
            file: config_file.to_owned(),
            location: format!("stackql.{section}"),
            message: "overrides apply to Discovery input; an OpenAPI provider spec carries StackQL's resource model in x-stackQL-resources".to_owned(),
        }),
        None => Ok(()),
    }
}

/// One operation of the document: where it is and what it is.
pub struct Operation<'a> {
    pub path: &'a str,
    pub verb: &'static str,
    pub node: Node<'a>,
}

/// The methods read so far, in document order, and their ids.
#[derive(Default)]
struct Methods<'a> {
    methods: Vec<Method>,
    operations: Vec<Operation<'a>>,
    ids: HashMap<String, Node<'a>>,
}

impl Reader<'_> {
    /// The error of an operation whose id an earlier one (`first`) has.
    fn same_id(&self, id: &str, node: Node<'_>, first: Node<'_>) -> Error {
        self.error(&node.path(), format!("operationId {id:?} is also used by {}", first.path()))
    }
}

struct Converter<'r, 'a> {
    reader: &'r Reader<'a>,
    /// Named schemas: the components, then inline bodies given names.
    schemas: IndexMap<String, Schema>,
    /// Looked up for every `$ref`: a set, not a list (aiplatform has 1 500 schemas).
    component_names: &'r HashSet<&'a str>,
    /// The component schemas, when another thread lowers them into its own converter (see
    /// [`two_cores`]): the few a parameter names are lowered here again, kept by name.
    elsewhere: Option<&'r [(&'a str, Node<'a>)]>,
    lowered_again: RefCell<HashMap<String, Schema>>,
    /// A StackQL provider spec: every parameter name follows the Discovery rule.
    strict_names: bool,
    /// The targets of the non-component `$ref`s being read in place, innermost last (one
    /// reached again is a loop).
    in_place: RefCell<Vec<String>>,
    /// What was left out, for `Api::warnings`.
    warnings: RefCell<Vec<String>>,
    /// Names given to non-component `$ref` targets that refer back to themselves (by the
    /// target's pointer), and the schemas read for them; added to the named schemas at the end.
    named_in_place: RefCell<HashMap<String, String>>,
    hoisted: RefCell<IndexMap<String, Schema>>,
    /// Parameters read through a `$ref`, by the reference: Google's specs refer every
    /// operation to the same dozen (`alt`, `fields`, `key`, ...), read once.
    /// Shared, not copied: a path item's list is copied into each of its operations only.
    referenced_parameters: RefCell<HashMap<&'a str, Rc<Parameter>>>,
}

impl<'r, 'a> Converter<'r, 'a> {
    fn new(
        reader: &'r Reader<'a>,
        strict_names: bool,
        component_names: &'r HashSet<&'a str>,
        elsewhere: Option<&'r [(&'a str, Node<'a>)]>,
    ) -> Self {
        Converter {
            reader,
            schemas: IndexMap::new(),
            component_names,
            elsewhere,
            lowered_again: RefCell::new(HashMap::default()),
            strict_names,
            in_place: RefCell::new(Vec::new()),
            warnings: RefCell::new(Vec::new()),
            named_in_place: RefCell::new(HashMap::default()),
            hoisted: RefCell::new(IndexMap::new()),
            referenced_parameters: RefCell::new(HashMap::default()),
        }
    }

    /// `components.schemas`, in document order, into the named schemas.
    fn component_schemas(&mut self, component_schemas: &[(&'a str, Node<'a>)]) -> Result<()> {
        for (name, node) in component_schemas {
            let schema = self.schema(node, 0)?;
            self.schemas.insert((*name).to_owned(), schema);
        }
        Ok(())
    }

    /// The component schema `name` as lowered, when there is one (a copy).
    fn component(&self, name: &str) -> Result<Option<Schema>> {
        let Some(elsewhere) = self.elsewhere else { return Ok(self.schemas.get(name).cloned()) };
        if let Some(schema) = self.lowered_again.borrow().get(name) {
            return Ok(Some(schema.clone()));
        }
        let Some((_, node)) = elsewhere.iter().find(|(key, _)| *key == name) else { return Ok(None) };
        // Its warnings are the other thread's to report.
        let warnings = self.warnings.borrow().len();
        let schema = self.schema(node, 0);
        self.warnings.borrow_mut().truncate(warnings);
        let schema = schema?;
        self.lowered_again.borrow_mut().insert(name.to_owned(), schema.clone());
        Ok(Some(schema))
    }

    fn schema(&self, node: &Node<'a>, depth: usize) -> Result<Schema> {
        let r = self.reader;
        if depth > MAX_DEPTH {
            return Err(r.error(&node.path(), format!("schema nested deeper than {MAX_DEPTH} levels")));
        }
        match node.value {
            // 3.1: `true` accepts anything (`false` nothing, which no body can satisfy anyway).
            Value::Bool(_) => return Ok(Schema { json_type: Some("any".to_owned()), ..Schema::default() }),
            Value::Object(_) => {}
            other => return Err(r.error(&node.path(), format!("expected a schema (an object), found {}", kind(other)))),
        }
        let mut schema = Schema::default();
        if let Some(reference) = r.string(node, "$ref")? {
            // Built only off the common path (a component reference).
            let at = || super::node::child_path(*node, "$ref");
            match component_name(reference) {
                Some(name) if self.component_names.contains(name.as_str()) => schema.reference = Some(name),
                Some(_) => return Err(r.error(&at(), format!("$ref {reference:?} names no schema"))),
                None => {
                    // Any other local reference (`#/components/schemas/A/properties/b`): the
                    // target is read in place, with this object's own keys over it.
                    let (target, pointer) = r.locate(at, reference)?;
                    let pointer = format!("#{pointer}");
                    let named = self.named_in_place.borrow().get(&pointer).cloned();
                    if let Some(name) = named {
                        schema.reference = Some(name);
                    } else if self.in_place.borrow().contains(&pointer) {
                        // A loop: the target becomes a named schema, so the loop is a
                        // reference as between components.
                        schema.reference = Some(self.name_in_place(&pointer));
                    } else {
                        self.in_place.borrow_mut().push(pointer.clone());
                        let read = self.schema(&target, depth + 1);
                        self.in_place.borrow_mut().pop();
                        let read = read?;
                        let named = self.named_in_place.borrow().get(&pointer).cloned();
                        match named {
                            Some(name) => {
                                self.hoisted.borrow_mut().insert(name.clone(), read);
                                schema.reference = Some(name);
                            }
                            None => schema = read,
                        }
                    }
                }
            }
        }
        match member(node.value, "type") {
            None => {}
            Some(Value::String(name)) => schema.json_type = Some(name.as_ref().to_owned()),
            Some(Value::Array(types)) => {
                let mut named = Vec::new();
                for (i, value) in types.iter().enumerate() {
                    match value.as_str() {
                        Some("null") => schema.nullable = true,
                        Some(name) => named.push(name),
                        None => return Err(r.error(&format!("{}/type/{i}", node.path()), "expected a type name")),
                    }
                }
                schema.json_type = match named.as_slice() {
                    [] => None,
                    [one] => Some((*one).to_owned()),
                    _ => Some("any".to_owned()),
                };
            }
            Some(other) => {
                return Err(
                    r.error(&format!("{}/type", node.path()), format!("expected a type name, found {}", kind(other)))
                )
            }
        }
        schema.nullable |= r.boolean(node, "nullable")?.unwrap_or(false);
        if let Some(id) = r.string(node, "id")? {
            schema.id = Some(id.to_owned());
        }
        for (key, slot) in [("format", &mut schema.format), ("description", &mut schema.description)] {
            if let Some(value) = r.string(node, key)? {
                *slot = Some(value.to_owned());
            }
        }
        // A numeric pattern (`pattern: 1234`, YAML or not) is still a regular expression.
        match member(node.value, "pattern") {
            None | Some(Value::Null) => {}
            Some(Value::String(pattern)) => schema.pattern = Some(pattern.as_ref().to_owned()),
            Some(number @ Value::Number(_)) => schema.pattern = Some(number.to_string()),
            Some(other) => {
                return Err(
                    r.error(&format!("{}/pattern", node.path()), format!("expected a string, found {}", kind(other)))
                )
            }
        }
        if let Some(default) = member(node.value, "default") {
            schema.default = Some(text(default));
        }
        schema.read_only |= r.boolean(node, "readOnly")?.unwrap_or(false);
        schema.deprecated |= r.boolean(node, "deprecated")?.unwrap_or(false);
        if member(node.value, "enum").is_some() {
            schema.enum_values = self.enum_values(node, &mut schema.nullable)?;
        }
        if member(node.value, "properties").is_some() {
            schema.properties = r
                .object(node, "properties")?
                .into_iter()
                .map(|(name, property)| {
                    Ok(Property { name: name.to_owned(), schema: self.schema(&property, depth + 1)? })
                })
                .collect::<Result<_>>()?;
        }
        if member(node.value, "required").is_some() {
            schema.required = r
                .array(node, "required")?
                .iter()
                .map(|n| {
                    n.value.as_str().map(str::to_owned).ok_or_else(|| r.error(&n.path(), "expected a property name"))
                })
                .collect::<Result<_>>()?;
        }
        if let Some(items) = r.get(node, "items") {
            schema.items = Some(Box::new(self.schema(&items, depth + 1)?));
        }
        match r.get(node, "additionalProperties") {
            None | Some(Node { value: Value::Bool(false), .. }) => {}
            Some(values) => schema.additional_properties = Some(Box::new(self.schema(&values, depth + 1)?)),
        }
        for (key, slot) in [("allOf", &mut schema.all_of), ("oneOf", &mut schema.one_of), ("anyOf", &mut schema.any_of)]
        {
            if member(node.value, key).is_some() {
                *slot = r.array(node, key)?.iter().map(|part| self.schema(part, depth + 1)).collect::<Result<_>>()?;
            }
        }
        if let Some(discriminator) = r.get(node, "discriminator") {
            schema.discriminator = Some(self.discriminator(&discriminator)?);
        }
        Ok(schema)
    }

    /// A schema name for the non-component `$ref` target at `pointer` (its last segment:
    /// `#/components/schemas/Report/definitions/reportComponent` -> `ReportComponent`),
    /// different from every other name.
    fn name_in_place(&self, pointer: &str) -> String {
        let last = pointer.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~");
        let mut name = upper_camel(&last);
        if name.is_empty() {
            name.push_str("Schema");
        }
        while self.name_taken(&name) {
            name.push('_');
        }
        self.named_in_place.borrow_mut().insert(pointer.to_owned(), name.clone());
        name
    }

    fn name_taken(&self, name: &str) -> bool {
        self.component_names.contains(name)
            || self.schemas.contains_key(name)
            || self.named_in_place.borrow().values().any(|taken| taken == name)
    }

    /// `enum` with `enumDescriptions` / `x-enumDescriptions` and `enumDeprecated` beside it
    /// (StackQL's provider specs keep Discovery's keys). A `null` value makes the schema
    /// nullable; repeated values are kept once.
    fn enum_values(&self, node: &Node<'a>, nullable: &mut bool) -> Result<Vec<EnumValue>> {
        let r = self.reader;
        let strings = |key: &str| -> Result<Vec<String>> {
            let values = r.array(node, key)?;
            values
                .iter()
                .map(|n| n.value.as_str().map(str::to_owned).ok_or_else(|| r.error(&n.path(), "expected a string")))
                .collect()
        };
        let mut descriptions = strings("enumDescriptions")?;
        if descriptions.is_empty() {
            descriptions = strings("x-enumDescriptions")?;
        }
        let deprecated: Vec<bool> =
            r.array(node, "enumDeprecated")?.iter().map(|n| n.value.as_bool().unwrap_or(false)).collect();
        let mut values = Vec::new();
        for (i, value) in r.array(node, "enum")?.iter().enumerate() {
            if value.value.is_null() {
                *nullable = true;
                continue;
            }
            // A repeated value adds nothing to the set (real documents have some).
            let value_text = text(value.value);
            if values.iter().any(|v: &EnumValue| v.value == value_text) {
                continue;
            }
            values.push(EnumValue {
                value: value_text,
                description: descriptions.get(i).cloned(),
                deprecated: deprecated.get(i).copied().unwrap_or(false),
            });
        }
        Ok(values)
    }

    fn discriminator(&self, node: &Node<'a>) -> Result<Discriminator> {
        let r = self.reader;
        let property_name = r
            .string(node, "propertyName")?
            .ok_or_else(|| r.error(&node.path(), "a discriminator needs a `propertyName`"))?
            .to_owned();
        let mut mapping = Vec::new();
        for (value, target) in r.object(node, "mapping")? {
            let target =
                target.value.as_str().ok_or_else(|| r.error(&target.path(), "expected a schema name or $ref"))?;
            let at = || format!("{}/mapping/{}", node.path(), super::node::escape(value));
            // A mapping only says which member a value selects; one into another file is left
            // out (the reader follows no external `$ref`), the rest of the document still reads.
            if !target.starts_with('#') && target.contains('#') {
                self.warnings.borrow_mut().push(format!(
                    "{}: {}: discriminator value {value:?} maps to {target:?}, outside the document: left out",
                    r.file,
                    at()
                ));
                continue;
            }
            let name = component_name(target).unwrap_or_else(|| target.to_owned());
            if !self.component_names.contains(name.as_str()) {
                return Err(r.error(&at(), format!("{target:?} names no schema")));
            }
            mapping.push((value.to_owned(), name));
        }
        Ok(Discriminator { property_name, mapping })
    }

    /// Every operation in document order (paths, then verbs in key order), with the nodes they
    /// came from.
    fn methods(&mut self, root: &Node<'a>) -> Result<(Vec<Method>, Vec<Operation<'a>>)> {
        let paths = self.reader.object(root, "paths")?;
        let mut done = Methods::default();
        self.paths(&paths, &mut done)?;
        Ok((done.methods, done.operations))
    }

    /// The operations of `paths` (entries of the Paths Object, in order) added to `done`; on an
    /// error, `done` holds those before it.
    fn paths(&mut self, paths: &[(&'a str, Node<'a>)], done: &mut Methods<'a>) -> Result<()> {
        let r = self.reader;
        for &(path, item) in paths {
            // The Paths Object may carry extensions beside the paths.
            if path.starts_with("x-") {
                continue;
            }
            if !path.starts_with('/') {
                return Err(r.error(&item.path(), format!("path {path:?} does not start with `/`")));
            }
            // StackQL's provider specs key their synthetic media methods with a fixed query
            // (`/download/storage/v1/b/{bucket}/o/{object}?alt=media`): read there, the query
            // left out of the method's path with a warning (the IR has no fixed query values).
            let full_path = path;
            let path = match path.split_once('?') {
                Some((bare, _)) if self.strict_names => {
                    self.warnings.borrow_mut().push(format!(
                        "{}: {}: the fixed query of path {full_path:?} is left out of the method's path",
                        r.file,
                        item.path()
                    ));
                    bare
                }
                Some(_) => {
                    return Err(r.error(
                        &item.path(),
                        format!("path {path:?} has a query string; OpenAPI puts query parameters in `parameters`"),
                    ))
                }
                None => path,
            };
            let item = r.resolve(item)?;
            let shared = self.parameters(&item)?;
            for (key, node) in r.entries(&item)? {
                let Some(verb) = VERBS.iter().find(|verb| **verb == key) else { continue };
                if !node.value.is_object() {
                    return Err(r.error(
                        &node.path(),
                        format!("expected an operation (an object), found {}", kind(node.value)),
                    ));
                }
                let method = self.method(path, verb, &node, &shared)?;
                if let Some(first) = done.ids.insert(method.id.clone(), node) {
                    return Err(r.same_id(&method.id, node, first));
                }
                done.methods.push(method);
                done.operations.push(Operation { path: full_path, verb, node });
            }
        }
        Ok(())
    }

    /// The `parameters` of a path item or operation, `$ref`s followed.
    fn parameters(&self, node: &Node<'a>) -> Result<Vec<Rc<Parameter>>> {
        let Some(items) = member(node.value, "parameters").and_then(Value::as_array) else {
            // Absent, or not an array (which `array` reports).
            return self.reader.array(node, "parameters").map(|_| Vec::new());
        };
        items.iter().map(|value| self.parameter(node.at(value))).collect()
    }

    /// An item of a parameter list; one `$ref`ed is read once (the dozen shared ones of every
    /// operation).
    fn parameter(&self, node: Node<'a>) -> Result<Rc<Parameter>> {
        let reference = member(node.value, "$ref").and_then(Value::as_str);
        if let Some(known) = reference.and_then(|reference| self.referenced_parameters.borrow().get(reference).cloned())
        {
            return Ok(known);
        }
        let parameter = Rc::new(self.read_parameter(node)?);
        if let Some(reference) = reference {
            self.referenced_parameters.borrow_mut().insert(reference, Rc::clone(&parameter));
        }
        Ok(parameter)
    }

    fn read_parameter(&self, node: Node<'a>) -> Result<Parameter> {
        let r = self.reader;
        let node = r.resolve(node)?;
        let name = r.string(&node, "name")?.ok_or_else(|| r.error(&node.path(), "a parameter needs a `name`"))?;
        let location = match r.string(&node, "in")? {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => {
                return Err(
                    r.error(&format!("{}/in", node.path()), format!("cookie parameter {name:?} is not supported"))
                )
            }
            Some(other) => {
                return Err(r.error(&format!("{}/in", node.path()), format!("unknown parameter location {other:?}")))
            }
            None => return Err(r.error(&node.path(), format!("parameter {name:?} has no `in`"))),
        };
        if let Some(problem) = self.name_problem(name, location) {
            return Err(
                r.error(&format!("{}/name", node.path()), format!("{name:?} is not a parameter name: {problem}"))
            );
        }
        let mut schema = match r.get(&node, "schema") {
            Some(schema) => self.schema(&schema, 0)?,
            None => Schema::default(),
        };
        if let Some(target) = schema.reference.as_deref().map(|name| self.component(name)).transpose()?.flatten() {
            schema = target;
        }
        let repeated = schema.json_type.as_deref() == Some("array");
        if repeated {
            if let Some(items) = schema.items.take() {
                let items = *items;
                schema =
                    items.reference.as_deref().map(|name| self.component(name)).transpose()?.flatten().unwrap_or(items);
            }
        }
        Ok(Parameter {
            name: name.to_owned(),
            location,
            required: r.boolean(&node, "required")? == Some(true),
            repeated,
            json_type: schema.json_type,
            format: schema.format,
            // Filled in by `crate::analysis`.
            scalar: None,
            description: r.string(&node, "description")?.map(str::to_owned),
            enum_values: schema.enum_values,
            pattern: schema.pattern,
            default: schema.default,
            deprecated: r.boolean(&node, "deprecated")?.unwrap_or(false),
        })
    }

    /// Why a parameter name cannot be used, if it cannot. Path parameters and every parameter
    /// of a StackQL provider spec end up in page anchors, table cells and URI templates, so they
    /// follow the Discovery reader's rule (`+` is StackQL's: its converter keeps the `+` of a
    /// second `{+datasetId}` in a Google path). Other query parameters are wire names only
    /// (`page[size]`, `filter.name`, `ids[]`: the client's setter gets an identifier made from
    /// it), and header names must be HTTP tokens.
    fn name_problem(&self, name: &str, location: ParamLocation) -> Option<&'static str> {
        if name.is_empty() {
            return Some("empty");
        }
        if self.strict_names || location == ParamLocation::Path {
            return (!super::node::is_word(name, ".$+")).then_some("only letters, digits, `_`, `-`, `.`, `$` and `+`");
        }
        if location == ParamLocation::Header {
            let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            return (!name.chars().all(token)).then_some("a header name is an HTTP token (RFC 9110)");
        }
        name.chars().any(char::is_control).then_some("control characters")
    }

    fn method(&mut self, path: &str, verb: &str, node: &Node<'a>, shared: &[Rc<Parameter>]) -> Result<Method> {
        let r = self.reader;
        let id = match r.string(node, "operationId")? {
            Some(id) => id.to_owned(),
            None => format!("{verb} {path}"),
        };
        // Operation parameters replace path-item ones of the same name and location.
        let own = self.parameters(node)?;
        let mut parameters: Vec<Parameter> = Vec::with_capacity(shared.len() + own.len());
        parameters.extend(shared.iter().map(|parameter| Parameter::clone(parameter)));
        for parameter in own {
            // Copied only when the reader keeps it too (a `$ref`ed one).
            let parameter = Rc::try_unwrap(parameter).unwrap_or_else(|kept| Parameter::clone(&kept));
            match parameters.iter_mut().find(|p| p.name == parameter.name && p.location == parameter.location) {
                Some(slot) => *slot = parameter,
                None => parameters.push(parameter),
            }
        }
        let template = PathTemplate::parse(path.trim_start_matches('/'))
            .map_err(|problem| r.error(&node.path(), format!("{problem} in path {path:?}")))?;
        // OpenAPI has no operators: a `+` before the name is part of it (StackQL's specs name
        // such parameters `+datasetId`).
        let placeholders: Vec<String> = template
            .pieces()
            .iter()
            .filter_map(|piece| match piece {
                TemplatePiece::Expression { operator, name } => {
                    Some(operator.map_or_else(|| name.clone(), |o| format!("{o}{name}")))
                }
                TemplatePiece::Literal(_) => None,
            })
            .collect();
        if let Some(missing) = placeholders
            .iter()
            .find(|name| !parameters.iter().any(|p| p.location == ParamLocation::Path && &p.name == *name))
        {
            return Err(
                r.error(&node.path(), format!("path placeholder {{{missing}}} in {path:?} has no path parameter"))
            );
        }
        let parameter_order = placeholders
            .iter()
            .cloned()
            .chain(
                parameters.iter().filter(|p| p.location != ParamLocation::Path && p.required).map(|p| p.name.clone()),
            )
            .collect();
        let (resource_path, name) = resource_and_name(&id, verb, &r.array(node, "tags")?);
        let request = match r.get(node, "requestBody") {
            Some(body) => self.body(r.resolve(body)?, &id, "Request")?,
            None => None,
        };
        let response = match success_response(r, node)? {
            Some(response) => self.body(response, &id, "Response")?,
            None => None,
        };
        let error_responses = self.error_responses(node, &id)?;
        let description = match r.string(node, "description")? {
            Some(text) => Some(text.to_owned()),
            None => r.string(node, "summary")?.map(str::to_owned),
        };
        let security = match r.get(node, "security") {
            Some(_) => r.array(node, "security")?,
            None => r.array(&r.node(), "security")?,
        };
        let mut scopes: Vec<String> = Vec::new();
        for requirement in &security {
            for (_, names) in r.entries(requirement)? {
                for scope in names.value.as_array().into_iter().flatten().filter_map(Value::as_str) {
                    if !scopes.iter().any(|s| s == scope) {
                        scopes.push(scope.to_owned());
                    }
                }
            }
        }
        Ok(Method {
            id,
            resource_path,
            name,
            http_method: HttpMethod::parse(&verb.to_ascii_uppercase()).expect("VERBS are HTTP methods"),
            path: template,
            flat_path: None,
            description,
            parameters: Some(parameters),
            parameter_order,
            request,
            response,
            error_responses,
            scopes,
            supports_media_upload: false,
            supports_media_download: false,
            supports_subscription: false,
            media: Default::default(),
            deprecated: r.boolean(node, "deprecated")?.unwrap_or(false),
            // Filled in by `crate::analysis`, the same rule for both readers.
            request_id: None,
        })
    }

    /// The error responses with a JSON schema: every key that is not a success code (`404`,
    /// `4XX`, `default`), its schema named like a body (`<OperationId>Error404` when inline).
    fn error_responses(&mut self, operation: &Node<'a>, id: &str) -> Result<Vec<ErrorResponse>> {
        let r = self.reader;
        let mut errors = Vec::new();
        for (key, node) in r.object(operation, "responses")? {
            let status = match key.as_bytes() {
                b"default" => ResponseStatus::Default,
                [digit @ b'1'..=b'5', b'X' | b'x', b'X' | b'x'] if *digit >= b'4' => {
                    ResponseStatus::Range(digit - b'0')
                }
                [b'4' | b'5', _, _] => match key.parse() {
                    Ok(code) => ResponseStatus::Code(code),
                    Err(_) => continue,
                },
                // Success, informational and redirect codes are not errors; anything else
                // is not a status the reader knows, and `success_response` ignores it too.
                _ => continue,
            };
            let suffix = format!("Error{}", status.to_string().replace("default", "Default"));
            if let Some(schema) = self.body(r.resolve(node)?, id, &suffix)? {
                errors.push(ErrorResponse { status, schema });
            }
        }
        Ok(errors)
    }

    /// The schema name of a request body or response (its JSON media type's schema): the
    /// component it refers to, or a new named schema for an inline one (`<OperationId>Request`).
    fn body(&mut self, node: Node<'a>, id: &str, suffix: &str) -> Result<Option<String>> {
        let r = self.reader;
        let schema = match json_schema(r, &node)? {
            Some(schema) => schema,
            // StackQL's synthetic media methods (storage `objects_content`) document an
            // `application/octet-stream` body whose schema StackQL transforms to and from JSON.
            None if self.strict_names => {
                match r.get(&node, "content").and_then(|c| r.get(&c, "application/octet-stream")) {
                    Some(media) => match r.get(&media, "schema") {
                        Some(schema) => schema,
                        None => return Ok(None),
                    },
                    None => return Ok(None),
                }
            }
            None => return Ok(None),
        };
        let converted = self.schema(&schema, 0)?;
        if let Some(reference) = &converted.reference {
            return Ok(Some(reference.clone()));
        }
        let mut name = upper_camel(id);
        name.push_str(suffix);
        while self.name_taken(&name) {
            name.push('_');
        }
        self.schemas.insert(name.clone(), converted);
        Ok(Some(name))
    }
}

/// `NAME` of `#/components/schemas/NAME` (unescaped), when the reference is exactly that.
pub(super) fn component_name(reference: &str) -> Option<String> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}

/// The `schema` of a body's JSON media type: `application/json`, else the first `...json`
/// type. A body with no JSON type (a form, a multipart upload, XML only) has none: the client
/// sends and reads JSON only, and a form sent as JSON would be a request the API refuses.
fn json_schema<'a>(r: &Reader<'a>, body: &Node<'a>) -> Result<Option<Node<'a>>> {
    let content = r.object(body, "content")?;
    let chosen = content
        .iter()
        .find(|(media, _)| *media == "application/json")
        .or_else(|| content.iter().find(|(media, _)| media.contains("json")));
    match chosen {
        Some((_, media)) => Ok(r.get(media, "schema")),
        None => Ok(None),
    }
}

/// The response a call succeeds with: `200`, else the first `2XX` code.
fn success_response<'a>(r: &Reader<'a>, operation: &Node<'a>) -> Result<Option<Node<'a>>> {
    let responses = r.object(operation, "responses")?;
    let chosen = responses
        .iter()
        .find(|(code, _)| *code == "200")
        .or_else(|| responses.iter().find(|(code, _)| code.starts_with('2')));
    chosen.map(|(_, node)| r.resolve(*node)).transpose()
}

/// Resource chain and method name: a dotted operationId `svc.a.b.get` gives `[a, b]` and
/// `get` (Google's, and StackQL's provider specs); otherwise the first tag and the operationId.
fn resource_and_name(id: &str, verb: &str, tags: &[Node<'_>]) -> (Vec<String>, String) {
    let tokens: Vec<&str> = id.split('.').collect();
    if tokens.len() >= 3 && tokens.iter().all(|t| !t.is_empty() && !t.contains(char::is_whitespace)) {
        let name = tokens[tokens.len() - 1].to_owned();
        return (tokens[1..tokens.len() - 1].iter().map(|t| (*t).to_owned()).collect(), name);
    }
    let tag = tags.first().and_then(|t| t.value.as_str()).map(str::to_owned);
    let name = if id.contains(' ') { verb.to_owned() } else { id.to_owned() };
    (tag.into_iter().collect(), name)
}

/// `aiplatform.datasets.create` -> `AiplatformDatasetsCreate`, `get /pets/{id}` -> `GetPetsId`.
fn upper_camel(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

fn service(r: &Reader<'_>, root: &Node<'_>, config: &Config, warnings: &mut Vec<String>) -> Result<Service> {
    let info = r.get(root, "info").ok_or_else(|| r.error("#", "an OpenAPI document needs `info`"))?;
    let title = r.string(&info, "title")?.unwrap_or_default().to_owned();
    let version =
        r.string(&info, "version")?.ok_or_else(|| r.error(&info.path(), "`info` needs a `version`"))?.to_owned();
    // StackQL's resource ids are `<provider>.<service>.<resource>`: they name both.
    let stackql_id = super::stackql::first_resource_id(r, root)?;
    let from_id = stackql_id.as_deref().map(|id| id.split('.').collect::<Vec<_>>()).filter(|parts| parts.len() == 3);
    let name = match &from_id {
        Some(parts) => parts[1].to_owned(),
        None => slug(&title),
    };
    let provider = match &from_id {
        Some(parts) => parts[0].to_owned(),
        None => config.provider.clone(),
    };
    let servers = r.array(root, "servers")?;
    let base_url = match servers.first() {
        Some(server) => server_url(r, server)?,
        None => "/".to_owned(),
    };
    let (security_schemes, scopes) = security(r, root, warnings)?;
    Ok(Service {
        provider,
        stackql_name: config.stackql.service_name.clone().unwrap_or_else(|| name.clone()),
        name,
        version,
        title,
        description: r.string(&info, "description")?.unwrap_or_default().to_owned(),
        revision: r.string(&info, "x-discovery-doc-revision")?.unwrap_or_default().to_owned(),
        canonical_name: None,
        documentation_link: match r.get(root, "externalDocs") {
            Some(docs) => r.string(&docs, "url")?.map(str::to_owned),
            None => None,
        },
        root_url: base_url.clone(),
        base_url,
        mtls_root_url: None,
        endpoints: Vec::new(),
        scopes,
        security_schemes,
        data_wrapper: false,
        document: DocumentKind::OpenApi,
    })
}

/// A service name from a title: lower-case words joined by `-` (`Swagger Petstore` ->
/// `swagger-petstore`).
fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "api".to_owned()
    } else {
        words.join("-")
    }
}

/// A server's URL with its variables at their defaults, ending in `/` (method paths are
/// relative to it).
fn server_url(r: &Reader<'_>, server: &Node<'_>) -> Result<String> {
    let mut url = r.string(server, "url")?.ok_or_else(|| r.error(&server.path(), "a server needs a `url`"))?.to_owned();
    for (name, variable) in r.object(server, "variables")? {
        let default = r
            .string(&variable, "default")?
            .ok_or_else(|| r.error(&variable.path(), "a server variable needs a `default`"))?;
        url = url.replace(&format!("{{{name}}}"), default);
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// `components.securitySchemes`, and the OAuth 2.0 scopes of all their flows. An API key in a
/// cookie (a browser session, usually beside a header or query key) is left out with a warning:
/// a client can still send it with a `Cookie` header.
fn security(r: &Reader<'_>, root: &Node<'_>, warnings: &mut Vec<String>) -> Result<(Vec<SecurityScheme>, Vec<Scope>)> {
    let Some(components) = r.get(root, "components") else { return Ok((Vec::new(), Vec::new())) };
    let mut schemes = Vec::new();
    let mut scopes: Vec<Scope> = Vec::new();
    for (name, node) in r.object(&components, "securitySchemes")? {
        let node = r.resolve(node)?;
        let required = |key: &str| -> Result<String> {
            r.string(&node, key)?
                .map(str::to_owned)
                .ok_or_else(|| r.error(&node.path(), format!("security scheme {name:?} needs `{key}`")))
        };
        let kind = match required("type")?.as_str() {
            "apiKey" => {
                let location = match required("in")?.as_str() {
                    "query" => ParamLocation::Query,
                    "header" => ParamLocation::Header,
                    "cookie" => {
                        warnings.push(format!(
                            "{}: {}/in: API key {name:?} in a cookie is left out (send it with a `Cookie` header)",
                            r.file,
                            node.path()
                        ));
                        continue;
                    }
                    other => {
                        return Err(r.error(
                            &format!("{}/in", node.path()),
                            format!("API keys in {other:?} are not supported (query, header or cookie)"),
                        ))
                    }
                };
                SecurityKind::ApiKey { name: required("name")?, location }
            }
            "http" => SecurityKind::Http {
                scheme: required("scheme")?,
                bearer_format: r.string(&node, "bearerFormat")?.map(str::to_owned),
            },
            "oauth2" => {
                let flows = r.object(&node, "flows")?;
                for (_, flow) in &flows {
                    for (url, description) in r.object(flow, "scopes")? {
                        if !scopes.iter().any(|s| s.url == url) {
                            scopes.push(Scope { url: url.to_owned(), description: text(description.value) });
                        }
                    }
                }
                SecurityKind::OAuth2 { flows: flows.iter().map(|(flow, _)| (*flow).to_owned()).collect() }
            }
            "openIdConnect" => SecurityKind::OpenIdConnect { url: required("openIdConnectUrl")? },
            "mutualTLS" => SecurityKind::MutualTls,
            other => {
                return Err(r.error(&format!("{}/type", node.path()), format!("unknown security scheme type {other:?}")))
            }
        };
        schemes.push(SecurityScheme {
            name: name.to_owned(),
            kind,
            description: r.string(&node, "description")?.map(str::to_owned),
        });
    }
    Ok((schemes, scopes))
}

#[cfg(test)]
mod two_core_tests {
    use super::*;

    /// A document big enough for [`two_cores`]: `paths` paths whose operations share a
    /// parameter naming a component schema (lowered again on the methods' side) and a list of
    /// them (its items too), inline bodies whose names collide, a component with a
    /// discriminator warning, then `extra_schemas` and `extra_paths` as written.
    fn document(extra_schemas: &str, extra_paths: &str) -> String {
        document_with(extra_schemas, "", extra_paths)
    }

    /// [`document`], with `leading_paths` first (read on the main thread; the last paths are
    /// read on the other).
    fn document_with(extra_schemas: &str, leading_paths: &str, extra_paths: &str) -> String {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n");
        text.push_str(leading_paths);
        for i in 0..TWO_CORE_PATHS + 6 {
            text.push_str(&format!(
                "  /p{i}:\n    parameters:\n      - {{name: color, in: query, schema: {{$ref: '#/components/schemas/Color'}}}}\n      - {{name: colors, in: query, schema: {{$ref: '#/components/schemas/Colors'}}}}\n    get:\n      operationId: svc.r{i}.get\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {{type: object, properties: {{n: {{$ref: '#/components/schemas/S{i}'}}}}}}\n"
            ));
        }
        // `SvcXYGet` twice: the second body is `SvcXYGetResponse_`.
        for id in ["svc.x-y.get", "svc.xY.get"] {
            text.push_str(&format!(
                "  /{id}:\n    get:\n      operationId: {id}\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {{type: object}}\n"
            ));
        }
        text.push_str(extra_paths);
        text.push_str("components:\n  schemas:\n");
        text.push_str("    Color: {type: string, enum: [red, blue]}\n");
        text.push_str("    Colors: {type: array, items: {$ref: '#/components/schemas/Color'}}\n");
        text.push_str("    Poly: {type: object, discriminator: {propertyName: kind, mapping: {x: 'other.yaml#/X'}}}\n");
        for i in 0..TWO_CORE_SCHEMAS {
            text.push_str(&format!(
                "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
                i + 1
            ));
        }
        text.push_str(&format!("    S{TWO_CORE_SCHEMAS}: {{type: string}}\n"));
        text.push_str(extra_schemas);
        text
    }

    /// What [`one_core`] and [`two_cores`] make of `text` (`None`: not on two cores), shown.
    fn both(text: &str) -> (String, Option<String>) {
        let doc = super::super::load("t.yaml", text).unwrap_or_else(|err| panic!("{err}"));
        let reader = Reader { file: "t.yaml", root: &doc.root };
        let root = reader.node();
        let components = reader.get(&root, "components").expect("components");
        let schemas = reader.object(&components, "schemas").expect("schemas");
        let names: HashSet<&str> = schemas.iter().map(|(name, _)| *name).collect();
        let show = |lowered: Result<Lowered<'_>>| match lowered {
            Ok(l) => {
                let operations: Vec<_> = l.operations.iter().map(|o| (o.path, o.verb, o.node.path())).collect();
                format!("{:#?}\n{:#?}\n{:#?}\n{operations:#?}", l.schemas, l.methods, l.warnings)
            }
            Err(err) => format!("error: {err}"),
        };
        let one = show(one_core(&reader, &root, false, &names, &schemas));
        let two = two_cores(&reader, &root, false, &names, &schemas).map(show);
        (one, two)
    }

    #[test]
    fn two_cores_lower_what_one_does() {
        let (one, two) = both(&document("", ""));
        assert!(one.contains("SvcXYGetResponse_") && one.contains("outside the document"), "{one}");
        assert!(one.contains("\"blue\""), "the parameter's enum from its component: {one}");
        assert_eq!(two.as_deref(), Some(one.as_str()));
    }

    #[test]
    fn a_name_given_in_place_sends_the_document_back_to_one_core() {
        // `child` refers to itself: the target is given a name, which the methods' side of
        // two threads would not know.
        let schemas = "    Loop: {type: object, properties: {child: {type: object, properties: {again: {$ref: '#/components/schemas/Loop/properties/child'}}}}}\n";
        let (one, two) = both(&document(schemas, ""));
        assert!(one.contains("\"Child\""), "{one}");
        assert_eq!(two, None);
        // And `lower` gives what one core gives.
        let text = document(schemas, "");
        let doc = super::super::load("t.yaml", &text).unwrap_or_else(|err| panic!("{err}"));
        let api = lower("t.yaml", &doc, &Config::default(), "c").unwrap_or_else(|err| panic!("{err}"));
        assert!(one.starts_with(&format!("{:#?}\n{:#?}\n{:#?}\n", api.schemas, api.methods, api.warnings)));
    }

    #[test]
    fn a_body_of_the_last_paths_named_as_one_of_the_first_sends_the_document_back_to_one_core() {
        // `svc.r0-get`'s inline response is `SvcR0GetResponse_` after `svc.r0.get`'s, which the
        // thread reading the last paths does not know.
        let paths = "  /late:\n    get:\n      operationId: svc.r0-get\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {type: object}\n";
        let (one, two) = both(&document("", paths));
        assert!(one.contains("SvcR0GetResponse_"), "{one}");
        assert_eq!(two, None);
    }

    #[test]
    fn operation_ids_are_checked_across_the_two_threads() {
        let late =
            |path: &str, id: &str| format!("  /{path}:\n    get:\n      operationId: {id}\n      responses: {{}}\n");
        // The last paths' id against the first's, and twice among the last.
        for (paths, expected) in [
            (
                late("late", "svc.r0.get"),
                "#/paths/~1late/get: operationId \"svc.r0.get\" is also used by #/paths/~1p0/get",
            ),
            (
                late("a1", "a") + &late("a2", "a"),
                "#/paths/~1a2/get: operationId \"a\" is also used by #/paths/~1a1/get",
            ),
        ] {
            let (one, two) = both(&document("", &paths));
            assert!(one.contains(expected), "{one}");
            assert_eq!(two.as_deref(), Some(one.as_str()));
        }
    }

    #[test]
    fn two_cores_give_the_first_error_one_core_gives() {
        let first = "  /first/{id}:\n    get:\n      operationId: svc.first.get\n      responses: {}\n";
        let last = "  /last:\n    get:\n      operationId: svc.r1.get\n      responses: {}\n";
        for (leading, trailing, expected) in [(first, last, "path placeholder {id}"), ("", last, "svc.r1.get")] {
            let (one, two) = both(&document_with("", leading, trailing));
            assert!(one.starts_with("error: ") && one.contains(expected), "{one}");
            assert_eq!(two.as_deref(), Some(one.as_str()));
        }
        let bad_schema = "    Bad: {type: 7}\n";
        let bad_method = "  /q/{id}:\n    get:\n      operationId: svc.q.get\n      responses: {}\n";
        for (schemas, paths, expected) in [
            (bad_schema, bad_method, "#/components/schemas/Bad/type: expected a type name"),
            ("", bad_method, "path placeholder {id}"),
            (bad_schema, "", "#/components/schemas/Bad/type"),
        ] {
            let (one, two) = both(&document(schemas, paths));
            assert!(one.starts_with("error: ") && one.contains(expected), "{one}");
            assert_eq!(two.as_deref(), Some(one.as_str()));
        }
    }
}
