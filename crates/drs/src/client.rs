//! The client: built once, cheap to clone, safe to share across tasks.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use huaweicloud_drs_api::types::Language;
use huaweicloud_drs_api::{ClientInfo, Hooks};

use crate::credentials::{self, Credentials, Token};
use crate::error::{ConfigError, Error};
use crate::region;
use crate::retry::RetryPolicy;
use crate::transport::DrsTransport;

/// A DRS client for one project in one region. Clones share one connection pool and one set of
/// credentials (and so one cached token).
#[derive(Clone)]
pub struct Client {
    pub(crate) api: huaweicloud_drs_api::Client,
    pub(crate) shared: Arc<Shared>,
}

#[derive(Clone)]
pub(crate) struct Shared {
    pub project_id: String,
    pub language: Option<Language>,
    pub region: Option<String>,
    pub max_jobs_per_request: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The credentials are left out: the transport's Debug shows only their kind.
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint())
            .field("region", &self.shared.region)
            .field("project_id", &self.shared.project_id)
            .field("language", &self.shared.language)
            .finish_non_exhaustive()
    }
}

/// The default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time allowed for one request, from sending it to reading the whole answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default of [`ClientBuilder::max_jobs_per_request`].
pub const DEFAULT_MAX_JOBS_PER_REQUEST: usize = 10;
/// The user agent every request carries: the crate and its version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

impl Client {
    /// A client for `endpoint` (a host name such as `drs.cn-north-4.myhuaweicloud.com`, or a
    /// full `https://` URL; `http://` is accepted for a test server on the local machine),
    /// acting in `project_id` with a fixed IAM `token`. For renewed
    /// tokens, AK/SK signing, region names or the environment, use [`Client::builder`].
    pub fn new(endpoint: &str, project_id: &str, token: &str) -> Result<Self, Error> {
        let credentials = Token::new(token)?;
        ClientBuilder::new()
            .endpoint(endpoint)
            .project_id(project_id)
            .credentials(credentials)
            .build_with_project_id()
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment variables the official Huawei Cloud SDKs read
    /// (see [`credentials::from_env`]), for the region `region`.
    pub async fn from_env(region: &str) -> Result<Self, Error> {
        let environment = credentials::from_env()?;
        let mut builder = ClientBuilder::new()
            .region(region)
            .credentials_arc(environment.credentials);
        if let Some(project_id) = environment.project_id {
            builder = builder.project_id(&project_id);
        }
        if let Some(iam_endpoint) = environment.iam_endpoint {
            builder = builder.iam_endpoint(&iam_endpoint);
        }
        builder.build().await
    }

    /// The same client, asking for messages in `language` (header `X-Language`).
    pub fn with_language(&self, language: Language) -> Self {
        let shared = Shared {
            language: Some(language),
            ..(*self.shared).clone()
        };
        Self {
            api: self.api.clone(),
            shared: Arc::new(shared),
        }
    }

    /// The project the client acts in.
    pub fn project_id(&self) -> &str {
        &self.shared.project_id
    }

    /// The base URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.api.baseurl()
    }

    /// The most jobs one batch request carries (see [`ClientBuilder::max_jobs_per_request`]).
    pub fn max_jobs_per_request(&self) -> usize {
        self.shared.max_jobs_per_request
    }

    /// The low-level client, for calls that need every parameter spelled out. It shares this
    /// client's credentials, retries and logging, but reports errors in the low-level form.
    pub fn api(&self) -> &huaweicloud_drs_api::Client {
        &self.api
    }
}

/// Builds a [`Client`]. Only the credentials and a place (an endpoint or a region) are needed;
/// the project id is looked up in IAM when it is not given.
#[derive(Clone, Debug, Default)]
pub struct ClientBuilder {
    endpoint: Option<String>,
    region: Option<String>,
    iam_endpoint: Option<String>,
    project_id: Option<String>,
    credentials: Option<Arc<dyn Credentials>>,
    language: Option<Language>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    validate: Option<bool>,
    max_jobs_per_request: Option<usize>,
}

impl ClientBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The DRS endpoint: a host name or a full URL. It wins over the endpoint of the region.
    pub fn endpoint(mut self, endpoint: &str) -> Self {
        self.endpoint = Some(endpoint.to_string());
        self
    }

    /// The region id, such as `cn-north-4`: it gives the DRS endpoint when none is set, and
    /// the IAM project in which the project id is looked up.
    pub fn region(mut self, region: &str) -> Self {
        self.region = Some(region.to_string());
        self
    }

    /// The IAM endpoint used to look up the project id and obtain tokens, when it is not the
    /// region's usual one.
    pub fn iam_endpoint(mut self, endpoint: &str) -> Self {
        self.iam_endpoint = Some(endpoint.to_string());
        self
    }

    pub fn project_id(mut self, project_id: &str) -> Self {
        self.project_id = Some(project_id.to_string());
        self
    }

    pub fn credentials(self, credentials: impl Credentials + 'static) -> Self {
        self.credentials_arc(Arc::new(credentials))
    }

    pub fn credentials_arc(mut self, credentials: Arc<dyn Credentials>) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// A fixed IAM token (header `X-Auth-Token`).
    pub fn token(self, token: &str) -> Result<Self, Error> {
        Ok(self.credentials(Token::new(token)?))
    }

    /// The language of the service's messages (header `X-Language`); the service's default is
    /// English.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Default [`DEFAULT_CONNECT_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The time allowed for one attempt of a request. Default [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Default [`RetryPolicy::default`].
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Whether requests are checked against the documented constraints before they are sent
    /// (default `true`). Turn it off to send a value the reference does not list yet.
    pub fn validate(mut self, validate: bool) -> Self {
        self.validate = Some(validate);
        self
    }

    /// The most jobs the job methods ([`Client::start_jobs`] and the like) put in one request;
    /// longer lists are sent in several requests. Default [`DEFAULT_MAX_JOBS_PER_REQUEST`].
    ///
    /// The reference states no maximum number of jobs per batch request. The default is small
    /// on purpose: the reference's examples send one or two jobs, the status and detail queries
    /// (4.1.21, 4.1.22) return at most 100 jobs per page, and when the service refuses a
    /// request as a whole, every job in it shares that failure. Those two queries never carry
    /// more than 100 jobs, whatever this is set to.
    pub fn max_jobs_per_request(mut self, max_jobs: usize) -> Self {
        self.max_jobs_per_request = Some(max_jobs);
        self
    }

    /// Builds the client, looking the project id up in IAM when none was given.
    pub async fn build(mut self) -> Result<Client, Error> {
        if let Some(region) = &self.region {
            region::check_id(region)?;
        }
        if self.project_id.is_none() {
            let region = self.region.clone().ok_or_else(|| {
                ConfigError::new("no project id: set one, or set the region to look it up in IAM")
            })?;
            let credentials = self.credentials.clone().ok_or_else(no_credentials)?;
            let iam_endpoint = match &self.iam_endpoint {
                Some(endpoint) => base_url(endpoint)?,
                None => region::iam_endpoint(&region),
            };
            let http = self.http_client()?;
            let project_id =
                credentials::lookup_project_id(&http, &iam_endpoint, &region, credentials.as_ref())
                    .await?;
            self.project_id = Some(project_id);
            // The client that asked IAM serves the DRS calls too: one connection pool.
            return self.build_with(http);
        }
        self.build_with_project_id()
    }

    fn build_with_project_id(self) -> Result<Client, Error> {
        let http = self.http_client()?;
        self.build_with(http)
    }

    fn build_with(self, http: reqwest::Client) -> Result<Client, Error> {
        let project_id = self.project_id.clone().unwrap_or_default();
        check_project_id(&project_id)?;
        let max_jobs_per_request = self
            .max_jobs_per_request
            .unwrap_or(DEFAULT_MAX_JOBS_PER_REQUEST);
        if max_jobs_per_request == 0 {
            return Err(ConfigError::new(
                "invalid max_jobs_per_request 0: expected at least 1 job per request",
            )
            .into());
        }
        let credentials = self.credentials.clone().ok_or_else(no_credentials)?;
        let endpoint = match (&self.endpoint, &self.region) {
            (Some(endpoint), _) => base_url(endpoint)?,
            (None, Some(region)) => region::drs_endpoint(region),
            (None, None) => {
                return Err(ConfigError::new("no endpoint: set an endpoint or a region").into());
            }
        };
        let transport = DrsTransport {
            credentials,
            project_id: project_id.clone(),
            retry: self.retry.unwrap_or_default(),
            validate: self.validate.unwrap_or(true),
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
        };
        let api = huaweicloud_drs_api::Client::new_with_client(
            &endpoint,
            http,
            Hooks::with_transport(Arc::new(transport)),
        );
        let shared = Shared {
            project_id,
            language: self.language,
            region: self.region,
            max_jobs_per_request,
        };
        Ok(Client {
            api,
            shared: Arc::new(shared),
        })
    }

    fn http_client(&self) -> Result<reqwest::Client, Error> {
        install_crypto_provider();
        reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            // DRS documents no redirect, and following one would carry the X-Auth-Token header
            // (which reqwest does not know to strip) to whatever host the answer names.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|source| {
                Error::Config(ConfigError {
                    message: "cannot set up the HTTP client".into(),
                    source: Some(Box::new(source)),
                })
            })
    }
}

fn no_credentials() -> Error {
    ConfigError::new("no credentials: set a token, an IAM password, an AK/SK pair or read them from the environment").into()
}

pub(crate) fn check_project_id(project_id: &str) -> Result<(), Error> {
    let well_formed = !project_id.is_empty()
        && project_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if well_formed {
        Ok(())
    } else {
        Err(ConfigError::new(format!(
            "invalid project id {project_id:?}: expected a non-empty id of letters, digits, `-` or `_`"
        ))
        .into())
    }
}

/// `https://host` for a bare host name; a URL as given, without a trailing slash.
pub(crate) fn base_url(endpoint: &str) -> Result<String, Error> {
    let invalid = |reason: &str| -> Error {
        ConfigError::new(format!("invalid endpoint {endpoint:?}: {reason}")).into()
    };
    let trimmed = endpoint.trim();
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
    if trimmed.chars().any(char::is_whitespace) {
        return Err(invalid("it holds white space"));
    }
    // The scheme is looked for before trailing slashes go, so that `http://` is a URL without
    // a host rather than the host name `http:`.
    let candidate = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    };
    let url = reqwest::Url::parse(&candidate).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(
            "the scheme must be https (or http for a local test server)",
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it names no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not carry a query or a fragment"));
    }
    Ok(candidate.trim_end_matches('/').to_string())
}

/// reqwest is built without a crypto provider of its own; ring is installed as the process
/// default unless the application installed another one first.
fn install_crypto_provider() {
    #[cfg(feature = "rustls")]
    {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_host_becomes_an_https_url() {
        assert_eq!(
            base_url("drs.cn-north-4.myhuaweicloud.com").unwrap(),
            "https://drs.cn-north-4.myhuaweicloud.com"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn malformed_endpoints_say_why() {
        for (endpoint, reason) in [
            ("", "empty"),
            ("ftp://drs.example.com", "scheme"),
            ("http://", "empty host"),
            ("http://127.0.0.1:18080/ok/ with space", "white space"),
            ("https://drs.example.com/?a=b", "query"),
        ] {
            let error = base_url(endpoint).unwrap_err().to_string();
            assert!(error.contains(reason), "{endpoint:?}: {error}");
        }
    }

    #[test]
    fn a_token_never_shows_in_errors_or_debug() {
        let error = Client::new("drs.example.com", "p1", "bad\ntoken-SECRET").unwrap_err();
        assert!(!format!("{error} {error:?}").contains("SECRET"));
        let client = Client::new("drs.example.com", "p1", "token-SECRET").unwrap();
        assert!(
            !format!("{client:?}").contains("token-SECRET"),
            "{client:?}"
        );
        assert!(!format!("{:?}", client.api()).contains("token-SECRET"));
    }

    #[test]
    fn project_ids_are_checked() {
        for bad in ["", "a/b", "a b"] {
            let error = Client::new("drs.example.com", bad, "t").unwrap_err();
            assert!(error.to_string().contains("invalid project id"), "{error}");
        }
    }
}
