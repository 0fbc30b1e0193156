//! Batch and single-job calls against a mock server: outcomes job by job, long lists split
//! into several requests, and a job that does not exist whichever way the service says so.

mod support;

use huaweicloud_drs::types::{JobStatus, PauseJobRequestPauseMode};
use huaweicloud_drs::{Client, Error, ErrorCode, JobErrorKind, RetryPolicy};
use serde_json::json;
use support::{
    PROJECT_ID, STARTING, STATUSES, TOKEN, builder, client, job_does_not_exist, path, statuses,
};
use wiremock::matchers::{body_json, header, method, path as url_path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const STOPPED: &str = "4c6ac8c0-2f51-426a-97b2-cb2c668jb201";
const BUSY: &str = "6211d20d-0006-41da-836e-db3301ajb20b";
const JOB: &str = "140b5236-88ad-43c8-811c-1268453jb101";

/// A client of the mock server that puts at most two jobs in a request and sends it once.
async fn client_of_two(server: &MockServer) -> Client {
    builder(server)
        .retry(RetryPolicy::never())
        .max_jobs_per_request(2)
        .build()
        .await
        .expect("a client")
}

#[tokio::test]
async fn one_answer_carries_a_success_and_a_failure() {
    let server = MockServer::start().await;
    // 4.1.14: the request and the 202 answer of "stop the two specified jobs".
    Mock::given(method("DELETE"))
        .and(url_path(path("/jobs/batch-jobs")))
        .and(header("x-auth-token", TOKEN))
        .and(body_json(json!({ "jobs": [
            { "delete_type": "terminate", "job_id": STOPPED },
            { "delete_type": "terminate", "job_id": BUSY },
        ]})))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "count": 2,
            "results": [
                { "id": STOPPED, "status": "success" },
                { "id": BUSY, "status": "failed", "error_code": "DRS.M01504",
                  "error_msg": "Another operation is being performed on the migration task or the migration task is abnormal. Try again later." },
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let outcomes = client(&server)
        .await
        .stop_jobs(&[STOPPED, BUSY])
        .await
        .unwrap();

    assert_eq!(outcomes.len(), 2);
    assert_eq!(outcomes[0].job_id, STOPPED);
    assert_eq!(outcomes[0].result, Ok(()));
    assert_eq!(outcomes[1].job_id, BUSY);
    let failure = outcomes[1].result.clone().unwrap_err();
    assert_eq!(failure.job_id, BUSY);
    assert_eq!(failure.kind, JobErrorKind::Failed);
    assert_eq!(failure.code, Some(ErrorCode::DrsM01504));
    assert!(failure.message.starts_with("Another operation"));
    assert_eq!(failure.status, 202);
    assert_eq!(failure.operation, "batch_stop_or_delete_jobs");
}

#[tokio::test]
async fn a_failed_item_under_http_200_fails_its_job_alone() {
    let server = MockServer::start().await;
    // 4.1.13 answers 200; the second job's item carries a code of appendix A.3.
    Mock::given(method("POST"))
        .and(url_path(path("/jobs/batch-pause-task")))
        .and(body_json(json!({ "jobs": [
            { "job_id": JOB, "pause_mode": "target" },
            { "job_id": BUSY, "pause_mode": "target" },
        ]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [
                { "id": JOB, "status": "success" },
                { "id": BUSY, "status": "failed", "error_code": "DRS.M00304",
                  "error_msg": "This API cannot be called in the current task status." },
            ],
            "count": 2
        })))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let outcomes = client
        .pause_jobs(&[JOB, BUSY], PauseJobRequestPauseMode::Target)
        .await
        .unwrap();
    assert_eq!(outcomes[0].result, Ok(()));
    let failure = outcomes[1].result.as_ref().unwrap_err();
    assert_eq!(failure.code, Some(ErrorCode::DrsM00304));
    assert_eq!(failure.status, 200);

    // The same failure through the single-job call is an API error with the item's code.
    Mock::given(method("POST"))
        .and(url_path(path("/jobs/batch-pause-task")))
        .and(body_json(
            json!({ "jobs": [{ "job_id": BUSY, "pause_mode": "all" }]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [{ "id": BUSY, "status": "failed", "error_code": "DRS.M00304",
                          "error_msg": "This API cannot be called in the current task status." }],
            "count": 1
        })))
        .mount(&server)
        .await;
    let error = client
        .pause_job(BUSY, PauseJobRequestPauseMode::All)
        .await
        .unwrap_err();
    match &error {
        Error::Api(api) => {
            assert_eq!(api.code, ErrorCode::DrsM00304);
            assert_eq!(api.status, 200);
            assert_eq!(api.operation, "batch_pause_jobs");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_long_list_goes_in_several_requests_and_comes_back_in_order() {
    let server = MockServer::start().await;
    let ids = ["job-1", "job-2", "job-3", "job-4", "job-5"];
    // Each request answers its jobs in reverse order; the third job fails.
    let chunks: [(&[&str], serde_json::Value); 3] = [
        (
            &ids[0..2],
            json!([{ "id": "job-2", "status": "success" }, { "id": "job-1", "status": "success" }]),
        ),
        (
            &ids[2..4],
            json!([{ "id": "job-4", "status": "success" },
                   { "id": "job-3", "status": "failed", "error_code": "DRS.M01504", "error_msg": "busy" }]),
        ),
        (&ids[4..5], json!([{ "id": "job-5", "status": "success" }])),
    ];
    for (chunk, results) in chunks {
        let jobs: Vec<_> = chunk.iter().map(|id| json!({ "job_id": id })).collect();
        Mock::given(method("POST"))
            .and(url_path(path(STARTING)))
            .and(body_json(json!({ "jobs": jobs })))
            .respond_with(
                ResponseTemplate::new(202)
                    .set_body_json(json!({ "count": chunk.len(), "results": results })),
            )
            .expect(1)
            .mount(&server)
            .await;
    }

    let outcomes = client_of_two(&server).await.start_jobs(&ids).await.unwrap();

    let order: Vec<_> = outcomes.iter().map(|o| o.job_id.as_str()).collect();
    assert_eq!(order, ids);
    let failed: Vec<_> = outcomes
        .iter()
        .filter(|o| o.result.is_err())
        .map(|o| o.job_id.as_str())
        .collect();
    assert_eq!(failed, ["job-3"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn status_queries_ask_for_the_whole_chunk_on_one_page() {
    let server = MockServer::start().await;
    // 4.1.22's page_req defaults to 5 items per page: each request asks for all its jobs.
    for (jobs, per_page, answer) in [
        (
            vec![
                "9a470239-2308-4bb5-a6bc-1040402fjb21",
                "dc67695a-ee3e-49b8-a022-a099bd81jb21",
            ],
            2,
            statuses(&[
                (
                    "9a470239-2308-4bb5-a6bc-1040402fjb21",
                    "INCRE_TRANSFER_STARTED",
                ),
                (
                    "dc67695a-ee3e-49b8-a022-a099bd81jb21",
                    "INCRE_TRANSFER_FAILED",
                ),
            ]),
        ),
        (vec![JOB], 1, statuses(&[(JOB, "DELETED")])),
    ] {
        Mock::given(method("POST"))
            .and(url_path(path(STATUSES)))
            .and(body_json(json!({
                "jobs": jobs,
                "page_req": { "cur_page": 1, "per_page": per_page }
            })))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .expect(1)
            .mount(&server)
            .await;
    }

    let outcomes = client_of_two(&server)
        .await
        .job_statuses(&[
            "9a470239-2308-4bb5-a6bc-1040402fjb21",
            "dc67695a-ee3e-49b8-a022-a099bd81jb21",
            JOB,
        ])
        .await
        .unwrap();
    let found: Vec<_> = outcomes.into_iter().map(|o| o.result.unwrap()).collect();
    // A batch query reports a deleted job's status as it is.
    assert_eq!(
        found,
        [
            JobStatus::IncreTransferStarted,
            JobStatus::IncreTransferFailed,
            JobStatus::Deleted
        ]
    );
}

#[tokio::test]
async fn a_job_refused_as_unknown_is_not_found() {
    let server = MockServer::start().await;
    for rest in [STARTING, STATUSES] {
        Mock::given(method("POST"))
            .and(url_path(path(rest)))
            .respond_with(ResponseTemplate::new(400).set_body_json(job_does_not_exist()))
            .mount(&server)
            .await;
    }
    let client = client(&server).await;

    for error in [
        client.start_job(JOB).await.unwrap_err(),
        client.job_status(JOB).await.map(|_| ()).unwrap_err(),
    ] {
        assert!(
            matches!(&error, Error::JobNotFound { job_id } if job_id == JOB),
            "{error:?}"
        );
    }

    // Refused for a request of two jobs, the code may concern either: neither is "not found".
    let outcomes = client.start_jobs(&[JOB, BUSY]).await.unwrap();
    for outcome in &outcomes {
        let failure = outcome.result.as_ref().unwrap_err();
        assert_eq!(failure.kind, JobErrorKind::RequestRefused { jobs: 2 });
        assert_eq!(failure.code, Some(ErrorCode::DrsM00298));
        assert_eq!(failure.status, 400);
        assert!(!failure.is_job_not_found());
    }
}

#[tokio::test]
async fn a_job_reported_deleted_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path(path(STATUSES)))
        .respond_with(ResponseTemplate::new(200).set_body_json(statuses(&[(JOB, "DELETED")])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(url_path(path("/jobs/batch-detail")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 1,
            "results": [{ "id": JOB, "name": "DRS-0042-linxiaolu", "status": "DELETED" }]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(url_path(path("/jobs/batch-progress")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 1,
            "results": [{ "job_id": JOB, "progress": "0", "transfer_status": "DELETED" }]
        })))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let errors = [
        client.job_status(JOB).await.map(|_| ()).unwrap_err(),
        client.job_detail(JOB).await.map(|_| ()).unwrap_err(),
        client.job_progress(JOB).await.map(|_| ()).unwrap_err(),
    ];
    for error in errors {
        assert!(
            matches!(&error, Error::JobNotFound { job_id } if job_id == JOB),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn single_job_queries_return_the_job_s_own_result() {
    let server = MockServer::start().await;
    // 4.1.19, response example 1.
    Mock::given(method("POST"))
        .and(url_path(path("/jobs/batch-progress")))
        .and(body_json(
            json!({ "jobs": ["8d0e8e36-a618-490d-8a46-8c61ac9jb502"] }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 1,
            "results": [{
                "progress": "100",
                "job_id": "8d0e8e36-a618-490d-8a46-8c61ac9jb502",
                "incre_trans_delay": "0",
                "task_mode": "FULL_INCR_TRANS",
                "transfer_status": "INCRE_TRANSFER_STARTED",
                "process_time": "1608274919000",
                "remaining_time": "0"
            }]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(url_path(path(STATUSES)))
        .respond_with(ResponseTemplate::new(200).set_body_json(statuses(&[(JOB, "CONFIGURATION")])))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let progress = client
        .job_progress("8d0e8e36-a618-490d-8a46-8c61ac9jb502")
        .await
        .unwrap();
    assert_eq!(progress.progress.as_deref(), Some("100"));
    assert_eq!(
        progress.transfer_status.as_deref(),
        Some("INCRE_TRANSFER_STARTED")
    );
    assert_eq!(
        client.job_status(JOB).await.unwrap(),
        JobStatus::Configuration
    );
    assert_eq!(client.project_id(), PROJECT_ID);
}

#[tokio::test]
async fn a_missing_result_is_a_decode_error_for_one_job() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path(path("/jobs/batch-retry-task")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "results": [], "count": 0 })),
        )
        .mount(&server)
        .await;
    let error = client(&server).await.retry_job(JOB).await.unwrap_err();
    match error {
        Error::Decode(decode) => {
            assert_eq!(decode.path, "results");
            assert!(decode.message.contains(JOB), "{}", decode.message);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_empty_list_sends_nothing() {
    let server = MockServer::start().await;
    let outcomes = client(&server)
        .await
        .delete_jobs::<&str>(&[])
        .await
        .unwrap();
    assert!(outcomes.is_empty());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn zero_jobs_per_request_is_refused() {
    let error = Client::builder()
        .endpoint("http://127.0.0.1:9")
        .project_id(PROJECT_ID)
        .token("t")
        .unwrap()
        .max_jobs_per_request(0)
        .build()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("max_jobs_per_request"),
        "{error}"
    );
}
