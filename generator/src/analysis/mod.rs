//! Rules over the IR that serve both readers (as sidekick's `parser/pagination.go` serves its
//! protobuf and OpenAPI parsers): scalar types with their wire encoding (`scalars`) and AIP-155
//! request ids, passes the pipeline runs after either reader; paged lists (`paging`),
//! compute-style operations (`operations`) and resource-name patterns (`resource_names`), which
//! the Rust emitter asks about.

pub mod operations;
pub mod paging;
mod request_id;
pub mod resource_names;
mod scalars;

use crate::ir::Api;

/// Fills in what the readers leave to shared rules: scalar types, AIP-155 request ids.
pub fn run(api: &mut Api) {
    scalars::assign(api);
    request_id::assign(api);
}
