//! `cargo xtask bench-client [--pairs N]` (issue 28): the generated aiplatform client against
//! a bare `reqwest::Client` (the same reqwest) on the same calls, each side in its own release
//! process against the emulator in another, the sides alternating pair by pair; per scenario the
//! median of each side and the median of the pairs' ratios (generated / bare), since the
//! machine's speed drifts between runs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::paired::{self, Spread};
use crate::specs;

/// (scenario, calls, in flight): gets one at a time and 64 at a time, creates with a JSON body,
/// and full listings of 300 items in pages of 100.
const SCENARIOS: [(&str, usize, usize); 4] =
    [("get", 5_000, 1), ("get", 20_000, 64), ("create", 10_000, 64), ("list", 500, 8)];

/// What each side reports, and whether more is better.
const MEASURES: [(&str, &str, bool); 5] = [
    ("calls_per_second", "calls/s", true),
    ("p50_us", "p50 µs", false),
    ("p99_us", "p99 µs", false),
    ("cpu_us_per_call", "CPU µs/call", false),
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
    println!("{pairs} pairs per scenario, sides alternating; ratios are generated / bare reqwest");
    for (scenario, calls, in_flight) in SCENARIOS {
        let (calls, in_flight) = (calls.to_string(), in_flight.to_string());
        let args = |who: &'static str| {
            [who, scenario, "--url", &emulator.url, "--calls", &calls, "--in-flight", &in_flight].map(str::to_owned)
        };
        let (mut generated, mut bare) = (Vec::new(), Vec::new());
        for pair in 0..pairs.max(1) {
            let (g, b) =
                paired::alternating(pair, || side(&bench, &args("generated")), || side(&bench, &args("bare")))?;
            generated.push(g);
            bare.push(b);
        }
        println!("\n{scenario}, {calls} calls, {in_flight} in flight:");
        for (key, label, _) in MEASURES {
            let values = |runs: &[Value]| runs.iter().map(|r| r[key].as_f64().unwrap_or(f64::NAN)).collect::<Vec<_>>();
            let (g, b) = (values(&generated), values(&bare));
            let ratios: Vec<f64> = g.iter().zip(&b).map(|(g, b)| g / b).collect();
            let spread = Spread::of(&ratios);
            println!(
                "  {label:<12} generated {:>10.1}  bare {:>10.1}  ratio {:.2} (pairs {:.2}..{:.2})",
                Spread::of(&g).median,
                Spread::of(&b).median,
                spread.median,
                spread.min,
                spread.max,
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
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
