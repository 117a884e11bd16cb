//! Credential JSON files (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's
//! `application_default_credentials.json`): read, check every field, and
//! name the file and the field when something is wrong.

use std::path::Path;

use serde_json::{Map, Value};

use super::failure::AuthError;
use super::secret::Secret;

/// Google's OAuth2 token endpoint, the default `token_uri`.
pub const GOOGLE_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

/// A parsed credential file.
#[derive(Debug)]
pub(crate) enum CredentialFile {
    ServiceAccount(ServiceAccountKey),
    AuthorizedUser(AuthorizedUserKey),
    Impersonated(ImpersonatedKey),
}

/// The fields of a `service_account` key.
#[derive(Debug, Clone)]
pub(crate) struct ServiceAccountKey {
    pub client_email: String,
    pub private_key_id: Option<String>,
    pub private_key: Secret,
    pub token_uri: String,
}

/// The fields of an `authorized_user` file (`gcloud auth application-default login`).
#[derive(Debug, Clone)]
pub(crate) struct AuthorizedUserKey {
    pub client_id: String,
    pub client_secret: Secret,
    pub refresh_token: Secret,
    pub token_uri: String,
}

/// The fields of an `impersonated_service_account` file.
#[derive(Debug)]
pub(crate) struct ImpersonatedKey {
    pub impersonation_url: String,
    pub delegates: Vec<String>,
    pub source: Box<CredentialFile>,
}

/// Reads and parses the credential file at `path`.
pub(crate) fn read(path: &Path) -> Result<CredentialFile, AuthError> {
    let origin = format!("credentials file {}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| AuthError::new(&origin, format!("cannot read: {e}")))?;
    parse(&text, &origin)
}

/// Parses credential JSON; `origin` names it in errors ("credentials file /k.json").
pub(crate) fn parse(text: &str, origin: &str) -> Result<CredentialFile, AuthError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| AuthError::new(origin, format!("not valid JSON: {e}")))?;
    let object = value.as_object().ok_or_else(|| AuthError::new(origin, "not a JSON object"))?;
    from_object(object, &Fields { origin, prefix: "" })
}

/// Where fields are read from, for error messages.
struct Fields<'a> {
    origin: &'a str,
    /// "source_credentials." inside an impersonated file.
    prefix: &'a str,
}

impl Fields<'_> {
    fn error(&self, field: &str, problem: &str) -> AuthError {
        AuthError::new(self.origin, format!("field `{}{field}` {problem}", self.prefix))
    }

    fn required<'v>(&self, object: &'v Map<String, Value>, field: &str) -> Result<&'v str, AuthError> {
        match object.get(field) {
            None | Some(Value::Null) => Err(self.error(field, "is missing")),
            Some(Value::String(text)) if text.is_empty() => Err(self.error(field, "is empty")),
            Some(Value::String(text)) => Ok(text),
            Some(_) => Err(self.error(field, "is not a string")),
        }
    }

    fn optional<'v>(&self, object: &'v Map<String, Value>, field: &str) -> Result<Option<&'v str>, AuthError> {
        match object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(self.error(field, "is not a string")),
        }
    }
}

fn from_object(object: &Map<String, Value>, fields: &Fields<'_>) -> Result<CredentialFile, AuthError> {
    let kind = fields.required(object, "type")?;
    let token_uri = || Ok::<_, AuthError>(fields.optional(object, "token_uri")?.unwrap_or(GOOGLE_TOKEN_URI).to_owned());
    match kind {
        "service_account" => Ok(CredentialFile::ServiceAccount(ServiceAccountKey {
            client_email: fields.required(object, "client_email")?.to_owned(),
            private_key_id: fields.optional(object, "private_key_id")?.map(str::to_owned),
            private_key: Secret::new(fields.required(object, "private_key")?),
            token_uri: token_uri()?,
        })),
        "authorized_user" => Ok(CredentialFile::AuthorizedUser(AuthorizedUserKey {
            client_id: fields.required(object, "client_id")?.to_owned(),
            client_secret: Secret::new(fields.required(object, "client_secret")?),
            refresh_token: Secret::new(fields.required(object, "refresh_token")?),
            token_uri: token_uri()?,
        })),
        "impersonated_service_account" if fields.prefix.is_empty() => {
            let impersonation_url = fields.required(object, "service_account_impersonation_url")?.to_owned();
            let delegates = match object.get("delegates") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| {
                        item.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| fields.error("delegates", "is not a list of strings"))
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(fields.error("delegates", "is not a list of strings")),
            };
            let source = match object.get("source_credentials") {
                Some(Value::Object(source)) => {
                    from_object(source, &Fields { origin: fields.origin, prefix: "source_credentials." })?
                }
                None | Some(Value::Null) => return Err(fields.error("source_credentials", "is missing")),
                Some(_) => return Err(fields.error("source_credentials", "is not an object")),
            };
            Ok(CredentialFile::Impersonated(ImpersonatedKey { impersonation_url, delegates, source: Box::new(source) }))
        }
        "external_account" | "external_account_authorized_user" => Err(AuthError::new(
            fields.origin,
            format!(
                "credentials of type `{kind}` (workload or workforce identity federation) are not supported; \
                 use a service account key, an authorized user or impersonation"
            ),
        )),
        other => Err(fields.error("type", &format!("has unsupported value {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(text, "credentials file /k.json").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_file_and_the_field() {
        assert_eq!(
            error("{"),
            "credentials file /k.json: not valid JSON: EOF while parsing an object at line 1 column 1"
        );
        assert_eq!(error("[]"), "credentials file /k.json: not a JSON object");
        assert_eq!(error("{}"), "credentials file /k.json: field `type` is missing");
        assert_eq!(
            error(r#"{"type":"service_account","private_key":"x"}"#),
            "credentials file /k.json: field `client_email` is missing"
        );
        assert_eq!(
            error(r#"{"type":"authorized_user","client_id":"c","client_secret":"s","refresh_token":7}"#),
            "credentials file /k.json: field `refresh_token` is not a string"
        );
        assert_eq!(
            error(
                r#"{"type":"impersonated_service_account","service_account_impersonation_url":"u","source_credentials":{"type":"authorized_user"}}"#
            ),
            "credentials file /k.json: field `source_credentials.client_id` is missing"
        );
        assert!(error(r#"{"type":"external_account"}"#).contains("`external_account`"));
        assert!(error(r#"{"type":"external_account"}"#).contains("not supported"));
        assert_eq!(
            error(r#"{"type":"magic"}"#),
            "credentials file /k.json: field `type` has unsupported value \"magic\""
        );
    }

    #[test]
    fn debug_of_a_parsed_file_shows_no_secret() {
        let file = parse(
            r#"{"type":"authorized_user","client_id":"c","client_secret":"s3cr3t","refresh_token":"1//r3fr3sh"}"#,
            "x",
        )
        .unwrap();
        let text = format!("{file:?}");
        assert!(!text.contains("s3cr3t") && !text.contains("r3fr3sh"), "{text}");
    }
}
