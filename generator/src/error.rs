//! The one error type of the generator. Every variant names the place (file, JSON path,
//! schema or method id) and the problem, so a maintainer can fix the input without a debugger.

use std::path::PathBuf;

/// Result alias used across the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between reading a Discovery document and writing output.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },

    /// Output could not be written (or moved into place).
    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },

    /// The document is not valid JSON, or does not have the shape of a Discovery document.
    #[error("{file}: {path}: {message}")]
    Parse { file: String, path: String, message: String },

    /// The document parsed, but says something inconsistent (a dangling `$ref`, a path
    /// placeholder without a parameter, ...). `location` is a JSON path or a method/schema id.
    #[error("{file}: {location}: {message}")]
    Invalid { file: String, location: String, message: String },

    /// The generator configuration is malformed or refers to something the document lacks.
    #[error("{file}: {location}: {message}")]
    Config { file: String, location: String, message: String },

    /// A template failed to render (a bug in the generator, reported rather than panicking).
    #[error("rendering {what}: {message}")]
    Render { what: String, message: String },
}

impl Error {
    pub(crate) fn invalid(file: &str, location: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { file: file.to_owned(), location: location.into(), message: message.into() }
    }
}
