//! Waiting for a job against a mock server whose answers to the status query (4.1.22) follow a
//! script: to success, to failure, to the timeout, with each status change observed once.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{client, job_does_not_exist, path, statuses};
use huaweicloud_drs::types::JobStatus;
use huaweicloud_drs::{Error, JobPhase, StatusChange, WaitTarget};
use serde_json::json;
use wiremock::matchers::{body_json, method, path as url_path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const JOB: &str = "9a470239-2308-4bb5-a6bc-1040402fjb21";
const POLL: Duration = Duration::from_millis(10);

/// Answers the n-th status query with the n-th status of the script, then the last one.
struct Script {
    statuses: Vec<&'static str>,
    next: AtomicUsize,
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        let status = self.statuses[index.min(self.statuses.len() - 1)];
        ResponseTemplate::new(200).set_body_json(statuses(&[(JOB, status)]))
    }
}

async fn scripted(statuses: &[&'static str]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path(path("jobs/batch-status")))
        .and(body_json(json!({
            "jobs": [JOB],
            "page_req": { "cur_page": 1, "per_page": 1 }
        })))
        .respond_with(Script {
            statuses: statuses.to_vec(),
            next: AtomicUsize::new(0),
        })
        .mount(&server)
        .await;
    server
}

/// The (previous, status) pairs of the observed changes.
fn transitions(changes: &[StatusChange]) -> Vec<(Option<JobStatus>, JobStatus)> {
    changes
        .iter()
        .map(|change| (change.previous.clone(), change.status.clone()))
        .collect()
}

#[tokio::test]
async fn waits_for_a_phase_and_reports_each_change_once() {
    let server = scripted(&[
        "STARTJOBING",
        "STARTJOBING",
        "FULL_TRANSFER_STARTED",
        "FULL_TRANSFER_STARTED",
        "FULL_TRANSFER_COMPLETE",
    ])
    .await;
    let client = client(&server, 10).await;
    let mut changes = Vec::new();

    let reached = client
        .wait_for_job(JOB, JobPhase::Finished)
        .poll_interval(POLL)
        .timeout(Duration::from_secs(10))
        .on_change(|change| changes.push(change.clone()))
        .await
        .unwrap();

    assert_eq!(reached, JobStatus::FullTransferComplete);
    assert_eq!(
        transitions(&changes),
        [
            (None, JobStatus::Startjobing),
            (Some(JobStatus::Startjobing), JobStatus::FullTransferStarted),
            (
                Some(JobStatus::FullTransferStarted),
                JobStatus::FullTransferComplete
            ),
        ]
    );
    assert_eq!(changes[2].phase, Some(JobPhase::Finished));
    assert!(changes.iter().all(|change| change.job_id == JOB));
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[tokio::test]
async fn waits_for_a_status() {
    let server = scripted(&["FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"]).await;
    let client = client(&server, 10).await;

    let reached = client
        .wait_for_job(JOB, WaitTarget::Status(JobStatus::IncreTransferStarted))
        .poll_interval(POLL)
        .await
        .unwrap();

    assert_eq!(reached, JobStatus::IncreTransferStarted);
}

#[tokio::test]
async fn a_failed_status_ends_the_wait() {
    let server = scripted(&["FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED"]).await;
    let client = client(&server, 10).await;
    let mut changes = Vec::new();

    let error = client
        .wait_for_job(JOB, JobPhase::Finished)
        .poll_interval(POLL)
        .on_change(|change| changes.push(change.clone()))
        .await
        .unwrap_err();

    match error {
        Error::JobFailed { job_id, status } => {
            assert_eq!(job_id, JOB);
            assert_eq!(status, "FULL_TRANSFER_FAILED");
        }
        other => panic!("expected a failed job, got {other:?}"),
    }
    assert_eq!(
        transitions(&changes),
        [
            (None, JobStatus::FullTransferStarted),
            (
                Some(JobStatus::FullTransferStarted),
                JobStatus::FullTransferFailed
            ),
        ]
    );
    assert_eq!(changes[1].phase, Some(JobPhase::Failed));
}

#[tokio::test]
async fn an_ended_job_ends_a_wait_for_something_else() {
    let server = scripted(&["RELEASE_RESOURCE_COMPLETE"]).await;
    let client = client(&server, 10).await;

    let error = client
        .wait_for_job(JOB, JobPhase::Finished)
        .poll_interval(POLL)
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::JobFailed { status, .. } if status == "RELEASE_RESOURCE_COMPLETE"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_deleted_job_is_not_found_unless_deletion_is_awaited() {
    let server = scripted(&["DELETED"]).await;
    let client = client(&server, 10).await;

    let error = client
        .wait_for_job(JOB, JobPhase::Finished)
        .poll_interval(POLL)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::JobNotFound { job_id } if job_id == JOB),
        "{error:?}"
    );

    let reached = client
        .wait_for_job(JOB, JobPhase::Released)
        .poll_interval(POLL)
        .await
        .unwrap();
    assert_eq!(reached, JobStatus::Deleted);
}

#[tokio::test]
async fn a_job_that_disappears_has_reached_deletion() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path(path("jobs/batch-status")))
        .respond_with(ResponseTemplate::new(400).set_body_json(job_does_not_exist()))
        .mount(&server)
        .await;
    let client = client(&server, 10).await;

    let reached = client
        .wait_for_job(JOB, JobStatus::Deleted)
        .poll_interval(POLL)
        .await
        .unwrap();
    assert_eq!(reached, JobStatus::Deleted);

    let error = client
        .wait_for_job(JOB, JobPhase::Finished)
        .poll_interval(POLL)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::JobNotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn a_wait_that_outlasts_its_timeout_fails() {
    let server = scripted(&["FULL_TRANSFER_STARTED"]).await;
    let client = client(&server, 10).await;
    let timeout = Duration::from_millis(200);
    let mut changes = Vec::new();
    let started = Instant::now();

    let error = client
        .wait_for_job(JOB, JobPhase::Finished)
        .poll_interval(POLL)
        .timeout(timeout)
        .on_change(|change| changes.push(change.clone()))
        .await
        .unwrap_err();

    match error {
        Error::Timeout { operation, after } => {
            assert_eq!(operation, "wait_for_job");
            assert_eq!(after, Some(timeout));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() >= timeout);
    // The status never changed: one change, however many polls.
    assert_eq!(
        transitions(&changes),
        [(None, JobStatus::FullTransferStarted)]
    );
    assert!(server.received_requests().await.unwrap().len() >= 2);
}
