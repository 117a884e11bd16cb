//! What every generated request builder holds: the client it sends through and this call's
//! options, as one field.

use serde::de::DeserializeOwned;

use crate::model::IntoName;
use crate::{Client, Request, RequestOptions, Result};

/// A request builder's client and the per-call options its
/// [`call_options!`](crate::call_options) setters collect (retry policy, timeout, headers,
/// `fields`, `quotaUser`). Builders hold one `Call` rather than the two, and `send` hands its
/// request to [`Call::execute`], which applies the options: generated code writes neither.
///
/// ```
/// use discogen_runtime::__support::Call;
/// use discogen_runtime::{Client, Method, Request};
///
/// let client = Client::builder("https://svc.example.com/").no_auth().build().unwrap();
/// let mut call = Call::new(&client);
/// call.options = call.options.with_fields("name");
/// let request = call.request(Request::new(Method::Get, "v1/things"));
/// assert_eq!(request.request_options().fields(), Some("name"));
/// ```
#[derive(Clone, Debug)]
pub struct Call {
    /// The client the call goes through.
    pub client: Client,
    /// This call's overrides, applied to its request when it is sent.
    pub options: RequestOptions,
    /// Why the call must not be sent (an argument that is not what its parameter takes).
    refused: Option<String>,
}

impl Call {
    /// A call through `client` with no overrides.
    pub fn new(client: &Client) -> Call {
        Call { client: client.clone(), options: RequestOptions::default(), refused: None }
    }

    /// The text of the resource name given for path parameter `parameter`. Text that is not a
    /// name of type `N` refuses the call: sending it fails, naming the parameter, before
    /// anything is sent.
    pub fn name_arg<N>(&mut self, parameter: &str, name: impl IntoName<N>) -> String {
        let (text, refused) = super::name_text(parameter, name);
        if self.refused.is_none() {
            self.refused = refused;
        }
        text
    }

    /// `request` with this call's options (and its refusal, if an argument was refused).
    pub fn request(&self, request: Request) -> Request {
        // Options replace the request's; none (the usual call) are not copied to say so.
        let options = if self.options.is_none() { RequestOptions::NONE } else { self.options.clone() };
        let request = request.options(options);
        match &self.refused {
            Some(why) => request.refuse(why.clone()),
            None => request,
        }
    }

    /// Sends `request` with this call's options and decodes the JSON response as `T`
    /// ([`Client::execute`]).
    pub async fn execute<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.client.execute(self.request(request)).await
    }

    /// Sends `request` with this call's options and ignores the response body
    /// ([`Client::execute_empty`]).
    pub async fn execute_empty(&self, request: Request) -> Result<()> {
        self.client.execute_empty(self.request(request)).await
    }
}
