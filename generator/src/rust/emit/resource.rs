//! Resource handles and request builders: one module per selected Discovery resource, one
//! builder per method with required parameters as arguments, optional ones as setters, and
//! `send()` (plus `pages()` / `items()` for paged lists).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::example::example;
use super::ident;
use super::models::{bytes_doc, described, doc_attrs, type_tokens};
use crate::ir::HttpMethod;
use crate::rust::plan::{MethodPlan, PathPiece, PathType, QueryParam, ResourcePlan, Response, RustType};

/// The `.query*(...)` / `.header*(...)` call that puts this parameter on a request.
fn request_call(query: &QueryParam, owned_required: bool) -> TokenStream {
    let field = ident(&query.field);
    let wire = &query.wire_name;
    match (query.header, query.repeated, query.required) {
        (false, true, _) => quote!(.query_all(#wire, self.#field.iter())),
        (false, false, true) if owned_required => quote!(.query(#wire, self.#field)),
        (false, false, true) => quote!(.query(#wire, &self.#field)),
        (false, false, false) => quote!(.query_opt(#wire, self.#field.as_ref())),
        (true, true, _) => quote!(.header_all(#wire, self.#field.iter())),
        (true, false, true) => quote!(.header(#wire, self.#field.to_string())),
        (true, false, false) => quote!(.header_opt(#wire, self.#field.as_ref())),
    }
}

/// The variant of `discogen_runtime::Method` that sends `verb`. The runtime has no TRACE yet,
/// so the plan leaves TRACE operations out before they get here (they were once sent as OPTIONS).
pub fn runtime_method(verb: HttpMethod) -> &'static str {
    match verb {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Put => "Put",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
        HttpMethod::Head => "Head",
        HttpMethod::Options => "Options",
        HttpMethod::Trace => "Trace",
    }
}

fn param_type_tokens(ty: &PathType) -> TokenStream {
    match ty {
        PathType::Name(name, _) => {
            let name = ident(name);
            quote!(crate::#name)
        }
        PathType::String => quote!(String),
    }
}

/// Argument type of a setter or positional argument (strings accept `impl Into<String>`).
fn setter_type(ty: &RustType) -> (TokenStream, TokenStream) {
    match ty {
        // Text-like types take `&str` too (`"2024-05-01T00:00:00Z"`, `"3.5s"`, `"name,labels"`).
        RustType::String | RustType::Timestamp | RustType::Duration | RustType::FieldMask => {
            let ty = type_tokens(ty);
            (quote!(impl Into<#ty>), quote!(.into()))
        }
        other => {
            let ty = type_tokens(other);
            (quote!(#ty), quote!())
        }
    }
}

/// A repeated parameter's argument: any iterable of values convertible to the item type
/// (`["a", "b"]` for strings), and how to collect it.
fn repeated_type(ty: &RustType) -> (TokenStream, TokenStream) {
    let inner = type_tokens(ty);
    (quote!(impl IntoIterator<Item = impl Into<#inner>>), quote!(.into_iter().map(Into::into).collect()))
}

/// The resource a handle's methods belong to, in words: top-level methods (Discovery's methods
/// outside any resource, OpenAPI operations without a tag) have none.
fn resource_phrase(chain: &str) -> String {
    if chain.is_empty() {
        "the API itself (methods that belong to no resource)".to_owned()
    } else {
        format!("the `{chain}` resource")
    }
}

pub fn module_tokens(resource: &ResourcePlan, resources: &[ResourcePlan], crate_ident: &str) -> TokenStream {
    if let Some(shape) = &resource.standard_operations {
        return super::operations_resource::tokens(resource, shape);
    }
    let handle = ident(&resource.handle);
    let handle_doc = if resource.methods.is_empty() {
        format!(" The resources under {}.", resource_phrase(&resource.chain))
    } else {
        format!(" Methods of {}.", resource_phrase(&resource.chain))
    };
    let get_one = format!(" Get one with `{}`; it is as cheap to clone as the client.", resource.reach("client"));
    let methods = resource.methods.iter().map(|m| handle_method(m, resource, crate_ident));
    let builders = resource.methods.iter().map(|m| builder_tokens(m, resource, crate_ident));
    let module_doc = if resource.methods.is_empty() {
        format!(" The handle of {}, which leads to the resources under it.", resource_phrase(&resource.chain))
    } else {
        format!(" Request builders for {}.", resource_phrase(&resource.chain))
    };
    let children = child_accessors(resource, resources, &crate_ident.replace('_', "-"));
    let calls = (!resource.methods.is_empty()).then(|| {
        quote! {
            impl #handle {
                #( #methods )*
            }

            #( #builders )*
        }
    });
    // With children, the module stays when the resource's feature is off (the children are
    // reached through its handle): the feature compiles out the methods and builders only.
    let calls = match (&resource.feature, calls) {
        (Some(feature), Some(calls)) if !resource.children.is_empty() => quote! {
            #[cfg(feature = #feature)]
            pub use calls::*;

            #[cfg(feature = #feature)]
            mod calls {
                use super::#handle;
                use discogen_runtime::{__support::Call, Method, Request};

                #calls
            }
        },
        (_, Some(calls)) => quote! {
            use discogen_runtime::{__support::Call, Method, Request};

            #calls
        },
        (_, None) => quote!(),
    };
    // Read by the methods and children its features compile: with none of them on, unread.
    let unread = resource
        .client_readers
        .as_ref()
        .map(|readers| quote!(#[cfg_attr(not(any(#( feature = #readers ),*)), allow(dead_code))]));
    quote! {
        #![doc = #module_doc]

        #[doc = #handle_doc]
        ///
        #[doc = #get_one]
        #[derive(Clone, Debug)]
        pub struct #handle {
            #unread
            pub(crate) client: discogen_runtime::Client,
        }

        #children

        #calls
    }
}

/// The handle's accessors of the resources one level down.
fn child_accessors(resource: &ResourcePlan, resources: &[ResourcePlan], crate_name: &str) -> TokenStream {
    if resource.children.is_empty() {
        return quote!();
    }
    let handle = ident(&resource.handle);
    let accessors = resource.children.iter().map(|&child| {
        let module = ident(&resources[child].module);
        accessor_tokens(&resources[child], quote!(crate::#module), quote!(self.client), crate_name)
    });
    quote! {
        impl #handle {
            #( #accessors )*
        }
    }
}

/// The accessor of `resource` on the client or on its parent's handle (`path` names its
/// module from there, `client` is the runtime client to clone), compiled out with the
/// resource's module and then replaced by a stand-in that names the feature to enable.
pub fn accessor_tokens(
    resource: &ResourcePlan,
    path: TokenStream,
    client: TokenStream,
    crate_name: &str,
) -> TokenStream {
    let (accessor, handle) = (ident(resource.accessor()), ident(&resource.handle));
    let doc = match resource.module_gate() {
        Some(feature) => format!(" The `{}` resource (feature `{feature}`).", resource.chain),
        None => format!(" The `{}` resource.", resource.chain),
    };
    let (gate, off) = match resource.module_gate() {
        Some(feature) => {
            let note = format!("compiled out: enable the cargo feature `{feature}` of {crate_name}");
            (quote!(#[cfg(feature = #feature)]), quote!(discogen_runtime::feature_off!(#accessor, #feature, #note);))
        }
        None => (quote!(), quote!()),
    };
    quote! {
        #[doc = #doc]
        #gate
        pub fn #accessor(&self) -> #path::#handle {
            #path::#handle { client: #client.clone() }
        }
        #off
    }
}

fn handle_method(method: &MethodPlan, resource: &ResourcePlan, crate_ident: &str) -> TokenStream {
    let name = ident(&method.name);
    let builder = ident(&method.builder);
    let required_query: Vec<&QueryParam> = method.query.iter().filter(|q| q.required).collect();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &method.path_params {
        let field = ident(&p.field);
        let ty = param_type_tokens(&p.ty);
        match p.ty {
            PathType::String => {
                args.push(quote!(#field: impl Into<String>));
                inits.push(quote!(#field: #field.into()));
            }
            // The typed name or its text, as Google's reference writes it; text that is not
            // such a name refuses the call when it is sent.
            PathType::Name(..) => {
                let wire = &p.wire;
                args.push(quote!(#field: impl discogen_runtime::model::IntoName<#ty>));
                inits.push(quote!(#field: call.name_arg(#wire, #field)));
            }
        }
    }
    for q in &required_query {
        let field = ident(&q.field);
        let (ty, convert) = if q.repeated { repeated_type(&q.ty) } else { setter_type(&q.ty) };
        args.push(quote!(#field: #ty));
        inits.push(if convert.is_empty() { quote!(#field) } else { quote!(#field: #field #convert) });
    }
    if let Some(body) = &method.body {
        let ty = type_tokens(body);
        args.push(quote!(body: #ty));
        inits.push(quote!(body));
    }
    for q in method.query.iter().filter(|q| !q.required) {
        let field = ident(&q.field);
        inits.push(if q.repeated { quote!(#field: Vec::new()) } else { quote!(#field: None) });
    }
    let mut extra = vec![format!("`{} {}`", method.http.as_str(), method.template)];
    if method.media && method.upload.is_none() && !method.download {
        extra.push(String::new());
        extra.push("The API can also upload or download media with this method; this client sends and receives only the JSON request and response.".to_owned());
    }
    if method.upload.is_some() {
        extra.push(String::new());
        extra.push(format!(
            "Media goes with [`{}::upload`]; this call's body, if any, becomes its metadata.",
            method.builder
        ));
    }
    if method.download {
        extra.push(String::new());
        extra.push(format!("The resource's bytes come from [`{}::download`].", method.builder));
    }
    extra.push(String::new());
    extra.extend(example(method, resource, crate_ident));
    let fallback = format!("Calls `{}`.", method.id);
    let docs = doc_attrs(Some(described(method.description.as_deref(), &fallback)), &extra);
    let takes_names = method.path_params.iter().any(|p| matches!(p.ty, PathType::Name(..)));
    let call = if takes_names { quote!(let mut call) } else { quote!(let call) };
    quote! {
        #docs
        pub fn #name(&self, #( #args ),*) -> #builder {
            #call = Call::new(&self.client);
            #builder { #( #inits, )* call }
        }
    }
}

fn builder_tokens(method: &MethodPlan, _resource: &ResourcePlan, _crate_ident: &str) -> TokenStream {
    let builder = ident(&method.builder);
    let doc = format!(" The `{}` call: configure it, then [`{}::send`] it.", method.id, method.builder);
    let mut fields = vec![quote!(call: Call)];
    // A resource name is held as its text (checked when the builder was made).
    for p in &method.path_params {
        let field = ident(&p.field);
        fields.push(quote!(#field: String));
    }
    for q in &method.query {
        let field = ident(&q.field);
        let inner = type_tokens(&q.ty);
        fields.push(if q.repeated {
            quote!(#field: Vec<#inner>)
        } else if q.required {
            quote!(#field: #inner)
        } else {
            quote!(#field: Option<#inner>)
        });
    }
    if let Some(body) = &method.body {
        let ty = type_tokens(body);
        fields.push(quote!(body: #ty));
    }

    let setters = method.query.iter().filter(|q| !q.required).map(|q| {
        let field = ident(&q.field);
        let place = if q.header { "header" } else { "query parameter" };
        let fallback = format!("Sets the `{}` {place}.", q.wire_name);
        let mut extra =
            if is_request_id_query(method, q) { REQUEST_ID_DOC.map(str::to_owned).to_vec() } else { Vec::new() };
        extra.extend(bytes_doc(&q.ty));
        let docs = doc_attrs(Some(described(q.description.as_deref(), &fallback)), &extra);
        if q.repeated {
            let (ty, convert) = repeated_type(&q.ty);
            quote! {
                #docs
                pub fn #field(mut self, values: #ty) -> Self {
                    self.#field = values #convert;
                    self
                }
            }
        } else {
            let (ty, convert) = setter_type(&q.ty);
            quote! {
                #docs
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = Some(value #convert);
                    self
                }
            }
        }
    });

    let http = format_ident!("{}", runtime_method(method.http));
    let id = &method.id;
    let request = request_expression(&quote!(#http), &method.path);
    let query = method.query.iter().map(|q| {
        let field = ident(&q.field);
        let wire = &q.wire_name;
        if is_request_id_query(method, q) {
            let value = if q.required { quote!(Some(&self.#field)) } else { quote!(self.#field.as_ref()) };
            quote!(.request_id_query(#wire, #value))
        } else {
            request_call(q, true)
        }
    });
    let body = method.body.as_ref().map(|_| match &method.request_id {
        Some(crate::ir::RequestIdSlot::BodyField(field)) => {
            quote!(let request = request.json_with_request_id(&self.body, #field)?;)
        }
        _ => quote!(let request = request.json(&self.body)?;),
    });
    let (output, send_body) = match &method.response {
        Response::Empty => (quote!(()), quote!(self.call.execute_empty(request).await)),
        Response::Json(ty) => {
            let ty = type_tokens(ty);
            (quote!(#ty), quote!(self.call.execute(request).await))
        }
        Response::Operation { result, metadata, poll_prefix } => {
            let result = type_tokens(result);
            let metadata = type_tokens(metadata);
            (
                quote!(discogen_runtime::Operation<#result, #metadata>),
                quote! {
                    let raw: discogen_runtime::lro::RawOperation = self.call.execute(request).await?;
                    Ok(discogen_runtime::Operation::new(self.call.client, raw).with_poll_path_prefix(#poll_prefix))
                },
            )
        }
        Response::DiscoveryOperation { operation, resource, get, wait } => {
            let operation = type_tokens(operation);
            let resource = type_tokens(resource);
            let (get_prefix, get_suffix) = (path_format(&get.0), &get.1);
            let wait = wait.as_ref().map(|(pieces, suffix)| {
                let prefix = path_format(pieces);
                quote!(.with_wait(#prefix, #suffix))
            });
            (
                quote!(discogen_runtime::lro::DiscoveryOperation<#operation, #resource>),
                quote! {
                    let paths = discogen_runtime::lro::OperationPaths::get(#get_prefix, #get_suffix) #wait;
                    let raw: serde_json::Value = self.call.execute(request).await?;
                    Ok(discogen_runtime::lro::DiscoveryOperation::new(self.call.client, raw, paths))
                },
            )
        }
    };
    // pages() and items(): the same on every paged list, written once by the runtime.
    let paging = method.page_token_field.as_ref().map(|token| {
        let token = ident(token);
        // Crate types by name (`crate::` implied), anything else after `type`.
        let page = match &method.response {
            Response::Json(RustType::Named(page)) => {
                let page = ident(page);
                quote!(#page)
            }
            _ => quote!(type #output),
        };
        match &method.page_item {
            Some(RustType::Named(item)) => {
                let item = ident(item);
                quote!(discogen_runtime::paginated!(#builder, #token, #page, #item);)
            }
            Some(other) => {
                let item = type_tokens(other);
                quote!(discogen_runtime::paginated!(#builder, #token, #page, type #item);)
            }
            // A response with several lists: pages only.
            None => quote!(discogen_runtime::paginated!(#builder, #token, #page);),
        }
    });
    // An upload answers what the server sent: an operation as it came (`Operation::new` waits
    // on a `RawOperation`), the body's type otherwise.
    let media_output = match &method.response {
        Response::Operation { .. } => quote!(discogen_runtime::lro::RawOperation),
        Response::DiscoveryOperation { operation, .. } => type_tokens(operation),
        _ => output.clone(),
    };
    let media = media_tokens(method, &media_output);
    let send_doc = match &method.request_id {
        None => quote!(#[doc = " Sends the request."]),
        Some(slot) => {
            let place = match slot {
                crate::ir::RequestIdSlot::Query(wire) => format!("query parameter `{wire}`"),
                crate::ir::RequestIdSlot::BodyField(field) => format!("body field `{field}`"),
            };
            let text = format!(
                " Sends the request, with a fresh UUID v4 as the request id ({place}) unless one is set; the id is the same on every attempt, so transient failures are retried."
            );
            quote!(#[doc = #text])
        }
    };
    let error_docs = error_docs(&method.errors);
    let wrap = data_wrapper(method);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            #( #fields, )*
        }

        // retry_policy, timeout, header, fields, quota_user: the same on every builder.
        discogen_runtime::call_options!(#builder);

        impl #builder {
            #( #setters )*

            #send_doc
            #error_docs
            pub async fn send(self) -> discogen_runtime::Result<#output> {
                let request = #request
                    .method_id(#id)
                    #wrap
                    #( #query )*;
                #body
                #send_body
            }

            #media
        }

        #paging
    }
}

/// The error bodies the API documents for a method, for `send`'s docs: the user matches on
/// [`Error::status`](discogen_runtime::Error::status) and decodes with `decode_body`.
fn error_docs(errors: &[(String, RustType)]) -> TokenStream {
    if errors.is_empty() {
        return quote!();
    }
    let mut lines = vec![
        String::new(),
        "On an error status the body is kept in the [`Error`](crate::Error); decode the documented type with [`Error::decode_body`](crate::Error::decode_body):".to_owned(),
    ];
    for (status, ty) in errors {
        let ty = type_tokens(ty).to_string().replace(' ', "");
        lines.push(format!("- `{status}`: [`{ty}`]"));
    }
    let lines = lines.into_iter().map(|line| if line.is_empty() { line } else { format!(" {line}") });
    quote!( #( #[doc = #lines] )* )
}

/// What the request id's setter adds to its Discovery description.
const REQUEST_ID_DOC: [&str; 1] = [
    "When not set, `send` fills in a fresh UUID v4 (the same on every attempt), so the call is retried like an idempotent one: the server answers a repeated id with the first result.",
];

/// Whether `query` is the parameter carrying the method's AIP-155 request id.
/// `.data_wrapper()` on the request of a method whose API wraps data.
fn data_wrapper(method: &MethodPlan) -> Option<TokenStream> {
    method.data_wrapper.then(|| quote!(.data_wrapper()))
}

fn is_request_id_query(method: &MethodPlan, query: &QueryParam) -> bool {
    !query.repeated
        && !query.header
        && matches!(&method.request_id, Some(crate::ir::RequestIdSlot::Query(wire)) if *wire == query.wire_name)
}

/// `upload(media)` and `download()` on a builder, sharing its parameters.
fn media_tokens(method: &MethodPlan, output: &TokenStream) -> TokenStream {
    let http = format_ident!("{}", runtime_method(method.http));
    let query: Vec<TokenStream> = method.query.iter().map(|q| request_call(q, false)).collect();
    let upload = method.upload.as_ref().map(|upload| {
        let request_new = request_expression(&quote!(#http), &upload.path);
        let id = &method.id;
        let wrap = data_wrapper(method);
        let accept = &upload.accept;
        let max_size = match upload.max_size {
            Some(size) => quote!(Some(#size)),
            None => quote!(None),
        };
        let request = match &method.body {
            Some(_) => quote!(request.json(&self.body)),
            None => quote!(Ok(request)),
        };
        let mut doc = format!(
            " Uploads `media` with this call (`{} {}`): in one request when it is small (with this call's body as metadata when that is not empty), else resumably in chunks. The media's type and size are checked against what the method accepts before anything is sent.",
            method.http.as_str(),
            upload.template
        );
        match &method.response {
            Response::Operation { .. } => doc.push_str(
                " It answers the long-running operation as the server sent it: `discogen_runtime::Operation::new(client, raw)` waits on it.",
            ),
            Response::DiscoveryOperation { .. } => {
                doc.push_str(" It answers the operation as the server sent it, to poll with the operations resource.")
            }
            _ => {}
        }
        quote! {
            #[doc = #doc]
            pub fn upload(self, media: discogen_runtime::media::MediaSource) -> discogen_runtime::media::MediaUpload<#output> {
                let request = self.call.request(#request_new.method_id(#id) #wrap #( #query )*);
                let request = #request;
                discogen_runtime::media::MediaUpload::new(self.call.client, #id, crate::SERVICE_PATH, request, media)
                    .accept(&[ #( #accept ),* ])
                    .max_size(#max_size)
            }
        }
    });
    let download = method.download.then(|| {
        let request_new = request_expression(&quote!(Get), &method.path);
        let id = &method.id;
        quote! {
            /// The resource's media (`alt=media`) instead of its JSON: a byte stream, a range, or
            /// a file written atomically; a dropped connection resumes where it stopped.
            pub fn download(self) -> discogen_runtime::media::MediaDownload {
                let request = self.call.request(#request_new.method_id(#id) #( #query )*);
                discogen_runtime::media::MediaDownload::new(self.call.client, request)
            }
        }
    });
    quote!(#upload #download)
}

/// `Request::from_template(...)`: the runtime expands the method's URI template (and refuses
/// a dot segment, naming the parameter).
fn request_expression(http: &TokenStream, pieces: &[PathPiece]) -> TokenStream {
    let (template, values) = template_and_values(pieces);
    quote!(Request::from_template(Method::#http, #template, &[ #( #values ),* ]))
}

/// A `String` expression for template pieces whose parameters are builder fields (a path
/// prefix; the request sent with it is checked for dot segments).
fn path_format(pieces: &[PathPiece]) -> TokenStream {
    let (template, values) = template_and_values(pieces);
    if values.is_empty() {
        quote!(#template)
    } else {
        quote!(discogen_runtime::__support::expand_path(#template, &[ #( #values ),* ]))
    }
}

/// The URI template written back from its pieces, and the builder fields of its expressions
/// in order.
fn template_and_values(pieces: &[PathPiece]) -> (String, Vec<TokenStream>) {
    let mut template = String::new();
    let mut values = Vec::new();
    for piece in pieces {
        match piece {
            PathPiece::Literal(text) => template.push_str(text),
            PathPiece::Param { field, wire, operator } => {
                template.push('{');
                template.extend(*operator);
                template.push_str(wire);
                template.push('}');
                let field = ident(field);
                values.push(quote!(&self.#field));
            }
        }
    }
    (template, values)
}
