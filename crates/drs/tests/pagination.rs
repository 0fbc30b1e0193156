//! Listings as streams against a mock server: the page numbers and offsets asked for, the items
//! in order, and where each style stops.

mod support;

use futures_util::StreamExt;
use huaweicloud_drs::types::{self, CompareObjectType, DbUseType};
use huaweicloud_drs::{Error, ItemStream};
use serde_json::{Value, json};
use support::{client, path};
use wiremock::matchers::{body_partial_json, method, path as url_path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const JOB: &str = "f8688cfa-4e05-406f-a2e6-37a773cjb20y";
const COMPARE: &str = "48c6acb4-1473-48fd-8676-df3705758c27";

/// A filter like 4.1.20's "list real-time migration jobs" example.
fn migration_jobs() -> types::ListJobsRequest {
    types::ListJobsRequest::new(1, 5, DbUseType::Migration)
}

/// A 4.1.20 answer holding the jobs `ids`, out of `total`.
fn job_page(ids: &[&str], total: usize) -> Value {
    let jobs: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "id": id, "name": format!("DRS-{id}"), "status": "CONFIGURATION" }))
        .collect();
    json!({ "jobs": jobs, "total_record": total })
}

async fn mount_job_page(server: &MockServer, page: i32, answer: Value, expected_calls: u64) {
    Mock::given(method("POST"))
        .and(url_path(path("/jobs")))
        .and(body_partial_json(json!({
            "cur_page": page,
            "per_page": 2,
            "db_use_type": "migration"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(expected_calls)
        .mount(server)
        .await;
}

/// Every item of a listing, its errors included.
async fn collect<T>(stream: ItemStream<'_, T>) -> Vec<Result<T, Error>> {
    stream.collect().await
}

fn ids(jobs: Vec<Result<types::JobListItem, Error>>) -> Vec<String> {
    jobs.into_iter()
        .map(|job| job.unwrap().id.unwrap())
        .collect()
}

#[tokio::test]
async fn job_pages_are_numbered_and_a_short_page_ends_the_list() {
    let server = MockServer::start().await;
    // No total in the answers: only the short third page ends the listing.
    mount_job_page(
        &server,
        1,
        json!({ "jobs": [{ "id": "j1" }, { "id": "j2" }] }),
        1,
    )
    .await;
    mount_job_page(
        &server,
        2,
        json!({ "jobs": [{ "id": "j3" }, { "id": "j4" }] }),
        1,
    )
    .await;
    mount_job_page(&server, 3, json!({ "jobs": [{ "id": "j5" }] }), 1).await;
    mount_job_page(&server, 4, job_page(&[], 5), 0).await;
    let client = client(&server).await;

    let jobs = collect(client.list_jobs().body(migration_jobs()).items(2)).await;

    assert_eq!(ids(jobs), ["j1", "j2", "j3", "j4", "j5"]);
}

#[tokio::test]
async fn job_pages_stop_once_total_record_is_reached() {
    let server = MockServer::start().await;
    mount_job_page(&server, 1, job_page(&["j1", "j2"], 4), 1).await;
    mount_job_page(&server, 2, job_page(&["j3", "j4"], 4), 1).await;
    mount_job_page(&server, 3, job_page(&[], 4), 0).await;
    let client = client(&server).await;

    let jobs = collect(client.list_jobs().body(migration_jobs()).items(2)).await;

    assert_eq!(ids(jobs), ["j1", "j2", "j3", "j4"]);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_after_its_error() {
    let server = MockServer::start().await;
    mount_job_page(&server, 1, job_page(&["j1", "j2"], 6), 1).await;
    Mock::given(method("POST"))
        .and(url_path(path("/jobs")))
        .and(body_partial_json(json!({ "cur_page": 2 })))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error_code": "DRS.M00211",
            "error_msg": "The value of Page exceeds the upper limit."
        })))
        .expect(1)
        .mount(&server)
        .await;
    mount_job_page(&server, 3, job_page(&["j5", "j6"], 6), 0).await;
    let client = client(&server).await;

    let mut items = collect(client.list_jobs().body(migration_jobs()).items(2)).await;

    assert_eq!(items.len(), 3);
    let error = items.pop().unwrap().unwrap_err();
    assert_eq!(error.code().map(|code| code.as_str()), Some("DRS.M00211"));
    assert_eq!(ids(items), ["j1", "j2"]);
}

#[tokio::test]
async fn a_page_size_out_of_bounds_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server).await;

    let jobs = collect(client.list_jobs().body(migration_jobs()).items(101)).await;
    let details = collect(
        client
            .show_object_compare_details()
            .job_id(JOB)
            .compare_type(CompareObjectType::Table)
            .items(1001),
    )
    .await;
    let tasks = collect(client.list_data_compare_tasks().job_id(JOB).items(0)).await;

    let first_errors = [
        (
            jobs.into_iter()
                .map(|item| item.map(|_| ()))
                .collect::<Vec<_>>(),
            "per_page",
        ),
        (
            details.into_iter().map(|item| item.map(|_| ())).collect(),
            "limit",
        ),
        (
            tasks.into_iter().map(|item| item.map(|_| ())).collect(),
            "limit",
        ),
    ];
    for (items, field) in first_errors {
        match items.as_slice() {
            [Err(Error::InvalidInput(invalid))] => assert_eq!(invalid.field, field),
            other => panic!("expected only an invalid {field}, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A 4.1.29 answer with the tables `names`, out of `total`.
fn row_count_page(names: &[&str], total: i32) -> Value {
    let tables: Vec<Value> = names
        .iter()
        .map(|name| {
            json!({
                "source_table_name": name,
                "source_row_num": 2434882,
                "target_table_name": name,
                "target_row_num": 2434882,
                "difference_row_num": 0,
                "status": 2
            })
        })
        .collect();
    json!({ "total_count": total, "table_line_compare_result_infos": tables })
}

async fn mount_row_count_page(server: &MockServer, offset: &str, answer: Value, calls: u64) {
    Mock::given(method("GET"))
        .and(url_path(path(&format!(
            "/jobs/{JOB}/compare/{COMPARE}/line-detail"
        ))))
        .and(query_param("offset", offset))
        .and(query_param("limit", "2"))
        .and(query_param("db_name", "my_db"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(calls)
        .mount(server)
        .await;
}

#[tokio::test]
async fn offset_pages_advance_by_the_items_received_and_stop_at_the_total() {
    let server = MockServer::start().await;
    mount_row_count_page(&server, "0", row_count_page(&["t1", "t2"], 6), 1).await;
    mount_row_count_page(&server, "2", row_count_page(&["t3", "t4"], 6), 1).await;
    mount_row_count_page(&server, "4", row_count_page(&["t5", "t6"], 6), 1).await;
    mount_row_count_page(&server, "6", row_count_page(&[], 6), 0).await;
    let client = client(&server).await;

    // The filter set on the builder goes with every page.
    let tables = collect(
        client
            .show_row_count_compare_details()
            .job_id(JOB)
            .compare_job_id(COMPARE)
            .db_name("my_db")
            .items(2),
    )
    .await;

    let names: Vec<String> = tables
        .into_iter()
        .map(|table| table.unwrap().source_table_name.unwrap())
        .collect();
    assert_eq!(names, ["t1", "t2", "t3", "t4", "t5", "t6"]);
}

#[tokio::test]
async fn offset_pages_stop_at_a_short_page_without_a_total() {
    let server = MockServer::start().await;
    // 4.1.24's example tasks, one page of two and a short page of one.
    let task = |id: &str| {
        json!({
            "id": id, "type": "lines", "options": {}, "status": "SUCCESSFUL",
            "start_time": "2024-03-14T06:30:14Z", "end_time": "2024-03-14T06:31:14Z",
            "export_status": "INIT", "report_remain_seconds": -1
        })
    };
    for (offset, tasks, calls) in [
        (
            "0",
            vec![
                task("48c6acb4-1473-48fd-8676-df3705758c27"),
                task("9e01bd96-e627-4538-a545-5f31d1c88e94"),
            ],
            1,
        ),
        ("2", vec![task("5a0f3c2e-0000-4000-8000-000000000003")], 1),
        ("3", vec![], 0),
    ] {
        Mock::given(method("GET"))
            .and(url_path(path(&format!("/jobs/{JOB}/table/compare"))))
            .and(query_param("offset", offset))
            .and(query_param("limit", "2"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({ "compare_jobs": tasks })),
            )
            .expect(calls)
            .mount(&server)
            .await;
    }
    let client = client(&server).await;

    let tasks = collect(client.list_data_compare_tasks().job_id(JOB).items(2)).await;

    let ids: Vec<String> = tasks
        .into_iter()
        .map(|task| task.unwrap().id.unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "48c6acb4-1473-48fd-8676-df3705758c27",
            "9e01bd96-e627-4538-a545-5f31d1c88e94",
            "5a0f3c2e-0000-4000-8000-000000000003"
        ]
    );
}

#[tokio::test]
async fn a_service_that_repeats_a_page_ends_the_list_with_an_error() {
    let server = MockServer::start().await;
    // Every page asked for gets the same two jobs, and no total: without a guard the listing
    // would never end.
    Mock::given(method("POST"))
        .and(url_path(path("/jobs")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "jobs": [{ "id": "j1" }, { "id": "j2" }] })),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server).await;

    let items = collect(client.list_jobs().body(migration_jobs()).items(2)).await;

    assert_eq!(items.len(), 3, "two jobs, then the error");
    assert_eq!(items[0].as_ref().unwrap().id.as_deref(), Some("j1"));
    assert_eq!(items[1].as_ref().unwrap().id.as_deref(), Some("j2"));
    let Err(Error::Decode(error)) = &items[2] else {
        panic!("expected a decode error, got {:?}", items[2]);
    };
    assert_eq!(error.operation, "list_jobs");
    assert!(
        error.message.contains("cur_page 2 repeats"),
        "{}",
        error.message
    );
}
