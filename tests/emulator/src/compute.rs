//! A compute-style zonal API beside the notebook jobs: `instances` whose writes return
//! compute's own `Operation` (`status: PENDING | RUNNING | DONE`, `error.errors`,
//! `targetLink`), polled with `zoneOperations.get` (one step per poll) or `.wait` (done at
//! once), as Compute Engine does.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use crate::errors::Reply;

#[derive(Debug, Default)]
pub(crate) struct Compute {
    /// `http://127.0.0.1:port/`, for `selfLink` and `targetLink`.
    pub(crate) base_url: String,
    /// By `projects/p/zones/z/instances/name`.
    instances: HashMap<String, Value>,
    /// By operation name.
    operations: HashMap<String, ComputeOperation>,
    /// Instances being inserted: their names are taken, as at Compute Engine.
    pending: HashSet<String>,
    /// `requestId` of an insert -> its operation: a repeated id gets the first result.
    request_ids: HashMap<String, String>,
    next_id: u64,
}

#[derive(Debug)]
struct ComputeOperation {
    json: Value,
    polls_left: u32,
    /// What finishing does: insert this instance at this key, or delete the key.
    action: ComputeAction,
}

#[derive(Debug)]
enum ComputeAction {
    Insert(String, Value),
    Delete(String),
    /// A failed insert: nothing to apply.
    Nothing,
}

impl Compute {
    fn link(&self, path: &str) -> String {
        format!("{}v1/{path}", self.base_url)
    }

    /// `POST projects/{p}/zones/{z}/instances`: an operation that inserts the instance when
    /// done, or ends with `RESOURCE_ALREADY_EXISTS` / a missing-name error. A `requestId` seen
    /// before returns that insert's operation instead (AIP-155).
    pub(crate) fn insert(
        &mut self,
        project: &str,
        zone: &str,
        body: &[u8],
        request_id: Option<&str>,
        polls: u32,
    ) -> Reply {
        if let Some(operation) = request_id.and_then(|id| self.request_ids.get(id)) {
            return Reply::ok(self.operations[operation].json.clone());
        }
        let Ok(Value::Object(mut instance)) = serde_json::from_slice::<Value>(body) else {
            return Reply::error(400, "Invalid JSON payload received.");
        };
        let name = instance.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
        let key = format!("projects/{project}/zones/{zone}/instances/{name}");
        let failure = if name.is_empty() {
            Some(("REQUIRED_FIELD_MISSING", "Invalid value for field 'resource.name': ''.".to_owned(), 400))
        } else if self.instances.contains_key(&key) || self.pending.contains(&key) {
            Some(("RESOURCE_ALREADY_EXISTS", format!("The resource '{key}' already exists"), 409))
        } else {
            None
        };
        self.next_id += 1;
        instance.insert("id".into(), json!((8_000_000_000_000_000_000u64 + self.next_id).to_string()));
        instance.insert("status".into(), json!("RUNNING"));
        instance.insert("zone".into(), json!(self.link(&format!("projects/{project}/zones/{zone}"))));
        instance.insert("selfLink".into(), json!(self.link(&key)));
        let (action, polls) = match failure {
            Some(_) => (ComputeAction::Nothing, 0),
            None => {
                self.pending.insert(key.clone());
                (ComputeAction::Insert(key.clone(), Value::Object(instance)), polls)
            }
        };
        let operation = self.start(project, zone, "insert", &key, polls, action);
        if let Some((code, message, status)) = failure {
            let op = self.operations.get_mut(&operation).expect("just started");
            op.json["httpErrorStatusCode"] = json!(status);
            op.json["error"] = json!({"errors": [{"code": code, "message": message, "location": "resource.name"}]});
        }
        if let Some(id) = request_id {
            self.request_ids.insert(id.to_owned(), operation.clone());
        }
        Reply::ok(self.operations[&operation].json.clone())
    }

    /// The names of the instances that exist (`projects/p/zones/z/instances/name`), sorted.
    pub(crate) fn instance_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.instances.keys().cloned().collect();
        names.sort();
        names
    }

    /// `DELETE .../instances/{name}`: an operation that removes it, or `404`.
    pub(crate) fn delete(&mut self, project: &str, zone: &str, key: &str, polls: u32) -> Reply {
        if !self.instances.contains_key(key) {
            return not_found(key);
        }
        let operation = self.start(project, zone, "delete", key, polls, ComputeAction::Delete(key.to_owned()));
        Reply::ok(self.operations[&operation].json.clone())
    }

    /// `GET .../instances/{name}`.
    pub(crate) fn get_instance(&self, key: &str) -> Reply {
        self.instances.get(key).map_or_else(|| not_found(key), |instance| Reply::ok(instance.clone()))
    }

    /// `GET .../operations/{name}`: one step further per poll.
    pub(crate) fn get_operation(&mut self, name: &str) -> Reply {
        self.advance(name, false)
    }

    /// `POST .../operations/{name}/wait`: returns the operation done.
    pub(crate) fn wait_operation(&mut self, name: &str) -> Reply {
        self.advance(name, true)
    }

    fn advance(&mut self, name: &str, to_the_end: bool) -> Reply {
        let Some(operation) = self.operations.get_mut(name) else {
            return not_found(&format!("operations/{name}"));
        };
        if operation.json["status"] != "DONE" {
            operation.polls_left = if to_the_end { 0 } else { operation.polls_left.saturating_sub(1) };
            if operation.polls_left == 0 {
                operation.json["status"] = json!("DONE");
                operation.json["progress"] = json!(100);
                match &operation.action {
                    ComputeAction::Insert(key, instance) => {
                        self.pending.remove(key);
                        self.instances.insert(key.clone(), instance.clone());
                    }
                    ComputeAction::Delete(key) => {
                        self.instances.remove(key);
                    }
                    ComputeAction::Nothing => {}
                }
            } else {
                operation.json["status"] = json!("RUNNING");
            }
        }
        Reply::ok(self.operations[name].json.clone())
    }

    fn start(
        &mut self,
        project: &str,
        zone: &str,
        kind: &str,
        target: &str,
        polls: u32,
        action: ComputeAction,
    ) -> String {
        self.next_id += 1;
        let name = format!("operation-{}-{kind}", self.next_id);
        let zone_path = format!("projects/{project}/zones/{zone}");
        let json = json!({
            "kind": "compute#operation",
            "id": (4_000_000_000_000_000_000u64 + self.next_id).to_string(),
            "name": name,
            "zone": self.link(&zone_path),
            "operationType": kind,
            "targetLink": self.link(target),
            "status": "PENDING",
            "progress": 0,
            "selfLink": self.link(&format!("{zone_path}/operations/{name}")),
        });
        self.operations.insert(name.clone(), ComputeOperation { json, polls_left: polls, action });
        if polls == 0 {
            self.advance(&name, true);
        }
        name
    }
}

fn not_found(what: &str) -> Reply {
    Reply::error(404, format!("The resource '{what}' was not found"))
}
