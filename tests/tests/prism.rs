//! Every documented request, sent through the generated client to Prism, a mock server that a
//! third party builds from the spec: Prism validates each request against the spec on its own
//! (apart from our generator and from the schema validator of the other tests), answers from the
//! spec's examples or with data it generates from the schemas, and validates its answer too.
//! Each request must be accepted without a violation, and each answer must decode into the
//! operation's response type and encode back to what Prism sent.
//!
//! Prism runs outside cargo: `.ci/prism-check` starts it and sets `DRS_PRISM_URL` to its address.
//! Without that variable every test here says it was skipped and passes.

use std::io::Write;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use drs_api::{Hooks, Transport, TransportFuture};
use drs_tests::generated::call;
use drs_tests::json::{first_difference, without_nulls};
use drs_tests::spec::{self, Operation};
use drs_tests::support::{Reply, RequestParts, api_client, token_headers};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

const PRISM_URL: &str = "DRS_PRISM_URL";

/// Prism's address, or `None` after saying that the test is skipped.
fn prism_url(test: &str) -> Option<String> {
    match std::env::var(PRISM_URL) {
        Ok(url) => Some(url.trim_end_matches('/').to_string()),
        Err(_) => {
            // Straight to stderr: the test harness swallows `println!` of a passing test, and a
            // skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "{test}: SKIPPED, {PRISM_URL} is not set (.ci/prism-check starts Prism and sets it)"
            );
            None
        }
    }
}

/// How Prism is asked to build its answer.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Answer {
    /// What a real client gets: no preference sent, so Prism serves the first documented
    /// example of a success status, or one it builds from the schema when there is none.
    Documented,
    /// `Prefer: dynamic=true`: data that Prism generates from the response schema, optional
    /// members included, undeclared ones left out, and two items in each array (as `.ci/prism-check` sets
    /// the generator up, seeded so that a run repeats).
    Generated,
}

/// One answer of Prism, as it came over the wire.
struct Exchange {
    status: u16,
    violations: Option<String>,
    body: Bytes,
}

/// The length of the body only: a generated answer runs to tens of kilobytes.
impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("status", &self.status)
            .field("violations", &self.violations)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Passes every request to Prism unchanged and keeps a copy of the answer, which the generated
/// client's decoding does not expose: the `sl-violations` header and the raw body.
#[derive(Debug, Default)]
struct Recorder {
    exchanges: Mutex<Vec<Exchange>>,
}

impl Transport for Recorder {
    fn prepare<'a>(
        &'a self,
        _request: &'a mut reqwest::Request,
        _operation: &'static str,
    ) -> TransportFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }

    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        _operation: &'static str,
    ) -> TransportFuture<'a, reqwest::Result<reqwest::Response>> {
        Box::pin(async move {
            let response = client.execute(request).await?;
            let status = response.status();
            let version = response.version();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            self.exchanges.lock().expect("recorder").push(Exchange {
                status: status.as_u16(),
                violations: headers
                    .get("sl-violations")
                    .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned()),
                body: body.clone(),
            });

            // The generated code decodes a reqwest response: hand it the same one again.
            let mut rebuilt = http::Response::new(reqwest::Body::from(body));
            *rebuilt.status_mut() = status;
            *rebuilt.version_mut() = version;
            *rebuilt.headers_mut() = headers;
            Ok(reqwest::Response::from(rebuilt))
        })
    }
}

/// The generated client pointed at Prism, with the recorder of what Prism answered.
struct PrismClient {
    client: drs_api::Client,
    recorder: Arc<Recorder>,
}

impl PrismClient {
    /// A client that sends the token header the way a caller of `huaweicloud-drs-api` does: as
    /// a default header of its `reqwest::Client`.
    fn new(base_url: &str, answer: Answer) -> Self {
        let mut headers = token_headers();
        if answer == Answer::Generated {
            headers.insert("Prefer", HeaderValue::from_static("dynamic=true"));
        }
        Self::with_headers(base_url, headers)
    }

    fn with_headers(base_url: &str, headers: HeaderMap) -> Self {
        let recorder = Arc::new(Recorder::default());
        let hooks = Hooks::with_transport(Arc::clone(&recorder) as Arc<dyn Transport>);
        Self {
            client: api_client(base_url, headers, hooks),
            recorder,
        }
    }

    /// Sends one request and checks Prism's verdict and answer.
    async fn check(&self, operation: &Operation, parts: &RequestParts) -> Result<(), Failure> {
        let reply = call(&self.client, operation.id, parts).await;
        let exchanges = std::mem::take(&mut *self.recorder.exchanges.lock().expect("recorder"));
        let [exchange] = exchanges.as_slice() else {
            return Err(Failure::Rejected(format!(
                "expected one answer from Prism, got {} (client: {reply:?})",
                exchanges.len()
            )));
        };
        accepted(operation, exchange)?;
        decoded(exchange, reply.map_err(Failure::Undecoded)?)
    }
}

/// What went wrong with one request: Prism refused it, or its answer did not decode.
#[derive(Debug)]
enum Failure {
    Rejected(String),
    Undecoded(String),
}

/// Prism accepted the request: no violation of the request (nor of its own answer), and a
/// success status that the spec documents for the operation.
fn accepted(operation: &Operation, exchange: &Exchange) -> Result<(), Failure> {
    if let Some(violations) = &exchange.violations {
        return Err(Failure::Rejected(format!(
            "status {}, violations {violations}",
            exchange.status
        )));
    }
    let successes = operation.success_statuses();
    if !successes.contains(&exchange.status) {
        return Err(Failure::Rejected(format!(
            "status {} instead of one of {successes:?}: {}",
            exchange.status,
            String::from_utf8_lossy(&exchange.body)
        )));
    }
    Ok(())
}

/// The client decoded Prism's answer into the response type, losing nothing of it.
fn decoded(exchange: &Exchange, reply: Reply) -> Result<(), Failure> {
    match reply {
        Reply::Success { status, body } => {
            let sent: Value = serde_json::from_slice(&exchange.body).map_err(|error| {
                Failure::Undecoded(format!(
                    "status {status}: Prism's body is not JSON: {error}"
                ))
            })?;
            match first_difference(&without_nulls(&sent), &body) {
                Some(difference) => Err(Failure::Undecoded(format!(
                    "status {status}: decoded differently: {difference}"
                ))),
                None => Ok(()),
            }
        }
        Reply::File { status, bytes } if bytes != exchange.body => {
            Err(Failure::Undecoded(format!(
                "status {status}: the file came back as {} bytes out of {}",
                bytes.len(),
                exchange.body.len()
            )))
        }
        Reply::File { .. } => Ok(()),
        Reply::Error { status, body } => Err(Failure::Undecoded(format!(
            "success status {status} came back as an error: {body}"
        ))),
    }
}

/// What happened to the requests of one operation, or of all of them.
#[derive(Default)]
struct Tally {
    requests: usize,
    accepted: usize,
    documented_decoded: usize,
    generated_decoded: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.requests += other.requests;
        self.accepted += other.accepted;
        self.documented_decoded += other.documented_decoded;
        self.generated_decoded += other.generated_decoded;
    }

    fn summary(&self) -> String {
        format!(
            "{}/{} requests accepted; answers decoded: documented {}, generated {}",
            self.accepted, self.requests, self.documented_decoded, self.generated_decoded
        )
    }
}

#[tokio::test]
async fn every_documented_request_is_accepted_by_prism() {
    let Some(base_url) = prism_url("every_documented_request_is_accepted_by_prism") else {
        return;
    };
    let documented = PrismClient::new(&base_url, Answer::Documented);
    let generated = PrismClient::new(&base_url, Answer::Generated);

    let mut failures = Vec::new();
    let mut total = Tally::default();
    for operation in spec::operations() {
        let mut tally = Tally::default();
        for example in operation.request_examples() {
            let parts = RequestParts::of(&operation, &example);
            tally.requests += 1;
            let mut accepted = true;
            for (answer, client) in [
                (Answer::Documented, &documented),
                (Answer::Generated, &generated),
            ] {
                match client.check(&operation, &parts).await {
                    Ok(()) if answer == Answer::Documented => tally.documented_decoded += 1,
                    Ok(()) => tally.generated_decoded += 1,
                    Err(Failure::Rejected(problem)) => {
                        accepted = false;
                        failures.push(format!(
                            "{} {} ({answer:?} answer): rejected: {problem}",
                            operation.id, example.url
                        ));
                    }
                    Err(Failure::Undecoded(problem)) => failures.push(format!(
                        "{} {} ({answer:?} answer): {problem}",
                        operation.id, example.url
                    )),
                }
            }
            tally.accepted += usize::from(accepted);
        }
        println!("prism: {:<45} {}", operation.id, tally.summary());
        total.add(&tally);
    }
    println!("prism: all operations: {}", total.summary());

    assert!(total.requests > 0, "the spec documents no request");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The operation with this id, and the parts of its first documented request.
fn first_request(id: &str) -> (Operation, RequestParts) {
    let operation = spec::operations()
        .into_iter()
        .find(|operation| operation.id == id)
        .unwrap_or_else(|| panic!("the spec has no operation {id}"));
    let parts = RequestParts::of(&operation, &operation.request_examples()[0]);
    (operation, parts)
}

/// The checks above can fail: Prism refuses a request that carries no token.
#[tokio::test]
async fn prism_rejects_a_request_without_a_token() {
    let Some(base_url) = prism_url("prism_rejects_a_request_without_a_token") else {
        return;
    };
    let (operation, parts) = first_request("batch_show_job_statuses");
    let anonymous = PrismClient::with_headers(&base_url, HeaderMap::new());

    match anonymous.check(&operation, &parts).await {
        Err(Failure::Rejected(problem)) => assert!(problem.contains("401"), "{problem}"),
        other => panic!("expected Prism to refuse the request with 401, got {other:?}"),
    }
}

/// The checks above can fail: Prism reports a query value outside the documented enumeration,
/// which the client's open enumerations let through.
#[tokio::test]
async fn prism_rejects_an_undocumented_query_value() {
    let Some(base_url) = prism_url("prism_rejects_an_undocumented_query_value") else {
        return;
    };
    let (operation, mut parts) = first_request("list_node_types");
    let engine_type = parts
        .query
        .iter_mut()
        .find(|(name, _)| name == "engine_type")
        .expect("the documented request gives engine_type");
    engine_type.1 = "not-an-engine".to_string();
    let client = PrismClient::new(&base_url, Answer::Documented);

    match client.check(&operation, &parts).await {
        Err(Failure::Rejected(problem)) => {
            assert!(
                problem.contains("violations") && problem.contains("engine_type"),
                "{problem}"
            );
        }
        other => panic!("expected Prism to report engine_type, got {other:?}"),
    }
}
