//! The `google.longrunning.Operations` resource (`list`, `get`, `delete`, `cancel`, `wait`)
//! that Google APIs repeat under many collections (aiplatform has 42 of them). The builders
//! are written here once; a generated crate gets one typed handle per resource from
//! [`operations_resource!`](crate::operations_resource), which only says which name types,
//! list response, method ids and path prefix the resource has.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::lro::RawOperation;
use crate::paging::page_items;
use crate::paging::{paginate, ItemStream, Page, PageStream};
use crate::request::CheckedPath;
use crate::wkt::{Duration, Empty};
use crate::{Client, Method, Operation, Request, RequestOptions, Result};

/// `operations.list`: filter and page through the operations of a collection.
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct ListOperations<L> {
    client: Client,
    method_id: &'static str,
    path: CheckedPath,
    filter: Option<String>,
    page_size: Option<i32>,
    page_token: Option<String>,
    options: RequestOptions,
    response: PhantomData<fn() -> L>,
}

impl<L> Clone for ListOperations<L> {
    fn clone(&self) -> Self {
        ListOperations {
            client: self.client.clone(),
            method_id: self.method_id,
            path: self.path.clone(),
            filter: self.filter.clone(),
            page_size: self.page_size,
            page_token: self.page_token.clone(),
            options: self.options.clone(),
            response: PhantomData,
        }
    }
}

crate::call_options!(@generic [L] ListOperations<L>, options);

impl<L> ListOperations<L> {
    /// The call at `path` (already with the API's path prefix), named `method_id` in traces.
    pub fn new(client: Client, method_id: &'static str, path: impl Into<CheckedPath>) -> Self {
        ListOperations {
            client,
            method_id,
            path: path.into(),
            filter: None,
            page_size: None,
            page_token: None,
            options: RequestOptions::default(),
            response: PhantomData,
        }
    }

    /// The standard list filter.
    pub fn filter(mut self, value: impl Into<String>) -> Self {
        self.filter = Some(value.into());
        self
    }

    /// The standard list page size.
    pub fn page_size(mut self, value: i32) -> Self {
        self.page_size = Some(value);
        self
    }

    /// The standard list page token.
    pub fn page_token(mut self, value: impl Into<String>) -> Self {
        self.page_token = Some(value.into());
        self
    }

    fn request(&self) -> Request {
        self.path
            .clone()
            .request(Method::Get)
            .method_id(self.method_id)
            .query_opt("filter", self.filter.as_ref())
            .query_opt("pageSize", self.page_size.as_ref())
            .query_opt("pageToken", self.page_token.as_ref())
            .options(self.options.clone())
    }
}

impl<L: Page + DeserializeOwned + Send + 'static> ListOperations<L>
where
    L::Item: Send + 'static,
{
    /// Sends the request.
    pub async fn send(self) -> Result<L> {
        self.client.execute(self.request()).await
    }

    /// All pages, following `nextPageToken` from this call's page token on (added to a
    /// `fields` mask that leaves it out).
    pub fn pages(mut self) -> PageStream<'static, L> {
        self.options = self.options.with_field_selected(L::NEXT_PAGE_TOKEN);
        let first = self.page_token.clone();
        paginate(first, move |token| {
            let mut call = self.clone();
            call.page_token = token;
            call.send()
        })
    }

    /// All items of all pages, one by one.
    pub fn items(self) -> ItemStream<'static, L::Item> {
        page_items(self.pages())
    }
}

/// `operations.get`: the operation's latest state.
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct GetOperation {
    client: Client,
    method_id: &'static str,
    path: CheckedPath,
    poll_prefix: &'static str,
    options: RequestOptions,
}

crate::call_options!(@generic [] GetOperation, options);

impl GetOperation {
    /// The call at `path`; the returned operation polls under `poll_prefix` (e.g. `v1/`).
    pub fn new(
        client: Client,
        method_id: &'static str,
        path: impl Into<CheckedPath>,
        poll_prefix: &'static str,
    ) -> Self {
        GetOperation { client, method_id, path: path.into(), poll_prefix, options: RequestOptions::default() }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Operation<Value, Value>> {
        let request = self.path.request(Method::Get).method_id(self.method_id).options(self.options);
        let raw: RawOperation = self.client.execute(request).await?;
        Ok(Operation::new(self.client, raw).with_poll_path_prefix(self.poll_prefix))
    }
}

/// `operations.delete`: forget the operation's result.
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct DeleteOperation {
    client: Client,
    method_id: &'static str,
    path: CheckedPath,
    options: RequestOptions,
}

crate::call_options!(@generic [] DeleteOperation, options);

impl DeleteOperation {
    /// The call at `path`.
    pub fn new(client: Client, method_id: &'static str, path: impl Into<CheckedPath>) -> Self {
        DeleteOperation { client, method_id, path: path.into(), options: RequestOptions::default() }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Empty> {
        let request = self.path.request(Method::Delete).method_id(self.method_id).options(self.options);
        self.client.execute(request).await
    }
}

/// `operations.cancel`: ask the server to cancel the operation.
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct CancelOperation {
    client: Client,
    method_id: &'static str,
    path: CheckedPath,
    options: RequestOptions,
}

crate::call_options!(@generic [] CancelOperation, options);

impl CancelOperation {
    /// The call at `path` (ending in `:cancel`).
    pub fn new(client: Client, method_id: &'static str, path: impl Into<CheckedPath>) -> Self {
        CancelOperation { client, method_id, path: path.into(), options: RequestOptions::default() }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Empty> {
        let request = self.path.request(Method::Post).method_id(self.method_id).options(self.options);
        self.client.execute(request).await
    }
}

/// `operations.wait`: the server waits until the operation is done or the timeout passes.
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct WaitOperation {
    client: Client,
    method_id: &'static str,
    path: CheckedPath,
    poll_prefix: &'static str,
    timeout_param: Option<Duration>,
    options: RequestOptions,
}

crate::call_options!(@generic [] WaitOperation, options);

impl WaitOperation {
    /// The call at `path` (ending in `:wait`); the returned operation polls under `poll_prefix`.
    pub fn new(
        client: Client,
        method_id: &'static str,
        path: impl Into<CheckedPath>,
        poll_prefix: &'static str,
    ) -> Self {
        WaitOperation {
            client,
            method_id,
            path: path.into(),
            poll_prefix,
            timeout_param: None,
            options: RequestOptions::default(),
        }
    }

    /// The maximum duration to wait before timing out (the `timeout` query parameter). If
    /// left blank, the wait is at most the time the underlying HTTP/RPC protocol permits.
    pub fn timeout_param(mut self, value: Duration) -> Self {
        self.timeout_param = Some(value);
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Operation<Value, Value>> {
        let request = self
            .path
            .request(Method::Post)
            .method_id(self.method_id)
            .query_opt("timeout", self.timeout_param.as_ref())
            .options(self.options);
        let raw: RawOperation = self.client.execute(request).await?;
        Ok(Operation::new(self.client, raw).with_poll_path_prefix(self.poll_prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paging::{PageToken, TryStreamExt};
    use crate::transport::MockTransport;
    use serde_json::json;

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    struct ListResponse {
        operations: Vec<Value>,
        next_page_token: Option<String>,
    }

    impl PageToken for ListResponse {
        fn next_page_token(&self) -> Option<&str> {
            self.next_page_token.as_deref()
        }
    }

    impl Page for ListResponse {
        type Item = Value;
        fn into_items(self) -> Vec<Value> {
            self.operations
        }
    }

    fn client(mock: &MockTransport) -> Client {
        Client::builder("https://svc.example.com/").no_auth().transport(mock.clone()).build().unwrap()
    }

    #[tokio::test]
    async fn list_sends_the_standard_parameters_and_follows_page_tokens() {
        let mock = MockTransport::new();
        mock.push_json(200, json!({"operations": [{"name": "a"}], "nextPageToken": "t2"}));
        mock.push_json(200, json!({"operations": [{"name": "b"}]}));
        let list =
            ListOperations::<ListResponse>::new(client(&mock), "svc.jobs.operations.list", "v1/jobs/j/operations");
        let items: Vec<Value> = list.filter("done=true").page_size(1).items().try_collect().await.unwrap();
        assert_eq!(items, [json!({"name": "a"}), json!({"name": "b"})]);
        let requests = mock.requests();
        assert_eq!(requests[0].url.path(), "/v1/jobs/j/operations");
        assert_eq!(requests[0].query_value("filter").as_deref(), Some("done=true"));
        assert_eq!(requests[0].query_value("pageSize").as_deref(), Some("1"));
        assert_eq!(requests[0].query_value("pageToken"), None);
        assert_eq!(requests[1].query_value("pageToken").as_deref(), Some("t2"));
    }

    #[tokio::test]
    async fn a_fields_mask_without_the_page_token_still_reaches_the_last_page() {
        let mock = MockTransport::new();
        mock.push_json(200, json!({"operations": [{"name": "a"}], "nextPageToken": "t2"}));
        mock.push_json(200, json!({"operations": [{"name": "b"}]}));
        let list = ListOperations::<ListResponse>::new(client(&mock), "svc.list", "v1/jobs/j/operations");
        let items: Vec<Value> = list.fields("operations(name)").items().try_collect().await.unwrap();
        assert_eq!(items.len(), 2);
        for request in mock.requests() {
            assert_eq!(request.query_value("fields").as_deref(), Some("operations(name),nextPageToken"));
        }
    }

    #[tokio::test]
    async fn get_wait_cancel_and_delete_use_their_verbs_paths_and_prefix() {
        let mock = MockTransport::new();
        let running = json!({"name": "jobs/j/operations/o", "done": false});
        mock.push_json(200, running.clone())
            .push_json(200, running)
            .push_json(200, json!({}))
            .push_json(200, json!({}));
        let name = "v1/jobs/j/operations/o";
        let operation = GetOperation::new(client(&mock), "svc.get", name, "v1/").send().await.unwrap();
        assert_eq!(operation.name(), "jobs/j/operations/o");
        let timeout = Duration::new("2s");
        WaitOperation::new(client(&mock), "svc.wait", format!("{name}:wait"), "v1/")
            .timeout_param(timeout)
            .send()
            .await
            .unwrap();
        CancelOperation::new(client(&mock), "svc.cancel", format!("{name}:cancel")).send().await.unwrap();
        DeleteOperation::new(client(&mock), "svc.delete", name).send().await.unwrap();
        let seen: Vec<(Method, String)> = mock.requests().iter().map(|r| (r.method, r.url.path().to_owned())).collect();
        assert_eq!(
            seen,
            [
                (Method::Get, "/v1/jobs/j/operations/o".to_owned()),
                (Method::Post, "/v1/jobs/j/operations/o:wait".to_owned()),
                (Method::Post, "/v1/jobs/j/operations/o:cancel".to_owned()),
                (Method::Delete, "/v1/jobs/j/operations/o".to_owned()),
            ]
        );
        assert_eq!(mock.requests()[1].query_value("timeout").as_deref(), Some("2s"));
    }
}
