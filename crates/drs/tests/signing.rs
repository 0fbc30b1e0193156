//! AK/SK signing against the official signer: every request of `fixtures/signing/vectors.json`
//! (signed by the Huawei Cloud Python SDK, see `make_vectors.py` beside it) must get the same
//! canonical request, the same `Authorization` and the same headers from the Rust signer. A
//! client with AK/SK credentials is then checked from the server's side: the signature of what
//! arrives is computed again from the request as received.

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use huaweicloud_drs::credentials::sign;
use huaweicloud_drs::time::ServiceTime;
use huaweicloud_drs::{AkSk, Client, Secret, types};
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use support::{PROJECT_ID, path};
use wiremock::matchers::{method, path as url_path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Deserialize)]
struct Vectors {
    package_version: String,
    access_key: String,
    secret_key: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    input: Input,
    output: Output,
}

#[derive(Deserialize)]
struct Input {
    name: String,
    method: String,
    scheme: String,
    host: String,
    query: Vec<(String, String)>,
    headers: BTreeMap<String, String>,
    body: Option<String>,
    project_id: Option<String>,
    security_token: Option<String>,
    url: String,
    time: String,
    unix_time: u64,
}

#[derive(Deserialize)]
struct Output {
    uri: String,
    canonical_request: String,
    authorization: String,
    /// Every header of the request once the SDK signed it, `Host` included.
    headers: BTreeMap<String, String>,
}

fn vectors() -> Vectors {
    let text = include_str!("fixtures/signing/vectors.json");
    serde_json::from_str(text).expect("vectors.json is well formed")
}

impl Input {
    fn url(&self) -> Url {
        Url::parse(&self.url).unwrap_or_else(|error| panic!("{}: {error}", self.name))
    }

    fn instant(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.unix_time)
    }

    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            headers.insert(header_name(name), header_value(value));
        }
        headers
    }

    fn body(&self) -> &[u8] {
        self.body.as_deref().unwrap_or_default().as_bytes()
    }
}

fn header_name(name: &str) -> HeaderName {
    HeaderName::from_bytes(name.as_bytes()).expect("a header name")
}

fn header_value(value: &str) -> HeaderValue {
    HeaderValue::from_bytes(value.as_bytes()).expect("a header value")
}

#[test]
fn the_vectors_cover_what_they_claim() {
    let vectors = vectors();
    assert!(!vectors.package_version.is_empty());
    assert!(vectors.vectors.len() >= 30, "{}", vectors.vectors.len());
    for method in ["GET", "POST", "PUT", "DELETE"] {
        assert!(vectors.vectors.iter().any(|v| v.input.method == method));
    }
    assert!(
        vectors
            .vectors
            .iter()
            .any(|v| v.input.security_token.is_some())
    );
    assert!(vectors.vectors.iter().any(|v| v.input.project_id.is_none()));

    // The URL of each vector carries exactly the query parameters the SDK was given.
    for Vector { input, .. } in &vectors.vectors {
        let pairs: Vec<(String, String)> = input
            .url()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(pairs, input.query, "{}", input.name);
        assert!(
            input
                .url
                .starts_with(&format!("{}://{}/", input.scheme, input.host))
        );
    }
}

/// The pure function, given the headers the SDK's credentials add before signing.
#[test]
fn every_vector_signs_like_the_official_sdk() {
    let vectors = vectors();
    let secret_key = Secret::new(vectors.secret_key.as_str());
    let mut failures = Vec::new();
    for Vector { input, output } in &vectors.vectors {
        let mut headers = input.headers();
        if let Some(project_id) = &input.project_id {
            headers.insert("x-project-id", header_value(project_id));
        }
        if let Some(token) = &input.security_token {
            headers.insert("x-security-token", header_value(token));
        }
        let signature = sign(
            &input.method,
            &input.url(),
            &headers,
            input.body(),
            &vectors.access_key,
            &secret_key,
            input.instant(),
        )
        .unwrap_or_else(|error| panic!("{}: {error}", input.name));

        assert_eq!(signature.sdk_date, input.time, "{}", input.name);
        assert_eq!(
            Some(&signature.host),
            output.headers.get("Host"),
            "{}",
            input.name
        );
        if signature.canonical_request() != output.canonical_request {
            failures.push(format!(
                "{}: canonical request\n--- rust\n{}\n--- sdk\n{}",
                input.name,
                signature.canonical_request(),
                output.canonical_request
            ));
        }
        if signature.authorization().to_str().unwrap() != output.authorization {
            failures.push(format!("{}: authorization differs", input.name));
        }
        let expected_query = output.uri.split_once('?').map_or("", |(_, query)| query);
        assert_eq!(signature.canonical_query, expected_query, "{}", input.name);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `AkSk` on a real `reqwest::Request`: the same headers as the SDK sends (but `Host`, which
/// the HTTP client writes from the URL) and the same URI.
#[test]
fn aksk_sends_the_headers_and_uri_the_sdk_sends() {
    let vectors = vectors();
    for Vector { input, output } in &vectors.vectors {
        let method = reqwest::Method::from_bytes(input.method.as_bytes()).unwrap();
        let mut request = reqwest::Request::new(method, input.url());
        *request.headers_mut() = input.headers();
        if input.body.is_some() {
            *request.body_mut() = Some(input.body().to_vec().into());
        }
        let mut credentials = AkSk::new(&vectors.access_key, vectors.secret_key.as_str()).unwrap();
        if let Some(token) = &input.security_token {
            credentials = credentials.with_security_token(token.as_str()).unwrap();
        }
        credentials
            .sign_request(&mut request, input.project_id.as_deref(), input.instant())
            .unwrap_or_else(|error| panic!("{}: {error}", input.name));

        let mut sent: BTreeMap<String, String> = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let text = std::str::from_utf8(value.as_bytes()).unwrap();
                (name.as_str().to_string(), text.to_string())
            })
            .collect();
        if !sent.contains_key("host") {
            let url = request.url();
            let host = match url.port() {
                Some(port) => format!("{}:{port}", url.host_str().unwrap()),
                None => url.host_str().unwrap().to_string(),
            };
            sent.insert("host".into(), host);
        }
        let expected: BTreeMap<String, String> = output
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
            .collect();
        assert_eq!(sent, expected, "{}", input.name);

        let expected_url =
            Url::parse(&format!("{}://{}{}", input.scheme, input.host, output.uri)).unwrap();
        assert_eq!(request.url().path(), expected_url.path(), "{}", input.name);
        assert_eq!(
            request.url().query(),
            expected_url.query(),
            "{}",
            input.name
        );
    }
}

const ACCESS_KEY: &str = "TESTAK0123456789";
const SECRET_KEY: &str = "testsk-client-0123456789";
const SECURITY_TOKEN: &str = "test-security-token-client";

/// The signature a server computes for a request as it arrived, using the headers named in
/// its `Authorization` and the time of its `X-Sdk-Date`.
fn server_side_signature(request: &wiremock::Request) -> (String, String) {
    let received = request
        .headers
        .get("authorization")
        .expect("an Authorization header");
    let received = received.to_str().unwrap().to_string();
    let signed_names = received
        .split(", ")
        .find_map(|part| part.strip_prefix("SignedHeaders="))
        .expect("SignedHeaders");
    let mut headers = HeaderMap::new();
    for name in signed_names.split(';') {
        let value = request
            .headers
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing"));
        headers.insert(header_name(name), value.clone());
    }
    let stamp = request.headers["x-sdk-date"].to_str().unwrap();
    // 20240314T063014Z -> 2024-03-14T06:30:14Z
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &stamp[0..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13],
        &stamp[13..15]
    );
    let time = ServiceTime::parse(&iso)
        .and_then(|t| t.instant())
        .expect("a stamp");
    let recomputed = sign(
        request.method.as_str(),
        &request.url,
        &headers,
        &request.body,
        ACCESS_KEY,
        &Secret::new(SECRET_KEY),
        time,
    )
    .unwrap();
    (
        received,
        recomputed.authorization().to_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn a_client_with_aksk_sends_requests_the_server_can_verify() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(url_path(path("/node-type")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(url_path(path("/jobs/batch-precheck-result")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let credentials = AkSk::new(ACCESS_KEY, SECRET_KEY)
        .unwrap()
        .with_security_token(SECURITY_TOKEN)
        .unwrap();
    let client = Client::builder()
        .endpoint(&server.uri())
        .project_id(PROJECT_ID)
        .credentials(credentials)
        .build()
        .await
        .unwrap();
    assert!(!format!("{client:?}").contains(SECRET_KEY));

    client
        .list_node_types()
        .job_direction(types::JobDirection::Up)
        .engine_type(types::EngineType::Mysql)
        .db_use_type(types::DbUseType::Sync)
        .send()
        .await
        .unwrap();
    let body = types::BatchShowPrecheckResultsRequest::new(vec![
        "9a470239-2308-4ff9-8d1d-acf3e0ccfcb7".into(),
    ]);
    client
        .batch_show_precheck_results()
        .body(body)
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let (received, recomputed) = server_side_signature(request);
        assert_eq!(received, recomputed, "{} {}", request.method, request.url);
        assert!(received.starts_with(&format!("SDK-HMAC-SHA256 Access={ACCESS_KEY}, ")));
        assert_eq!(request.headers["x-project-id"], PROJECT_ID);
        assert_eq!(request.headers["x-security-token"], SECURITY_TOKEN);
        for name in ["host", "x-project-id", "x-sdk-date", "x-security-token"] {
            assert!(received.contains(name), "{name} is not signed: {received}");
        }
    }

    // The query goes out in canonical order, as the official SDK sends it.
    let get = &requests[0];
    assert_eq!(
        get.url.query(),
        Some("db_use_type=sync&engine_type=mysql&job_direction=up")
    );
    let post = &requests[1];
    assert!(String::from_utf8_lossy(&post.body).contains("9a470239"));
    let (received, _) = server_side_signature(post);
    assert!(received.contains("content-type;"), "{received}");
}
