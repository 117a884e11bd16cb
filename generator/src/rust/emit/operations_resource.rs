//! The module of a standard operations resource (see `plan::operations`): one
//! `discogen_runtime::operations_resource!` invocation whose builders live in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::rust::plan::{ResourcePlan, StandardOperations};

/// The module of `resource`, a standard operations resource of `shape`.
pub fn tokens(resource: &ResourcePlan, shape: &StandardOperations) -> TokenStream {
    let handle = ident(&resource.handle);
    let module_doc = format!(" Request builders for the `{}` resource.", resource.chain);
    let handle_doc = format!(" Methods of the `{}` resource.", resource.chain);
    let parent = ident(&shape.parent);
    let name = ident(&shape.name);
    let list = ident(&shape.list);
    let (ids, prefix) = (&shape.method_ids, &shape.path_prefix);
    quote! {
        #![doc = #module_doc]

        #[doc = #handle_doc]
        ///
        /// Get one from [`crate::Client`]; it is as cheap to clone as the client.
        #[derive(Clone, Debug)]
        pub struct #handle {
            pub(crate) client: discogen_runtime::Client,
        }

        // list, get, delete, cancel, wait: the same in every operations resource but for the
        // types, method ids and path prefix; the builders are the runtime's.
        discogen_runtime::operations_resource!(#handle, #parent, #name, #list, #ids, #prefix);
    }
}
