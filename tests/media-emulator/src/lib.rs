//! A local stand-in for Cloud Storage's media endpoints, for fault-injection tests and the
//! media benchmark: `uploadType=media` and resumable uploads (sessions, `Content-Range`
//! chunks, `308` + `Range`, status queries), `alt=media` downloads with `Range`, object
//! metadata and listing. Faults: drop a chunk's connection after N bytes of its body (what was
//! received is kept, as Google keeps it), answer a chunk with an HTTP status, cut a download
//! after N bytes. Bucket `discard` counts uploaded bytes without keeping them; objects
//! `size-N` of bucket `generated` are N bytes of a fixed pattern ([`generated_byte`]).

mod body;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_RANGE, CONTENT_TYPE, ETAG, LOCATION, RANGE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use percent_encoding::percent_decode_str;
use tokio::net::TcpListener;

use body::MediaBody;
pub use body::{generated_byte, pattern, PATTERN_LEN};

/// Returned to hyper to close a connection without (finishing) a response.
#[derive(Debug)]
pub struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

/// Faults for the next requests of each kind, in order.
#[derive(Debug, Default)]
pub struct Faults {
    /// Resumable chunk `PUT`s (with a body): drop the connection after this many body bytes.
    pub drop_chunk_after: VecDeque<u64>,
    /// Resumable chunk `PUT`s: answer with this status (a Google error body) and keep nothing;
    /// 0 lets that chunk through.
    pub fail_chunk: VecDeque<u16>,
    /// Downloads: cut the body after this many bytes.
    pub cut_download_after: VecDeque<u64>,
    /// The next ranged download finds the object rewritten (a new generation and ETag, same
    /// bytes), as if another writer had replaced it mid-download.
    pub rewrite_before_range: bool,
}

#[derive(Debug, Clone)]
struct Object {
    data: Bytes,
    size: u64,
    content_type: String,
    generation: u64,
}

#[derive(Debug)]
struct Session {
    bucket: String,
    name: String,
    content_type: String,
    received: Vec<u8>,
    count: u64,
    done: Option<serde_json::Value>,
}

#[derive(Debug, Default)]
struct Store {
    objects: BTreeMap<(String, String), Object>,
    sessions: HashMap<u64, Session>,
    next_id: u64,
    generation: u64,
}

/// What the emulator saw, for assertions.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Resumable sessions started.
    pub sessions: u64,
    /// Chunk `PUT`s with a body.
    pub chunks: u64,
    /// Status queries (`bytes */...` with no body).
    pub queries: u64,
    /// Download requests that carried a `Range` header.
    pub ranged_downloads: u64,
}

#[derive(Default)]
struct Shared {
    store: Mutex<Store>,
    faults: Mutex<Faults>,
    stats: Mutex<Stats>,
}

/// A running emulator; stopped when dropped.
pub struct MediaEmulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl MediaEmulator {
    /// Starts on a free port of 127.0.0.1.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_on(0).await
    }

    /// Starts on `port` of 127.0.0.1 (0 for any free port).
    pub async fn start_on(port: u16) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let serving = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let _ = stream.set_nodelay(true);
                let shared = serving.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let shared = shared.clone();
                        async move { respond(&shared, addr, request).await }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Ok(MediaEmulator { addr, shared, task })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn root(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The JSON API endpoint, `http://127.0.0.1:PORT/storage/v1/`.
    pub fn endpoint(&self) -> String {
        format!("http://{}/storage/v1/", self.addr)
    }

    /// Changes the fault queues.
    pub fn faults<R>(&self, change: impl FnOnce(&mut Faults) -> R) -> R {
        change(&mut self.shared.faults.lock().expect("faults"))
    }

    /// Counters so far.
    pub fn stats(&self) -> Stats {
        self.shared.stats.lock().expect("stats").clone()
    }

    /// The stored bytes of an object.
    pub fn object(&self, bucket: &str, name: &str) -> Option<Bytes> {
        let store = self.shared.store.lock().expect("store");
        store.objects.get(&(bucket.to_owned(), name.to_owned())).map(|o| o.data.clone())
    }

    /// Stores an object directly.
    pub fn put_object(&self, bucket: &str, name: &str, data: impl Into<Bytes>) {
        let data = data.into();
        let mut store = self.shared.store.lock().expect("store");
        store.generation += 1;
        let object = Object {
            size: data.len() as u64,
            data,
            content_type: "application/octet-stream".to_owned(),
            generation: store.generation,
        };
        store.objects.insert((bucket.to_owned(), name.to_owned()), object);
    }

    /// How many objects a bucket holds.
    pub fn object_count(&self, bucket: &str) -> usize {
        let store = self.shared.store.lock().expect("store");
        store.objects.keys().filter(|(b, _)| b == bucket).count()
    }
}

impl Drop for MediaEmulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Reply = Response<MediaBody>;

fn reply(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
    let body = body.into();
    let len = body.len() as u64;
    let mut response = Response::new(MediaBody::stored(body, 0, len, None));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}

fn json(status: u16, value: &serde_json::Value) -> Reply {
    reply(status, "application/json; charset=UTF-8", value.to_string())
}

fn error(status: u16, message: &str) -> Reply {
    let reason = match status {
        400 => "INVALID_ARGUMENT",
        404 => "NOT_FOUND",
        412 => "FAILED_PRECONDITION",
        503 => "UNAVAILABLE",
        _ => "UNKNOWN",
    };
    json(status, &serde_json::json!({"error": {"code": status, "message": message, "status": reason}}))
}

fn object_json(bucket: &str, name: &str, object: &Object) -> serde_json::Value {
    serde_json::json!({
        "kind": "storage#object",
        "bucket": bucket,
        "name": name,
        "size": object.size.to_string(),
        "contentType": object.content_type,
        "generation": object.generation.to_string(),
    })
}

async fn respond(shared: &Shared, addr: SocketAddr, request: Request<Incoming>) -> Result<Reply, DropConnection> {
    let path = request.uri().path().to_owned();
    let query: HashMap<String, String> =
        form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes()).into_owned().collect();
    let segments: Vec<String> =
        path.split('/').skip(1).map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned()).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = request.method().as_str().to_owned();
    match (method.as_str(), segments.as_slice()) {
        ("POST", ["upload", "storage", "v1", "b", bucket, "o"]) => {
            let bucket = (*bucket).to_owned();
            if let Some(refused) = precondition(shared, &bucket, &query) {
                return Ok(refused);
            }
            match query.get("uploadType").map(String::as_str) {
                Some("media") => simple_upload(shared, &bucket, &query, request).await,
                Some("resumable") => Ok(start_session(shared, addr, &bucket, &query, request).await),
                _ => Ok(error(400, "uploadType must be media or resumable here")),
            }
        }
        ("PUT", ["upload", "storage", "v1", "b", _, "o"]) => chunk(shared, &query, request).await,
        ("GET", ["storage", "v1", "b", bucket, "o"]) => Ok(list(shared, bucket, &query)),
        ("GET", ["storage", "v1", "b", bucket, "o", name]) => {
            if query.get("alt").map(String::as_str) == Some("media") {
                Ok(download(shared, bucket, name, request.headers().get(RANGE)))
            } else {
                let store = shared.store.lock().expect("store");
                Ok(match store.objects.get(&((*bucket).to_owned(), (*name).to_owned())) {
                    Some(object) => json(200, &object_json(bucket, name, object)),
                    None => error(404, &format!("No such object: {bucket}/{name}")),
                })
            }
        }
        _ => Ok(error(404, &format!("The requested URL {path} was not found on this server."))),
    }
}

async fn simple_upload(
    shared: &Shared,
    bucket: &str,
    query: &HashMap<String, String>,
    request: Request<Incoming>,
) -> Result<Reply, DropConnection> {
    let Some(name) = query.get("name").cloned() else { return Ok(error(400, "name is required")) };
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    // Frame by frame, so that bucket `discard` keeps nothing.
    let mut body = request.into_body();
    let mut data = Vec::new();
    let mut size = 0u64;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| DropConnection)?;
        if let Ok(bytes) = frame.into_data() {
            size += bytes.len() as u64;
            if bucket != "discard" {
                data.extend_from_slice(&bytes);
            }
        }
    }
    Ok(json(200, &finish_sized(shared, bucket, &name, &content_type, size, Bytes::from(data))))
}

/// Stores (or, in bucket `discard`, only counts) a finished object.
fn finish_sized(
    shared: &Shared,
    bucket: &str,
    name: &str,
    content_type: &str,
    size: u64,
    data: Bytes,
) -> serde_json::Value {
    let mut store = shared.store.lock().expect("store");
    store.generation += 1;
    let object = Object { data, size, content_type: content_type.to_owned(), generation: store.generation };
    let json = object_json(bucket, name, &object);
    if bucket != "discard" {
        store.objects.insert((bucket.to_owned(), name.to_owned()), object);
    }
    json
}

async fn start_session(
    shared: &Shared,
    addr: SocketAddr,
    bucket: &str,
    query: &HashMap<String, String>,
    request: Request<Incoming>,
) -> Reply {
    let content_type = request
        .headers()
        .get("x-upload-content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let metadata = request.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let from_metadata = serde_json::from_slice::<serde_json::Value>(&metadata)
        .ok()
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_owned));
    let Some(name) = query.get("name").cloned().or(from_metadata) else { return error(400, "name is required") };
    let mut store = shared.store.lock().expect("store");
    store.next_id += 1;
    let id = store.next_id;
    let session = Session { bucket: bucket.to_owned(), name, content_type, received: Vec::new(), count: 0, done: None };
    store.sessions.insert(id, session);
    shared.stats.lock().expect("stats").sessions += 1;
    let mut response = reply(200, "text/plain", "");
    let location = format!("http://{addr}/upload/storage/v1/b/{bucket}/o?uploadType=resumable&upload_id={id}");
    response.headers_mut().insert(LOCATION, HeaderValue::from_str(&location).expect("location"));
    response
}

/// `bytes S-E/T`, `bytes S-E/*`, `bytes */T`, `bytes */*` -> (start, total).
fn content_range(text: &str) -> Option<(Option<u64>, Option<u64>)> {
    let rest = text.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let total = if total == "*" { None } else { Some(total.parse().ok()?) };
    let start = if range == "*" { None } else { Some(range.split_once('-')?.0.parse().ok()?) };
    Some((start, total))
}

async fn chunk(
    shared: &Shared,
    query: &HashMap<String, String>,
    request: Request<Incoming>,
) -> Result<Reply, DropConnection> {
    let Some(id) = query.get("upload_id").and_then(|id| id.parse::<u64>().ok()) else {
        return Ok(error(400, "upload_id is required"));
    };
    let header = request.headers().get(CONTENT_RANGE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let Some((start, total)) = content_range(&header) else {
        return Ok(error(400, &format!("bad Content-Range {header:?}")));
    };
    {
        let store = shared.store.lock().expect("store");
        match store.sessions.get(&id) {
            None => return Ok(error(404, "no such upload session")),
            Some(session) => {
                if let Some(done) = &session.done {
                    return Ok(json(200, done));
                }
            }
        }
    }
    let mut body = request.into_body();
    if let Some(start) = start {
        let (drop_after, fail) = {
            let mut faults = shared.faults.lock().expect("faults");
            (faults.drop_chunk_after.pop_front(), faults.fail_chunk.pop_front())
        };
        shared.stats.lock().expect("stats").chunks += 1;
        if let Some(status) = fail.filter(|status| *status != 0) {
            // Read the body so the client sees the answer, not a reset.
            while body.frame().await.is_some() {}
            return Ok(error(status, &format!("Injected fault: HTTP {status}.")));
        }
        let mut position = start;
        let mut read = 0u64;
        loop {
            let frame = match body.frame().await {
                None => break,
                Some(Err(_)) => return Err(DropConnection),
                Some(Ok(frame)) => frame,
            };
            let Ok(mut data) = frame.into_data() else { continue };
            if let Some(limit) = drop_after {
                if read + data.len() as u64 >= limit {
                    data.truncate((limit - read) as usize);
                    append(shared, id, position, &data)?;
                    return Err(DropConnection);
                }
            }
            read += data.len() as u64;
            position = append(shared, id, position, &data)?;
        }
    } else {
        shared.stats.lock().expect("stats").queries += 1;
    }
    let store = shared.store.lock().expect("store");
    let Some(session) = store.sessions.get(&id) else { return Ok(error(404, "no such upload session")) };
    if total == Some(session.count) {
        let (bucket, name, content_type) = (session.bucket.clone(), session.name.clone(), session.content_type.clone());
        let data = Bytes::from(session.received.clone());
        let size = session.count;
        drop(store);
        let json_object = finish_sized(shared, &bucket, &name, &content_type, size, data);
        let mut store = shared.store.lock().expect("store");
        if let Some(session) = store.sessions.get_mut(&id) {
            session.done = Some(json_object.clone());
            session.received = Vec::new();
        }
        return Ok(json(200, &json_object));
    }
    let mut response = reply(308, "text/plain", "");
    if session.count > 0 {
        let range = format!("bytes=0-{}", session.count - 1);
        response.headers_mut().insert(RANGE, HeaderValue::from_str(&range).expect("range"));
    }
    Ok(response)
}

/// Appends the bytes at `position` that the session does not have yet; a gap is an error.
fn append(shared: &Shared, id: u64, position: u64, data: &[u8]) -> Result<u64, DropConnection> {
    let mut store = shared.store.lock().expect("store");
    let session = store.sessions.get_mut(&id).ok_or(DropConnection)?;
    let end = position + data.len() as u64;
    if position > session.count {
        return Err(DropConnection);
    }
    if end > session.count {
        let fresh = &data[(session.count - position) as usize..];
        if session.bucket != "discard" {
            session.received.extend_from_slice(fresh);
        }
        session.count = end;
    }
    Ok(end)
}

/// `ifGenerationMatch` of an upload: the object's current generation (0 when absent) must
/// equal it, else 412 as at Google.
fn precondition(shared: &Shared, bucket: &str, query: &HashMap<String, String>) -> Option<Reply> {
    let wanted: u64 = query.get("ifGenerationMatch")?.parse().ok()?;
    let name = query.get("name")?;
    let store = shared.store.lock().expect("store");
    let current = store.objects.get(&(bucket.to_owned(), name.clone())).map_or(0, |o| o.generation);
    (current != wanted).then(|| error(412, "At least one of the pre-conditions you specified did not hold."))
}

/// Objects in name order, `maxResults` per page, the page token being the next index.
fn list(shared: &Shared, bucket: &str, query: &HashMap<String, String>) -> Reply {
    let store = shared.store.lock().expect("store");
    let all: Vec<serde_json::Value> = store
        .objects
        .iter()
        .filter(|((b, _), _)| b == bucket)
        .map(|((b, n), object)| object_json(b, n, object))
        .collect();
    let start: usize = query.get("pageToken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let size: usize = query.get("maxResults").and_then(|m| m.parse().ok()).unwrap_or(1000).max(1);
    let end = (start + size).min(all.len());
    let mut page = serde_json::json!({"kind": "storage#objects", "items": all[start.min(end)..end]});
    if end < all.len() {
        page["nextPageToken"] = serde_json::Value::String(end.to_string());
    }
    json(200, &page)
}

fn download(shared: &Shared, bucket: &str, name: &str, range: Option<&HeaderValue>) -> Reply {
    let (size, stored, generation) = if bucket == "generated" {
        match name.strip_prefix("size-").and_then(|n| n.parse::<u64>().ok()) {
            Some(size) => (size, None, 1),
            None => return error(404, &format!("No such object: {bucket}/{name}")),
        }
    } else {
        let rewrite =
            range.is_some() && std::mem::take(&mut shared.faults.lock().expect("faults").rewrite_before_range);
        let mut store = shared.store.lock().expect("store");
        if rewrite {
            store.generation += 1;
        }
        let generation = store.generation;
        match store.objects.get_mut(&(bucket.to_owned(), name.to_owned())) {
            Some(object) => {
                if rewrite {
                    object.generation = generation;
                }
                (object.size, Some(object.data.clone()), object.generation)
            }
            None => return error(404, &format!("No such object: {bucket}/{name}")),
        }
    };
    let (start, end, partial) = match range.and_then(|v| v.to_str().ok()) {
        Some(text) => {
            shared.stats.lock().expect("stats").ranged_downloads += 1;
            let Some((from, to)) = text.trim().strip_prefix("bytes=").and_then(|r| r.split_once('-')) else {
                return error(400, "bad Range");
            };
            let start: u64 = from.parse().unwrap_or(0);
            let end = if to.is_empty() { size } else { to.parse::<u64>().map_or(size, |e| (e + 1).min(size)) };
            if start >= size.max(1) || start > end {
                return error(416, "Requested range not satisfiable");
            }
            (start, end, true)
        }
        None => (0, size, false),
    };
    let cut = shared.faults.lock().expect("faults").cut_download_after.pop_front();
    let body = match stored {
        Some(data) => MediaBody::stored(data, start, end, cut),
        None => MediaBody::generated(start, end, cut),
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    headers.insert(ETAG, HeaderValue::from_str(&format!("\"{generation}\"")).expect("etag"));
    if partial {
        let value = format!("bytes {start}-{}/{size}", end.saturating_sub(1));
        headers.insert(CONTENT_RANGE, HeaderValue::from_str(&value).expect("content-range"));
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    }
    response
}
