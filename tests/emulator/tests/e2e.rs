//! End-to-end tests: `discogen-runtime` against the emulator, through a thin
//! hand-written typed layer standing in for the generated client.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use discogen_runtime::error::Code;
use discogen_runtime::lro::RawOperation;
use discogen_runtime::paging::{paginate, paginate_items, Page, PageToken, TryStreamExt};
use discogen_runtime::wkt::Empty;
use discogen_runtime::{Client, Error, Method, Operation, PollPolicy, Request, RequestOptions, Result, RetryPolicy};
use notebook_emulator::{Emulator, EmulatorConfig};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Thin typed layer (what the generator will emit).

const PARENT: &str = "projects/test-project/locations/us-central1";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NotebookExecutionJob {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    update_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    job_state: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListNotebookExecutionJobsResponse {
    #[serde(default)]
    notebook_execution_jobs: Vec<NotebookExecutionJob>,
    #[serde(default)]
    next_page_token: Option<String>,
}

impl PageToken for ListNotebookExecutionJobsResponse {
    fn next_page_token(&self) -> Option<&str> {
        self.next_page_token.as_deref()
    }
}

impl Page for ListNotebookExecutionJobsResponse {
    type Item = NotebookExecutionJob;
    fn into_items(self) -> Vec<NotebookExecutionJob> {
        self.notebook_execution_jobs
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GenericOperationMetadata {
    create_time: String,
    update_time: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateMetadata {
    generic_metadata: GenericOperationMetadata,
    progress_message: String,
}

fn job(display_name: &str) -> NotebookExecutionJob {
    NotebookExecutionJob { display_name: Some(display_name.to_owned()), ..Default::default() }
}

fn create_request(id: &str, job: &NotebookExecutionJob) -> Request {
    Request::new(Method::Post, format!("v1/{PARENT}/notebookExecutionJobs"))
        .query("notebookExecutionJobId", id)
        .json(job)
        .unwrap()
        .idempotent(false)
}

async fn create(
    client: &Client,
    id: &str,
    job: &NotebookExecutionJob,
) -> Result<Operation<NotebookExecutionJob, CreateMetadata>> {
    let raw: RawOperation = client.execute(create_request(id, job)).await?;
    Ok(Operation::new(client.clone(), raw))
}

async fn get(client: &Client, name: &str) -> Result<NotebookExecutionJob> {
    get_with(client, name, RequestOptions::new()).await
}

async fn get_with(client: &Client, name: &str, options: RequestOptions) -> Result<NotebookExecutionJob> {
    let request = Request::new(Method::Get, format!("v1/{name}"))
        .query("view", "NOTEBOOK_EXECUTION_JOB_VIEW_FULL")
        .idempotent(true)
        .options(options);
    client.execute(request).await
}

fn list_request(page_size: u32, filter: Option<&str>, order_by: Option<&str>) -> Request {
    Request::new(Method::Get, format!("v1/{PARENT}/notebookExecutionJobs"))
        .query("pageSize", page_size)
        .query_opt("filter", filter)
        .query_opt("orderBy", order_by)
}

async fn list_all(
    client: &Client,
    page_size: u32,
    filter: Option<&str>,
    order_by: Option<&str>,
) -> Result<Vec<NotebookExecutionJob>> {
    let client = client.clone();
    let base = list_request(page_size, filter, order_by);
    paginate_items(None, move |token: Option<String>| {
        let client = client.clone();
        let request = base.clone().query_opt("pageToken", token);
        async move { client.execute::<ListNotebookExecutionJobsResponse>(request).await }
    })
    .try_collect()
    .await
}

async fn delete(client: &Client, name: &str) -> Result<Operation<Empty>> {
    let request = Request::new(Method::Delete, format!("v1/{name}")).idempotent(true);
    let raw: RawOperation = client.execute(request).await?;
    Ok(Operation::new(client.clone(), raw))
}

// ---------------------------------------------------------------------------
// Set-up: short timeouts and backoffs keep the suite fast.

fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(4)
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(10))
        .with_total_timeout(Some(Duration::from_secs(10)))
}

fn fast_poll() -> PollPolicy {
    PollPolicy::default()
        .with_initial_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
        .with_timeout(Some(Duration::from_secs(10)))
}

fn client_for(emulator: &Emulator) -> Client {
    Client::builder("https://aiplatform.googleapis.com/")
        .endpoint(emulator.base_url())
        .no_auth()
        .retry_policy(fast_retry())
        .poll_policy(fast_poll())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn setup() -> (Emulator, Client) {
    let emulator = Emulator::start().await.unwrap();
    let client = client_for(&emulator);
    (emulator, client)
}

fn statuses(emulator: &Emulator, method: &str) -> Vec<Option<u16>> {
    emulator.requests().into_iter().filter(|r| r.method == method).map(|r| r.status).collect()
}

fn job_name(id: &str) -> String {
    format!("{PARENT}/notebookExecutionJobs/{id}")
}

// ---------------------------------------------------------------------------
// Tests.

#[tokio::test]
async fn create_wait_get_list_delete() {
    let (emulator, client) = setup().await;

    // Create: a running operation with typed metadata.
    let mut wanted = job("nightly");
    wanted.labels.insert("env".into(), "dev".into());
    let operation = create(&client, "job-a", &wanted).await.unwrap();
    assert!(!operation.is_done());
    assert!(operation.name().starts_with(&format!("{PARENT}/operations/")));
    let metadata = operation.metadata().unwrap().unwrap();
    assert_eq!(metadata.progress_message, "Creating NotebookExecutionJob");
    assert!(metadata.generic_metadata.create_time <= metadata.generic_metadata.update_time);

    // Wait: two polls, then the typed job.
    let created = operation.wait().await.unwrap();
    assert_eq!(emulator.count_requests("GET", "/operations/1001"), 2);
    assert_eq!(created.name.as_deref(), Some(job_name("job-a").as_str()));
    assert_eq!(created.job_state.as_deref(), Some("JOB_STATE_SUCCEEDED"));
    assert_eq!(created.labels.get("env").map(String::as_str), Some("dev"));
    let create_time = created.create_time.clone().unwrap();
    assert_eq!(create_time.len(), "2024-01-01T00:00:00.000000Z".len());
    assert!(create_time.ends_with('Z') && create_time.contains('T'), "{create_time}");

    // Get returns the same job.
    assert_eq!(get(&client, &job_name("job-a")).await.unwrap(), created);

    // Six more jobs, so that listing by 3 takes 3 pages.
    for n in 1..=6 {
        let display = if n % 2 == 0 { "even" } else { "odd" };
        create(&client, &format!("job-{n}"), &job(display)).await.unwrap().wait().await.unwrap();
    }
    emulator.clear_requests();
    let all = list_all(&client, 3, None, None).await.unwrap();
    assert_eq!(all.len(), 7);
    let lists = emulator.requests();
    assert_eq!(lists.len(), 3, "{lists:#?}");
    assert_eq!(lists[0].query_value("pageToken"), None);
    assert!(lists[1].query_value("pageToken").is_some());
    assert!(lists[2].query_value("pageToken").is_some());
    let names: Vec<&str> = all.iter().filter_map(|j| j.name.as_deref()).collect();
    assert_eq!(names[0], job_name("job-a"));
    assert_eq!(names[6], job_name("job-6"));

    // The page stream yields the pages themselves.
    let client_for_pages = client.clone();
    let base = list_request(3, None, None);
    let pages: Vec<ListNotebookExecutionJobsResponse> = paginate(None, move |token| {
        let client = client_for_pages.clone();
        let request = base.clone().query_opt("pageToken", token);
        async move { client.execute(request).await }
    })
    .try_collect()
    .await
    .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.notebook_execution_jobs.len()).collect();
    assert_eq!(sizes, [3, 3, 1]);

    // Filter and order are passed through and honoured.
    let even = list_all(&client, 2, Some(r#"displayName="even""#), Some("createTime desc")).await.unwrap();
    let even_names: Vec<&str> = even.iter().filter_map(|j| j.name.as_deref()).collect();
    assert_eq!(even_names, [job_name("job-6"), job_name("job-4"), job_name("job-2")]);

    // Delete, then get is NOT_FOUND.
    let deleted = delete(&client, &job_name("job-a")).await.unwrap();
    assert!(deleted.is_done());
    assert_eq!(deleted.wait().await.unwrap(), Empty {});
    let err = get(&client, &job_name("job-a")).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.rpc_status().unwrap().status.as_deref(), Some("NOT_FOUND"));
    assert_eq!(emulator.job_count(), 6);
    // 404 is not transient: a single attempt.
    assert_eq!(statuses(&emulator, "GET").last(), Some(&Some(404)));
    assert_eq!(emulator.count_requests("GET", "/notebookExecutionJobs/job-a"), 1);
}

/// With recording off the emulator answers as before and logs nothing; on again, it logs
/// what follows.
#[tokio::test]
async fn requests_answered_while_recording_is_off_are_not_logged() {
    let (emulator, client) = setup().await;
    create(&client, "job-a", &job("kept")).await.unwrap().wait().await.unwrap();
    emulator.clear_requests();
    emulator.set_recording(false);
    assert_eq!(get(&client, &job_name("job-a")).await.unwrap().display_name.as_deref(), Some("kept"));
    assert!(get(&client, &job_name("missing")).await.unwrap_err().is_not_found());
    assert_eq!(emulator.request_count(), 0);
    emulator.set_recording(true);
    get(&client, &job_name("job-a")).await.unwrap();
    assert_eq!(statuses(&emulator, "GET"), [Some(200)]);
}

#[tokio::test]
async fn delete_operation_can_be_polled_and_typed_as_unit() {
    let emulator =
        Emulator::start_with(EmulatorConfig { create_polls: 0, delete_polls: 1, ..Default::default() }).await.unwrap();
    let client = client_for(&emulator);
    let created = create(&client, "quick", &job("q")).await.unwrap();
    assert!(created.is_done());
    let raw = delete(&client, &job_name("quick")).await.unwrap().into_raw();
    assert!(!raw.done);
    assert_eq!(emulator.job_count(), 1);
    let mut operation: Operation<()> = Operation::new(client.clone(), raw);
    assert!(operation.poll().await.unwrap());
    operation.result().unwrap().unwrap();
    assert_eq!(emulator.job_count(), 0);
    let err = delete(&client, &job_name("quick")).await.unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn invalid_requests_are_reported_and_not_retried() {
    let (emulator, client) = setup().await;
    create(&client, "dup", &job("d")).await.unwrap();

    let err = create(&client, "dup", &job("d")).await.unwrap_err();
    assert!(err.is_already_exists(), "{err}");
    assert_eq!(err.status(), Some(409));

    let err = create(&client, "no-name", &NotebookExecutionJob::default()).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert!(err.to_string().contains("display_name"), "{err}");

    let err = create(&client, "Bad_ID", &job("d")).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");

    let bad_token = list_request(2, None, None).query("pageToken", "forged");
    let err = client.execute::<Value>(bad_token).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");

    assert_eq!(statuses(&emulator, "POST"), [Some(200), Some(409), Some(400), Some(400)]);
}

#[tokio::test]
async fn retries_recover_from_transient_errors() {
    let (emulator, client) = setup().await;
    create(&client, "r", &job("r")).await.unwrap().wait().await.unwrap();
    emulator.clear_requests();

    emulator.faults().fail_next(2, 503);
    let found = get(&client, &job_name("r")).await.unwrap();
    assert_eq!(found.display_name.as_deref(), Some("r"));
    assert_eq!(statuses(&emulator, "GET"), [Some(503), Some(503), Some(200)]);

    // Each retryable status, and a dropped connection, is retried.
    for status in [429, 500, 502, 504] {
        emulator.clear_requests();
        emulator.faults().fail_next(1, status);
        get(&client, &job_name("r")).await.unwrap();
        assert_eq!(statuses(&emulator, "GET"), [Some(status), Some(200)]);
    }
    emulator.clear_requests();
    emulator.faults().drop_next(1);
    get(&client, &job_name("r")).await.unwrap();
    assert_eq!(statuses(&emulator, "GET"), [None, Some(200)]);
}

#[tokio::test]
async fn retries_give_up_at_the_attempt_limit() {
    let (emulator, client) = setup().await;
    emulator.faults().fail_next(10, 503);
    let err = get(&client, &job_name("missing")).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), Some(Code::Unavailable));
    assert_eq!(emulator.requests().len(), 4, "max_attempts is 4");
    assert_eq!(emulator.faults().pending(), 6);
    emulator.faults().clear();

    // A per-call policy overrides the client's.
    emulator.clear_requests();
    emulator.faults().fail_next(10, 503);
    let options = RequestOptions::new().with_retry_policy(fast_retry().with_max_attempts(2));
    let err = get_with(&client, &job_name("missing"), options).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(emulator.requests().len(), 2);
}

#[tokio::test]
async fn overall_deadline_stops_retrying() {
    let (emulator, client) = setup().await;
    emulator.faults().fail_next(100, 503);
    let policy = RetryPolicy::default()
        .with_max_attempts(100)
        .with_initial_backoff(Duration::from_millis(50))
        .with_multiplier(1.0)
        .with_jitter(0.0)
        .with_total_timeout(Some(Duration::from_millis(300)));
    let started = Instant::now();
    let options = RequestOptions::new().with_retry_policy(policy);
    let err = get_with(&client, &job_name("x"), options).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(started.elapsed() < Duration::from_secs(2));
    let attempts = emulator.requests().len();
    assert!((2..=7).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn non_idempotent_post_is_not_retried() {
    let (emulator, client) = setup().await;

    emulator.faults().fail_next(1, 503);
    let err = create(&client, "once", &job("o")).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(statuses(&emulator, "POST"), [Some(503)]);
    assert_eq!(emulator.job_count(), 0);

    emulator.faults().drop_next(1);
    let err = create(&client, "once", &job("o")).await.unwrap_err();
    assert!(err.is_transport(), "{err}");
    assert_eq!(statuses(&emulator, "POST"), [Some(503), None]);

    // Callers may declare the call idempotent (e.g. it carries a request id).
    emulator.clear_requests();
    emulator.faults().fail_next(1, 503);
    let request = create_request("once", &job("o")).options(RequestOptions::new().with_idempotent(true));
    let _: RawOperation = client.execute(request).await.unwrap();
    assert_eq!(statuses(&emulator, "POST"), [Some(503), Some(200)]);
}

#[tokio::test]
async fn attempt_timeout_fires() {
    let (emulator, client) = setup().await;
    emulator.faults().delay_next(1, Duration::from_secs(3));
    let options = RequestOptions::new().with_timeout(Duration::from_millis(100)).with_retry_policy(RetryPolicy::none());
    let started = Instant::now();
    let err = get_with(&client, &job_name("slow"), options).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(matches!(err, Error::Timeout(limit) if limit == Duration::from_millis(100)));
    assert!(started.elapsed() < Duration::from_secs(2));

    // With retries, the attempt after the slow one answers.
    emulator.faults().delay_next(1, Duration::from_secs(3));
    let options = RequestOptions::new().with_timeout(Duration::from_millis(100));
    let err = get_with(&client, &job_name("slow"), options).await.unwrap_err();
    assert!(err.is_not_found(), "second attempt reached the service: {err}");
}

#[tokio::test]
async fn retry_after_is_honoured_up_to_the_maximum_backoff() {
    let (emulator, client) = setup().await;
    create(&client, "ra", &job("ra")).await.unwrap();
    emulator.faults().fail_next_with_retry_after(1, 429, 1);
    let patient = RequestOptions::new().with_retry_policy(fast_retry().with_max_backoff(Duration::from_secs(2)));
    let started = Instant::now();
    get_with(&client, &job_name("ra"), patient).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(emulator.count_requests("GET", "/notebookExecutionJobs/ra"), 2);

    // The client's 10 ms maximum cuts the server's second.
    emulator.faults().fail_next_with_retry_after(1, 429, 1);
    let started = Instant::now();
    get(&client, &job_name("ra")).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!(emulator.count_requests("GET", "/notebookExecutionJobs/ra"), 4);
}

#[tokio::test]
async fn decode_errors_carry_a_snippet() {
    let (emulator, client) = setup().await;
    let html = format!("<html><body>{}</body></html>", "x".repeat(500));
    emulator.faults().respond_next(1, 200, html.clone());
    let err = get(&client, &job_name("any")).await.unwrap_err();
    assert!(err.is_decode(), "{err}");
    assert_eq!(err.status(), Some(200));
    let snippet = err.body_snippet().unwrap();
    assert!(snippet.starts_with("<html><body>xxx"), "{snippet}");
    assert_eq!(snippet.chars().count(), 201, "200 characters and an ellipsis");
    assert!(err.to_string().contains("<html><body>"), "{err}");

    // A non-JSON error body keeps its snippet too.
    emulator.faults().respond_next(1, 400, "plain text failure");
    let err = get(&client, &job_name("any")).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.rpc_status().is_none());
    assert_eq!(err.body_snippet(), Some("plain text failure"));
}

#[tokio::test]
async fn static_token_is_sent_and_never_printed() {
    let emulator = Emulator::start().await.unwrap();
    let client = Client::builder("https://aiplatform.googleapis.com/")
        .endpoint(emulator.base_url())
        .bearer_token("ya29.test-secret")
        .user_agent("google-aiplatform-v1/0.1.0 discogen-runtime/0.1.0")
        .build()
        .unwrap();
    let _ = get(&client, &job_name("any")).await;
    let request = &emulator.requests()[0];
    assert_eq!(request.authorization.as_deref(), Some("Bearer ya29.test-secret"));
    assert_eq!(request.user_agent.as_deref(), Some("google-aiplatform-v1/0.1.0 discogen-runtime/0.1.0"));
    assert!(!format!("{client:?}").contains("ya29"));

    let anonymous = client_for(&emulator);
    let _ = get(&anonymous, &job_name("any")).await;
    assert_eq!(emulator.requests()[1].authorization, None);
}

#[tokio::test]
async fn request_bodies_and_queries_arrive_intact() {
    let (emulator, client) = setup().await;
    create(&client, "body", &job("with \"quotes\" & ünïcode")).await.unwrap();
    let post = &emulator.requests()[0];
    assert_eq!(post.content_type.as_deref(), Some("application/json"));
    let body: Value = serde_json::from_str(&post.body).unwrap();
    assert_eq!(body, json!({"displayName": "with \"quotes\" & ünïcode"}));
    assert_eq!(post.query_value("notebookExecutionJobId").as_deref(), Some("body"));

    let filter = r#"displayName="with \"quotes\" & ünïcode""#;
    let _ = list_all(&client, 5, Some(filter), None).await;
    let list = emulator.requests().pop().unwrap();
    assert_eq!(list.query_value("filter").as_deref(), Some(filter));
}

#[tokio::test]
async fn failed_operations_and_polling_deadline() {
    let (emulator, client) = setup().await;
    emulator.fail_next_operation(9, "notebook runtime template not ready");
    let operation = create(&client, "fails", &job("f")).await.unwrap();
    let err = operation.wait().await.unwrap_err();
    assert_eq!(err.code(), Some(Code::FailedPrecondition));
    assert!(matches!(&err, Error::Operation { name, .. } if name.contains("/operations/")));
    assert_eq!(err.rpc_status().unwrap().message, "notebook runtime template not ready");

    // Polls are retried like any idempotent call.
    let operation = create(&client, "flaky", &job("f")).await.unwrap();
    emulator.faults().fail_next(1, 503);
    let done = operation.until_done().await.unwrap();
    assert!(done.metadata().unwrap().is_ok());
    assert_eq!(done.result().unwrap().unwrap().job_state.as_deref(), Some("JOB_STATE_SUCCEEDED"));

    // An operation that never finishes hits the polling deadline.
    emulator.set_config(EmulatorConfig { create_polls: 1_000_000, ..emulator.config() });
    let operation = create(&client, "forever", &job("f")).await.unwrap();
    let policy = fast_poll().with_timeout(Some(Duration::from_millis(100)));
    let started = Instant::now();
    let err = operation.wait_with(&policy).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(matches!(err, Error::OperationTimeout { .. }));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder(format!("http://{address}/")).no_auth().retry_policy(fast_retry()).build().unwrap();
    let err = get(&client, &job_name("x")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { connect: true, .. }), "{err:?}");
    assert!(err.to_string().contains("transport error"), "{err}");
}

#[tokio::test]
async fn https_endpoints_use_rustls() {
    // The emulator speaks plain HTTP, so the TLS handshake fails: the point is
    // that rustls (ring provider) is set up and reports a connect error.
    let emulator = Emulator::start().await.unwrap();
    let https = emulator.base_url().replace("http://", "https://");
    let client = Client::builder(https).no_auth().retry_policy(RetryPolicy::none()).build().unwrap();
    let err = get(&client, &job_name("x")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { connect: true, .. }), "{err:?}");
}
