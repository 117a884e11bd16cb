//! Passes over the IR that serve both readers, run by the pipeline after either one (as
//! sidekick's `parser/pagination.go` serves its protobuf and OpenAPI parsers).

mod request_id;

use crate::ir::Api;

/// Fills in what the readers leave to shared rules: AIP-155 request ids.
pub fn run(api: &mut Api) {
    request_id::assign(api);
}
