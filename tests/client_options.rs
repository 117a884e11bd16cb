//! What application developers expect of a generated client beyond its API methods, checked
//! on the wire (the notebook emulator records every header and query parameter), through
//! `tracing` spans captured by a test subscriber, and with the runtime's `MockTransport`.

use google_aiplatform_v1::TryStreamExt;
#[allow(dead_code)]
#[path = "auth/fake.rs"]
mod fake;

use std::time::Duration;

use google_aiplatform_v1::transport::{reqwest, HttpResponse, MockTransport};
use google_aiplatform_v1::{
    Client, ClientBuilder, LocationName, NotebookExecutionJob, NotebookExecutionJobName, RetryPolicy,
};
use notebook_emulator::{Emulator, RecordedRequest};

const TOKEN: &str = "ya29.secret-token";
const GET_ID: &str = "aiplatform.projects.locations.notebookExecutionJobs.get";

/// `tracing` caches each callsite's interest process-wide; a test on another thread hitting the
/// runtime's callsites while the tracing test installs its thread-local subscriber can leave
/// them disabled for it (CI saw the tracing test record no span at all). The tracing test runs
/// alone; the others may run together.
static TRACING: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

fn location() -> LocationName {
    LocationName::new("test-project", "us-central1")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(4)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(10))
        .with_jitter(0.0)
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder().endpoint(base_url).bearer_token(TOKEN).retry_policy(fast_retries())
}

async fn create_job(client: &Client, id: &str) -> NotebookExecutionJobName {
    let job = NotebookExecutionJob {
        display_name: Some(format!("job {id}")),
        gcs_output_uri: Some("gs://bucket/out".to_owned()),
        ..Default::default()
    };
    let jobs = client.projects().locations().notebook_execution_jobs();
    jobs.create(location(), job).notebook_execution_job_id(id).send().await.unwrap().wait().await.unwrap();
    location().notebook_execution_job(id)
}

fn last_get(emulator: &Emulator) -> RecordedRequest {
    emulator.requests().into_iter().rev().find(|r| r.method == "GET").expect("a GET reached the emulator")
}

#[tokio::test]
async fn own_reqwest_client_headers_quota_project_and_standard_parameters_reach_the_wire() {
    let _alone = TRACING.read().await;
    let emulator = Emulator::start().await.unwrap();
    // The application's own HTTP client, with a header only it sets.
    google_aiplatform_v1::transport::install_crypto_provider();
    let mut own_headers = reqwest::header::HeaderMap::new();
    own_headers.insert("x-app-http-client", reqwest::header::HeaderValue::from_static("corporate"));
    let http = reqwest::Client::builder().default_headers(own_headers).build().unwrap();
    let client = builder(emulator.base_url())
        .http_client(http)
        .quota_project("billing-project")
        .header("x-client-wide", "every-call")
        .build()
        .unwrap();
    let name = create_job(&client, "wire").await;

    let job = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(name)
        .fields("name,displayName")
        .quota_user("user-7")
        .header("x-call-only", "this-call")
        .send()
        .await
        .unwrap();
    assert_eq!(job.display_name.as_deref(), Some("job wire"));

    let get = last_get(&emulator);
    assert_eq!(get.header("x-app-http-client"), Some("corporate"), "the application's reqwest::Client sent it");
    assert_eq!(get.header("x-goog-user-project"), Some("billing-project"));
    assert_eq!(get.header("x-client-wide"), Some("every-call"));
    assert_eq!(get.header("x-call-only"), Some("this-call"));
    assert_eq!(get.header("authorization").map(String::from), Some(format!("Bearer {TOKEN}")));
    let runtime_version = discogen_runtime::client::RUNTIME_USER_AGENT.strip_prefix("discogen-runtime/").unwrap();
    let api_client = format!("google-aiplatform-v1/0.1.0 gdcl/{runtime_version}");
    assert_eq!(get.header("x-goog-api-client"), Some(api_client.as_str()));
    assert_eq!(get.user_agent.as_deref(), Some(discogen_runtime::client::RUNTIME_USER_AGENT));
    assert_eq!(get.query_value("fields").as_deref(), Some("name,displayName"));
    assert_eq!(get.query_value("quotaUser").as_deref(), Some("user-7"));
    assert_eq!(get.query_values("prettyPrint"), ["false"]);

    // Every call, create and operation polls included, carries the client's settings; the
    // per-call ones stay on their call.
    for request in emulator.requests() {
        assert_eq!(request.query_values("prettyPrint"), ["false"], "{} {}", request.method, request.path);
        assert_eq!(request.header("x-goog-user-project"), Some("billing-project"));
        assert_eq!(request.header("x-goog-api-client"), Some(api_client.as_str()));
        assert_eq!(request.header("x-app-http-client"), Some("corporate"));
        if request.method != "GET" || request.path.contains("/operations/") {
            assert_eq!(request.header("x-call-only"), None);
            assert_eq!(request.query_value("fields"), None);
        }
    }
}

#[tokio::test]
async fn a_call_header_replaces_the_client_header_and_pretty_print_can_be_asked_for() {
    let _alone = TRACING.read().await;
    let emulator = Emulator::start().await.unwrap();
    let client = builder(emulator.base_url()).quota_project("billing-project").pretty_print(true).build().unwrap();
    let name = location().notebook_execution_job("absent");
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(name)
        .header("x-goog-user-project", "other")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let get = last_get(&emulator);
    assert_eq!(get.header_values("x-goog-user-project"), ["other"]);
    assert_eq!(get.query_value("prettyPrint"), None);
}

#[tokio::test]
async fn a_bad_call_header_is_an_error_naming_it_and_sends_nothing() {
    let _alone = TRACING.read().await;
    let emulator = Emulator::start().await.unwrap();
    let client = builder(emulator.base_url()).build().unwrap();
    let name = location().notebook_execution_job("x");
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(name)
        .header("bad header", "v")
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("\"bad header\""), "{error}");
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn mock_transport_drives_a_generated_client() {
    let _alone = TRACING.read().await;
    let mock = MockTransport::new();
    mock.push(HttpResponse::new(503, "busy"));
    mock.push_json(
        200,
        serde_json::json!({"name": "projects/p/locations/l/notebookExecutionJobs/j", "displayName": "nightly"}),
    );
    let client =
        Client::builder().bearer_token(TOKEN).retry_policy(fast_retries()).transport(mock.clone()).build().unwrap();

    let name = LocationName::new("p", "l").notebook_execution_job("j");
    let job =
        client.projects().locations().notebook_execution_jobs().get(name).fields("displayName").send().await.unwrap();
    assert_eq!(job.display_name.as_deref(), Some("nightly"));

    let sent = mock.requests();
    assert_eq!(sent.len(), 2, "the 503 was retried");
    for request in &sent {
        assert_eq!(request.url.path(), "/v1/projects/p/locations/l/notebookExecutionJobs/j");
        assert_eq!(request.url.host_str(), Some("aiplatform.googleapis.com"));
        assert_eq!(request.query_value("fields").as_deref(), Some("displayName"));
        assert_eq!(request.query_value("prettyPrint").as_deref(), Some("false"));
        assert_eq!(request.header("authorization").map(String::from), Some(format!("Bearer {TOKEN}")));
        assert!(request.headers.get("authorization").unwrap().is_sensitive());
    }

    // A create is not idempotent: a 503 is returned, not retried; its body is the job sent.
    mock.push(HttpResponse::new(503, "busy"));
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .create(
            LocationName::new("p", "l"),
            NotebookExecutionJob { display_name: Some("n".into()), ..Default::default() },
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    let sent = mock.requests();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[2].json()["displayName"], "n");
    assert_eq!(sent[2].header("content-type"), Some("application/json"));

    // Nothing queued: an error naming the request, not a hang or a retry loop.
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(LocationName::new("p", "l").notebook_execution_job("k"))
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("no response queued for GET /v1/projects/p/locations/l/notebookExecutionJobs/k"),
        "{error}"
    );
    assert_eq!(mock.requests().len(), 4);
}

/// Spans and events as a subscriber sees them.
mod capture {
    use std::collections::BTreeMap;
    use std::fmt;
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Debug, Default)]
    pub struct Span {
        pub name: &'static str,
        pub parent: Option<u64>,
        pub fields: BTreeMap<String, String>,
    }

    impl Span {
        pub fn field(&self, name: &str) -> Option<&str> {
            self.fields.get(name).map(String::as_str)
        }
    }

    #[derive(Default)]
    struct State {
        spans: Vec<Span>,
        events: Vec<BTreeMap<String, String>>,
        stack: Vec<u64>,
    }

    /// Records every span (with its parent and fields) and every event.
    #[derive(Clone, Default)]
    pub struct Recorder(Arc<Mutex<State>>);

    impl Recorder {
        pub fn spans(&self) -> Vec<Span> {
            self.0.lock().unwrap().spans.clone()
        }

        /// Everything recorded, as text, for "never appears" checks.
        pub fn all_text(&self) -> String {
            let state = self.0.lock().unwrap();
            format!("{:?} {:?}", state.spans, state.events)
        }
    }

    struct Fields<'a>(&'a mut BTreeMap<String, String>);

    impl Visit for Fields<'_> {
        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.insert(field.name().to_owned(), value.to_owned());
        }

        fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
            self.0.insert(field.name().to_owned(), format!("{value:?}"));
        }
    }

    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }

        fn new_span(&self, attributes: &Attributes<'_>) -> Id {
            let mut state = self.0.lock().unwrap();
            let parent = match attributes.parent() {
                Some(parent) => Some(parent.into_u64()),
                None if attributes.is_contextual() => state.stack.last().copied(),
                None => None,
            };
            let mut span = Span { name: attributes.metadata().name(), parent, fields: BTreeMap::new() };
            attributes.record(&mut Fields(&mut span.fields));
            state.spans.push(span);
            Id::from_u64(state.spans.len() as u64)
        }

        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut state = self.0.lock().unwrap();
            let index = span.into_u64() as usize - 1;
            values.record(&mut Fields(&mut state.spans[index].fields));
        }

        fn record_follows_from(&self, _: &Id, _: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let mut fields = BTreeMap::new();
            event.record(&mut Fields(&mut fields));
            self.0.lock().unwrap().events.push(fields);
        }

        fn enter(&self, span: &Id) {
            self.0.lock().unwrap().stack.push(span.into_u64());
        }

        fn exit(&self, span: &Id) {
            let mut state = self.0.lock().unwrap();
            if let Some(at) = state.stack.iter().rposition(|id| *id == span.into_u64()) {
                state.stack.remove(at);
            }
        }
    }
}

#[tokio::test]
async fn one_root_url_serves_every_api_and_the_client_adds_its_service_path() {
    let _alone = TRACING.read().await;
    let mock = MockTransport::with_responder(|_| Ok(HttpResponse::json(200, &serde_json::json!({}))));
    let root = "http://127.0.0.1:9";
    let storage = google_storage_v1::Client::builder().root_url(root).no_auth().transport(mock.clone()).build();
    storage.unwrap().objects().get("b", "o").send().await.unwrap();
    let aiplatform = Client::builder().root_url(root).no_auth().transport(mock.clone()).build().unwrap();
    aiplatform
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(location().notebook_execution_job("j"))
        .send()
        .await
        .unwrap();
    let urls: Vec<String> =
        mock.requests().iter().map(|r| format!("{}{}", r.url.origin().ascii_serialization(), r.url.path())).collect();
    assert_eq!(
        urls,
        [
            "http://127.0.0.1:9/storage/v1/b/b/o/o",
            "http://127.0.0.1:9/v1/projects/test-project/locations/us-central1/notebookExecutionJobs/j",
        ]
    );
}

#[tokio::test]
async fn per_call_options_can_follow_upload_and_download() {
    let _alone = TRACING.read().await;
    let server = fake::FakeServer::start(|request| match request.query.get("alt").map(String::as_str) {
        Some("media") => fake::Response::raw(200, &[("content-type", "text/plain")], "media-bytes"),
        _ => fake::Response::json(200, serde_json::json!({"bucket": "b", "name": "o"})),
    })
    .await;
    let client = google_storage_v1::Client::builder().root_url(&server.url).no_auth().build().unwrap();
    let object = google_storage_v1::Object { name: Some("o".into()), ..Default::default() };
    let media = google_storage_v1::MediaSource::from_bytes(&b"hello"[..], "text/plain");
    let uploaded = client
        .objects()
        .insert("b", object)
        .upload(media)
        .fields("name")
        .header("x-after-upload", "1")
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.name.as_deref(), Some("o"));
    let bytes = client.objects().get("b", "o").header("x-before", "2").download().header("x-after", "3").bytes();
    assert_eq!(bytes.await.unwrap(), b"media-bytes");
    let sent = server.all();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0].path, "/upload/storage/v1/b/b/o");
    assert_eq!(sent[0].query.get("fields").map(String::as_str), Some("name"));
    assert_eq!(sent[0].header("x-after-upload"), Some("1"));
    // The builder's options and the download's own both reach the wire.
    assert_eq!((sent[1].header("x-before"), sent[1].header("x-after")), (Some("2"), Some("3")));
}

#[test]
fn a_resource_whose_feature_is_off_is_a_stand_in_naming_the_feature() {
    // `notifications` is not among storage's default features: its accessor is a deprecated
    // stand-in, so a call warns "compiled out: enable the cargo feature `notifications` of
    // google-storage-v1" before the compiler reports the next method as missing.
    let client = google_storage_v1::Client::builder().no_auth().build().unwrap();
    #[allow(deprecated)]
    let _stand_in: discogen_runtime::__support::FeatureOff = client.notifications();
}

#[tokio::test]
async fn repeated_parameters_take_string_literals() {
    let _alone = TRACING.read().await;
    let mock = MockTransport::with_responder(|_| Ok(HttpResponse::json(200, &serde_json::json!({}))));
    let storage = google_storage_v1::Client::builder().no_auth().transport(mock.clone()).build().unwrap();
    // As written from Google's reference: an array of &str, not a Vec<String>.
    storage.buckets().test_iam_permissions("b", ["storage.buckets.get", "storage.objects.list"]).send().await.unwrap();
    let sent = &mock.requests()[0];
    assert_eq!(sent.query_values("permissions"), ["storage.buckets.get", "storage.objects.list"]);
}

/// A server that honours partial responses, as Google's do: the next-page token is in a page
/// only when the `fields` mask (if any) selects it at the top level.
fn paging_server() -> MockTransport {
    MockTransport::with_responder(|request| {
        let page = request.query_value("pageToken");
        let (jobs, next) = match page.as_deref() {
            None => (["a", "b"], Some("page-2")),
            Some("page-2") => (["c", "d"], None),
            Some(other) => panic!("unexpected page token {other}"),
        };
        let jobs: Vec<_> = jobs.iter().map(|j| serde_json::json!({"name": format!("p/l/j/{j}")})).collect();
        let mut body = serde_json::json!({"notebookExecutionJobs": jobs});
        let selected = request.query_value("fields").is_none_or(|mask| mask.split(',').any(|f| f == "nextPageToken"));
        if let (Some(next), true) = (next, selected) {
            body["nextPageToken"] = next.into();
        }
        Ok(HttpResponse::json(200, &body))
    })
}

#[tokio::test]
async fn a_listing_with_a_fields_mask_reaches_the_last_page() {
    let _alone = TRACING.read().await;
    let mock = paging_server();
    let client = Client::builder().bearer_token(TOKEN).transport(mock.clone()).build().unwrap();
    let jobs = client.projects().locations().notebook_execution_jobs();
    // What Drive users write: a mask naming the items' fields, not the token.
    let listed: Vec<NotebookExecutionJob> =
        jobs.list(location()).fields("notebookExecutionJobs(name)").items().try_collect().await.unwrap();
    assert_eq!(listed.len(), 4, "{listed:?}");
    let sent = mock.requests();
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(request.query_value("fields").as_deref(), Some("notebookExecutionJobs(name),nextPageToken"));
    }
    // One call sends the mask as written: the caller asked for that response and no other.
    let page = jobs.list(location()).fields("notebookExecutionJobs(name)").send().await.unwrap();
    assert_eq!(page.next_page_token, None);
    assert_eq!(mock.requests()[2].query_value("fields").as_deref(), Some("notebookExecutionJobs(name)"));
}

#[tokio::test]
async fn tracing_spans_follow_the_http_conventions_and_carry_no_secret() {
    let _alone = TRACING.write().await;
    let recorder = capture::Recorder::default();
    // Thread-local, and the test runtime is single-threaded: only this test's spans.
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let emulator = Emulator::start().await.unwrap();
    let client = builder(emulator.base_url()).build().unwrap();
    let name = create_job(&client, "traced").await;
    emulator.faults().fail_next(2, 503);
    let secret_user = "quota-user-secret";
    let job = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(name.clone())
        .quota_user(secret_user)
        .send()
        .await
        .unwrap();
    assert_eq!(job.display_name.as_deref(), Some("job traced"));
    let missing = location().notebook_execution_job("missing");
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(missing)
        .retry_policy(RetryPolicy::none())
        .send()
        .await;
    assert!(error.unwrap_err().is_not_found());

    let spans = recorder.spans();
    let calls: Vec<(usize, &capture::Span)> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name == "discogen.call" && s.field("rpc.method") == Some(GET_ID))
        .collect();
    assert_eq!(calls.len(), 2, "one span per get call: {spans:#?}");

    let (index, call) = calls[0];
    let path = format!("/v1/{name}");
    assert_eq!(call.field("otel.name"), Some(GET_ID));
    assert_eq!(call.field("otel.kind"), Some("client"));
    assert_eq!(call.field("http.request.method"), Some("GET"));
    assert_eq!(call.field("url.path"), Some(path.as_str()));
    assert_eq!(call.field("server.address"), Some("127.0.0.1"));
    assert_eq!(call.field("http.response.status_code"), Some("200"));
    assert_eq!(call.field("discogen.attempts"), Some("3"));
    assert_eq!(call.field("error.type"), None);

    let call_id = Some(index as u64 + 1);
    let attempts: Vec<&capture::Span> =
        spans.iter().filter(|s| s.name == "discogen.attempt" && s.parent == call_id).collect();
    let numbers: Vec<Option<&str>> = attempts.iter().map(|a| a.field("discogen.attempt")).collect();
    assert_eq!(numbers, [Some("1"), Some("2"), Some("3")]);
    let resends: Vec<Option<&str>> = attempts.iter().map(|a| a.field("http.request.resend_count")).collect();
    assert_eq!(resends, [None, Some("1"), Some("2")]);
    let statuses: Vec<Option<&str>> = attempts.iter().map(|a| a.field("http.response.status_code")).collect();
    assert_eq!(statuses, [Some("503"), Some("503"), Some("200")]);
    let errors: Vec<Option<&str>> = attempts.iter().map(|a| a.field("error.type")).collect();
    assert_eq!(errors, [Some("503"), Some("503"), None]);
    // Backoff 5 ms then 10 ms (no jitter), recorded on the attempt that waited.
    let delays: Vec<Option<&str>> = attempts.iter().map(|a| a.field("discogen.retry_delay_ms")).collect();
    assert_eq!(delays, [None, Some("5"), Some("10")]);

    let (_, failed) = calls[1];
    assert_eq!(failed.field("http.response.status_code"), Some("404"));
    assert_eq!(failed.field("error.type"), Some("404"));

    // Operation polls and the create are traced too, under their own names.
    assert!(spans
        .iter()
        .any(|s| s.field("rpc.method") == Some("aiplatform.projects.locations.notebookExecutionJobs.create")));
    assert!(spans.iter().any(|s| s.field("rpc.method") == Some("google.longrunning.Operations.GetOperation")));

    let text = recorder.all_text();
    for secret in [TOKEN, "Bearer", secret_user, "quotaUser", "prettyPrint"] {
        assert!(!text.contains(secret), "{secret:?} in a span or event: {text}");
    }
}
