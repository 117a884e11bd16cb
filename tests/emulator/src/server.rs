//! HTTP plumbing: accept loop, request recording, faults, dispatch.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use percent_encoding::percent_decode_str;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::errors::Reply;
use crate::faults::{Fault, Faults};
use crate::record::{Received, RequestLog};
use crate::service::{Call, State};

/// State shared by the server tasks and the [`crate::Emulator`] handle.
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
}

/// Accepts connections until the task is aborted (which also aborts the
/// connection tasks, owned by the `JoinSet`).
pub(crate) async fn serve(listener: TcpListener, shared: Shared) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, shared.clone()));
                }
                // E.g. too many open files: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Shared) {
    let service = service_fn(move |request| {
        let shared = shared.clone();
        async move { respond(&shared, request).await }
    });
    // Errors (client went away, or a `Drop` fault) just end the connection.
    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
}

/// Returned to hyper to close the connection without a response.
#[derive(Debug)]
struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

async fn respond(shared: &Shared, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, DropConnection> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or_default().to_owned();
    let id = shared.log.is_recording().then(|| {
        shared.log.push(Received {
            method: parts.method.clone(),
            path: path.clone(),
            query: query.clone(),
            headers: Received::header_block(&parts.headers),
            body: body.to_vec(),
            status: None,
        })
    });

    let reply = match shared.faults.take() {
        Some(Fault::Drop) => return Err(DropConnection),
        Some(Fault::DropAfterHandling) => {
            let reply = dispatch(shared, parts.method.as_str(), &path, &query, &body);
            drop(reply);
            return Err(DropConnection);
        }
        Some(Fault::Status { status, retry_after }) => {
            let mut reply = Reply::error(status, format!("Injected fault: HTTP {status}."));
            if let Some(seconds) = retry_after {
                reply.headers.push((RETRY_AFTER.as_str(), seconds.to_string()));
            }
            reply
        }
        Some(Fault::Respond { status, body }) => Reply::raw(status, body),
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            dispatch(shared, parts.method.as_str(), &path, &query, &body)
        }
        None => dispatch(shared, parts.method.as_str(), &path, &query, &body),
    };
    if let Some(id) = id {
        shared.log.set_status(id, reply.status);
    }
    Ok(into_response(reply))
}

/// Parses the path and query and runs the emulated API.
fn dispatch(shared: &Shared, method: &str, path: &str, query: &str, body: &[u8]) -> Reply {
    let Some(rest) = path.strip_prefix("/v1/") else {
        return Reply::error(404, format!("The requested URL {path} was not found on this server."));
    };
    let segments =
        rest.split('/').map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned()).collect();
    let query = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let call = Call { method, segments, query, body };
    shared.state.lock().expect("emulator state").handle(&call)
}

fn into_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=UTF-8"));
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}
