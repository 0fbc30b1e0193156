//! When the client sends a request again, counted by a mock server on 127.0.0.1: gateway failures
//! on reads, throttling on every operation (waiting as long as `Retry-After` asks), writes only
//! when the caller opts in, and never more often or longer than the policy allows. (Retries of
//! refused connections, which no server can count, are counted by the request's span in
//! `logging.rs`.)

mod support;

use std::time::{Duration, Instant};

use huaweicloud_drs::{Error, RetryPolicy};
use support::{
    STARTING, STATUSES, builder, job_statuses, job_statuses_answer, quick, received, serve_in_turn,
    start_answer, start_jobs,
};
use wiremock::ResponseTemplate;

fn ok_statuses() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(job_statuses_answer())
}

fn started() -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(start_answer())
}

#[tokio::test]
async fn a_read_is_sent_again_after_a_503() {
    let server = serve_in_turn(STATUSES, ResponseTemplate::new(503), 1, ok_statuses()).await;
    let client = builder(&server).retry(quick(3)).build().await.unwrap();

    job_statuses(&client)
        .await
        .expect("the second attempt succeeds");
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn throttling_is_waited_out_even_for_a_write() {
    let server = serve_in_turn(
        STARTING,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
        started(),
    )
    .await;
    let client = builder(&server).build().await.unwrap();

    let began = Instant::now();
    start_jobs(&client)
        .await
        .expect("the attempt after the wait succeeds");
    assert!(
        began.elapsed() >= Duration::from_secs(1),
        "{:?}",
        began.elapsed()
    );
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn a_write_is_not_sent_again_after_a_502_by_default() {
    let server = serve_in_turn(STARTING, ResponseTemplate::new(502), 1, started()).await;
    let client = builder(&server).retry(quick(3)).build().await.unwrap();

    match start_jobs(&client).await.unwrap_err() {
        Error::Http(http) => assert_eq!(http.status, 502),
        other => panic!("expected Error::Http, got {other:?}"),
    }
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn a_write_is_sent_again_after_a_502_when_the_caller_opts_in() {
    let server = serve_in_turn(STARTING, ResponseTemplate::new(502), 1, started()).await;
    let client = builder(&server)
        .retry(quick(3).retry_writes(true))
        .build()
        .await
        .unwrap();

    start_jobs(&client)
        .await
        .expect("the second attempt succeeds");
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn the_default_policy_opts_in_to_writes_with_one_call() {
    let server = serve_in_turn(STARTING, ResponseTemplate::new(504), 1, started()).await;
    let client = builder(&server)
        .retry(RetryPolicy::default().retry_writes(true))
        .build()
        .await
        .unwrap();

    start_jobs(&client).await.expect("the retry succeeds");
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let unavailable = || ResponseTemplate::new(503).insert_header("X-Request-Id", "last");
    let server = serve_in_turn(STATUSES, unavailable(), 1, unavailable()).await;
    let client = builder(&server).retry(quick(4)).build().await.unwrap();

    let error = job_statuses(&client).await.unwrap_err();
    assert_eq!(received(&server).await, 4);
    match &error {
        Error::Http(http) => {
            assert_eq!(http.status, 503);
            assert_eq!(http.request_id.as_deref(), Some("last"));
            assert_eq!(http.attempts, 4);
        }
        other => panic!("expected Error::Http, got {other:?}"),
    }
    assert!(error.to_string().contains("(after 4 attempts)"), "{error}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_policy_of_one_attempt_never_sends_twice() {
    let server = serve_in_turn(STATUSES, ResponseTemplate::new(503), 1, ok_statuses()).await;
    let client = builder(&server)
        .retry(RetryPolicy::never())
        .build()
        .await
        .unwrap();

    assert!(job_statuses(&client).await.is_err());
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_is_not_waited_for() {
    // The default budget is 30 s; the service asks for two minutes.
    let server = serve_in_turn(
        STATUSES,
        ResponseTemplate::new(429).insert_header("Retry-After", "120"),
        1,
        ok_statuses(),
    )
    .await;
    let client = builder(&server).build().await.unwrap();

    let began = Instant::now();
    let error = job_statuses(&client).await.unwrap_err();
    assert_eq!(received(&server).await, 1);
    assert_eq!(error.status(), Some(429));
    assert!(error.is_retryable());
    // Loosely: it gave up instead of sleeping for 120 s.
    assert!(began.elapsed() < Duration::from_secs(60));
}

#[tokio::test]
async fn other_error_statuses_are_not_retried() {
    for status in [400, 401, 404, 500] {
        let server = serve_in_turn(STATUSES, ResponseTemplate::new(status), 1, ok_statuses()).await;
        let client = builder(&server).retry(quick(3)).build().await.unwrap();

        assert_eq!(
            job_statuses(&client).await.unwrap_err().status(),
            Some(status)
        );
        assert_eq!(received(&server).await, 1, "HTTP {status}");
    }
}
