//! Rules over the IR that serve both readers (as sidekick's `parser/pagination.go` serves its
//! protobuf and OpenAPI parsers): AIP-155 request ids, a pass the pipeline runs after either
//! reader, and paged lists (`paging`), which the Rust emitter asks about.

pub mod operations;
pub mod paging;
mod request_id;

use crate::ir::Api;

/// Fills in what the readers leave to shared rules: AIP-155 request ids.
pub fn run(api: &mut Api) {
    request_id::assign(api);
}
