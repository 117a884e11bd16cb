//! Load and fault scenarios of the generated clients against the project's emulator, each
//! ending with a data check against the server's own final listing:
//!
//! * **lost**: the client reported success, the server has no such item;
//! * **duplicated**: the server has an item more than once (by the tag the client gave it);
//! * **ghost**: the client reported failure, the server has the item (the reply was lost
//!   after the work was done).
//!
//! `cargo xtask load` runs the full sizes in release mode (`src/main.rs`); `tests/faults_e2e.rs`
//! runs [`fault_mix`] with a few hundred calls in `cargo test`.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use discogen_runtime::{Method, PollPolicy, Request, RetryPolicy};
use google_aiplatform_v1 as aiplatform;
use google_aiplatform_v1::TryStreamExt;
use google_computelro_v1 as computelro;
use notebook_emulator::{Emulator, EmulatorConfig, Fault, FaultPlan};

pub const PROJECT: &str = "load-project";
pub const LOCATION: &str = "us-central1";
pub const ZONE: &str = "us-central1-a";

/// How the clients are set up: calls in flight, per-attempt timeout, retries.
#[derive(Debug, Clone)]
pub struct Settings {
    pub in_flight: usize,
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

impl Default for Settings {
    /// 200 in flight, 500 ms per attempt, 6 attempts with 10-200 ms backoff.
    fn default() -> Self {
        Settings {
            in_flight: 200,
            timeout: Duration::from_millis(500),
            retry: RetryPolicy::default()
                .with_max_attempts(6)
                .with_initial_backoff(Duration::from_millis(10))
                .with_max_backoff(Duration::from_millis(200))
                .with_total_timeout(Some(Duration::from_secs(30))),
        }
    }
}

/// The fault mix of the measurement, per request on every route: 10 % 503/429 (a
/// third of them with `Retry-After: 1`), 2 % dropped connections (half of them *after* the
/// request was handled) and 0.5 % delays past the client's timeout.
pub fn default_mix(seed: u64, timeout: Duration) -> FaultPlan {
    let status = |status, retry_after| Fault::Status { status, retry_after };
    FaultPlan::new(seed)
        .with(0.045, status(503, None))
        .with(0.02, status(503, Some(1)))
        .with(0.022, status(429, None))
        .with(0.013, status(429, Some(1)))
        .with(0.01, Fault::Drop)
        .with(0.01, Fault::DropAfterHandling)
        .with(0.005, Fault::Delay(timeout + timeout / 2))
}

/// The server-side truth compared with what the client reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DataCheck {
    pub lost: usize,
    pub duplicated: usize,
    pub ghosts: usize,
    /// The calls carried request ids (then a ghost is a failure of the client too).
    pub request_ids: bool,
}

impl DataCheck {
    /// Compares the tags of calls reported as succeeded and failed with the tags of the
    /// server's final listing (one entry per stored item).
    pub fn compare(succeeded: &[String], failed: &[String], listing: &[String], request_ids: bool) -> DataCheck {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for tag in listing {
            *counts.entry(tag.as_str()).or_default() += 1;
        }
        DataCheck {
            lost: succeeded.iter().filter(|tag| !counts.contains_key(tag.as_str())).count(),
            duplicated: counts.values().map(|n| n - 1).sum(),
            ghosts: failed.iter().filter(|tag| counts.contains_key(tag.as_str())).count(),
            request_ids,
        }
    }

    /// No data lost or duplicated, and no ghost where request ids were sent.
    pub fn passes(&self) -> bool {
        self.lost == 0 && self.duplicated == 0 && !(self.request_ids && self.ghosts > 0)
    }
}

/// What one scenario measured.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub name: String,
    pub calls: usize,
    pub elapsed: Duration,
    /// Per call, sorted.
    pub latencies: Vec<Duration>,
    pub failures: usize,
    pub check: Option<DataCheck>,
    /// Faults the emulator applied during the scenario, by kind.
    pub faults: Vec<(String, usize)>,
    /// Anything else worth printing (e.g. the load running alongside).
    pub note: String,
}

impl Report {
    pub fn calls_per_second(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency below which `fraction` of the calls finished (nearest rank).
    pub fn percentile(&self, fraction: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((self.latencies.len() as f64 * fraction).ceil() as usize).clamp(1, self.latencies.len());
        self.latencies[rank - 1]
    }

    /// Whether the data check (if any) passes.
    pub fn passes(&self) -> bool {
        self.check.is_none_or(|check| check.passes())
    }

    /// One table row: calls, calls/s, p50/p99, failures, lost/duplicated/ghosts.
    pub fn line(&self) -> String {
        let check = match self.check {
            Some(c) => format!("{:>5} {:>5} {:>6}", c.lost, c.duplicated, c.ghosts),
            None => format!("{:>5} {:>5} {:>6}", "-", "-", "-"),
        };
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{:<40} {:>6} {:>8.0} {:>8.2} {:>8.2} {:>8} {check}",
            self.name,
            self.calls,
            self.calls_per_second(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.99)),
            self.failures,
        )
    }

    /// The header of [`Report::line`].
    pub fn header() -> String {
        format!(
            "{:<40} {:>6} {:>8} {:>8} {:>8} {:>8} {:>5} {:>5} {:>6}",
            "scenario", "calls", "calls/s", "p50 ms", "p99 ms", "failures", "lost", "dup", "ghosts"
        )
    }

    fn from_results(name: &str, results: &[Outcome], elapsed: Duration) -> Report {
        let mut latencies: Vec<Duration> = results.iter().map(|r| r.latency).collect();
        latencies.sort();
        Report {
            name: name.to_owned(),
            calls: results.len(),
            elapsed,
            latencies,
            failures: results.iter().filter(|r| !r.ok).count(),
            ..Report::default()
        }
    }
}

/// One call's result.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    index: usize,
    latency: Duration,
    ok: bool,
}

/// Runs `call(i)` for `i` in `0..count`, `in_flight` at a time; returns each call's outcome
/// (in index order) and the wall time.
async fn run_concurrently<F, Fut>(count: usize, in_flight: usize, call: F) -> (Vec<Outcome>, Duration)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..in_flight.clamp(1, count.max(1)) {
        let (call, next) = (call.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= count {
                    return outcomes;
                }
                let begun = Instant::now();
                let ok = call(index).await;
                outcomes.push(Outcome { index, latency: begun.elapsed(), ok });
            }
        }));
    }
    let mut outcomes = Vec::with_capacity(count);
    for worker in workers {
        outcomes.extend(worker.await.expect("load worker"));
    }
    let elapsed = started.elapsed();
    outcomes.sort_by_key(|o| o.index);
    (outcomes, elapsed)
}

fn aiplatform_client(emulator: &Emulator, settings: &Settings) -> aiplatform::Client {
    aiplatform::Client::builder()
        .endpoint(emulator.base_url())
        .no_auth()
        .timeout(settings.timeout)
        .retry_policy(settings.retry.clone())
        .poll_policy(fast_polls())
        .build()
        .expect("aiplatform client")
}

fn computelro_client(emulator: &Emulator, settings: &Settings) -> computelro::Client {
    computelro::Client::builder()
        .endpoint(format!("{}v1/", emulator.base_url()))
        .no_auth()
        .timeout(settings.timeout)
        .retry_policy(settings.retry.clone())
        .poll_policy(fast_polls())
        .build()
        .expect("computelro client")
}

fn fast_polls() -> PollPolicy {
    PollPolicy::default().with_initial_delay(Duration::from_millis(5)).with_max_delay(Duration::from_millis(20))
}

fn parent() -> aiplatform::LocationName {
    aiplatform::LocationName::new(PROJECT, LOCATION)
}

fn job(display_name: &str) -> aiplatform::NotebookExecutionJob {
    aiplatform::NotebookExecutionJob { display_name: Some(display_name.to_owned()), ..Default::default() }
}

/// Creates jobs `{prefix}-0` .. `{prefix}-{count-1}` (ids and display names alike), done at once.
async fn seed_jobs(emulator: &Emulator, prefix: &str, count: usize) {
    emulator.set_config(EmulatorConfig { create_polls: 0, ..emulator.config() });
    let client = aiplatform_client(emulator, &Settings::default());
    let prefix = prefix.to_owned();
    let (outcomes, _) = run_concurrently(count, 100, move |i| {
        let jobs = client.projects().locations().notebook_execution_jobs();
        let id = format!("{prefix}-{i}");
        async move { jobs.create(parent(), job(&id)).notebook_execution_job_id(id).send().await.is_ok() }
    })
    .await;
    assert!(outcomes.iter().all(|o| o.ok), "seeding {count} jobs failed");
}

/// Scenario 1: `count` gets of existing jobs through the aiplatform client.
pub async fn gets(emulator: &Emulator, count: usize, settings: &Settings) -> Report {
    seed_jobs(emulator, "get", 100).await;
    let client = aiplatform_client(emulator, settings);
    let (outcomes, elapsed) = run_concurrently(count, settings.in_flight, move |i| {
        let jobs = client.projects().locations().notebook_execution_jobs();
        async move { jobs.get(parent().notebook_execution_job(format!("get-{}", i % 100))).send().await.is_ok() }
    })
    .await;
    Report::from_results(&format!("gets ({} in flight)", settings.in_flight), &outcomes, elapsed)
}

/// Scenario 2: `gets` gets and `creates` compute-style inserts, interleaved, under `plan`.
/// With `request_ids`, inserts go through the generated client (a request id per call, retried
/// as idempotent); without, the same request without an id through the runtime (a `POST`
/// retried only when the connection could not be opened, as before request ids). Returns the
/// gets' and the creates' reports; the creates' carries the data check.
pub async fn fault_mix(
    emulator: &Emulator,
    plan: FaultPlan,
    gets: usize,
    creates: usize,
    settings: &Settings,
    request_ids: bool,
) -> (Report, Report) {
    seed_jobs(emulator, "mix", 100).await;
    let total = gets + creates;
    // Spread the creates evenly among the gets.
    let is_create: Arc<Vec<bool>> =
        Arc::new((0..total).map(|i| i * creates / total != (i + 1) * creates / total).collect());
    let jobs = aiplatform_client(emulator, settings).projects().locations().notebook_execution_jobs();
    let compute = computelro_client(emulator, settings);
    let before = emulator.faults().applied();
    emulator.faults().set_plan(plan);
    let kinds = is_create.clone();
    let (outcomes, elapsed) = run_concurrently(total, settings.in_flight, move |i| {
        let (jobs, compute, create) = (jobs.clone(), compute.clone(), kinds[i]);
        async move {
            if create {
                insert(&compute, &format!("vm-{i}"), request_ids).await
            } else {
                jobs.get(parent().notebook_execution_job(format!("mix-{}", i % 100))).send().await.is_ok()
            }
        }
    })
    .await;
    emulator.faults().clear_plan();
    let faults = subtract(emulator.faults().applied(), &before);

    let (creates_out, gets_out): (Vec<Outcome>, Vec<Outcome>) = outcomes.into_iter().partition(|o| is_create[o.index]);
    let tag = |o: &Outcome| format!("vm-{}", o.index);
    let succeeded: Vec<String> = creates_out.iter().filter(|o| o.ok).map(tag).collect();
    let failed: Vec<String> = creates_out.iter().filter(|o| !o.ok).map(tag).collect();
    let prefix = format!("projects/{PROJECT}/zones/{ZONE}/instances/");
    let listing: Vec<String> =
        emulator.instance_names().iter().filter_map(|n| n.strip_prefix(&prefix).map(str::to_owned)).collect();

    let ids = if request_ids { "with request ids" } else { "without request ids" };
    let mut get_report = Report::from_results(&format!("fault mix: gets ({ids})"), &gets_out, elapsed);
    let mut create_report = Report::from_results(&format!("fault mix: creates ({ids})"), &creates_out, elapsed);
    create_report.check = Some(DataCheck::compare(&succeeded, &failed, &listing, request_ids));
    create_report.faults = faults.clone();
    get_report.faults = faults;
    (get_report, create_report)
}

/// One insert of instance `name`; success means the operation reports no error.
async fn insert(client: &computelro::Client, name: &str, request_id: bool) -> bool {
    let instance = computelro::Instance { name: Some(name.to_owned()), ..Default::default() };
    if request_id {
        match client.instances().insert(PROJECT, ZONE, instance).send().await {
            Ok(operation) => operation.errors().is_empty(),
            Err(_) => false,
        }
    } else {
        // What the generated `send` did before request ids: the same POST, not idempotent.
        let Ok(request) = Request::new(Method::Post, format!("projects/{PROJECT}/zones/{ZONE}/instances"))
            .method_id("computelro.instances.insert")
            .json(&instance)
        else {
            return false;
        };
        match client.runtime().execute::<serde_json::Value>(request).await {
            Ok(operation) => operation.get("error").is_none(),
            Err(_) => false,
        }
    }
}

/// Counts in `after` minus those in `before`, by label.
fn subtract(after: Vec<(String, usize)>, before: &[(String, usize)]) -> Vec<(String, usize)> {
    after
        .into_iter()
        .map(|(label, n)| {
            let earlier = before.iter().find(|(l, _)| *l == label).map_or(0, |(_, n)| *n);
            (label, n - earlier)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Scenario 3: `count` creates at once, each waited for (operations done after 2 polls),
/// with server-assigned names; the data check counts display names in the final listing.
pub async fn create_and_wait(emulator: &Emulator, count: usize, settings: &Settings) -> Report {
    emulator.set_config(EmulatorConfig { create_polls: 2, ..emulator.config() });
    let client = aiplatform_client(emulator, settings);
    let jobs = client.projects().locations().notebook_execution_jobs();
    let (outcomes, elapsed) = run_concurrently(count, count, move |i| {
        let jobs = jobs.clone();
        async move {
            match jobs.create(parent(), job(&format!("cw-{i}"))).send().await {
                Ok(operation) => operation.wait().await.is_ok(),
                Err(_) => false,
            }
        }
    })
    .await;
    let tag = |o: &Outcome| format!("cw-{}", o.index);
    let succeeded: Vec<String> = outcomes.iter().filter(|o| o.ok).map(tag).collect();
    let failed: Vec<String> = outcomes.iter().filter(|o| !o.ok).map(tag).collect();
    let listing: Vec<String> = list_all(&client)
        .await
        .into_iter()
        .filter_map(|job| job.display_name.filter(|d| d.starts_with("cw-")))
        .collect();
    let mut report = Report::from_results(&format!("create -> wait ({count} at once)"), &outcomes, elapsed);
    report.check = Some(DataCheck::compare(&succeeded, &failed, &listing, false));
    report
}

async fn list_all(client: &aiplatform::Client) -> Vec<aiplatform::NotebookExecutionJob> {
    client
        .projects()
        .locations()
        .notebook_execution_jobs()
        .list(parent())
        .page_size(1000)
        .items()
        .try_collect()
        .await
        .expect("final listing")
}

/// Scenario 4: a listing of `items` jobs, 100 per page, while `settings.in_flight` gets run
/// alongside; the data check compares the listed names with the jobs created.
pub async fn listing_under_load(emulator: &Emulator, items: usize, settings: &Settings) -> Report {
    seed_jobs(emulator, "item", items).await;
    let client = aiplatform_client(emulator, settings);
    let stop = Arc::new(AtomicBool::new(false));
    let background_calls = Arc::new(AtomicUsize::new(0));
    let mut background = Vec::new();
    for worker in 0..settings.in_flight {
        let (jobs, stop, calls) =
            (client.projects().locations().notebook_execution_jobs(), stop.clone(), background_calls.clone());
        background.push(tokio::spawn(async move {
            let mut i = worker;
            while !stop.load(Ordering::Relaxed) {
                let _ = jobs.get(parent().notebook_execution_job(format!("item-{}", i % items.max(1)))).send().await;
                calls.fetch_add(1, Ordering::Relaxed);
                i += STRIDE;
            }
        }));
    }
    // Let the background load reach full speed first.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let from = background_calls.load(Ordering::Relaxed);
    let started = Instant::now();
    let mut pages = client.projects().locations().notebook_execution_jobs().list(parent()).page_size(100).pages();
    let mut latencies = Vec::new();
    let mut listed = Vec::new();
    let mut failures = 0;
    loop {
        let begun = Instant::now();
        match pages.try_next().await {
            Ok(Some(page)) => {
                latencies.push(begun.elapsed());
                listed.extend(page.notebook_execution_jobs.into_iter().flatten().filter_map(|job| job.name));
            }
            Ok(None) => break,
            Err(_) => {
                failures += 1;
                break;
            }
        }
    }
    let elapsed = started.elapsed();
    let alongside = background_calls.load(Ordering::Relaxed) - from;
    stop.store(true, Ordering::Relaxed);
    for task in background {
        let _ = task.await;
    }
    let prefix = format!("{}/notebookExecutionJobs/", parent());
    let listing: Vec<String> = listed.iter().filter_map(|n| n.strip_prefix(&prefix).map(str::to_owned)).collect();
    let expected: Vec<String> = (0..items).map(|i| format!("item-{i}")).collect();
    let unique: HashSet<&String> = listing.iter().collect();
    latencies.sort();
    Report {
        name: format!("listing {items} items (pages of 100)"),
        calls: latencies.len(),
        elapsed,
        latencies,
        failures,
        check: Some(DataCheck::compare(&expected, &[], &listing, false)),
        faults: Vec::new(),
        note: format!(
            "{} of {items} listed; {alongside} gets alongside ({:.0}/s, {} in flight)",
            unique.len(),
            alongside as f64 / elapsed.as_secs_f64().max(1e-9),
            settings.in_flight
        ),
    }
}

/// Background workers step through the jobs by a prime, so they do not all get the same one.
const STRIDE: usize = 7919;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_check_counts_lost_duplicated_and_ghosts() {
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let check = DataCheck::compare(&s(&["a", "b", "c"]), &s(&["d", "e"]), &s(&["a", "a", "b", "d"]), true);
        assert_eq!(check, DataCheck { lost: 1, duplicated: 1, ghosts: 1, request_ids: true });
        assert!(!check.passes());
        let ghost_only = DataCheck { ghosts: 3, ..DataCheck::default() };
        assert!(ghost_only.passes(), "a ghost without request ids is reported, not failed");
        assert!(!DataCheck { request_ids: true, ..ghost_only }.passes());
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let report = Report { latencies: (1..=100).map(Duration::from_millis).collect(), ..Report::default() };
        assert_eq!(report.percentile(0.5), Duration::from_millis(50));
        assert_eq!(report.percentile(0.99), Duration::from_millis(99));
        assert_eq!(Report::default().percentile(0.99), Duration::ZERO);
    }
}
