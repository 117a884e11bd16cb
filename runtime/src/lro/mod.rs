//! Long-running operations: Google's `google.longrunning.Operation` ([`Operation`]), the
//! Discovery-style operations of compute and others ([`DiscoveryOperation`]), and the call
//! builders of a standard `operations` resource.

mod deadline;
mod discovery;
mod operation;
mod operations_resource;

pub use discovery::{DiscoveryOperation, OperationPaths};
pub use operation::{Operation, RawOperation, DEFAULT_POLL_PATH_PREFIX};
pub use operations_resource::{CancelOperation, DeleteOperation, GetOperation, ListOperations, WaitOperation};
