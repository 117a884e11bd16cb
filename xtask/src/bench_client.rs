//! `cargo xtask bench-client [--pairs N]` (issue 28): the generated aiplatform client against
//! a bare `reqwest::Client` (the same reqwest) on the same calls, and against that bare client
//! sending the generated one's headers and query; each side in its own release process against
//! the emulator in another, the sides taking turns to go first round by round; per scenario the
//! median of each side and the median of the rounds' ratios (generated / bare, generated / same
//! wire), since the machine's speed drifts between runs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::paired::Spread;
use crate::specs;

/// (scenario, calls, in flight): gets one at a time and 64 at a time, creates with a JSON body,
/// and full listings of 300 items in pages of 100.
const SCENARIOS: [(&str, usize, usize); 4] =
    [("get", 20_000, 1), ("get", 20_000, 64), ("create", 10_000, 64), ("list", 500, 8)];

/// The sides, each its own process: the generated client, bare reqwest, and bare reqwest sending
/// the generated client's headers and query (which tells the client's own cost from that of what
/// it sends, at the emulator too).
const SIDES: [&str; 3] = ["generated", "bare", "bare-same-wire"];

/// What each side reports, and whether more is better. The client's CPU is split into the
/// kernel's share and counted in context switches and page faults, and the emulator's CPU per
/// call is read beside it, so that a gap can be placed: the client's own work, its wake-ups,
/// its memory, or what its requests cost the server.
const MEASURES: [(&str, &str, bool); 9] = [
    ("calls_per_second", "calls/s", true),
    ("p50_us", "p50 µs", false),
    ("p99_us", "p99 µs", false),
    ("cpu_us_per_call", "CPU µs/call", false),
    ("sys_us_per_call", "of it sys", false),
    ("switches_per_call", "ctx sw/call", false),
    ("page_faults_per_call", "faults/call", false),
    ("server_cpu_us_per_call", "server CPU", false),
    ("allocations_per_call", "allocs/call", false),
];

pub fn run(pairs: usize) -> Result<(), String> {
    let root = specs::project_root();
    specs::run_command(
        specs::cargo()
            .args(["build", "--release", "--quiet", "-p", "discogen-bench-client", "-p", "notebook-emulator"])
            .current_dir(&root),
    )?;
    let target = specs::target_dir();
    let bench = target.join("release/discogen-bench-client");
    let emulator = Emulator::start(&target.join("release/notebook-emulator"))?;
    side(&bench, &["seed", "--url", &emulator.url])?;
    println!(
        "{pairs} rounds per scenario, the three sides taking turns to go first; ratios are generated / bare \
         reqwest, and generated / bare reqwest sending the generated client's headers and query (same wire)"
    );
    for (scenario, calls, in_flight) in SCENARIOS {
        let (count, calls, in_flight) = (calls as f64, calls.to_string(), in_flight.to_string());
        let args = |who: &'static str| {
            [who, scenario, "--url", &emulator.url, "--calls", &calls, "--in-flight", &in_flight].map(str::to_owned)
        };
        // generated, bare, same wire
        let mut runs: [Vec<Value>; 3] = Default::default();
        for round in 0..pairs.max(1) {
            for turn in 0..3 {
                let who = (round + turn) % 3;
                let server_before = emulator.cpu();
                let mut run = side(&bench, &args(SIDES[who]))?;
                if let (Some(before), Some(after)) = (server_before, emulator.cpu()) {
                    let per_call = (after.saturating_sub(before)).as_secs_f64() * 1e6 / count;
                    run["server_cpu_us_per_call"] = per_call.into();
                }
                runs[who].push(run);
            }
        }
        println!("\n{scenario}, {calls} calls, {in_flight} in flight:");
        for (key, label, _) in MEASURES {
            let values = |runs: &[Value]| runs.iter().map(|r| r[key].as_f64().unwrap_or(f64::NAN)).collect::<Vec<_>>();
            let [g, b, same] = [values(&runs[0]), values(&runs[1]), values(&runs[2])];
            if g.iter().all(|v| v.is_nan()) {
                continue;
            }
            let ratio = |other: &[f64]| Spread::of(&g.iter().zip(other).map(|(g, o)| g / o).collect::<Vec<_>>());
            let (to_bare, to_same) = (ratio(&b), ratio(&same));
            println!(
                "  {label:<12} generated {:>10.1}  bare {:>10.1}  same wire {:>10.1}  ratio {:.2} ({:.2}..{:.2})  \
                 same wire {:.2} ({:.2}..{:.2})",
                Spread::of(&g).median,
                Spread::of(&b).median,
                Spread::of(&same).median,
                to_bare.median,
                to_bare.min,
                to_bare.max,
                to_same.median,
                to_same.min,
                to_same.max,
            );
        }
    }
    Ok(())
}

/// One run of one side: its JSON line.
fn side(bench: &std::path::Path, args: &[impl AsRef<std::ffi::OsStr>]) -> Result<Value, String> {
    let output = Command::new(bench).args(args).output().map_err(|e| format!("{}: {e}", bench.display()))?;
    if !output.status.success() {
        return Err(format!("bench-client failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("bench-client output: {e}"))
}

/// The emulator in its own process (creates done at once), stopped when dropped.
struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    fn start(binary: &std::path::Path) -> Result<Emulator, String> {
        let mut child = Command::new(binary)
            .args(["--create-polls", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let mut url = String::new();
        if let Some(stdout) = child.stdout.take() {
            BufReader::new(stdout).read_line(&mut url).map_err(|e| format!("emulator: {e}"))?;
        }
        let url = url.trim().to_owned();
        if url.is_empty() {
            let _ = child.kill();
            return Err("the emulator did not print its address".into());
        }
        Ok(Emulator { child, url })
    }

    /// The CPU time of all the emulator's threads so far (the kernel's per-thread schedstat,
    /// in nanoseconds: finer than the 10 ms ticks of `/proc/PID/stat`); `None` where there is
    /// no such file (not Linux).
    fn cpu(&self) -> Option<std::time::Duration> {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.child.id())).ok()?;
        let mut nanos = 0u64;
        for task in tasks.flatten() {
            let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
            nanos += stat.split_whitespace().next()?.parse::<u64>().ok()?;
        }
        Some(std::time::Duration::from_nanos(nanos))
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
