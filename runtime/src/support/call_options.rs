//! The per-call setters every generated request builder has, written once.
//!
//! A macro rather than a trait: the setters become inherent methods, so application code
//! calls `.fields(..)` or `.retry_policy(..)` on any builder without importing anything, and
//! each builder costs the generated crate one line.

/// Adds the per-call setters to a request builder that has a `call:
/// `[`Call`](crate::__support::Call) field: `retry_policy`, `timeout`, `header`, `fields` and
/// `quota_user`, which set `call.options`. Generated crates invoke it once per builder.
///
/// ```
/// use discogen_runtime::__support::Call;
/// use discogen_runtime::Client;
///
/// pub struct GetCall {
///     call: Call,
/// }
/// discogen_runtime::call_options!(GetCall);
///
/// let client = Client::builder("https://svc.example.com/").no_auth().build().unwrap();
/// let get = GetCall { call: Call::new(&client) };
/// let get = get.fields("name").quota_user("u-1").header("x-goog-request-reason", "audit");
/// assert_eq!(get.call.options.fields(), Some("name"));
/// assert_eq!(get.call.options.quota_user(), Some("u-1"));
/// assert_eq!(get.call.options.headers().len(), 1);
/// ```
///
/// A builder that keeps its [`RequestOptions`](crate::RequestOptions) elsewhere names the
/// field: `call_options!(@generic [T] Builder<T>, options)`.
#[doc(hidden)]
#[macro_export]
macro_rules! call_options {
    ($builder:ty) => {
        $crate::call_options!(@generic [] $builder, call.options);
    };
    (@generic [$($generic:ident),*] $builder:ty, $($options:ident).+) => {
        impl<$($generic),*> $builder {
            /// Overrides the client's retry policy for this call.
            pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
                self.$($options).+ = self.$($options).+.with_retry_policy(policy);
                self
            }

            /// Overrides the client's per-attempt timeout for this call.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.$($options).+ = self.$($options).+.with_timeout(timeout);
                self
            }

            /// Sends this header with this call (replacing a client-wide header of the same
            /// name); checked when the call is sent.
            pub fn header(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.$($options).+ = self.$($options).+.with_header(name, value);
                self
            }

            /// Asks for a partial response (the standard `fields` parameter), e.g.
            /// `"name,displayName"`; fields left out are `None` in the result.
            pub fn fields(mut self, fields: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.$($options).+ = self.$($options).+.with_fields(fields);
                self
            }

            /// Attributes this call's quota to `user` (the standard `quotaUser` parameter).
            pub fn quota_user(mut self, user: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.$($options).+ = self.$($options).+.with_quota_user(user);
                self
            }
        }
    };
}
