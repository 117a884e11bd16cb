//! What every emitter returns: files as data, written to disk only by `output`.

/// A generated file: path relative to the output root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}
