//! What the generated tables need at run time: decoding an example into a typed value, and
//! carrying a documented request to the client and its answer back; and the generated client the
//! request tests send it through.

use std::fmt::Debug;
use std::str::FromStr;

use drs_api::{Error, Hooks, ResponseValue};
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::spec::{Operation, RequestExample};

/// The token the tests' clients send.
pub const TOKEN: &str = "MIIT-test-token";

/// An `X-Auth-Token` header carrying [`TOKEN`], marked sensitive.
pub fn token_headers() -> HeaderMap {
    let mut token = HeaderValue::from_static(TOKEN);
    token.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert("X-Auth-Token", token);
    headers
}

/// The generated client of `base_url`, sending `headers` the way a caller of
/// `huaweicloud-drs-api` does: as default headers of its `reqwest::Client`.
pub fn api_client(base_url: &str, headers: HeaderMap, hooks: Hooks) -> drs_api::Client {
    // The workspace builds reqwest without a crypto provider of its own (the ergonomic crate
    // brings ring); a reqwest client cannot be built, even for plain HTTP, until one is installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client");
    drs_api::Client::new_with_client(base_url, http, hooks)
}

/// An example decoded into its Rust type: the type encoded back to JSON, and its `Debug` form.
pub struct Decoded {
    pub encoded: Value,
    pub debug: String,
}

impl Decoded {
    pub fn of<T: DeserializeOwned + Serialize + Debug>(
        value: &Value,
    ) -> Result<Self, serde_json::Error> {
        let typed: T = serde_json::from_value(value.clone())?;
        Ok(Self {
            encoded: serde_json::to_value(&typed)?,
            debug: format!("{typed:#?}"),
        })
    }
}

/// The parts of a documented request, read from its URL.
#[derive(Debug, Default)]
pub struct RequestParts {
    pub path: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl RequestParts {
    /// The parts of a documented request of `operation`, read from its URL, body and headers.
    pub fn of(operation: &Operation, example: &RequestExample) -> Self {
        let url = example.url;
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let mut parts = Self {
            body: example.body.cloned(),
            headers: example.headers.clone(),
            ..Self::default()
        };
        for (template, actual) in operation.path.split('/').zip(path.split('/')) {
            if let Some(name) = template.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                parts
                    .path
                    .push((name.to_string(), decode_component(actual)));
            }
        }
        parts.query = query_pairs(query);
        parts
    }

    pub fn path(&self, name: &str) -> Result<&str, String> {
        lookup(&self.path, name).ok_or_else(|| format!("the URL gives no path parameter `{name}`"))
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        lookup(&self.query, name)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        lookup(&self.headers, name)
    }

    pub fn body(&self) -> Option<&Value> {
        self.body.as_ref()
    }
}

/// The decoded name and value pairs of a query string (without its `?`).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    if query.is_empty() {
        Vec::new()
    } else {
        url_pairs(query)
    }
}

fn decode_component(text: &str) -> String {
    url_pairs(&format!("v={text}"))
        .pop()
        .map(|(_, value)| value)
        .unwrap_or_default()
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://127.0.0.1/?{query}"))
        .expect("a query string")
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// What the client made of the server's answer.
#[derive(Debug, PartialEq)]
pub enum Reply {
    /// A documented success status, with the decoded body encoded back to JSON.
    Success { status: u16, body: Value },
    /// A documented error status, decoded into the error type.
    Error { status: u16, body: Value },
    /// A documented success status whose body is a file, with its bytes.
    File { status: u16, bytes: Vec<u8> },
}

/// Decodes a request body example into the operation's body type.
pub fn decode<T: DeserializeOwned>(operation: &str, body: &Value) -> Result<T, String> {
    serde_json::from_value(body.clone())
        .map_err(|error| format!("{operation}: the request body example does not decode: {error}"))
}

/// Parses the text of a query or path parameter.
pub fn parse<T: FromStr>(name: &str, value: &str) -> Result<T, String>
where
    T::Err: Debug,
{
    value
        .parse()
        .map_err(|error| format!("parameter `{name}`: cannot parse {value:?}: {error:?}"))
}

/// Turns the client's result into a [`Reply`], or a message for anything undocumented.
pub fn reply<T: Serialize, E: Serialize + Debug>(
    result: Result<ResponseValue<T>, Error<E>>,
) -> Result<Reply, String> {
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let body = serde_json::to_value(response.into_inner()).map_err(|e| e.to_string())?;
            Ok(Reply::Success { status, body })
        }
        Err(Error::ErrorResponse(response)) => {
            let status = response.status().as_u16();
            let body = serde_json::to_value(response.into_inner()).map_err(|e| e.to_string())?;
            Ok(Reply::Error { status, body })
        }
        Err(other) => Err(format!("the client failed: {other}")),
    }
}

/// Like [`reply`], for an operation whose success body is a file stream.
pub async fn reply_file<E: Serialize + Debug>(
    result: Result<ResponseValue<drs_api::ByteStream>, Error<E>>,
) -> Result<Reply, String> {
    use futures_util::TryStreamExt;

    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let chunks: Vec<bytes::Bytes> = response
                .into_inner()
                .into_inner()
                .try_collect()
                .await
                .map_err(|error| format!("reading the file failed: {error}"))?;
            Ok(Reply::File {
                status,
                bytes: chunks.concat(),
            })
        }
        Err(error) => reply::<(), E>(Err(error)),
    }
}
