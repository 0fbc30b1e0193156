//! IAM password authentication and the project id lookup, against a wiremock server on
//! 127.0.0.1 that plays both IAM and DRS: the token request of reference chapter 3.2, the token
//! sent on DRS calls, its cache and renewal, IAM's refusals, and `GET /v3/projects?name=`
//! (appendix A.5) when the client is built without a project id.

mod support;

use std::time::{Duration, SystemTime};

use huaweicloud_drs::time::CivilDateTime;
use huaweicloud_drs::types::BatchShowJobStatusesRequest;
use huaweicloud_drs::{Client, Error, IamPassword};
use serde_json::{Value, json};
use support::{PROJECT_ID, STATUSES, path, statuses};
use wiremock::matchers::{body_json, header, method, path as url_path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const REGION: &str = "cn-north-4";
const DOMAIN: &str = "acme-cloud";
const USER: &str = "drs-operator";
const PASSWORD: &str = "Correct-Horse-7";
/// The two jobs of the reference's batch status example (4.1.20).
const JOBS: [&str; 2] = [
    "9a470239-2308-4bb5-a6bc-1040402fjb21",
    "dc67695a-ee3e-49b8-a022-a099bd81jb21",
];
/// How long before its expiry the crate replaces a token, as documented on `IamPassword`.
const RENEWAL_MARGIN: Duration = Duration::from_secs(60 * 60);

fn credentials(server: &MockServer) -> IamPassword {
    IamPassword::with_iam_endpoint(&server.uri(), DOMAIN, USER, PASSWORD, REGION)
}

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .endpoint(&server.uri())
        .project_id(PROJECT_ID)
        .credentials(credentials(server))
        .build()
        .await
        .expect("a client with a project id builds without calling IAM")
}

/// A time as IAM writes `expires_at`: `2023-11-30T14:39:37.776000Z`.
fn iam_time(instant: SystemTime) -> String {
    let t = CivilDateTime::from_instant(instant);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000000Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// IAM's answer to a token request: 201, the token in `X-Subject-Token`, and its expiry.
fn token_answer(token: &str, expires_at: SystemTime) -> ResponseTemplate {
    ResponseTemplate::new(201)
        .insert_header("X-Subject-Token", token)
        .set_body_json(json!({
            "token": {
                "methods": ["password"],
                "issued_at": iam_time(SystemTime::now()),
                "expires_at": iam_time(expires_at),
                "project": { "name": REGION, "id": PROJECT_ID }
            }
        }))
}

fn in_a_day() -> SystemTime {
    SystemTime::now() + Duration::from_secs(24 * 60 * 60)
}

fn token_request() -> wiremock::MockBuilder {
    Mock::given(method("POST")).and(url_path("/v3/auth/tokens"))
}

/// IAM answers the first token request with `MIIT-token-1`, expiring at `first_expires_at`,
/// and the second with `MIIT-token-2`, good for a day; each is expected exactly once.
async fn issue_two_tokens(server: &MockServer, first_expires_at: SystemTime) {
    token_request()
        .respond_with(token_answer("MIIT-token-1", first_expires_at))
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    token_request()
        .respond_with(token_answer("MIIT-token-2", in_a_day()))
        .expect(1)
        .mount(server)
        .await;
}

fn statuses_call(token: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(url_path(path(STATUSES)))
        .and(header("x-auth-token", token))
}

/// The response example of 4.1.20.
fn statuses_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(statuses(&[
        (JOBS[0], "INCRE_TRANSFER_STARTED"),
        (JOBS[1], "INCRE_TRANSFER_FAILED"),
    ]))
}

/// The API gateway's answer to a token it does not accept.
fn gateway_refusal() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({
        "error_code": "APIGW.0301",
        "error_msg": "Incorrect IAM authentication information: x-auth-token not found",
        "request_id": "8bc5e5e8d6b4e5c1d1c6b0b1e0a6e4f2"
    }))
}

async fn show_statuses(client: &Client) -> Result<Vec<(String, String)>, Error> {
    let body = BatchShowJobStatusesRequest::new(
        JOBS.iter().map(|job| job.to_string()).collect::<Vec<_>>(),
    );
    let answer = client
        .batch_show_job_statuses()
        .body(body)
        .send()
        .await?
        .into_inner();
    Ok(answer
        .results
        .unwrap_or_default()
        .into_iter()
        .map(|result| {
            (
                result.id.unwrap_or_default(),
                result.status.map(|s| s.to_string()).unwrap_or_default(),
            )
        })
        .collect())
}

fn expected_statuses() -> Vec<(String, String)> {
    vec![
        (JOBS[0].to_string(), "INCRE_TRANSFER_STARTED".to_string()),
        (JOBS[1].to_string(), "INCRE_TRANSFER_FAILED".to_string()),
    ]
}

async fn requests_to(server: &MockServer, path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|request| request.url.path() == path)
        .collect()
}

#[tokio::test]
async fn the_token_request_is_project_scoped_and_the_token_goes_in_x_auth_token() {
    let server = MockServer::start().await;
    // Chapter 3.2: password method, user name and password, the user's domain by name, and a
    // project scope named after the region.
    let chapter_3_2 = json!({
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": USER,
                        "password": PASSWORD,
                        "domain": { "name": DOMAIN }
                    }
                }
            },
            "scope": { "project": { "name": REGION } }
        }
    });
    token_request()
        .and(header("content-type", "application/json"))
        .and(body_json(chapter_3_2))
        .respond_with(token_answer("MIIT-token-1", in_a_day()))
        .expect(1)
        .mount(&server)
        .await;
    statuses_call("MIIT-token-1")
        .respond_with(statuses_answer())
        .expect(1)
        .mount(&server)
        .await;

    let statuses = show_statuses(&client(&server).await).await.unwrap();

    assert_eq!(statuses, expected_statuses());
    server.verify().await;
    let token_requests = requests_to(&server, "/v3/auth/tokens").await;
    assert!(
        !token_requests[0].headers.contains_key("x-auth-token"),
        "the token request carries no token"
    );
}

#[tokio::test]
async fn a_token_is_cached_while_it_is_far_from_expiry() {
    // 24 hours is IAM's lifetime; two hours is still beyond the renewal margin.
    for expires_in in [
        Duration::from_secs(24 * 3600),
        Duration::from_secs(2 * 3600),
    ] {
        let server = MockServer::start().await;
        token_request()
            .respond_with(token_answer("MIIT-token-1", SystemTime::now() + expires_in))
            .expect(1)
            .mount(&server)
            .await;
        statuses_call("MIIT-token-1")
            .respond_with(statuses_answer())
            .expect(2)
            .mount(&server)
            .await;

        let client = client(&server).await;
        assert_eq!(show_statuses(&client).await.unwrap(), expected_statuses());
        // A clone shares the credentials, and so the cached token.
        assert_eq!(
            show_statuses(&client.clone()).await.unwrap(),
            expected_statuses()
        );

        server.verify().await;
    }
}

#[tokio::test]
async fn a_token_near_or_past_its_expiry_is_renewed_before_the_next_call() {
    let now = SystemTime::now();
    let cases = [
        ("already expired", now - Duration::from_secs(60)),
        (
            "within the renewal margin",
            now + RENEWAL_MARGIN - Duration::from_secs(15 * 60),
        ),
    ];
    for (case, expires_at) in cases {
        let server = MockServer::start().await;
        issue_two_tokens(&server, expires_at).await;
        statuses_call("MIIT-token-1")
            .respond_with(statuses_answer())
            .expect(1)
            .named(format!("{case}: first call"))
            .mount(&server)
            .await;
        statuses_call("MIIT-token-2")
            .respond_with(statuses_answer())
            .expect(2)
            .named(format!("{case}: later calls"))
            .mount(&server)
            .await;

        let client = client(&server).await;
        for _ in 0..3 {
            assert_eq!(show_statuses(&client).await.unwrap(), expected_statuses());
        }

        server.verify().await;
    }
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_the_call_is_repeated() {
    let server = MockServer::start().await;
    issue_two_tokens(&server, in_a_day()).await;
    // The first token was revoked (its user's password changed, say) before it expired.
    statuses_call("MIIT-token-1")
        .respond_with(gateway_refusal())
        .expect(1)
        .mount(&server)
        .await;
    statuses_call("MIIT-token-2")
        .respond_with(statuses_answer())
        .expect(2)
        .mount(&server)
        .await;

    let client = client(&server).await;
    assert_eq!(show_statuses(&client).await.unwrap(), expected_statuses());
    // The new token is the cached one from then on.
    assert_eq!(show_statuses(&client).await.unwrap(), expected_statuses());

    server.verify().await;
}

#[tokio::test]
async fn a_second_401_is_an_authentication_error() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_answer("MIIT-token", in_a_day()))
        .expect(2)
        .mount(&server)
        .await;
    statuses_call("MIIT-token")
        .respond_with(gateway_refusal())
        .expect(2)
        .mount(&server)
        .await;

    let error = show_statuses(&client(&server).await).await.unwrap_err();

    let Error::Authentication(refusal) = &error else {
        panic!("expected an authentication error, got {error:?}");
    };
    assert_eq!(refusal.operation, Some("batch_show_job_statuses"));
    assert_eq!(refusal.status, Some(401));
    assert_eq!(refusal.code.as_deref(), Some("APIGW.0301"));
    assert_eq!(
        refusal.request_id.as_deref(),
        Some("8bc5e5e8d6b4e5c1d1c6b0b1e0a6e4f2")
    );
    server.verify().await;
}

#[tokio::test]
async fn iam_refusing_the_password_is_an_authentication_error_that_hides_it() {
    // IAM's two error shapes, and an answer that echoes the request body back.
    let echoed = format!(
        "<html>400 Bad Request: {}</html>",
        json!({ "user": { "name": USER, "password": PASSWORD } })
    );
    let cases = [
        (
            ResponseTemplate::new(401).set_body_json(json!({
                "error": {
                    "code": 401,
                    "message": "The username or password is wrong.",
                    "title": "Unauthorized"
                }
            })),
            Some("401"),
            "The username or password is wrong.",
        ),
        (
            ResponseTemplate::new(401).set_body_json(json!({
                "error_code": "IAM.0007",
                "error_msg": "Incorrect password."
            })),
            Some("IAM.0007"),
            "Incorrect password.",
        ),
        (
            ResponseTemplate::new(400).set_body_string(echoed),
            None,
            "400 Bad Request",
        ),
    ];
    for (answer, code, message) in cases {
        let server = MockServer::start().await;
        token_request().respond_with(answer).mount(&server).await;
        Mock::given(url_path(path(STATUSES)))
            .respond_with(statuses_answer())
            .expect(0)
            .mount(&server)
            .await;

        let error = show_statuses(&client(&server).await).await.unwrap_err();

        let Error::Authentication(refusal) = &error else {
            panic!("expected an authentication error, got {error:?}");
        };
        assert_eq!(refusal.code.as_deref(), code);
        assert!(refusal.status.is_some_and(|status| status >= 400));
        let shown = format!("{error}\n{error:?}");
        assert!(shown.contains(message), "{shown}");
        assert!(shown.contains(USER), "the error names the user: {shown}");
        assert!(!shown.contains(PASSWORD), "the password leaked: {shown}");
        server.verify().await;
    }
}

#[tokio::test]
async fn an_iam_answer_without_a_token_header_is_an_authentication_error() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "token": {} })))
        .mount(&server)
        .await;

    let error = show_statuses(&client(&server).await).await.unwrap_err();

    let Error::Authentication(refusal) = &error else {
        panic!("expected an authentication error, got {error:?}");
    };
    assert!(refusal.message.contains("X-Subject-Token"), "{error}");
}

/// Serves IAM's token and project list, the projects answered by `projects`.
async fn iam_with_projects(projects: Value) -> MockServer {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_answer("MIIT-token-1", in_a_day()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(url_path("/v3/projects"))
        .and(query_param("name", REGION))
        .and(header("x-auth-token", "MIIT-token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "projects": projects,
            "links": { "self": "https://iam.example.com/v3/projects", "next": null, "previous": null }
        })))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn project(name: &str, id: &str) -> Value {
    // The shape of appendix A.5's example.
    json!({
        "domain_id": "65382450e8f64ac0870cd180d14e684b",
        "is_domain": false,
        "parent_id": "65382450e8f64ac0870cd180d14e684b",
        "name": name,
        "description": "",
        "links": { "next": null, "previous": null, "self": format!("https://iam.example.com/v3/projects/{id}") },
        "id": id,
        "enabled": true
    })
}

async fn build_without_project_id(server: &MockServer) -> Result<Client, Error> {
    Client::builder()
        .region(REGION)
        .iam_endpoint(&server.uri())
        .endpoint(&server.uri())
        .credentials(credentials(server))
        .build()
        .await
}

#[tokio::test]
async fn building_without_a_project_id_looks_it_up_in_iam() {
    // A sub-project whose name starts with the region's must not be taken for it.
    let server = iam_with_projects(json!([
        project(
            &format!("{REGION}_staging"),
            "a4a5d4098fb4474fa22cd05f897d6b99"
        ),
        project(REGION, PROJECT_ID),
    ]))
    .await;
    statuses_call("MIIT-token-1")
        .respond_with(statuses_answer())
        .expect(1)
        .mount(&server)
        .await;

    let client = build_without_project_id(&server).await.unwrap();

    assert_eq!(client.project_id(), PROJECT_ID);
    // The call goes to the project found, with the token obtained for the lookup.
    assert_eq!(show_statuses(&client).await.unwrap(), expected_statuses());
    server.verify().await;
}

#[tokio::test]
async fn no_project_of_the_region_is_a_clear_error() {
    let server = iam_with_projects(json!([project(
        &format!("{REGION}_staging"),
        "a4a5d4098fb4474fa22cd05f897d6b99"
    )]))
    .await;

    let error = build_without_project_id(&server).await.unwrap_err();

    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("no project named \"cn-north-4\""), "{text}");
    assert!(text.contains("set the project id"), "{text}");
    server.verify().await;
}

#[tokio::test]
async fn several_projects_of_the_region_is_a_clear_error() {
    let server = iam_with_projects(json!([
        project(REGION, PROJECT_ID),
        project(REGION, "a4a5d4098fb4474fa22cd05f897d6b99"),
    ]))
    .await;

    let error = build_without_project_id(&server).await.unwrap_err();

    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("2 projects named \"cn-north-4\""), "{text}");
    assert!(
        text.contains(PROJECT_ID) && text.contains("a4a5d4098fb4474fa22cd05f897d6b99"),
        "the error lists the candidates: {text}"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_project_list_of_another_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_answer("MIIT-token-1", in_a_day()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(url_path("/v3/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;

    let error = build_without_project_id(&server).await.unwrap_err();

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.status, 200);
    assert_eq!(decode.path, "projects");
    assert_eq!(decode.body_excerpt, "<html>maintenance</html>");
}

#[tokio::test]
async fn an_iam_failure_listing_projects_is_an_http_error_not_an_authentication_one() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_answer("MIIT-token-1", in_a_day()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(url_path("/v3/projects"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("X-Request-Id", "iam-req-9")
                .set_body_string("<html>upstream unavailable</html>"),
        )
        .mount(&server)
        .await;

    let error = build_without_project_id(&server).await.unwrap_err();

    let Error::Http(http) = &error else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(http.status, 503);
    assert_eq!(http.request_id.as_deref(), Some("iam-req-9"));
    assert_eq!(http.body_excerpt, "<html>upstream unavailable</html>");
}
