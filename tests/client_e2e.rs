//! The generated `google-aiplatform-v1` crate, used as an application would, against the
//! local notebookExecutionJobs emulator on 127.0.0.1.

use std::time::{Duration, Instant};

use google_aiplatform_v1::{
    Client, JobState, LocationName, NotebookExecutionJob, NotebookExecutionJobName, NotebookExecutionJobView,
    PollPolicy, RetryPolicy, TryStreamExt,
};
use notebook_emulator::{Emulator, EmulatorConfig};

fn location() -> LocationName {
    LocationName::new("test-project", "us-central1")
}

fn job(display_name: &str) -> NotebookExecutionJob {
    NotebookExecutionJob {
        display_name: Some(display_name.to_owned()),
        gcs_output_uri: Some("gs://bucket/out".to_owned()),
        ..Default::default()
    }
}

/// Fast retries and polls so the tests take milliseconds, not seconds.
fn client(emulator: &Emulator, attempts: u32) -> Client {
    Client::builder()
        .endpoint(emulator.base_url())
        .bearer_token("test-token")
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .poll_policy(
            PollPolicy::default()
                .with_initial_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(20)),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

async fn create(client: &Client, id: &str) -> NotebookExecutionJob {
    client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .create(location(), job(&format!("job {id}")))
        .notebook_execution_job_id(id)
        .send()
        .await
        .expect("create starts")
        .wait()
        .await
        .expect("create completes")
}

#[tokio::test]
async fn create_wait_get_list_delete() {
    let emulator = Emulator::start().await.unwrap();
    let client = client(&emulator, 3);
    let jobs = client.projects().locations().notebook_execution_jobs();

    // Create: a long-running operation with typed metadata, done after the emulator's polls.
    let mut operation =
        jobs.create(location(), job("nightly")).notebook_execution_job_id("nightly").send().await.unwrap();
    assert!(!operation.is_done());
    let metadata = operation.metadata().expect("metadata present").expect("metadata decodes");
    assert!(metadata.generic_metadata.and_then(|g| g.create_time).is_some());
    operation.poll().await.unwrap();
    let created: NotebookExecutionJob = operation.wait().await.unwrap();
    let name: NotebookExecutionJobName = created.name.as_deref().unwrap().parse().unwrap();
    assert_eq!(name, location().notebook_execution_job("nightly"));
    assert_eq!(created.job_state, Some(JobState::Succeeded));
    assert!(created.create_time.is_some());

    // Get, with an enum query parameter.
    let fetched = jobs.get(name.clone()).view(NotebookExecutionJobView::Full).send().await.unwrap();
    assert_eq!(fetched.display_name.as_deref(), Some("nightly"));
    let last = emulator.requests().pop().unwrap();
    assert_eq!(last.query_value("view").as_deref(), Some("NOTEBOOK_EXECUTION_JOB_VIEW_FULL"));
    assert_eq!(last.authorization.as_deref(), Some("Bearer test-token"));

    // List across pages: 7 jobs, 3 per page -> 3 pages.
    for i in 0..6 {
        create(&client, &format!("job-{i}")).await;
    }
    emulator.clear_requests();
    let items: Vec<NotebookExecutionJob> = jobs.list(location()).page_size(3).items().try_collect().await.unwrap();
    assert_eq!(items.len(), 7);
    assert_eq!(emulator.count_requests("GET", "/notebookExecutionJobs"), 3, "three pages");
    let pages: Vec<_> = jobs.list(location()).page_size(3).pages().try_collect().await.unwrap();
    assert_eq!(
        pages.iter().map(|p| p.notebook_execution_jobs.as_ref().map_or(0, Vec::len)).collect::<Vec<_>>(),
        [3, 3, 1]
    );

    // Delete (typed as Empty), then get is NOT_FOUND.
    jobs.delete(name.clone()).send().await.unwrap().wait().await.unwrap();
    let error = jobs.get(name).send().await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn idempotent_calls_retry_transient_failures_and_give_up_at_the_limit() {
    let emulator = Emulator::start_with(EmulatorConfig { create_polls: 0, ..EmulatorConfig::default() }).await.unwrap();
    let client = client(&emulator, 3);
    create(&client, "retried").await;
    let name = location().notebook_execution_job("retried");

    emulator.clear_requests();
    emulator.faults().fail_next(2, 503);
    let job = client.projects().locations().notebook_execution_jobs().get(name.clone()).send().await.unwrap();
    assert_eq!(job.display_name.as_deref(), Some("job retried"));
    assert_eq!(emulator.count_requests("GET", "/notebookExecutionJobs/retried"), 3, "two 503s, then success");

    emulator.clear_requests();
    emulator.faults().fail_next(5, 503);
    let error = client.projects().locations().notebook_execution_jobs().get(name.clone()).send().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(emulator.count_requests("GET", "/notebookExecutionJobs/retried"), 3, "stops at the attempt limit");

    // A per-call policy overrides the client's.
    emulator.faults().clear();
    emulator.clear_requests();
    emulator.faults().fail_next(1, 503);
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(name)
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(emulator.count_requests("GET", "/notebookExecutionJobs/retried"), 1);
}

#[tokio::test]
async fn non_idempotent_create_is_not_retried() {
    let emulator = Emulator::start().await.unwrap();
    let client = client(&emulator, 5);
    emulator.faults().fail_next(1, 503);
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .create(location(), job("once"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(emulator.count_requests("POST", "/notebookExecutionJobs"), 1);
    assert_eq!(emulator.job_count(), 0);
}

#[tokio::test]
async fn a_slow_response_times_out() {
    let emulator = Emulator::start().await.unwrap();
    let client = client(&emulator, 1);
    emulator.faults().delay_next(1, Duration::from_secs(2));
    let started = Instant::now();
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .get(location().notebook_execution_job("slow"))
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn server_errors_carry_the_google_rpc_status() {
    let emulator = Emulator::start_with(EmulatorConfig { create_polls: 0, ..EmulatorConfig::default() }).await.unwrap();
    let client = client(&emulator, 1);
    create(&client, "dup").await;
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .create(location(), job("again"))
        .notebook_execution_job_id("dup")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_already_exists(), "{error}");
    let status = error.rpc_status().expect("google.rpc.Status parsed");
    // REST errors carry the HTTP status as `code` and the canonical name as `status`.
    assert_eq!(status.code, 409);
    assert_eq!(status.status.as_deref(), Some("ALREADY_EXISTS"));
    assert_eq!(status.canonical_code(), google_aiplatform_v1::Code::AlreadyExists);
    assert!(!status.message.is_empty());
}

#[test]
fn resource_names_validate_their_pattern() {
    let name: NotebookExecutionJobName = "projects/p/locations/l/notebookExecutionJobs/j".parse().unwrap();
    assert_eq!((name.project.as_str(), name.location.as_str(), name.notebook_execution_job.as_str()), ("p", "l", "j"));
    assert_eq!(name.to_string(), "projects/p/locations/l/notebookExecutionJobs/j");
    for bad in [
        "projects/p/locations/l",
        "projects//locations/l/notebookExecutionJobs/j",
        "folders/p/locations/l/notebookExecutionJobs/j",
        "projects/p/locations/l/notebookExecutionJobs/j/x",
    ] {
        let error = bad.parse::<NotebookExecutionJobName>().unwrap_err();
        assert_eq!(error.expected(), "projects/*/locations/*/notebookExecutionJobs/*");
    }
}

#[test]
fn models_round_trip_unknown_enum_values_and_wire_formats() {
    let json = serde_json::json!({
        "displayName": "x",
        "jobState": "JOB_STATE_FROM_THE_FUTURE",
        "executionTimeout": "3.5s",
        "createTime": "2025-08-25T10:00:00.123Z",
        "directNotebookSource": {"content": "aGk-"},
        "customEnvironmentSpec": {"persistentDiskSpec": {"diskSizeGb": "100"}},
        "someNewField": true
    });
    let job: NotebookExecutionJob = serde_json::from_value(json).unwrap();
    assert_eq!(job.job_state, Some(JobState::Unknown("JOB_STATE_FROM_THE_FUTURE".to_owned())));
    assert_eq!(job.execution_timeout.as_ref().unwrap().to_std().unwrap(), Duration::from_millis(3500));
    let disk = job.custom_environment_spec.as_ref().unwrap().persistent_disk_spec.as_ref().unwrap();
    assert_eq!(disk.disk_size_gb, Some(100));
    let back = serde_json::to_value(&job).unwrap();
    assert_eq!(back["jobState"], "JOB_STATE_FROM_THE_FUTURE");
    assert_eq!(back["customEnvironmentSpec"]["persistentDiskSpec"]["diskSizeGb"], "100");
    assert!(back.get("labels").is_none(), "empty maps are not sent");
}
