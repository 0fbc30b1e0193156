//! Waiting for a job against a mock server whose answers to the status query (4.1.22) follow a
//! script: to success, to failure, to the timeout, with each status change observed once.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use huaweicloud_drs::types::JobStatus;
use huaweicloud_drs::{Client, Error, JobPhase, StatusChange, WaitTarget};
use serde_json::json;
use support::{JOB_ID, STATUSES, client, job_does_not_exist, path, serve, statuses};
use wiremock::matchers::{body_json, method, path as url_path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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
        ResponseTemplate::new(200).set_body_json(statuses(&[(JOB_ID, status)]))
    }
}

async fn scripted(statuses: &[&'static str]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path(path(STATUSES)))
        .and(body_json(json!({
            "jobs": [JOB_ID],
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

/// Waits for the job to reach `target`, polling every [`POLL`].
async fn wait(client: &Client, target: impl Into<WaitTarget>) -> Result<JobStatus, Error> {
    client
        .wait_for_job(JOB_ID, target)
        .poll_interval(POLL)
        .await
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
    let client = client(&server).await;
    let mut changes = Vec::new();

    let reached = client
        .wait_for_job(JOB_ID, JobPhase::Finished)
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
    assert!(changes.iter().all(|change| change.job_id == JOB_ID));
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[tokio::test]
async fn waits_for_a_status() {
    let server = scripted(&["FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"]).await;
    let client = client(&server).await;

    let reached = wait(&client, WaitTarget::Status(JobStatus::IncreTransferStarted))
        .await
        .unwrap();

    assert_eq!(reached, JobStatus::IncreTransferStarted);
}

#[tokio::test]
async fn a_failed_status_ends_the_wait() {
    let server = scripted(&["FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED"]).await;
    let client = client(&server).await;
    let mut changes = Vec::new();

    let error = client
        .wait_for_job(JOB_ID, JobPhase::Finished)
        .poll_interval(POLL)
        .on_change(|change| changes.push(change.clone()))
        .await
        .unwrap_err();

    match error {
        Error::JobFailed { job_id, status } => {
            assert_eq!(job_id, JOB_ID);
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
    let client = client(&server).await;

    let error = wait(&client, JobPhase::Finished).await.unwrap_err();

    assert!(
        matches!(&error, Error::JobFailed { status, .. } if status == "RELEASE_RESOURCE_COMPLETE"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_deleted_job_is_not_found_unless_deletion_is_awaited() {
    let server = scripted(&["DELETED"]).await;
    let client = client(&server).await;

    let error = wait(&client, JobPhase::Finished).await.unwrap_err();
    assert!(
        matches!(&error, Error::JobNotFound { job_id } if job_id == JOB_ID),
        "{error:?}"
    );

    let reached = wait(&client, JobPhase::Released).await.unwrap();
    assert_eq!(reached, JobStatus::Deleted);
}

#[tokio::test]
async fn a_job_that_disappears_has_reached_deletion() {
    let server = serve(
        STATUSES,
        ResponseTemplate::new(400).set_body_json(job_does_not_exist()),
    )
    .await;
    let client = client(&server).await;

    let reached = wait(&client, JobStatus::Deleted).await.unwrap();
    assert_eq!(reached, JobStatus::Deleted);

    let error = wait(&client, JobPhase::Finished).await.unwrap_err();
    assert!(matches!(error, Error::JobNotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn a_wait_that_outlasts_its_timeout_fails() {
    let server = scripted(&["FULL_TRANSFER_STARTED"]).await;
    let client = client(&server).await;
    let timeout = Duration::from_millis(200);
    let mut changes = Vec::new();
    let started = Instant::now();

    let error = client
        .wait_for_job(JOB_ID, JobPhase::Finished)
        .poll_interval(POLL)
        .timeout(timeout)
        .on_change(|change| changes.push(change.clone()))
        .await
        .unwrap_err();

    let message = error.to_string();
    match error {
        Error::WaitTimeout {
            job_id,
            target,
            last_status,
            after,
        } => {
            assert_eq!(job_id, JOB_ID);
            assert_eq!(target, "a status of phase Finished");
            assert_eq!(last_status.as_deref(), Some("FULL_TRANSFER_STARTED"));
            assert_eq!(after, timeout);
        }
        other => panic!("expected a wait timeout, got {other:?}"),
    }
    assert!(
        message.contains("its last status was FULL_TRANSFER_STARTED"),
        "{message}"
    );
    assert!(started.elapsed() >= timeout);
    // The status never changed: one change, however many polls.
    assert_eq!(
        transitions(&changes),
        [(None, JobStatus::FullTransferStarted)]
    );
    assert!(server.received_requests().await.unwrap().len() >= 2);
}
