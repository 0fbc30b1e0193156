//! What the integration tests share: a client aimed at a mock server on 127.0.0.1, the mock
//! servers' usual answers, the documented requests the tests send, and the requests the server
//! saw.

// Each test file uses its own part of this module.
#![allow(dead_code)]

pub mod capture;

use std::time::Duration;

use huaweicloud_drs::{Client, ClientBuilder, Error, RetryPolicy, types};
use serde_json::{Value, json};
use wiremock::matchers::{method, path as url_path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The project id of the reference's request examples.
pub const PROJECT_ID: &str = "054ba152d480d55b2f5dc0069e7ddef0";
/// A token distinctive enough to be searched for in logs and error messages.
pub const TOKEN: &str = "MIIT-token-SECRET-7f3a9c";
/// A job id in the shape the reference uses.
pub const JOB_ID: &str = "9a470239-2308-4bb5-a6bc-1040402fjb21";

/// What follows the project id in the path of `batch_show_job_statuses` (section 4.1.22).
pub const STATUSES: &str = "/jobs/batch-status";
/// What follows the project id in the path of `batch_start_jobs` (section 4.1.11).
pub const STARTING: &str = "/jobs/batch-starting";

/// The path of a project-scoped operation, `rest` being what follows the project id:
/// `path("/jobs/batch-status")`.
pub fn path(rest: &str) -> String {
    format!("/v3/{PROJECT_ID}{rest}")
}

/// A builder for a client of `endpoint` in the reference's project, with a fixed token; tests
/// add the retry policy, timeout or chunk size they are about.
pub fn builder_for(endpoint: &str) -> ClientBuilder {
    Client::builder()
        .endpoint(endpoint)
        .project_id(PROJECT_ID)
        .token(TOKEN)
        .expect("a printable token")
}

/// [`builder_for`] the mock server.
pub fn builder(server: &MockServer) -> ClientBuilder {
    builder_for(&server.uri())
}

/// A client of the mock server that sends each request once, so that a test sees the first
/// answer the server gives.
pub async fn client(server: &MockServer) -> Client {
    builder(server)
        .retry(RetryPolicy::never())
        .build()
        .await
        .expect("a client")
}

/// An endpoint on 127.0.0.1 that refuses connections: its port was free a moment ago.
pub fn refusing_endpoint() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    format!("http://127.0.0.1:{port}")
}

/// Quick retries, so that a test of several attempts takes milliseconds.
pub fn quick(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

/// A server that answers every POST request at `rest` (see [`path`]) with `answer`.
pub async fn serve(rest: &str, answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path(path(rest)))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// A server that answers the first `times` POST requests at `rest` with `first`, and every
/// later one with `then`.
pub async fn serve_in_turn(
    rest: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path(path(rest)))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(url_path(path(rest)))
        .respond_with(then)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// How many requests the server received.
pub async fn received(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .map_or(0, |requests| requests.len())
}

/// The body of `batch_show_job_statuses` for one job.
pub fn job_statuses_request() -> types::BatchShowJobStatusesRequest {
    serde_json::from_value(json!({ "jobs": [JOB_ID] })).expect("a documented request")
}

/// A `batch_show_job_statuses` answer giving each job its status.
pub fn statuses(jobs: &[(&str, &str)]) -> Value {
    let results: Vec<Value> = jobs
        .iter()
        .map(|(id, status)| json!({ "id": id, "status": status }))
        .collect();
    json!({ "results": results, "count": jobs.len() })
}

/// A documented answer of `batch_show_job_statuses` for one job.
pub fn job_statuses_answer() -> Value {
    statuses(&[(JOB_ID, "INCRE_TRANSFER_STARTED")])
}

/// Calls `batch_show_job_statuses` for one job, keeping only whether it succeeded.
pub async fn job_statuses(client: &Client) -> Result<(), Error> {
    client
        .batch_show_job_statuses()
        .body(job_statuses_request())
        .send()
        .await
        .map(drop)
}

/// The body of `batch_start_jobs` for one job.
pub fn start_request() -> types::BatchStartJobsRequest {
    serde_json::from_value(json!({ "jobs": [{ "job_id": JOB_ID }] })).expect("a documented request")
}

/// A documented answer of `batch_start_jobs`.
pub fn start_answer() -> Value {
    json!({ "results": [{ "id": JOB_ID, "status": "success" }], "count": 1 })
}

/// Calls `batch_start_jobs` for one job, keeping only whether it succeeded.
pub async fn start_jobs(client: &Client) -> Result<(), Error> {
    client
        .batch_start_jobs()
        .body(start_request())
        .send()
        .await
        .map(drop)
}

/// The error body of appendix A.1 for a job that does not exist (appendix A.3).
pub fn job_does_not_exist() -> Value {
    json!({
        "error_code": "DRS.M00298",
        "error_msg": "Job does not exist, please check job id."
    })
}
