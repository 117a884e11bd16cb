//! Issue 22's wire rules, through generated typed builders recorded by `MockTransport`: a path
//! parameter making a `.` or `..` segment is refused before anything is sent, a reserved
//! expansion (`{+name}`) encodes what RFC 6570 encodes (a lone `%` among it), and `bytes`
//! fields go out as URL-safe base64.

use google_aiplatform_v1::transport::{HttpResponse, MockTransport};
use google_aiplatform_v1::TryStreamExt;
use google_aiplatform_v1::{
    LocationName, NotebookExecutionJob, NotebookExecutionJobDirectNotebookSource, NotebookExecutionJobName,
};
use google_storage_v1::MediaSource;

fn storage(mock: &MockTransport) -> google_storage_v1::Client {
    google_storage_v1::Client::builder().no_auth().transport(mock.clone()).build().unwrap()
}

fn aiplatform(mock: &MockTransport) -> google_aiplatform_v1::Client {
    google_aiplatform_v1::Client::builder().no_auth().transport(mock.clone()).build().unwrap()
}

fn location() -> LocationName {
    LocationName::new("p", "us-central1")
}

/// The error of a refused call: an invalid request naming the method and the parameter.
fn assert_refused(error: google_storage_v1::Error, method: &str, parameter: &str) {
    let text = error.to_string();
    assert!(matches!(error, google_storage_v1::Error::InvalidRequest(_)), "{text}");
    assert!(text.contains(&format!("{method}: path parameter `{parameter}`")), "{text}");
    assert!(text.contains("dot segment"), "{text}");
}

#[tokio::test]
async fn an_object_named_dot_dot_is_refused_not_sent_to_the_bucket() {
    let mock = MockTransport::new();
    let client = storage(&mock);
    for object in ["..", "."] {
        let error = client.objects().delete("my-bucket", object).send().await.unwrap_err();
        assert_refused(error, "storage.objects.delete", "object");
    }
    let error = client.objects().get("..", "o").send().await.unwrap_err();
    assert_refused(error, "storage.objects.get", "bucket");
    let error = client.objects().get("my-bucket", "..").download().bytes().await.unwrap_err();
    assert_refused(error, "storage.objects.get", "object");
    let upload = MediaSource::from_bytes(b"data".to_vec(), "text/plain");
    let error = client.objects().insert("..", Default::default()).upload(upload).send().await.unwrap_err();
    assert_refused(error, "storage.objects.insert", "bucket");
    assert!(mock.requests().is_empty(), "nothing is sent: {:?}", mock.requests());

    // Dots that are part of a name are names.
    mock.push(HttpResponse::new(204, ""));
    client.objects().delete("my-bucket", "...").send().await.unwrap();
    mock.push(HttpResponse::new(204, ""));
    client.objects().delete("my-bucket", "a/../b").send().await.unwrap();
    let paths: Vec<String> = mock.requests().iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, ["/storage/v1/b/my-bucket/o/...", "/storage/v1/b/my-bucket/o/a%2F..%2Fb"]);
}

#[tokio::test]
async fn a_reserved_expansion_with_a_dot_segment_is_refused() {
    let mock = MockTransport::new();
    let client = aiplatform(&mock);
    for id in ["..", ".", "%2E%2e"] {
        let error = client
            .projects()
            .locations()
            .notebook_execution_jobs()
            .delete(location().notebook_execution_job(id))
            .send()
            .await
            .unwrap_err();
        assert_refused(error, "aiplatform.projects.locations.notebookExecutionJobs.delete", "name");
    }
    let error = client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .list(LocationName::new("p", ".."))
        .send()
        .await
        .unwrap_err();
    assert_refused(error, "aiplatform.projects.locations.notebookExecutionJobs.list", "parent");
    assert!(mock.requests().is_empty(), "nothing is sent: {:?}", mock.requests());

    // Parsing a typed name refuses the segment too.
    let error = "projects/p/locations/../notebookExecutionJobs/j".parse::<NotebookExecutionJobName>().unwrap_err();
    assert!(error.to_string().contains("its segment \"..\" is a dot segment"), "{error}");
}

/// A resource name given as text, as Google's reference writes it, is sent as that name; text
/// that does not match the name's pattern (or a typed name's dot segment) fails the call
/// before anything is sent, naming the method, the parameter and the pattern.
#[tokio::test]
async fn a_resource_name_given_as_text_is_checked_before_sending() {
    let mock = MockTransport::new();
    let jobs = aiplatform(&mock).projects().locations().notebook_execution_jobs();
    mock.push_json(200, serde_json::json!({}));
    jobs.get("projects/p/locations/us-central1/notebookExecutionJobs/j").send().await.unwrap();
    let text = String::from("projects/p/locations/us-central1");
    mock.push_json(200, serde_json::json!({}));
    jobs.list(&text).send().await.unwrap();
    let paths: Vec<String> = mock.requests().iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(
        paths,
        [
            "/v1/projects/p/locations/us-central1/notebookExecutionJobs/j",
            "/v1/projects/p/locations/us-central1/notebookExecutionJobs"
        ]
    );

    for wrong in ["projects/p/notebookExecutionJobs/j", "projects/p/locations/l/notebookExecutionJobs/", "j"] {
        let error = jobs.get(wrong).send().await.unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, google_aiplatform_v1::Error::InvalidRequest(_)), "{text}");
        assert!(
            text.contains("aiplatform.projects.locations.notebookExecutionJobs.get: path parameter `name`"),
            "{text}"
        );
        assert!(text.contains("projects/*/locations/*/notebookExecutionJobs/*"), "{text}");
        // Refused through every way of sending it: the stream of pages too.
        let error = jobs.list(wrong).pages().try_next().await.unwrap_err();
        assert!(error.to_string().contains("path parameter `parent`"), "{error}");
    }
    let error = jobs.delete("projects/p/locations/../notebookExecutionJobs/j").send().await.unwrap_err();
    assert!(error.to_string().contains("path parameter `name`"), "{error}");
    assert_eq!(mock.requests().len(), 2, "nothing more is sent: {:?}", mock.requests());

    // The runtime's standard operations resources take text the same way.
    let operations = jobs.operations();
    let operation = "projects/p/locations/l/notebookExecutionJobs/j/operations/o";
    mock.push_json(200, serde_json::json!({ "name": operation }));
    operations.get(operation).send().await.unwrap();
    assert_eq!(mock.requests()[2].url.path(), format!("/v1/{operation}"));
    let error = operations.cancel("operations/o").send().await.unwrap_err();
    assert!(error.to_string().contains("path parameter `name`"), "{error}");
    let error = operations.list("projects/p").items().try_next().await.unwrap_err();
    assert!(error.to_string().contains("projects/*/locations/*/notebookExecutionJobs/*"), "{error}");
    assert_eq!(mock.requests().len(), 3, "nothing more is sent: {:?}", mock.requests());
}

#[tokio::test]
async fn a_reserved_expansion_encodes_a_lone_percent_and_what_would_end_the_path() {
    let mock = MockTransport::new();
    let client = aiplatform(&mock);
    let jobs = ["load-100%", "a b?c#d", "x%2Fy", "é[1]", "a:b@c!$&'()*+,;=~"];
    for id in jobs {
        mock.push_json(200, serde_json::json!({}));
        client
            .projects()
            .locations()
            .notebook_execution_jobs()
            .get(location().notebook_execution_job(id))
            .send()
            .await
            .unwrap();
    }
    let prefix = "/v1/projects/p/locations/us-central1/notebookExecutionJobs/";
    let paths: Vec<String> =
        mock.requests().iter().map(|r| r.url.path().trim_start_matches(prefix).to_owned()).collect();
    assert_eq!(paths, ["load-100%25", "a%20b%3Fc%23d", "x%2Fy", "%C3%A9%5B1%5D", "a:b@c!$&'()*+,;=~"]);
    assert!(mock.requests().iter().all(|r| r.url.query().is_none_or(|q| !q.contains('d'))));
}

#[tokio::test]
async fn bytes_fields_are_sent_as_url_safe_base64() {
    let mock = MockTransport::new();
    let client = aiplatform(&mock);
    mock.push_json(200, serde_json::json!({"name": "projects/p/locations/us-central1/operations/o"}));
    let job = NotebookExecutionJob {
        direct_notebook_source: Some(NotebookExecutionJobDirectNotebookSource {
            content: Some(vec![0xfb, 0xff].into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    client.projects().locations().notebook_execution_jobs().create(location(), job).send().await.unwrap();
    assert_eq!(mock.requests()[0].json()["directNotebookSource"]["content"], "-_8=");
}
