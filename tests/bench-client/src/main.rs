//! One side of `cargo xtask bench-client` (issue 28), in its own process: `calls` calls against
//! the emulator, `in_flight` at a time on a two-worker tokio runtime, by the generated
//! aiplatform client or by a bare `reqwest::Client` (the same reqwest, through the runtime's
//! re-export) decoding into `serde_json::Value`; `bare-same-wire` is that bare client sending
//! what the generated one sends (its three headers more and `prettyPrint=false`), which tells
//! the client's own cost from the cost of what it puts on the wire, at both ends. Prints one
//! JSON line about the timed part: wall time, latency percentiles, CPU time (getrusage) and
//! heap allocations (a counting allocator, the same on all sides).
//!
//! ```text
//! bench-client seed --url URL                      # the jobs the scenarios read
//! bench-client (generated|bare|bare-same-wire) (get|create|list) --url URL --calls N --in-flight K
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use discogen_runtime::transport::reqwest;
use google_aiplatform_v1 as aiplatform;
use google_aiplatform_v1::TryStreamExt;

/// Counts heap allocations (and reallocations); frees are not counted.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const PROJECT: &str = "bench";
/// Gets and listings read this location; creates write the other, so listings stay the same.
const READ_LOCATION: &str = "us-central1";
const WRITE_LOCATION: &str = "europe-west4";
/// The job every get reads.
const JOB: &str = "bench-0";
/// Jobs in the read location (a listing is this many items, 100 per page).
pub const LISTED: usize = 300;
const PAGE_SIZE: i32 = 100;

struct Args {
    side: String,
    scenario: String,
    url: String,
    calls: usize,
    in_flight: usize,
}

fn parse() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let side = args.next().ok_or("usage: bench-client (seed|generated|bare) [SCENARIO] --url URL ...")?;
    let scenario = if side == "seed" { String::new() } else { args.next().ok_or("a scenario: get, create or list")? };
    let (mut url, mut calls, mut in_flight) = (String::new(), 1000, 1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => url = value,
            "--calls" => calls = value.parse().map_err(|e| format!("--calls: {e}"))?,
            "--in-flight" => in_flight = value.parse().map_err(|e| format!("--in-flight: {e}"))?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if url.is_empty() {
        return Err("--url is needed".into());
    }
    Ok(Args { side, scenario, url, calls, in_flight })
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("bench-client: {message}");
            return ExitCode::from(2);
        }
    };
    // The same runtime shape on both sides: two workers, as many as the machine's cores.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    match runtime.block_on(run(args)) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("bench-client: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<String, String> {
    let generated = aiplatform::Client::builder().endpoint(&args.url).no_auth().build().map_err(|e| e.to_string())?;
    let jobs = generated.projects().locations().notebook_execution_jobs();
    if args.side == "seed" {
        let read = aiplatform::LocationName::new(PROJECT, READ_LOCATION);
        for i in 0..LISTED {
            let id = if i == 0 { JOB.to_owned() } else { format!("item-{i}") };
            let job = aiplatform::NotebookExecutionJob { display_name: Some(id.clone()), ..Default::default() };
            jobs.create(read.clone(), job).notebook_execution_job_id(id).send().await.map_err(|e| e.to_string())?;
        }
        return Ok(format!("{{\"seeded\":{LISTED}}}"));
    }
    let same_wire = args.side == "bare-same-wire";
    let bare = if same_wire { same_wire_client() } else { reqwest::Client::builder().build() };
    let bare = bare.map_err(|e| e.to_string())?;
    // What the generated client adds to every URL's query: `?` or `&` and it.
    let query = if same_wire { "prettyPrint=false" } else { "" };
    let base = args.url.trim_end_matches('/').to_owned();
    let (calls, in_flight) = (args.calls, args.in_flight);
    let outcome = match (args.side.as_str(), args.scenario.as_str()) {
        ("generated", "get") => {
            let name = aiplatform::LocationName::new(PROJECT, READ_LOCATION).notebook_execution_job(JOB);
            timed(calls, in_flight, move |_| {
                let (jobs, name) = (jobs.clone(), name.clone());
                async move { jobs.get(name).send().await.is_ok() }
            })
            .await
        }
        ("generated", "create") => {
            let parent = aiplatform::LocationName::new(PROJECT, WRITE_LOCATION);
            timed(calls, in_flight, move |i| {
                let (jobs, parent) = (jobs.clone(), parent.clone());
                let job =
                    aiplatform::NotebookExecutionJob { display_name: Some(format!("c{i}")), ..Default::default() };
                async move { jobs.create(parent, job).send().await.is_ok() }
            })
            .await
        }
        ("generated", "list") => {
            let parent = aiplatform::LocationName::new(PROJECT, READ_LOCATION);
            timed(calls, in_flight, move |_| {
                let (jobs, parent) = (jobs.clone(), parent.clone());
                async move {
                    // Each item read and counted, as the bare side counts each page's items.
                    let items = jobs.list(parent).page_size(PAGE_SIZE).items();
                    items.try_fold(0, |count, _| async move { Ok(count + 1) }).await.is_ok_and(|count| count == LISTED)
                }
            })
            .await
        }
        ("bare" | "bare-same-wire", "get") => {
            let url = format!("{base}/v1/projects/{PROJECT}/locations/{READ_LOCATION}/notebookExecutionJobs/{JOB}");
            let url = with_query(url, '?', query);
            timed(calls, in_flight, move |_| {
                let request = bare.get(&url);
                async move { json(request).await.is_some() }
            })
            .await
        }
        ("bare" | "bare-same-wire", "create") => {
            let url = format!("{base}/v1/projects/{PROJECT}/locations/{WRITE_LOCATION}/notebookExecutionJobs");
            let url = with_query(url, '?', query);
            timed(calls, in_flight, move |i| {
                let body =
                    serde_json::to_vec(&serde_json::json!({ "displayName": format!("c{i}") })).unwrap_or_default();
                let request = bare.post(&url).header("content-type", "application/json").body(body);
                async move { json(request).await.is_some() }
            })
            .await
        }
        ("bare" | "bare-same-wire", "list") => {
            let url = format!("{base}/v1/projects/{PROJECT}/locations/{READ_LOCATION}/notebookExecutionJobs");
            timed(calls, in_flight, move |_| {
                let (bare, url) = (bare.clone(), url.clone());
                async move { list_bare(&bare, &url, query).await == Some(LISTED) }
            })
            .await
        }
        (side, scenario) => return Err(format!("unknown side {side:?} or scenario {scenario:?}")),
    };
    if outcome.failed > 0 {
        return Err(format!("{} of {calls} calls failed", outcome.failed));
    }
    Ok(outcome.json(calls, in_flight))
}

/// Sends `request` and decodes a successful reply's JSON.
async fn json(request: reqwest::RequestBuilder) -> Option<serde_json::Value> {
    let response = request.send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    serde_json::from_slice(&response.bytes().await.ok()?).ok()
}

/// `url` with `query` after `separator`; `url` itself for no query.
fn with_query(url: String, separator: char, query: &str) -> String {
    if query.is_empty() {
        url
    } else {
        format!("{url}{separator}{query}")
    }
}

/// A bare client with the headers the generated client sends on every call, set once as the
/// generated client sets them (the query is added to each URL).
fn same_wire_client() -> reqwest::Result<reqwest::Client> {
    use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, USER_AGENT};
    let runtime = discogen_runtime::client::RUNTIME_USER_AGENT;
    let gdcl = runtime.rsplit('/').next().unwrap_or_default();
    let mut headers = HeaderMap::new();
    headers.insert(USER_AGENT, HeaderValue::from_static(runtime));
    if let Ok(value) = HeaderValue::from_str(&format!("google-aiplatform-v1/0.1.0 gdcl/{gdcl}")) {
        headers.insert("x-goog-api-client", value);
    }
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    reqwest::Client::builder().default_headers(headers).build()
}

/// Every page of the listing, as a hand-written loop would read it: the number of items.
async fn list_bare(client: &reqwest::Client, url: &str, query: &str) -> Option<usize> {
    let (mut count, mut token) = (0, String::new());
    loop {
        // The emulator's tokens are URL-safe, as Google's are.
        let page_url = match token.as_str() {
            "" => format!("{url}?pageSize={PAGE_SIZE}"),
            token => format!("{url}?pageSize={PAGE_SIZE}&pageToken={token}"),
        };
        let page_url = with_query(page_url, '&', query);
        let page = json(client.get(page_url)).await?;
        count += page.get("notebookExecutionJobs").and_then(|items| items.as_array()).map_or(0, Vec::len);
        match page.get("nextPageToken").and_then(|t| t.as_str()) {
            Some(next) if !next.is_empty() => token = next.to_owned(),
            _ => return Some(count),
        }
    }
}

struct Outcome {
    wall: Duration,
    latencies: Vec<Duration>,
    failed: usize,
    cpu: Usage,
    allocations: u64,
}

impl Outcome {
    fn json(&self, calls: usize, in_flight: usize) -> String {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let percentile = |p: f64| sorted.get(((sorted.len() as f64 - 1.0) * p) as usize).map_or(0.0, micros);
        serde_json::json!({
            "calls": calls,
            "in_flight": in_flight,
            "seconds": self.wall.as_secs_f64(),
            "calls_per_second": calls as f64 / self.wall.as_secs_f64(),
            "p50_us": percentile(0.50),
            "p99_us": percentile(0.99),
            "cpu_us_per_call": micros(&(self.cpu.user + self.cpu.system)) / calls as f64,
            "sys_us_per_call": micros(&self.cpu.system) / calls as f64,
            "switches_per_call": self.cpu.switches as f64 / calls as f64,
            "page_faults_per_call": self.cpu.page_faults as f64 / calls as f64,
            "allocations_per_call": self.allocations as f64 / calls as f64,
        })
        .to_string()
    }
}

fn micros(duration: &Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// `calls` calls of `call(index)`, `in_flight` at a time, after one untimed warm-up call per
/// slot (connections opened, lazy statics set).
async fn timed<F, Fut>(calls: usize, in_flight: usize, call: F) -> Outcome
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send + 'static,
{
    let call = Arc::new(call);
    let warm: Vec<_> = (0..in_flight).map(|i| tokio::spawn(call(i))).collect();
    for task in warm {
        let _ = task.await;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let (cpu_before, allocations_before, started) = (cpu_time(), ALLOCATIONS.load(Ordering::Relaxed), Instant::now());
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let (call, next) = (call.clone(), next.clone());
            tokio::spawn(async move {
                let (mut latencies, mut failed) = (Vec::new(), 0);
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= calls {
                        return (latencies, failed);
                    }
                    let begun = Instant::now();
                    failed += usize::from(!call(index).await);
                    latencies.push(begun.elapsed());
                }
            })
        })
        .collect();
    let (mut latencies, mut failed) = (Vec::with_capacity(calls), 0);
    for worker in workers {
        let (mine, failures) = worker.await.unwrap_or_default();
        latencies.extend(mine);
        failed += failures;
    }
    let wall = started.elapsed();
    let cpu = cpu_time().since(&cpu_before);
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - allocations_before;
    Outcome { wall, latencies, failed, cpu, allocations }
}

/// This process's CPU time so far, user and system apart (the kernel's share tells wake-ups and
/// syscalls from the client's own work), its context switches and its page faults (memory
/// the allocator takes from the kernel and gives back).
#[derive(Debug, Default, Clone, Copy)]
struct Usage {
    user: Duration,
    system: Duration,
    switches: u64,
    page_faults: u64,
}

impl Usage {
    fn since(&self, before: &Usage) -> Usage {
        Usage {
            user: self.user.saturating_sub(before.user),
            system: self.system.saturating_sub(before.system),
            switches: self.switches.saturating_sub(before.switches),
            page_faults: self.page_faults.saturating_sub(before.page_faults),
        }
    }
}

fn cpu_time() -> Usage {
    // SAFETY: getrusage fills the struct it is given; a zeroed rusage is a valid value.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Usage {
        user: time(usage.ru_utime),
        system: time(usage.ru_stime),
        switches: (usage.ru_nvcsw + usage.ru_nivcsw) as u64,
        page_faults: usage.ru_minflt as u64,
    }
}
