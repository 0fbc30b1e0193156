//! Every documented request, sent through the generated client to a mock server on 127.0.0.1:
//! the server sees exactly the documented method, path, query and JSON body, with the token
//! header and nothing progenitor would add on its own; each documented response example of the
//! operation comes back decoded into its type, and each error example as the typed error.

use drs_tests::generated::call;
use drs_tests::json::{first_difference, without_nulls};
use drs_tests::spec::{self, Operation, Place, RequestExample};
use drs_tests::support::{Reply, RequestParts, TOKEN, api_client, query_pairs, token_headers};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> drs_api::Client {
    api_client(&server.uri(), token_headers(), drs_api::Hooks::default())
}

/// What the mock server answers.
#[derive(Clone, Copy)]
enum Answer {
    /// A documented JSON response example.
    Example {
        status: u16,
        name: &'static str,
        body: &'static Value,
    },
    /// A file, for an operation whose success body is a stream of bytes.
    File { status: u16 },
    /// An empty success, for an operation that documents no response example.
    Empty { status: u16 },
}

/// A few bytes in the shape of an .xlsx file (a zip archive), served as a downloaded file.
const FILE_BYTES: &[u8] = b"PK\x03\x04 comparison result";

/// The answers to serve for an operation: every JSON response example with its status, and a
/// file for each success status that answers with one.
fn answers(operation: &Operation) -> Vec<Answer> {
    let mut found: Vec<Answer> = operation
        .examples()
        .into_iter()
        .filter_map(|example| match example.place {
            Place::Response(status) => Some(Answer::Example {
                status,
                name: example.name,
                body: example.value,
            }),
            Place::Request => None,
        })
        .collect();
    for (status, response) in operation.body["responses"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if response["content"]
            .get("application/octet-stream")
            .is_some()
        {
            found.push(Answer::File {
                status: status.parse().expect("numeric status"),
            });
        }
    }
    if found.is_empty() {
        found.push(Answer::Empty {
            status: operation.success_statuses().first().copied().unwrap_or(200),
        });
    }
    found
}

async fn check_request(
    operation: &Operation,
    example: &RequestExample,
    answer: Answer,
) -> Result<(), String> {
    let (url, body) = (example.url, example.body);
    let server = MockServer::start().await;
    let template = match answer {
        Answer::Example { status, body, .. } => ResponseTemplate::new(status).set_body_json(body),
        Answer::File { status } => {
            ResponseTemplate::new(status).set_body_raw(FILE_BYTES, "application/octet-stream")
        }
        Answer::Empty { status } => {
            ResponseTemplate::new(status).set_body_json(serde_json::json!({}))
        }
    };
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;

    let parts = RequestParts::of(operation, example);
    let reply = call(&client(&server), operation.id, &parts).await;

    let received = server.received_requests().await.unwrap_or_default();
    let [request] = received.as_slice() else {
        return Err(format!(
            "expected one request, the server saw {}",
            received.len()
        ));
    };
    if request.method.as_str() != operation.method.to_uppercase() {
        return Err(format!(
            "method {} instead of {}",
            request.method, operation.method
        ));
    }
    let (documented_path, documented_query) = url.split_once('?').unwrap_or((url, ""));
    if request.url.path() != documented_path {
        return Err(format!(
            "path {} instead of {documented_path}",
            request.url.path()
        ));
    }
    // The same pairs, in any order: progenitor sends query parameters sorted by name, and the
    // order of distinct parameters carries no meaning.
    let mut sent_query = query_pairs(request.url.query().unwrap_or(""));
    let mut documented = query_pairs(documented_query);
    sent_query.sort();
    documented.sort();
    if sent_query != documented {
        return Err(format!("query {sent_query:?} instead of {documented:?}"));
    }
    match request
        .headers
        .get("X-Auth-Token")
        .map(|v| v.to_str().unwrap_or(""))
    {
        Some(TOKEN) => {}
        other => return Err(format!("X-Auth-Token header is {other:?}")),
    }
    for (name, value) in &example.headers {
        let sent = request
            .headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok());
        if sent != Some(value.as_str()) {
            return Err(format!("header {name} is {sent:?} instead of {value:?}"));
        }
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
            let content_type = request
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok());
            if content_type != Some("application/json") {
                return Err(format!("content-type {content_type:?}"));
            }
        }
        None if !request.body.is_empty() => return Err("a body was sent".to_string()),
        None => {}
    }

    let reply = reply?;
    match (answer, reply) {
        (Answer::Example { status, name, body }, reply) => {
            let (got_status, got_body, is_error) = match reply {
                Reply::Success { status, body } => (status, body, false),
                Reply::Error { status, body } => (status, body, true),
                Reply::File { status, .. } => (status, Value::Null, false),
            };
            if got_status != status || is_error == (200..300).contains(&status) {
                return Err(format!(
                    "answer `{name}`: status {status} came back as {got_status} (error: {is_error})"
                ));
            }
            if let Some(difference) = first_difference(&without_nulls(body), &got_body) {
                return Err(format!("answer `{name}` decoded differently: {difference}"));
            }
        }
        (Answer::File { status }, Reply::File { status: got, bytes }) => {
            if got != status || bytes != FILE_BYTES {
                return Err(format!(
                    "the file came back as status {got}, {} bytes",
                    bytes.len()
                ));
            }
        }
        (Answer::File { .. }, other) => return Err(format!("a file came back as {other:?}")),
        (Answer::Empty { .. }, _) => {}
    }
    Ok(())
}

#[tokio::test]
async fn every_documented_request_is_sent_as_documented() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for operation in spec::operations() {
        let answers = answers(&operation);
        for example in operation.request_examples() {
            for &answer in &answers {
                checked += 1;
                if let Err(problem) = check_request(&operation, &example, answer).await {
                    failures.push(format!("{} {}: {problem}", operation.id, example.url));
                }
            }
        }
    }
    println!("{checked} request/response exchanges checked");
    assert!(checked > 0, "the spec documents no request");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_language_header_is_sent_when_given() {
    let operation = spec::operations().into_iter().next().expect("an operation");
    let example = &operation.request_examples()[0];
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error_code": "DRS.M00202", "error_msg": "%s取值不合法"
        })))
        .mount(&server)
        .await;
    let mut parts = RequestParts::of(&operation, example);
    parts.headers.push(("X-Language".into(), "zh-cn".into()));
    let reply = call(&client(&server), operation.id, &parts)
        .await
        .expect("a documented answer");
    assert_eq!(
        reply,
        Reply::Error {
            status: 400,
            body: serde_json::json!({ "error_code": "DRS.M00202", "error_msg": "%s取值不合法" }),
        }
    );
    let received = server.received_requests().await.expect("recording");
    assert_eq!(
        received[0]
            .headers
            .get("X-Language")
            .and_then(|v| v.to_str().ok()),
        Some("zh-cn")
    );
}
