//! A fault-injecting HTTP/1.1 server on raw TCP (hyper would refuse to write most of what it
//! sends): each connection reads one request head, asks the case named in the path for a
//! [`Reply`] and writes its steps byte for byte, then closes.
//!
//! Cases are told apart by a `case-<n>` segment in the request path, so thousands of calls can
//! run at once against one listener; every reply written is counted by kind.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long the server keeps a hanging or endless reply going at most, whatever the client
/// does (a client that never gives up is caught by the suite's own timeout long before).
const SERVER_PATIENCE: Duration = Duration::from_secs(30);

/// The request line as the server read it.
#[derive(Clone, Debug)]
pub struct Head {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: String,
}

impl Head {
    /// The value of query parameter `key`, undecoded.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query.split('&').find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
    }
}

/// What to write, in order.
#[derive(Clone, Debug)]
pub enum Step {
    Write(Vec<u8>),
    Pause(Duration),
    /// Writes `chunk` every `pause`, until the client goes away.
    Forever {
        chunk: Vec<u8>,
        pause: Duration,
    },
    /// Writes nothing more and keeps the connection open until the client goes away.
    Hang,
    /// Closes with a TCP reset instead of a clean close.
    Reset,
}

/// One hostile (or valid) response: its kind (for the counts), how it is written, and what
/// a call that meets it alone must end with.
#[derive(Clone, Debug)]
pub struct Reply {
    pub kind: &'static str,
    pub variant: &'static str,
    pub steps: Vec<Step>,
    pub expect: Expect,
}

/// The outcome a single-attempt call must have when this reply is all it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Ok,
    /// An error of any kind (the server's reply is not a valid answer).
    AnyError,
    /// Either (e.g. a body a lenient decoder may accept).
    Either,
    Transport,
    Timeout,
    TooLarge,
    Decode,
    Api(u16),
}

/// Answers the `n`-th request (from 0) of a case.
pub type Responder = Arc<dyn Fn(&Head, usize) -> Reply + Send + Sync>;

struct Case {
    responder: Responder,
    requests: usize,
}

#[derive(Default)]
struct State {
    cases: HashMap<u64, Case>,
    /// Replies written, by kind and variant.
    served: BTreeMap<(&'static str, &'static str), u64>,
    /// Requests for an unknown case (a bug of the suite).
    strays: u64,
}

#[derive(Clone)]
pub struct Server {
    base_url: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}/", listener.local_addr().expect("address"));
        let state = Arc::new(Mutex::new(State::default()));
        let accepting = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let state = accepting.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(SERVER_PATIENCE, serve(stream, state)).await;
                });
            }
        });
        Server { base_url, state }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Routes the requests of case `id` to `responder`.
    pub fn add_case(&self, id: u64, responder: Responder) {
        self.lock().cases.insert(id, Case { responder, requests: 0 });
    }

    /// Forgets case `id`; returns how many requests it got.
    pub fn remove_case(&self, id: u64) -> usize {
        self.lock().cases.remove(&id).map_or(0, |case| case.requests)
    }

    /// Replies written so far, by (kind, variant).
    pub fn served(&self) -> BTreeMap<(&'static str, &'static str), u64> {
        self.lock().served.clone()
    }

    pub fn served_total(&self) -> u64 {
        self.lock().served.values().sum()
    }

    pub fn strays(&self) -> u64 {
        self.lock().strays
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some(head) = read_request(&mut stream).await else { return };
    let reply = {
        let mut state = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let case = case_id(&head.path).and_then(|id| state.cases.get_mut(&id));
        let Some(case) = case else {
            state.strays += 1;
            return;
        };
        let reply = (case.responder)(&head, case.requests);
        case.requests += 1;
        *state.served.entry((reply.kind, reply.variant)).or_default() += 1;
        reply
    };
    write_reply(stream, reply.steps).await;
}

/// The `<n>` of the first `case-<n>` in `path`.
fn case_id(path: &str) -> Option<u64> {
    let rest = &path[path.find("case-")? + 5..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Reads the request head and discards its body (`Content-Length` only: the clients under
/// test never send chunked requests).
async fn read_request(stream: &mut TcpStream) -> Option<Head> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > 64 * 1024 {
            return None;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let text = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target) = (request_line.next()?.to_owned(), request_line.next()?);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let length: usize = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    let mut left = length.saturating_sub(buffer.len() - end);
    while left > 0 {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        left = left.saturating_sub(read);
    }
    Some(Head { method, path: path.to_owned(), query: query.to_owned() })
}

async fn write_reply(mut stream: TcpStream, steps: Vec<Step>) {
    for step in steps {
        match step {
            Step::Write(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Step::Pause(pause) => tokio::time::sleep(pause).await,
            Step::Forever { chunk, pause } => loop {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            },
            Step::Hang => {
                // Until the client closes: reads return 0 (or fail) then.
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                return;
            }
            Step::Reset => {
                #[allow(deprecated)] // blocking close is what a reset needs; nothing is left to send
                let _ = stream.set_linger(Some(Duration::ZERO));
                return;
            }
        }
    }
    let _ = stream.shutdown().await;
}
