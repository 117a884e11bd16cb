//! The builder every generated crate wraps around [`ClientBuilder`](crate::ClientBuilder),
//! written once.

/// Defines a generated crate's `ClientBuilder`: a wrapper of the runtime's builder with the
/// same setters (endpoint, location, credentials, retry and poll policies, timeouts, headers,
/// transport) whose `build()` returns the crate's `Client` (a struct with an `inner:
/// discogen_runtime::Client` field, defined in the same module). `adc()` asks for
/// `default_scope` and exists when the invoking crate has an `adc` feature enabled.
///
/// ```
/// #[derive(Clone, Debug)]
/// pub struct Client {
///     inner: discogen_runtime::Client,
/// }
/// discogen_runtime::client_builder!(ClientBuilder builds Client, default scope "https://www.googleapis.com/auth/cloud-platform");
///
/// let builder = ClientBuilder { inner: discogen_runtime::Client::builder("https://svc.example.com/") };
/// let client: Client = builder.no_auth().timeout(std::time::Duration::from_secs(5)).build().unwrap();
/// # let _ = client.inner;
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! client_builder {
    ($builder:ident builds $client:ident, default scope $scope:expr) => {
        /// Configures a `Client`: endpoint, credentials, policies and transport; then `build()`.
        #[derive(Debug)]
        #[must_use = "call .build() to get a Client"]
        pub struct $builder {
            inner: $crate::ClientBuilder,
        }

        impl $builder {
            /// Sends requests to this base URL instead of the global endpoint (emulators, tests,
            /// private endpoints): the URL request paths are relative to, with the API's service
            /// path ([`SERVICE_PATH`](crate::SERVICE_PATH)) in it. [`root_url`](Self::root_url)
            /// takes the server alone.
            pub fn endpoint(self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                $builder { inner: self.inner.endpoint(url) }
            }

            /// Sends requests to the server at this URL (`http://localhost:8085/`), adding the
            /// API's service path ([`SERVICE_PATH`](crate::SERVICE_PATH)): the same root works
            /// for every API.
            pub fn root_url(self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                $builder { inner: self.inner.root_url(url) }
            }

            /// Sends requests to the regional endpoint of `location` (e.g. `us-central1`).
            pub fn location(self, location: impl ::std::convert::Into<::std::string::String>) -> Self {
                $builder { inner: self.inner.location(location) }
            }

            /// Authenticates with a fixed bearer token.
            pub fn bearer_token(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                $builder { inner: self.inner.bearer_token(token) }
            }

            /// Sends no credentials (emulators).
            pub fn no_auth(self) -> Self {
                $builder { inner: self.inner.no_auth() }
            }

            /// Authenticates with tokens from `provider`.
            pub fn token_provider(self, provider: impl $crate::auth::TokenProvider + 'static) -> Self {
                $builder { inner: self.inner.token_provider(provider) }
            }

            /// Sends an API key (`X-Goog-Api-Key`) instead of OAuth2 tokens, for the methods
            /// that accept one.
            pub fn api_key(self, key: impl ::std::convert::Into<$crate::auth::Secret>) -> Self {
                $builder { inner: self.inner.token_provider($crate::auth::ApiKey::new(key)) }
            }

            /// Authenticates with Application Default Credentials for the default scope.
            #[cfg(feature = "adc")]
            pub fn adc(self) -> Self {
                let credentials = $crate::auth::credentials::ApplicationDefaultCredentials::with_scopes([$scope]);
                $builder { inner: self.inner.token_provider(credentials) }
            }

            /// Retries transient failures of idempotent calls with this policy.
            pub fn retry_policy(self, policy: $crate::RetryPolicy) -> Self {
                $builder { inner: self.inner.retry_policy(policy) }
            }

            /// How long-running operations are polled.
            pub fn poll_policy(self, policy: $crate::PollPolicy) -> Self {
                $builder { inner: self.inner.poll_policy(policy) }
            }

            /// Per-attempt timeout.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                $builder { inner: self.inner.timeout(timeout) }
            }

            /// Connection timeout.
            pub fn connect_timeout(self, timeout: ::std::time::Duration) -> Self {
                $builder { inner: self.inner.connect_timeout(timeout) }
            }

            /// The `User-Agent` header.
            pub fn user_agent(self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
                $builder { inner: self.inner.user_agent(user_agent) }
            }

            /// Sends this header with every call (a call's `.header(..)` of the same name
            /// replaces it).
            pub fn header(
                self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                $builder { inner: self.inner.default_header(name, value) }
            }

            /// Bills quota and usage to `project` (`x-goog-user-project`).
            pub fn quota_project(self, project: impl ::std::convert::Into<::std::string::String>) -> Self {
                $builder { inner: self.inner.quota_project(project) }
            }

            /// Sends through your own `reqwest::Client` (a shared pool); it must not follow
            /// redirects (`.redirect(reqwest::redirect::Policy::none())`), or the call's API
            /// key and headers go wherever a server points: prefer `http_client_builder`.
            /// The crate's `transport::reqwest` is the matching version.
            pub fn http_client(self, http: $crate::transport::reqwest::Client) -> Self {
                $builder { inner: self.inner.http_client(http) }
            }

            /// Builds the HTTP client from your `reqwest::ClientBuilder` (proxies, custom root
            /// certificates, pool settings) with the runtime's redirect policy (API calls
            /// follow none) and connect timeout applied over it.
            pub fn http_client_builder(self, builder: $crate::transport::reqwest::ClientBuilder) -> Self {
                $builder { inner: self.inner.http_client_builder(builder) }
            }

            /// Sends through `transport`, e.g. a `transport::MockTransport` in tests.
            pub fn transport(self, transport: impl $crate::transport::Transport + 'static) -> Self {
                $builder { inner: self.inner.transport(transport) }
            }

            /// The most bytes a JSON response body may have (default 256 MiB); a longer one
            /// fails with `Error::ResponseTooLarge`. Media downloads are not limited.
            pub fn max_response_bytes(self, limit: u64) -> Self {
                $builder { inner: self.inner.max_response_bytes(limit) }
            }

            /// Asks for indented JSON (by default every call sends `prettyPrint=false`).
            pub fn pretty_print(self, pretty: bool) -> Self {
                $builder { inner: self.inner.pretty_print(pretty) }
            }

            /// Builds the client.
            pub fn build(self) -> $crate::Result<$client> {
                ::std::result::Result::Ok($client { inner: self.inner.build()? })
            }
        }
    };
}
