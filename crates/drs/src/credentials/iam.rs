//! IAM password authentication (reference chapters 3.1-3.2): an IAM user's name and password
//! are exchanged for a project-scoped token (`POST /v3/auth/tokens`, token in the
//! `X-Subject-Token` answer header). The token is cached and renewed before it expires (IAM
//! tokens last 24 hours), and once more when the service answers 401. Appendix A.5's project
//! lookup lives here too.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderValue;
use serde_json::json;

use super::{BoxFuture, Credentials, RequestContext, X_AUTH_TOKEN, sensitive_header};
use crate::Secret;
use crate::error::{AuthenticationError, DecodeError, Error, excerpt};
use crate::time::ServiceTime;

/// How long before its expiry a cached token is replaced.
const RENEW_BEFORE: Duration = Duration::from_secs(60 * 60);
/// The lifetime assumed when IAM's answer does not say (IAM documents 24 hours).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// An IAM user's password, exchanged for project-scoped tokens as they are needed. A token is
/// kept until less than an hour of its life remains (IAM says when it expires), and replaced
/// at once when the service answers 401.
#[derive(Clone)]
pub struct IamPassword {
    shared: Arc<Inner>,
}

struct Inner {
    iam_endpoint: String,
    domain: String,
    user: String,
    password: Secret,
    /// The IAM project the token is scoped to: the region id, such as `cn-north-4`.
    project: String,
    /// Never held across an await, so that [`Credentials::renew`] can always clear it.
    cached: Mutex<Option<CachedToken>>,
    /// Held while a token is requested from IAM, so that concurrent callers wait for that one
    /// request instead of each sending their own.
    fetching: tokio::sync::Mutex<()>,
}

struct CachedToken {
    value: HeaderValue,
    renew_at: SystemTime,
}

impl fmt::Debug for IamPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IamPassword")
            .field("iam_endpoint", &self.shared.iam_endpoint)
            .field("domain", &self.shared.domain)
            .field("user", &self.shared.user)
            .field("password", &self.shared.password)
            .field("project", &self.shared.project)
            .finish()
    }
}

impl IamPassword {
    /// The user `user` of the account (domain) `domain`, with tokens scoped to the project
    /// named after `region`, obtained from the region's IAM endpoint.
    pub fn new(domain: &str, user: &str, password: impl Into<Secret>, region: &str) -> Self {
        Self::with_iam_endpoint(
            &crate::region::iam_endpoint(region),
            domain,
            user,
            password,
            region,
        )
    }

    /// The same, with tokens obtained from `iam_endpoint` (a base URL such as
    /// `https://iam.cn-north-4.myhuaweicloud.com`).
    pub fn with_iam_endpoint(
        iam_endpoint: &str,
        domain: &str,
        user: &str,
        password: impl Into<Secret>,
        project: &str,
    ) -> Self {
        Self {
            shared: Arc::new(Inner {
                iam_endpoint: iam_endpoint.trim_end_matches('/').to_string(),
                domain: domain.to_string(),
                user: user.to_string(),
                password: password.into(),
                project: project.to_string(),
                cached: Mutex::new(None),
                fetching: tokio::sync::Mutex::new(()),
            }),
        }
    }

    async fn token(&self, http: &reqwest::Client) -> Result<HeaderValue, AuthenticationError> {
        if let Some(token) = self.usable_token() {
            return Ok(token);
        }
        let _fetching = self.shared.fetching.lock().await;
        // Another caller may have brought a token while this one waited.
        if let Some(token) = self.usable_token() {
            return Ok(token);
        }
        let fresh = self.request_token(http).await?;
        let value = fresh.value.clone();
        *self.cache() = Some(fresh);
        Ok(value)
    }

    /// The cached token, unless it is due for renewal.
    fn usable_token(&self) -> Option<HeaderValue> {
        self.cache()
            .as_ref()
            .filter(|token| SystemTime::now() < token.renew_at)
            .map(|token| token.value.clone())
    }

    fn cache(&self) -> MutexGuard<'_, Option<CachedToken>> {
        // A poisoned lock only means a thread panicked while holding it; the slot holds a
        // whole token or nothing either way.
        self.shared
            .cached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn request_token(
        &self,
        http: &reqwest::Client,
    ) -> Result<CachedToken, AuthenticationError> {
        let inner = &self.shared;
        let body = json!({
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": inner.user,
                            "password": inner.password.expose(),
                            "domain": { "name": inner.domain }
                        }
                    }
                },
                "scope": { "project": { "name": inner.project } }
            }
        });
        let url = format!("{}/v3/auth/tokens", inner.iam_endpoint);
        let failed = |status: Option<u16>, message: String, request_id: Option<String>| {
            AuthenticationError::new(message).answered(status, request_id)
        };
        let response =
            http.post(&url).json(&body).send().await.map_err(|error| {
                failed(None, format!("cannot reach IAM at {url}: {error}"), None)
            })?;
        let status = response.status();
        let request_id = crate::transport::request_id(response.headers());
        let token = response.headers().get("x-subject-token").cloned();
        let bytes = response.bytes().await.unwrap_or_default();
        if !status.is_success() {
            // Masked before decoding and after: an answer that echoes the request (a proxy's
            // error page, say) must not bring the password into the error, JSON-escaped or not.
            let password = inner.password.expose();
            let body = redact(&String::from_utf8_lossy(&bytes), password);
            let (code, message) = iam_error(body.as_bytes());
            let mut error = failed(
                Some(status.as_u16()),
                format!(
                    "IAM at {url} issued no token for user {:?} of account {:?} in project {:?}: {}",
                    inner.user,
                    inner.domain,
                    inner.project,
                    redact(&message, password),
                ),
                request_id,
            );
            error.code = code;
            return Err(error);
        }
        // The header value is not shown in the errors: it may be a token after all.
        let token = match token.as_ref().map(HeaderValue::to_str) {
            Some(Ok(token)) if !token.trim().is_empty() => token.trim(),
            Some(_) => {
                return Err(failed(
                    Some(status.as_u16()),
                    "IAM answered with an empty or non-ASCII X-Subject-Token header".into(),
                    request_id,
                ));
            }
            None => {
                return Err(failed(
                    Some(status.as_u16()),
                    "IAM answered without an X-Subject-Token header".into(),
                    request_id,
                ));
            }
        };
        let token = sensitive_header(token, "IAM token")?;
        let expires_at = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|body| {
                body["token"]["expires_at"]
                    .as_str()
                    .and_then(ServiceTime::parse)
            })
            .and_then(|time| time.instant())
            .unwrap_or_else(|| SystemTime::now() + DEFAULT_LIFETIME);
        let renew_at = expires_at.checked_sub(RENEW_BEFORE).unwrap_or(expires_at);
        Ok(CachedToken {
            value: token,
            renew_at,
        })
    }
}

impl Credentials for IamPassword {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        context: RequestContext<'a>,
    ) -> BoxFuture<'a, Result<(), AuthenticationError>> {
        Box::pin(async move {
            let token = self.token(context.http).await?;
            request.headers_mut().insert(X_AUTH_TOKEN, token);
            Ok(())
        })
    }

    fn renew(&self) -> bool {
        *self.cache() = None;
        true
    }
}

/// The id of the project named `region`, from IAM (appendix A.5:
/// `GET /v3/projects?name={region}`), authorized by `credentials`.
pub(crate) async fn lookup_project_id(
    http: &reqwest::Client,
    iam_endpoint: &str,
    region: &str,
    credentials: &dyn Credentials,
) -> Result<String, Error> {
    let mut url = reqwest::Url::parse(&format!(
        "{}/v3/projects",
        iam_endpoint.trim_end_matches('/')
    ))
    .map_err(|error| {
        Error::Config(crate::ConfigError::new(format!(
            "invalid IAM endpoint {iam_endpoint:?}: {error}"
        )))
    })?;
    url.query_pairs_mut().append_pair("name", region);
    let mut request = reqwest::Request::new(reqwest::Method::GET, url);
    credentials
        .authorize(
            &mut request,
            RequestContext {
                project_id: None,
                http,
            },
        )
        .await?;
    let failed = |status: Option<u16>, message: String, request_id: Option<String>| {
        Error::Authentication(AuthenticationError::new(message).answered(status, request_id))
    };
    let response = http.execute(request).await.map_err(|error| {
        failed(
            None,
            format!("cannot reach IAM at {iam_endpoint} to look up the project id: {error}"),
            None,
        )
    })?;
    let status = response.status();
    let request_id = crate::transport::request_id(response.headers());
    let bytes = response.bytes().await.unwrap_or_default();
    if matches!(status.as_u16(), 401 | 403) {
        return Err(failed(
            Some(status.as_u16()),
            format!(
                "IAM refused to list the projects named {region:?}: {}",
                excerpt(&bytes)
            ),
            request_id,
        ));
    }
    if !status.is_success() {
        // Not a refusal of the credentials: IAM failed, or a proxy answered.
        return Err(Error::Http(crate::error::HttpError {
            operation: "keystone_list_projects",
            status: status.as_u16(),
            request_id,
            body_excerpt: excerpt(&bytes),
            attempts: 1,
        }));
    }
    let body = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
    let Some(projects) = body.as_ref().and_then(|body| body["projects"].as_array()) else {
        return Err(Error::Decode(DecodeError {
            // IAM's name for the operation: it is not one of the DRS spec.
            operation: "keystone_list_projects",
            status: status.as_u16(),
            path: "projects".into(),
            message: format!(
                "expected JSON with a `projects` array listing the projects named {region:?}"
            ),
            request_id,
            body_excerpt: excerpt(&bytes),
        }));
    };
    // IAM filters by name already; the check keeps a project of another name, which a proxy
    // or an IAM that ignores the filter would let through, from being taken.
    let ids: Vec<&str> = projects
        .iter()
        .filter(|project| project["name"] == region)
        .filter_map(|project| project["id"].as_str())
        .collect();
    match ids.as_slice() {
        [id] => Ok(id.to_string()),
        [] => Err(Error::Config(crate::ConfigError::new(format!(
            "IAM lists no project named {region:?}: check the region, or set the project id"
        )))),
        _ => Err(Error::Config(crate::ConfigError::new(format!(
            "IAM lists {} projects named {region:?} ({}): set the project id",
            ids.len(),
            ids.join(", ")
        )))),
    }
}

/// The code and message of an IAM error body. IAM answers either in the shape common to Huawei
/// Cloud services (`{"error_code": "IAM.0011", "error_msg": "…"}`) or in Keystone's
/// (`{"error": {"code": 401, "message": "…", "title": "Unauthorized"}}`); anything else is
/// quoted.
fn iam_error(body: &[u8]) -> (Option<String>, String) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, quoted(body));
    };
    let code_of = |code: &serde_json::Value| match code {
        serde_json::Value::String(code) => Some(code.clone()),
        serde_json::Value::Number(code) => Some(code.to_string()),
        _ => None,
    };
    let (code, message) = if value.get("error_code").is_some() {
        (code_of(&value["error_code"]), value["error_msg"].as_str())
    } else {
        let error = &value["error"];
        (
            code_of(&error["code"]).or_else(|| code_of(&error["error_code"])),
            error["message"].as_str().or(error["error_msg"].as_str()),
        )
    };
    match message {
        Some(message) => (code, message.to_string()),
        None => (code, quoted(body)),
    }
}

fn quoted(body: &[u8]) -> String {
    if body.is_empty() {
        "the answer has no body".to_string()
    } else {
        format!("the answer begins {:?}", excerpt(body))
    }
}

/// `text` with every occurrence of `secret` masked.
fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_string()
    } else {
        text.replace(secret, "***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_error_bodies_of_every_shape_give_a_code_and_a_message() {
        let shapes: [(&[u8], Option<&str>, &str); 5] = [
            (
                br#"{"error_code":"IAM.0011","error_msg":"Request body is invalid."}"#,
                Some("IAM.0011"),
                "Request body is invalid.",
            ),
            (
                br#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#,
                Some("401"),
                "The username or password is wrong.",
            ),
            (
                br#"{"error":{"error_code":"IAM.0007","error_msg":"Incorrect password."}}"#,
                Some("IAM.0007"),
                "Incorrect password.",
            ),
            (b"[1, 2]", None, "the answer begins \"[1, 2]\""),
            (b"", None, "the answer has no body"),
        ];
        for (body, code, message) in shapes {
            assert_eq!(
                iam_error(body),
                (code.map(str::to_string), message.to_string()),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn redaction_masks_every_occurrence() {
        assert_eq!(redact("p4ss and p4ss", "p4ss"), "*** and ***");
        assert_eq!(redact("nothing to hide", ""), "nothing to hide");
    }
}
