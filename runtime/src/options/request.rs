//! [`RequestOptions`]: what one call changes of the client's settings.

use std::fmt;
use std::time::Duration;

use super::RetryPolicy;

/// Per-call overrides of the client's settings, and what a call adds to the client's
/// headers and standard query parameters.
///
/// Generated call builders expose this so users can change the retry
/// policy, timeout or idempotency of one call, add headers, or ask for a
/// partial response.
///
/// ```
/// use std::time::Duration;
/// use discogen_runtime::{RequestOptions, RetryPolicy};
///
/// let options = RequestOptions::new()
///     .with_timeout(Duration::from_secs(5))
///     .with_retry_policy(RetryPolicy::none())
///     .with_header("x-goog-request-reason", "audit")
///     .with_fields("name,displayName")
///     .with_quota_user("user-42");
/// assert_eq!(options.timeout(), Some(Duration::from_secs(5)));
/// assert_eq!(options.fields(), Some("name,displayName"));
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct RequestOptions {
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    idempotent: Option<bool>,
    headers: Vec<(String, String)>,
    fields: Option<String>,
    quota_user: Option<String>,
}

impl RequestOptions {
    /// No overrides, as a constant: what a request without options of its own answers.
    pub(crate) const NONE: RequestOptions = RequestOptions {
        retry: None,
        timeout: None,
        idempotent: None,
        headers: Vec::new(),
        fields: None,
        quota_user: None,
    };

    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether these options override nothing (the usual call's).
    pub(crate) fn is_none(&self) -> bool {
        // Every field named: a new one must be counted here.
        let RequestOptions { retry, timeout, idempotent, headers, fields, quota_user } = self;
        retry.is_none()
            && timeout.is_none()
            && idempotent.is_none()
            && headers.is_empty()
            && fields.is_none()
            && quota_user.is_none()
    }

    /// Uses `policy` instead of the client's retry policy.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Uses `timeout` for each attempt instead of the client's.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the idempotency decided by the generated code (e.g. to
    /// allow retrying a `POST` that carries a request id).
    pub fn with_idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Adds a header to this call (after the client's; checked when the call is sent).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Asks for a partial response: the standard `fields` parameter, e.g.
    /// `"name,jobState"` or `"notebookExecutionJobs(name),nextPageToken"`.
    pub fn with_fields(mut self, fields: impl Into<String>) -> Self {
        self.fields = Some(fields.into());
        self
    }

    /// These options with `field` added to a partial-response mask that does not select it
    /// already (no mask selects everything). Page streams use it so that a `fields` mask
    /// without the next-page token cannot end a listing after its first page.
    ///
    /// ```
    /// use discogen_runtime::RequestOptions;
    ///
    /// let options = RequestOptions::new().with_fields("files(id,name)").with_field_selected("nextPageToken");
    /// assert_eq!(options.fields(), Some("files(id,name),nextPageToken"));
    /// let all = RequestOptions::new().with_field_selected("nextPageToken");
    /// assert_eq!(all.fields(), None);
    /// ```
    pub fn with_field_selected(mut self, field: &str) -> Self {
        if let Some(mask) = &mut self.fields {
            if !mask_selects(mask, field) {
                if !mask.trim().is_empty() {
                    mask.push(',');
                }
                mask.push_str(field);
            }
        }
        self
    }

    /// The standard `quotaUser` parameter: attributes quota to this (arbitrary, at most 40
    /// characters) user string.
    pub fn with_quota_user(mut self, quota_user: impl Into<String>) -> Self {
        self.quota_user = Some(quota_user.into());
        self
    }

    /// The retry policy override.
    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The per-attempt timeout override.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The idempotency override.
    pub fn idempotent(&self) -> Option<bool> {
        self.idempotent
    }

    /// The call's extra headers, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The `fields` parameter, if set.
    pub fn fields(&self) -> Option<&str> {
        self.fields.as_deref()
    }

    /// The `quotaUser` parameter, if set.
    pub fn quota_user(&self) -> Option<&str> {
        self.quota_user.as_deref()
    }

    /// `self`'s overrides, falling back to `other`'s where `self` has none;
    /// headers are `other`'s followed by `self`'s.
    pub fn or(self, other: RequestOptions) -> RequestOptions {
        let mut headers = other.headers;
        headers.extend(self.headers);
        RequestOptions {
            retry: self.retry.or(other.retry),
            timeout: self.timeout.or(other.timeout),
            idempotent: self.idempotent.or(other.idempotent),
            headers,
            fields: self.fields.or(other.fields),
            quota_user: self.quota_user.or(other.quota_user),
        }
    }
}

/// True when the partial-response `mask` (`a,b(c,d),e/f`) selects the top-level `field`
/// whole: a top-level selector `*`, `field` itself, or `field(*)`.
fn mask_selects(mask: &str, field: &str) -> bool {
    let mut depth = 0usize;
    let mut start = 0;
    let mut selectors = Vec::new();
    for (at, c) in mask.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                selectors.push(&mask[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    selectors.push(&mask[start..]);
    selectors.into_iter().map(str::trim).any(|selector| {
        selector == "*" || selector == field || selector.strip_prefix(field).is_some_and(|rest| rest == "(*)")
    })
}

impl fmt::Debug for RequestOptions {
    /// Header values are left out: a call may carry credentials of its own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("idempotent", &self.idempotent)
            .field("headers", &header_names)
            .field("fields", &self.fields)
            .field("quota_user", &self.quota_user)
            .finish()
    }
}
