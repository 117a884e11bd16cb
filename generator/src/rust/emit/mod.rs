//! Emission: the crate plan as token streams, one function per file or item kind. Every
//! choice was made by `plan`; these modules only spell it.

pub mod example;
pub mod gates;
pub mod lib_rs;
pub mod model_files;
pub mod models;
pub mod names;
pub mod operations_resource;
pub mod resource;
pub mod scopes;
pub mod unions;
