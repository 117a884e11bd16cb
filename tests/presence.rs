//! Issue 23, field presence, through generated typed builders recorded by `MockTransport`:
//! every row of the issue's table sends exactly the body Google's reference Discovery client
//! sends, `None` / `null` / `[]` / absent each reach the wire as written, and a resource read
//! with fields this revision does not know is sent back whole (GET -> PUT).

use std::collections::BTreeMap;

use google_storage_v1::transport::{HttpRequest, MockTransport};
use google_storage_v1::{Bucket, BucketCorsItem, BucketRetentionPolicy};
use serde_json::{json, Value};

fn storage(mock: &MockTransport) -> google_storage_v1::Client {
    google_storage_v1::Client::builder().no_auth().transport(mock.clone()).build().unwrap()
}

/// The one request the mock recorded, after checking its method and path.
fn only_request(mock: &MockTransport, method: &str, path: &str) -> HttpRequest {
    let requests = mock.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = requests.into_iter().next().unwrap();
    assert_eq!((request.method.as_str(), request.url.path()), (method, path));
    request
}

/// The body exactly as sent.
fn body(request: &HttpRequest) -> &str {
    std::str::from_utf8(&request.body).unwrap()
}

/// Sends `patch` through the typed `buckets.patch` builder and returns the body as sent.
async fn patch_bucket(patch: Bucket) -> String {
    let mock = MockTransport::new();
    mock.push_json(200, json!({"name": "my-bucket"}));
    storage(&mock).buckets().patch("my-bucket", patch).send().await.unwrap();
    body(&only_request(&mock, "PATCH", "/storage/v1/b/my-bucket")).to_owned()
}

#[tokio::test]
async fn storage_buckets_patch_deletes_one_label() {
    let sent = patch_bucket(Bucket::default().null_key("labels", "old-key")).await;
    assert_eq!(sent, r#"{"labels":{"old-key":null}}"#);
    // Beside labels set in the same call, which win over a null for the same key.
    let labels = BTreeMap::from([("env".to_owned(), "prod".to_owned())]);
    let patch = Bucket { labels: Some(labels), ..Bucket::default() }.null_key("labels", "old-key");
    assert_eq!(patch_bucket(patch).await, r#"{"labels":{"env":"prod","old-key":null}}"#);
}

#[tokio::test]
async fn storage_buckets_patch_clears_the_cors_configuration() {
    let sent = patch_bucket(Bucket { cors: Some(vec![]), ..Bucket::default() }).await;
    assert_eq!(sent, r#"{"cors":[]}"#);
}

#[tokio::test]
async fn storage_buckets_patch_removes_the_retention_policy() {
    let sent = patch_bucket(Bucket::default().null("retentionPolicy")).await;
    assert_eq!(sent, r#"{"retentionPolicy":null}"#);
}

#[tokio::test]
async fn calendar_events_patch_removes_all_attendees() {
    use google_calendarevents_v3::Event;
    let mock = MockTransport::new();
    mock.push_json(200, json!({"id": "e1"}));
    let client = google_calendarevents_v3::Client::builder().no_auth().transport(mock.clone()).build().unwrap();
    client.events().patch("primary", "e1", Event { attendees: Some(vec![]), ..Event::default() }).send().await.unwrap();
    let request = only_request(&mock, "PATCH", "/calendar/v3/calendars/primary/events/e1");
    assert_eq!(body(&request), r#"{"attendees":[]}"#);
}

#[tokio::test]
async fn compute_instances_set_metadata_removes_all_items() {
    use google_computelro_v1::{Instance, Metadata};
    let mock = MockTransport::new();
    // The fingerprint comes from a GET, as compute asks.
    mock.push_json(
        200,
        json!({"name": "vm", "metadata": {"fingerprint": "FikclA7UuFs=", "items": [{"key": "k", "value": "v"}]}}),
    );
    mock.push_json(200, json!({"name": "op", "status": "DONE"}));
    let client = google_computelro_v1::Client::builder().no_auth().transport(mock.clone()).build().unwrap();
    let instance: Instance = client.instances().get("p", "z", "vm").send().await.unwrap();
    let fingerprint = instance.metadata.and_then(|metadata| metadata.fingerprint);
    let metadata = Metadata { fingerprint, items: Some(vec![]), ..Metadata::default() };
    client.instances().set_metadata("p", "z", "vm", metadata).send().await.unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[1].url.path(), "/compute/v1/projects/p/zones/z/instances/vm/setMetadata");
    assert_eq!(body(&requests[1]), r#"{"fingerprint":"FikclA7UuFs=","items":[]}"#);
}

#[tokio::test]
async fn none_null_empty_and_absent_reach_the_wire_as_written() {
    let bucket = Bucket {
        name: Some("my-bucket".into()),
        // A value that holds nothing is still a value.
        cors: Some(vec![]),
        default_object_acl: Some(vec![]),
        labels: Some(BTreeMap::new()),
        retention_policy: Some(BucketRetentionPolicy::default()),
        // `None` is absent.
        acl: None,
        billing: None,
        ..Bucket::default()
    }
    .null("website")
    .null("storageClass");
    assert_eq!(
        patch_bucket(bucket).await,
        r#"{"cors":[],"defaultObjectAcl":[],"labels":{},"name":"my-bucket","retentionPolicy":{},"storageClass":null,"website":null}"#
    );
    // `null` set on a field with a value empties the field; setting it again afterwards wins.
    let mut bucket = Bucket { rpo: Some("DEFAULT".into()), ..Bucket::default() }.null("rpo");
    assert_eq!(bucket.rpo, None);
    assert_eq!(patch_bucket(bucket.clone()).await, r#"{"rpo":null}"#);
    bucket.rpo = Some("ASYNC_TURBO".into());
    assert_eq!(patch_bucket(bucket).await, r#"{"rpo":"ASYNC_TURBO"}"#);
    // Nothing set is an empty object.
    assert_eq!(patch_bucket(Bucket::default()).await, "{}");
}

/// A bucket as a newer revision of the API would send it: known fields, `null`s, empty lists
/// and maps, and fields this crate does not know at three depths.
fn newer_bucket() -> Value {
    json!({
        "kind": "storage#bucket",
        "name": "my-bucket",
        "metageneration": "7",
        "labels": {"env": "prod", "team": "data"},
        "cors": [{"origin": ["https://example.com"], "method": [], "maxAgeSeconds": 60, "corsNew": {"x": 1}}],
        "acl": [],
        "retentionPolicy": null,
        "website": {"mainPageSuffix": "index.html", "notFoundPage": null},
        "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": true, "lockedTime": "2026-01-01T00:00:00Z", "nested": [null]}},
        "softDeletePolicy": {},
        "addedInAFutureRevision": {"mode": "ON", "list": [1, "2", null]},
        "anotherNewField": null
    })
}

#[tokio::test]
async fn get_then_update_sends_back_every_field_the_server_sent() {
    let mock = MockTransport::new();
    let client = storage(&mock);
    mock.push_json(200, newer_bucket());
    let mut bucket = client.buckets().get("my-bucket").send().await.unwrap();
    // What the fields say after decoding: a value, an empty value, null and absent stay apart.
    assert_eq!(bucket.acl.as_deref(), Some(&[][..]));
    assert_eq!(bucket.retention_policy, None);
    assert!(bucket._extra.is_null("retentionPolicy"));
    assert_eq!((bucket.logging.as_ref(), bucket._extra.get("logging")), (None, None));
    assert_eq!(bucket._extra.get("addedInAFutureRevision"), Some(&json!({"mode": "ON", "list": [1, "2", null]})));
    let cors: &BucketCorsItem = &bucket.cors.as_ref().unwrap()[0];
    assert_eq!(cors._extra.get("corsNew"), Some(&json!({"x": 1})));

    // PUT it back unchanged: every member goes back as it came.
    mock.push_json(200, newer_bucket());
    client.buckets().update("my-bucket", bucket.clone()).send().await.unwrap();
    let requests = mock.requests();
    assert_eq!((requests[1].method.as_str(), requests[1].url.path()), ("PUT", "/storage/v1/b/my-bucket"));
    assert_eq!(requests[1].json(), newer_bucket());

    // Modify one known field: only that member changes.
    bucket.labels.get_or_insert_with(BTreeMap::new).remove("team");
    mock.push_json(200, newer_bucket());
    client.buckets().update("my-bucket", bucket).send().await.unwrap();
    let mut expected = newer_bucket();
    expected["labels"] = json!({"env": "prod"});
    assert_eq!(mock.requests()[2].json(), expected);
}
