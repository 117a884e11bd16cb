//! Runs the notebookExecutionJobs emulator until killed.
//!
//! Usage: `notebook-emulator [--addr 127.0.0.1:8080] [--create-polls N] [--delete-polls N]`

use std::net::SocketAddr;
use std::process::ExitCode;

use notebook_emulator::{Emulator, EmulatorConfig};

const USAGE: &str = "usage: notebook-emulator [--addr 127.0.0.1:8080] [--create-polls N] [--delete-polls N]";

fn parse_args() -> Result<(SocketAddr, EmulatorConfig), String> {
    let mut address = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut config = EmulatorConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => address = value()?.parse().map_err(|e| format!("--addr: {e}"))?,
            "--create-polls" => config.create_polls = value()?.parse().map_err(|e| format!("--create-polls: {e}"))?,
            "--delete-polls" => config.delete_polls = value()?.parse().map_err(|e| format!("--delete-polls: {e}"))?,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok((address, config))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (address, config) = match parse_args() {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::bind(address, config).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Nothing outside this process can read the request log: kept, it would grow by every
    // request answered (a benchmark sends millions) and reallocate under whichever client
    // happens to be calling.
    emulator.set_recording(false);
    println!("{}", emulator.base_url());
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
