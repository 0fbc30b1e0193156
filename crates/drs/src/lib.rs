//! Client for Huawei Cloud's Data Replication Service (DRS) v3 API.
//!
//! [`Client`] is built once from an endpoint, a project id and a token, and hands out the
//! operations of the API with the project id (and the language, if one is set) already filled
//! in:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use huaweicloud_drs::{Client, types};
//!
//! let client = Client::new("drs.cn-north-4.myhuaweicloud.com", "0549...ef0", "MIIT...")?;
//! let body = types::BatchShowPrecheckResultsRequest { jobs: vec!["a1b2...jb01".into()] };
//! let results = client.batch_show_precheck_results().body(body).send().await?;
//! println!("{} results", results.count.unwrap_or_default());
//! # Ok(())
//! # }
//! ```
//!
//! The request and response types are those of the low-level crate `huaweicloud-drs-api`,
//! re-exported as [`types`].

#[rustfmt::skip]
mod operations;

use std::fmt;

pub use huaweicloud_drs_api::{Error as ApiError, ResponseValue, Secret, types};
use reqwest::header::{HeaderMap, HeaderValue};

/// A DRS client for one project in one region. Cloning it is cheap: clones share one
/// connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    api: huaweicloud_drs_api::Client,
    project_id: String,
    language: Option<types::Language>,
}

/// Why a [`Client`] could not be built.
#[derive(Debug)]
pub enum Error {
    /// The endpoint is not a host name or an `http(s)://host` URL.
    InvalidEndpoint { endpoint: String, reason: String },
    /// The project id is empty or holds characters a URL path cannot carry as they are.
    InvalidProjectId { project_id: String },
    /// The token cannot be sent as an HTTP header value (it is not shown here).
    InvalidToken,
    /// The HTTP client could not be set up.
    Http(reqwest::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidEndpoint { endpoint, reason } => {
                write!(f, "invalid DRS endpoint {endpoint:?}: {reason}")
            }
            Self::InvalidProjectId { project_id } => write!(
                f,
                "invalid project id {project_id:?}: expected a non-empty id of letters, digits, `-` or `_`"
            ),
            Self::InvalidToken => {
                f.write_str("invalid token: it holds characters an HTTP header cannot carry")
            }
            Self::Http(error) => write!(f, "cannot set up the HTTP client: {error}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Http(error) => Some(error),
            _ => None,
        }
    }
}

impl Client {
    /// A client for `endpoint` (a host name such as `drs.cn-north-4.myhuaweicloud.com`, or a
    /// full `https://` URL), acting in `project_id` with an IAM `token`.
    pub fn new(endpoint: &str, project_id: impl Into<String>, token: &str) -> Result<Self, Error> {
        let base_url = base_url(endpoint)?;
        let project_id = project_id.into();
        let well_formed = !project_id.is_empty()
            && project_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !well_formed {
            return Err(Error::InvalidProjectId { project_id });
        }

        let mut token = HeaderValue::from_str(token).map_err(|_| Error::InvalidToken)?;
        token.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert("X-Auth-Token", token);

        install_crypto_provider();
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!(
                env!("CARGO_PKG_NAME"),
                "/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(Error::Http)?;
        let api = huaweicloud_drs_api::Client::new_with_client(&base_url, http, Default::default());
        Ok(Self {
            api,
            project_id,
            language: None,
        })
    }

    /// The same client, asking for messages in `language` (header `X-Language`).
    pub fn with_language(mut self, language: types::Language) -> Self {
        self.language = Some(language);
        self
    }

    /// The project the client acts in.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The low-level client, for calls that need every parameter spelled out.
    pub fn api(&self) -> &huaweicloud_drs_api::Client {
        &self.api
    }
}

/// `https://host` for a bare host name; a URL as given, without a trailing slash.
fn base_url(endpoint: &str) -> Result<String, Error> {
    let invalid = |reason: &str| Error::InvalidEndpoint {
        endpoint: endpoint.to_string(),
        reason: reason.to_string(),
    };
    let trimmed = endpoint.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
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
    Ok(candidate)
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
    }

    #[test]
    fn project_ids_are_checked() {
        assert!(matches!(
            Client::new("drs.example.com", "", "t"),
            Err(Error::InvalidProjectId { .. })
        ));
        assert!(matches!(
            Client::new("drs.example.com", "a/b", "t"),
            Err(Error::InvalidProjectId { .. })
        ));
    }
}
