//! What generated crates call and users never name: the request builders' shared state,
//! resource-name and URI-template helpers, request ids, and the serde support of models.
//! Exempt from semver, as google-cloud-rust's `gax-internal`: the crate mounts it as the
//! `#[doc(hidden)]` module `__support`. The macros generated code invokes are defined here
//! too (`#[macro_export]` puts them at the crate root, hidden) and call back into it.

mod call;
mod call_options;
mod client_builder;
mod feature_off;
mod int64;
mod model_serde;
mod moved_accessor;
mod names;
mod operations_resource;
mod paging;
mod request_id;

pub use call::Call;
pub use feature_off::FeatureOff;
pub use int64::{serde_int64, serde_uint64};
pub use model_serde::members;
pub use names::{name_text, parse_resource_name, write_resource_name};
pub use request_id::request_id;

pub use crate::uri_template::{encode_path_reserved, encode_path_segment, encode_reserved, expand_path};

/// serde, for the trait impls the macros write into generated crates.
pub use serde;
