//! The macro that gives a generated crate one typed handle per standard `operations` resource,
//! on the builders of [`crate::lro`].

/// Implements the methods of a standard operations resource on a generated handle (a struct
/// with a `client: discogen_runtime::Client` field): `list(parent)` (paged), `get(name)`,
/// `delete(name)`, `cancel(name)` and `wait(name)`, and defines the builder types `List`,
/// `Get`, `Delete`, `Cancel` and `Wait` as aliases of the runtime's builders. Arguments: the
/// handle, the crate's name types of the parent and of an operation, the crate's list
/// response, the method ids' common prefix and the API's path prefix.
///
/// ```
/// # use discogen_runtime::paging::{Page, PageToken};
/// # #[derive(Clone, Debug, Default, serde::Deserialize)]
/// # pub struct ListOperationsResponse { operations: Vec<serde_json::Value>, next_page_token: Option<String> }
/// # impl PageToken for ListOperationsResponse {
/// #     fn next_page_token(&self) -> Option<&str> { self.next_page_token.as_deref() }
/// # }
/// # impl Page for ListOperationsResponse {
/// #     type Item = serde_json::Value;
/// #     fn into_items(self) -> Vec<serde_json::Value> { self.operations }
/// # }
/// /// Operations of the `projects.locations.jobs` collection.
/// #[derive(Clone, Debug)]
/// pub struct JobsOperations {
///     client: discogen_runtime::Client,
/// }
/// #[derive(Clone, Debug)]
/// pub struct JobName { project: String, location: String, job: String }
/// discogen_runtime::resource_name!(JobName = "projects/*/locations/*/jobs/*" { project, location, job });
/// #[derive(Clone, Debug)]
/// pub struct JobOperationName { project: String, location: String, job: String, operation: String }
/// discogen_runtime::resource_name!(
///     JobOperationName = "projects/*/locations/*/jobs/*/operations/*" { project, location, job, operation }
/// );
/// discogen_runtime::operations_resource!(
///     JobsOperations, JobName, JobOperationName, ListOperationsResponse, "svc.projects.locations.jobs.operations", "v1/"
/// );
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() {
///     let mock = discogen_runtime::transport::MockTransport::new();
///     let client = discogen_runtime::Client::builder("https://svc.example.com/")
///         .no_auth()
///         .transport(mock.clone())
///         .build()
///         .unwrap();
///     let jobs = JobsOperations { client };
///     // A typed name, or its text (checked when the call is sent).
///     let _list: List = jobs.list(JobName::new("p", "l", "j")).page_size(10);
///     let _wait: Wait = jobs.wait("projects/p/locations/l/jobs/j/operations/o");
///     // Names are expanded as the `{+name}` they stand for: a `%` that starts no triplet is
///     // encoded, as in every other path.
///     mock.push(discogen_runtime::transport::HttpResponse::new(200, "{}"));
///     jobs.delete("projects/p/locations/l/jobs/100% é/operations/o").send().await.unwrap();
///     assert_eq!(mock.requests()[0].url.path(), "/v1/projects/p/locations/l/jobs/100%25%20%C3%A9/operations/o");
/// }
/// ```
// `crate::` names the generated crate that invokes the macro, on purpose.
#[allow(clippy::crate_in_macro_def)]
#[doc(hidden)]
#[macro_export]
macro_rules! operations_resource {
    ($handle:ident, $parent:ident, $name:ident, $list:ident, $ids:literal, $prefix:literal $(,)?) => {
        /// The `list` call: configure it, then `send()` it (or stream its `pages()` or `items()`).
        pub type List = $crate::lro::ListOperations<crate::$list>;
        /// The `get` call: configure it, then `send()` it.
        pub type Get = $crate::lro::GetOperation;
        /// The `delete` call: configure it, then `send()` it.
        pub type Delete = $crate::lro::DeleteOperation;
        /// The `cancel` call: configure it, then `send()` it.
        pub type Cancel = $crate::lro::CancelOperation;
        /// The `wait` call: configure it, then `send()` it.
        pub type Wait = $crate::lro::WaitOperation;

        impl $handle {
            /// Lists the operations under `name` that match the filter (`GET .../operations`).
            pub fn list(&self, name: impl $crate::model::IntoName<crate::$parent>) -> List {
                $crate::lro::ListOperations::new(self.client.clone(), concat!($ids, ".list"), {
                    let (name, refused) = $crate::__support::name_text("name", name);
                    $crate::request::CheckedPath::new(
                        $crate::__support::expand_path(concat!($prefix, "{+name}/operations"), &[&name]),
                        refused,
                    )
                })
            }

            /// Gets the latest state of a long-running operation, as an operation handle that
            /// can be polled or waited for.
            pub fn get(&self, name: impl $crate::model::IntoName<crate::$name>) -> Get {
                $crate::lro::GetOperation::new(
                    self.client.clone(),
                    concat!($ids, ".get"),
                    {
                        let (name, refused) = $crate::__support::name_text("name", name);
                        $crate::request::CheckedPath::new(
                            $crate::__support::expand_path(concat!($prefix, "{+name}"), &[&name]),
                            refused,
                        )
                    },
                    $prefix,
                )
            }

            /// Deletes a long-running operation: the client is no longer interested in its
            /// result (it is not cancelled).
            pub fn delete(&self, name: impl $crate::model::IntoName<crate::$name>) -> Delete {
                $crate::lro::DeleteOperation::new(self.client.clone(), concat!($ids, ".delete"), {
                    let (name, refused) = $crate::__support::name_text("name", name);
                    $crate::request::CheckedPath::new(
                        $crate::__support::expand_path(concat!($prefix, "{+name}"), &[&name]),
                        refused,
                    )
                })
            }

            /// Starts the asynchronous cancellation of a long-running operation (best effort).
            pub fn cancel(&self, name: impl $crate::model::IntoName<crate::$name>) -> Cancel {
                $crate::lro::CancelOperation::new(self.client.clone(), concat!($ids, ".cancel"), {
                    let (name, refused) = $crate::__support::name_text("name", name);
                    $crate::request::CheckedPath::new(
                        $crate::__support::expand_path(concat!($prefix, "{+name}:cancel"), &[&name]),
                        refused,
                    )
                })
            }

            /// Waits on the server until the operation is done or a timeout passes, returning
            /// its latest state (which may still be running).
            pub fn wait(&self, name: impl $crate::model::IntoName<crate::$name>) -> Wait {
                $crate::lro::WaitOperation::new(
                    self.client.clone(),
                    concat!($ids, ".wait"),
                    {
                        let (name, refused) = $crate::__support::name_text("name", name);
                        $crate::request::CheckedPath::new(
                            $crate::__support::expand_path(concat!($prefix, "{+name}:wait"), &[&name]),
                            refused,
                        )
                    },
                    $prefix,
                )
            }
        }
    };
}
