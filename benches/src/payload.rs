//! The bodies the benchmarks decode: every documented success response example of the spec, and
//! three large bodies built by repeating the rows of documented examples (a list of 1,000 jobs,
//! a comparison result of 10,000 rows, a content comparison of 10,000 tables).
//!
//! Bodies are compact JSON as serde_json writes it; without the `preserve_order` feature its
//! maps are sorted, so members come in alphabetical order rather than in the reference's order.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

const HTTP_METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Jobs in the large job list (4.1.20).
pub const LARGE_JOB_LIST: usize = 1_000;
/// Rows in the large comparison results (4.1.18 and 4.1.31).
pub const LARGE_COMPARISON: usize = 10_000;

/// One response body, with where it comes from.
#[derive(Clone, Debug)]
pub struct Payload {
    /// `operation/status/example`, or `operation/large-N` for a built body.
    pub label: String,
    pub operation: String,
    /// Upper-case HTTP method and path template of the operation, as in the spec.
    pub method: String,
    pub path: String,
    /// The component schema of the body, which names its generated type.
    pub schema: String,
    pub body: Vec<u8>,
}

/// `spec/drs-v3.yaml` of this workspace.
pub fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/drs-v3.yaml")
}

/// The spec as a JSON value.
pub fn load_spec(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    serde_norway::from_str(&text)
        .map_err(|error| format!("{} is not valid YAML: {error}", path.display()))
}

/// Every example of a 2xx JSON response in the spec, in the order of the spec's maps (see the
/// module's note on `preserve_order`).
pub fn documented(spec: &Value) -> Vec<Payload> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for method in HTTP_METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation["operationId"].as_str().unwrap_or_default();
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                if !status.starts_with('2') {
                    continue;
                }
                let media = &response["content"]["application/json"];
                let Some(schema) = schema_name(&media["schema"]) else {
                    continue;
                };
                for (name, example) in media["examples"].as_object().into_iter().flatten() {
                    found.push(Payload {
                        label: format!("{id}/{status}/{name}"),
                        operation: id.to_string(),
                        method: method.to_uppercase(),
                        path: path.clone(),
                        schema: schema.to_string(),
                        body: encode(&example["value"]),
                    });
                }
            }
        }
    }
    found
}

/// The large bodies, built from the documented examples of `documented`.
pub fn large(documented: &[Payload]) -> Result<Vec<Payload>, String> {
    let example = |operation: &str| -> Result<(&Payload, Value), String> {
        let payload = documented
            .iter()
            .find(|payload| payload.operation == operation)
            .ok_or_else(|| format!("the spec has no success example of `{operation}`"))?;
        let value = serde_json::from_slice(&payload.body)
            .map_err(|error| format!("{}: {error}", payload.label))?;
        Ok((payload, value))
    };

    let (jobs, mut job_list) = example("list_jobs")?;
    let rows = repeat_rows(
        &job_list["jobs"],
        LARGE_JOB_LIST,
        "list_jobs: jobs",
        |job, n| {
            job["id"] = json!(numbered(job["id"].as_str().unwrap_or("job"), n));
            job["name"] = json!(format!("DRS-{n:04}"));
        },
    )?;
    job_list["jobs"] = rows;
    job_list["total_record"] = json!(LARGE_JOB_LIST);

    let (results, mut comparison) = example("show_compare_results")?;
    let details = &mut comparison["line_compare_results"]["line_compare_details"][0];
    let rows = repeat_rows(
        &details["line_compare_detail"],
        LARGE_COMPARISON,
        "show_compare_results: line_compare_detail",
        rename_tables,
    )?;
    details["line_compare_detail"] = rows;
    details["line_compare_detail_count"] = json!(LARGE_COMPARISON);

    let (contents, mut content_details) = example("show_content_compare_details")?;
    let rows = repeat_rows(
        &content_details["content_compare_result_infos"],
        LARGE_COMPARISON,
        "show_content_compare_details: content_compare_result_infos",
        rename_tables,
    )?;
    content_details["content_compare_result_infos"] = rows;
    content_details["total_count"] = json!(LARGE_COMPARISON);

    Ok(vec![
        built(jobs, LARGE_JOB_LIST, &job_list),
        built(results, LARGE_COMPARISON, &comparison),
        built(contents, LARGE_COMPARISON, &content_details),
    ])
}

/// The documented examples followed by the large bodies, read from the workspace's spec.
pub fn all() -> Result<Vec<Payload>, String> {
    let spec = load_spec(&spec_path())?;
    let mut payloads = documented(&spec);
    if payloads.is_empty() {
        return Err("the spec documents no success response example".into());
    }
    let large = large(&payloads)?;
    payloads.extend(large);
    Ok(payloads)
}

/// [`all`], read once for the unit tests of this crate: each of them needs every payload, and
/// reading the spec takes most of a second in a debug build.
#[cfg(test)]
pub(crate) fn all_once() -> &'static [Payload] {
    static ALL: std::sync::OnceLock<Vec<Payload>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| all().expect("the spec loads"))
}

fn built(from: &Payload, rows: usize, value: &Value) -> Payload {
    Payload {
        label: format!("{}/large-{rows}", from.operation),
        body: encode(value),
        ..from.clone()
    }
}

/// `count` rows made by cycling through the documented `rows`, each passed to `renumber` with
/// its index so that no two rows are identical.
fn repeat_rows(
    rows: &Value,
    count: usize,
    what: &str,
    renumber: impl Fn(&mut Value, usize),
) -> Result<Value, String> {
    let documented = rows
        .as_array()
        .filter(|rows| !rows.is_empty())
        .ok_or_else(|| format!("{what}: expected a non-empty array in the example"))?;
    let repeated = (0..count)
        .map(|n| {
            let mut row = documented[n % documented.len()].clone();
            renumber(&mut row, n);
            row
        })
        .collect();
    Ok(Value::Array(repeated))
}

fn rename_tables(row: &mut Value, n: usize) {
    for key in ["source_table_name", "target_table_name"] {
        if let Some(name) = row[key].as_str() {
            row[key] = json!(format!("{name}_{n}"));
        }
    }
}

/// `id` with its last four characters replaced by `n`, so that it keeps its length.
fn numbered(id: &str, n: usize) -> String {
    let keep = id.len().saturating_sub(4);
    let prefix = id.get(..keep).unwrap_or(id);
    format!("{prefix}{n:04}")
}

fn encode(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("a JSON value always encodes")
}

fn schema_name(reference: &Value) -> Option<&str> {
    reference["$ref"]
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_success_example_is_read_and_the_large_bodies_have_their_rows() {
        let payloads = all_once();
        let documented = payloads
            .iter()
            .filter(|payload| !payload.label.contains("/large-"))
            .count();
        // 45 operations document a JSON success body; batch_show_precheck_results,
        // batch_stop_or_delete_jobs and batch_show_progress with two examples each.
        assert_eq!(documented, 48);

        let rows = |label: &str, pointer: &str| -> usize {
            let payload = payloads
                .iter()
                .find(|payload| payload.label == label)
                .expect(label);
            let value: Value = serde_json::from_slice(&payload.body).unwrap();
            value
                .pointer(pointer)
                .and_then(Value::as_array)
                .unwrap()
                .len()
        };
        assert_eq!(rows("list_jobs/large-1000", "/jobs"), 1000);
        assert_eq!(
            rows(
                "show_compare_results/large-10000",
                "/line_compare_results/line_compare_details/0/line_compare_detail"
            ),
            10_000
        );
        assert_eq!(
            rows(
                "show_content_compare_details/large-10000",
                "/content_compare_result_infos"
            ),
            10_000
        );
    }

    #[test]
    fn numbered_ids_keep_their_length() {
        assert_eq!(
            numbered("24834eb6-be30-464e-a299-f7aa730jb101", 7),
            "24834eb6-be30-464e-a299-f7aa730j0007"
        );
    }
}
