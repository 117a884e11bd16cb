//! Discovery-style long-running operations end to end: the client generated from
//! `tests/fixtures/clients/computelro.v1.json` (compute's `Operation`, `zoneOperations.get`
//! and `.wait`) against the emulator's compute-style zonal instances.

use std::time::Duration;

use discogen_runtime::lro::{DiscoveryOperation, OperationPaths};
use discogen_runtime::{Method, Request};
use google_computelro_v1::{
    Client, Code, Instance, InstanceStatus, OperationSchema, OperationSchemaStatus, PollPolicy,
};
use notebook_emulator::Emulator;

fn client(emulator: &Emulator) -> Client {
    Client::builder()
        .endpoint(format!("{}v1/", emulator.base_url()))
        .no_auth()
        .poll_policy(
            PollPolicy::default()
                .with_initial_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(20)),
        )
        .build()
        .expect("client builds")
}

fn instance(name: &str) -> Instance {
    Instance {
        name: Some(name.into()),
        machine_type: Some("zones/z/machineTypes/e2-small".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn insert_waits_with_the_zone_operations_wait_method_and_gives_the_instance() {
    let emulator = Emulator::start().await.expect("emulator");
    let instances = client(&emulator).instances();
    let operation = instances.insert("my-project", "us-central1-a", instance("vm-1")).send().await.expect("insert");
    assert_eq!(operation.status(), "PENDING");
    let link = operation.target_link().expect("targetLink").to_owned();
    assert!(link.ends_with("/v1/projects/my-project/zones/us-central1-a/instances/vm-1"), "{link}");

    let created: Instance = operation.wait_for_resource().await.expect("finished resource");
    assert_eq!(created.name.as_deref(), Some("vm-1"));
    assert_eq!(created.status, Some(InstanceStatus::Running));
    assert!(created.id.is_some_and(|id| id > u64::from(u32::MAX)), "uint64 id decoded: {:?}", created.id);
    // The operations resource's `wait`, once (it returns done); never its `get`.
    assert_eq!(emulator.count_requests("POST", "/wait"), 1);
    assert_eq!(emulator.count_requests("GET", "-insert"), 0);

    // `wait()` gives the finished operation itself.
    let deleted: OperationSchema =
        instances.delete("my-project", "us-central1-a", "vm-1").send().await.unwrap().wait().await.unwrap();
    assert_eq!(deleted.status, Some(OperationSchemaStatus::Done));
    assert_eq!(deleted.operation_type.as_deref(), Some("delete"));
    let gone = instances.get("my-project", "us-central1-a", "vm-1").send().await.unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
}

#[tokio::test]
async fn an_operation_ending_in_error_becomes_an_error_with_its_errors() {
    let emulator = Emulator::start().await.expect("emulator");
    let instances = client(&emulator).instances();
    instances.insert("p", "z", instance("taken")).send().await.unwrap().wait().await.expect("first insert");
    let err =
        instances.insert("p", "z", instance("taken")).send().await.unwrap().wait_for_resource().await.unwrap_err();
    let errors = err.operation_errors();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(errors[0].code, "RESOURCE_ALREADY_EXISTS");
    assert_eq!(errors[0].location.as_deref(), Some("resource.name"));
    assert_eq!(err.code(), Some(Code::Aborted), "httpErrorStatusCode 409");
    let text = err.to_string();
    assert!(
        text.contains("(HTTP 409)")
            && text
                .contains("RESOURCE_ALREADY_EXISTS: The resource 'projects/p/zones/z/instances/taken' already exists"),
        "{text}"
    );
}

#[tokio::test]
async fn without_a_wait_method_get_is_polled_with_backoff() {
    let emulator = Emulator::start().await.expect("emulator");
    let runtime = client(&emulator).runtime().clone();
    let request = Request::new(Method::Post, "projects/p/zones/z/instances").json(&instance("vm-2")).unwrap();
    let raw: serde_json::Value = runtime.execute(request).await.unwrap();
    let operation: DiscoveryOperation<OperationSchema, Instance> =
        DiscoveryOperation::new(runtime, raw, OperationPaths::get("projects/p/zones/z/operations/", ""));
    let created = operation.wait_for_resource().await.expect("instance");
    assert_eq!(created.name.as_deref(), Some("vm-2"));
    // Done after `create_polls` (2) GETs of the operation; no wait call.
    assert_eq!(emulator.count_requests("GET", "-insert"), 2);
    assert_eq!(emulator.count_requests("POST", "/wait"), 0);
}

#[tokio::test]
async fn a_target_link_outside_the_endpoint_is_not_fetched() {
    let emulator = Emulator::start().await.expect("emulator");
    let runtime = client(&emulator).runtime().clone();
    let raw = serde_json::json!({"name": "op", "status": "DONE", "targetLink": "https://elsewhere.example/v1/x"});
    let operation: DiscoveryOperation<OperationSchema, Instance> =
        DiscoveryOperation::new(runtime, raw, OperationPaths::get("projects/p/zones/z/operations/", ""));
    let err = operation.wait_for_resource().await.unwrap_err();
    assert!(err.to_string().contains("not under the client's endpoint"), "{err}");
    assert!(emulator.requests().is_empty());
}
