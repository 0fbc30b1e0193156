//! Tests of the audit on a small reference text of two sections (xtask/tests/fixtures/audit),
//! written in the layout of the real one with its wrapping artefacts, and the spec it documents.

use serde_json::{Value, json};

use super::compare::{Finding, Kind, Side, compare, differences};
use super::known::{self, Known};
use super::reference::{Section, TableKind, sections};

const REFERENCE: &str = include_str!("../../tests/fixtures/audit/reference.txt");
const SPEC: &str = include_str!("../../tests/fixtures/audit/drs-v3.yaml");
const KNOWN: &str = include_str!("../../tests/fixtures/audit/known-differences.yaml");
const ERRATA: &str = include_str!("../../tests/fixtures/audit/ERRATA.md");

fn spec() -> Value {
    serde_norway::from_str(SPEC).expect("the fixture spec parses")
}

fn read() -> Vec<Section> {
    sections(REFERENCE)
}

fn table<'a>(sections: &'a [Section], number: &str) -> &'a super::reference::Table {
    sections
        .iter()
        .flat_map(|section| &section.tables)
        .find(|table| table.number == number)
        .unwrap_or_else(|| panic!("table {number} was not read"))
}

fn names(sections: &[Section], number: &str) -> Vec<String> {
    table(sections, number)
        .rows
        .iter()
        .map(|row| row.name.clone())
        .collect()
}

/// The findings as (section, kind, subject, side), for comparing with what a test expects.
fn outline(findings: &[Finding]) -> Vec<(&str, Kind, &str, Side)> {
    findings
        .iter()
        .map(|f| (f.section.as_str(), f.kind, f.subject.as_str(), f.side))
        .collect()
}

/// The findings on a changed copy of the fixture spec, without the one deliberate difference.
fn findings_after(change: impl FnOnce(&mut Value)) -> Vec<Finding> {
    let mut document = spec();
    change(&mut document);
    compare(&read(), &document)
        .into_iter()
        .filter(|f| f.subject != "200 response example `ok`")
        .collect()
}

fn schema<'a>(document: &'a mut Value, name: &str) -> &'a mut Value {
    &mut document["components"]["schemas"][name]
}

#[test]
fn sections_are_found_by_number_and_not_by_sentences_that_start_with_one() {
    let sections = read();
    let found: Vec<(&str, &str, &str, &str)> = sections
        .iter()
        .map(|s| {
            (
                s.number.as_str(),
                s.title.as_str(),
                s.method.as_str(),
                s.path.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "4.1.1",
                "批量停止任务",
                "POST",
                "/v3/{project_id}/jobs/batch-stop"
            ),
            (
                "4.1.2",
                "查询任务详情",
                "GET",
                "/v3/{project_id}/jobs/{job_id}/detail"
            ),
        ]
    );
}

#[test]
fn tables_are_read_with_their_kind_and_rows() {
    let sections = read();
    let kinds: Vec<(&str, TableKind)> = sections[1]
        .tables
        .iter()
        .map(|t| (t.number.as_str(), t.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("4-7", TableKind::PathParameters),
            ("4-8", TableKind::QueryParameters),
            ("4-9", TableKind::HeaderParameters),
            ("4-10", TableKind::Body),
        ]
    );
    assert_eq!(
        names(&sections, "4-2"),
        ["Content-Type", "X-Auth-Token", "X-Language"]
    );
    // `is_show_break` / `point_position` after a page break that repeats the header row.
    assert_eq!(
        names(&sections, "4-4"),
        ["job_id", "stop_type", "is_show_breakpoint_position"]
    );
    // The type `Map<String,St` / `ring>` wraps too.
    assert_eq!(names(&sections, "4-10"), ["job_id", "name", "tags"]);
}

#[test]
fn listed_values_are_read_with_wrapped_ones_rejoined() {
    let sections = read();
    let status = &table(&sections, "4-6").rows[1];
    assert_eq!(status.name, "status");
    assert!(status.lists_values);
    assert_eq!(
        status.values,
        ["FULL_TRANSFER_COMPLETE", "RELEASE_RESOURCE_STARTED", ""]
    );
    let language = &table(&sections, "4-2").rows[2];
    assert_eq!(language.values, ["en-us", "zh-cn"]);
}

#[test]
fn examples_are_read_as_json_with_wrapped_strings_and_urls_rejoined() {
    let sections = read();
    let response = &sections[0].response_examples[0];
    assert_eq!(response.status, "202");
    assert_eq!(
        response.body.as_ref().unwrap().as_ref().unwrap(),
        &json!({ "results": [{
            "id": "4c6ac8c0-2f51-426a-97b2-cb2c668jb201",
            "status": "RELEASE_RESOURCE_STARTED",
            "error_msg": "Another operation is being performed on the migration task. Try again later."
        }] })
    );
    let request = &sections[0].request_examples[0];
    assert_eq!(request.title, "结束指定的任务");
    assert_eq!(
        request.url.as_deref(),
        Some("/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/batch-stop")
    );

    let get = &sections[1].request_examples[0];
    assert_eq!(
        get.url.as_deref(),
        Some(
            "/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/140b5236-88ad-43c8-811c-1268453jb101/detail?limit=10"
        )
    );
    assert!(get.body.is_none());
    // The example of the appendix is not one of 4.1.2's.
    assert_eq!(sections[1].response_examples.len(), 1);
    let invalid = &sections[1].response_examples[0];
    assert!(
        matches!(&invalid.body, Some(Err(error)) if error.contains("line 3")),
        "{invalid:?}"
    );
}

#[test]
fn the_fixture_spec_differs_only_where_its_errata_says() {
    let findings = compare(&read(), &spec());
    assert_eq!(
        outline(&findings),
        [(
            "4.1.2",
            Kind::Example,
            "200 response example `ok`",
            Side::Different
        )]
    );
    assert!(
        findings[0].detail.contains("is not valid JSON as printed"),
        "{}",
        findings[0].detail
    );

    let known = known::load(Some(KNOWN)).expect("the fixture list loads");
    let sorted = known::sort(findings, &known, &known::errata_headings(ERRATA));
    assert!(sorted.open.is_empty(), "{:?}", sorted.open);
    assert!(sorted.stale.is_empty() && sorted.unexplained.is_empty());
    assert_eq!(
        sorted.corrected[0].1,
        ["4.1.2 response example: full-width comma"]
    );
}

#[test]
fn fields_missing_from_the_spec_or_only_in_it_are_reported() {
    let findings = findings_after(|document| {
        let result = schema(document, "StopJobResult");
        result["properties"]
            .as_object_mut()
            .unwrap()
            .remove("error_msg");
        result["properties"]["retry_count"] = json!({ "type": "integer" });
    });
    assert_eq!(
        outline(&findings),
        [
            (
                "4.1.1",
                Kind::Field,
                "StopJobResult.error_msg",
                Side::MissingFromSpec
            ),
            (
                "4.1.1",
                Kind::Field,
                "StopJobResult.retry_count",
                Side::OnlyInSpec
            ),
        ]
    );
    assert_eq!(findings[0].detail, "table 4-6 (line 115)");
}

#[test]
fn enumeration_values_are_compared_both_ways() {
    let findings = findings_after(|document| {
        schema(document, "StopJobRequest")["properties"]["stop_type"]["enum"] =
            json!(["terminate", "pause"]);
    });
    assert_eq!(
        outline(&findings),
        [
            (
                "4.1.1",
                Kind::Value,
                "StopJobRequest.stop_type = force_terminate",
                Side::MissingFromSpec
            ),
            (
                "4.1.1",
                Kind::Value,
                "StopJobRequest.stop_type = pause",
                Side::OnlyInSpec
            ),
        ]
    );

    // A listed set of values against a field without an enumeration.
    let findings = findings_after(|document| {
        let status = &mut schema(document, "StopJobResult")["properties"]["status"];
        status.as_object_mut().unwrap().remove("enum");
    });
    assert_eq!(
        outline(&findings),
        [(
            "4.1.1",
            Kind::Value,
            "StopJobResult.status",
            Side::MissingFromSpec
        )]
    );
}

#[test]
fn parameters_are_compared_by_location_and_name() {
    let findings = findings_after(|document| {
        let parameters =
            document["paths"]["/v3/{project_id}/jobs/{job_id}/detail"]["get"]["parameters"]
                .as_array_mut()
                .unwrap();
        parameters.retain(|parameter| parameter["name"] != "limit");
        parameters
            .push(json!({ "name": "offset", "in": "query", "schema": { "type": "integer" } }));
    });
    assert_eq!(
        outline(&findings),
        [
            (
                "4.1.2",
                Kind::Parameter,
                "query parameter `limit`",
                Side::MissingFromSpec
            ),
            (
                "4.1.2",
                Kind::Parameter,
                "query parameter `offset`",
                Side::OnlyInSpec
            ),
        ]
    );
}

#[test]
fn operations_tables_examples_and_urls_are_compared() {
    let findings = findings_after(|document| {
        let paths = document["paths"].as_object_mut().unwrap();
        let mut stop = paths.remove("/v3/{project_id}/jobs/batch-stop").unwrap();
        // The same operation under another path, an example that drifted, a URL that
        // drifted, and a table no schema names any more.
        stop["post"]["requestBody"]["content"]["application/json"]["examples"]["stop_one_job"]["value"]
            ["jobs"][0]["stop_type"] = json!("force_terminate");
        stop["post"]["x-drs-request-examples"][0]["url"] = json!("/v3/p/jobs/stop");
        paths.insert("/v3/{project_id}/jobs/stop".into(), stop);
        schema(document, "StopJobResult")["x-drs-tables"] = json!([]);
    });
    assert_eq!(
        outline(&findings),
        [
            (
                "4.1.1",
                Kind::Operation,
                "POST /v3/{project_id}/jobs/batch-stop",
                Side::Different
            ),
            ("4.1.1", Kind::Table, "table 4-6", Side::MissingFromSpec),
            (
                "4.1.1",
                Kind::Example,
                "request example `stop_one_job`",
                Side::Different
            ),
            (
                "4.1.1",
                Kind::Url,
                "request URL /v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/batch-stop",
                Side::Different
            ),
        ]
    );
    assert_eq!(
        findings[2].detail,
        "「结束指定的任务」 (line 122) differs: `jobs[0].stop_type`: \"terminate\" in the \
         reference, \"force_terminate\" in the spec (from character 0)"
    );

    let findings = findings_after(|document| {
        let paths = document["paths"].as_object_mut().unwrap();
        paths.remove("/v3/{project_id}/jobs/{job_id}/detail");
    });
    assert_eq!(
        outline(&findings),
        [(
            "4.1.2",
            Kind::Operation,
            "GET /v3/{project_id}/jobs/{job_id}/detail",
            Side::MissingFromSpec
        )]
    );
}

#[test]
fn a_table_named_by_a_schema_its_section_does_not_reach_is_reported() {
    // A copy of the 4.1.2 response schema that no operation uses.
    let findings = findings_after(|document| {
        let copy = schema(document, "ShowJobDetailResponse").clone();
        document["components"]["schemas"]["JobDetailCopy"] = copy;
    });
    assert_eq!(
        outline(&findings),
        [("4.1.2", Kind::Table, "table 4-10", Side::Different)]
    );
    assert_eq!(
        findings[0].detail,
        "named by schema JobDetailCopy, which `show_job_detail` does not reach"
    );
}

#[test]
fn differences_name_the_key_paths() {
    let found = differences(
        &json!({ "a": [1, 2], "b": { "c": "x" }, "d": true }),
        &json!({ "a": [1], "b": { "c": "y" }, "e": true }),
    );
    assert_eq!(
        found,
        [
            "`a`: 2 items in the reference, 1 in the spec",
            "`b.c`: \"x\" in the reference, \"y\" in the spec (from character 0)",
            "`d` only in the reference",
            "`e` only in the spec",
        ]
    );
}

#[test]
fn known_differences_that_match_nothing_or_name_no_errata_entry_are_reported() {
    let entry = |subject: &str, errata: &str| Known {
        section: "4.1.2".into(),
        kind: Kind::Example,
        subject: subject.into(),
        errata: vec![errata.into()],
    };
    let known = [
        entry(
            "200 response example `ok`",
            "4.1.2 response example: full-width comma",
        ),
        entry("request example `gone`", "4.1.2 response example"),
        entry("200 response example `ok`", "4.1.9 nothing"),
    ];
    let findings = compare(&read(), &spec());
    let sorted = known::sort(findings, &known, &known::errata_headings(ERRATA));
    assert!(sorted.open.is_empty());
    let stale: Vec<&str> = sorted.stale.iter().map(|e| e.subject.as_str()).collect();
    // The third entry repeats the first's subject: the first one explains the finding.
    assert_eq!(
        stale,
        ["request example `gone`", "200 response example `ok`"]
    );
    let unexplained: Vec<(&str, usize)> = sorted
        .unexplained
        .iter()
        .map(|(_, start, count)| (start.as_str(), *count))
        .collect();
    assert_eq!(unexplained, [("4.1.9 nothing", 0)]);
}

#[test]
fn the_list_of_known_differences_is_checked_when_read() {
    let error = known::load(Some(
        "- { section: '4.1.1', kind: row, subject: x, errata: y }",
    ))
    .unwrap_err();
    assert!(
        error.to_string().contains("kind `row` is not one of"),
        "{error}"
    );
    let error = known::load(Some("- { section: '4.1.1', kind: field, subject: x }")).unwrap_err();
    assert!(error.to_string().contains("`errata` must be"), "{error}");
    assert_eq!(known::load(None).unwrap(), []);
}

#[test]
fn a_text_with_no_or_few_sections_is_not_taken_for_the_reference() {
    let path = std::path::Path::new("README.md");
    let error = super::recognise(path, 0, 46).expect_err("no section");
    assert_eq!(
        error.to_string(),
        "README.md does not look like the DRS API reference: no section 4.x.y found"
    );
    let error = super::recognise(path, 22, 46).expect_err("fewer than half");
    assert_eq!(
        error.to_string(),
        "README.md does not look like the DRS API reference: 22 section(s) 4.x.y found, for the 46 operations of the spec"
    );
    assert!(super::recognise(path, 23, 46).is_ok());
    assert!(super::recognise(path, 2, 2).is_ok());
}
