//! What the job tests share: a client aimed at a mock server on 127.0.0.1, and JSON answers
//! shaped like the reference's examples.

#![allow(dead_code)]

use huaweicloud_drs::{Client, RetryPolicy};
use serde_json::{Value, json};
use wiremock::MockServer;

/// The project id of the reference's examples.
pub const PROJECT: &str = "054ba152d480d55b2f5dc0069e7ddef0";

/// A client for `server` that sends each request once and at most `max_jobs` jobs per request.
pub async fn client(server: &MockServer, max_jobs: usize) -> Client {
    Client::builder()
        .endpoint(&server.uri())
        .project_id(PROJECT)
        .token("MIIT-test-token")
        .expect("token")
        .retry(RetryPolicy::never())
        .max_jobs_per_request(max_jobs)
        .build()
        .await
        .expect("client")
}

/// The path of a project-scoped operation.
pub fn path(rest: &str) -> String {
    format!("/v3/{PROJECT}/{rest}")
}

/// A 4.1.22 answer giving each job its status.
pub fn statuses(jobs: &[(&str, &str)]) -> Value {
    let results: Vec<Value> = jobs
        .iter()
        .map(|(id, status)| json!({ "id": id, "status": status }))
        .collect();
    json!({ "results": results, "count": jobs.len() })
}

/// The error body of appendix A.1 for a job that does not exist (appendix A.3).
pub fn job_does_not_exist() -> Value {
    json!({
        "error_code": "DRS.M00298",
        "error_msg": "Job does not exist, please check job id."
    })
}
