//! Discovery's `dataWrapper` feature (translate v2), as Google's client libraries apply it: a
//! call marked `Request::data_wrapper` sends its JSON body as `{"data": body}` and returns
//! the response's `data` member, for plain calls, raw responses and uploads (multipart and
//! resumable); an unmarked call is sent and read as it is.

use discogen_runtime::media::{MediaSource, MediaUpload};
use discogen_runtime::transport::{HttpResponse, MockTransport};
use discogen_runtime::{Client, Method, Request};
use serde_json::{json, Value};

fn client(mock: &MockTransport) -> Client {
    Client::builder("https://translation.googleapis.com/language/translate/")
        .no_auth()
        .transport(mock.clone())
        .build()
        .unwrap()
}

fn translate(body: &Value) -> Request {
    Request::new(Method::Post, "v2").json(body).unwrap().method_id("language.translations.translate")
}

fn sent_body(mock: &MockTransport, index: usize) -> Value {
    serde_json::from_slice(&mock.requests()[index].body).unwrap()
}

#[tokio::test]
async fn the_body_is_wrapped_and_the_answer_unwrapped() {
    let mock = MockTransport::new();
    mock.push_json(200, json!({"data": {"translations": [{"translatedText": "Hallo"}]}}));
    let client = client(&mock);
    let body = json!({"q": ["Hello"], "target": "de"});
    let answer: Value = client.execute(translate(&body).data_wrapper()).await.unwrap();
    assert_eq!(answer, json!({"translations": [{"translatedText": "Hallo"}]}));
    assert_eq!(sent_body(&mock, 0), json!({"data": {"q": ["Hello"], "target": "de"}}));
}

#[tokio::test]
async fn a_call_without_the_mark_is_sent_and_read_as_it_is() {
    let mock = MockTransport::new();
    mock.push_json(200, json!({"data": {"translations": []}}));
    let client = client(&mock);
    let answer: Value = client.execute(translate(&json!({"q": ["Hello"]}))).await.unwrap();
    assert_eq!(answer, json!({"data": {"translations": []}}));
    assert_eq!(sent_body(&mock, 0), json!({"q": ["Hello"]}));
}

#[tokio::test]
async fn a_raw_response_and_a_get_without_body() {
    let mock = MockTransport::new();
    mock.push(HttpResponse::new(200, r#"{"data":{"languages":[{"language":"de"}]}}"#));
    mock.push(HttpResponse::new(200, r#"{"languages":[]}"#));
    let client = client(&mock);
    let raw = client.execute_raw(Request::new(Method::Get, "v2/languages").data_wrapper()).await.unwrap();
    assert_eq!(&raw.body()[..], br#"{"languages":[{"language":"de"}]}"#);
    // A server that does not wrap: the body is decoded as it came.
    let plain: Value = client.execute(Request::new(Method::Get, "v2/languages").data_wrapper()).await.unwrap();
    assert_eq!(plain, json!({"languages": []}));
    assert!(mock.requests()[0].body.is_empty(), "nothing to wrap on a GET");
}

#[tokio::test]
async fn an_upload_wraps_its_metadata_and_unwraps_the_answer() {
    let mock = MockTransport::new();
    mock.push_json(200, json!({"data": {"name": "a.txt"}}));
    mock.push(
        HttpResponse::new(200, "").with_header("location", "https://translation.googleapis.com/upload/session/1"),
    );
    mock.push_json(200, json!({"data": {"name": "b.txt"}}));
    let client = client(&mock);
    let upload = |name: &str| {
        let request =
            Request::new(Method::Post, "upload/v2/files").json(&json!({"name": name})).unwrap().data_wrapper();
        MediaUpload::<Value>::new(
            client.clone(),
            "translate.files.insert",
            "language/translate/",
            Ok(request),
            MediaSource::from_bytes("hello", "text/plain"),
        )
    };
    let small = upload("a.txt").multipart_boundary("B").send().await.unwrap();
    assert_eq!(small, json!({"name": "a.txt"}));
    let body = String::from_utf8(mock.requests()[0].body.to_vec()).unwrap();
    assert!(body.contains("\r\n\r\n{\"data\":{\"name\":\"a.txt\"}}\r\n--B"), "{body}");

    let resumable = upload("b.txt").resumable().send().await.unwrap();
    assert_eq!(resumable, json!({"name": "b.txt"}));
    assert_eq!(sent_body(&mock, 1), json!({"data": {"name": "b.txt"}}), "the session's metadata");
}
