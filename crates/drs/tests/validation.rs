//! A request that breaks a constraint the reference documents is refused before it is sent,
//! naming the operation and the field; the mock server on 127.0.0.1 proves nothing was sent.
//! `.validate(false)` lets the same request through.

mod support;

use huaweicloud_drs::{Client, Error, InvalidInput, types};
use serde_json::json;
use support::{builder, path, received};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers anything with `body`.
async fn serve(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// A `list_jobs` body (section 4.1.20) asking for 101 jobs a page; table 4-147 allows 0 to 100.
fn too_many_per_page() -> types::ListJobsRequest {
    serde_json::from_value(json!({ "cur_page": 1, "per_page": 101, "db_use_type": "migration" }))
        .unwrap()
}

fn invalid(error: Error) -> InvalidInput {
    match error {
        Error::InvalidInput(invalid) => invalid,
        other => panic!("expected Error::InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn a_page_size_beyond_the_documented_maximum_is_not_sent() {
    let server = serve(200, json!({ "jobs": [], "total_record": 0 })).await;
    let client = builder(&server).build().await.unwrap();

    let error = client
        .list_jobs()
        .body(too_many_per_page())
        .send()
        .await
        .unwrap_err();

    let text = error.to_string();
    let invalid = invalid(error);
    assert_eq!(invalid.operation, "list_jobs");
    assert_eq!(invalid.field, "per_page");
    assert_eq!(invalid.expected, "at most 100");
    assert_eq!(invalid.found, "101");
    assert_eq!(
        text,
        "list_jobs: `per_page` must be at most 100, but it is 101"
    );
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn a_job_name_too_short_is_not_sent() {
    let server = serve(202, json!({ "results": [], "count": 0 })).await;
    let client = builder(&server).build().await.unwrap();
    // Section 4.1.1's request example, with a name of 3 characters (table 4-4: 4 to 50).
    let body: types::BatchCreateJobsRequest = serde_json::from_value(json!({
        "jobs": [{
            "name": "DRS",
            "node_type": "high",
            "engine_type": "mysql",
            "net_type": "eip",
            "job_direction": "up",
            "db_use_type": "migration",
            "task_type": "FULL_INCR_TRANS",
            "customize_sutnet_id": "352ad828-3467-4f03-987a-c55a5a9dd417",
            "source_endpoint": { "db_type": "mysql" },
            "target_endpoint": {
                "region": "region-1",
                "db_type": "mysql",
                "inst_id": "e05a3679efe241d8b5dee80b17c1a863in01"
            },
            "is_target_readonly": false,
            "bind_eip": true
        }]
    }))
    .unwrap();

    let invalid = invalid(
        client
            .batch_create_jobs()
            .body(body)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(invalid.operation, "batch_create_jobs");
    assert_eq!(invalid.field, "jobs[0].name");
    assert_eq!(invalid.expected, "at least 4 characters long");
    assert_eq!(invalid.found, "\"DRS\" (3 characters)");
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn a_query_parameter_beyond_its_maximum_is_not_sent() {
    let server = serve(200, json!({})).await;
    let client = builder(&server).build().await.unwrap();

    // Section 4.1.32: `limit` is 1 to 1000.
    let invalid = invalid(
        client
            .show_content_compare_differences()
            .job_id("f8688cfa-4e05-406f-a2e6-37a773cjb20y")
            .compare_job_id("48c6acb4-1473-48fd-8676-df3705758c27")
            .limit(1001)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (invalid.operation, invalid.field.as_str()),
        ("show_content_compare_differences", "limit")
    );
    assert_eq!(invalid.expected, "at most 1000");
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn validation_can_be_turned_off() {
    let server = serve(200, json!({ "jobs": [], "total_record": 0 })).await;
    let client: Client = builder(&server).validate(false).build().await.unwrap();

    client
        .list_jobs()
        .body(too_many_per_page())
        .send()
        .await
        .expect("the request goes through");

    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), path("/jobs"));
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent["per_page"], 101);
}

#[tokio::test]
async fn a_listed_integer_in_the_query_is_sent_and_an_unlisted_one_is_not() {
    // Section 4.1.28: `status` is one of the documented comparison statuses (0, 2 to 23 and 27;
    // 1 is not among them); the query carries it as text.
    let server = serve(200, json!({})).await;
    let client = builder(&server).build().await.unwrap();
    let overview = |status: i32| {
        client
            .show_row_count_compare_overview()
            .job_id("f8688cfa-4e05-406f-a2e6-37a773cjb20y")
            .compare_job_id("48c6acb4-1473-48fd-8676-df3705758c27")
            .status(status)
            .send()
    };

    overview(2).await.expect("status 2 is documented");
    assert_eq!(received(&server).await, 1);

    let invalid = invalid(overview(1).await.unwrap_err());
    assert_eq!(invalid.field, "status");
    assert_eq!(invalid.found, "1");
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn an_empty_job_id_is_refused_before_sending() {
    let server = serve(200, json!({ "results": [], "count": 0 })).await;
    let client = builder(&server).build().await.unwrap();

    let error = client.start_job("").await.unwrap_err();

    let invalid = invalid(error);
    assert_eq!(invalid.operation, "batch_start_jobs");
    assert_eq!(invalid.field, "job_ids[0]");
    assert!(server.received_requests().await.unwrap().is_empty());
}
