//! The default transport: reqwest.

use bytes::Bytes;
use url::Url;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{
    HttpRequest, HttpResponse, RequestBody, RequestBodyStream, StreamingFuture, StreamingResponse, Transport,
    TransportError, TransportFuture,
};
use crate::error::BoxError;

/// The body of `response`, read chunk by chunk and abandoned once it passes `limit` bytes:
/// neither a `Content-Length` nor its absence is trusted, so a lying or endless body costs
/// at most `limit` bytes of memory.
async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<Bytes, TransportError> {
    let length = response.content_length();
    if length.is_some_and(|length| length > limit) {
        return Err(TransportError::response_too_large(limit));
    }
    // A small body usually comes as one chunk: kept as it is, not copied.
    let Some(first) = response.chunk().await? else { return Ok(Bytes::new()) };
    if first.len() as u64 > limit {
        return Err(TransportError::response_too_large(limit));
    }
    let Some(second) = response.chunk().await? else { return Ok(first) };
    // The announced length as a first guess of the size, not trusted beyond 1 MiB (a lying
    // server must not make us reserve the limit up front).
    let expected = length.unwrap_or(0).min(limit).min(1 << 20) as usize;
    let mut body = bytes::BytesMut::with_capacity(expected.max(first.len() + second.len()));
    let mut next = Some(second);
    body.extend_from_slice(&first);
    while let Some(chunk) = next {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(TransportError::response_too_large(limit));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok(body.freeze())
}

/// The default transport: a `reqwest::Client` (connection pool, TLS, proxies as configured
/// on it).
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    http: reqwest::Client,
    /// Whether `http` may follow redirects on its own (a client of the user's), so that each
    /// response's URL is compared with the request's; the runtime's own clients follow none
    /// ([`crate::redirect::http_policy`]) and skip the URL's copy.
    may_redirect: bool,
}

impl ReqwestTransport {
    /// Sends through `http`.
    pub fn new(http: reqwest::Client) -> Self {
        ReqwestTransport { http, may_redirect: true }
    }

    /// Sends through `http`, built by the runtime with [`crate::http_client::runtime_http`]
    /// (it follows no redirect).
    pub(crate) fn follows_no_redirects(http: reqwest::Client) -> Self {
        ReqwestTransport { http, may_redirect: false }
    }
}

impl ReqwestTransport {
    /// `request` as reqwest's, with `streamed` as the body instead of `request.body` when
    /// there is one.
    fn build(&self, request: HttpRequest, streamed: Option<RequestBody>) -> Result<reqwest::Request, TransportError> {
        let method = request.method.to_reqwest();
        let mut sent = if request.url.username().is_empty() && request.url.password().is_none() {
            // The request built directly (no `RequestBuilder`): the headers are moved in, not
            // copied entry by entry.
            let mut sent = reqwest::Request::new(method, request.url);
            *sent.headers_mut() = request.headers;
            sent
        } else {
            // User info (a redirect target or session URI of a media call): reqwest's builder
            // moves it out of the URL into `Authorization: Basic`, so that no secret stays in
            // the URL (connection pool keys, logs); the request's own headers win over it.
            let mut sent = self.http.request(method, request.url).build()?;
            let mut headers = request.headers;
            for (name, value) in sent.headers() {
                if !headers.contains_key(name) {
                    headers.insert(name.clone(), value.clone());
                }
            }
            *sent.headers_mut() = headers;
            sent
        };
        if let Some(streamed) = streamed {
            let length = streamed.len();
            let stream = std::sync::Mutex::new(streamed.into_stream());
            *sent.body_mut() = Some(reqwest::Body::wrap(StreamedBody { stream, length }));
        } else if request.method.has_body() || !request.body.is_empty() {
            *sent.body_mut() = Some(request.body.into());
        }
        Ok(sent)
    }

    /// Sends `request` (with `streamed` as its body when there is one) and returns the
    /// response once its headers are in. A redirect the user's `reqwest::Client` followed on
    /// its own is a configuration error.
    ///
    /// Not async: the request is handed to reqwest (which boxes it) before the future is
    /// made, so the future holds reqwest's small `Pending` and not the request's parts (an
    /// async fn keeps its arguments for its whole life). This keeps the boxed future of
    /// [`Transport::send`] under glibc's 1 032-byte thread cache limit (1 152 bytes before,
    /// which took every call through the arena's locked bins). Nothing is sent before the
    /// future is polled.
    fn execute(
        &self,
        request: HttpRequest,
        streamed: Option<RequestBody>,
    ) -> impl Future<Output = Result<reqwest::Response, TransportError>> + Send {
        let sending = self.build(request, streamed).map(|sent| {
            // Boxed: the runtime's own clients follow no redirect and skip the copy, and the
            // future stays a pointer wide for them.
            let url = self.may_redirect.then(|| Box::new(sent.url().clone()));
            (self.http.execute(sent), url)
        });
        async move {
            let (pending, url) = sending?;
            let response = pending.await?;
            if let Some(url) = url {
                if response.url() != &*url {
                    let error = TransportError::new(followed_redirect(response.url()));
                    return Err(TransportError { misconfigured: true, ..error });
                }
            }
            Ok(response)
        }
    }
}

impl Transport for ReqwestTransport {
    // No reqwest timeout: the runtime's own bound on the attempt (token fetch included)
    // gives one `Error::Timeout` whatever the transport.
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let limit = request.max_response_bytes;
        let sending = self.execute(request, None);
        Box::pin(async move {
            let mut response = sending.await?;
            let status = response.status().as_u16();
            // Taken, not cloned: the body is read without them.
            let headers = std::mem::take(response.headers_mut());
            let body = read_body(response, limit).await?;
            Ok(HttpResponse { status, headers, body })
        })
    }

    fn send_streaming(&self, request: HttpRequest) -> StreamingFuture<'_> {
        self.send_streaming_with(request, None)
    }

    fn streams_request_bodies(&self) -> bool {
        true
    }

    fn send_streaming_body(&self, request: HttpRequest, body: RequestBody) -> StreamingFuture<'_> {
        self.send_streaming_with(request, Some(body))
    }
}

impl ReqwestTransport {
    fn send_streaming_with(&self, request: HttpRequest, streamed: Option<RequestBody>) -> StreamingFuture<'_> {
        let sending = self.execute(request, streamed);
        Box::pin(async move {
            let mut response = sending.await?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = futures_util::stream::unfold(Some(response), |response| async move {
                let mut response = response?;
                match response.chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                    Ok(None) => None,
                    Err(error) => Some((Err(TransportError::from(error)), None)),
                }
            });
            Ok(StreamingResponse::new(status, headers, body))
        })
    }
}

/// A [`RequestBody`] as the `http_body::Body` reqwest sends: its pieces as data frames, its
/// exact length as the size hint. In a `Mutex` only to be `Sync` (as `reqwest::Body::wrap`
/// wants); it is reached through `get_mut`, never locked.
struct StreamedBody {
    stream: std::sync::Mutex<RequestBodyStream>,
    length: u64,
}

impl http_body::Body for StreamedBody {
    type Data = bytes::Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        let stream = this.stream.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        match stream.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(piece))) => {
                this.length = this.length.saturating_sub(piece.len() as u64);
                Poll::Ready(Some(Ok(http_body::Frame::data(piece))))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.length)
    }
}

/// The error for a `reqwest::Client` of the user's that followed a redirect on its own
/// (the runtime's clients follow none): the call fails, naming where it went.
fn followed_redirect(to: &Url) -> String {
    format!(
        "the HTTP client followed a redirect to {}; build it with \
         redirect(reqwest::redirect::Policy::none()) or use ClientBuilder::http_client_builder",
        crate::redact::redacted(to)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::sample_request;
    use reqwest::header::HeaderValue;

    /// User info in a URL (a media redirect target or session URI) leaves the URL as
    /// `Authorization: Basic`, as reqwest's request builder does, so that it is in no
    /// connection pool key or log; a header of the request's own wins over it.
    #[tokio::test]
    async fn user_info_goes_into_basic_credentials_not_the_url() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let mut heads = Vec::new();
            for _ in 0..2 {
                let (mut stream, _) = listener.accept().await.unwrap();
                let mut head = Vec::new();
                while !head.ends_with(b"\r\n\r\n") {
                    let mut byte = [0u8];
                    stream.read_exact(&mut byte).await.unwrap();
                    head.push(byte[0]);
                }
                stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").await.unwrap();
                heads.push(String::from_utf8(head).unwrap().to_ascii_lowercase());
            }
            heads
        });
        crate::tls::ensure_crypto_provider();
        let http = crate::http_client::runtime_http(reqwest::Client::builder()).build().unwrap();
        let transport = ReqwestTransport::new(http);
        let mut sent = sample_request("a");
        sent.url = Url::parse(&format!("http://user:pw@127.0.0.1:{port}/blob?sig=1")).unwrap();
        let response = transport.send_streaming(sent.clone()).await.unwrap();
        assert_eq!(response.collect(100).await.unwrap(), "ok");
        sent.headers.insert("authorization", HeaderValue::from_static("Bearer own"));
        assert_eq!(transport.send(sent).await.unwrap().body, "ok");
        let heads = server.await.unwrap();
        assert!(heads[0].starts_with("get /blob?sig=1 "), "{}", heads[0]);
        assert!(heads[0].contains("authorization: basic dxnlcjpwdw=="), "{}", heads[0]);
        assert!(heads[1].contains("authorization: bearer own") && !heads[1].contains("basic"), "{}", heads[1]);
    }
}
