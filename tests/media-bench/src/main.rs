//! `media-bench upload ENDPOINT FILE`, `media-bench download ENDPOINT BYTES` (read as a
//! stream, its pieces counted) or `media-bench download-file ENDPOINT BYTES OUT` (`to_file`
//! into `OUT`, removed once the clock has stopped): one transfer through the generated storage
//! client; prints `bytes=N seconds=S peak_rss_kib=K`.
//! Uploads go to the media emulator's `discard` bucket, downloads come from its `generated`
//! bucket, so the server neither stores nor reads a disk.

use std::time::Instant;

use google_storage_v1::{Client, MediaSource, Object, StreamExt};

/// The transfer runs as a task on the multi-threaded runtime, as in an application (a server's
/// handler, a spawned job), so that hyper's connection task and the task reading or writing
/// the body can share a worker. `MEDIA_BENCH_RT=block_on` runs it in `block_on` on the main
/// thread instead (every body chunk then crosses threads: 0.6-0.8x as fast for downloads),
/// `MEDIA_BENCH_RT=current` on a current-thread runtime.
fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match std::env::var("MEDIA_BENCH_RT").as_deref() {
        Ok("current") => tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(run()),
        Ok("block_on") => tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run()),
        _ => {
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
            runtime.block_on(async { tokio::spawn(run()).await })?
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().collect();
    let (mode, endpoint, what, out) = match args.as_slice() {
        [_, mode, endpoint, what] => (mode, endpoint, what, None),
        [_, mode, endpoint, what, out] if mode == "download-file" => (mode, endpoint, what, Some(out)),
        _ => {
            return Err("usage: media-bench upload ENDPOINT FILE | download ENDPOINT BYTES \
                        | download-file ENDPOINT BYTES OUT"
                .into())
        }
    };
    let client =
        Client::builder().endpoint(endpoint.as_str()).no_auth().timeout(std::time::Duration::from_secs(300)).build()?;
    let started = Instant::now();
    let bytes = match mode.as_str() {
        "upload" => {
            let media = MediaSource::from_path(what.as_str(), "application/octet-stream").await?;
            let upload = client.objects().insert("discard", Object::default()).name("bench").upload(media);
            let upload = match std::env::var("MEDIA_BENCH_CHUNK_KIB").ok().and_then(|v| v.parse::<usize>().ok()) {
                Some(kib) => upload.chunk_size(kib << 10),
                None => upload,
            };
            let object = upload.send().await?;
            object.size.unwrap_or_default()
        }
        "download" => {
            let mut stream = client.objects().get("generated", format!("size-{what}")).download().stream().await?;
            let mut total = 0u64;
            while let Some(chunk) = stream.next().await {
                total += chunk?.len() as u64;
            }
            total
        }
        "download-file" => {
            let out = out.ok_or("download-file writes to OUT")?;
            client.objects().get("generated", format!("size-{what}")).download().to_file(out).await?
        }
        other => return Err(format!("unknown mode {other:?}").into()),
    };
    let seconds = started.elapsed().as_secs_f64();
    if let Some(out) = out {
        std::fs::remove_file(out)?;
    }
    println!("bytes={bytes} seconds={seconds:.4} peak_rss_kib={}", peak_rss_kib());
    Ok(())
}

/// `VmHWM` of /proc/self/status: this process's peak resident set size.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| line.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?.trim().parse().ok())
        })
        .unwrap_or(0)
}
