//! A local emulator of the Vertex AI v1 `projects.locations.notebookExecutionJobs`
//! REST API, for tests of generated clients and of `discogen-runtime`.
//!
//! It serves, under `/v1/`:
//!
//! * `POST projects/{p}/locations/{l}/notebookExecutionJobs?notebookExecutionJobId=ID`:
//!   creates a job and returns a `google.longrunning.Operation` that is done
//!   after [`EmulatorConfig::create_polls`] polls, with the job (state
//!   `JOB_STATE_SUCCEEDED`) as its response. `409 ALREADY_EXISTS` for an
//!   existing id, `400 INVALID_ARGUMENT` for a bad id, body or missing
//!   `displayName`;
//! * `GET .../notebookExecutionJobs/{id}` (`view` accepted): the job, or
//!   `404 NOT_FOUND`;
//! * `GET .../notebookExecutionJobs?pageSize=&pageToken=&filter=&orderBy=`:
//!   one page, `nextPageToken` omitted on the last. `filter` supports
//!   `field="value"` / `field!="value"` terms joined by `AND` (dotted paths
//!   such as `labels.env` allowed); `orderBy` supports `createTime`,
//!   `updateTime`, `displayName`, `name`, `jobState`, each with `asc`/`desc`;
//! * `DELETE .../notebookExecutionJobs/{id}`: an operation whose response is
//!   `google.protobuf.Empty` (done at once by default), or `404`;
//! * `GET {name}` for any operation name (`.../operations/{n}`): the
//!   operation, advancing its poll count;
//! * a compute-style zonal API: `POST projects/{p}/zones/{z}/instances`, `GET` and `DELETE`
//!   `.../instances/{name}` return compute's own `Operation` (`status`, `targetLink`,
//!   `error.errors` with `RESOURCE_ALREADY_EXISTS` for a taken name), polled with
//!   `GET .../zones/{z}/operations/{op}` (done after `create_polls` polls) or
//!   `POST .../operations/{op}/wait` (done at once).
//!
//! Errors have Google's shape:
//! `{"error": {"code": 404, "message": "...", "status": "NOT_FOUND", "details": []}}`.
//! Like the real service (proto3 JSON), `done` is omitted while `false` and
//! empty lists are omitted.
//!
//! Both creates honour AIP-155's `requestId` query parameter: a repeated id returns the first
//! call's operation and creates nothing.
//!
//! Tests inject faults through [`Emulator::faults`] (a queue, or a seeded [`FaultPlan`] mixing
//! 503/429 with and without `Retry-After`, dropped connections before and *after* handling,
//! and delays) and inspect the requests received through [`Emulator::requests`]. Lookups by
//! name are hash lookups and the request log is appended to, so a reply costs the same after
//! 100 000 requests as after one.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let emulator = notebook_emulator::Emulator::start().await?;
//! emulator.faults().fail_next(2, 503);
//! assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod compute;
mod errors;
mod faults;
mod list;
mod record;
mod server;
mod service;
mod time;

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use faults::{Fault, FaultPlan, Faults};
pub use record::RecordedRequest;
pub use service::EmulatorConfig;

use server::Shared;
use service::State;

/// A running emulator. The server runs on the current Tokio runtime and
/// stops when this handle is dropped.
#[derive(Debug)]
pub struct Emulator {
    base_url: String,
    shared: Shared,
    task: JoinHandle<()>,
}

impl Emulator {
    /// Starts an emulator with default settings on `127.0.0.1` and a free port.
    pub async fn start() -> io::Result<Emulator> {
        Self::start_with(EmulatorConfig::default()).await
    }

    /// Starts an emulator with `config` on `127.0.0.1` and a free port.
    pub async fn start_with(config: EmulatorConfig) -> io::Result<Emulator> {
        Self::bind(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts an emulator listening on `address`.
    pub async fn bind(address: SocketAddr, config: EmulatorConfig) -> io::Result<Emulator> {
        let listener = TcpListener::bind(address).await?;
        let local = listener.local_addr()?;
        let mut state = State::new(config);
        state.compute.base_url = format!("http://{local}/");
        let shared = Shared { state: Arc::new(Mutex::new(state)), faults: Faults::default(), log: Default::default() };
        let task = tokio::spawn(server::serve(listener, shared.clone()));
        Ok(Emulator { base_url: format!("http://{local}/"), shared, task })
    }

    /// The base URL, e.g. `http://127.0.0.1:40123/` (API paths start with `v1/`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The fault-injection queue.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// The requests received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.snapshot()
    }

    /// Number of requests received with `method` whose path ends with
    /// `path_suffix` (e.g. `("POST", "/notebookExecutionJobs")`).
    pub fn count_requests(&self, method: &str, path_suffix: &str) -> usize {
        self.requests().iter().filter(|r| r.method == method && r.path.ends_with(path_suffix)).count()
    }

    /// Number of requests received so far (without copying them).
    pub fn request_count(&self) -> usize {
        self.shared.log.len()
    }

    /// The compute-style instances that exist (`projects/p/zones/z/instances/name`), sorted:
    /// the server's side of a data check.
    pub fn instance_names(&self) -> Vec<String> {
        self.state().compute.instance_names()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// Starts or stops logging the requests received (logged from the start); what was
    /// logged stays. A process that never reads the log turns it off, so that its memory
    /// stays flat however many requests it answers.
    pub fn set_recording(&self, on: bool) {
        self.shared.log.set_recording(on);
    }

    /// Number of jobs stored (all projects and locations).
    pub fn job_count(&self) -> usize {
        self.state().job_count()
    }

    /// Changes the settings (applies to operations started afterwards).
    pub fn set_config(&self, config: EmulatorConfig) {
        self.state().config = config;
    }

    /// The current settings.
    pub fn config(&self) -> EmulatorConfig {
        self.state().config.clone()
    }

    /// The next operation to finish ends with this `google.rpc.Status`
    /// error (canonical `code` number, e.g. 9 for `FAILED_PRECONDITION`)
    /// instead of its normal result.
    pub fn fail_next_operation(&self, code: i32, message: impl Into<String>) {
        self.state().operation_failures.push_back((code, message.into()));
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().expect("emulator state")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}
