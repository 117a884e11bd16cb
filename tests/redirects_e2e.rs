//! Credentials never go astray: every call path of a generated client, with every kind of
//! credential, against a server that redirects to a second server which records every
//! header it receives.
//!
//! The policy (runtime `redirect.rs`): API calls (JSON, pagination, operation polls,
//! uploads, resumable sessions, token requests) follow no redirect: a 3xx with a `Location`
//! is `Error::Redirect`, naming the status and the target without its query. Media downloads
//! follow redirects, with credentials and the call's headers only while on the API's origin.

#[allow(dead_code)]
#[path = "auth/fake.rs"]
mod fake;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use discogen_runtime::auth::credentials::{AuthorizedUser, MetadataServer, ServiceAccount};
use discogen_runtime::auth::TokenProvider;
use discogen_runtime::media::{MediaSource, ResumableSession};
use discogen_runtime::{Client as RuntimeClient, Error, Method, Request};
use fake::{FakeServer, Response};
use google_storage_v1::{Bucket, Client, ClientBuilder, Object, TryStreamExt};
use serde_json::json;

const BEARER: &str = "ya29.BEARER-SECRET";
const API_KEY: &str = "AIzaKEY-SECRET";
const QUOTA_PROJECT: &str = "quota-project-SECRET";
const USER_HEADER: &str = "USER-HEADER-SECRET";
const CALL_HEADER: &str = "CALL-HEADER-SECRET";
/// In the redirect targets' query: errors must not show it.
const SIGNATURE: &str = "SIGNATURE-SECRET";

/// The redirect statuses, each with a different meaning for the method and body.
const STATUSES: [u16; 5] = [301, 302, 303, 307, 308];

/// A kind of credential or header a user gives the client.
#[derive(Clone, Copy, Debug)]
enum Credential {
    Bearer,
    ApiKey,
    QuotaProject,
    UserHeader,
}

const CREDENTIALS: [Credential; 4] =
    [Credential::Bearer, Credential::ApiKey, Credential::QuotaProject, Credential::UserHeader];

impl Credential {
    fn configure(self, builder: ClientBuilder) -> ClientBuilder {
        match self {
            Credential::Bearer => builder.bearer_token(BEARER),
            Credential::ApiKey => builder.api_key(API_KEY),
            Credential::QuotaProject => builder.no_auth().quota_project(QUOTA_PROJECT),
            Credential::UserHeader => builder.no_auth().header("x-user-header", USER_HEADER),
        }
    }

    /// The header that carries it, as sent to the API's own origin.
    fn sent_header(self) -> (&'static str, String) {
        match self {
            Credential::Bearer => ("authorization", format!("Bearer {BEARER}")),
            Credential::ApiKey => ("x-goog-api-key", API_KEY.to_owned()),
            Credential::QuotaProject => ("x-goog-user-project", QUOTA_PROJECT.to_owned()),
            Credential::UserHeader => ("x-user-header", USER_HEADER.to_owned()),
        }
    }
}

/// No secret of these tests in `text`.
fn assert_no_secret(text: &str) {
    for secret in [BEARER, API_KEY, QUOTA_PROJECT, USER_HEADER, CALL_HEADER, SIGNATURE, "BEARER-SECRET"] {
        assert!(!text.contains(secret), "secret {secret:?} leaked into: {text}");
    }
}

/// The second server: answers everything with a small JSON object and records what it got.
async fn elsewhere() -> FakeServer {
    FakeServer::start(|_| Response::raw(200, &[("content-type", "application/json")], r#"{"items": []}"#)).await
}

/// Where the API server sends its redirects: the other server, with a signed-looking query.
fn target(other: &FakeServer) -> String {
    format!("{}/elsewhere?sig={SIGNATURE}", other.url)
}

fn client(api: &FakeServer, credential: Credential) -> Client {
    let builder = Client::builder().endpoint(format!("{}/storage/v1/", api.url));
    credential.configure(builder).retry_policy(discogen_runtime::RetryPolicy::none()).build().unwrap()
}

/// The error of a refused redirect: status, the target without its query, no secret.
fn assert_refused(error: &Error, status: u16, other: &FakeServer, what: &str) {
    match error {
        Error::Redirect { status: got, location, .. } => {
            assert_eq!(*got, status, "{what}: {error}");
            assert_eq!(location, &format!("{}/elsewhere", other.url), "{what}");
        }
        other => panic!("{what}: expected Error::Redirect, got {other:?}"),
    }
    let text = format!("{error} {error:?}");
    assert!(text.contains(&format!("HTTP {status}")), "{what}: {text}");
    assert_no_secret(&text);
}

/// Every JSON call path of the generated storage client: a redirect on any of them reaches
/// nobody, whatever the credential and the status.
#[tokio::test]
async fn json_calls_follow_no_redirect_with_any_credential() {
    for status in STATUSES {
        let other = elsewhere().await;
        let to = target(&other);
        let api = FakeServer::start(move |request| match (request.method.as_str(), request.path.as_str()) {
            // The first page of a listing answers; its second page is redirected.
            ("GET", "/storage/v1/b/listing/o") if !request.query.contains_key("pageToken") => {
                Response::json(200, json!({"items": [{"name": "a"}], "nextPageToken": "page-2"}))
            }
            _ => Response::redirect_with(status, &to),
        })
        .await;
        for credential in CREDENTIALS {
            let client = client(&api, credential);
            let what = format!("{credential:?}, HTTP {status}");
            let get = client.buckets().get("b").header("x-call-header", CALL_HEADER).send().await.unwrap_err();
            assert_refused(&get, status, &other, &format!("buckets.get, {what}"));
            let insert = client.buckets().insert("p", Bucket { name: Some("b".into()), ..Default::default() });
            assert_refused(&insert.send().await.unwrap_err(), status, &other, &format!("buckets.insert, {what}"));
            let delete = client.buckets().delete("b").send().await.unwrap_err();
            assert_refused(&delete, status, &other, &format!("buckets.delete, {what}"));
            let listed: Result<Vec<Object>, Error> = client.objects().list("listing").items().try_collect().await;
            assert_refused(&listed.unwrap_err(), status, &other, &format!("objects.list page 2, {what}"));
        }
        // The credential reached the API server, and nothing reached the other one.
        for credential in CREDENTIALS {
            let (name, value) = credential.sent_header();
            assert!(api.all().iter().any(|r| r.header(name) == Some(value.as_str())), "{credential:?}");
        }
        assert_eq!(other.all().len(), 0, "HTTP {status}: the other server got {:?}", other.all());
    }
}

/// A same-origin redirect is refused too: the policy is "no redirects", not "no hosts".
#[tokio::test]
async fn a_same_origin_redirect_is_refused_as_well() {
    let api = FakeServer::start(|request| match request.path.as_str() {
        "/storage/v1/b/b" => Response::redirect_with(307, "/storage/v1/b/moved?sig=x"),
        _ => Response::json(200, json!({"name": "moved"})),
    })
    .await;
    let error = client(&api, Credential::Bearer).buckets().get("b").send().await.unwrap_err();
    assert!(matches!(error, Error::Redirect { status: 307, .. }), "{error:?}");
    assert!(
        error.to_string().ends_with("/storage/v1/b/moved not followed: API calls do not follow redirects"),
        "{error}"
    );
    assert_eq!(api.all().len(), 1);
}

/// A long-running operation whose poll is redirected: the poll fails, nothing is sent on.
#[tokio::test]
async fn operation_polls_follow_no_redirect() {
    let other = elsewhere().await;
    let to = target(&other);
    let api = FakeServer::start(move |request| match request.method.as_str() {
        "POST" => Response::json(200, json!({"name": "projects/p/locations/l/operations/1", "done": false})),
        _ => Response::redirect_with(302, &to),
    })
    .await;
    for credential in CREDENTIALS {
        let builder = google_aiplatform_v1::Client::builder().endpoint(format!("{}/", api.url));
        let builder = match credential {
            Credential::Bearer => builder.bearer_token(BEARER),
            Credential::ApiKey => builder.api_key(API_KEY),
            Credential::QuotaProject => builder.no_auth().quota_project(QUOTA_PROJECT),
            Credential::UserHeader => builder.no_auth().header("x-user-header", USER_HEADER),
        };
        let client = builder
            .poll_policy(discogen_runtime::PollPolicy::default().with_initial_delay(std::time::Duration::ZERO))
            .build()
            .unwrap();
        let job = google_aiplatform_v1::NotebookExecutionJob::default();
        let parent = google_aiplatform_v1::LocationName::new("p", "l");
        let operation =
            client.projects().locations().notebook_execution_jobs().create(parent, job).send().await.unwrap();
        let error = operation.wait().await.unwrap_err();
        assert_refused(&error, 302, &other, &format!("operation poll, {credential:?}"));
    }
    assert_eq!(other.all().len(), 0);
}

/// Downloads follow redirects: to the API's origin with everything, to another origin with
/// nothing but `Range`.
#[tokio::test]
async fn downloads_carry_no_credential_or_header_to_another_origin() {
    for status in STATUSES {
        let other =
            FakeServer::start(|_| Response::raw(200, &[("content-type", "text/plain")], "elsewhere-bytes")).await;
        let to = target(&other);
        let api = FakeServer::start(move |request| match request.path.as_str() {
            // First a hop on the API's own origin, then to the other server.
            "/storage/v1/b/b/o/o" => Response::redirect_with(status, "/storage/v1/hop?sig=1"),
            "/storage/v1/hop" => Response::redirect_with(status, &to),
            _ => Response::not_found(),
        })
        .await;
        for credential in CREDENTIALS {
            let client = client(&api, credential);
            let bytes =
                client.objects().get("b", "o").header("x-call-header", CALL_HEADER).download().bytes().await.unwrap();
            assert_eq!(bytes, b"elsewhere-bytes", "{credential:?}, HTTP {status}");
            // The same-origin hop kept the credential.
            let (name, value) = credential.sent_header();
            let hop = api.requests("/storage/v1/hop");
            assert_eq!(hop.last().unwrap().header(name), Some(value.as_str()), "{credential:?}");
            assert_eq!(hop.last().unwrap().header("x-call-header"), Some(CALL_HEADER));
        }
        let received = other.all();
        assert_eq!(received.len(), CREDENTIALS.len());
        for request in received {
            for name in ["authorization", "x-goog-api-key", "x-goog-user-project", "x-user-header", "x-call-header"] {
                assert!(request.header(name).is_none(), "HTTP {status}: {name} reached the other origin");
            }
            assert_no_secret(&format!("{:?}", request.headers));
            assert_eq!(request.query.get("sig").map(String::as_str), Some(SIGNATURE), "the target's own query");
        }
    }
}

/// A download redirected back and forth forever ends with an error, naming no query.
#[tokio::test]
async fn a_download_stops_after_ten_redirects() {
    let api = FakeServer::start(|request| {
        let hop: u32 = request.query.get("hop").and_then(|h| h.parse().ok()).unwrap_or(0);
        Response::redirect_with(302, &format!("/loop?hop={}&sig={SIGNATURE}", hop + 1))
    })
    .await;
    let error = client(&api, Credential::Bearer).objects().get("b", "o").download().bytes().await.unwrap_err();
    assert!(error.to_string().contains("more than 10 redirects"), "{error}");
    assert_no_secret(&format!("{error} {error:?}"));
    assert_eq!(api.all().len(), 11);
}

/// Uploads (simple, multipart, resumable start) follow no redirect; a resumable session the
/// server puts on another origin is refused before any byte or credential goes there.
#[tokio::test]
async fn uploads_follow_no_redirect_and_sessions_stay_on_the_endpoint() {
    let other = elsewhere().await;
    let to = target(&other);
    let session_elsewhere = format!("{}/session?upload_id={SIGNATURE}", other.url);
    let api = FakeServer::start(move |request| {
        match (request.query.get("uploadType").map(String::as_str), request.query.get("name").map(String::as_str)) {
            (Some("resumable"), Some("offsite")) => Response::raw(200, &[("location", &session_elsewhere)], ""),
            _ => Response::redirect_with(307, &to),
        }
    })
    .await;
    for credential in CREDENTIALS {
        let client = client(&api, credential);
        let objects = client.objects();
        let simple =
            objects.insert("b", Object::default()).name("o").upload(MediaSource::from_bytes("x", "text/plain"));
        assert_refused(&simple.send().await.unwrap_err(), 307, &other, "simple upload");
        let metadata = Object { name: Some("o".into()), ..Default::default() };
        let multipart = objects.insert("b", metadata).upload(MediaSource::from_bytes("x", "text/plain"));
        assert_refused(&multipart.send().await.unwrap_err(), 307, &other, "multipart upload");
        let resumable =
            objects.insert("b", Object::default()).name("o").upload(MediaSource::from_bytes("x", "text/plain"));
        assert_refused(&resumable.resumable().send().await.unwrap_err(), 307, &other, "resumable start");

        let offsite =
            objects.insert("b", Object::default()).name("offsite").upload(MediaSource::from_bytes("x", "text/plain"));
        let error = offsite.resumable().send().await.unwrap_err();
        let text = error.to_string();
        assert!(text.contains("another origin than the upload endpoint"), "{text}");
        assert!(text.contains(&format!("{}/session", other.url)), "{text}");
        assert_no_secret(&format!("{text} {error:?}"));
    }
    assert_eq!(other.all().len(), 0, "{:?}", other.all());
}

/// A chunk PUT answered with a redirect: refused, the other server sees nothing.
#[tokio::test]
async fn a_redirected_chunk_is_refused() {
    let other = elsewhere().await;
    let to = target(&other);
    let api_url = Arc::new(Mutex::new(String::new()));
    let session = api_url.clone();
    let api = FakeServer::start(move |request| match request.path.as_str() {
        "/session" => Response::redirect_with(308, &to),
        _ => Response::raw(200, &[("location", &format!("{}/session?upload_id=1", session.lock().unwrap()))], ""),
    })
    .await;
    *api_url.lock().unwrap() = api.url.clone();
    let client = client(&api, Credential::ApiKey);
    let upload =
        client.objects().insert("b", Object::default()).name("o").upload(MediaSource::from_bytes("x", "text/plain"));
    let error = upload.resumable().send().await.unwrap_err();
    assert_refused(&error, 308, &other, "resumable chunk");
    assert_eq!(api.requests("/session").len(), 1);
    assert_eq!(other.all().len(), 0);
}

/// A session URI the caller supplies on another origin is the caller's choice: the chunks
/// go there, without the client's credentials or headers.
#[tokio::test]
async fn a_callers_own_session_on_another_origin_gets_no_credentials() {
    let other = FakeServer::start(|request| match request.header("content-range") {
        Some(range) if range.starts_with("bytes */") => Response::raw(308, &[], ""),
        _ => Response::json(200, json!({"name": "o", "size": "1"})),
    })
    .await;
    let api = FakeServer::start(|_| Response::not_found()).await;
    for credential in CREDENTIALS {
        let client = client(&api, credential);
        let session = ResumableSession::from_uri(format!("{}/session?upload_id=mine", other.url));
        let object = client
            .objects()
            .insert("b", Object::default())
            .name("o")
            .upload(MediaSource::from_bytes("x", "text/plain"))
            .resume_session(session)
            .send()
            .await
            .unwrap();
        assert_eq!(object.name.as_deref(), Some("o"));
    }
    assert!(other.all().len() >= CREDENTIALS.len() * 2, "a status query and a chunk each");
    for request in other.all() {
        assert_no_secret(&format!("{:?}", request.headers));
    }
    assert_eq!(api.all().len(), 0);
}

/// Token requests (key file grant, refresh grant, metadata server) follow no redirect: the
/// signed assertion, the client secret and the refresh token stay with the endpoint chosen.
#[tokio::test]
async fn token_requests_follow_no_redirect() {
    let other = elsewhere().await;
    let to = target(&other);
    let api = FakeServer::start(move |_| Response::redirect_with(307, &to)).await;
    let dir = scratch("token-redirects");

    let key = ring_key_pem();
    let service_account = json!({
        "type": "service_account", "client_email": "robot@p.iam.gserviceaccount.com",
        "private_key": key, "private_key_id": "kid", "token_uri": format!("{}/token", api.url),
    });
    let path = dir.join("sa.json");
    std::fs::write(&path, service_account.to_string()).unwrap();
    let account = ServiceAccount::from_file(&path, &["https://www.googleapis.com/auth/cloud-platform"]).unwrap();

    let user = json!({
        "type": "authorized_user", "client_id": "id", "client_secret": "GOCSPX-CLIENT-SECRET",
        "refresh_token": "1//REFRESH-SECRET", "token_uri": format!("{}/token", api.url),
    });
    let path = dir.join("user.json");
    std::fs::write(&path, user.to_string()).unwrap();
    let authorized_user = AuthorizedUser::from_file(&path).unwrap();

    let metadata = MetadataServer::at(api.url.trim_start_matches("http://"), &[]).unwrap();

    let providers: [(&str, &dyn TokenProvider); 3] =
        [("service account", &account), ("authorized user", &authorized_user), ("metadata server", &metadata)];
    for (what, provider) in providers {
        let error = provider.token().await.unwrap_err().to_string();
        assert!(error.contains("HTTP 307 (a redirect: credential requests follow none)"), "{what}: {error}");
        for secret in ["GOCSPX", "REFRESH-SECRET", SIGNATURE] {
            assert!(!error.contains(secret), "{what}: {error}");
        }
    }
    assert_eq!(api.all().len(), 3);
    assert_eq!(other.all().len(), 0, "{:?}", other.all());
}

/// The user's own HTTP client: built by the runtime from a builder, it follows nothing; a
/// finished `reqwest::Client` that follows redirects is a configuration error (documented:
/// the other host has seen the request by then), never retried.
#[tokio::test]
async fn users_http_clients_and_redirects() {
    let other = elsewhere().await;
    let to = target(&other);
    let api = FakeServer::start(move |_| Response::redirect_with(302, &to)).await;

    let from_builder = Client::builder()
        .endpoint(format!("{}/storage/v1/", api.url))
        .api_key(API_KEY)
        .http_client_builder(discogen_runtime::transport::reqwest::Client::builder())
        .build()
        .unwrap();
    let error = from_builder.buckets().get("b").send().await.unwrap_err();
    assert_refused(&error, 302, &other, "http_client_builder");
    assert_eq!(other.all().len(), 0);

    let following = RuntimeClient::builder(format!("{}/", api.url))
        .no_auth()
        .http_client(discogen_runtime::transport::reqwest::Client::new())
        .build()
        .unwrap();
    let error = following.execute::<serde_json::Value>(Request::new(Method::Get, "v1/x")).await.unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("followed a redirect to") && text.contains("Policy::none()"), "{text}");
    assert_no_secret(&text);
    assert_eq!(other.all().len(), 1, "reached once (the client followed), not retried");
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("discogen-redirects-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The RSA test key of the auth tests.
fn ring_key_pem() -> String {
    discogen_tests::read("tests/fixtures/auth/test-only-service-account.pem")
}
