//! Running the generator on many documents in this process: on every core, each document's
//! panic caught and reported with its message and location, and a time limit per document
//! that ends the whole run when a document hangs (a thread cannot be stopped, the process can).

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What one job did.
pub enum Outcome<T> {
    Done(T),
    Panicked(String),
}

/// The stack of each worker: the main thread's 8 MiB, not a spawned thread's 2 MiB, so that a
/// deep but finite document runs here as it does in the CLI (debug builds use more stack per
/// frame). A stack overflow aborts the process and names nothing, so it must not be the limit.
const WORKER_STACK: usize = 8 << 20;

pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

thread_local! {
    /// The message and location of the last panic on this thread (set by the panic hook).
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `job` on every item on all cores, in input order of the results, catching panics.
/// With a `limit`, a job running longer makes `on_hang(item)` run and the process exit with
/// status 1 (after whatever `on_hang` printed).
pub fn run_all<I, T, F>(
    items: &[I],
    limit: Option<Duration>,
    on_hang: &(dyn Fn(&I, Duration) + Sync),
    job: F,
) -> Vec<(Outcome<T>, Duration)>
where
    I: Sync,
    T: Send,
    F: Fn(&I) -> T + Sync,
{
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = format!("{}{location}", panic_message(info.payload()));
        LAST_PANIC.with(|slot| *slot.borrow_mut() = Some(message));
    }));
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let workers = threads();
    // What each worker is running now, and since when (for the hang limit).
    let running: Vec<Mutex<Option<(usize, Instant)>>> = (0..workers).map(|_| Mutex::new(None)).collect();
    let results = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for slot in &running {
            let worker = std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else {
                    finished.fetch_add(1, Ordering::Relaxed);
                    break;
                };
                let started = Instant::now();
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some((index, started));
                }
                let outcome = match panic::catch_unwind(AssertUnwindSafe(|| job(item))) {
                    Ok(value) => Outcome::Done(value),
                    Err(payload) => Outcome::Panicked(
                        LAST_PANIC.with(|slot| slot.borrow_mut().take()).unwrap_or_else(|| panic_message(&*payload)),
                    ),
                };
                let elapsed = started.elapsed();
                if let Ok(mut slot) = slot.lock() {
                    *slot = None;
                }
                if let Ok(mut results) = results.lock() {
                    results.push((index, outcome, elapsed));
                }
            });
            if let Err(err) = worker {
                eprintln!("cannot start a worker thread: {err}");
                std::process::exit(1);
            }
        }
        let Some(limit) = limit else { return };
        while finished.load(Ordering::Relaxed) < workers {
            std::thread::sleep(Duration::from_millis(100));
            for slot in &running {
                let current = slot.lock().ok().and_then(|slot| *slot);
                if let Some((index, started)) = current {
                    if started.elapsed() > limit {
                        on_hang(&items[index], started.elapsed());
                        std::process::exit(1);
                    }
                }
            }
        }
    });
    panic::set_hook(previous_hook);
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(index, ..)| *index);
    results.into_iter().map(|(_, outcome, time)| (outcome, time)).collect()
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}
