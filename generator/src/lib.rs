//! discogen: Google Discovery documents or OpenAPI 3 documents -> IR -> StackQL documentation
//! pages and Rust clients.
//!
//! Stages: [`discovery`] (typed reader + validation) or [`openapi`] (OpenAPI 3.0/3.1 reader,
//! StackQL provider specs included) -> [`ir`] (plain data, document order,
//! StackQL's resource model) -> emitters ([`docs`]). All of them are pure functions from text
//! to text; [`output`] is the one place that touches the file system, used by the CLI and xtask.

pub mod config;
pub mod discovery;
pub mod docs;
pub mod error;
pub mod ir;
pub mod openapi;
pub mod output;
pub mod pipeline;

pub use error::{Error, Result};
pub mod rust;
