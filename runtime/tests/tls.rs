//! The TLS backend of the enabled feature (`rustls-ring`, `rustls-aws-lc` or `native-tls`)
//! completes a real handshake: a call over HTTPS to a server on 127.0.0.1 whose certificate
//! is signed by a test-only CA (`tests/tls/`), trusted through `http_client_builder`. CI runs
//! this once per feature; without any TLS feature, an https endpoint is a clear error.

use std::sync::Arc;

#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc", feature = "native-tls"))]
use discogen_runtime::transport::reqwest;
use discogen_runtime::transport::TLS_BACKEND;
use discogen_runtime::{Client, Error, Method, Request};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const CERT: &[u8] = include_bytes!("tls/server.pem");
const KEY: &[u8] = include_bytes!("tls/server.key");

/// An HTTPS server answering every request with `{"backend": "ok"}`; its port.
async fn https_server() -> u16 {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(CERT).map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    // The server's own provider, whatever the client under test uses.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let mut head = Vec::new();
                let mut buffer = [0; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let body = r#"{"backend": "ok"}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc", feature = "native-tls"))]
fn client(port: u16) -> Client {
    let ca = reqwest::Certificate::from_pem(include_bytes!("tls/ca.pem")).unwrap();
    Client::builder(format!("https://localhost:{port}/"))
        .no_auth()
        .http_client_builder(reqwest::Client::builder().add_root_certificate(ca))
        .build()
        .unwrap()
}

#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc", feature = "native-tls"))]
#[tokio::test]
async fn a_call_over_https_with_the_enabled_backend() {
    let port = https_server().await;
    let result = client(port).execute::<serde_json::Value>(Request::new(Method::Get, "v1/x")).await;
    let answer = result.unwrap_or_else(|error| panic!("{TLS_BACKEND}: {error}"));
    assert_eq!(answer["backend"], "ok", "{TLS_BACKEND}");
}

/// A certificate no trusted CA signed is refused, by every backend (and without a TLS
/// feature, https is refused altogether).
#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let port = https_server().await;
    let client = Client::builder(format!("https://localhost:{port}/")).no_auth().build().unwrap();
    let error = client.execute::<serde_json::Value>(Request::new(Method::Get, "v1/x")).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{TLS_BACKEND}: {error:?}");
}
