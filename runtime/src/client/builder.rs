//! [`ClientBuilder`]: every setting of a [`Client`], checked once in [`ClientBuilder::build`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};

use super::execute::json_headers;
use super::{Client, Inner, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, RUNTIME_USER_AGENT};
use crate::auth::{NoAuth, StaticToken, TokenProvider};
use crate::client::{Endpoint, RegionalEndpoints};
use crate::error::{Error, Result};
use crate::headers::{header_pair, with_static_text};
use crate::http_client::runtime_http;
use crate::options::{PollPolicy, RetryPolicy};
use crate::transport::{ReqwestTransport, Transport};

/// Configures and builds a [`Client`].
///
/// Endpoint precedence: [`endpoint`](Self::endpoint) or [`root_url`](Self::root_url)
/// (whichever was called last), then [`location`](Self::location) resolved through
/// [`regional_endpoints`](Self::regional_endpoints), then the default endpoint.
///
/// The two ways to name a server mean the same in every API: a **root URL** is the server
/// (`http://localhost:4443/`), to which the client adds the API's service path (`storage/v1/`
/// for Cloud Storage, nothing for Pub/Sub); an **endpoint** is the base URL that request
/// paths are relative to: the root URL with the service path already in it.
///
/// Credentials must be chosen explicitly ([`token_provider`](Self::token_provider),
/// [`bearer_token`](Self::bearer_token), [`no_auth`](Self::no_auth)), except
/// with the `adc` feature, where Application Default Credentials are the
/// default.
pub struct ClientBuilder {
    default_endpoint: String,
    endpoint: Option<BaseUrl>,
    service_path: String,
    regional: RegionalEndpoints,
    location: Option<String>,
    auth: Option<Arc<dyn TokenProvider>>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    poll: PollPolicy,
    user_agent: String,
    api_client: Option<String>,
    headers: Vec<(String, String)>,
    http: Option<HttpClient>,
    transport: Option<Arc<dyn Transport>>,
    pretty_print: bool,
    max_response_bytes: u64,
}

/// Where the user sends the requests: a full endpoint, or a server root that gets the API's
/// service path.
#[derive(Debug)]
enum BaseUrl {
    Endpoint(String),
    Root(String),
}

/// The HTTP client a user brought: built already, or to be built by the runtime.
enum HttpClient {
    Built(reqwest::Client),
    Builder(Box<reqwest::ClientBuilder>),
}

impl ClientBuilder {
    /// Same as [`Client::builder`].
    pub fn new(default_endpoint: impl Into<String>) -> Self {
        ClientBuilder {
            default_endpoint: default_endpoint.into(),
            endpoint: None,
            service_path: String::new(),
            regional: RegionalEndpoints::default(),
            location: None,
            auth: None,
            retry: RetryPolicy::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            poll: PollPolicy::default(),
            user_agent: RUNTIME_USER_AGENT.to_owned(),
            api_client: None,
            headers: Vec::new(),
            http: None,
            transport: None,
            pretty_print: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sends requests to `url`, the base URL request paths are relative to (regional
    /// endpoint, emulator, proxy), with the API's service path already in it:
    /// `http://localhost:4443/storage/v1/` for Cloud Storage. See [`root_url`](Self::root_url)
    /// for the server alone.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(BaseUrl::Endpoint(url.into()));
        self
    }

    /// Sends requests to the server at `url` (`http://localhost:4443/`), adding the API's
    /// service path: the same root works for every API, as in Google's other client
    /// libraries.
    ///
    /// ```
    /// use discogen_runtime::Client;
    ///
    /// let storage = Client::builder("https://storage.googleapis.com/storage/v1/")
    ///     .service_path("storage/v1/")
    ///     .root_url("http://localhost:4443")
    ///     .no_auth()
    ///     .build()?;
    /// assert_eq!(storage.endpoint().as_str(), "http://localhost:4443/storage/v1/");
    /// # Ok::<(), discogen_runtime::Error>(())
    /// ```
    pub fn root_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(BaseUrl::Root(url.into()));
        self
    }

    /// The API's service path (`storage/v1/`), which [`root_url`](Self::root_url) adds to the
    /// server's URL (set by generated crates).
    pub fn service_path(mut self, path: impl Into<String>) -> Self {
        self.service_path = path.into();
        self
    }

    /// How locations map to endpoints (set by generated crates).
    pub fn regional_endpoints(mut self, regional: RegionalEndpoints) -> Self {
        self.regional = regional;
        self
    }

    /// Uses the regional endpoint of `location` (e.g. `us-central1`).
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Uses `provider` for credentials.
    pub fn token_provider(self, provider: impl TokenProvider + 'static) -> Self {
        self.shared_token_provider(Arc::new(provider))
    }

    /// Uses a shared `provider` for credentials.
    pub fn shared_token_provider(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.auth = Some(provider);
        self
    }

    /// Sends `token` as `Authorization: Bearer` ([`StaticToken`]).
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// Sends no credentials ([`NoAuth`]), e.g. for emulators.
    pub fn no_auth(self) -> Self {
        self.token_provider(NoAuth)
    }

    /// Uses Application Default Credentials with the cloud-platform scope.
    #[cfg(feature = "adc")]
    pub fn adc(self) -> Self {
        self.token_provider(crate::auth::ApplicationDefaultCredentials::new())
    }

    /// The client-wide retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Per-attempt timeout, covering sending the request and reading the
    /// whole response (default: [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No per-attempt timeout (the retry policy's overall deadline still
    /// applies).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Timeout for establishing a connection (default: [`DEFAULT_CONNECT_TIMEOUT`]); applies
    /// to the client the runtime builds, not to one given to [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Default polling policy of long-running operations.
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.poll = policy;
        self
    }

    /// The `User-Agent` header (default: [`RUNTIME_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A header sent with every request (a call's own header of the same name replaces it).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Bills quota and usage to `project` instead of the credentials' project
    /// (`x-goog-user-project`; the caller needs `serviceusage.services.use` on it).
    pub fn quota_project(self, project: impl Into<String>) -> Self {
        self.default_header("x-goog-user-project", project)
    }

    /// Names the generated crate in the `x-goog-api-client` header, as
    /// `<name>/<version> gdcl/<runtime version>` (generated crates call this with their
    /// package name and version).
    pub fn api_client(mut self, name: &str, version: &str) -> Self {
        self.api_client = Some(format!("{name}/{version} gdcl/{}", env!("CARGO_PKG_VERSION")));
        self
    }

    /// Sends through this `reqwest::Client` (a connection pool shared with other code).
    ///
    /// It must not follow redirects: build it with
    /// `.redirect(reqwest::redirect::Policy::none())`, or prefer
    /// [`http_client_builder`](Self::http_client_builder), which does that for you. A client
    /// that follows a redirect on its own carries the call's API key and headers to
    /// wherever the server points (reqwest strips only `Authorization`); the runtime notices
    /// afterwards and fails the call with [`Error::Redirect`], but the other host has seen
    /// the request by then.
    ///
    /// The builder's user agent, headers, timeouts and credentials still apply per request;
    /// its connect timeout does not (set it on `http`). Use the re-exported
    /// [`reqwest`](crate::transport::reqwest) to get a matching version.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(HttpClient::Built(http));
        self
    }

    /// Builds the HTTP client from `builder` (proxies, a custom root certificate for an
    /// emulator, pool settings), with the runtime's redirect policy (none followed by API
    /// calls; see [`Error::Redirect`]) and connect timeout applied over it.
    ///
    /// ```
    /// use discogen_runtime::transport::reqwest;
    /// use discogen_runtime::Client;
    ///
    /// let client = Client::builder("https://storage.googleapis.com/")
    ///     .http_client_builder(reqwest::Client::builder().pool_max_idle_per_host(4))
    ///     .no_auth()
    ///     .build()
    ///     .unwrap();
    /// # let _ = client;
    /// ```
    pub fn http_client_builder(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(HttpClient::Builder(Box::new(builder)));
        self
    }

    /// Sends calls, media uploads and downloads included, through `transport` instead of
    /// reqwest (e.g. a [`MockTransport`](crate::transport::MockTransport) in tests). Retries,
    /// timeouts, headers, credentials and redirect checks are still applied by the runtime.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Asks for indented JSON responses (default `false`: every call sends
    /// `prettyPrint=false`, which makes responses smaller).
    pub fn pretty_print(mut self, pretty: bool) -> Self {
        self.pretty_print = pretty;
        self
    }

    /// The most bytes a JSON call's response body may have (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]): reading stops there with
    /// [`Error::ResponseTooLarge`], whatever `Content-Length` says. Media downloads stream and
    /// are not limited.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Builds the client.
    ///
    /// Fails on an invalid endpoint or location, invalid headers, or when no
    /// credentials were chosen (without the `adc` feature).
    pub fn build(self) -> Result<Client> {
        let endpoint = match (&self.endpoint, &self.location) {
            (Some(BaseUrl::Endpoint(url)), _) => Endpoint::new(url)?,
            (Some(BaseUrl::Root(url)), _) => {
                let root = Endpoint::new(url)?;
                Endpoint::new(&format!("{}{}", root.as_str(), self.service_path.trim_start_matches('/')))?
            }
            (None, Some(location)) => self.regional.resolve(location)?,
            (None, None) => Endpoint::new(&self.default_endpoint)?,
        };
        let auth = match self.auth {
            Some(auth) => auth,
            None => default_credentials()?,
        };
        let mut headers = HeaderMap::new();
        let user_agent = HeaderValue::try_from(&self.user_agent)
            .map_err(|_| Error::Config(format!("invalid user agent {:?}", self.user_agent)))?;
        headers.insert(USER_AGENT, user_agent);
        if let Some(api_client) = &self.api_client {
            let (name, value) = header_pair("x-goog-api-client", api_client).map_err(Error::Config)?;
            headers.insert(name, value);
        }
        for (name, value) in &self.headers {
            let (name, value) = header_pair(name, value).map_err(Error::Config)?;
            headers.append(name, value);
        }
        // What a JSON call without headers of its own sends (nothing here can be invalid).
        // Their text `'static` (`with_static_text`): every attempt clones one of them.
        let json_headers = [
            with_static_text(&json_headers(&headers, &[], &[], false)?),
            with_static_text(&json_headers(&headers, &[], &[], true)?),
        ];
        // A client the runtime builds follows no redirect; one of the user's may.
        let transport = match (self.transport, self.http) {
            (Some(transport), _) => transport,
            (None, Some(HttpClient::Built(http))) => Arc::new(ReqwestTransport::new(http)),
            (None, Some(HttpClient::Builder(builder))) => {
                Arc::new(ReqwestTransport::follows_no_redirects(build_http(*builder, self.connect_timeout)?))
            }
            (None, None) => Arc::new(ReqwestTransport::follows_no_redirects(build_http(
                reqwest::Client::builder(),
                self.connect_timeout,
            )?)),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                headers,
                json_headers,
                pretty_print: self.pretty_print,
                endpoint,
                auth,
                retry: self.retry,
                timeout: self.timeout,
                poll: self.poll,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ClientBuilder")
            .field("default_endpoint", &self.default_endpoint)
            .field("endpoint", &self.endpoint)
            .field("service_path", &self.service_path)
            .field("location", &self.location)
            .field("auth", &self.auth)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("api_client", &self.api_client)
            .field("headers", &header_names)
            .field("http_client", &self.http.is_some())
            .field("transport", &self.transport)
            .field("pretty_print", &self.pretty_print)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// Builds the API client's HTTP client from `builder`: [`runtime_http`], the connect timeout.
fn build_http(builder: reqwest::ClientBuilder, connect_timeout: Option<Duration>) -> Result<reqwest::Client> {
    let mut builder = runtime_http(builder);
    if let Some(timeout) = connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    builder.build().map_err(|e| Error::Config(format!("cannot build HTTP client: {e}")))
}

#[cfg(feature = "adc")]
fn default_credentials() -> Result<Arc<dyn TokenProvider>> {
    Ok(Arc::new(crate::auth::ApplicationDefaultCredentials::new()))
}

#[cfg(not(feature = "adc"))]
fn default_credentials() -> Result<Arc<dyn TokenProvider>> {
    Err(Error::Config(
        "no credentials: call bearer_token(), token_provider() or no_auth() on the builder \
         (or enable the `adc` feature for Application Default Credentials)"
            .to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLOBAL: &str = "https://aiplatform.googleapis.com/";

    #[test]
    fn a_root_url_gets_the_service_path_and_the_last_of_root_and_endpoint_wins() {
        let storage = || Client::builder("https://storage.googleapis.com/storage/v1/").service_path("storage/v1/");
        let build = |builder: ClientBuilder| builder.no_auth().build().unwrap().endpoint().as_str().to_owned();
        assert_eq!(build(storage().root_url("http://127.0.0.1:4443")), "http://127.0.0.1:4443/storage/v1/");
        assert_eq!(build(storage().root_url("http://h/prefix/")), "http://h/prefix/storage/v1/");
        assert_eq!(build(storage().root_url("http://h/").endpoint("http://e/x/")), "http://e/x/");
        assert_eq!(build(storage().endpoint("http://e/x/").root_url("http://h/")), "http://h/storage/v1/");
        // An API served from the root (Pub/Sub): the root is the endpoint.
        assert_eq!(build(Client::builder(GLOBAL).root_url("http://h:1")), "http://h:1/");
        let bad = storage().root_url("ftp://h/").no_auth().build().unwrap_err();
        assert!(bad.to_string().contains("ftp://h/"), "{bad}");
    }

    #[test]
    fn endpoint_precedence() {
        let regional = RegionalEndpoints::from_template("https://{location}-aiplatform.googleapis.com/");
        let build = |builder: ClientBuilder| builder.no_auth().build().unwrap();

        let global = build(Client::builder(GLOBAL));
        assert_eq!(global.endpoint().as_str(), GLOBAL);

        let by_location = build(Client::builder(GLOBAL).regional_endpoints(regional.clone()).location("europe-west4"));
        assert_eq!(by_location.endpoint().as_str(), "https://europe-west4-aiplatform.googleapis.com/");

        let explicit = build(
            Client::builder(GLOBAL)
                .regional_endpoints(regional)
                .location("europe-west4")
                .endpoint("http://127.0.0.1:9"),
        );
        assert_eq!(explicit.endpoint().as_str(), "http://127.0.0.1:9/");

        let moved = explicit.with_endpoint(Endpoint::new(GLOBAL).unwrap());
        assert_eq!(moved.endpoint().as_str(), GLOBAL);
        assert_eq!(explicit.endpoint().as_str(), "http://127.0.0.1:9/");
    }

    #[test]
    fn unknown_location_and_bad_header_fail_to_build() {
        let err = Client::builder(GLOBAL).location("us-central1").no_auth().build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        let err = Client::builder(GLOBAL).default_header("bad header", "x").no_auth().build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
    }

    #[cfg(not(feature = "adc"))]
    #[test]
    fn credentials_must_be_chosen() {
        let err = Client::builder(GLOBAL).build().unwrap_err();
        assert!(err.to_string().contains("no credentials"), "{err}");
    }

    #[test]
    fn debug_redacts_the_token() {
        let client = Client::builder(GLOBAL).bearer_token("ya29.secret").build().unwrap();
        let text = format!("{client:?}");
        assert!(text.contains("StaticToken(<redacted>)"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        let builder = Client::builder(GLOBAL).bearer_token("ya29.secret");
        assert!(!format!("{builder:?}").contains("secret"));
    }
}
