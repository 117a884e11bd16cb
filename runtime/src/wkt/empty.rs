//! `google.protobuf.Empty`.

use serde::{Deserialize, Serialize};

/// `google.protobuf.Empty`: the result of methods that return nothing.
///
/// Serializes as `{}` and deserializes from `{}` (unknown keys such as
/// `@type` are ignored), from an empty body and from `null`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Empty {}
