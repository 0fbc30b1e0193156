//! What a request logs, read by a subscriber that keeps every span and event: one `drs.request`
//! span per call with the operation, method, status, attempts, duration and request id; and no
//! token, password, secret key or signature anywhere in the logs, in an error or in `Debug`.

mod support;

use huaweicloud_drs::credentials::{BoxFuture, Credentials, RequestContext};
use huaweicloud_drs::{AkSk, AuthenticationError, Client, Error, IamPassword, types};
use serde_json::json;
use support::capture::Capture;
use support::{
    JOB_ID, PROJECT_ID, STATUSES, TOKEN, builder, builder_for, job_statuses, job_statuses_answer,
    path, quick, received, refusing_endpoint, serve_in_turn, start_jobs,
};
use wiremock::matchers::{method, path as url_path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "Pa55w0rd-SECRET-e81b";
const IAM_TOKEN: &str = "MIIT-iam-issued-SECRET-55d2";
const SECRET_KEY: &str = "SK-SECRET-91aa0c7d";
const DB_PASSWORD: &str = "db-SECRET-4c1f!";
const SECRETS: [&str; 5] = [TOKEN, PASSWORD, IAM_TOKEN, SECRET_KEY, DB_PASSWORD];

/// A server that answers every `batch_show_job_statuses` request with `status` and
/// `request_id`: the documented answer for 200, a DRS error otherwise.
async fn serve_job_statuses(status: u16, request_id: &str) -> MockServer {
    let mut answer = ResponseTemplate::new(status).insert_header("X-Request-Id", request_id);
    if status == 200 {
        answer = answer.set_body_json(job_statuses_answer());
    } else {
        answer = answer
            .set_body_json(json!({ "error_code": "DRS.M00202", "error_msg": "invalid jobs" }));
    }
    support::serve(STATUSES, answer).await
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret:?}:\n{text}");
    }
}

#[tokio::test]
async fn each_request_has_one_span_with_what_happened() {
    let (capture, _turn) = Capture::start().await;
    let server = serve_job_statuses(200, "log-200").await;
    let client = builder(&server).build().await.unwrap();

    job_statuses(&client).await.unwrap();

    let span = capture.only_span("drs.request");
    let field = |name: &str| span.fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("batch_show_job_statuses"));
    assert_eq!(field("method"), Some("POST"));
    assert_eq!(field("path"), Some(path(STATUSES).as_str()));
    assert_eq!(field("status"), Some("200"));
    assert_eq!(field("attempts"), Some("1"));
    assert_eq!(field("request_id"), Some("log-200"));
    let duration = field("duration_ms").expect("a duration");
    assert!(duration.parse::<u64>().is_ok(), "duration_ms = {duration}");
}

#[tokio::test]
async fn a_refused_answer_is_in_the_span_too() {
    let (capture, _turn) = Capture::start().await;
    let server = serve_job_statuses(400, "log-400").await;
    let client = builder(&server).build().await.unwrap();

    assert!(job_statuses(&client).await.is_err());

    let span = capture.only_span("drs.request");
    assert_eq!(span.fields["status"], "400");
    assert_eq!(span.fields["request_id"], "log-400");
    assert_eq!(span.fields["attempts"], "1");
}

#[tokio::test]
async fn retries_stay_in_the_one_span_and_are_counted() {
    let (capture, _turn) = Capture::start().await;
    let server = serve_in_turn(
        STATUSES,
        ResponseTemplate::new(503),
        2,
        ResponseTemplate::new(200).set_body_json(job_statuses_answer()),
    )
    .await;
    let client = builder(&server).retry(quick(3)).build().await.unwrap();

    job_statuses(&client).await.unwrap();

    let span = capture.only_span("drs.request");
    assert_eq!(span.fields["attempts"], "3");
    assert_eq!(span.fields["status"], "200");
}

#[tokio::test]
async fn refused_connections_are_retried_for_reads_and_writes() {
    // Nothing reached the service, so even a write is tried again; with no server to count
    // requests, the span counts the attempts.
    let (capture, _turn) = Capture::start().await;
    let client = builder_for(&refusing_endpoint())
        .retry(quick(3))
        .build()
        .await
        .unwrap();

    let read = job_statuses(&client).await.unwrap_err();
    let write = start_jobs(&client).await.unwrap_err();

    for error in [&read, &write] {
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    }
    let attempts: Vec<(String, String)> = capture
        .spans_named("drs.request")
        .into_iter()
        .map(|span| {
            (
                span.fields["operation"].clone(),
                span.fields["attempts"].clone(),
            )
        })
        .collect();
    let expected = [("batch_show_job_statuses", "3"), ("batch_start_jobs", "3")];
    assert_eq!(
        attempts,
        expected.map(|(operation, count)| (operation.to_string(), count.to_string()))
    );
}

/// Credentials that cannot authorize anything.
#[derive(Debug)]
struct Expired;

impl Credentials for Expired {
    fn authorize<'a>(
        &'a self,
        _request: &'a mut reqwest::Request,
        _context: RequestContext<'a>,
    ) -> BoxFuture<'a, Result<(), AuthenticationError>> {
        Box::pin(std::future::ready(Err(AuthenticationError {
            operation: None,
            status: None,
            code: None,
            message: "the credentials expired".into(),
            request_id: None,
        })))
    }
}

#[tokio::test]
async fn credentials_that_fail_send_nothing_and_log_no_status() {
    let (capture, _turn) = Capture::start().await;
    let server = serve_job_statuses(200, "never").await;
    let client = Client::builder()
        .endpoint(&server.uri())
        .project_id(PROJECT_ID)
        .credentials(Expired)
        .build()
        .await
        .unwrap();

    match job_statuses(&client).await.unwrap_err() {
        Error::Authentication(auth) => {
            assert_eq!(auth.operation, Some("batch_show_job_statuses"));
            assert_eq!(
                (auth.status, auth.message.as_str()),
                (None, "the credentials expired")
            );
        }
        other => panic!("expected Error::Authentication, got {other:?}"),
    }
    assert_eq!(received(&server).await, 0);
    let span = capture.only_span("drs.request");
    assert_eq!(span.fields.get("status"), None, "{span:?}");
    assert_eq!(span.fields["attempts"], "1");
}

#[tokio::test]
async fn a_token_shows_nowhere() {
    let (capture, _turn) = Capture::start().await;
    let server = serve_in_turn(
        STATUSES,
        ResponseTemplate::new(200).set_body_json(job_statuses_answer()),
        1,
        ResponseTemplate::new(401).set_body_json(json!({
            "error_code": "APIGW.0301",
            "error_msg": "Incorrect IAM authentication information",
            "request_id": "r-401"
        })),
    )
    .await;
    let client = builder(&server).build().await.unwrap();

    job_statuses(&client).await.unwrap();
    let error = job_statuses(&client).await.unwrap_err();

    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests[0].headers["x-auth-token"], TOKEN,
        "the token is sent"
    );
    assert_no_secret("the logs", &capture.text());
    assert_no_secret("the error", &format!("{error} {error:?}"));
    assert_no_secret("the client", &format!("{client:?} {:?}", client.api()));
}

#[tokio::test]
async fn an_iam_password_and_the_tokens_it_buys_show_nowhere() {
    let (capture, _turn) = Capture::start().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path("/v3/auth/tokens"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-Subject-Token", IAM_TOKEN)
                .set_body_json(json!({ "token": { "expires_at": "2099-01-01T00:00:00.000000Z" } })),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(url_path(path(STATUSES)))
        .respond_with(ResponseTemplate::new(200).set_body_json(job_statuses_answer()))
        .mount(&server)
        .await;
    let password =
        IamPassword::with_iam_endpoint(&server.uri(), "account", "user", PASSWORD, "cn-north-4");
    let client = Client::builder()
        .endpoint(&server.uri())
        .project_id(PROJECT_ID)
        .credentials(password.clone())
        .build()
        .await
        .unwrap();

    job_statuses(&client).await.unwrap();

    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2, "one token, one call");
    assert_eq!(requests[1].headers["x-auth-token"], IAM_TOKEN);
    assert_no_secret("the logs", &capture.text());
    assert_no_secret("the client", &format!("{client:?} {password:?}"));
}

#[tokio::test]
async fn a_refused_iam_password_shows_nowhere() {
    let (capture, _turn) = Capture::start().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path("/v3/auth/tokens"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": { "code": 401, "message": "The username or password is wrong.", "title": "Unauthorized" }
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .endpoint(&server.uri())
        .project_id(PROJECT_ID)
        .credentials(IamPassword::with_iam_endpoint(
            &server.uri(),
            "account",
            "user",
            PASSWORD,
            "cn-north-4",
        ))
        .build()
        .await
        .unwrap();

    let error = job_statuses(&client).await.unwrap_err();

    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    assert_no_secret("the logs", &capture.text());
    assert_no_secret("the error", &format!("{error} {error:?}"));
}

#[tokio::test]
async fn a_secret_key_shows_nowhere() {
    let (capture, _turn) = Capture::start().await;
    let server = serve_job_statuses(200, "aksk").await;
    let keys = AkSk::new("AK-4f1c", SECRET_KEY)
        .and_then(|keys| keys.with_security_token(TOKEN))
        .expect("well-formed test keys");
    let client = Client::builder()
        .endpoint(&server.uri())
        .project_id(PROJECT_ID)
        .credentials(keys.clone())
        .build()
        .await
        .unwrap();

    // Whether signing succeeds or not, neither the key nor a signature derived from it may
    // show; the request itself carries the signature, never the key.
    let outcome = job_statuses(&client).await;

    let requests = server.received_requests().await.unwrap_or_default();
    for request in &requests {
        let headers = format!("{:?}", request.headers);
        assert!(!headers.contains(SECRET_KEY), "the secret key is sent");
    }
    let mut shown = format!("{keys:?} {client:?}");
    if let Err(error) = &outcome {
        shown.push_str(&format!(" {error} {error:?}"));
    }
    for request in &requests {
        if let Some(signature) = request
            .headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split("Signature=").nth(1))
        {
            assert!(
                !capture.text().contains(signature),
                "the logs show the signature"
            );
            assert!(!shown.contains(signature), "an error shows the signature");
        }
    }
    assert_no_secret("the logs", &capture.text());
    assert_no_secret("the keys, the client or the error", &shown);
}

#[tokio::test]
async fn a_database_password_in_a_request_shows_nowhere() {
    let (capture, _turn) = Capture::start().await;
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(url_path(path("/jobs/batch-modify-pwd")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error_code": "DRS.M00202",
            "error_msg": "The value of end_point_type is invalid."
        })))
        .mount(&server)
        .await;
    let client = builder(&server).build().await.unwrap();
    let body: types::BatchUpdateDbPasswordsRequest = serde_json::from_value(json!({
        "jobs": [{
            "db_password": DB_PASSWORD,
            "end_point_type": "so",
            "job_id": JOB_ID
        }]
    }))
    .unwrap();

    let refused = client
        .batch_update_db_passwords()
        .body(body.clone())
        .send()
        .await
        .unwrap_err();
    // And one the client refuses itself: an end point type the reference does not list.
    let mut invalid = body.clone();
    invalid.jobs[0].end_point_type = "middle".into();
    let caught = client
        .batch_update_db_passwords()
        .body(invalid)
        .send()
        .await
        .unwrap_err();

    assert!(matches!(refused, Error::Api(_)), "{refused:?}");
    assert!(matches!(caught, Error::InvalidInput(_)), "{caught:?}");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    assert!(String::from_utf8_lossy(&requests[0].body).contains(DB_PASSWORD));
    assert_no_secret("the logs", &capture.text());
    assert_no_secret(
        "the errors or the request",
        &format!("{refused} {refused:?} {caught} {caught:?} {body:?}"),
    );
}
