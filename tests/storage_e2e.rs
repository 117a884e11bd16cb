//! The generated Cloud Storage client end to end, as an application uses it:
//!
//! * against gcp-storage-emulator (third-party, from PyPI, installed under `target/`):
//!   buckets, uploads of every kind (empty, simple, multipart with metadata, 40 MiB
//!   resumable), downloads whole and by range compared by SHA-256, listing with prefix and
//!   delimiter, delete then NOT_FOUND; a PATCH clearing a bucket's CORS with `[]` (issue 23);
//! * against the project's media emulator (`tests/media-emulator`) with faults injected:
//!   connections dropped at seeded random offsets of resumable chunks, 503s on chunks, a
//!   download cut mid-body, a session resumed after a "restart", a failed
//!   `ifGenerationMatch`, pagination, the `accept` / `maxSize` checks;
//! * Drive v3 `files.create` multipart, byte for byte against Google's documented body.

#[path = "storage/gcs_emulator.rs"]
mod gcs_emulator;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use google_storage_v1::{
    Bucket, BucketCorsItem, Client, MediaSource, Object, ResumableSession, RetryPolicy, TryStreamExt,
};
use media_emulator::MediaEmulator;

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(6)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(50))
        .with_total_timeout(Some(Duration::from_secs(60)))
}

fn client(endpoint: String) -> Client {
    Client::builder().endpoint(endpoint).no_auth().retry_policy(fast_retries()).build().expect("client")
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, bytes).as_ref().to_vec()
}

/// Deterministic pseudo-random bytes (xorshift), so a failure reproduces.
fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("discogen-storage-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buckets_and_objects_against_gcp_storage_emulator() {
    let emulator = tokio::task::spawn_blocking(gcs_emulator::GcsEmulator::start).await.expect("start");
    let client = client(emulator.endpoint());
    let buckets = client.buckets();

    // Buckets: create three, list them (following pages), delete one.
    for name in ["alpha", "beta", "gamma"] {
        let bucket = Bucket { name: Some(name.into()), ..Default::default() };
        let created = buckets.insert("test-project", bucket).send().await.expect("bucket insert");
        assert_eq!(created.name.as_deref(), Some(name));
    }
    let names: Vec<String> = buckets
        .list("test-project")
        .max_results(2)
        .items()
        .map_ok(|b| b.name.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    for name in ["alpha", "beta", "gamma"] {
        assert!(names.contains(&name.to_owned()), "{names:?}");
    }
    buckets.delete("gamma").send().await.expect("bucket delete");
    assert!(buckets.get("gamma").send().await.unwrap_err().is_not_found());

    let objects = client.objects();
    // 0 bytes (resumably: this emulator's simple upload fails on an empty body; the session
    // finishes with `Content-Range: bytes */0`), then a small simple upload (uploadType=media).
    let empty = objects
        .insert("alpha", Object::default())
        .name("empty")
        .upload(MediaSource::from_bytes(Vec::new(), "application/octet-stream"))
        .resumable()
        .send()
        .await
        .expect("empty upload");
    assert_eq!(empty.size, Some(0));
    let hello = objects
        .insert("alpha", Object::default())
        .name("hello.txt")
        .upload(MediaSource::from_bytes("hello, storage", "text/plain"))
        .send()
        .await
        .expect("simple upload");
    assert_eq!(hello.size, Some(14));

    // Multipart: metadata (name, content type, custom metadata) and media in one request.
    let metadata = Object {
        name: Some("docs/report.csv".into()),
        content_type: Some("text/csv".into()),
        metadata: Some(BTreeMap::from([("owner".to_owned(), "e2e".to_owned())])),
        ..Default::default()
    };
    let csv = "a,b\n1,2\n";
    let report = objects
        .insert("alpha", metadata)
        .upload(MediaSource::from_bytes(csv, "text/csv"))
        .send()
        .await
        .expect("multipart upload");
    assert_eq!(report.name.as_deref(), Some("docs/report.csv"));
    let fetched = objects.get("alpha", "docs/report.csv").send().await.expect("get metadata");
    assert_eq!(fetched.content_type.as_deref(), Some("text/csv"));
    assert_eq!(fetched.metadata.as_ref().and_then(|metadata| metadata.get("owner")).map(String::as_str), Some("e2e"));
    let downloaded = objects.get("alpha", "docs/report.csv").download().bytes().await.unwrap();
    assert_eq!(downloaded, csv.as_bytes());

    // 40 MiB from a file, resumably in 4 MiB chunks; the session is reported as it starts.
    let dir = temp_dir("gcs");
    let big = data(40 << 20, 7);
    let path = dir.join("big.bin");
    std::fs::write(&path, &big).unwrap();
    let sessions = Arc::new(Mutex::new(Vec::new()));
    let seen = sessions.clone();
    let uploaded = objects
        .insert("alpha", Object::default())
        .name("docs/big.bin")
        .upload(MediaSource::from_path(&path, "application/octet-stream").await.unwrap())
        .chunk_size(4 << 20)
        .on_session(move |session: &ResumableSession| seen.lock().unwrap().push(session.uri().to_owned()))
        .send()
        .await
        .expect("resumable upload");
    assert_eq!(uploaded.size, Some(big.len() as u64));
    assert_eq!(sessions.lock().unwrap().len(), 1);

    // Download whole (to a file, atomically) and by range; compare by SHA-256.
    let copy = dir.join("copy.bin");
    let written = objects.get("alpha", "docs/big.bin").download().to_file(&copy).await.expect("to_file");
    assert_eq!(written, big.len() as u64);
    assert_eq!(sha256(&std::fs::read(&copy).unwrap()), sha256(&big));
    let range = objects.get("alpha", "docs/big.bin").download().range(1_000_000..3_000_000).bytes().await.unwrap();
    assert_eq!(sha256(&range), sha256(&big[1_000_000..3_000_000]));
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary file left: {leftovers:?}");

    // Prefix and delimiter.
    let page = objects.list("alpha").prefix("docs/").send().await.unwrap();
    let mut names: Vec<_> = page.items.iter().flatten().filter_map(|o| o.name.clone()).collect();
    names.sort();
    assert_eq!(names, ["docs/big.bin", "docs/report.csv"]);
    let top = objects.list("alpha").delimiter("/").send().await.unwrap();
    let mut names: Vec<_> = top.items.iter().flatten().filter_map(|o| o.name.clone()).collect();
    names.sort();
    assert_eq!(names, ["empty", "hello.txt"]);
    assert_eq!(top.prefixes.as_deref(), Some(&["docs/".to_owned()][..]));

    // Delete, then NOT_FOUND for the metadata and the media.
    objects.delete("alpha", "hello.txt").send().await.expect("delete");
    assert!(objects.get("alpha", "hello.txt").send().await.unwrap_err().is_not_found());
    let error = objects.get("alpha", "hello.txt").download().bytes().await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 23 against the emulator: `{"cors": []}` clears a bucket's CORS and leaves what the
/// patch leaves out. gcp-storage-emulator replaces a map field whole and skips `null`s, so
/// deleting one label (`{"labels": {"old-key": null}}`) and removing the retention policy
/// (`null`) cannot be checked against it; `tests/presence.rs` checks their wire bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_clears_a_buckets_cors_against_gcp_storage_emulator() {
    let emulator = tokio::task::spawn_blocking(gcs_emulator::GcsEmulator::start).await.expect("start");
    let buckets = client(emulator.endpoint()).buckets();
    let cors = BucketCorsItem {
        origin: Some(vec!["https://example.com".into()]),
        method: Some(vec!["GET".into()]),
        ..Default::default()
    };
    let labels = BTreeMap::from([("env".to_owned(), "prod".to_owned())]);
    // The emulator's insert keeps only the name: set CORS and labels with a first patch.
    let bucket = Bucket { name: Some("presence".into()), ..Default::default() };
    buckets.insert("test-project", bucket).send().await.expect("bucket insert");
    let set = Bucket { cors: Some(vec![cors.clone()]), labels: Some(labels.clone()), ..Default::default() };
    buckets.patch("presence", set).send().await.expect("patch");
    let before = buckets.get("presence").send().await.expect("get");
    assert_eq!(before.cors.as_deref(), Some(&[cors][..]));

    let patch = Bucket { cors: Some(vec![]), ..Default::default() };
    buckets.patch("presence", patch).send().await.expect("patch");
    let after = buckets.get("presence").send().await.expect("get");
    assert_eq!(after.cors.as_deref(), Some(&[][..]), "CORS cleared: {after:?}");
    assert_eq!(after.labels, Some(labels), "labels, absent from the patch, unchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resumable_upload_survives_connections_dropped_at_random_offsets() {
    let emulator = MediaEmulator::start().await.unwrap();
    let client = client(emulator.endpoint());
    let chunk = 256 * 1024;
    let media = data(3 * chunk + 12_345, 11);
    // One or two drops per trial, each somewhere inside a chunk body.
    let trials = DropTrials { prefix: "trial", trials: 24, max_drops: 2, seed: 0x5eed, chunk };
    trials
        .run(&emulator, &client, &media, || async {
            MediaSource::from_bytes(media.clone(), "application/octet-stream")
        })
        .await;
    // Exactly one object per upload, and the drops made the client ask the sessions.
    assert_eq!(emulator.object_count("media"), 24);
    let stats = emulator.stats();
    assert_eq!(stats.sessions, 24);
    assert!(stats.queries >= 24, "{stats:?}");
}

/// The same from a file, which is read on the blocking pool, the next piece while the current
/// one is sent (bytes and files go in one streamed `PUT` for the rest through reqwest): a drop
/// makes the client resend from the session's offset.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_upload_survives_connections_dropped_at_random_offsets() {
    let emulator = MediaEmulator::start().await.unwrap();
    let client = client(emulator.endpoint());
    let chunk = 256 * 1024;
    let media = data(5 * chunk + 777, 13);
    let path = std::env::temp_dir().join(format!("discogen-e2e-{}-drops.bin", std::process::id()));
    std::fs::write(&path, &media).unwrap();
    let trials = DropTrials { prefix: "file-trial", trials: 12, max_drops: 3, seed: 0xf11e, chunk };
    trials
        .run(&emulator, &client, &media, || async {
            MediaSource::from_path(&path, "application/octet-stream").await.unwrap()
        })
        .await;
    std::fs::remove_file(&path).unwrap();
    assert!(emulator.stats().queries >= 12);
}

/// A reader cannot be read again from an offset, so it still goes in chunks, the next read
/// while the current one is in flight: a drop inside a chunk makes the client resend from the
/// session's offset, ahead of the bytes it had already read for the next chunk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_reader_upload_survives_connections_dropped_at_random_offsets() {
    let emulator = MediaEmulator::start().await.unwrap();
    let client = client(emulator.endpoint());
    let chunk = 256 * 1024;
    let media = data(5 * chunk + 777, 19);
    let trials = DropTrials { prefix: "reader-trial", trials: 12, max_drops: 3, seed: 0x4ead, chunk };
    trials
        .run(&emulator, &client, &media, || async {
            let length = Some(media.len() as u64);
            MediaSource::from_reader(std::io::Cursor::new(media.clone()), "application/octet-stream", length)
        })
        .await;
    let stats = emulator.stats();
    assert!(stats.queries >= 12, "{stats:?}");
    // Every chunk went on its own: at least 6 PUTs per upload.
    assert!(stats.chunks >= 12 * 6, "{stats:?}");
}

/// Through reqwest (which streams request bodies), a file goes in one `PUT` for all the rest
/// of it. Connections dropped anywhere in that body (seeded offsets over the whole rest,
/// across the 1 MiB pieces the file is read in, exactly on a piece boundary too) make the
/// client ask the session for its offset and send the rest again from there: the stored
/// object is the file byte for byte (no byte lost or sent twice into it), and there is one
/// `PUT` per drop plus the one that finishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_file_upload_resumes_from_the_session_offset_after_drops_anywhere() {
    let emulator = MediaEmulator::start().await.unwrap();
    let client = client(emulator.endpoint());
    let media = data(3 * (1 << 20) + 54_321, 17);
    let path = std::env::temp_dir().join(format!("discogen-e2e-{}-streamed.bin", std::process::id()));
    std::fs::write(&path, &media).unwrap();
    let mut seed = 0x57e4_u64;
    for trial in 0..10 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        // Drop offsets within each PUT's body: what is left after the earlier drops shrinks,
        // so each is taken within a quarter of the media (up to three drops per trial).
        let quarter = media.len() as u64 / 4;
        let mut drops: Vec<u64> = (0..1 + seed % 3).map(|i| (seed >> (8 + 16 * i)) % quarter).collect();
        if trial == 0 {
            // Exactly at the end of the first piece, then at the start of a body.
            drops = vec![1 << 20, 0];
        }
        emulator.faults(|f| f.drop_chunk_after.extend(drops.iter().copied()));
        let before = emulator.stats();
        let name = format!("streamed-{trial}");
        let object = client
            .objects()
            .insert("media", Object::default())
            .name(name.clone())
            .upload(MediaSource::from_path(&path, "application/octet-stream").await.unwrap())
            .chunk_size(256 * 1024)
            .resumable()
            .send()
            .await
            .unwrap_or_else(|e| panic!("trial {trial} (drops {drops:?}): {e}"));
        assert_eq!(object.size, Some(media.len() as u64));
        let stored = emulator.object("media", &name).expect("stored");
        assert_eq!(sha256(&stored), sha256(&media), "trial {trial} (drops {drops:?}): identical bytes");
        assert!(emulator.faults(|f| f.drop_chunk_after.is_empty()), "every drop happened");
        let after = emulator.stats();
        assert_eq!(
            after.chunks - before.chunks,
            drops.len() as u64 + 1,
            "trial {trial}: one PUT per drop, then the last"
        );
        assert!(
            after.queries - before.queries >= drops.len() as u64,
            "trial {trial}: the session asked after each drop"
        );
    }
    std::fs::remove_file(&path).unwrap();
}

/// Resumable uploads of `media` with connections dropped inside chunk bodies at seeded offsets
/// (1 to `max_drops` per trial): each stores exactly the media, and every drop happens.
struct DropTrials {
    prefix: &'static str,
    trials: usize,
    max_drops: u64,
    seed: u64,
    chunk: usize,
}

impl DropTrials {
    async fn run<F, Fut>(&self, emulator: &MediaEmulator, client: &Client, media: &[u8], source: F)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = MediaSource>,
    {
        let mut seed = self.seed;
        for trial in 0..self.trials {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let drops: Vec<u64> =
                (0..1 + seed % self.max_drops).map(|i| (seed >> (8 + 16 * i)) % self.chunk as u64).collect();
            emulator.faults(|f| f.drop_chunk_after.extend(drops.iter().copied()));
            let name = format!("{}-{trial}", self.prefix);
            let object = client
                .objects()
                .insert("media", Object::default())
                .name(name.clone())
                .upload(source().await)
                .chunk_size(self.chunk)
                .resumable()
                .send()
                .await
                .unwrap_or_else(|e| panic!("trial {trial} (drops {drops:?}): {e}"));
            assert_eq!(object.size, Some(media.len() as u64));
            let stored = emulator.object("media", &name).expect("stored");
            assert_eq!(sha256(&stored), sha256(media), "trial {trial}: identical bytes");
            assert!(emulator.faults(|f| f.drop_chunk_after.is_empty()), "every drop happened");
        }
    }
}

#[tokio::test]
async fn a_503_on_a_chunk_is_retried_and_a_download_cut_resumes_by_range() {
    let emulator = MediaEmulator::start().await.unwrap();
    let client = client(emulator.endpoint());
    let media = data(2 * 256 * 1024 + 99, 3);
    emulator.faults(|f| f.fail_chunk.extend([503, 503]));
    let object = client
        .objects()
        .insert("media", Object::default())
        .name("retried")
        .upload(MediaSource::from_reader(std::io::Cursor::new(media.clone()), "application/octet-stream", None))
        .chunk_size(256 * 1024)
        .send()
        .await
        .expect("upload with 503s");
    assert_eq!(object.size, Some(media.len() as u64));
    assert_eq!(emulator.object("media", "retried").unwrap(), media);

    // Cut twice mid-body: the stream reconnects with Range from the next byte.
    emulator.faults(|f| f.cut_download_after.extend([100_000, 50_000]));
    let before = emulator.stats().ranged_downloads;
    let downloaded = client.objects().get("media", "retried").download().bytes().await.expect("download");
    assert_eq!(sha256(&downloaded), sha256(&media));
    assert_eq!(emulator.stats().ranged_downloads - before, 2);

    // The object replaced between the cut and the resume: refused, not spliced.
    emulator.faults(|f| {
        f.cut_download_after.push_back(100_000);
        f.rewrite_before_range = true;
    });
    let error = client.objects().get("media", "retried").download().bytes().await.unwrap_err();
    assert!(error.to_string().contains("the media changed while downloading"), "{error}");

    // Cuts of 10 bytes each still make progress: the download completes.
    emulator.faults(|f| f.cut_download_after.extend([10; 20]));
    let dir = temp_dir("cut");
    let written = client.objects().get("media", "retried").download().to_file(dir.join("ok.bin")).await.unwrap();
    assert_eq!(written, media.len() as u64);
    assert_eq!(sha256(&std::fs::read(dir.join("ok.bin")).unwrap()), sha256(&media));
    std::fs::remove_file(dir.join("ok.bin")).unwrap();

    // A cut before any byte, again and again, gives up with the transport error, and to_file
    // leaves nothing behind.
    emulator.faults(|f| f.cut_download_after.extend([0; 20]));
    let error = client.objects().get("media", "retried").download().to_file(dir.join("x.bin")).await.unwrap_err();
    assert!(error.is_transport(), "{error}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing partial left");
    emulator.faults(|f| f.cut_download_after.clear());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reader goes in chunks (it cannot be read again from an offset): the first "process"
/// gets its first chunk through, then fails for good; the next resumes from the stored URI.
#[tokio::test]
async fn a_session_resumes_after_a_restart() {
    let emulator = MediaEmulator::start().await.unwrap();
    let client = client(emulator.endpoint());
    let media = data(4 * 256 * 1024, 5);
    let reader = |media: &Vec<u8>| {
        MediaSource::from_reader(
            std::io::Cursor::new(media.clone()),
            "application/octet-stream",
            Some(media.len() as u64),
        )
    };
    emulator.faults(|f| f.fail_chunk.extend([0, 400]));
    let session = restart_then_resume(&client, "restarted", reader(&media), reader(&media)).await;
    assert_eq!(emulator.object("media", "restarted").unwrap(), media);
    let stats = emulator.stats();
    assert_eq!(stats.sessions, 1);
    // 2 chunks before the failure, then the 3 the session still lacked.
    assert_eq!(stats.chunks, 5, "{stats:?}");
    assert!(session.uri().contains("upload_id="));
}

/// The same with bytes in memory, which go as one streamed `PUT` for the rest: the first
/// "process" has its connection dropped 300 000 bytes in, asks the session, and its next `PUT`
/// fails for good; the next process resumes from the stored URI with one `PUT` from the
/// session's offset.
#[tokio::test]
async fn a_streamed_session_resumes_after_a_restart() {
    let emulator = MediaEmulator::start().await.unwrap();
    let client = client(emulator.endpoint());
    let media = data(4 * 256 * 1024 + 3, 6);
    let bytes = |media: &Vec<u8>| MediaSource::from_bytes(media.clone(), "application/octet-stream");
    emulator.faults(|f| {
        f.drop_chunk_after.push_back(300_000);
        f.fail_chunk.extend([0, 400]);
    });
    restart_then_resume(&client, "restarted-streamed", bytes(&media), bytes(&media)).await;
    assert_eq!(emulator.object("media", "restarted-streamed").unwrap(), media);
    let stats = emulator.stats();
    assert_eq!(stats.sessions, 1);
    // The dropped PUT, the refused one, then the rest in one.
    assert_eq!(stats.chunks, 3, "{stats:?}");
}

/// Uploads `first` until it fails with 400, then `second` into the session it reported.
async fn restart_then_resume(client: &Client, name: &str, first: MediaSource, second: MediaSource) -> ResumableSession {
    let stored = Arc::new(Mutex::new(None));
    let keep = stored.clone();
    let length = first.len();
    let failed = client
        .objects()
        .insert("media", Object::default())
        .name(name)
        .upload(first)
        .chunk_size(256 * 1024)
        .resumable()
        .on_session(move |s: &ResumableSession| *keep.lock().unwrap() = Some(s.clone()))
        .send()
        .await;
    assert_eq!(failed.unwrap_err().status(), Some(400));
    let session = stored.lock().unwrap().clone().expect("session reported");
    // The next process resumes from the stored URI with the same media.
    let object = client
        .objects()
        .insert("media", Object::default())
        .name(name)
        .upload(second)
        .chunk_size(256 * 1024)
        .resume_session(ResumableSession::from_uri(session.uri()))
        .send()
        .await
        .expect("resumed");
    assert_eq!(object.size, length);
    session
}

#[tokio::test]
async fn preconditions_pagination_and_limits() {
    let emulator = MediaEmulator::start().await.unwrap();
    let client = client(emulator.endpoint());
    let objects = client.objects();
    for i in 0..5 {
        objects
            .insert("media", Object::default())
            .name(format!("o{i}"))
            .upload(MediaSource::from_bytes(vec![i as u8; 10], "application/octet-stream"))
            .send()
            .await
            .unwrap();
    }
    // Pagination: 5 objects, 2 per page.
    let pages: Vec<_> = objects.list("media").max_results(2).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    let names: Vec<_> = objects
        .list("media")
        .max_results(2)
        .items()
        .map_ok(|o| o.name.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["o0", "o1", "o2", "o3", "o4"]);

    // ifGenerationMatch=0 on an existing object: 412 with the server's message.
    let error = objects
        .insert("media", Object::default())
        .name("o1")
        .if_generation_match(0)
        .upload(MediaSource::from_bytes("x", "text/plain"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(412), "{error}");
    assert!(error.to_string().contains("pre-conditions you specified did not hold"), "{error}");

    // accept and maxSize are checked before anything is sent.
    let sessions = emulator.stats().sessions;
    let upload = |media| {
        discogen_runtime::media::MediaUpload::<Object>::new(
            client.runtime().clone(),
            "test.images.insert",
            google_storage_v1::SERVICE_PATH,
            Ok(discogen_runtime::Request::new(discogen_runtime::Method::Post, "upload/storage/v1/b/media/o")
                .query("name", "refused")),
            media,
        )
        .accept(&["image/*"])
        .max_size(Some(1024))
    };
    let error = upload(MediaSource::from_bytes("text", "text/plain")).send().await.unwrap_err();
    assert!(error.to_string().contains("test.images.insert: media of type \"text/plain\" is not accepted"), "{error}");
    let error = upload(MediaSource::from_bytes(vec![0u8; 2048], "image/png")).send().await.unwrap_err();
    assert!(error.to_string().contains("exceeds the method's maximum size of 1024 bytes"), "{error}");
    let unknown = MediaSource::from_reader(std::io::Cursor::new(vec![0u8; 600 * 1024]), "image/png", None);
    let error = upload(unknown).send().await.unwrap_err();
    assert!(error.to_string().contains("maximum size of 1024 bytes"), "{error}");
    assert_eq!(emulator.object("media", "refused"), None);
    // The unknown-length source was read up to one chunk first, so not even a session started.
    assert_eq!(emulator.stats().sessions, sessions);
}

/// Drive v3 `files.create` with metadata: the generated `upload` sends `uploadType=multipart`
/// to `upload/drive/v3/files` at the root URL, and the body is Google's documented
/// `multipart/related` layout (metadata part, then media part), byte for byte.
#[tokio::test]
async fn drive_files_create_multipart_matches_googles_documented_body() {
    // What the generator writes for files.create, from the corpus's Drive document.
    let discovery =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/media/drive.v3.json")).unwrap();
    let files = discogen::pipeline::client(discogen::pipeline::Input { name: "drive.v3.json", text: &discovery }, None)
        .unwrap();
    let source = &files.iter().find(|f| f.path == "src/files.rs").expect("src/files.rs").contents;
    let lib = &files.iter().find(|f| f.path == "src/lib.rs").expect("src/lib.rs").contents;
    let create = &source[source.find("pub struct Create ").expect("Create builder")..];
    let upload = &create[create.find("pub fn upload(").expect("Create::upload")..];
    let upload = &upload[..upload.find("\n    }\n").unwrap()];
    let flat: String = upload.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Request::from_template(Method::Post, \"upload/drive/v3/files\", &[])"), "{flat}");
    assert!(flat.contains("request.json(&self.body)"), "{flat}");
    assert!(flat.contains("\"drive.files.create\", crate::SERVICE_PATH"), "{flat}");
    assert!(flat.contains(".accept(&[\"*/*\"]) .max_size(Some(5497558138880u64))"), "{flat}");
    assert!(lib.contains("pub const SERVICE_PATH: &str = \"drive/v3/\";"), "{lib}");

    // The same call through the runtime, captured on the wire.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if let Some(split) = text.find("\r\n\r\n") {
                let length: usize = text[..split]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if request.len() >= split + 4 + length {
                    break;
                }
            }
        }
        let answer = br#"{"id":"1","name":"myObject"}"#;
        let head =
            format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", answer.len());
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(answer).await.unwrap();
        request
    });
    // The client's and the call's headers and the standard parameters ride on media calls too.
    let runtime = discogen_runtime::Client::builder(format!("http://{addr}/drive/v3/"))
        .quota_project("my-quota-project")
        .no_auth()
        .build()
        .unwrap();
    let request = discogen_runtime::Request::new(discogen_runtime::Method::Post, "upload/drive/v3/files")
        .options(discogen_runtime::RequestOptions::default().with_header("x-call", "1").with_fields("id"))
        .json(&serde_json::json!({"name": "myObject"}));
    let created: serde_json::Value = discogen_runtime::media::MediaUpload::new(
        runtime,
        "drive.files.create",
        "drive/v3/",
        request,
        MediaSource::from_bytes("JPEG data", "image/jpeg"),
    )
    .accept(&["*/*"])
    .multipart_boundary("foo_bar_baz")
    .send()
    .await
    .unwrap();
    assert_eq!(created["id"], "1");
    let request = server.await.unwrap();
    let split = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&request[..split]).to_ascii_lowercase();
    assert!(
        head.starts_with("post /upload/drive/v3/files?fields=id&prettyprint=false&uploadtype=multipart http/1.1"),
        "{head}"
    );
    assert!(head.contains("\r\nx-goog-user-project: my-quota-project\r\n"), "{head}");
    assert!(head.contains("\r\nx-call: 1\r\n"), "{head}");
    assert!(head.contains("\r\nuser-agent: discogen-runtime/"), "{head}");
    assert!(head.contains("content-type: multipart/related; boundary=foo_bar_baz"), "{head}");
    // https://developers.google.com/drive/api/guides/manage-uploads#multipart, with the
    // metadata serialized compactly and CRLF line ends (RFC 2046).
    let documented = "--foo_bar_baz\r\n\
        Content-Type: application/json; charset=UTF-8\r\n\
        \r\n\
        {\"name\":\"myObject\"}\r\n\
        --foo_bar_baz\r\n\
        Content-Type: image/jpeg\r\n\
        \r\n\
        JPEG data\r\n\
        --foo_bar_baz--\r\n";
    assert_eq!(String::from_utf8_lossy(&request[split + 4..]), documented);
}
