//! `cargo xtask load`: the four load and fault scenarios at full size, in release mode. The
//! emulator runs on its own Tokio runtime (one thread), the clients on another (two).
//! Prints one row per scenario; exits non-zero if any data was lost or duplicated, or if a
//! ghost appeared on a method with a request id.

use std::process::ExitCode;
use std::time::Instant;

use discogen_load::{default_mix, Report, Settings};
use notebook_emulator::{Emulator, EmulatorConfig};

fn main() -> ExitCode {
    let started = Instant::now();
    let server = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let clients = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let emulator = || server.block_on(Emulator::start_with(EmulatorConfig::default())).expect("emulator starts");
    let settings = Settings::default();
    let mut reports = Vec::new();

    println!("{}", Report::header());
    let mut show = |report: Report| {
        println!("{}", report.line());
        if !report.faults.is_empty() {
            let faults: Vec<String> = report.faults.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
            println!("    faults injected: {}", faults.join(", "));
        }
        if !report.note.is_empty() {
            println!("    {}", report.note);
        }
        reports.push(report);
    };

    let e = emulator();
    show(clients.block_on(discogen_load::gets(&e, 20_000, &settings)));
    drop(e);

    for request_ids in [true, false] {
        let e = emulator();
        let plan = default_mix(14, settings.timeout);
        let (gets, creates) =
            clients.block_on(discogen_load::fault_mix(&e, plan, 10_000, 1_000, &settings, request_ids));
        show(gets);
        show(creates);
    }

    let e = emulator();
    show(clients.block_on(discogen_load::create_and_wait(&e, 500, &settings)));
    drop(e);

    let e = emulator();
    show(clients.block_on(discogen_load::listing_under_load(&e, 5_000, &settings)));
    drop(e);

    let failed: Vec<&str> = reports.iter().filter(|r| !r.passes()).map(|r| r.name.as_str()).collect();
    println!("load: {} scenarios in {:.1} s", reports.len(), started.elapsed().as_secs_f64());
    if failed.is_empty() {
        println!("data check passed: nothing lost or duplicated, no ghost where request ids were sent");
        ExitCode::SUCCESS
    } else {
        println!("data check FAILED: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}
