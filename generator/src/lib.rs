//! discogen: Google Discovery documents or OpenAPI 3 documents -> IR -> StackQL documentation
//! pages and Rust clients.
//!
//! Stages: a reader, [`discovery`] (parse, validate, lower) or [`openapi`] (OpenAPI 3.0/3.1,
//! StackQL provider specs included), builds the [`ir`] (plain data, document order); shared
//! passes ([`analysis`]) and StackQL's resource model ([`stackql`]) complete it; the emitters
//! ([`docs`], [`rust`]) turn it into [`file::File`]s. [`pipeline`] glues the stages together.
//! All of them are pure functions from text to text; [`output`] is the one place that touches
//! the file system, used by the CLI and xtask.
//!
//! # Dependency direction
//!
//! A module imports only from the layers below its own, never from a sibling in its layer:
//!
//! ```text
//! error, file, ir, record  plain data (ir imports nothing else of the crate)
//! config                   the configuration file
//! discovery, openapi       readers
//! analysis, stackql        passes over the IR
//! docs, rust               emitters
//! output, pipeline         file writes; the stages glued together
//! ```
//!
//! The CLI (`main.rs`) and xtask sit on top.
//!
//! Inside [`rust`], decisions come before tokens: `rust::plan` decides what the crate contains
//! and what everything is called (named structs, no `quote`, `proc_macro2`, `syn` or
//! `prettyplease`), and `rust::emit` only spells that plan as tokens; emission imports the
//! plan, never the other way round.
//!
//! `cargo test` checks both rules (xtask's tidy test); `docs/guide/src/architecture.md` shows
//! the tree.

pub mod analysis;
pub mod config;
pub mod discovery;
pub mod docs;
pub mod error;
pub mod file;
pub mod ir;
pub mod openapi;
pub mod output;
pub mod pipeline;
pub mod record;
pub mod rust;
pub mod stackql;

pub use error::{Error, Result};
