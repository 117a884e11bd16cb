//! The emulated API: routing and the notebookExecutionJobs / operations
//! handlers, independent of HTTP plumbing.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use serde_json::{json, Map, Value};

use crate::compute::Compute;
use crate::errors::Reply;
use crate::list::{Filter, OrderBy, PageTokens};
use crate::time::Clock;

const TYPE_PREFIX: &str = "type.googleapis.com/";
const JOB_TYPE: &str = "google.cloud.aiplatform.v1.NotebookExecutionJob";
const CREATE_METADATA_TYPE: &str = "google.cloud.aiplatform.v1.CreateNotebookExecutionJobOperationMetadata";
const DELETE_METADATA_TYPE: &str = "google.cloud.aiplatform.v1.DeleteOperationMetadata";
const EMPTY_TYPE: &str = "google.protobuf.Empty";
const COLLECTION: &str = "notebookExecutionJobs";

/// Fields the server sets; values sent by clients are ignored.
const OUTPUT_ONLY: [&str; 5] = ["name", "createTime", "updateTime", "jobState", "status"];

/// Tunable behaviour of the emulator.
#[derive(Debug, Clone, PartialEq)]
pub struct EmulatorConfig {
    /// Polls (`GET` of the operation) before a create operation is done;
    /// `0` returns it done. Default 2.
    pub create_polls: u32,
    /// Polls before a delete operation is done; `0` (default) returns it done.
    pub delete_polls: u32,
    /// Page size when the request has none (or `0`). Default 100.
    pub default_page_size: usize,
    /// Larger page sizes are lowered to this. Default 1000.
    pub max_page_size: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig { create_polls: 2, delete_polls: 0, default_page_size: 100, max_page_size: 1000 }
    }
}

/// What finishing an operation does.
#[derive(Debug)]
enum Action {
    /// Mark the job succeeded and return it.
    Create { job: String },
    /// Remove the job and return `Empty`.
    Delete { job: String },
}

#[derive(Debug)]
struct Operation {
    name: String,
    metadata: Value,
    polls_left: u32,
    action: Action,
    /// `Ok(response)` or `Err(google.rpc.Status)` once done.
    outcome: Option<Result<Value, Value>>,
}

impl Operation {
    fn to_json(&self) -> Value {
        let mut operation = json!({"name": self.name, "metadata": self.metadata});
        // proto3 JSON: `done` is omitted while false, as the real service does.
        match &self.outcome {
            None => {}
            Some(Ok(response)) => {
                operation["done"] = json!(true);
                operation["response"] = response.clone();
            }
            Some(Err(status)) => {
                operation["done"] = json!(true);
                operation["error"] = status.clone();
            }
        }
        operation
    }
}

/// Jobs, operations and settings of one emulator.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) config: EmulatorConfig,
    /// Jobs by creation number: creation order for listing.
    jobs: BTreeMap<u64, Value>,
    /// Job name -> creation number, so lookups by name cost the same however many jobs exist.
    job_index: HashMap<String, u64>,
    /// Parent (`projects/p/locations/l`) -> its jobs' creation numbers, so a listing costs what
    /// its parent holds, not what every location holds (a benchmark creates thousands of jobs
    /// in one location and lists another).
    jobs_by_parent: HashMap<String, BTreeSet<u64>>,
    next_seq: u64,
    operations: HashMap<String, Operation>,
    /// `requestId` of a create -> its operation: a repeated id gets the first result (AIP-155).
    request_ids: HashMap<String, String>,
    next_operation: u64,
    next_job: u64,
    clock: Clock,
    /// `(code, message)` errors the next finishing operations end with.
    pub(crate) operation_failures: VecDeque<(i32, String)>,
    /// The compute-style zonal instances API.
    pub(crate) compute: Compute,
}

/// A parsed request.
pub(crate) struct Call<'a> {
    pub(crate) method: &'a str,
    /// Percent-decoded path segments after `/v1/`.
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: &'a [u8],
}

impl Call<'_> {
    fn param(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

impl State {
    pub(crate) fn new(config: EmulatorConfig) -> State {
        State { config, next_operation: 1000, next_job: 5_000_000, ..State::default() }
    }

    /// Number of stored jobs.
    pub(crate) fn job_count(&self) -> usize {
        self.jobs.len()
    }

    /// Routes a call to its handler.
    pub(crate) fn handle(&mut self, call: &Call<'_>) -> Reply {
        let segments: Vec<&str> = call.segments.iter().map(String::as_str).collect();
        match (call.method, segments.as_slice()) {
            ("POST", ["projects", project, "locations", location, COLLECTION]) => {
                self.create(&format!("projects/{project}/locations/{location}"), call)
            }
            ("GET", ["projects", project, "locations", location, COLLECTION]) => {
                self.list(&format!("projects/{project}/locations/{location}"), call)
            }
            ("GET", ["projects", _, "locations", _, COLLECTION, _]) => self.get(&call.segments.join("/"), call),
            ("DELETE", ["projects", _, "locations", _, COLLECTION, _]) => self.delete(&call.segments.join("/")),
            ("POST", ["projects", project, "zones", zone, "instances"]) => {
                self.compute.insert(project, zone, call.body, call.param("requestId"), self.config.create_polls)
            }
            ("GET", ["projects", _, "zones", _, "instances", _]) => self.compute.get_instance(&call.segments.join("/")),
            ("DELETE", ["projects", project, "zones", zone, "instances", _]) => {
                self.compute.delete(project, zone, &call.segments.join("/"), self.config.delete_polls)
            }
            ("GET", ["projects", _, "zones", _, "operations", operation]) => self.compute.get_operation(operation),
            ("POST", ["projects", _, "zones", _, "operations", operation, "wait"]) => {
                self.compute.wait_operation(operation)
            }
            ("GET", [.., "operations", _]) => self.get_operation(&call.segments.join("/")),
            _ => Reply::error(404, format!("Method {} /v1/{} not found.", call.method, call.segments.join("/"))),
        }
    }

    fn create(&mut self, parent: &str, call: &Call<'_>) -> Reply {
        if let Some(operation) = call.param("requestId").and_then(|id| self.request_ids.get(id)) {
            return Reply::ok(self.operations[operation].to_json());
        }
        let Ok(Value::Object(mut job)) = serde_json::from_slice::<Value>(call.body) else {
            return Reply::error(400, "Invalid JSON payload received: expected a NotebookExecutionJob object.");
        };
        let display_name = job.get("displayName").and_then(Value::as_str).unwrap_or_default();
        if display_name.trim().is_empty() {
            return Reply::error(400, "NotebookExecutionJob.display_name is required.");
        }
        let id = match call.param("notebookExecutionJobId") {
            Some(id) if !valid_job_id(id) => {
                return Reply::error(
                    400,
                    format!(
                        "Invalid notebookExecutionJobId {id:?}: must be 1-63 characters of \
                         lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
                    ),
                )
            }
            Some(id) => id.to_owned(),
            None => {
                self.next_job += 1;
                self.next_job.to_string()
            }
        };
        let name = format!("{parent}/{COLLECTION}/{id}");
        if self.job_index.contains_key(&name) {
            return Reply::error_named(409, "ALREADY_EXISTS", format!("NotebookExecutionJob {name} already exists."));
        }
        let now = self.clock.now();
        for field in OUTPUT_ONLY {
            job.remove(field);
        }
        job.insert("name".into(), json!(name));
        job.insert("createTime".into(), json!(now));
        job.insert("updateTime".into(), json!(now));
        job.insert("jobState".into(), json!("JOB_STATE_PENDING"));
        self.next_seq += 1;
        self.jobs.insert(self.next_seq, Value::Object(job));
        self.job_index.insert(name.clone(), self.next_seq);
        self.jobs_by_parent.entry(parent.to_owned()).or_default().insert(self.next_seq);

        let metadata = json!({
            "@type": format!("{TYPE_PREFIX}{CREATE_METADATA_TYPE}"),
            "genericMetadata": {"createTime": now, "updateTime": now},
            "progressMessage": "Creating NotebookExecutionJob",
        });
        let polls = self.config.create_polls;
        let reply = self.start_operation(parent, metadata, polls, Action::Create { job: name });
        if let Some(id) = call.param("requestId") {
            let operation = format!("{parent}/operations/{}", self.next_operation);
            self.request_ids.insert(id.to_owned(), operation);
        }
        reply
    }

    fn get(&self, name: &str, call: &Call<'_>) -> Reply {
        let full_view = match view(call) {
            Ok(full) => full,
            Err(reply) => return reply,
        };
        match self.find(name) {
            Some(seq) => Reply::ok(render(&self.jobs[&seq], full_view)),
            None => not_found(name),
        }
    }

    fn list(&self, parent: &str, call: &Call<'_>) -> Reply {
        let full_view = match view(call) {
            Ok(full) => full,
            Err(reply) => return reply,
        };
        let page_size = match call.param("pageSize").map(str::parse::<i64>) {
            None | Some(Ok(0)) => self.config.default_page_size,
            Some(Ok(size)) if size > 0 => usize::try_from(size).unwrap_or(usize::MAX).min(self.config.max_page_size),
            Some(_) => return Reply::error(400, "pageSize must be a non-negative integer."),
        };
        let filter_text = call.param("filter").unwrap_or_default();
        let order_text = call.param("orderBy").unwrap_or_default();
        let filter = match Filter::parse(filter_text) {
            Ok(filter) => filter,
            Err(message) => return Reply::error(400, format!("Invalid filter: {message}")),
        };
        let order = match OrderBy::parse(order_text) {
            Ok(order) => order,
            Err(message) => return Reply::error(400, format!("Invalid orderBy: {message}")),
        };
        let tokens = PageTokens::new(parent, filter_text, order_text);
        let offset = match call.param("pageToken").filter(|t| !t.is_empty()) {
            None => 0,
            Some(token) => match tokens.decode(token) {
                Some(offset) => offset,
                None => return Reply::error(400, "Invalid pageToken."),
            },
        };

        // In creation order, like the jobs themselves.
        let mut matching: Vec<&Value> = (self.jobs_by_parent.get(parent).into_iter().flatten())
            .map(|seq| &self.jobs[seq])
            .filter(|job| filter.matches(job))
            .collect();
        matching.sort_by(|a, b| order.compare(a, b));

        let end = offset.saturating_add(page_size).min(matching.len());
        let page: Vec<Value> =
            matching.get(offset..end).unwrap_or_default().iter().map(|job| render(job, full_view)).collect();
        // proto3 JSON: empty repeated fields and empty strings are omitted.
        let mut response = Map::new();
        if !page.is_empty() {
            response.insert(COLLECTION.into(), Value::Array(page));
        }
        if end < matching.len() {
            response.insert("nextPageToken".into(), json!(tokens.encode(end)));
        }
        Reply::ok(Value::Object(response))
    }

    fn delete(&mut self, name: &str) -> Reply {
        if self.find(name).is_none() {
            return not_found(name);
        }
        let now = self.clock.now();
        let metadata = json!({
            "@type": format!("{TYPE_PREFIX}{DELETE_METADATA_TYPE}"),
            "genericMetadata": {"createTime": now, "updateTime": now},
        });
        let parent = name.split(&format!("/{COLLECTION}/")).next().unwrap_or_default().to_owned();
        let polls = self.config.delete_polls;
        self.start_operation(&parent, metadata, polls, Action::Delete { job: name.to_owned() })
    }

    fn get_operation(&mut self, name: &str) -> Reply {
        let Some(operation) = self.operations.get_mut(name) else {
            return Reply::error(404, format!("Operation {name} not found."));
        };
        if operation.outcome.is_none() {
            operation.polls_left = operation.polls_left.saturating_sub(1);
            if operation.polls_left == 0 {
                self.finish(name);
            }
        }
        Reply::ok(self.operations[name].to_json())
    }

    fn start_operation(&mut self, parent: &str, metadata: Value, polls: u32, action: Action) -> Reply {
        self.next_operation += 1;
        let name = format!("{parent}/operations/{}", self.next_operation);
        self.operations
            .insert(name.clone(), Operation { name: name.clone(), metadata, polls_left: polls, action, outcome: None });
        if polls == 0 {
            self.finish(&name);
        }
        Reply::ok(self.operations[&name].to_json())
    }

    /// Completes an operation: applies its action and records the outcome.
    fn finish(&mut self, name: &str) {
        let now = self.clock.now();
        let injected = self.operation_failures.pop_front();
        let Some(operation) = self.operations.get(name) else {
            return;
        };
        let outcome = match (injected, &operation.action) {
            (Some((code, message)), _) => Err(json!({"code": code, "message": message})),
            (None, Action::Create { job }) => match self.find(job) {
                Some(seq) => {
                    let stored = self.jobs.get_mut(&seq).expect("indexed job");
                    stored["jobState"] = json!("JOB_STATE_SUCCEEDED");
                    stored["updateTime"] = json!(now);
                    let mut response = json!({"@type": format!("{TYPE_PREFIX}{JOB_TYPE}")});
                    if let (Value::Object(target), Value::Object(fields)) = (&mut response, stored.clone()) {
                        target.extend(fields);
                    }
                    Ok(response)
                }
                None => Err(json!({"code": 5, "message": format!("NotebookExecutionJob {job} not found.")})),
            },
            (None, Action::Delete { job }) => {
                if let Some(seq) = self.job_index.remove(job) {
                    self.jobs.remove(&seq);
                    let parent = job.rsplit_once(&format!("/{COLLECTION}/")).map(|(parent, _)| parent);
                    if let Some(seqs) = parent.and_then(|parent| self.jobs_by_parent.get_mut(parent)) {
                        seqs.remove(&seq);
                    }
                }
                Ok(json!({"@type": format!("{TYPE_PREFIX}{EMPTY_TYPE}")}))
            }
        };
        if let Some(operation) = self.operations.get_mut(name) {
            operation.metadata["genericMetadata"]["updateTime"] = json!(now);
            operation.outcome = Some(outcome);
        }
    }

    /// The creation number of the job called `name`.
    fn find(&self, name: &str) -> Option<u64> {
        self.job_index.get(name).copied()
    }
}

fn not_found(name: &str) -> Reply {
    Reply::error(404, format!("NotebookExecutionJob {name} not found."))
}

/// Whether the `view` parameter asks for the FULL view; errors on unknown values.
fn view(call: &Call<'_>) -> Result<bool, Reply> {
    match call.param("view") {
        None | Some("NOTEBOOK_EXECUTION_JOB_VIEW_UNSPECIFIED") | Some("NOTEBOOK_EXECUTION_JOB_VIEW_BASIC") => Ok(false),
        Some("NOTEBOOK_EXECUTION_JOB_VIEW_FULL") => Ok(true),
        Some(other) => Err(Reply::error(400, format!("Invalid value for view: {other:?}"))),
    }
}

/// A job as returned: the BASIC view leaves out direct notebook contents.
fn render(job: &Value, full_view: bool) -> Value {
    let mut job = job.clone();
    if !full_view {
        if let Some(source) = job.get_mut("directNotebookSource").and_then(Value::as_object_mut) {
            source.remove("content");
        }
    }
    job
}

/// IDs are 1-63 characters: a lowercase letter, then lowercase letters,
/// digits or hyphens, not ending with a hyphen.
fn valid_job_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call<'a>(method: &'a str, path: &str, query: &[(&str, &str)], body: &'a [u8]) -> Call<'a> {
        Call {
            method,
            segments: path.split('/').map(str::to_owned).collect(),
            query: query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body,
        }
    }

    fn json_of(reply: &Reply) -> Value {
        serde_json::from_str(&reply.body).unwrap()
    }

    const JOBS: &str = "projects/p/locations/l/notebookExecutionJobs";

    #[test]
    fn job_ids_are_validated() {
        for good in ["a", "job-1", &"a".repeat(63)] {
            assert!(valid_job_id(good), "{good}");
        }
        for bad in ["", "1a", "A", "a_b", "a-", &"a".repeat(64)] {
            assert!(!valid_job_id(bad), "{bad}");
        }
    }

    #[test]
    fn create_then_poll_until_done() {
        let mut state = State::new(EmulatorConfig::default());
        let created = state.handle(&call(
            "POST",
            JOBS,
            &[("notebookExecutionJobId", "j")],
            br#"{"displayName": "d", "jobState": "x"}"#,
        ));
        assert_eq!(created.status, 200);
        let operation = json_of(&created);
        assert!(operation.get("done").is_none());
        let op_name = operation["name"].as_str().unwrap();
        assert!(op_name.starts_with("projects/p/locations/l/operations/"));
        let first = json_of(&state.handle(&call("GET", op_name, &[], b"")));
        assert!(first.get("done").is_none());
        let second = json_of(&state.handle(&call("GET", op_name, &[], b"")));
        assert_eq!(second["done"], json!(true));
        assert_eq!(second["response"]["jobState"], json!("JOB_STATE_SUCCEEDED"));
        assert_eq!(second["response"]["@type"], json!(format!("{TYPE_PREFIX}{JOB_TYPE}")));
        let job = json_of(&state.handle(&call("GET", &format!("{JOBS}/j"), &[], b"")));
        assert_eq!(job["jobState"], json!("JOB_STATE_SUCCEEDED"));
        assert_eq!(job["displayName"], json!("d"));
    }

    #[test]
    fn create_errors() {
        let mut state = State::new(EmulatorConfig::default());
        let post = |state: &mut State, id: &str, body: &[u8]| {
            state.handle(&call("POST", JOBS, &[("notebookExecutionJobId", id)], body)).status
        };
        assert_eq!(post(&mut state, "j", br#"{"displayName": "d"}"#), 200);
        assert_eq!(post(&mut state, "j", br#"{"displayName": "d"}"#), 409);
        assert_eq!(post(&mut state, "k", br#"{}"#), 400);
        assert_eq!(post(&mut state, "k", b"not json"), 400);
        assert_eq!(post(&mut state, "Bad_Id", br#"{"displayName": "d"}"#), 400);
        let conflict =
            state.handle(&call("POST", JOBS, &[("notebookExecutionJobId", "j")], br#"{"displayName": "d"}"#));
        assert_eq!(json_of(&conflict)["error"]["status"], json!("ALREADY_EXISTS"));
    }

    #[test]
    fn injected_operation_failures() {
        let mut state = State::new(EmulatorConfig { create_polls: 0, ..Default::default() });
        state.operation_failures.push_back((9, "quota".into()));
        let operation = json_of(&state.handle(&call("POST", JOBS, &[], br#"{"displayName": "d"}"#)));
        assert_eq!(operation["error"], json!({"code": 9, "message": "quota"}));
    }

    #[test]
    fn a_repeated_request_id_returns_the_first_operation_and_creates_once() {
        let mut state = State::new(EmulatorConfig::default());
        let body = br#"{"displayName": "d"}"#;
        let first = json_of(&state.handle(&call("POST", JOBS, &[("requestId", "r1")], body)));
        let again = json_of(&state.handle(&call("POST", JOBS, &[("requestId", "r1")], body)));
        assert_eq!(first["name"], again["name"]);
        assert_eq!(state.job_count(), 1);
        state.handle(&call("POST", JOBS, &[("requestId", "r2")], body));
        assert_eq!(state.job_count(), 2);

        let instances = "projects/p/zones/z/instances";
        let vm = br#"{"name": "vm"}"#;
        let a = json_of(&state.handle(&call("POST", instances, &[("requestId", "r3")], vm)));
        let b = json_of(&state.handle(&call("POST", instances, &[("requestId", "r3")], vm)));
        assert_eq!(a["name"], b["name"]);
        assert!(b.get("error").is_none(), "{b}");
        // Another id for the same name: taken while the first insert is still running.
        let c = json_of(&state.handle(&call("POST", instances, &[("requestId", "r4")], vm)));
        assert_eq!(c["error"]["errors"][0]["code"], json!("RESOURCE_ALREADY_EXISTS"), "{c}");
        assert_eq!(c["status"], json!("DONE"));
    }

    /// A listing holds its own location's jobs only, in creation order, less the deleted ones.
    #[test]
    fn a_listing_holds_its_locations_jobs_only() {
        let mut state = State::new(EmulatorConfig { create_polls: 0, ..Default::default() });
        let other = "projects/p/locations/m/notebookExecutionJobs";
        for (collection, id) in [(JOBS, "a"), (other, "x"), (JOBS, "b"), (JOBS, "c"), (other, "y")] {
            let created =
                state.handle(&call("POST", collection, &[("notebookExecutionJobId", id)], br#"{"displayName": "d"}"#));
            assert_eq!(created.status, 200);
        }
        assert_eq!(state.handle(&call("DELETE", &format!("{JOBS}/b"), &[], b"")).status, 200);
        let names = |state: &mut State, collection: &str| -> Vec<String> {
            let listed = json_of(&state.handle(&call("GET", collection, &[], b"")));
            let jobs = listed["notebookExecutionJobs"].as_array().cloned().unwrap_or_default();
            jobs.iter().map(|job| job["name"].as_str().unwrap().rsplit('/').next().unwrap().to_owned()).collect()
        };
        assert_eq!(names(&mut state, JOBS), ["a", "c"]);
        assert_eq!(names(&mut state, other), ["x", "y"]);
        assert!(names(&mut state, "projects/p/locations/n/notebookExecutionJobs").is_empty());
    }

    #[test]
    fn unknown_routes_and_views() {
        let mut state = State::new(EmulatorConfig::default());
        assert_eq!(state.handle(&call("PUT", JOBS, &[], b"")).status, 404);
        assert_eq!(state.handle(&call("GET", &format!("{JOBS}/x"), &[("view", "WIDE")], b"")).status, 400);
        assert_eq!(state.handle(&call("GET", "projects/p/locations/l/operations/1", &[], b"")).status, 404);
    }
}
