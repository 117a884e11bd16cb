//! Example calls: the `no_run` examples of the handle methods' docs and the README's.

use super::models::type_tokens;
use crate::rust::idents::spelled;
use crate::rust::plan::{MethodPlan, PathType, ResourcePlan, Response, RustType};

/// A `no_run` example calling the method with placeholder arguments.
pub fn example(method: &MethodPlan, resource: &ResourcePlan, crate_ident: &str) -> Vec<String> {
    let call = example_call(method, resource, &format!("{crate_ident}::"));
    let mut lines = vec![
        "```no_run".to_owned(),
        format!("# async fn example(client: {crate_ident}::Client) -> {crate_ident}::Result<()> {{"),
    ];
    // Names in the body are qualified; only the stream trait needs importing.
    if call.uses_stream {
        lines.push(format!("use {crate_ident}::TryStreamExt as _;"));
    }
    lines.extend(call.body);
    lines.extend(["# Ok(())".to_owned(), "# }".to_owned(), "```".to_owned()]);
    lines
}

/// Statements that call a method on `client` with placeholder arguments.
pub struct ExampleCall {
    /// Resource-name types the arguments build.
    pub names: Vec<String>,
    /// The body iterates a paged list with `TryStreamExt::try_next`.
    pub uses_stream: bool,
    pub body: Vec<String>,
}

/// Calls the method on `client` and prints what it returns (every item of a paged list, the
/// result of an operation); resource-name types are written with `prefix` (a crate path or
/// nothing when the caller imports them).
pub fn example_call(method: &MethodPlan, resource: &ResourcePlan, prefix: &str) -> ExampleCall {
    let placeholder = |field: &str| format!("\"my-{}\"", field.replace('_', "-"));
    let mut names = Vec::new();
    let mut args: Vec<String> = method
        .path_params
        .iter()
        .map(|p| match &p.ty {
            PathType::Name(name, fields) => {
                names.push(name.clone());
                let values: Vec<String> = fields.iter().map(|f| placeholder(f)).collect();
                format!("{prefix}{name}::new({})", values.join(", "))
            }
            PathType::String => placeholder(&p.field),
        })
        .collect();
    args.extend(method.query.iter().filter(|q| q.required).map(|q| match (&q.ty, q.repeated) {
        (RustType::String, false) => placeholder(&q.field),
        (RustType::String, true) => format!("[{}]", placeholder(&q.field)),
        (RustType::Timestamp, false) => "\"2024-01-01T00:00:00Z\"".to_owned(),
        (RustType::Duration, false) => "\"60s\"".to_owned(),
        (RustType::FieldMask, false) => "\"name\"".to_owned(),
        (RustType::Named(name), true) => {
            names.push(name.clone());
            format!("std::iter::empty::<{prefix}{name}>()")
        }
        (other, true) => format!("std::iter::empty::<{}>()", type_tokens(other).to_string().replace(' ', "")),
        _ => "Default::default()".to_owned(),
    }));
    if method.body.is_some() {
        args.push("Default::default()".to_owned());
    }
    // Keywords (`move`) are raw identifiers in the example as in the code.
    let call = format!("{}.{}({})", resource.reach("client"), spelled(&method.name), args.join(", "));
    let body = media_example(method, &call).unwrap_or_else(|| match (&method.page_item, &method.response) {
        (Some(_), _) => vec![
            format!("let mut items = {call}.items();"),
            "while let Some(item) = items.try_next().await? {".to_owned(),
            "    println!(\"{item:?}\");".to_owned(),
            "}".to_owned(),
        ],
        (None, Response::DiscoveryOperation { .. }) => vec![
            format!("let operation = {call}.send().await?;"),
            "let resource = operation.wait_for_resource().await?;".to_owned(),
            "println!(\"{resource:?}\");".to_owned(),
        ],
        (None, Response::Operation { .. }) => vec![
            format!("let operation = {call}.send().await?;"),
            "let result = operation.wait().await?;".to_owned(),
            "println!(\"{result:?}\");".to_owned(),
        ],
        (None, Response::Empty) => vec![format!("{call}.send().await?;")],
        (None, Response::Json(_)) => {
            vec![format!("let response = {call}.send().await?;"), "println!(\"{response:?}\");".to_owned()]
        }
    });
    ExampleCall { names, uses_stream: method.page_item.is_some(), body }
}

/// Uploading methods show an upload, downloading ones a download to a file.
fn media_example(method: &MethodPlan, call: &str) -> Option<Vec<String>> {
    if method.upload.is_some() {
        return Some(vec![
            format!("let media = {MEDIA}::MediaSource::from_path(\"photo.jpg\", \"image/jpeg\").await?;"),
            format!("let response = {call}.upload(media).send().await?;"),
            "println!(\"{response:?}\");".to_owned(),
        ]);
    }
    method.download.then(|| {
        vec![
            format!("let bytes = {call}.download().range(0..1024).bytes().await?;"),
            "println!(\"{} bytes\", bytes.len());".to_owned(),
            format!("{call}.download().to_file(\"copy.bin\").await?;"),
        ]
    })
}

/// Media types are re-exported by every crate; examples name them through the runtime.
const MEDIA: &str = "discogen_runtime::media";
