//! The spec's documented requests and error examples through the ergonomic client, against a
//! mock server on 127.0.0.1: every documented request passes the client's checks of documented
//! constraints and is sent; every error example comes back as `Error::Api` carrying the
//! example's code, message and status, and the answer's request id.

use drs::{Client, Error, types};
use drs_tests::generated::call;
use drs_tests::spec::{self, Operation, Place};
use drs_tests::support::{RequestParts, TOKEN};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const REQUEST_ID: &str = "5d1c0c9e-error-example";

/// A documented request, ready to fill a builder: each part it is asked for must be there.
struct Request(RequestParts);

impl Request {
    fn path(&self, name: &str) -> String {
        self.0
            .path(name)
            .unwrap_or_else(|problem| panic!("{problem}"))
            .to_string()
    }

    fn query(&self, name: &str) -> String {
        given(self.0.query(name), name)
    }

    fn header(&self, name: &str) -> String {
        given(self.0.header(name), name)
    }

    fn body<T: DeserializeOwned>(&self) -> T {
        let body = self.0.body().expect("a documented body");
        serde_json::from_value(body.clone()).expect("the documented body decodes")
    }
}

fn given(value: Option<&str>, name: &str) -> String {
    value
        .unwrap_or_else(|| panic!("the documented request gives no `{name}`"))
        .to_string()
}

/// Sends the documented request of `operation` through the ergonomic client.
async fn send(client: &Client, operation: &str, request: &Request) -> Result<(), Error> {
    let job_id = || request.path("job_id");
    let compare_job_id = || request.path("compare_job_id");
    match operation {
        "list_node_types" => client
            .list_node_types()
            .engine_type(request.query("engine_type").as_str())
            .db_use_type(request.query("db_use_type").as_str())
            .job_direction(request.query("job_direction").as_str())
            .send()
            .await
            .map(drop),
        "list_data_compare_tasks" => client
            .list_data_compare_tasks()
            .job_id(job_id())
            .send()
            .await
            .map(drop),
        "create_data_compare_task" => client
            .create_data_compare_task()
            .job_id(job_id())
            .body(request.body::<types::CreateDataCompareTaskRequest>())
            .send()
            .await
            .map(drop),
        "cancel_data_compare_task" => client
            .cancel_data_compare_task()
            .job_id(job_id())
            .compare_job_id(compare_job_id())
            .send()
            .await
            .map(drop),
        "start_data_compare_task" => client
            .start_data_compare_task()
            .job_id(job_id())
            .compare_job_id(compare_job_id())
            .send()
            .await
            .map(drop),
        "show_row_count_compare_overview" => client
            .show_row_count_compare_overview()
            .job_id(job_id())
            .compare_job_id(compare_job_id())
            .send()
            .await
            .map(drop),
        "show_row_count_compare_details" => client
            .show_row_count_compare_details()
            .job_id(job_id())
            .compare_job_id(compare_job_id())
            .send()
            .await
            .map(drop),
        "show_content_compare_overview" => client
            .show_content_compare_overview()
            .job_id(job_id())
            .compare_job_id(compare_job_id())
            .send()
            .await
            .map(drop),
        "show_content_compare_details" => client
            .show_content_compare_details()
            .job_id(job_id())
            .compare_job_id(compare_job_id())
            .send()
            .await
            .map(drop),
        "show_content_compare_differences" => client
            .show_content_compare_differences()
            .job_id(job_id())
            .compare_job_id(compare_job_id())
            .send()
            .await
            .map(drop),
        "create_object_compare_task" => client
            .create_object_compare_task()
            .job_id(job_id())
            .body(request.body::<types::CreateObjectCompareTaskRequest>())
            .send()
            .await
            .map(drop),
        "show_object_compare_overview" => client
            .show_object_compare_overview()
            .job_id(job_id())
            .send()
            .await
            .map(drop),
        "show_object_compare_details" => client
            .show_object_compare_details()
            .job_id(job_id())
            .compare_type(request.path("compare_type").as_str())
            .send()
            .await
            .map(drop),
        "export_compare_result_file" => client
            .export_compare_result_file()
            .job_id(job_id())
            .region(request.header("Region"))
            .body(request.body::<types::ExportCompareResultFileRequest>())
            .send()
            .await
            .map(drop),
        "download_compare_result_file" => client
            .download_compare_result_file()
            .job_id(job_id())
            .compare_type(request.query("compare_type").as_str())
            .send()
            .await
            .map(drop),
        other => panic!("{other} documents an error example: give it a call here"),
    }
}

async fn client(server: &MockServer) -> Result<Client, String> {
    Client::builder()
        .endpoint(&server.uri())
        .project_id("054ba152d480d55b2f5dc0069e7ddef0")
        .token(TOKEN)
        .map_err(|error| error.to_string())?
        .build()
        .await
        .map_err(|error| error.to_string())
}

/// Serves one error example and checks what the client makes of it.
async fn check(
    operation: &Operation,
    request: &Request,
    status: u16,
    body: &Value,
) -> Result<(), String> {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("X-Request-Id", REQUEST_ID)
                .set_body_json(body),
        )
        .mount(&server)
        .await;
    let client = client(&server).await?;

    let api = match send(&client, operation.id, request).await {
        Err(Error::Api(api)) => api,
        Err(other) => return Err(format!("expected Error::Api, got {other:?}")),
        Ok(()) => return Err("the error answer came back as a success".into()),
    };
    let code = body["error_code"].as_str().unwrap_or_default();
    let message = body["error_msg"].as_str().unwrap_or_default();
    if api.code.as_str() != code || api.message != message {
        return Err(format!(
            "code {:?} and message {:?} instead of {code:?} and {message:?}",
            api.code.as_str(),
            api.message
        ));
    }
    if (api.operation, api.status) != (operation.id, status) {
        return Err(format!("{} HTTP {}", api.operation, api.status));
    }
    if api.request_id.as_deref() != Some(REQUEST_ID) {
        return Err(format!("request id {:?}", api.request_id));
    }
    // An example whose code appendix A.3 lists answers with the status A.3 gives it.
    if let Some(documented) = api.documented()
        && documented.status != status
    {
        return Err(format!(
            "appendix A.3 answers {code} with HTTP {}",
            documented.status
        ));
    }
    Ok(())
}

#[tokio::test]
async fn every_documented_error_example_is_an_api_error_with_its_code() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for operation in spec::operations() {
        let requests = operation.request_examples();
        let Some(example) = requests.first() else {
            continue;
        };
        let request = Request(RequestParts::of(&operation, example));
        for response in operation.examples() {
            let Place::Response(status @ 400..=599) = response.place else {
                continue;
            };
            checked += 1;
            if let Err(problem) = check(&operation, &request, status, response.value).await {
                problems.push(format!("{} / {}: {problem}", operation.id, response.name));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // One in each of sections 4.1.23 to 4.1.37: the node types and the fourteen comparison
    // operations.
    assert_eq!(checked, 15);
}

#[tokio::test]
async fn every_documented_request_passes_validation() {
    // `Client::api` runs requests through the same transport, checks included, so the
    // generated table of calls sends each documented request as the reference writes it.
    let mut sent = 0;
    let mut problems = Vec::new();
    for operation in spec::operations() {
        for (index, example) in operation.request_examples().iter().enumerate() {
            let server = MockServer::start().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
                .mount(&server)
                .await;
            let parts = RequestParts::of(&operation, example);
            let outcome = match client(&server).await {
                Ok(client) => call(client.api(), operation.id, &parts).await,
                Err(error) => Err(error),
            };
            let received = server.received_requests().await.unwrap_or_default();
            if received.len() == 1 {
                sent += 1;
            } else {
                problems.push(format!(
                    "{} request example {index}: {} requests sent; the call gave {outcome:?}",
                    operation.id,
                    received.len()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every one of the 46 operations has at least one documented request.
    assert!(sent >= 46, "{sent} documented requests");
}
