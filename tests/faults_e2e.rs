//! The fault scenarios of `cargo xtask load`, short: a few hundred calls of the generated
//! clients against the emulator under a seeded fault mix that also drops connections *after*
//! handling. Creates with request ids (compute-style `instances.insert`, whose document has
//! `requestId`) lose nothing, duplicate nothing and leave no ghost; the same creates without
//! ids leave ghosts, which proves the faults really happen.

use std::time::Duration;

use discogen_load::{fault_mix, Settings};
use notebook_emulator::{Emulator, Fault, FaultPlan};

/// Heavier than the load test's mix so that 150 creates surely meet after-handling drops.
fn plan(seed: u64, timeout: Duration) -> FaultPlan {
    FaultPlan::new(seed)
        .with(0.10, Fault::Status { status: 503, retry_after: None })
        .with(0.03, Fault::Status { status: 429, retry_after: None })
        .with(0.03, Fault::Drop)
        .with(0.08, Fault::DropAfterHandling)
        .with(0.02, Fault::Delay(timeout * 2))
}

fn settings() -> Settings {
    let defaults = Settings::default();
    // Ten attempts: a call with a request id fails only if all of them meet a fault.
    Settings { in_flight: 20, timeout: Duration::from_millis(300), retry: defaults.retry.with_max_attempts(10) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_with_request_ids_survive_faults_and_without_them_leave_ghosts() {
    let settings = settings();
    let emulator = Emulator::start().await.expect("emulator");
    let (gets, creates) = fault_mix(&emulator, plan(1, settings.timeout), 300, 150, &settings, true).await;
    let check = creates.check.expect("data check");
    assert_eq!((check.lost, check.duplicated, check.ghosts), (0, 0, 0), "{}", creates.line());
    assert_eq!(creates.failures, 0, "{}", creates.line());
    assert_eq!(gets.calls, 300);
    assert!(gets.failures <= 1, "{}", gets.line());
    let applied = |label: &str| creates.faults.iter().find(|(l, _)| l == label).map_or(0, |(_, n)| *n);
    assert!(applied("drop-after") > 0 && applied("503") > 0 && applied("delay") > 0, "{:?}", creates.faults);
    // Every create that reached the server made one instance, however often it was resent.
    assert_eq!(emulator.instance_names().len(), 150);

    let emulator = Emulator::start().await.expect("emulator");
    let (_, creates) = fault_mix(&emulator, plan(2, settings.timeout), 300, 150, &settings, false).await;
    let check = creates.check.expect("data check");
    assert_eq!((check.lost, check.duplicated), (0, 0), "{}", creates.line());
    assert!(check.ghosts > 0, "after-handling drops make ghosts without request ids: {}", creates.line());
    assert!(creates.failures >= check.ghosts, "{}", creates.line());
}
