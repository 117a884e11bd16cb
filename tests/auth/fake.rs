//! Local fake Google endpoints for `auth_e2e.rs`: a tiny HTTP/1.1 server on
//! 127.0.0.1 whose answers come from a closure, recording every request, plus
//! a minimal client that plays the browser (follows one redirect).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the fake server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: HashMap<String, String>,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Request {
    /// The URL-encoded form body.
    pub fn form(&self) -> HashMap<String, String> {
        url::form_urlencoded::parse(self.body.as_bytes()).into_owned().collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Duration,
}

impl Response {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn token(access_token: &str, expires_in: u64) -> Self {
        Self::json(
            200,
            serde_json::json!({"access_token": access_token, "expires_in": expires_in, "token_type": "Bearer"}),
        )
    }

    pub fn oauth_error(status: u16, error: &str, description: &str) -> Self {
        Self::json(status, serde_json::json!({"error": error, "error_description": description}))
    }

    pub fn redirect(location: &str) -> Self {
        Response {
            status: 302,
            headers: vec![("location".into(), location.into())],
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    /// A redirect with any status (301, 302, 303, 307, 308).
    #[allow(dead_code)] // redirects_e2e.rs; auth_e2e.rs includes this file too
    pub fn redirect_with(status: u16, location: &str) -> Self {
        Response { status, ..Self::redirect(location) }
    }

    /// Any status, headers and body.
    #[allow(dead_code)] // redirects_e2e.rs
    pub fn raw(status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        Response {
            status,
            headers: headers.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect(),
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    pub fn not_found() -> Self {
        Self::json(404, serde_json::json!({"error": {"code": 404, "message": "no such fake route"}}))
    }

    /// Answers only after `delay` (to let concurrent callers pile up).
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

pub struct FakeServer {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl FakeServer {
    pub async fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, recorded) = (handler.clone(), recorded.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &*handler, &recorded).await;
                });
            }
        });
        FakeServer { url, requests }
    }

    /// The recorded requests to `path`.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        self.requests.lock().unwrap().iter().filter(|r| r.path == path).cloned().collect()
    }

    pub fn count(&self, path: &str) -> usize {
        self.requests(path).len()
    }

    /// Every request, for secret scans.
    pub fn all(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, handler: &Handler, recorded: &Mutex<Vec<Request>>) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else { return Ok(()) };
    recorded.lock().unwrap().push(request.clone());
    let response = handler(&request);
    if !response.delay.is_zero() {
        tokio::time::sleep(response.delay).await;
    }
    let mut head = format!(
        "HTTP/1.1 {} Fake\r\ncontent-length: {}\r\nconnection: close\r\n",
        response.status,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(response.body.as_bytes()).await?;
    stream.shutdown().await
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut data = Vec::new();
    let mut buffer = [0; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Ok(None);
        }
        data.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split_whitespace();
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buffer[..n]);
    }
    let url = url::Url::parse(&format!("http://fake{target}")).expect("request target");
    Ok(Some(Request {
        method,
        path: url.path().to_owned(),
        query: url.query_pairs().into_owned().collect(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }))
}

/// What the browser saw: status and `Location`.
pub struct Visit {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// One GET over plain HTTP, as a browser would send it.
pub async fn get(url: &str) -> Visit {
    let url = url::Url::parse(url).expect("URL");
    let address = format!("{}:{}", url.host_str().unwrap(), url.port_or_known_default().unwrap());
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let request = format!("GET {target} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n", url.host_str().unwrap());
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let location = head
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("location"))
        .map(|(_, value)| value.trim().to_owned());
    Visit { status, location, body: body.to_owned() }
}

/// The browser: opens the authorization page and follows its redirect to the loopback URL.
pub async fn play_browser(authorization_url: &str) -> Visit {
    let page = get(authorization_url).await;
    assert_eq!(page.status, 302, "the authorization page redirects: {}", page.body);
    get(page.location.as_deref().expect("Location")).await
}
