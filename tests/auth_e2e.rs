//! Every credential source of `discogen-runtime` (feature `adc`) against local
//! fake Google endpoints: token endpoint, metadata server, IAM Credentials,
//! device authorization, and an authorization page that redirects to the
//! loopback URL (the test plays the browser).

#[path = "auth/fake.rs"]
mod fake;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use discogen_runtime::auth::credentials::{
    credentials_from_file, AdcEnvironment, ApplicationDefaultCredentials, AuthorizedUser, DeviceCode, DevicePrompt,
    ImpersonatedServiceAccount, InstalledApp, MetadataServer, ServiceAccount, TokenCache,
};
use discogen_runtime::auth::{ApiKey, TokenProvider};
use discogen_runtime::{Client, Method, Request};
use fake::{FakeServer, Response};
use serde_json::{json, Value};

const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
const EMAIL: &str = "robot@test-project.iam.gserviceaccount.com";
const CLIENT_SECRET: &str = "GOCSPX-client-secret-value";
const REFRESH_TOKEN: &str = "1//refresh-token-value";

fn private_key_pem() -> String {
    discogen_tests::read("tests/fixtures/auth/test-only-service-account.pem")
}

fn public_key_der() -> Vec<u8> {
    std::fs::read(discogen_tests::root().join("tests/fixtures/auth/test-only-service-account.pub.der")).unwrap()
}

/// A fresh directory for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("discogen-auth-e2e-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

fn service_account_json(token_uri: &str) -> Value {
    json!({
        "type": "service_account",
        "project_id": "test-project",
        "private_key_id": "kid-1",
        "private_key": private_key_pem(),
        "client_email": EMAIL,
        "token_uri": token_uri,
    })
}

fn authorized_user_json(client_id: &str, token_uri: &str) -> Value {
    json!({
        "type": "authorized_user",
        "client_id": client_id,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
        "token_uri": token_uri,
    })
}

/// Checks an RS256 JWT's signature with the test public key; returns (header, claims).
fn verify_jwt(jwt: &str) -> (Value, Value) {
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts");
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    let key = ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, public_key_der());
    key.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature).expect("valid RS256 signature");
    let decode = |part: &str| serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap();
    (decode(parts[0]), decode(parts[1]))
}

/// A token endpoint answering every grant with `token-N` (N counts requests).
async fn counting_token_endpoint(expires_in: u64, delay: Duration) -> FakeServer {
    let count = AtomicUsize::new(0);
    FakeServer::start(move |request| {
        if request.path != "/token" {
            return Response::not_found();
        }
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        Response::token(&format!("token-{n}"), expires_in).after(delay)
    })
    .await
}

async fn token_of(provider: &dyn TokenProvider) -> String {
    provider.token().await.unwrap().expect("a token").as_str().to_owned()
}

/// Asserts that no secret of these tests appears in `text`.
fn assert_no_secret(text: &str) {
    for secret in [CLIENT_SECRET, REFRESH_TOKEN, "PRIVATE KEY", "MIIE", "token-", "ya29.", "AIza"] {
        assert!(!text.contains(secret), "secret {secret:?} leaked into: {text}");
    }
}

#[tokio::test]
async fn service_account_jwt_grant_then_an_api_call_with_the_token() {
    let server = FakeServer::start(|request| match request.path.as_str() {
        "/token" => {
            let form = request.form();
            assert_eq!(form["grant_type"], "urn:ietf:params:oauth:grant-type:jwt-bearer");
            let (header, claims) = verify_jwt(&form["assertion"]);
            assert_eq!(header["alg"], "RS256");
            assert_eq!(header["kid"], "kid-1");
            assert_eq!(claims["iss"], EMAIL);
            assert_eq!(claims["scope"], SCOPE);
            assert!(claims["aud"].as_str().unwrap().ends_with("/token"));
            assert_eq!(claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(), 3600);
            Response::token("ya29.sa-token", 3600)
        }
        "/v1/things" => {
            assert_eq!(request.header("authorization"), Some("Bearer ya29.sa-token"));
            Response::json(200, json!({"things": []}))
        }
        _ => Response::not_found(),
    })
    .await;
    let dir = scratch("service-account");
    let key = write_json(&dir, "key.json", &service_account_json(&format!("{}/token", server.url)));
    let account = ServiceAccount::from_file(&key, &[SCOPE]).unwrap();
    let client = Client::builder(format!("{}/", server.url)).token_provider(account).build().unwrap();
    let answer: Value = client.execute(Request::new(Method::Get, "v1/things")).await.unwrap();
    assert_eq!(answer, json!({"things": []}));
    let _: Value = client.execute(Request::new(Method::Get, "v1/things")).await.unwrap();
    assert_eq!(server.count("/token"), 1, "the token is cached");
    assert_no_secret(&format!("{client:?}"));
}

#[tokio::test]
async fn self_signed_jwt_needs_no_token_endpoint() {
    let server = counting_token_endpoint(3600, Duration::ZERO).await;
    let account =
        ServiceAccount::from_json(&service_account_json(&format!("{}/token", server.url)).to_string(), &[SCOPE])
            .unwrap()
            .self_signed_jwt();
    let jwt = token_of(&account).await;
    let (_, claims) = verify_jwt(&jwt);
    assert_eq!((claims["iss"].as_str(), claims["sub"].as_str()), (Some(EMAIL), Some(EMAIL)));
    assert_eq!(claims["scope"], SCOPE);
    assert!(claims.get("aud").is_none(), "scoped self-signed JWTs carry no audience");
    assert_eq!(server.count("/token"), 0);
}

#[tokio::test]
async fn authorized_user_refresh_grant() {
    let server = FakeServer::start(|request| {
        assert_eq!(request.method, "POST");
        let form = request.form();
        assert_eq!(form["grant_type"], "refresh_token");
        assert_eq!(form["client_id"], "client-1.apps.googleusercontent.com");
        assert_eq!(form["client_secret"], CLIENT_SECRET);
        assert_eq!(form["refresh_token"], REFRESH_TOKEN);
        Response::token("ya29.user-token", 3600)
    })
    .await;
    let dir = scratch("authorized-user");
    let file = write_json(
        &dir,
        "user.json",
        &authorized_user_json("client-1.apps.googleusercontent.com", &format!("{}/token", server.url)),
    );
    let user = AuthorizedUser::from_file(&file).unwrap();
    assert_eq!(token_of(&user).await, "ya29.user-token");
    // The same source built in code, pointed at the fake endpoint.
    let user = AuthorizedUser::new("client-1.apps.googleusercontent.com", CLIENT_SECRET, REFRESH_TOKEN)
        .with_token_uri(&format!("{}/token", server.url))
        .unwrap();
    assert_eq!(token_of(&user).await, "ya29.user-token");
    assert_no_secret(&format!("{user:?}"));
}

#[tokio::test]
async fn metadata_server_token_with_flavor_header_and_scopes() {
    let server = FakeServer::start(|request| {
        if request.path != "/computeMetadata/v1/instance/service-accounts/default/token" {
            return Response::not_found();
        }
        assert_eq!(request.method, "GET");
        assert_eq!(request.header("metadata-flavor"), Some("Google"));
        assert_eq!(request.query["scopes"], format!("{SCOPE},openid"));
        Response::token("ya29.metadata-token", 3599)
    })
    .await;
    let host = server.url.trim_start_matches("http://");
    let metadata = MetadataServer::at(host, &[SCOPE, "openid"]).unwrap();
    assert_eq!(token_of(&metadata).await, "ya29.metadata-token");
}

#[tokio::test]
async fn impersonation_through_iam_credentials_with_delegates() {
    let expire_time = discogen_runtime::wkt::Timestamp::from(std::time::SystemTime::now() + Duration::from_secs(3600));
    let server = FakeServer::start(move |request| match request.path.as_str() {
        "/token" => Response::token("ya29.source-token", 3600),
        "/v1/projects/-/serviceAccounts/target@p.iam.gserviceaccount.com:generateAccessToken" => {
            assert_eq!(request.header("authorization"), Some("Bearer ya29.source-token"));
            let body = request.json();
            assert_eq!(body["delegates"], json!(["projects/-/serviceAccounts/middle@p.iam.gserviceaccount.com"]));
            assert_eq!(body["scope"], json!([SCOPE]));
            assert_eq!(body["lifetime"], "3600s");
            Response::json(200, json!({"accessToken": "ya29.impersonated", "expireTime": expire_time.as_str()}))
        }
        _ => Response::not_found(),
    })
    .await;
    let impersonation_url =
        format!("{}/v1/projects/-/serviceAccounts/target@p.iam.gserviceaccount.com:generateAccessToken", server.url);
    let dir = scratch("impersonation");
    let file = write_json(
        &dir,
        "impersonated.json",
        &json!({
            "type": "impersonated_service_account",
            "service_account_impersonation_url": impersonation_url,
            "delegates": ["middle@p.iam.gserviceaccount.com"],
            "source_credentials": authorized_user_json("client-1", &format!("{}/token", server.url)),
        }),
    );
    let (provider, kind) = credentials_from_file(&file, &[SCOPE]).unwrap();
    assert_eq!(kind, "target@p.iam.gserviceaccount.com via authorized user of client client-1");
    assert_eq!(token_of(&*provider).await, "ya29.impersonated");
    assert_eq!(token_of(&*provider).await, "ya29.impersonated");
    assert_eq!(server.count("/token"), 1);

    // Built in code over any source.
    let source = Arc::new(
        AuthorizedUser::new("client-1", CLIENT_SECRET, REFRESH_TOKEN)
            .with_token_uri(&format!("{}/token", server.url))
            .unwrap(),
    );
    let target = ImpersonatedServiceAccount::with_url(source, &impersonation_url, &[SCOPE])
        .unwrap()
        .with_delegates(["middle@p.iam.gserviceaccount.com"]);
    assert_eq!(target.target(), "target@p.iam.gserviceaccount.com");
    assert_eq!(token_of(&target).await, "ya29.impersonated");
}

/// The three ADC steps, each answered by its own fake with its own token.
#[tokio::test]
async fn adc_order_each_step_shadows_the_next() {
    let server = FakeServer::start(|request| match request.path.as_str() {
        "/token" if request.form()["client_id"] == "env-client" => Response::token("from-env-file", 3600),
        "/token" => Response::token("from-gcloud-file", 3600),
        "/computeMetadata/v1/instance/service-accounts/default/token" => Response::token("from-metadata", 3600),
        _ => Response::not_found(),
    })
    .await;
    let dir = scratch("adc-order");
    let token_uri = format!("{}/token", server.url);
    let env_file = write_json(&dir, "env.json", &authorized_user_json("env-client", &token_uri));
    let gcloud_file =
        write_json(&dir, "application_default_credentials.json", &authorized_user_json("gcloud-client", &token_uri));
    let metadata_host = server.url.trim_start_matches("http://").to_owned();
    let all = AdcEnvironment {
        credentials_file: Some(env_file.clone()),
        gcloud_file: Some(gcloud_file.clone()),
        metadata_host: metadata_host.clone(),
    };
    let adc = |environment: AdcEnvironment| ApplicationDefaultCredentials::with_environment(environment, [SCOPE]);

    let first = adc(all.clone());
    assert_eq!(token_of(&first).await, "from-env-file");
    assert!(first.source().await.unwrap().starts_with("GOOGLE_APPLICATION_CREDENTIALS"));

    let second = adc(AdcEnvironment { credentials_file: None, ..all.clone() });
    assert_eq!(token_of(&second).await, "from-gcloud-file");
    assert!(second.source().await.unwrap().starts_with("gcloud credentials"));

    let third =
        adc(AdcEnvironment { credentials_file: None, gcloud_file: Some(dir.join("absent.json")), ..all.clone() });
    assert_eq!(token_of(&third).await, "from-metadata");
    assert_eq!(third.source().await.unwrap(), format!("metadata server {metadata_host}"));

    // A set but broken GOOGLE_APPLICATION_CREDENTIALS does not fall through.
    let broken = adc(AdcEnvironment { credentials_file: Some(dir.join("missing.json")), ..all.clone() });
    let err = broken.token().await.unwrap_err().to_string();
    assert!(err.contains("missing.json") && err.contains("cannot read"), "{err}");

    // Nothing anywhere: the error explains the whole chain.
    let nothing = adc(AdcEnvironment {
        credentials_file: None,
        gcloud_file: Some(dir.join("absent.json")),
        metadata_host: "127.0.0.1:9".to_owned(),
    });
    let err = nothing.token().await.unwrap_err().to_string();
    assert!(err.contains("GOOGLE_APPLICATION_CREDENTIALS is not set"), "{err}");
    assert!(err.contains("absent.json") && err.contains("metadata server 127.0.0.1:9"), "{err}");
}

/// The only test that touches the process environment.
#[test]
fn adc_environment_reads_the_documented_variables() {
    std::env::set_var("GOOGLE_APPLICATION_CREDENTIALS", "/keys/k.json");
    std::env::set_var("CLOUDSDK_CONFIG", "/gcloud-config");
    std::env::set_var("GCE_METADATA_HOST", "10.0.0.1:8080");
    let environment = AdcEnvironment::from_process();
    assert_eq!(environment.credentials_file, Some(PathBuf::from("/keys/k.json")));
    assert_eq!(environment.gcloud_file, Some(PathBuf::from("/gcloud-config/application_default_credentials.json")));
    assert_eq!(environment.metadata_host, "10.0.0.1:8080");
    std::env::remove_var("GCE_METADATA_HOST");
    assert_eq!(AdcEnvironment::from_process().metadata_host, "169.254.169.254");
}

#[tokio::test]
async fn tokens_are_refreshed_when_they_near_expiry() {
    // 2 s tokens: refreshed after half their lifetime (the 5-minute margin is capped at half).
    let server = counting_token_endpoint(2, Duration::ZERO).await;
    let user = AuthorizedUser::new("client-1", CLIENT_SECRET, REFRESH_TOKEN)
        .with_token_uri(&format!("{}/token", server.url))
        .unwrap();
    assert_eq!(token_of(&user).await, "token-1");
    assert_eq!(token_of(&user).await, "token-1");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(token_of(&user).await, "token-2");
    assert_eq!(server.count("/token"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_concurrent_calls_on_an_expired_token_make_one_request() {
    let server = counting_token_endpoint(2, Duration::from_millis(100)).await;
    let user: Arc<dyn TokenProvider> = Arc::new(
        AuthorizedUser::new("client-1", CLIENT_SECRET, REFRESH_TOKEN)
            .with_token_uri(&format!("{}/token", server.url))
            .unwrap(),
    );
    assert_eq!(token_of(&*user).await, "token-1");
    tokio::time::sleep(Duration::from_millis(1100)).await; // token-1 is now due for refresh
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let user = user.clone();
            tokio::spawn(async move { token_of(&*user).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), "token-2");
    }
    assert_eq!(server.count("/token"), 2, "one request for the first token, one refresh for 100 callers");
}

#[tokio::test]
async fn a_failed_refresh_says_which_source_failed_and_why_without_secrets() {
    let server =
        FakeServer::start(|_| Response::oauth_error(400, "invalid_grant", "Token has been expired or revoked.")).await;
    let user = AuthorizedUser::new("client-1", CLIENT_SECRET, REFRESH_TOKEN)
        .with_token_uri(&format!("{}/token", server.url))
        .unwrap();
    let err = user.token().await.unwrap_err();
    assert!(err.is_auth());
    let text = err.to_string();
    assert!(text.contains("authorized user client-1"), "{text}");
    assert!(text.contains("HTTP 400: invalid_grant (Token has been expired or revoked.)"), "{text}");
    assert_no_secret(&text);
    assert_no_secret(&format!("{err:?}"));
}

#[tokio::test]
async fn bad_key_files_name_the_file_and_the_field() {
    let dir = scratch("bad-keys");
    let check = |name: &str, value: Value, expected: &[&str]| {
        let path = write_json(&dir, name, &value);
        let err = match credentials_from_file(&path, &[SCOPE]) {
            Ok(_) => panic!("{name} was accepted"),
            Err(err) => err.to_string(),
        };
        assert!(err.contains(&path.display().to_string()), "{err}");
        for part in expected {
            assert!(err.contains(part), "{err} lacks {part:?}");
        }
        assert_no_secret(&err);
    };
    let mut no_key = service_account_json("https://oauth2.googleapis.com/token");
    no_key.as_object_mut().unwrap().remove("private_key");
    check("no-key.json", no_key, &["field `private_key` is missing"]);
    let mut bad_pem = service_account_json("https://oauth2.googleapis.com/token");
    bad_pem["private_key"] = json!("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
    check("bad-pem.json", bad_pem, &["field `private_key`", "base64"]);
    let mut not_rsa = service_account_json("https://oauth2.googleapis.com/token");
    not_rsa["private_key"] = json!("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    check("not-rsa.json", not_rsa, &["field `private_key` is not a usable RSA key"]);
    check("clear-text.json", service_account_json("http://oauth2.example.com/token"), &["field `token_uri`", "https"]);
    check(
        "external.json",
        json!({"type": "external_account", "audience": "x"}),
        &["`external_account`", "not supported"],
    );
    check(
        "no-secret.json",
        json!({"type": "authorized_user", "client_id": "c", "refresh_token": REFRESH_TOKEN}),
        &["field `client_secret` is missing"],
    );
    std::fs::write(dir.join("truncated.json"), r#"{"type": "service_account", "#).unwrap();
    let err = credentials_from_file(&dir.join("truncated.json"), &[SCOPE]).err().unwrap().to_string();
    assert!(err.contains("truncated.json") && err.contains("not valid JSON"), "{err}");
}

/// A fake Google sign-in: the authorization page remembers the PKCE
/// challenge and redirects with a code; the token endpoint checks the verifier.
async fn fake_consent_server(refuse: bool, forge_state: bool) -> FakeServer {
    let challenge = Mutex::new(String::new());
    let refreshes = AtomicUsize::new(0);
    FakeServer::start(move |request| match request.path.as_str() {
        "/auth" => {
            let q = &request.query;
            assert_eq!(q["response_type"], "code");
            assert_eq!(q["client_id"], "desktop-client");
            assert_eq!(q["code_challenge_method"], "S256");
            assert_eq!(q["scope"], SCOPE);
            assert!(q["redirect_uri"].starts_with("http://127.0.0.1:"));
            *challenge.lock().unwrap() = q["code_challenge"].clone();
            let state = if forge_state { "forged".to_owned() } else { q["state"].clone() };
            let outcome = if refuse { "error=access_denied".to_owned() } else { "code=auth-code-1".to_owned() };
            let state: String = url::form_urlencoded::byte_serialize(state.as_bytes()).collect();
            Response::redirect(&format!("{}?{outcome}&state={state}", q["redirect_uri"]))
        }
        "/token" => {
            let form = request.form();
            match form["grant_type"].as_str() {
                "authorization_code" => {
                    assert_eq!(form["code"], "auth-code-1");
                    assert_eq!(form["client_secret"], CLIENT_SECRET);
                    assert!(form["redirect_uri"].starts_with("http://127.0.0.1:"));
                    let digest = ring::digest::digest(&ring::digest::SHA256, form["code_verifier"].as_bytes());
                    if URL_SAFE_NO_PAD.encode(digest) != *challenge.lock().unwrap() {
                        return Response::oauth_error(400, "invalid_grant", "PKCE verification failed");
                    }
                    Response::json(
                        200,
                        json!({"access_token": "ya29.consented", "expires_in": 3600, "refresh_token": REFRESH_TOKEN}),
                    )
                }
                "refresh_token" => {
                    assert_eq!(form["refresh_token"], REFRESH_TOKEN);
                    let n = refreshes.fetch_add(1, Ordering::SeqCst) + 1;
                    Response::token(&format!("ya29.refreshed-{n}"), 3600)
                }
                other => panic!("unexpected grant {other}"),
            }
        }
        _ => Response::not_found(),
    })
    .await
}

/// An installed-app flow whose "browser" is this test.
fn installed_app(server: &FakeServer, opened: Arc<AtomicUsize>) -> InstalledApp {
    installed_app_with(server, opened, false)
}

/// `speculative`: first open an idle connection to the loopback server, as browsers do.
fn installed_app_with(server: &FakeServer, opened: Arc<AtomicUsize>, speculative: bool) -> InstalledApp {
    InstalledApp::new("desktop-client", CLIENT_SECRET, &[SCOPE])
        .with_endpoints(&format!("{}/auth", server.url), &format!("{}/token", server.url))
        .unwrap()
        .with_consent_timeout(Duration::from_secs(20))
        .with_browser(move |url| {
            opened.fetch_add(1, Ordering::SeqCst);
            let url = url.to_owned();
            tokio::spawn(async move {
                let _idle = if speculative {
                    let query: std::collections::HashMap<String, String> =
                        url::Url::parse(&url).unwrap().query_pairs().into_owned().collect();
                    let redirect = url::Url::parse(&query["redirect_uri"]).unwrap();
                    let address = format!("127.0.0.1:{}", redirect.port().unwrap());
                    Some(tokio::net::TcpStream::connect(address).await.unwrap())
                } else {
                    None
                };
                let landing = fake::play_browser(&url).await;
                assert!(landing.status == 200 || landing.status == 0, "loopback page: {}", landing.status);
            });
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installed_app_flow_with_pkce_state_and_a_0600_token_cache() {
    let server = fake_consent_server(false, false).await;
    let dir = scratch("installed-app");
    let cache = TokenCache::new(dir.join("tokens.json"));
    let opened = Arc::new(AtomicUsize::new(0));

    let app = installed_app_with(&server, opened.clone(), true).with_token_cache(cache.clone());
    assert_eq!(token_of(&app).await, "ya29.consented");
    assert_eq!(token_of(&app).await, "ya29.consented", "cached until it nears expiry");
    assert_eq!(opened.load(Ordering::SeqCst), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(cache.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the cache file is private");
    }
    assert!(std::fs::read_to_string(cache.path()).unwrap().contains(REFRESH_TOKEN));
    assert_no_secret(&format!("{app:?}"));

    // The next run finds the grant in the cache: a refresh, no browser.
    let next_run = installed_app(&server, opened.clone()).with_token_cache(cache);
    assert_eq!(token_of(&next_run).await, "ya29.refreshed-1");
    assert_eq!(opened.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_consent_and_forged_state_are_errors() {
    let refusing = fake_consent_server(true, false).await;
    let err = installed_app(&refusing, Arc::new(AtomicUsize::new(0))).token().await.unwrap_err().to_string();
    assert!(
        err.contains("installed-app consent for client desktop-client")
            && err.contains("consent refused: access_denied"),
        "{err}"
    );
    assert_eq!(refusing.count("/token"), 0);

    let forging = fake_consent_server(false, true).await;
    let err = installed_app(&forging, Arc::new(AtomicUsize::new(0))).token().await.unwrap_err().to_string();
    assert!(err.contains("`state` does not match"), "{err}");
    assert_eq!(forging.count("/token"), 0, "no code is exchanged after a state mismatch");
}

async fn fake_device_server(refuse: bool) -> FakeServer {
    let polls = AtomicUsize::new(0);
    FakeServer::start(move |request| match request.path.as_str() {
        "/device/code" => {
            let form = request.form();
            assert_eq!(form["client_id"], "tv-client");
            assert_eq!(form["scope"], SCOPE);
            Response::json(
                200,
                json!({"device_code": "dev-code-1", "user_code": "ABCD-EFGH", "verification_url": "https://www.google.com/device", "expires_in": 60, "interval": 0}),
            )
        }
        "/token" => {
            let form = request.form();
            assert_eq!(form["grant_type"], "urn:ietf:params:oauth:grant-type:device_code");
            assert_eq!(form["device_code"], "dev-code-1");
            match polls.fetch_add(1, Ordering::SeqCst) {
                0 => Response::oauth_error(428, "authorization_pending", "waiting"),
                1 if refuse => Response::oauth_error(403, "access_denied", "the user said no"),
                1 => Response::json(200, json!({"access_token": "ya29.device", "expires_in": 3600, "refresh_token": REFRESH_TOKEN})),
                _ => panic!("polled after the answer"),
            }
        }
        _ => Response::not_found(),
    })
    .await
}

#[tokio::test]
async fn device_code_flow_polls_until_consent_and_caches_the_grant() {
    let server = fake_device_server(false).await;
    let dir = scratch("device-code");
    let prompts: Arc<Mutex<Vec<DevicePrompt>>> = Arc::default();
    let shown = prompts.clone();
    let device = DeviceCode::new("tv-client", CLIENT_SECRET, &[SCOPE])
        .with_endpoints(&format!("{}/device/code", server.url), &format!("{}/token", server.url))
        .unwrap()
        .with_token_cache(TokenCache::new(dir.join("device-tokens.json")))
        .with_prompt(move |prompt| shown.lock().unwrap().push(prompt.clone()));
    assert_eq!(token_of(&device).await, "ya29.device");
    let prompts = prompts.lock().unwrap().clone();
    assert_eq!(prompts.len(), 1);
    assert_eq!(
        (prompts[0].user_code.as_str(), prompts[0].verification_url.as_str()),
        ("ABCD-EFGH", "https://www.google.com/device")
    );
    assert_eq!(server.count("/token"), 2, "one pending poll, then the token");
    assert!(std::fs::read_to_string(dir.join("device-tokens.json")).unwrap().contains(REFRESH_TOKEN));

    let refusing = fake_device_server(true).await;
    let device = DeviceCode::new("tv-client", CLIENT_SECRET, &[SCOPE])
        .with_endpoints(&format!("{}/device/code", refusing.url), &format!("{}/token", refusing.url))
        .unwrap()
        .with_prompt(|_| {});
    let err = device.token().await.unwrap_err().to_string();
    assert!(err.contains("device-code consent for client tv-client: consent refused: access_denied"), "{err}");
}

#[tokio::test]
async fn api_key_goes_in_a_sensitive_header_not_the_url() {
    let server = FakeServer::start(|request| {
        assert_eq!(request.header("x-goog-api-key"), Some("AIzaSy-test-key"));
        assert!(request.header("authorization").is_none());
        // Only the runtime's standard `prettyPrint=false`: no key in the URL.
        assert_eq!(request.query, std::collections::HashMap::from([("prettyPrint".to_owned(), "false".to_owned())]));
        Response::json(200, json!({}))
    })
    .await;
    let client =
        Client::builder(format!("{}/", server.url)).token_provider(ApiKey::new("AIzaSy-test-key")).build().unwrap();
    let _: Value = client.execute(Request::new(Method::Get, "v1/things")).await.unwrap();
    assert_eq!(server.all().len(), 1);
    assert_no_secret(&format!("{client:?} {:?}", ApiKey::new("AIzaSy-test-key")));
}

#[tokio::test]
async fn token_endpoints_must_be_https_except_on_loopback() {
    let err = AuthorizedUser::new("c", CLIENT_SECRET, REFRESH_TOKEN)
        .with_token_uri("http://oauth2.example.com/token")
        .unwrap_err();
    assert!(err.to_string().contains("must use https"), "{err}");
    let err = InstalledApp::new("c", CLIENT_SECRET, &[SCOPE])
        .with_endpoints("https://accounts.example.com/auth", "http://10.1.2.3/token")
        .unwrap_err();
    assert!(err.to_string().contains("must use https"), "{err}");
    let source: Arc<dyn TokenProvider> = Arc::new(discogen_runtime::auth::StaticToken::new("ya29.x"));
    assert!(ImpersonatedServiceAccount::with_url(source, "http://iam.example.com/v1/x:generateAccessToken", &[SCOPE])
        .is_err());
    assert!(AuthorizedUser::new("c", CLIENT_SECRET, REFRESH_TOKEN).with_token_uri("http://[::1]:1/token").is_ok());
}

/// Every source, used and unused, formatted every way it can be: no secret.
#[tokio::test]
async fn no_secret_in_any_formatted_value() {
    let server = counting_token_endpoint(3600, Duration::ZERO).await;
    let token_uri = format!("{}/token", server.url);
    let account = ServiceAccount::from_json(&service_account_json(&token_uri).to_string(), &[SCOPE]).unwrap();
    let user = AuthorizedUser::new("client-1", CLIENT_SECRET, REFRESH_TOKEN).with_token_uri(&token_uri).unwrap();
    let token = user.token().await.unwrap().unwrap();
    account.token().await.unwrap();
    let installed = InstalledApp::new("c", CLIENT_SECRET, &[SCOPE]);
    let device = DeviceCode::new("c", CLIENT_SECRET, &[SCOPE]);
    let secret = discogen_runtime::auth::Secret::new(CLIENT_SECRET);
    let texts = [
        format!("{account:?}"),
        format!("{account:#?}"),
        format!("{user:?}"),
        format!("{user:#?}"),
        format!("{token:?}"),
        format!("{installed:?}"),
        format!("{device:?}"),
        format!("{secret:?}"),
    ];
    for text in &texts {
        assert_no_secret(text);
    }
    assert!(texts[0].contains(EMAIL), "useful, non-secret fields stay visible: {}", texts[0]);
}

/// The generated crate: Discovery scopes as constants, and the auth shorthands of its builder.
#[tokio::test]
async fn generated_client_scopes_and_api_key() {
    use google_aiplatform_v1::{scopes, LocationName};
    assert_eq!(scopes::DEFAULT, scopes::CLOUD_PLATFORM);
    assert_eq!(scopes::CLOUD_PLATFORM, SCOPE);
    assert_eq!(scopes::CLOUD_PLATFORM_READ_ONLY, "https://www.googleapis.com/auth/cloud-platform.read-only");

    let server = FakeServer::start(|request| {
        assert_eq!(request.path, "/v1/projects/p/locations/us-central1/notebookExecutionJobs/j");
        assert_eq!(request.header("x-goog-api-key"), Some("AIzaSy-test-key"));
        Response::json(200, json!({"displayName": "nightly"}))
    })
    .await;
    let client = google_aiplatform_v1::Client::builder()
        .endpoint(format!("{}/", server.url))
        .api_key("AIzaSy-test-key")
        .build()
        .unwrap();
    let name = LocationName::new("p", "us-central1").notebook_execution_job("j");
    let job = client.projects().locations().notebook_execution_jobs().get(name).send().await.unwrap();
    assert_eq!(job.display_name.as_deref(), Some("nightly"));
    // `.adc()` resolves lazily: building needs no credentials yet.
    assert!(google_aiplatform_v1::Client::builder().adc().build().is_ok());
}
