//! Tests of `cargo xtask diff`: one small hand-made spec changed one way per test, and the
//! reference's own history (revision 2023-08-30 to 2023-11-30) on the real spec.

use serde_json::{Value, json};

use super::compare::describe;
use super::*;

/// One operation with a path and a query parameter, a request body, a response that reaches a
/// schema through an array, an enumeration shared by the request and the response, and an
/// error status.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "jobs", "version": "1" },
        "paths": { "/v3/{project_id}/jobs": { "post": {
            "operationId": "list_jobs",
            "parameters": [
                { "name": "project_id", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "limit", "in": "query", "schema": { "type": "integer", "format": "int32" } }
            ],
            "requestBody": { "required": true, "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/ListJobsRequest" }
            } } },
            "responses": {
                "200": { "description": "OK", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/ListJobsResponse" }
                } } },
                "400": { "description": "Bad Request", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/ErrorResponse" }
                } } }
            }
        } } },
        "components": { "schemas": {
            "ListJobsRequest": { "type": "object", "required": ["status"], "properties": {
                "status": { "$ref": "#/components/schemas/JobStatus" },
                "name": { "type": "string", "maxLength": 50 }
            } },
            "ListJobsResponse": { "type": "object", "properties": {
                "count": { "type": "integer", "format": "int32" },
                "jobs": { "type": "array", "items": { "$ref": "#/components/schemas/Job" } }
            } },
            "Job": { "type": "object", "properties": {
                "id": { "type": "string" },
                "status": { "$ref": "#/components/schemas/JobStatus" }
            } },
            "JobStatus": { "type": "string", "enum": ["RUNNING", "FAILED"] },
            "ErrorResponse": { "type": "object", "properties": {
                "error_code": { "type": "string" },
                "error_msg": { "type": "string" }
            } }
        } }
    })
}

fn operation(document: &mut Value) -> &mut Value {
    &mut document["paths"]["/v3/{project_id}/jobs"]["post"]
}

fn schema<'a>(document: &'a mut Value, name: &str) -> &'a mut Value {
    &mut document["components"]["schemas"][name]
}

/// The changes from the base to `changed`, as (subject, summary, bump) triples.
fn changes(changed: &Value) -> Vec<(String, String, Bump)> {
    compare(&base(), changed)
        .into_iter()
        .map(|change| {
            let subject = match change.subject {
                Subject::Operation(name) | Subject::Schema(name) => name,
            };
            (subject, change.summary, change.bump)
        })
        .collect()
}

fn one(subject: &str, summary: &str, bump: Bump) -> Vec<(String, String, Bump)> {
    vec![(subject.to_string(), summary.to_string(), bump)]
}

#[test]
fn identical_specs_have_no_change_and_need_no_bump() {
    let found = compare(&base(), &base());
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(bump(&found), None);
}

#[test]
fn an_added_operation_is_minor_and_a_removed_one_major() {
    let mut changed = base();
    changed["paths"]["/v3/{project_id}/jobs/{job_id}"] = json!({ "get": {
        "operationId": "show_job",
        "responses": { "200": { "description": "OK" } }
    } });
    assert_eq!(
        changes(&changed),
        one(
            "show_job",
            "operation added (GET /v3/{project_id}/jobs/{job_id})",
            Bump::Minor
        )
    );
    assert_eq!(
        compare(&changed, &base())[0].bump,
        Bump::Major,
        "removing show_job"
    );
}

#[test]
fn a_moved_operation_is_a_patch() {
    let mut changed = base();
    let moved = changed["paths"]["/v3/{project_id}/jobs"].take();
    changed["paths"] = json!({ "/v3/{project_id}/job-list": { "put": moved["post"] } });
    assert_eq!(
        changes(&changed),
        one(
            "list_jobs",
            "moved from POST /v3/{project_id}/jobs to PUT /v3/{project_id}/job-list",
            Bump::Patch
        )
    );
}

#[test]
fn parameters_added_removed_moved_and_retyped() {
    let parameter = |name: &str, location: &str, required: bool| json!({ "name": name, "in": location, "required": required, "schema": { "type": "string" } });

    let mut optional = base();
    operation(&mut optional)["parameters"]
        .as_array_mut()
        .unwrap()
        .push(parameter("offset", "query", false));
    assert_eq!(
        changes(&optional),
        one(
            "list_jobs",
            "query parameter `offset` added: string, optional",
            Bump::Minor
        )
    );

    let mut required = base();
    operation(&mut required)["parameters"]
        .as_array_mut()
        .unwrap()
        .push(parameter("Region", "header", true));
    assert_eq!(
        changes(&required),
        one(
            "list_jobs",
            "header parameter `Region` added: string, required",
            Bump::Major
        )
    );

    let mut removed = base();
    operation(&mut removed)["parameters"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert_eq!(
        changes(&removed),
        one("list_jobs", "query parameter `limit` removed", Bump::Major)
    );

    let mut moved = base();
    operation(&mut moved)["parameters"][1]["in"] = json!("header");
    assert_eq!(
        changes(&moved),
        one(
            "list_jobs",
            "header parameter `limit`: moved from the query to the header",
            Bump::Patch
        )
    );

    let mut stricter = base();
    operation(&mut stricter)["parameters"][1]["required"] = json!(true);
    operation(&mut stricter)["parameters"][1]["schema"]["format"] = json!("int64");
    assert_eq!(
        changes(&stricter),
        vec![
            (
                "list_jobs".to_string(),
                "query parameter `limit` becomes required".to_string(),
                Bump::Major
            ),
            (
                "list_jobs".to_string(),
                "query parameter `limit`: type integer (int32) -> integer (int64)".to_string(),
                Bump::Major
            ),
        ]
    );

    // The reverse: a parameter made optional keeps its setter.
    let loosened = compare(&stricter, &base());
    assert!(
        loosened
            .iter()
            .any(|c| c.summary == "query parameter `limit` becomes optional"
                && c.bump == Bump::Patch),
        "{loosened:?}"
    );
}

#[test]
fn a_new_optional_response_field_is_minor_and_located_through_refs() {
    let mut changed = base();
    schema(&mut changed, "Job")["properties"]["started_at"] = json!({ "type": "string" });
    let found = compare(&base(), &changed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].subject, Subject::Schema("Job".into()));
    assert_eq!(
        found[0].summary,
        "field `started_at` added: string, optional"
    );
    assert_eq!(found[0].bump, Bump::Minor);
    assert_eq!(
        found[0].locations,
        ["list_jobs 200 response: jobs[].started_at"]
    );
}

#[test]
fn a_new_optional_request_field_is_an_addition() {
    let mut changed = base();
    schema(&mut changed, "ListJobsRequest")["properties"]["tag"] = json!({ "type": "string" });
    let found = compare(&base(), &changed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].summary, "field `tag` added: string, optional");
    assert_eq!(found[0].bump, Bump::Minor);
    assert!(
        found[0].reason.contains("non_exhaustive"),
        "{}",
        found[0].reason
    );
    assert_eq!(found[0].locations, ["list_jobs request body: tag"]);
}

#[test]
fn a_schema_no_operation_reaches_counts_as_built_by_callers() {
    let mut old = base();
    schema(&mut old, "Tag")["properties"] = json!({ "key": { "type": "string" } });
    let mut new = old.clone();
    schema(&mut new, "Tag")["properties"]["value"] = json!({ "type": "string" });
    schema(&mut new, "Tag")["required"] = json!(["value"]);
    let found = compare(&old, &new);
    assert_eq!(found.len(), 1, "{found:?}");
    // A required field of a type callers build: `new` takes one more argument.
    assert_eq!(found[0].bump, Bump::Major);
    assert!(found[0].locations.is_empty());
}

#[test]
fn a_required_response_field_is_major() {
    let mut changed = base();
    let job = schema(&mut changed, "Job");
    job["properties"]["name"] = json!({ "type": "string" });
    job["required"] = json!(["name"]);
    assert_eq!(
        changes(&changed),
        one("Job", "field `name` added: string, required", Bump::Major)
    );
}

#[test]
fn removed_retyped_and_requiredness_changed_fields_are_major() {
    let mut changed = base();
    let request = schema(&mut changed, "ListJobsRequest");
    request["properties"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    request["required"] = json!([]);
    schema(&mut changed, "ListJobsResponse")["properties"]["count"]["format"] = json!("int64");
    assert_eq!(
        changes(&changed),
        vec![
            (
                "ListJobsRequest".to_string(),
                "field `name` removed".to_string(),
                Bump::Major
            ),
            (
                "ListJobsRequest".to_string(),
                "field `status` becomes optional".to_string(),
                Bump::Major
            ),
            (
                "ListJobsResponse".to_string(),
                "field `count`: type integer (int32) -> integer (int64)".to_string(),
                Bump::Major
            ),
        ]
    );
}

#[test]
fn nullable_changes_the_type_of_required_fields_only() {
    let mut changed = base();
    schema(&mut changed, "ListJobsRequest")["properties"]["status"] =
        json!({ "allOf": [{ "$ref": "#/components/schemas/JobStatus" }], "nullable": true });
    schema(&mut changed, "ListJobsRequest")["properties"]["name"]["nullable"] = json!(true);
    assert_eq!(
        changes(&changed),
        vec![
            (
                "ListJobsRequest".to_string(),
                "field `name` becomes nullable".to_string(),
                Bump::Patch
            ),
            (
                "ListJobsRequest".to_string(),
                "field `status` becomes nullable".to_string(),
                Bump::Major
            ),
        ]
    );
}

/// The two spellings of a nullable reference: OpenAPI 3.0's `anyOf` of the reference and a
/// schema admitting only `null`, and the `allOf` beside `nullable: true` the generator folds it to.
fn nullable_reference(spelling: &str, name: &str) -> Value {
    let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
    match spelling {
        "anyOf" => {
            json!({ "anyOf": [reference, { "type": "object", "nullable": true, "enum": [null] }] })
        }
        _ => json!({ "nullable": true, "allOf": [reference] }),
    }
}

#[test]
fn a_nullable_reference_respelled_as_any_of_is_no_change() {
    // Optional (`Job.status`) and required (`ListJobsRequest.status`): `Option<JobStatus>` in
    // both spellings.
    let mut old = base();
    let mut new = base();
    for (document, spelling) in [(&mut old, "allOf"), (&mut new, "anyOf")] {
        schema(document, "Job")["properties"]["status"] = nullable_reference(spelling, "JobStatus");
        schema(document, "ListJobsRequest")["properties"]["status"] =
            nullable_reference(spelling, "JobStatus");
    }
    let found: Vec<String> = compare(&old, &new)
        .into_iter()
        .map(|change| change.summary)
        .collect();
    assert!(found.is_empty(), "{found:?}");
    assert!(compare(&new, &old).is_empty());
}

#[test]
fn a_field_added_as_a_nullable_reference_reads_the_same_in_both_spellings() {
    for spelling in ["allOf", "anyOf"] {
        let mut changed = base();
        schema(&mut changed, "Job")["properties"]["parent"] = nullable_reference(spelling, "Job");
        assert_eq!(
            changes(&changed),
            one(
                "Job",
                "field `parent` added: Job, optional, nullable",
                Bump::Minor
            ),
            "{spelling}"
        );
    }
}

#[test]
fn a_required_reference_made_nullable_as_any_of_is_major() {
    let mut changed = base();
    schema(&mut changed, "ListJobsRequest")["properties"]["status"] =
        nullable_reference("anyOf", "JobStatus");
    assert_eq!(
        changes(&changed),
        one(
            "ListJobsRequest",
            "field `status` becomes nullable",
            Bump::Major
        )
    );
}

#[test]
fn other_compositions_are_described_by_their_members() {
    let only_null = json!({ "type": "object", "nullable": true, "enum": [null] });
    let job = json!({ "$ref": "#/components/schemas/Job" });
    assert_eq!(describe(&json!({ "anyOf": [job, only_null] })), "Job");
    assert_eq!(describe(&json!({ "allOf": [job] })), "Job");
    // The generator folds only the reference first and `null` second.
    assert_eq!(
        describe(&json!({ "anyOf": [only_null, job] })),
        "any of (null, Job)"
    );
    assert_eq!(
        describe(&json!({ "anyOf": [job, { "type": "string" }] })),
        "any of (Job, string)"
    );
    assert_eq!(
        describe(
            &json!({ "oneOf": [{ "type": "integer", "format": "int32" }, { "type": "string" }] })
        ),
        "one of (integer (int32), string)"
    );
    assert_eq!(
        describe(&json!({ "allOf": [job, { "$ref": "#/components/schemas/Tag" }] })),
        "all of (Job, Tag)"
    );

    // A member changing is a change of the field's type.
    let mut old = base();
    schema(&mut old, "Job")["properties"]["owner"] =
        json!({ "anyOf": [job, { "type": "string" }] });
    let mut new = old.clone();
    schema(&mut new, "Job")["properties"]["owner"]["anyOf"][1] = json!({ "type": "integer" });
    let found: Vec<(String, Bump)> = compare(&old, &new)
        .into_iter()
        .map(|change| (change.summary, change.bump))
        .collect();
    assert_eq!(
        found,
        [(
            "field `owner`: type any of (Job, string) -> any of (Job, integer)".to_string(),
            Bump::Major
        )]
    );
}

#[test]
fn a_document_without_what_the_comparison_matches_on_is_refused() {
    assert_eq!(
        comparable(&Value::Null),
        ["the file holds no document: it is empty"]
    );
    assert_eq!(
        comparable(&json!(["a list"])),
        ["the document must be a mapping, found a list"]
    );
    assert_eq!(
        comparable(&json!({ "openapi": "3.1.0", "info": {} })),
        [
            "`openapi` must be a 3.0.x version, found \"3.1.0\"",
            "`info.version` must be a non-empty string, found nothing",
            "`paths` must be a mapping, found nothing",
        ]
    );
    assert!(comparable(&base()).is_empty());

    let mut broken = base();
    operation(&mut broken)
        .as_object_mut()
        .unwrap()
        .remove("operationId");
    broken["paths"]["/v3/{project_id}/jobs/{job_id}"] = json!({
        "get": { "operationId": "list_jobs", "responses": {} },
        "delete": { "operationId": "delete_job", "parameters": [{ "$ref": "#/components/parameters/Missing" }] }
    });
    broken["components"]["schemas"] = json!([]);
    assert_eq!(
        comparable(&broken),
        [
            "`components.schemas` must be a mapping, found a list",
            "POST /v3/{project_id}/jobs: no `operationId`; operations are matched by it",
            "DELETE /v3/{project_id}/jobs/{job_id}: parameter 0 has no `name` and `in` (or its `$ref` does not resolve)",
        ]
    );
    let mut twice = base();
    twice["paths"]["/v3/{project_id}/jobs/{job_id}"] =
        json!({ "get": { "operationId": "list_jobs", "responses": {} } });
    assert_eq!(
        comparable(&twice),
        [
            "GET /v3/{project_id}/jobs/{job_id}: `operationId` `list_jobs` is used by another operation too"
        ]
    );
}

#[test]
fn enumeration_values_removed_are_major_and_added_are_minor_wherever_they_are_used() {
    let mut changed = base();
    schema(&mut changed, "JobStatus")["enum"] = json!(["RUNNING", "PAUSED"]);
    let found = compare(&base(), &changed);
    let summaries: Vec<(&str, Bump)> = found
        .iter()
        .map(|change| (change.summary.as_str(), change.bump))
        .collect();
    assert_eq!(
        summaries,
        [
            ("schema: enumeration value `FAILED` removed", Bump::Major),
            ("schema: enumeration value `PAUSED` added", Bump::Minor),
        ]
    );
    assert_eq!(
        found[1].locations,
        [
            "list_jobs request body: status",
            "list_jobs 200 response: jobs[].status"
        ]
    );

    // An inline enumeration on a field is compared the same way.
    let mut old = base();
    schema(&mut old, "Job")["properties"]["kind"] = json!({ "type": "string", "enum": ["a"] });
    let mut new = old.clone();
    schema(&mut new, "Job")["properties"]["kind"]["enum"] = json!(["a", "b"]);
    let found = compare(&old, &new);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].summary,
        "field `kind`: enumeration value `b` added"
    );
}

#[test]
fn constraint_changes_are_patches() {
    let mut changed = base();
    schema(&mut changed, "ListJobsRequest")["properties"]["name"]["maxLength"] = json!(64);
    schema(&mut changed, "ListJobsRequest")["properties"]["name"]["minLength"] = json!(4);
    assert_eq!(
        changes(&changed),
        vec![
            (
                "ListJobsRequest".to_string(),
                "field `name`: `minLength` none -> 4".to_string(),
                Bump::Patch
            ),
            (
                "ListJobsRequest".to_string(),
                "field `name`: `maxLength` 50 -> 64".to_string(),
                Bump::Patch
            ),
        ]
    );
}

#[test]
fn schemas_added_and_removed() {
    let mut changed = base();
    changed["components"]["schemas"]["Tag"] = json!({ "type": "object", "properties": {} });
    assert_eq!(
        changes(&changed),
        one("Tag", "schema added: object", Bump::Minor)
    );
    let removed = compare(&changed, &base());
    assert_eq!(
        (removed[0].summary.as_str(), removed[0].bump),
        ("schema removed", Bump::Major)
    );
}

#[test]
fn error_statuses_are_patches_and_success_bodies_are_types() {
    let mut changed = base();
    operation(&mut changed)["responses"]["404"] = json!({ "description": "Not Found", "content": {
        "application/json": { "schema": { "$ref": "#/components/schemas/ErrorResponse" } }
    } });
    operation(&mut changed)["responses"]["200"]["content"]["application/json"]["schema"] =
        json!({ "$ref": "#/components/schemas/Job" });
    assert_eq!(
        changes(&changed),
        vec![
            (
                "list_jobs".to_string(),
                "status 200: body ListJobsResponse -> Job".to_string(),
                Bump::Major
            ),
            (
                "list_jobs".to_string(),
                "status 404 added (body: ErrorResponse)".to_string(),
                Bump::Patch
            ),
        ]
    );
}

#[test]
fn a_request_body_made_required_is_major() {
    let mut old = base();
    operation(&mut old)["requestBody"]["required"] = json!(false);
    assert_eq!(
        compare(&old, &base())
            .iter()
            .map(|c| (c.summary.as_str(), c.bump))
            .collect::<Vec<_>>(),
        [("request body becomes required", Bump::Major)]
    );
}

#[test]
fn versions_follow_the_zero_x_rule() {
    assert_eq!(
        next_version("0.1.0", Bump::Major, "2023-11-30").as_deref(),
        Some("0.2.0")
    );
    assert_eq!(
        next_version("0.1.0", Bump::Minor, "2023-11-30").as_deref(),
        Some("0.1.1")
    );
    assert_eq!(
        next_version("0.1.3", Bump::Patch, "2023-11-30").as_deref(),
        Some("0.1.4")
    );
    assert_eq!(
        next_version("1.2.3", Bump::Major, "2023-11-30").as_deref(),
        Some("2.0.0")
    );
    assert_eq!(
        next_version("1.2.3", Bump::Minor, "2023-11-30").as_deref(),
        Some("1.3.0")
    );
    assert_eq!(
        next_version("1.2.3", Bump::Patch, "2023-11-30").as_deref(),
        Some("1.2.4")
    );
    assert_eq!(next_version("0.1.0-alpha", Bump::Patch, "2023-11-30"), None);
    assert_eq!(
        next_version("0.1.0+ref.2023-08-30", Bump::Minor, "2023-11-30").as_deref(),
        Some("0.1.1+ref.2023-11-30")
    );
    assert_eq!(next_version("0.1", Bump::Patch, "2023-11-30"), None);
}

#[test]
fn markdown_groups_changes_by_bump_with_the_next_versions() {
    let mut changed = base();
    schema(&mut changed, "Job")["properties"]["started_at"] = json!({ "type": "string" });
    schema(&mut changed, "ListJobsRequest")["properties"]["name"]["maxLength"] = json!(64);
    let header = Header {
        old_version: "1".into(),
        new_version: "2".into(),
        crates: vec![CrateVersion {
            name: "huaweicloud-drs",
            version: "0.1.0".into(),
        }],
    };
    let text = render::markdown(&header, &compare(&base(), &changed));
    assert_eq!(
        text,
        "## Unreleased\n\n\
         Spec revision 2 (previous: 1). Version bump: minor (huaweicloud-drs 0.1.0 -> 0.1.1).\n\n\
         ### Added\n\n\
         - `Job`: field `started_at` added: string, optional (in list_jobs 200 response: \
         jobs[].started_at). Response types are only read: a body without the field still \
         decodes, to None.\n\n\
         ### Changed\n\n\
         - `ListJobsRequest`: field `name`: `maxLength` 50 -> 64 (in list_jobs request body: \
         name). Documentation and client-side checks only; no Rust type changes.\n"
    );
}

/// The history of the reference: appendix B of revision 2023-11-30 lists what that revision
/// added to 2023-08-30, and nothing else:
///
/// - 4.1.14: `is_show_breakpoint_position` in the `jobs` items of the request (table 4-95);
/// - 4.1.19: `incre_trans_delay_millis` in the `results` items of the response (table 4-143);
/// - 4.3.2: `file_and_position` and `gtid_set` in the `jobs` items of the request (table 4-280).
///
/// The examples that send the new request fields came with them: revision 2023-08-30 could not
/// have carried them.
fn revision_2023_08_30(current: &Value) -> Value {
    let mut old = current.clone();
    old["info"]["version"] = json!("2023-08-30");
    for (schema, field) in [
        ("StopOrDeleteJobRequest", "is_show_breakpoint_position"),
        ("JobProgress", "incre_trans_delay_millis"),
        ("SetSyncPolicyRequest", "file_and_position"),
        ("SetSyncPolicyRequest", "gtid_set"),
    ] {
        let properties = old["components"]["schemas"][schema]["properties"]
            .as_object_mut()
            .unwrap_or_else(|| panic!("schema {schema} has no properties"));
        assert!(
            properties.remove(field).is_some(),
            "{schema}.{field} is not in the spec"
        );
    }
    for (path, method, example) in [
        (
            "/v3/{project_id}/jobs/batch-jobs",
            "delete",
            "terminate_show_breakpoint",
        ),
        (
            "/v3/{project_id}/jobs/batch-sync-policy",
            "post",
            "mysql_incremental_start_position",
        ),
    ] {
        let operation = &mut old["paths"][path][method];
        let examples = operation["requestBody"]["content"]["application/json"]["examples"]
            .as_object_mut()
            .unwrap_or_else(|| panic!("{method} {path} has no request examples"));
        assert!(
            examples.remove(example).is_some(),
            "{method} {path} has no example {example}"
        );
        let requests = operation["x-drs-request-examples"]
            .as_array_mut()
            .unwrap_or_else(|| panic!("{method} {path} has no x-drs-request-examples"));
        let before = requests.len();
        requests.retain(|request| request["body"] != example);
        assert_eq!(requests.len(), before - 1, "{method} {path}: {example}");
    }
    old
}

#[test]
fn revision_2023_11_30_adds_exactly_the_four_fields_of_its_history() {
    let root = crate::workspace_root();
    let current = crate::spec::load(&root.join("spec/drs-v3.yaml")).expect("the spec loads");
    let old = revision_2023_08_30(&current);
    crate::spec::check(&old, Path::new("drs-v3-2023-08-30.yaml"))
        .expect("the derived 2023-08-30 spec passes the spec checks");

    // A copy for maintainers: `cargo xtask diff target/tmp/drs-v3-2023-08-30.yaml
    // spec/drs-v3.yaml` shows the report.
    let copy = root.join("target/tmp/drs-v3-2023-08-30.yaml");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::write(&copy, serde_norway::to_string(&old).unwrap()).unwrap();

    let found: Vec<(String, String, Bump, Vec<String>)> = compare(&old, &current)
        .into_iter()
        .map(|change| {
            let Subject::Schema(name) = change.subject else {
                panic!("an operation changed: {change:?}");
            };
            (name, change.summary, change.bump, change.locations)
        })
        .collect();
    let expected = [
        (
            "JobProgress",
            "field `incre_trans_delay_millis` added: string, optional",
            Bump::Minor,
            // 4.1.19 documents its success as 200 in one place and 202 in another (ERRATA.md).
            vec![
                "batch_show_progress 200 response: results[].incre_trans_delay_millis",
                "batch_show_progress 202 response: results[].incre_trans_delay_millis",
            ],
        ),
        (
            "SetSyncPolicyRequest",
            "field `file_and_position` added: string, optional",
            Bump::Minor,
            vec!["batch_set_sync_policies request body: jobs[].file_and_position"],
        ),
        (
            "SetSyncPolicyRequest",
            "field `gtid_set` added: string, optional",
            Bump::Minor,
            vec!["batch_set_sync_policies request body: jobs[].gtid_set"],
        ),
        (
            "StopOrDeleteJobRequest",
            "field `is_show_breakpoint_position` added: boolean, optional",
            Bump::Minor,
            vec!["batch_stop_or_delete_jobs request body: jobs[].is_show_breakpoint_position"],
        ),
    ]
    .map(|(schema, summary, bump, locations)| {
        let locations = locations.into_iter().map(String::from).collect();
        (schema.to_string(), summary.to_string(), bump, locations)
    });
    assert_eq!(found, expected);

    // Every field is optional, and the generated structs are `#[non_exhaustive]` and built with
    // `new`, `Default` or builders: code written for 2023-08-30 compiles against 2023-11-30, so
    // the revision is an addition, a patch release of a 0.x crate.
    let changes = compare(&old, &current);
    assert_eq!(bump(&changes), Some(Bump::Minor));
    assert_eq!(
        next_version("0.1.0", Bump::Minor, "2023-11-30").as_deref(),
        Some("0.1.1")
    );
}
