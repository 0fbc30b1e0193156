//! Loading the spec and checking the rules the rest of the pipeline relies on: every operation
//! names its reference section, every body is a named schema, every example validates.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use anyhow::{Context, Result};
use serde_json::{Map, Value, json};

use crate::fail_on;

pub const HTTP_METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];
const TAGS: [&str; 4] = ["jobs", "migration", "synchronization", "disaster-recovery"];
const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// What `check` counted, for the summary line.
pub struct Report {
    pub operations: usize,
    pub schemas: usize,
    pub examples: usize,
    pub request_examples: usize,
}

/// One operation of the spec, with the pieces the generators read.
pub struct Operation<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub id: &'a str,
    pub body: &'a Value,
}

/// Reads a YAML file (the spec, or a list beside it) into a JSON value, keeping the order of keys.
pub fn load(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let document: Value =
        serde_norway::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok(document)
}

/// The document as JSON, for tools that read no YAML: keys in the order of the YAML, two-space
/// indentation and a final newline, so that the file changes only where the spec does.
pub fn to_json(document: &Value) -> Result<String> {
    let mut text = serde_json::to_string_pretty(document).context("rendering the spec as JSON")?;
    text.push('\n');
    Ok(text)
}

/// Every operation, in the order of the document.
pub fn operations(document: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    let Some(paths) = document["paths"].as_object() else {
        return found;
    };
    for (path, item) in paths {
        for method in HTTP_METHODS {
            if let Some(body) = item.get(method) {
                let id = body["operationId"].as_str().unwrap_or("");
                found.push(Operation {
                    path,
                    method,
                    id,
                    body,
                });
            }
        }
    }
    found
}

/// The schema name a `$ref` points at, if it points into `components/schemas`.
pub fn schema_name(reference: &Value) -> Option<&str> {
    reference["$ref"].as_str()?.strip_prefix(SCHEMA_PREFIX)
}

/// The strings of a JSON array, such as a schema's `required` or `enum`: none when `array` is
/// not an array, and items that are not strings are passed over.
pub fn strings(array: &Value) -> impl Iterator<Item = &str> {
    array
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The component schemas by name: an empty map when the document declares none.
pub fn schemas(document: &Value) -> &Map<String, Value> {
    static NONE: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);
    document["components"]["schemas"]
        .as_object()
        .unwrap_or(&NONE)
}

/// How a part of the spec names a component schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Naming {
    /// A `$ref` into `#/components/schemas`.
    Reference,
    /// `x-drs-json-string-schema`: the schema of a JSON text carried in a string.
    JsonString,
}

/// Every component schema `value` names, with how, in the order of the document. Example
/// values are data, not schema, and are passed over.
pub fn named_schemas(value: &Value) -> Vec<(&str, Naming)> {
    let mut found = Vec::new();
    collect_named_schemas(value, false, &mut found);
    found
}

fn collect_named_schemas<'a>(
    value: &'a Value,
    keys_are_names: bool,
    found: &mut Vec<(&'a str, Naming)>,
) {
    match value {
        Value::Object(map) => {
            if let Some(name) = schema_name(value) {
                found.push((name, Naming::Reference));
            }
            if let Some(name) = map.get("x-drs-json-string-schema").and_then(Value::as_str) {
                found.push((name, Naming::JsonString));
            }
            for (_, child, child_keys_are_names) in schema_members(map, keys_are_names) {
                collect_named_schemas(child, child_keys_are_names, found);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_named_schemas(item, false, found);
            }
        }
        _ => {}
    }
}

/// The members of an object a walk of the spec's schemas enters, each with whether its own keys
/// are names (the fields of `properties`) rather than keywords. `example` and `examples` hold
/// payloads, in which a `$ref` key is data: they are passed over, except as field names.
fn schema_members(
    map: &Map<String, Value>,
    keys_are_names: bool,
) -> impl Iterator<Item = (&String, &Value, bool)> {
    map.iter()
        .filter(move |(key, _)| keys_are_names || !matches!(key.as_str(), "example" | "examples"))
        .map(move |(key, child)| (key, child, !keys_are_names && key == "properties"))
}

/// Whether a schema admits nothing but `null`: `{nullable: true, enum: [null]}`.
pub fn admits_only_null(schema: &Value) -> bool {
    schema["nullable"] == true && schema["enum"] == json!([null])
}

/// The `$ref` member of a schema written as a nullable reference, `anyOf: [{$ref}, {nullable:
/// true, enum: [null]}]`, the only way OpenAPI 3.0 makes a reference nullable: the generator
/// reads that schema as an `Option` of the referenced type.
pub fn nullable_reference(schema: &Value) -> Option<&Value> {
    let [reference, only_null] = schema.get("anyOf")?.as_array()?.as_slice() else {
        return None;
    };
    (reference.get("$ref").is_some() && admits_only_null(only_null)).then_some(reference)
}

/// The values of an enumeration as text: a string as it is, any other value as JSON. `null`,
/// which the enumeration of a nullable schema lists, is left out.
pub fn enum_values(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter(|value| !value.is_null())
        .map(|value| match value.as_str() {
            Some(text) => text.to_string(),
            None => value.to_string(),
        })
        .collect()
}

/// Checks the document read from `source` and returns what it counted; fails naming the file
/// and listing every problem found.
pub fn check(document: &Value, source: &Path) -> Result<Report> {
    let mut problems = Vec::new();
    if document["openapi"] != "3.0.3" {
        problems.push(format!(
            "`openapi` must be \"3.0.3\", found {}",
            document["openapi"]
        ));
    }
    let schemas = schemas(document);
    check_schemas(schemas, &mut problems);
    check_references(document, schemas, "", false, &mut problems);
    check_schemas_are_used(document, schemas, &mut problems);

    let validator = ExampleValidator::new(document)?;
    let mut ids = BTreeSet::new();
    let mut examples = 0;
    let mut request_examples = 0;
    let operations = operations(document);
    for operation in &operations {
        let at = format!("{} {}", operation.method.to_uppercase(), operation.path);
        check_operation(operation, &at, &mut ids, &mut problems);
        examples += check_examples(operation, &validator, &mut problems);
        request_examples += check_request_examples(document, operation, &mut problems);
    }
    fail_on(
        problems,
        &format!("{} does not pass its checks", source.display()),
    )?;
    Ok(Report {
        operations: operations.len(),
        schemas: schemas.len(),
        examples,
        request_examples,
    })
}

fn check_operation(
    operation: &Operation<'_>,
    at: &str,
    ids: &mut BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    let body = operation.body;
    let id = operation.id;
    if id.is_empty() {
        problems.push(format!("{at}: no operationId"));
    } else if !is_snake_case(id) {
        problems.push(format!("{at}: operationId `{id}` is not snake_case"));
    } else if !ids.insert(id.to_string()) {
        problems.push(format!("{at}: operationId `{id}` is used twice"));
    }
    let section = body["x-drs-section"].as_str().unwrap_or("");
    let well_formed = section.split('.').count() >= 2
        && section
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        problems.push(format!(
            "{at}: `x-drs-section` must name a section such as \"4.1.1\""
        ));
    }
    for key in ["x-drs-title", "summary", "description"] {
        if body[key].as_str().is_none_or(str::is_empty) {
            problems.push(format!("{at}: `{key}` is missing"));
        }
    }
    match body["tags"].as_array().map(Vec::as_slice) {
        Some([tag]) if TAGS.contains(&tag.as_str().unwrap_or("")) => {}
        _ => problems.push(format!("{at}: needs exactly one tag out of {TAGS:?}")),
    }
    if let Some(content) = body["requestBody"]["content"].as_object() {
        for (media, media_body) in content {
            if media == "application/json" && schema_name(&media_body["schema"]).is_none() {
                problems.push(format!(
                    "{at}: the request body must be a $ref to a named schema"
                ));
            }
        }
    }
    let Some(responses) = body["responses"].as_object() else {
        problems.push(format!("{at}: no responses"));
        return;
    };
    for (status, response) in responses {
        let Some(content) = response["content"].as_object() else {
            continue;
        };
        for (media, media_body) in content {
            if media == "application/json" && schema_name(&media_body["schema"]).is_none() {
                problems.push(format!(
                    "{at}: the {status} response body must be a $ref to a named schema"
                ));
            }
            let is_error = !status.starts_with('2');
            if is_error && schema_name(&media_body["schema"]) != Some("ErrorResponse") {
                problems.push(format!(
                    "{at}: the {status} response must use ErrorResponse"
                ));
            }
        }
    }
}

fn is_snake_case(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !text.contains("__")
        && !text.ends_with('_')
}

/// Component names must be PascalCase so that the Rust type carries the same name, and objects
/// may only be declared at the top level so that every generated type has a stable name.
fn check_schemas(schemas: &Map<String, Value>, problems: &mut Vec<String>) {
    for (name, schema) in schemas {
        if heck::ToUpperCamelCase::to_upper_camel_case(name.as_str()) != *name {
            problems.push(format!("schema `{name}`: the name must be PascalCase"));
        }
        // An empty list is allowed: a body the reference prints as an example but documents no
        // table for (an empty object, an empty string).
        if !schema["x-drs-tables"].is_array() && name != "Language" {
            problems.push(format!(
                "schema `{name}`: `x-drs-tables` lists no reference table"
            ));
        }
        for (property, property_schema) in schema["properties"].as_object().into_iter().flatten() {
            find_inline_objects(property_schema, &format!("{name}.{property}"), problems);
        }
        find_inline_objects(&schema["items"], &format!("{name}[]"), problems);
    }
}

fn find_inline_objects(schema: &Value, at: &str, problems: &mut Vec<String>) {
    if schema.get("properties").is_some() {
        problems.push(format!("{at}: inline object; declare it as a named schema"));
    }
    if let Some(items) = schema.get("items") {
        find_inline_objects(items, &format!("{at}[]"), problems);
    }
    for list in ["allOf", "oneOf", "anyOf"] {
        for member in schema[list].as_array().into_iter().flatten() {
            find_inline_objects(member, at, problems);
        }
    }
}

fn check_references(
    value: &Value,
    schemas: &Map<String, Value>,
    at: &str,
    keys_are_names: bool,
    problems: &mut Vec<String>,
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let known = match target.strip_prefix(SCHEMA_PREFIX) {
                    Some(name) => schemas.contains_key(name),
                    None => target.starts_with("#/components/parameters/"),
                };
                if !known {
                    problems.push(format!("{at}: `$ref` to `{target}` does not resolve"));
                }
            }
            for (key, child, child_keys_are_names) in schema_members(map, keys_are_names) {
                let at = format!("{at}/{key}");
                check_references(child, schemas, &at, child_keys_are_names, problems);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_references(child, schemas, &format!("{at}/{index}"), false, problems);
            }
        }
        _ => {}
    }
}

/// Every component schema is reached by a `$ref` or names the content of a JSON-encoded string
/// (`x-drs-json-string-schema`), and every such name resolves. A schema reached by neither is a
/// transcription left behind. A `$ref` that does not resolve is `check_references`' to report.
fn check_schemas_are_used(
    document: &Value,
    schemas: &Map<String, Value>,
    problems: &mut Vec<String>,
) {
    let mut references = BTreeSet::new();
    let mut json_strings = BTreeSet::new();
    for (name, naming) in named_schemas(document) {
        match naming {
            Naming::Reference => references.insert(name),
            Naming::JsonString => json_strings.insert(name),
        };
    }
    for name in &json_strings {
        if !schemas.contains_key(*name) {
            problems.push(format!(
                "`x-drs-json-string-schema: {name}` names no component schema"
            ));
        }
    }
    for name in schemas.keys() {
        if !references.contains(name.as_str()) && !json_strings.contains(name.as_str()) {
            problems.push(format!(
                "schema `{name}`: neither a `$ref` nor an `x-drs-json-string-schema` refers to it"
            ));
        }
    }
}

/// Validates each embedded example against its schema, and returns how many it checked.
fn check_examples(
    operation: &Operation<'_>,
    validator: &ExampleValidator,
    problems: &mut Vec<String>,
) -> usize {
    let mut checked = 0;
    let mut bodies = vec![("request".to_string(), &operation.body["requestBody"])];
    for (status, response) in operation.body["responses"]
        .as_object()
        .into_iter()
        .flatten()
    {
        bodies.push((format!("{status} response"), response));
    }
    for (what, body) in bodies {
        let media = &body["content"]["application/json"];
        // A body whose `$ref` does not resolve is reported by `check_references`; its examples
        // cannot be checked against it.
        let Some((name, schema)) =
            schema_name(&media["schema"]).and_then(|name| Some((name, validator.schema(name)?)))
        else {
            continue;
        };
        for (example, example_body) in media["examples"].as_object().into_iter().flatten() {
            checked += 1;
            let Some(value) = example_body.get("value") else {
                problems.push(format!(
                    "{}: {what} example `{example}` has no value",
                    operation.id
                ));
                continue;
            };
            for error in schema.iter_errors(value) {
                problems.push(format!(
                    "{}: {what} example `{example}` does not match schema {name}: at `{}`: {error}",
                    operation.id,
                    error.instance_path()
                ));
            }
        }
    }
    checked
}

/// Each request example's URL must fit the path template, use declared query parameters only,
/// and name an existing body example when the operation takes a body.
fn check_request_examples(
    document: &Value,
    operation: &Operation<'_>,
    problems: &mut Vec<String>,
) -> usize {
    let id = operation.id;
    let body_examples = operation.body["requestBody"]["content"]["application/json"]["examples"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let takes_body = operation.body["requestBody"]["required"] == true;
    let query_names: BTreeSet<String> = parameters(document, operation.body)
        .into_iter()
        .filter(|parameter| parameter["in"] == "query")
        .filter_map(|parameter| parameter["name"].as_str().map(str::to_string))
        .collect();

    let header_names: BTreeSet<String> = parameters(document, operation.body)
        .into_iter()
        .filter(|parameter| parameter["in"] == "header")
        .filter_map(|parameter| parameter["name"].as_str().map(str::to_string))
        .collect();
    let required_headers: Vec<String> = parameters(document, operation.body)
        .into_iter()
        .filter(|parameter| parameter["in"] == "header" && parameter["required"] == true)
        .filter_map(|parameter| parameter["name"].as_str().map(str::to_string))
        .collect();

    let Some(list) = operation.body["x-drs-request-examples"].as_array() else {
        problems.push(format!("{id}: no `x-drs-request-examples`"));
        return 0;
    };
    let mut used_bodies = BTreeSet::new();
    for (index, example) in list.iter().enumerate() {
        let at = format!("{id}: x-drs-request-examples[{index}]");
        let Some(url) = example["url"].as_str() else {
            problems.push(format!("{at}: no url"));
            continue;
        };
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        if match_path(operation.path, path).is_none() {
            problems.push(format!(
                "{at}: url path `{path}` does not fit `{}`",
                operation.path
            ));
        }
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            if !query_names.contains(name) {
                problems.push(format!("{at}: query parameter `{name}` is not declared"));
            }
        }
        let headers = example["headers"].as_object().cloned().unwrap_or_default();
        for name in headers.keys() {
            if !header_names.contains(name) {
                problems.push(format!("{at}: header `{name}` is not a declared parameter"));
            }
        }
        for name in &required_headers {
            if !headers.contains_key(name) {
                problems.push(format!(
                    "{at}: the required header `{name}` has no value in `headers`"
                ));
            }
        }
        match example["body"].as_str() {
            Some(name) if body_examples.contains_key(name) => {
                used_bodies.insert(name.to_string());
            }
            Some(name) => problems.push(format!("{at}: body example `{name}` does not exist")),
            None if takes_body => problems.push(format!(
                "{at}: the operation takes a body; name its example"
            )),
            None => {}
        }
    }
    for name in body_examples.keys() {
        if !used_bodies.contains(name) {
            problems.push(format!(
                "{id}: request body example `{name}` has no entry in x-drs-request-examples"
            ));
        }
    }
    list.len()
}

/// The operation's parameters, with `$ref`s to shared parameters resolved.
pub fn parameters<'a>(document: &'a Value, operation: &'a Value) -> Vec<&'a Value> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| match parameter["$ref"].as_str() {
            Some(target) => {
                let name = target.trim_start_matches("#/components/parameters/");
                &document["components"]["parameters"][name]
            }
            None => parameter,
        })
        .collect()
}

/// Matches a concrete path against a template such as `/v3/{project_id}/jobs`, returning the
/// value of each placeholder.
pub fn match_path(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let template_parts: Vec<&str> = template.split('/').collect();
    let path_parts: Vec<&str> = path.split('/').collect();
    if template_parts.len() != path_parts.len() {
        return None;
    }
    let mut values = BTreeMap::new();
    for (expected, actual) in template_parts.iter().zip(&path_parts) {
        match expected
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(name) if !actual.is_empty() => {
                values.insert(name.to_string(), actual.to_string());
            }
            Some(_) => return None,
            None if expected == actual => {}
            None => return None,
        }
    }
    Some(values)
}

/// Validates values against the spec's schemas as JSON Schema: OpenAPI 3.0 schemas are JSON
/// Schema draft 4 with `nullable`, so the components are wrapped into one draft-4 document.
pub struct ExampleValidator {
    /// One compiled validator per component schema, keyed `#/components/schemas/{name}`:
    /// compiling the document once, rather than once per example, keeps generation fast.
    validators: jsonschema::ValidatorMap,
}

impl ExampleValidator {
    pub fn new(document: &Value) -> Result<Self> {
        let mut schemas = document["components"]["schemas"].clone();
        rewrite_for_json_schema(&mut schemas);
        let root = json!({ "components": { "schemas": schemas } });
        let validators = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build_map(&root)
            .map_err(|error| anyhow::anyhow!("the schemas do not compile: {error}"))?;
        Ok(Self { validators })
    }

    /// The compiled validator of the named component schema; none when the components hold
    /// no schema of that name.
    pub fn schema(&self, name: &str) -> Option<&jsonschema::Validator> {
        self.validators.get(&format!("{SCHEMA_PREFIX}{name}"))
    }
}

/// `nullable: true` as JSON Schema: a `null` type beside the declared one, or, for a schema
/// without a type of its own (`allOf` of a named schema), `null` as an alternative.
fn allow_null(map: &mut Map<String, Value>) {
    match map.get("type").cloned() {
        Some(Value::String(kind)) => {
            map.insert("type".into(), json!([kind, "null"]));
            if let Some(Value::Array(values)) = map.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
        }
        _ => {
            let rest = Value::Object(std::mem::take(map));
            map.insert("anyOf".into(), json!([{ "type": "null" }, rest]));
        }
    }
}

/// Turns OpenAPI 3.0 schema keywords into their JSON Schema equivalents, in place.
fn rewrite_for_json_schema(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.remove("nullable") == Some(Value::Bool(true)) {
                allow_null(map);
            }
            // An example may only use documented members: one that uses another is a sign of a
            // field the transcription missed.
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            // `format` is an annotation in OpenAPI (password, int32, ...), not an assertion.
            if map.get("format").is_some_and(Value::is_string) {
                map.remove("format");
            }
            for child in map.values_mut() {
                rewrite_for_json_schema(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_for_json_schema),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The smallest document that passes every check: one operation, one schema, one example.
    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": { "/v3/{project_id}/jobs": { "post": {
                "operationId": "list_jobs",
                "summary": "List jobs",
                "description": "Lists the jobs.",
                "tags": ["jobs"],
                "x-drs-section": "4.1.20",
                "x-drs-title": "查询租户任务列表",
                "parameters": [{ "name": "project_id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/ListJobsRequest" },
                    "examples": { "all": { "summary": "All", "value": { "per_page": 0 } } }
                } } },
                "x-drs-request-examples": [{ "summary": "All", "url": "/v3/p1/jobs", "body": "all" }],
                "responses": { "400": { "description": "Bad Request", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/ErrorResponse" }
                } } } }
            } } },
            "components": { "schemas": {
                "ListJobsRequest": {
                    "type": "object", "x-drs-tables": ["4-147"],
                    "properties": { "per_page": { "type": "integer", "minimum": 0, "maximum": 1000 } }
                },
                "ErrorResponse": { "type": "object", "x-drs-tables": ["A-1"], "properties": {
                    "error_code": { "type": "string" }, "error_msg": { "type": "string" }
                } }
            } }
        })
    }

    fn problems(document: &Value) -> String {
        match check(document, Path::new("jobs.yaml")) {
            Ok(_) => String::new(),
            Err(error) => format!("{error:#}"),
        }
    }

    /// Fails unless the check of `document` reports each of `expected`, showing all it reported.
    fn assert_problems(document: &Value, expected: &[&str]) {
        let found = problems(document);
        for problem in expected {
            assert!(
                found.contains(problem),
                "{problem:?} is not among:\n{found}"
            );
        }
    }

    #[test]
    fn a_well_formed_document_passes_and_is_counted() {
        let report = check(&document(), Path::new("jobs.yaml")).expect("passes");
        assert_eq!(
            (
                report.operations,
                report.schemas,
                report.examples,
                report.request_examples
            ),
            (1, 2, 1, 1)
        );
    }

    #[test]
    fn an_operation_needs_an_id_in_snake_case_and_a_section() {
        let mut broken = document();
        let operation = &mut broken["paths"]["/v3/{project_id}/jobs"]["post"];
        operation["operationId"] = json!("ListJobs");
        operation.as_object_mut().unwrap().remove("x-drs-section");
        assert_problems(
            &broken,
            &[
                "`ListJobs` is not snake_case",
                "`x-drs-section` must name a section",
            ],
        );
    }

    #[test]
    fn an_example_outside_its_schema_is_reported_with_its_path() {
        let mut broken = document();
        broken["paths"]["/v3/{project_id}/jobs"]["post"]["requestBody"]["content"]["application/json"]
            ["examples"]["all"]["value"] = json!({ "per_page": 5000, "page": 1 });
        assert_problems(
            &broken,
            &[
                "list_jobs: request example `all`",
                "5000 is greater than the maximum of 1000",
                "'page' was unexpected",
            ],
        );
    }

    #[test]
    fn inline_objects_and_dangling_references_are_refused() {
        let mut broken = document();
        broken["components"]["schemas"]["ListJobsRequest"]["properties"]["filter"] =
            json!({ "type": "object", "properties": { "name": { "type": "string" } } });
        broken["components"]["schemas"]["ListJobsRequest"]["properties"]["tags"] =
            json!({ "$ref": "#/components/schemas/Tag" });
        assert_problems(
            &broken,
            &[
                "ListJobsRequest.filter: inline object",
                "`#/components/schemas/Tag` does not resolve",
            ],
        );
    }

    #[test]
    fn every_schema_is_referred_to_and_every_json_string_schema_resolves() {
        let mut broken = document();
        broken["components"]["schemas"]["Orphan"] =
            json!({ "type": "object", "x-drs-tables": ["4-1"] });
        broken["components"]["schemas"]["ListJobsRequest"]["properties"]["filter"] =
            json!({ "type": "string", "x-drs-json-string-schema": "Filter" });
        assert_problems(
            &broken,
            &[
                "schema `Orphan`: neither a `$ref` nor",
                "`x-drs-json-string-schema: Filter` names no component schema",
            ],
        );

        let mut named = document();
        named["components"]["schemas"]["Filter"] =
            json!({ "type": "object", "x-drs-tables": ["4-1"] });
        named["components"]["schemas"]["ListJobsRequest"]["properties"]["filter"] =
            json!({ "type": "string", "x-drs-json-string-schema": "Filter" });
        assert_eq!(problems(&named), "");
    }

    #[test]
    fn the_failure_names_the_file_checked() {
        let mut broken = document();
        broken["openapi"] = json!("3.1.0");
        let found = problems(&broken);
        assert!(
            found.starts_with("jobs.yaml does not pass its checks: 1 problem(s)\n"),
            "{found}"
        );
    }

    #[test]
    fn a_dangling_body_reference_is_reported_once_as_a_reference() {
        let mut broken = document();
        broken["paths"]["/v3/{project_id}/jobs"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"] = json!({ "$ref": "#/components/schemas/ListJobsRequestTypo" });
        let found = problems(&broken);
        assert_eq!(
            found.matches("ListJobsRequestTypo").count(),
            1,
            "the typo is named once:\n{found}"
        );
        assert!(
            found.contains(
                "/paths//v3/{project_id}/jobs/post/requestBody/content/application/json/schema: \
                 `$ref` to `#/components/schemas/ListJobsRequestTypo` does not resolve"
            ),
            "{found}"
        );
        assert!(!found.contains("x-drs-json-string-schema: "), "{found}");
    }

    #[test]
    fn request_example_urls_must_fit_the_path_and_its_parameters() {
        let mut broken = document();
        broken["paths"]["/v3/{project_id}/jobs"]["post"]["x-drs-request-examples"] =
            json!([{ "url": "/v3/p1/job?page=1", "body": "all" }]);
        assert_problems(
            &broken,
            &[
                "url path `/v3/p1/job` does not fit",
                "query parameter `page` is not declared",
            ],
        );
    }

    #[test]
    fn error_statuses_must_use_the_shared_error_body() {
        let mut broken = document();
        broken["paths"]["/v3/{project_id}/jobs"]["post"]["responses"]["400"]["content"]["application/json"]
            ["schema"] = json!({ "$ref": "#/components/schemas/ListJobsRequest" });
        assert_problems(&broken, &["the 400 response must use ErrorResponse"]);
    }

    #[test]
    fn schema_names_are_read_outside_example_values_only() {
        let value = json!({
            "properties": {
                "example": { "$ref": "#/components/schemas/Field" },
                "text": { "type": "string", "x-drs-json-string-schema": "Filter" }
            },
            "example": { "$ref": "#/components/schemas/Payload" },
            "examples": { "bare": { "value": { "$ref": "#/components/schemas/Payload" } } },
            "items": [{ "$ref": "#/components/parameters/Limit" }]
        });
        assert_eq!(
            named_schemas(&value),
            [("Field", Naming::Reference), ("Filter", Naming::JsonString)]
        );

        // An example without a summary is data all the same.
        let mut bare = document();
        bare["paths"]["/v3/{project_id}/jobs"]["post"]["requestBody"]["content"]["application/json"]
            ["examples"]["bare"] = json!({ "value": { "$ref": "#/components/schemas/Nowhere" } });
        let found = problems(&bare);
        assert!(!found.contains("does not resolve"), "{found}");
    }

    #[test]
    fn the_json_rendering_keeps_the_key_order_of_the_yaml() {
        let document: Value = serde_norway::from_str(
            "openapi: 3.0.3\ninfo:\n  version: '1'\n  title: DRS\npaths: {}\n",
        )
        .expect("parses");
        assert_eq!(
            to_json(&document).expect("renders"),
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n    \"version\": \"1\",\n    \"title\": \"DRS\"\n  },\n  \"paths\": {}\n}\n"
        );
    }

    #[test]
    fn paths_match_their_templates() {
        let values =
            match_path("/v3/{project_id}/jobs/{job_id}", "/v3/p1/jobs/j1").expect("matches");
        assert_eq!(values["project_id"], "p1");
        assert_eq!(values["job_id"], "j1");
        assert!(match_path("/v3/{project_id}/jobs", "/v3/p1/jobs/extra").is_none());
        assert!(match_path("/v3/{project_id}/jobs", "/v3//jobs").is_none());
    }
}
