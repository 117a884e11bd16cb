//! `src/lib.rs`: the crate root's docs, modules, re-exports, endpoints and the `Client`.

use proc_macro2::TokenStream;
use quote::quote;

use super::gates::item_attribute;
use super::ident;
use super::models::doc_attrs;
use crate::rust::plan::{CratePlan, ResourcePlan};

/// The crate root: docs, re-exports, endpoints and the `Client`.
pub fn lib_tokens(plan: &CratePlan, crate_name: &str) -> TokenStream {
    let endpoints = &plan.endpoints;
    let feature_attr = |r: &ResourcePlan| r.module_gate().map(|feature| quote!(#[cfg(feature = #feature)]));
    let modules = plan.resources.iter().map(|r| {
        let module = ident(&r.module);
        let gate = feature_attr(r);
        quote!(#gate pub mod #module;)
    });
    let top_level: Vec<&ResourcePlan> = plan.resources.iter().filter(|r| r.accessors.len() == 1).collect();
    let accessors = top_level.iter().map(|r| {
        let module = ident(&r.module);
        super::resource::accessor_tokens(r, quote!(#module), quote!(self.inner), crate_name)
    });
    // The accessors of nested resources before they nested (`client.messages()`), deprecated
    // and hidden, where the name is still free.
    let moved = plan.resources.iter().filter_map(|r| {
        let (old, module, handle) = (ident(r.moved_accessor.as_ref()?), ident(&r.module), ident(&r.handle));
        let gate = feature_attr(r);
        let note = format!("accessors follow the method id: use `{}`", r.reach("client"));
        Some(quote!(#gate discogen_runtime::moved_accessor!(#old, #module::#handle, #note);))
    });
    let (default_endpoint, service_path) = (&endpoints.default, &endpoints.service_path);
    let regional = endpoints.regional.iter().map(|(location, url)| quote!((#location, #url)));
    let scopes = plan.scopes.constants.iter().map(|s| s.url.as_str());
    let scopes_module = super::scopes::module(&plan.scopes, plan.document);
    let regional_doc = format!(" Regional endpoints from the {} document, by location.", plan.document.as_str());
    let adc_scope = match plan.scopes.default {
        Some(_) => quote!(scopes::DEFAULT),
        None => quote!(discogen_runtime::auth::credentials::CLOUD_PLATFORM_SCOPE),
    };
    let (names_mod, names_use) = if plan.names.is_empty() {
        (quote!(), quote!())
    } else {
        // Empty when no resource feature is enabled.
        (
            quote!(
                mod names;
            ),
            quote!(
                #[allow(unused_imports)]
                pub use names::*;
            ),
        )
    };
    let title_doc = doc_attrs(Some(&format!("A client for the {}; cheap to clone and share.", endpoints.title)), &[]);
    let aliases = plan.aliases.iter().map(|(old, new)| {
        let (old_ident, new_ident) = (ident(old), ident(new));
        let gate = item_attribute(&plan.gates, new);
        let note = format!("renamed to {new}");
        let doc = format!(" Renamed to [`{new}`]; this alias goes in the next release.");
        quote! {
            #[doc = #doc]
            #gate
            #[deprecated(note = #note)]
            pub type #old_ident = #new_ident;
        }
    });
    quote! {
        #![doc = include_str!("../README.md")]
        #![deny(missing_docs)]

        mod model;
        #names_mod
        #( #modules )*

        #[allow(unused_imports)]
        pub use model::*;
        #names_use
        pub use discogen_runtime::{
            auth::{NoAuth, StaticToken, TokenProvider},
            client::RegionalEndpoints,
            error::{Code, RpcStatus},
            media::{ByteStream, MediaDownload, MediaSource, MediaUpload, ResumableSession},
            paging::{Stream, StreamExt, TryStreamExt},
            wkt::{Bytes, Duration, Empty, FieldMask, StandardBytes, Timestamp},
            Error, Operation, PollPolicy, RetryPolicy,
        };
        /// The JSON library of the models: `serde_json::Value` holds `type: any` fields, and
        /// `serde_json::json!` builds them, with no dependency of your own to keep in step.
        pub use serde_json;
        /// Credential sources: Application Default Credentials, service accounts,
        /// impersonation, authorized users, the metadata server, installed-app and
        /// device-code consent.
        #[cfg(feature = "adc")]
        pub use discogen_runtime::auth::credentials;

        /// What sends the requests: a [`Transport`](transport::Transport) behind the client,
        /// reqwest by default. [`MockTransport`](transport::MockTransport) answers with canned
        /// responses and records every request, for unit tests without HTTP;
        /// [`reqwest`](transport::reqwest) builds a client for [`ClientBuilder::http_client`].
        pub mod transport {
            pub use discogen_runtime::transport::{
                install_crypto_provider, reqwest, HttpRequest, HttpResponse, MockTransport, ReqwestTransport, Transport,
                TransportError, TransportFuture,
            };
        }

        /// Result of every call: the value or an [`Error`].
        pub type Result<T> = std::result::Result<T, Error>;

        #( #aliases )*

        /// The global endpoint.
        pub const DEFAULT_ENDPOINT: &str = #default_endpoint;

        /// What the endpoint adds to the API's root URL (`ClientBuilder::root_url` adds it);
        /// media uploads go to the root.
        pub const SERVICE_PATH: &str = #service_path;

        #[doc = #regional_doc]
        pub const REGIONAL_ENDPOINTS: &[(&str, &str)] = &[ #( #regional ),* ];

        /// OAuth scopes the API accepts.
        pub const SCOPES: &[&str] = &[ #( #scopes ),* ];

        #scopes_module

        #title_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: discogen_runtime::Client,
        }

        impl Client {
            /// A builder with the global endpoint and the regional endpoints preset.
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    inner: discogen_runtime::Client::builder(DEFAULT_ENDPOINT)
                        .service_path(SERVICE_PATH)
                        .regional_endpoints(RegionalEndpoints::from_list(REGIONAL_ENDPOINTS))
                        .api_client(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
                }
            }

            /// Wraps an already configured runtime client.
            pub fn from_runtime(inner: discogen_runtime::Client) -> Self {
                Client { inner }
            }

            /// The runtime client, for raw requests.
            pub fn runtime(&self) -> &discogen_runtime::Client {
                &self.inner
            }

            #( #accessors )*
            #( #moved )*
        }

        // The builder's setters are the same in every crate: the runtime writes them.
        discogen_runtime::client_builder!(ClientBuilder builds Client, default scope #adc_scope);
    }
}
