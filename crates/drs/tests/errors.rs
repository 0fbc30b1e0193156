//! Every shape of failure a DRS endpoint, the API gateway in front of it or the network can
//! produce, served by a mock server on 127.0.0.1, and the typed error each one becomes: never a
//! decoding failure where the service refused the request, never a panic.

mod support;

use std::time::Duration;

use huaweicloud_drs::{BODY_EXCERPT_LIMIT, Error, ErrorCode, ResponseValue, RetryPolicy, types};
use serde_json::json;
use support::{
    JOB_ID, STATUSES, builder, builder_for, client, job_statuses, job_statuses_answer, path,
    received, refusing_endpoint, serve,
};
use wiremock::matchers::{method, path as url_path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The error of `batch_show_job_statuses`, sent once to a server that answers `answer`.
async fn job_statuses_error(answer: ResponseTemplate) -> Error {
    let server = serve(STATUSES, answer).await;
    job_statuses(&client(&server).await).await.unwrap_err()
}

/// Calls `list_node_types` (section 4.1.23), which documents 200 and 400, on a server that
/// answers it with `answer`.
async fn node_types(
    answer: ResponseTemplate,
) -> Result<ResponseValue<types::ListNodeTypesResponse>, Error> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(url_path(path("/node-type")))
        .respond_with(answer)
        .mount(&server)
        .await;
    client(&server)
        .await
        .list_node_types()
        .engine_type("mysql")
        .db_use_type("migration")
        .job_direction("up")
        .send()
        .await
}

#[tokio::test]
async fn a_drs_error_body_is_an_api_error_with_its_typed_code() {
    let error = job_statuses_error(
        ResponseTemplate::new(400)
            .insert_header("X-Request-Id", "a7f3c1e2-400")
            .set_body_json(json!({
                "error_code": "DRS.M00202",
                "error_msg": "The value of jobs is invalid."
            })),
    )
    .await;

    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.operation, "batch_show_job_statuses");
    assert_eq!(api.status, 400);
    assert_eq!(api.code, ErrorCode::DrsM00202);
    assert_eq!(api.message, "The value of jobs is invalid.");
    assert_eq!(api.request_id.as_deref(), Some("a7f3c1e2-400"));
    // Table A-4: DRS.M00202 is answered with 400.
    assert_eq!(api.documented().map(|info| info.status), Some(400));
    assert_eq!(error.code(), Some(&ErrorCode::DrsM00202));
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.request_id(), Some("a7f3c1e2-400"));
    assert_eq!(error.operation(), Some("batch_show_job_statuses"));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_drs_error_on_a_status_the_operation_does_not_document_is_still_an_api_error() {
    // The operation documents 400 only; table A-4 answers DRS.M00002 with 422.
    let error = job_statuses_error(
        ResponseTemplate::new(422)
            .set_body_json(json!({ "error_code": "DRS.M00002", "error_msg": "empty" })),
    )
    .await;

    match error {
        Error::Api(api) => {
            assert_eq!((api.status, api.code), (422, ErrorCode::DrsM00002));
            assert_eq!(api.message, "empty");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn the_gateways_401_is_an_authentication_error_with_its_code_and_request_id() {
    let error = job_statuses_error(ResponseTemplate::new(401).set_body_json(json!({
        "error_code": "APIGW.0301",
        "error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
        "request_id": "b3c9e0d4f1a2b3c4d5e6f7a8b9c0d1e2"
    })))
    .await;

    let Error::Authentication(auth) = &error else {
        panic!("expected Error::Authentication, got {error:?}");
    };
    assert_eq!(auth.operation, Some("batch_show_job_statuses"));
    assert_eq!(auth.status, Some(401));
    assert_eq!(auth.code.as_deref(), Some("APIGW.0301"));
    assert_eq!(
        auth.request_id.as_deref(),
        Some("b3c9e0d4f1a2b3c4d5e6f7a8b9c0d1e2")
    );
    assert!(
        auth.message.contains("verify aksk signature fail"),
        "{auth:?}"
    );
    assert_eq!(error.request_id(), Some("b3c9e0d4f1a2b3c4d5e6f7a8b9c0d1e2"));
}

#[tokio::test]
async fn the_request_id_header_wins_over_the_one_in_the_body() {
    let error = job_statuses_error(
        ResponseTemplate::new(401)
            .insert_header("X-Request-Id", "from-header")
            .set_body_json(json!({
                "error_code": "APIGW.0301",
                "error_msg": "Incorrect IAM authentication information",
                "request_id": "from-body"
            })),
    )
    .await;

    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    assert_eq!(error.request_id(), Some("from-header"));
}

#[tokio::test]
async fn a_403_with_a_gateway_code_is_an_authentication_error() {
    let error = job_statuses_error(ResponseTemplate::new(403).set_body_json(json!({
        "error_code": "APIGW.0302",
        "error_msg": "The IAM user is not authorized to access the API.",
        "request_id": "c0ffee"
    })))
    .await;

    match error {
        Error::Authentication(auth) => {
            assert_eq!(auth.status, Some(403));
            assert_eq!(auth.code.as_deref(), Some("APIGW.0302"));
            assert_eq!(auth.request_id.as_deref(), Some("c0ffee"));
        }
        other => panic!("expected Error::Authentication, got {other:?}"),
    }
}

#[tokio::test]
async fn a_401_without_a_coded_body_is_still_an_authentication_error() {
    let error =
        job_statuses_error(ResponseTemplate::new(401).set_body_raw("Unauthorized", "text/plain"))
            .await;

    match error {
        Error::Authentication(auth) => {
            assert_eq!((auth.status, auth.code.as_deref()), (Some(401), None));
            assert!(auth.message.contains("Unauthorized"), "{auth:?}");
        }
        other => panic!("expected Error::Authentication, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_error_page_is_an_http_error_with_an_excerpt() {
    let page = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let error = job_statuses_error(
        ResponseTemplate::new(500)
            .insert_header("X-Request-Id", "html-500")
            .set_body_raw(page, "text/html"),
    )
    .await;

    let Error::Http(http) = &error else {
        panic!("expected Error::Http, got {error:?}");
    };
    assert_eq!(http.status, 500);
    assert_eq!(http.request_id.as_deref(), Some("html-500"));
    assert_eq!(http.body_excerpt, page);
    assert!(error.to_string().contains("HTTP 500"), "{error}");
}

#[tokio::test]
async fn an_empty_error_body_is_an_http_error() {
    let error =
        job_statuses_error(ResponseTemplate::new(503).insert_header("X-Request-Id", "empty-503"))
            .await;

    let Error::Http(http) = &error else {
        panic!("expected Error::Http, got {error:?}");
    };
    assert_eq!(http.status, 503);
    assert_eq!(http.request_id.as_deref(), Some("empty-503"));
    assert_eq!(http.body_excerpt, "");
    assert!(error.to_string().contains("the body is empty"), "{error}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_huge_error_body_leaves_a_bounded_excerpt() {
    let page = format!("<html>{}</html>", "Bad Gateway ".repeat(200_000));
    let error =
        job_statuses_error(ResponseTemplate::new(502).set_body_raw(page.clone(), "text/html"))
            .await;

    let Error::Http(http) = &error else {
        panic!("expected Error::Http, got {error:?}");
    };
    assert_eq!(http.status, 502);
    assert!(
        http.body_excerpt.len() <= BODY_EXCERPT_LIMIT,
        "{} bytes",
        http.body_excerpt.len()
    );
    assert!(
        http.body_excerpt
            .starts_with("<html>Bad Gateway Bad Gateway")
    );
    assert!(http.body_excerpt.ends_with('…'), "{:?}", http.body_excerpt);
    assert!(error.to_string().len() < 2 * BODY_EXCERPT_LIMIT);
}

#[tokio::test]
async fn a_400_whose_body_is_not_json_is_an_http_error() {
    let error = job_statuses_error(
        ResponseTemplate::new(400).set_body_raw("Bad Request: malformed JSON", "text/plain"),
    )
    .await;

    match error {
        Error::Http(http) => {
            assert_eq!(http.status, 400);
            assert_eq!(http.body_excerpt, "Bad Request: malformed JSON");
        }
        other => panic!("expected Error::Http, got {other:?}"),
    }
}

#[tokio::test]
async fn a_json_error_body_without_a_code_is_an_http_error_showing_the_body_as_sent() {
    // The shape IAM and some gateways use; it decodes as an `ErrorResponse` with no member set,
    // so the excerpt must come from the bytes, not from the decoded value.
    let body = r#"{"error":{"code":"400","message":"Request body is malformed"}}"#;
    let error = job_statuses_error(
        ResponseTemplate::new(400)
            .insert_header("X-Request-Id", "no-code")
            .set_body_raw(body, "application/json"),
    )
    .await;

    match error {
        Error::Http(http) => {
            assert_eq!(http.status, 400);
            assert_eq!(http.request_id.as_deref(), Some("no-code"));
            assert_eq!(http.body_excerpt, body);
        }
        other => panic!("expected Error::Http, got {other:?}"),
    }
}

#[tokio::test]
async fn a_success_body_of_the_wrong_shape_names_the_json_path() {
    let error = job_statuses_error(
        ResponseTemplate::new(200)
            .insert_header("X-Request-Id", "decode-200")
            .set_body_json(json!({
                "results": [
                    { "id": JOB_ID, "status": "INCRE_TRANSFER_STARTED" },
                    { "id": "dc67695a-ee3e-49b8-a022-a099bd81jb21", "status": 7 }
                ],
                "count": 2
            })),
    )
    .await;

    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.operation, "batch_show_job_statuses");
    assert_eq!(decode.status, 200);
    assert_eq!(decode.path, "results[1].status");
    assert!(decode.message.contains("integer"), "{decode:?}");
    assert_eq!(decode.request_id.as_deref(), Some("decode-200"));
    assert!(error.to_string().contains("`results[1].status`"), "{error}");
}

#[tokio::test]
async fn a_success_body_that_is_not_json_is_a_decode_error_at_the_root() {
    let error = job_statuses_error(
        ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
    )
    .await;

    match error {
        Error::Decode(decode) => {
            assert_eq!((decode.status, decode.path.as_str()), (200, "."));
            assert_eq!(decode.body_excerpt, "<html>maintenance</html>");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_success_status_the_spec_does_not_list_is_decoded_anyway() {
    // `list_node_types` documents 200 and 400, not 203.
    let answer = node_types(ResponseTemplate::new(203).set_body_json(json!({
        "node_types": [{ "node_type": "high", "is_sellout": false }]
    })))
    .await
    .expect("an undocumented success status decodes");

    assert_eq!(answer.status().as_u16(), 203);
    let node_types = answer.into_inner().node_types.unwrap_or_default();
    assert_eq!(node_types.len(), 1);
    assert_eq!(node_types[0].node_type.as_deref(), Some("high"));
}

#[tokio::test]
async fn an_undocumented_success_status_with_a_wrong_body_names_the_path() {
    let error = node_types(
        ResponseTemplate::new(201).set_body_json(json!({ "node_types": [{ "is_sellout": "no" }] })),
    )
    .await
    .unwrap_err();

    match error {
        Error::Decode(decode) => {
            assert_eq!(decode.status, 201);
            assert_eq!(decode.path, "node_types[0].is_sellout");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_token_stays_home() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job_statuses_answer()))
        .mount(&elsewhere)
        .await;
    let error = job_statuses_error(
        ResponseTemplate::new(307)
            .insert_header("Location", format!("{}{}", elsewhere.uri(), path(STATUSES))),
    )
    .await;

    match error {
        Error::Http(http) => assert_eq!(http.status, 307),
        other => panic!("expected Error::Http, got {other:?}"),
    }
    assert_eq!(received(&elsewhere).await, 0);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let client = builder_for(&refusing_endpoint())
        .retry(RetryPolicy::never())
        .build()
        .await
        .unwrap();

    let error = job_statuses(&client).await.unwrap_err();
    match &error {
        Error::Transport {
            operation, source, ..
        } => {
            assert_eq!(*operation, "batch_show_job_statuses");
            assert!(source.is_connect(), "{source:?}");
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    // The cause, which reqwest keeps in its source chain, is in the message.
    let message = error.to_string().to_lowercase();
    assert!(message.contains("refused"), "{message}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn an_answer_later_than_the_timeout_is_a_timeout_error() {
    let server = serve(
        STATUSES,
        ResponseTemplate::new(200)
            .set_body_json(job_statuses_answer())
            .set_delay(Duration::from_secs(10)),
    )
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::never())
        .build()
        .await
        .unwrap();

    let error = job_statuses(&client).await.unwrap_err();
    match &error {
        Error::Timeout {
            operation, after, ..
        } => {
            assert_eq!(*operation, "batch_show_job_statuses");
            assert_eq!(*after, Some(Duration::from_millis(300)));
        }
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert!(error.to_string().contains("300ms"), "{error}");
    assert!(error.is_retryable());
}
