//! Media goes through the client's `Transport` (`send_streaming`): `MockTransport` records
//! uploads with their bodies and answers downloads with queued responses, streamed; so an
//! application can test its media code without a network. The cases: a multipart and a
//! simple upload, a resumable upload in chunks with a failed chunk resumed from the
//! session's offset, a download, a download cut short and resumed by `Range` (and refused
//! when the ETag changed), a redirected download, a transport implementing only `send`, and
//! one that streams request bodies (one `PUT`, bounded by progress rather than its length).

use discogen_runtime::media::{MediaDownload, MediaSource, MediaUpload};
use discogen_runtime::transport::{HttpRequest, HttpResponse, MockTransport, Transport, TransportFuture};
use discogen_runtime::{Client, Error, Method, Request};
use serde_json::{json, Value};

const ENDPOINT: &str = "https://storage.googleapis.com/storage/v1/";

fn client(transport: impl Transport + 'static) -> Client {
    Client::builder(ENDPOINT).bearer_token("test-token").transport(transport).build().unwrap()
}

fn upload(client: &Client, metadata: Option<Value>, media: MediaSource) -> MediaUpload<Value> {
    let mut request = Request::new(Method::Post, "upload/storage/v1/b/bkt/o");
    if let Some(metadata) = metadata {
        request = request.json(&metadata).unwrap();
    }
    MediaUpload::new(client.clone(), "storage.objects.insert", "storage/v1/", Ok(request), media)
}

/// `len` bytes of a pattern that does not repeat every 256 KiB.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[tokio::test]
async fn a_multipart_upload_is_recorded_with_its_body() {
    let mock = MockTransport::new();
    mock.push_json(200, json!({"name": "a.txt", "size": "5"}));
    let client = client(mock.clone());
    let object = upload(&client, Some(json!({"name": "a.txt"})), MediaSource::from_bytes("hello", "text/plain"))
        .multipart_boundary("BOUNDARY")
        .send()
        .await
        .unwrap();
    assert_eq!(object["name"], "a.txt");

    let sent = mock.requests();
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url.host_str(), Some("storage.googleapis.com"));
    assert_eq!(request.url.path(), "/upload/storage/v1/b/bkt/o");
    assert_eq!(request.query_value("uploadType").as_deref(), Some("multipart"));
    assert_eq!(request.header("authorization"), Some("Bearer test-token"));
    assert_eq!(request.header("content-type"), Some("multipart/related; boundary=BOUNDARY"));
    assert_eq!(request.header("content-length"), Some(request.body.len().to_string().as_str()));
    assert_eq!(
        &request.body[..],
        &b"--BOUNDARY\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{\"name\":\"a.txt\"}\r\n\
           --BOUNDARY\r\nContent-Type: text/plain\r\n\r\nhello\r\n--BOUNDARY--\r\n"[..]
    );
}

#[tokio::test]
async fn a_simple_upload_is_recorded_with_the_media_as_body() {
    let mock = MockTransport::new();
    mock.push_json(200, json!({"name": "b"}));
    upload(&client(mock.clone()), None, MediaSource::from_bytes("raw bytes", "application/octet-stream"))
        .send()
        .await
        .unwrap();
    let request = &mock.requests()[0];
    assert_eq!(request.query_value("uploadType").as_deref(), Some("media"));
    assert_eq!(request.header("content-type"), Some("application/octet-stream"));
    assert_eq!(&request.body[..], b"raw bytes");
}

#[tokio::test(start_paused = true)]
async fn a_resumable_upload_sends_chunks_and_resumes_after_a_failed_one() {
    const KIB256: usize = 256 * 1024;
    let media = pattern(2 * KIB256 + 1000);
    let session = "https://storage.googleapis.com/upload/storage/v1/b/bkt/o?uploadType=resumable&upload_id=S1";
    let mock = MockTransport::new();
    mock.push(HttpResponse::new(200, "").with_header("Location", session))
        // First chunk: taken.
        .push(HttpResponse::new(308, "").with_header("Range", "bytes=0-262143"))
        // Second chunk: a 503; the status query says the session still has the first only.
        .push(HttpResponse::new(503, "{}"))
        .push(HttpResponse::new(308, "").with_header("Range", "bytes=0-262143"))
        // Second chunk again, then the last.
        .push(HttpResponse::new(308, "").with_header("Range", "bytes=0-524287"))
        .push_json(200, json!({"name": "big", "size": media.len().to_string()}));
    let object = upload(
        &client(mock.clone()),
        Some(json!({"name": "big"})),
        MediaSource::from_bytes(media.clone(), "video/mp4"),
    )
    .chunk_size(KIB256)
    .resumable()
    .send()
    .await
    .unwrap();
    assert_eq!(object["name"], "big");
    assert_eq!(mock.pending(), 0);

    let sent = mock.requests();
    let start = &sent[0];
    assert_eq!(start.method, Method::Post);
    assert_eq!(start.query_value("uploadType").as_deref(), Some("resumable"));
    assert_eq!(start.header("x-upload-content-type"), Some("video/mp4"));
    assert_eq!(start.header("x-upload-content-length"), Some(media.len().to_string().as_str()));
    assert_eq!(start.json(), json!({"name": "big"}));

    let total = media.len();
    let ranges: Vec<(Method, Option<&str>, usize)> =
        sent[1..].iter().map(|r| (r.method, r.header("content-range"), r.body.len())).collect();
    let first = format!("bytes 0-262143/{total}");
    let second = format!("bytes 262144-524287/{total}");
    let query = format!("bytes */{total}");
    let last = format!("bytes 524288-{}/{total}", total - 1);
    assert_eq!(
        ranges,
        [
            (Method::Put, Some(first.as_str()), KIB256),
            (Method::Put, Some(second.as_str()), KIB256),
            (Method::Put, Some(query.as_str()), 0),
            (Method::Put, Some(second.as_str()), KIB256),
            (Method::Put, Some(last.as_str()), 1000),
        ]
    );
    for request in &sent[1..] {
        assert_eq!(request.url.as_str(), session);
        assert_eq!(request.header("authorization"), Some("Bearer test-token"), "same origin: credentials");
    }
    // What the session stored: every confirmed chunk once, in order.
    let stored: Vec<u8> = [&sent[1], &sent[4], &sent[5]].iter().flat_map(|r| r.body.to_vec()).collect();
    assert_eq!(stored, media);
}

fn download(client: &Client) -> MediaDownload {
    MediaDownload::new(client.clone(), Request::new(Method::Get, "b/bkt/o/obj"))
}

#[tokio::test]
async fn a_download_is_answered_by_the_mock_and_streamed() {
    let media = pattern(200 * 1024);
    let mock = MockTransport::new();
    mock.push(HttpResponse::new(200, media.clone()).with_header("ETag", "\"e1\""));
    let mut stream = download(&client(mock.clone())).stream().await.unwrap();
    let mut pieces = 0;
    let mut got = Vec::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
        got.extend_from_slice(&chunk.unwrap());
        pieces += 1;
    }
    assert_eq!(got, media);
    assert!(pieces > 1, "the mock streams a body in pieces");
    let request = &mock.requests()[0];
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.url.path(), "/storage/v1/b/bkt/o/obj");
    assert_eq!(request.query_value("alt").as_deref(), Some("media"));
    assert_eq!(request.header("authorization"), Some("Bearer test-token"));
    assert_eq!(request.header("range"), None);
}

#[tokio::test(start_paused = true)]
async fn a_download_cut_short_is_resumed_by_range() {
    let media = pattern(300_000);
    let mock = MockTransport::new();
    // The body stops at 100 000 of the 300 000 bytes its Content-Length announces.
    mock.push(
        HttpResponse::new(200, media[..100_000].to_vec())
            .with_header("Content-Length", "300000")
            .with_header("ETag", "\"e1\""),
    )
    .push(
        HttpResponse::new(206, media[100_000..].to_vec())
            .with_header("Content-Range", "bytes 100000-299999/300000")
            .with_header("Content-Length", "200000")
            .with_header("ETag", "\"e1\""),
    );
    let got = download(&client(mock.clone())).bytes().await.unwrap();
    assert_eq!(got, media);
    let sent = mock.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].header("range"), None);
    assert_eq!(sent[1].header("range"), Some("bytes=100000-"));
    assert_eq!(sent[1].header("authorization"), Some("Bearer test-token"));

    // The same cut, but the media changed in between: refused, not spliced.
    let mock = MockTransport::new();
    mock.push(
        HttpResponse::new(200, media[..10].to_vec())
            .with_header("Content-Length", "300000")
            .with_header("ETag", "\"e1\""),
    )
    .push(
        HttpResponse::new(206, media[10..].to_vec())
            .with_header("Content-Range", "bytes 10-299999/300000")
            .with_header("ETag", "\"e2\""),
    );
    let err = download(&client(mock)).bytes().await.unwrap_err();
    assert!(matches!(err, Error::InvalidResponse(_)), "{err:?}");
    assert!(err.to_string().contains("ETag"), "{err}");
}

#[tokio::test]
async fn a_redirected_download_carries_no_credentials_off_the_origin() {
    let mock = MockTransport::new();
    mock.push(HttpResponse::new(302, "").with_header("Location", "https://cdn.example.com/blob?sig=1"))
        .push(HttpResponse::new(200, "the media"));
    let got = download(&client(mock.clone())).bytes().await.unwrap();
    assert_eq!(got, b"the media");
    let sent = mock.requests();
    assert_eq!(sent[1].url.as_str(), "https://cdn.example.com/blob?sig=1");
    assert_eq!(sent[1].header("authorization"), None);
    assert!(sent[1].headers.is_empty(), "{:?}", sent[1]);
}

/// A transport of the user's that implements `send` only: media still goes through it.
#[derive(Debug)]
struct SendOnly(MockTransport);

impl Transport for SendOnly {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        self.0.send(request)
    }
}

#[tokio::test]
async fn a_transport_with_send_only_carries_media_through_the_default() {
    let mock = MockTransport::new();
    mock.push_json(200, json!({"name": "c"})).push(HttpResponse::new(200, "downloaded"));
    let client = client(SendOnly(mock.clone()));
    upload(&client, Some(json!({"name": "c"})), MediaSource::from_bytes("up", "text/plain")).send().await.unwrap();
    assert_eq!(download(&client).bytes().await.unwrap(), b"downloaded");
    let sent = mock.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].query_value("uploadType").as_deref(), Some("multipart"));
    assert_eq!(sent[1].query_value("alt").as_deref(), Some("media"));
}

/// Bodies and `Content-Range`s of the session `PUT`s (every request after the start).
fn puts(mock: &MockTransport) -> Vec<(String, Vec<u8>)> {
    mock.requests()[1..].iter().map(|r| (r.header("content-range").unwrap_or("").to_owned(), r.body.to_vec())).collect()
}

const SESSION: &str = "https://storage.googleapis.com/upload/storage/v1/b/bkt/o?uploadType=resumable&upload_id=S2";

/// The server keeps only part of a chunk (a `308` whose `Range` ends inside it): the rest of
/// that chunk goes again, in front of the bytes already read ahead for the next one, and the
/// session ends up with the media exactly.
#[tokio::test(start_paused = true)]
async fn a_chunk_the_server_kept_only_part_of_is_sent_again_from_its_offset() {
    const KIB256: usize = 256 * 1024;
    let media = pattern(3 * KIB256 + 500);
    let total = media.len();
    let mock = MockTransport::new();
    mock.push(HttpResponse::new(200, "").with_header("Location", SESSION))
        .push(HttpResponse::new(308, "").with_header("Range", "bytes=0-99999"))
        .push(HttpResponse::new(308, "").with_header("Range", &format!("bytes=0-{}", 100_000 + KIB256 - 1)))
        .push(HttpResponse::new(308, "").with_header("Range", &format!("bytes=0-{}", 100_000 + 2 * KIB256 - 1)))
        .push_json(200, json!({"name": "part"}));
    let object = upload(&client(mock.clone()), None, MediaSource::from_bytes(media.clone(), "a/b"))
        .chunk_size(KIB256)
        .resumable()
        .send()
        .await
        .unwrap();
    assert_eq!(object["name"], "part");
    assert_eq!(mock.pending(), 0);
    let sent = puts(&mock);
    let ranges: Vec<&str> = sent.iter().map(|(range, _)| range.as_str()).collect();
    let second_end = 100_000 + KIB256;
    let third_end = 100_000 + 2 * KIB256;
    assert_eq!(
        ranges,
        [
            format!("bytes 0-{}/{total}", KIB256 - 1),
            format!("bytes 100000-{}/{total}", second_end - 1),
            format!("bytes {second_end}-{}/{total}", third_end - 1),
            format!("bytes {third_end}-{}/{total}", total - 1),
        ]
    );
    let mut stored = sent[0].1[..100_000].to_vec();
    for (_, body) in &sent[1..] {
        stored.extend_from_slice(body);
    }
    assert_eq!(stored, media);
}

/// A file source (read on the blocking pool, the next chunk while the current one is sent):
/// a chunk fails after the server kept part of it; the status query's offset is inside that
/// chunk, the upload goes on from there, and the session holds the file's bytes exactly.
#[tokio::test]
async fn a_file_upload_resumes_inside_a_failed_chunk_with_exact_bytes() {
    const KIB256: usize = 256 * 1024;
    let media = pattern(3 * KIB256 + 700);
    let total = media.len();
    let path = std::env::temp_dir().join(format!("discogen-media-{}-resume.bin", std::process::id()));
    std::fs::write(&path, &media).unwrap();
    let mock = MockTransport::new();
    let kept = 300_000usize;
    mock.push(HttpResponse::new(200, "").with_header("Location", SESSION))
        .push(HttpResponse::new(308, "").with_header("Range", &format!("bytes=0-{}", KIB256 - 1)))
        .push(HttpResponse::new(503, "{}"))
        .push(HttpResponse::new(308, "").with_header("Range", &format!("bytes=0-{}", kept - 1)))
        .push(HttpResponse::new(308, "").with_header("Range", &format!("bytes=0-{}", kept + KIB256 - 1)))
        .push_json(200, json!({"name": "file"}));
    let media_source = MediaSource::from_path(&path, "a/b").await.unwrap();
    let policy = discogen_runtime::RetryPolicy::default().with_initial_backoff(std::time::Duration::from_millis(1));
    let object = upload(&client(mock.clone()), None, media_source)
        .chunk_size(KIB256)
        .resumable()
        .retry_policy(policy)
        .send()
        .await
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(object["name"], "file");
    assert_eq!(mock.pending(), 0);
    let sent = puts(&mock);
    let ranges: Vec<&str> = sent.iter().map(|(range, _)| range.as_str()).collect();
    assert_eq!(
        ranges,
        [
            format!("bytes 0-{}/{total}", KIB256 - 1),
            format!("bytes {KIB256}-{}/{total}", 2 * KIB256 - 1),
            format!("bytes */{total}"),
            format!("bytes {kept}-{}/{total}", kept + KIB256 - 1),
            format!("bytes {}-{}/{total}", kept + KIB256, total - 1),
        ]
    );
    // What the session stored: the first chunk, the part of the failed one it kept, the rest.
    let mut stored = sent[0].1.clone();
    stored.extend_from_slice(&sent[1].1[..kept - KIB256]);
    stored.extend_from_slice(&sent[3].1);
    stored.extend_from_slice(&sent[4].1);
    assert_eq!(stored, media);
}

/// A transport that streams request bodies: it takes the body after `take_after`, answers
/// `answer_after` later (from the mock's queue, which records the request with the body it
/// took), or never looks at the body nor answers when `stall` is set.
#[derive(Debug)]
struct Streaming {
    mock: MockTransport,
    take_after: std::time::Duration,
    answer_after: std::time::Duration,
    stall: bool,
}

impl Transport for Streaming {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        self.mock.send(request)
    }

    fn streams_request_bodies(&self) -> bool {
        true
    }

    fn send_streaming_body(
        &self,
        mut request: HttpRequest,
        body: discogen_runtime::transport::RequestBody,
    ) -> discogen_runtime::transport::StreamingFuture<'_> {
        Box::pin(async move {
            if self.stall {
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(self.take_after).await;
            request.body = body.collect().await?;
            tokio::time::sleep(self.answer_after).await;
            self.mock.send_streaming(request).await
        })
    }
}

/// Through a transport that streams request bodies, bytes in memory go in one `PUT` for all of
/// it, and the call's timeout bounds each wait for progress, not the whole `PUT`: 40 s until
/// the body is taken and 50 s more until the answer pass under a 60 s timeout; a transport
/// that takes nothing and answers nothing times out.
#[tokio::test(start_paused = true)]
async fn a_streamed_upload_is_bounded_by_progress_not_by_its_whole_length() {
    let media = pattern(700_000);
    let mock = MockTransport::new();
    mock.push(HttpResponse::new(200, "").with_header("Location", SESSION)).push_json(200, json!({"name": "s"}));
    let secs = std::time::Duration::from_secs;
    let transport = Streaming { mock: mock.clone(), take_after: secs(40), answer_after: secs(50), stall: false };
    let no_retries = discogen_runtime::RetryPolicy::default().with_max_attempts(1);
    let build = |transport: Streaming| {
        Client::builder(ENDPOINT)
            .bearer_token("t")
            .timeout(secs(60))
            .retry_policy(no_retries.clone())
            .transport(transport)
            .build()
            .unwrap()
    };
    let client = build(transport);
    let started = tokio::time::Instant::now();
    let object = upload(&client, None, MediaSource::from_bytes(media.clone(), "a/b")).resumable().send().await.unwrap();
    assert_eq!(object["name"], "s");
    assert!(started.elapsed() >= secs(90), "{:?}", started.elapsed());
    let puts = puts(&mock);
    assert_eq!(puts.len(), 1, "one PUT for all of it");
    assert_eq!(puts[0].0, format!("bytes 0-{}/{}", media.len() - 1, media.len()));
    assert_eq!(puts[0].1, media);

    let mock = MockTransport::new();
    mock.push(HttpResponse::new(200, "").with_header("Location", SESSION));
    let client = build(Streaming { mock: mock.clone(), take_after: secs(0), answer_after: secs(0), stall: true });
    let started = tokio::time::Instant::now();
    let err = upload(&client, None, MediaSource::from_bytes(media, "a/b")).resumable().send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < secs(125), "{:?}", started.elapsed());
}
