//! What the integration tests share: a client aimed at a mock server on 127.0.0.1, the
//! documented request bodies they send, and the requests the server saw.

// Each test file uses its own part of this module.
#![allow(dead_code)]

pub mod capture;

use huaweicloud_drs::{Client, ClientBuilder, types};
use serde_json::json;
use wiremock::MockServer;

/// The project id of the reference's request examples.
pub const PROJECT_ID: &str = "054ba152d480d55b2f5dc0069e7ddef0";
/// A token distinctive enough to be searched for in logs and error messages.
pub const TOKEN: &str = "MIIT-token-SECRET-7f3a9c";
/// A job id in the shape the reference uses.
pub const JOB_ID: &str = "9a470239-2308-4bb5-a6bc-1040402fjb21";

pub fn path(suffix: &str) -> String {
    format!("/v3/{PROJECT_ID}{suffix}")
}

/// A builder for a client of the mock server, with a fixed token.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .endpoint(&server.uri())
        .project_id(PROJECT_ID)
        .token(TOKEN)
        .expect("a printable token")
}

pub async fn client(server: &MockServer) -> Client {
    builder(server).build().await.expect("a client")
}

/// The body of `batch_show_job_statuses` (section 4.1.22) for one job.
pub fn job_statuses_request() -> types::BatchShowJobStatusesRequest {
    serde_json::from_value(json!({ "jobs": [JOB_ID] })).expect("a documented request")
}

/// The body of `batch_start_jobs` (section 4.1.11) for one job.
pub fn start_request() -> types::BatchStartJobsRequest {
    serde_json::from_value(json!({ "jobs": [{ "job_id": JOB_ID }] })).expect("a documented request")
}

/// A documented answer of `batch_start_jobs`.
pub fn start_answer() -> serde_json::Value {
    json!({ "results": [{ "id": JOB_ID, "status": "success" }], "count": 1 })
}

/// A documented answer of `batch_show_job_statuses`.
pub fn job_statuses_answer() -> serde_json::Value {
    json!({ "results": [{ "id": JOB_ID, "status": "INCRE_TRANSFER_STARTED" }], "count": 1 })
}

pub async fn received(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .map_or(0, |requests| requests.len())
}
