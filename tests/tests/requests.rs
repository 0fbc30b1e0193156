//! Every documented request, sent through the generated client to a mock server on 127.0.0.1:
//! the server sees exactly the documented method, path, query and JSON body, with the token
//! header and nothing progenitor would add on its own; each documented response example of the
//! operation comes back decoded into its type, and each error example as the typed error.

use drs_tests::generated::call;
use drs_tests::json::{first_difference, without_nulls};
use drs_tests::spec::{self, Operation, Place};
use drs_tests::support::{Reply, RequestParts};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "MIIT-test-token";

fn client(server: &MockServer) -> drs_api::Client {
    // The workspace builds reqwest without a crypto provider of its own (the ergonomic crate
    // brings ring); a reqwest client cannot be built, even for plain HTTP, until one is installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut headers = HeaderMap::new();
    let mut token = HeaderValue::from_static(TOKEN);
    token.set_sensitive(true);
    headers.insert("X-Auth-Token", token);
    let http = reqwest::Client::builder().default_headers(headers).build().expect("client");
    drs_api::Client::new_with_client(&server.uri(), http)
}

/// The path parameters and query of a documented URL.
fn parts_of(operation: &Operation, url: &str, body: Option<&Value>) -> RequestParts {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut parts = RequestParts { body: body.cloned(), ..RequestParts::default() };
    for (template, actual) in operation.path.split('/').zip(path.split('/')) {
        if let Some(name) = template.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            parts.path.push((name.to_string(), decode_component(actual)));
        }
    }
    parts.query = query_pairs(query);
    parts
}

fn decode_component(text: &str) -> String {
    url_pairs(&format!("v={text}")).pop().map(|(_, value)| value).unwrap_or_default()
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    if query.is_empty() { Vec::new() } else { url_pairs(query) }
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://127.0.0.1/?{query}"))
        .expect("a query string")
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// The answers to serve: every JSON response example of the operation, with its status.
fn documented_answers(operation: &Operation) -> Vec<(u16, &'static str, &'static Value)> {
    operation
        .examples()
        .into_iter()
        .filter_map(|example| match example.place {
            Place::Response(status) => Some((status, example.name, example.value)),
            Place::Request => None,
        })
        .collect()
}

async fn check_request(
    operation: &Operation,
    url: &str,
    body: Option<&Value>,
    answer: Option<(u16, &str, &Value)>,
) -> Result<(), String> {
    let server = MockServer::start().await;
    let (status, answer_body) = match answer {
        Some((status, _, value)) => (status, value.clone()),
        None => (first_success(operation), Value::Object(Default::default())),
    };
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(&answer_body))
        .mount(&server)
        .await;

    let parts = parts_of(operation, url, body);
    let reply = call(&client(&server), operation.id, &parts).await;

    let received = server.received_requests().await.unwrap_or_default();
    let [request] = received.as_slice() else {
        return Err(format!("expected one request, the server saw {}", received.len()));
    };
    if request.method.as_str() != operation.method.to_uppercase() {
        return Err(format!("method {} instead of {}", request.method, operation.method));
    }
    let (documented_path, documented_query) = url.split_once('?').unwrap_or((url, ""));
    if request.url.path() != documented_path {
        return Err(format!("path {} instead of {documented_path}", request.url.path()));
    }
    let sent_query = query_pairs(request.url.query().unwrap_or(""));
    if sent_query != query_pairs(documented_query) {
        return Err(format!("query {sent_query:?} instead of {:?}", query_pairs(documented_query)));
    }
    match request.headers.get("X-Auth-Token").map(|v| v.to_str().unwrap_or("")) {
        Some(TOKEN) => {}
        other => return Err(format!("X-Auth-Token header is {other:?}")),
    }
    if request.headers.contains_key("api-version") {
        return Err("the client sent an api-version header".to_string());
    }
    match body {
        Some(expected) => {
            let sent: Value = serde_json::from_slice(&request.body)
                .map_err(|error| format!("the body sent is not JSON: {error}"))?;
            if let Some(difference) = first_difference(&without_nulls(expected), &sent) {
                return Err(format!("body differs: {difference}"));
            }
            let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok());
            if content_type != Some("application/json") {
                return Err(format!("content-type {content_type:?}"));
            }
        }
        None if !request.body.is_empty() => return Err("a body was sent".to_string()),
        None => {}
    }

    let reply = reply?;
    let Some((status, name, expected)) = answer else { return Ok(()) };
    let (got_status, got_body, is_error) = match reply {
        Reply::Success { status, body } => (status, body, false),
        Reply::Error { status, body } => (status, body, true),
    };
    if got_status != status || is_error == (200..300).contains(&status) {
        return Err(format!("answer `{name}`: status {status} came back as {got_status} (error: {is_error})"));
    }
    if let Some(difference) = first_difference(&without_nulls(expected), &got_body) {
        return Err(format!("answer `{name}` decoded differently: {difference}"));
    }
    Ok(())
}

fn first_success(operation: &Operation) -> u16 {
    operation.body["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(status, _)| status.parse().ok())
        .find(|status| (200..300).contains(status))
        .unwrap_or(200)
}

#[tokio::test]
async fn every_documented_request_is_sent_as_documented() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for operation in spec::operations() {
        let answers = documented_answers(&operation);
        for (url, body) in operation.request_examples() {
            let runs: Vec<Option<(u16, &str, &Value)>> = if answers.is_empty() {
                vec![None]
            } else {
                answers.iter().map(|&(status, name, value)| Some((status, name, value))).collect()
            };
            for answer in runs {
                checked += 1;
                if let Err(problem) = check_request(&operation, url, body, answer).await {
                    failures.push(format!("{} {url}: {problem}", operation.id));
                }
            }
        }
    }
    println!("{checked} request/response exchanges checked");
    assert!(checked > 0, "the spec documents no request");
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn the_language_header_is_sent_when_given() {
    let operation = spec::operations().into_iter().next().expect("an operation");
    let (url, body) = operation.request_examples()[0];
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
        "error_code": "DRS.M00202", "error_msg": "%s取值不合法"
    }))).mount(&server).await;
    let mut parts = parts_of(&operation, url, body);
    parts.headers.push(("X-Language".into(), "zh-cn".into()));
    let reply = call(&client(&server), operation.id, &parts).await.expect("a documented answer");
    assert_eq!(
        reply,
        Reply::Error {
            status: 400,
            body: serde_json::json!({ "error_code": "DRS.M00202", "error_msg": "%s取值不合法" }),
        }
    );
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received[0].headers.get("X-Language").and_then(|v| v.to_str().ok()), Some("zh-cn"));
}
