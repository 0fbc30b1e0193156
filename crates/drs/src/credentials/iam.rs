//! IAM password authentication (reference chapters 3.1-3.2): an IAM user's name and password
//! are exchanged for a project-scoped token (`POST /v3/auth/tokens`, token in the
//! `X-Subject-Token` answer header). The token is cached and renewed before it expires (IAM
//! tokens last 24 hours), and once more when the service answers 401. Appendix A.5's project
//! lookup lives here too.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderValue;
use serde_json::json;
use tokio::sync::Mutex;

use super::{BoxFuture, Credentials, RequestContext, X_AUTH_TOKEN, sensitive_header};
use crate::Secret;
use crate::error::{AuthenticationError, Error, excerpt};
use crate::time::ServiceTime;

/// How long before its expiry a cached token is replaced.
const RENEW_BEFORE: Duration = Duration::from_secs(60 * 60);
/// The lifetime assumed when IAM's answer does not say (IAM documents 24 hours).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// An IAM user's password, exchanged for project-scoped tokens as they are needed.
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
    cached: Mutex<Option<CachedToken>>,
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
            }),
        }
    }

    async fn token(&self, http: &reqwest::Client) -> Result<HeaderValue, AuthenticationError> {
        // Holding the lock while IAM answers makes concurrent callers wait for one request
        // instead of each asking IAM for a token.
        let mut cached = self.shared.cached.lock().await;
        if let Some(token) = cached.as_ref()
            && SystemTime::now() < token.renew_at
        {
            return Ok(token.value.clone());
        }
        let fresh = self.request_token(http).await?;
        let value = fresh.value.clone();
        *cached = Some(fresh);
        Ok(value)
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
            AuthenticationError {
                operation: None,
                status,
                code: None,
                message,
                request_id,
            }
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
            let mut error = failed(
                Some(status.as_u16()),
                format!(
                    "IAM refused the password of user {:?}: {}",
                    inner.user,
                    excerpt(&bytes)
                ),
                request_id,
            );
            error.code = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|body| {
                    body["error"]["code"]
                        .as_str()
                        .or(body["error_code"].as_str())
                        .map(str::to_string)
                });
            return Err(error);
        }
        let Some(token) = token else {
            return Err(failed(
                Some(status.as_u16()),
                "IAM answered without an X-Subject-Token header".into(),
                request_id,
            ));
        };
        let token = sensitive_header(token.to_str().unwrap_or_default(), "IAM token")?;
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
        // A lock held by a request in flight means a token is being fetched right now: that
        // fresh token is what the retry will use anyway.
        if let Ok(mut cached) = self.shared.cached.try_lock() {
            *cached = None;
        }
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
        Error::Authentication(AuthenticationError {
            operation: None,
            status,
            code: None,
            message,
            request_id,
        })
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
    if !status.is_success() {
        return Err(failed(
            Some(status.as_u16()),
            format!(
                "IAM refused to list the projects named {region:?}: {}",
                excerpt(&bytes)
            ),
            request_id,
        ));
    }
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let ids: Vec<&str> = body["projects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|project| project["name"] == region)
        .filter_map(|project| project["id"].as_str())
        .collect();
    match ids.as_slice() {
        [id] => Ok(id.to_string()),
        [] => Err(Error::Config(crate::ConfigError::new(format!(
            "IAM lists no project named {region:?}: check the region, or set the project id"
        )))),
        _ => Err(Error::Config(crate::ConfigError::new(format!(
            "IAM lists {} projects named {region:?}: set the project id",
            ids.len()
        )))),
    }
}
