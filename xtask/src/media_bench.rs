//! `cargo xtask media-bench [--mib N] [--rounds R]`: uploads and downloads N MiB (default 1024)
//! through the generated storage client against the media emulator (which discards uploads and
//! generates downloads, so the server is not the bottleneck), each transfer in its own
//! `media-bench` process so that its peak RSS is the client's alone, and the same transfers
//! with curl against the same endpoints, R rounds (default 5) alternating which side goes
//! first. Release builds. The last line is the summary: the median of the rounds' ratios.
//! With `--to-file`, downloads are written to a file (the client's `to_file`, which flushes it;
//! curl's `-o`, then `sync` on the file, inside its time), on /dev/shm when there is one.
//! `MEDIA_BENCH_RT` (`block_on`, `current`) is passed on to the client; the summary names it.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::paired::{self, Spread};
use crate::specs;

pub fn run(mib: u64, rounds: usize, to_file: bool) -> Result<(), String> {
    let root = specs::project_root();
    let status = specs::cargo()
        .args(["build", "--release", "--quiet", "-p", "media-emulator", "-p", "media-bench"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("release build of media-emulator / media-bench failed".into());
    }
    let bytes = mib << 20;
    let target = specs::target_dir();
    let file = target.join("media-bench.bin");
    write_source(&file, bytes)?;
    let server = Server::start(&target.join("release/media-emulator"))?;
    let endpoint = format!("{}storage/v1/", server.root);
    let bench = target.join("release/media-bench");
    let file_arg = file.display().to_string();
    let upload_url = format!("{}upload/storage/v1/b/discard/o?uploadType=media&name=curl", server.root);
    let curl_upload_args = [
        "-sS",
        "-o",
        "/dev/null",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/octet-stream",
        "-T",
        &file_arg,
        &upload_url,
    ];
    let download_url = format!("{endpoint}b/generated/o/size-{bytes}?alt=media");
    let shm = Path::new("/dev/shm");
    let out_dir = if shm.is_dir() { shm.to_path_buf() } else { target.clone() };
    let (client_out, curl_out) = if to_file {
        let name = |side: &str| out_dir.join(format!("media-bench-{side}-{}.bin", std::process::id()));
        (Some(name("client").display().to_string()), Some(name("curl").display().to_string()))
    } else {
        (None, None)
    };
    let curl_download_args = ["-sS", "-o", curl_out.as_deref().unwrap_or("/dev/null"), &download_url];
    let bytes_arg = bytes.to_string();
    let client_download_args: Vec<&str> = match &client_out {
        Some(out) => vec!["download-file", &endpoint, &bytes_arg, out],
        None => vec!["download", &endpoint, &bytes_arg],
    };

    // Each round: both sides of each direction back to back, the order alternating between
    // rounds, so that a drift of the machine's speed hits both sides alike.
    let (mut uploads, mut downloads, mut peak_rss) = (Vec::new(), Vec::new(), 0u64);
    for round in 0..rounds.max(1) {
        let client_upload = || client_run(&bench, &["upload", &endpoint, &file_arg], bytes);
        let client_download = || client_run(&bench, &client_download_args, bytes);
        let ((upload, upload_rss), curl_upload) =
            paired::alternating(round, client_upload, || curl(&curl_upload_args, bytes, None))?;
        // Downloads in the other order: the side that uploaded second downloads first.
        let ((download, download_rss), curl_download) =
            paired::alternating(round + 1, client_download, || curl(&curl_download_args, bytes, curl_out.as_deref()))?;
        println!(
            "round {}: upload {upload:.0} MiB/s (curl {curl_upload:.0}), download {download:.0} MiB/s (curl {curl_download:.0}), peak RSS {:.1} / {:.1} MiB",
            round + 1,
            upload_rss as f64 / 1024.0,
            download_rss as f64 / 1024.0
        );
        uploads.push(upload / curl_upload);
        downloads.push(download / curl_download);
        peak_rss = peak_rss.max(upload_rss).max(download_rss);
    }
    let _ = std::fs::remove_file(&file);
    let (uploads, downloads) = (Spread::of(&uploads), Spread::of(&downloads));
    let runtime = match std::env::var("MEDIA_BENCH_RT").as_deref() {
        Ok("block_on") => "in block_on",
        Ok("current") => "on a current-thread runtime",
        _ => "in a spawned task",
    };
    let downloads_to = if to_file { ", downloads to a file" } else { "" };
    println!(
        "media ({runtime}{downloads_to}), client / curl, median of {} alternating rounds: upload {:.2}x (rounds {:.2}..{:.2}), download {:.2}x (rounds {:.2}..{:.2}), peak RSS {:.0} MiB",
        rounds.max(1),
        uploads.median,
        uploads.min,
        uploads.max,
        downloads.median,
        downloads.min,
        downloads.max,
        peak_rss as f64 / 1024.0
    );
    Ok(())
}

/// The upload source: `bytes` of a repeating pattern, written once (then in the page cache).
fn write_source(path: &Path, bytes: u64) -> Result<(), String> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == bytes) {
        return Ok(());
    }
    let block: Vec<u8> = (0..1u32 << 20).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?);
    let mut left = bytes;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n]).map_err(|e| e.to_string())?;
        left -= n as u64;
    }
    file.flush().map_err(|e| e.to_string())
}

/// One client process: (MiB/s, peak RSS KiB) from its `bytes=.. seconds=.. peak_rss_kib=..` line.
fn client_run(bench: &Path, args: &[&str], expected: u64) -> Result<(f64, u64), String> {
    let output = Command::new(bench).args(args).output().map_err(|e| format!("{}: {e}", bench.display()))?;
    if !output.status.success() {
        return Err(format!("media-bench {args:?}: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| -> Option<f64> {
        text.split_whitespace().find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
    };
    let (Some(bytes), Some(seconds), Some(rss)) = (field("bytes"), field("seconds"), field("peak_rss_kib")) else {
        return Err(format!("media-bench {args:?} printed {text:?}"));
    };
    if bytes as u64 != expected {
        return Err(format!("media-bench {args:?} moved {bytes} bytes, not {expected}"));
    }
    Ok((bytes / (1 << 20) as f64 / seconds, rss as u64))
}

/// One curl transfer, timed around the process: MiB/s. With `out` (the file curl writes),
/// the file is flushed to disk inside the time (`sync FILE`), as the client's `to_file` does,
/// and removed after it.
fn curl(args: &[&str], bytes: u64, out: Option<&str>) -> Result<f64, String> {
    let started = Instant::now();
    let status = Command::new("curl").args(args).status().map_err(|e| format!("curl: {e} (is curl installed?)"))?;
    if !status.success() {
        return Err(format!("curl {args:?} failed"));
    }
    if let Some(out) = out {
        let synced = Command::new("sync").arg(out).status().map_err(|e| format!("sync: {e}"))?;
        if !synced.success() {
            return Err(format!("sync {out} failed"));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    if let Some(out) = out {
        std::fs::remove_file(out).map_err(|e| format!("{out}: {e}"))?;
    }
    Ok(bytes as f64 / (1 << 20) as f64 / seconds)
}

/// The media emulator process, killed when dropped.
struct Server {
    child: Child,
    root: String,
}

impl Server {
    fn start(binary: &Path) -> Result<Server, String> {
        let mut child =
            Command::new(binary).stdout(Stdio::piped()).spawn().map_err(|e| format!("{}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
        let root =
            line.trim().strip_prefix("listening on ").ok_or_else(|| format!("emulator said {line:?}"))?.to_owned();
        Ok(Server { child, root })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
