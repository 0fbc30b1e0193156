//! The audit's comparison of the reference's sections with the spec: operations by section
//! number, parameters and body fields by name, enumeration values, request and response examples
//! as JSON, and request example URLs.
//!
//! Body tables are matched through the spec's `x-drs-tables`: a schema's fields are compared
//! with the rows of all the tables it names together, so a field of a shared schema that only
//! one of its tables lists is not reported (spec/README.md: one schema, the union of the
//! tables). Values are compared where the reference lists them as bullets (`● value：meaning`)
//! and the spec has an enumeration, or lists at least two under 取值/枚举值 for a field the
//! spec leaves open. The headers `Content-Type` and `X-Auth-Token` are not parameters in the
//! spec (spec/README.md: the media type and the security scheme carry them).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::reference::{Example, Section, TableKind};
use crate::spec;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Operation,
    Parameter,
    Table,
    Field,
    Value,
    Example,
    Url,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Operation,
        Kind::Parameter,
        Kind::Table,
        Kind::Field,
        Kind::Value,
        Kind::Example,
        Kind::Url,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::Table => "table",
            Kind::Field => "field",
            Kind::Value => "value",
            Kind::Example => "example",
            Kind::Url => "url",
        }
    }
}

/// Which side has what the other lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// The reference documents it; the spec lacks it.
    MissingFromSpec,
    /// The spec has it; the reference does not document it.
    OnlyInSpec,
    /// Both have it, and they differ.
    Different,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The reference section ("4.1.14").
    pub section: String,
    pub kind: Kind,
    /// What the finding is about, stable enough to be named in the list of known differences:
    /// "StopOrDeleteJobRequest.job_id", "query parameter `limit`", "request example `name`".
    pub subject: String,
    pub side: Side,
    pub detail: String,
}

/// How much of the reference the audit read.
#[derive(Debug, Default)]
pub struct Counts {
    pub sections: usize,
    pub tables: usize,
    pub rows: usize,
    pub values: usize,
    pub examples: usize,
    pub urls: usize,
}

pub fn counts(sections: &[Section]) -> Counts {
    let tables = sections.iter().flat_map(|section| &section.tables);
    Counts {
        sections: sections.len(),
        tables: tables.clone().count(),
        rows: tables.clone().map(|table| table.rows.len()).sum(),
        values: tables
            .flat_map(|table| &table.rows)
            .map(|row| row.values.len())
            .sum(),
        examples: sections
            .iter()
            .flat_map(|section| {
                section
                    .request_examples
                    .iter()
                    .chain(&section.response_examples)
            })
            .filter(|example| example.body.is_some())
            .count(),
        urls: sections
            .iter()
            .flat_map(|section| &section.request_examples)
            .filter(|example| example.url.is_some())
            .count(),
    }
}

/// Headers the spec carries without a parameter.
const CONVENTIONAL_HEADERS: [&str; 2] = ["Content-Type", "X-Auth-Token"];

pub fn compare(sections: &[Section], document: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    let operations: BTreeMap<&str, spec::Operation<'_>> = spec::operations(document)
        .into_iter()
        .map(|operation| {
            let section = operation.body["x-drs-section"].as_str().unwrap_or("");
            (section, operation)
        })
        .collect();
    for section in sections {
        let Some(operation) = operations.get(section.number.as_str()) else {
            findings.push(Finding {
                section: section.number.clone(),
                kind: Kind::Operation,
                subject: format!("{} {}", section.method, section.path),
                side: Side::MissingFromSpec,
                detail: format!("「{}」 (line {})", section.title, section.line),
            });
            continue;
        };
        compare_operation(section, operation, &mut findings);
        compare_parameters(section, document, operation, &mut findings);
        compare_examples(section, operation, &mut findings);
        compare_urls(section, operation, &mut findings);
    }
    let documented: BTreeSet<&str> = sections.iter().map(|s| s.number.as_str()).collect();
    for (number, operation) in &operations {
        if !documented.contains(number) {
            findings.push(Finding {
                section: number.to_string(),
                kind: Kind::Operation,
                subject: format!("{} {}", operation.method.to_uppercase(), operation.path),
                side: Side::OnlyInSpec,
                detail: format!("operation `{}`", operation.id),
            });
        }
    }
    compare_fields(sections, document, &mut findings);
    compare_table_sections(sections, document, &operations, &mut findings);
    findings.sort_by(|a, b| (section_order(&a.section), a).cmp(&(section_order(&b.section), b)));
    findings
}

/// "4.1.9" before "4.1.10".
fn section_order(section: &str) -> Vec<u32> {
    section
        .split('.')
        .map(|part| part.parse().unwrap_or(u32::MAX))
        .collect()
}

fn compare_operation(section: &Section, operation: &spec::Operation<'_>, found: &mut Vec<Finding>) {
    let documented = format!("{} {}", section.method, section.path);
    let described = format!("{} {}", operation.method.to_uppercase(), operation.path);
    if documented != described {
        found.push(Finding {
            section: section.number.clone(),
            kind: Kind::Operation,
            subject: documented,
            side: Side::Different,
            detail: format!("the spec has {described} (`{}`)", operation.id),
        });
    }
}

fn compare_parameters(
    section: &Section,
    document: &Value,
    operation: &spec::Operation<'_>,
    found: &mut Vec<Finding>,
) {
    let parameters: BTreeMap<(String, String), &Value> = spec::parameters(document, operation.body)
        .into_iter()
        .map(|parameter| {
            let location = parameter["in"].as_str().unwrap_or("?").to_string();
            let name = parameter["name"].as_str().unwrap_or("?").to_string();
            ((location, name), parameter)
        })
        .collect();
    let mut documented = BTreeSet::new();
    for table in &section.tables {
        let location = match table.kind {
            TableKind::PathParameters => "path",
            TableKind::QueryParameters => "query",
            TableKind::HeaderParameters => "header",
            TableKind::Body => continue,
        };
        for row in &table.rows {
            if location == "header" && CONVENTIONAL_HEADERS.contains(&row.name.as_str()) {
                continue;
            }
            let key = (location.to_string(), row.name.clone());
            let subject = format!("{location} parameter `{}`", row.name);
            documented.insert(key.clone());
            match parameters.get(&key) {
                None => found.push(Finding {
                    section: section.number.clone(),
                    kind: Kind::Parameter,
                    subject,
                    side: Side::MissingFromSpec,
                    detail: format!("table {} (line {})", table.number, row.line),
                }),
                Some(parameter) => {
                    let values =
                        BTreeMap::from([(row.name.as_str(), (&row.values, row.lists_values))]);
                    let spec_values = spec_values(document, &parameter["schema"]);
                    compare_values(&section.number, &subject, &values, spec_values, found);
                }
            }
        }
    }
    for ((location, name), _) in parameters {
        if !documented.contains(&(location.clone(), name.clone())) {
            found.push(Finding {
                section: section.number.clone(),
                kind: Kind::Parameter,
                subject: format!("{location} parameter `{name}`"),
                side: Side::OnlyInSpec,
                detail: String::new(),
            });
        }
    }
}

/// The values of the enumeration a schema is (or holds items of), following `$ref`s.
fn spec_values(document: &Value, schema: &Value) -> Option<Vec<String>> {
    if let Some(name) = spec::schema_name(schema) {
        return spec_values(document, &document["components"]["schemas"][name]);
    }
    if let Some([only]) = schema["allOf"].as_array().map(Vec::as_slice) {
        return spec_values(document, only);
    }
    if let Some(values) = schema["enum"].as_array() {
        return Some(spec::enum_values(values));
    }
    if schema.get("items").is_some() {
        return spec_values(document, &schema["items"]);
    }
    None
}

/// Compares the values the reference lists for a field (the union over its rows) with the
/// spec's enumeration.
fn compare_values(
    section: &str,
    subject: &str,
    rows: &BTreeMap<&str, (&Vec<String>, bool)>,
    spec_values: Option<Vec<String>>,
    found: &mut Vec<Finding>,
) {
    let listed: BTreeSet<&str> = rows
        .values()
        .flat_map(|(values, _)| values.iter().map(String::as_str))
        .collect();
    let introduced = rows.values().any(|(_, lists)| *lists);
    let Some(spec_values) = spec_values else {
        // "取值：true / false" on a Boolean is the type, not an enumeration.
        if listed
            .iter()
            .all(|value| matches!(*value, "true" | "false"))
        {
            return;
        }
        if introduced && listed.len() >= 2 {
            found.push(Finding {
                section: section.to_string(),
                kind: Kind::Value,
                subject: subject.to_string(),
                side: Side::MissingFromSpec,
                detail: format!(
                    "the reference lists {}; the spec has no enumeration",
                    quoted(listed.iter().copied())
                ),
            });
        }
        return;
    };
    if listed.is_empty() {
        return;
    }
    for value in &listed {
        if !spec_values.iter().any(|known| known == value) {
            found.push(Finding {
                section: section.to_string(),
                kind: Kind::Value,
                subject: format!("{subject} = {}", shown_value(value)),
                side: Side::MissingFromSpec,
                detail: String::new(),
            });
        }
    }
    for value in &spec_values {
        if !listed.contains(value.as_str()) {
            found.push(Finding {
                section: section.to_string(),
                kind: Kind::Value,
                subject: format!("{subject} = {}", shown_value(value)),
                side: Side::OnlyInSpec,
                detail: String::new(),
            });
        }
    }
}

/// A value as findings name it: the empty string as `""`.
fn shown_value(value: &str) -> &str {
    if value.is_empty() { "\"\"" } else { value }
}

fn quoted<'a>(values: impl Iterator<Item = &'a str>) -> String {
    values
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A body table of the reference, with the section that prints it.
struct BodyTable<'a> {
    section: &'a str,
    table: &'a super::reference::Table,
}

/// Compares every schema's fields with the rows of the tables it names in `x-drs-tables`, and
/// reports the body tables no schema names.
fn compare_fields(sections: &[Section], document: &Value, found: &mut Vec<Finding>) {
    let tables: BTreeMap<&str, BodyTable<'_>> = sections
        .iter()
        .flat_map(|section| {
            section
                .tables
                .iter()
                .filter(|table| table.kind == TableKind::Body)
                .map(move |table| {
                    let entry = BodyTable {
                        section: &section.number,
                        table,
                    };
                    (table.number.as_str(), entry)
                })
        })
        .collect();
    let schemas = spec::schemas(document);
    let mut claimed = BTreeSet::new();
    for (name, schema) in schemas {
        // Only objects have fields; enumerations name the tables they appear in, and an array
        // names the table of its items, which the items' schema names too.
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        let named: Vec<&str> = spec::strings(&schema["x-drs-tables"]).collect();
        let mut rows = Vec::new();
        for number in &named {
            match tables.get(number) {
                Some(body) => {
                    claimed.insert(*number);
                    rows.extend(body.table.rows.iter().map(|row| (body, row)));
                }
                None if number.starts_with("4-") => found.push(Finding {
                    section: "?".into(),
                    kind: Kind::Table,
                    subject: format!("table {number}"),
                    side: Side::OnlyInSpec,
                    detail: format!("named by schema {name}; the reference has no such body table"),
                }),
                None => {}
            }
        }
        let Some(first) = named.iter().find_map(|number| tables.get(number)) else {
            continue;
        };
        let documented: BTreeSet<&str> = rows.iter().map(|(_, row)| row.name.as_str()).collect();
        let mut reported = BTreeSet::new();
        for (body, row) in &rows {
            if !properties.contains_key(&row.name) && reported.insert(row.name.as_str()) {
                found.push(Finding {
                    section: body.section.to_string(),
                    kind: Kind::Field,
                    subject: format!("{name}.{}", row.name),
                    side: Side::MissingFromSpec,
                    detail: format!("table {} (line {})", body.table.number, row.line),
                });
            }
        }
        for property in properties.keys() {
            if !documented.contains(property.as_str()) {
                found.push(Finding {
                    section: first.section.to_string(),
                    kind: Kind::Field,
                    subject: format!("{name}.{property}"),
                    side: Side::OnlyInSpec,
                    detail: format!("not in table {}", named.join(", ")),
                });
            }
        }
        for (property, property_schema) in properties {
            let values: BTreeMap<&str, (&Vec<String>, bool)> = rows
                .iter()
                .filter(|(_, row)| row.name == *property)
                .map(|(body, row)| (body.table.number.as_str(), (&row.values, row.lists_values)))
                .collect();
            if values.is_empty() {
                continue;
            }
            let subject = format!("{name}.{property}");
            let spec_values = spec_values(document, property_schema);
            compare_values(first.section, &subject, &values, spec_values, found);
        }
    }
    for (number, body) in &tables {
        if !claimed.contains(number) {
            found.push(Finding {
                section: body.section.to_string(),
                kind: Kind::Table,
                subject: format!("table {number}"),
                side: Side::MissingFromSpec,
                detail: format!(
                    "「{}」 (line {}): no schema names it",
                    body.table.title, body.table.line
                ),
            });
        }
    }
}

/// Checks that each table a schema names in `x-drs-tables` belongs to a section whose operation
/// reaches the schema: otherwise the table is attributed to the wrong schema.
fn compare_table_sections(
    sections: &[Section],
    document: &Value,
    operations: &BTreeMap<&str, spec::Operation<'_>>,
    found: &mut Vec<Finding>,
) {
    let reached: BTreeMap<&str, (&str, BTreeSet<&str>)> = operations
        .iter()
        .map(|(section, operation)| {
            (
                *section,
                (operation.id, reached_schemas(document, operation)),
            )
        })
        .collect();
    let schemas = spec::schemas(document);
    for section in sections {
        let Some((id, reach)) = reached.get(section.number.as_str()) else {
            continue;
        };
        for table in &section.tables {
            for (name, schema) in schemas {
                let names_table =
                    spec::strings(&schema["x-drs-tables"]).any(|named| named == table.number);
                if names_table && !reach.contains(name.as_str()) {
                    found.push(Finding {
                        section: section.number.clone(),
                        kind: Kind::Table,
                        subject: format!("table {}", table.number),
                        side: Side::Different,
                        detail: format!("named by schema {name}, which `{id}` does not reach"),
                    });
                }
            }
        }
    }
}

/// The schemas an operation reaches through `$ref`s, and through `x-drs-json-string-schema`
/// (the schema of a JSON text carried in a string).
fn reached_schemas<'a>(document: &'a Value, operation: &spec::Operation<'a>) -> BTreeSet<&'a str> {
    let schemas = spec::schemas(document);
    let named = |value: &'a Value| spec::named_schemas(value).into_iter().map(|(name, _)| name);
    let mut pending: Vec<&str> = spec::parameters(document, operation.body)
        .into_iter()
        .flat_map(named)
        .chain(named(&operation.body["requestBody"]))
        .chain(named(&operation.body["responses"]))
        .collect();
    let mut reached = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if reached.insert(name)
            && let Some(schema) = schemas.get(name)
        {
            pending.extend(named(schema));
        }
    }
    reached
}

/// The embedded examples of a request body or a response, by name, over every media type.
fn spec_examples(part: &Value) -> Vec<(&str, &Value)> {
    part["content"]
        .as_object()
        .into_iter()
        .flat_map(|content| content.values())
        .flat_map(|media| media["examples"].as_object().into_iter().flatten())
        .map(|(name, example)| (name.as_str(), &example["value"]))
        .collect()
}

fn compare_examples(section: &Section, operation: &spec::Operation<'_>, found: &mut Vec<Finding>) {
    let requests: Vec<&Example> = section
        .request_examples
        .iter()
        .filter(|example| example.body.is_some())
        .collect();
    let spec_requests = spec_examples(&operation.body["requestBody"]);
    match_examples(section, "request", &requests, &spec_requests, found);

    let mut statuses: BTreeSet<&str> = section
        .response_examples
        .iter()
        .map(|example| example.status.as_str())
        .collect();
    let responses = operation.body["responses"].as_object();
    statuses.extend(
        responses
            .into_iter()
            .flatten()
            .filter_map(|(status, response)| {
                (!spec_examples(response).is_empty()).then_some(status.as_str())
            }),
    );
    for status in statuses {
        let documented: Vec<&Example> = section
            .response_examples
            .iter()
            .filter(|example| example.status == status)
            .collect();
        let spec_responses = spec_examples(&operation.body["responses"][status]);
        let slot = format!("{status} response");
        match_examples(section, &slot, &documented, &spec_responses, found);
    }
}

/// Pairs the reference's examples of one slot (the request, or one response status) with the
/// spec's: equal ones first, then each remaining reference example with the most similar
/// remaining spec example.
fn match_examples(
    section: &Section,
    slot: &str,
    documented: &[&Example],
    embedded: &[(&str, &Value)],
    found: &mut Vec<Finding>,
) {
    let mut used = vec![false; embedded.len()];
    let mut unmatched = Vec::new();
    for example in documented {
        let equal = match &example.body {
            Some(Ok(value)) => (0..embedded.len()).find(|&i| !used[i] && embedded[i].1 == value),
            _ => None,
        };
        match equal {
            Some(index) => used[index] = true,
            None => unmatched.push(*example),
        }
    }
    for example in unmatched {
        let candidates = (0..embedded.len()).filter(|&i| !used[i]);
        let closest = match &example.body {
            Some(Ok(value)) => candidates.min_by_key(|&i| differences(value, embedded[i].1).len()),
            _ => candidates.min(),
        };
        let named = if example.title.is_empty() {
            format!("the example at line {}", example.line)
        } else {
            format!("「{}」 (line {})", example.title, example.line)
        };
        let Some(index) = closest else {
            found.push(Finding {
                section: section.number.clone(),
                kind: Kind::Example,
                subject: format!("{slot} example {named}"),
                side: Side::MissingFromSpec,
                detail: String::new(),
            });
            continue;
        };
        used[index] = true;
        let (name, value) = embedded[index];
        let detail = match &example.body {
            Some(Ok(documented)) => format!(
                "{named} differs: {}",
                differences(documented, value).join("; ")
            ),
            Some(Err(error)) => format!("{named} is not valid JSON as printed ({error})"),
            None => String::new(),
        };
        found.push(Finding {
            section: section.number.clone(),
            kind: Kind::Example,
            subject: format!("{slot} example `{name}`"),
            side: Side::Different,
            detail,
        });
    }
    for (index, (name, _)) in embedded.iter().enumerate() {
        if !used[index] {
            found.push(Finding {
                section: section.number.clone(),
                kind: Kind::Example,
                subject: format!("{slot} example `{name}`"),
                side: Side::OnlyInSpec,
                detail: String::new(),
            });
        }
    }
}

/// The key paths where two JSON values differ, as short sentences.
pub fn differences(documented: &Value, embedded: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_differences(documented, embedded, "", &mut found);
    found
}

fn collect_differences(documented: &Value, embedded: &Value, path: &str, found: &mut Vec<String>) {
    let shown = if path.is_empty() { "(the body)" } else { path };
    match (documented, embedded) {
        (Value::Object(left), Value::Object(right)) => {
            let child = |key: &String| {
                if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                }
            };
            for (key, value) in left {
                match right.get(key) {
                    Some(other) => collect_differences(value, other, &child(key), found),
                    None => found.push(format!("`{}` only in the reference", child(key))),
                }
            }
            for key in right.keys().filter(|key| !left.contains_key(*key)) {
                found.push(format!("`{}` only in the spec", child(key)));
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            if left.len() != right.len() {
                found.push(format!(
                    "`{shown}`: {} items in the reference, {} in the spec",
                    left.len(),
                    right.len()
                ));
            }
            for (index, (a, b)) in left.iter().zip(right).enumerate() {
                collect_differences(a, b, &format!("{path}[{index}]"), found);
            }
        }
        (Value::String(left), Value::String(right)) if left != right => {
            found.push(format!("`{shown}`: {}", string_difference(left, right)));
        }
        (left, right) if left != right => found.push(format!(
            "`{shown}`: {} in the reference, {} in the spec",
            abridged(&left.to_string()),
            abridged(&right.to_string())
        )),
        _ => {}
    }
}

/// Where two strings part: the text of each from a little before the first difference.
fn string_difference(documented: &str, embedded: &str) -> String {
    let common = documented
        .chars()
        .zip(embedded.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let from = common.saturating_sub(10);
    let window = |text: &str| -> String {
        let tail: String = text.chars().skip(from).collect();
        let prefix = if from > 0 { "..." } else { "" };
        format!("{prefix}{}", abridged(&tail))
    };
    format!(
        "{:?} in the reference, {:?} in the spec (from character {from})",
        window(documented),
        window(embedded)
    )
}

fn abridged(text: &str) -> String {
    if text.chars().count() <= 40 {
        return text.to_string();
    }
    let head: String = text.chars().take(37).collect();
    format!("{head}...")
}

fn compare_urls(section: &Section, operation: &spec::Operation<'_>, found: &mut Vec<Finding>) {
    let mut embedded: Vec<&str> = operation.body["x-drs-request-examples"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|example| example["url"].as_str())
        .collect();
    let mut unmatched = Vec::new();
    for url in section
        .request_examples
        .iter()
        .filter_map(|e| e.url.as_deref())
    {
        match embedded.iter().position(|known| *known == url) {
            Some(index) => {
                embedded.remove(index);
            }
            None => unmatched.push(url),
        }
    }
    let mut embedded = embedded.into_iter();
    for url in unmatched {
        let (side, detail) = match embedded.next() {
            Some(spec_url) => (Side::Different, format!("the spec has {spec_url}")),
            None => (Side::MissingFromSpec, String::new()),
        };
        found.push(Finding {
            section: section.number.clone(),
            kind: Kind::Url,
            subject: format!("request URL {url}"),
            side,
            detail,
        });
    }
    for url in embedded {
        found.push(Finding {
            section: section.number.clone(),
            kind: Kind::Url,
            subject: format!("request URL {url}"),
            side: Side::OnlyInSpec,
            detail: String::new(),
        });
    }
}
