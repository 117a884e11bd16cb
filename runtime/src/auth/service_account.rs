//! Service accounts: an RS256-signed JWT exchanged at the token endpoint
//! (JWT bearer grant, RFC 7523), or sent itself as the bearer token
//! (self-signed JWT, for APIs that accept it).

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use serde_json::json;
use url::Url;

use super::failure::AuthError;
use super::http::{self, TokenResponse};
use super::key_file::{self, CredentialFile, ServiceAccountKey};
use super::token_cell::{Token, TokenCell};
use super::{scope_list, AccessToken, TokenFuture, TokenProvider};

/// Lifetime of the JWTs this source signs (Google's maximum).
const JWT_LIFETIME: Duration = Duration::from_secs(3600);

const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Credentials of a service account key file.
///
/// By default the signed JWT is exchanged for an access token at the key's
/// `token_uri`; [`self_signed_jwt`](Self::self_signed_jwt) sends the JWT
/// itself, saving the round trip where the API allows it.
pub struct ServiceAccount {
    email: String,
    origin: String,
    key_id: Option<String>,
    signer: Arc<RsaKeyPair>,
    token_uri: Url,
    scopes: Vec<String>,
    self_signed: bool,
    http: reqwest::Client,
    cell: TokenCell,
}

impl ServiceAccount {
    /// Reads a `service_account` key file.
    pub fn from_file(path: impl AsRef<Path>, scopes: &[&str]) -> Result<Self, AuthError> {
        let path = path.as_ref();
        match key_file::read(path)? {
            CredentialFile::ServiceAccount(key) => Self::from_key(key, &format!("key file {}", path.display()), scopes),
            _ => Err(AuthError::new(
                format!("credentials file {}", path.display()),
                "field `type` is not \"service_account\"",
            )),
        }
    }

    /// Parses a `service_account` key given as JSON text.
    pub fn from_json(json: &str, scopes: &[&str]) -> Result<Self, AuthError> {
        match key_file::parse(json, "service account key")? {
            CredentialFile::ServiceAccount(key) => Self::from_key(key, "inline key", scopes),
            _ => Err(AuthError::new("service account key", "field `type` is not \"service_account\"")),
        }
    }

    pub(crate) fn from_key(key: ServiceAccountKey, origin: &str, scopes: &[&str]) -> Result<Self, AuthError> {
        let source = format!("service account {} ({origin})", key.client_email);
        let signer = parse_private_key(key.private_key.expose())
            .map_err(|problem| AuthError::new(&source, format!("field `private_key` {problem}")))?;
        let token_uri = http::endpoint(&key.token_uri, "field `token_uri`", &source)?;
        Ok(ServiceAccount {
            email: key.client_email,
            origin: source,
            key_id: key.private_key_id,
            signer: Arc::new(signer),
            token_uri,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            self_signed: false,
            http: http::client(),
            cell: TokenCell::default(),
        })
    }

    /// Sends a self-signed JWT carrying the scopes instead of exchanging it
    /// at the token endpoint (Google APIs accept this; see AIP-4111).
    pub fn self_signed_jwt(mut self) -> Self {
        self.self_signed = true;
        self
    }

    /// The service account's email address.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The JWT for this moment: claims per the mode, signed RS256.
    fn signed_jwt(&self) -> Result<String, AuthError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let mut header = json!({"alg": "RS256", "typ": "JWT"});
        if let Some(kid) = &self.key_id {
            header["kid"] = json!(kid);
        }
        let mut claims = json!({
            "iss": self.email,
            "scope": scope_list(&self.scopes),
            "iat": now,
            "exp": now + JWT_LIFETIME.as_secs(),
        });
        if self.self_signed {
            claims["sub"] = json!(self.email);
        } else {
            claims["aud"] = json!(self.token_uri.as_str());
        }
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let mut signature = vec![0; self.signer.public().modulus_len()];
        self.signer
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), signing_input.as_bytes(), &mut signature)
            .map_err(|_| AuthError::new(&self.origin, "RS256 signing failed"))?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }

    async fn fetch(&self) -> Result<Token, AuthError> {
        let jwt = self.signed_jwt()?;
        if self.self_signed {
            return Ok(Token { access: AccessToken::new(jwt), lifetime: Some(JWT_LIFETIME) });
        }
        let answer: TokenResponse =
            http::post_form(&self.http, &self.token_uri, &[("grant_type", JWT_BEARER_GRANT), ("assertion", &jwt)])
                .await
                .and_then(http::expect_token)
                .map_err(|reason| {
                    AuthError::new(&self.origin, format!("token endpoint {}: {reason}", self.token_uri))
                })?;
        Ok(Token::new(answer.access_token, answer.expires_in))
    }
}

/// PEM (`-----BEGIN PRIVATE KEY-----`, PKCS#8) to a signing key. The error
/// completes "field `private_key` ...".
fn parse_private_key(pem: &str) -> Result<RsaKeyPair, String> {
    const BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
    const END: &str = "-----END PRIVATE KEY-----";
    let start = pem.find(BEGIN).ok_or("is not a PEM PKCS#8 private key (no BEGIN PRIVATE KEY line)")?;
    let body = &pem[start + BEGIN.len()..];
    let end = body.find(END).ok_or("is not a PEM PKCS#8 private key (no END PRIVATE KEY line)")?;
    let base64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    let der = STANDARD.decode(base64).map_err(|_| "is not valid base64 between its PEM lines")?;
    RsaKeyPair::from_pkcs8(&der).map_err(|e| format!("is not a usable RSA key ({e})"))
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("email", &self.email)
            .field("token_uri", &self.token_uri.as_str())
            .field("scopes", &self.scopes)
            .field("self_signed", &self.self_signed)
            .field("token", &self.cell)
            .finish_non_exhaustive()
    }
}

impl TokenProvider for ServiceAccount {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move { Ok(Some(self.cell.get(|| self.fetch()).await?)) })
    }
}
