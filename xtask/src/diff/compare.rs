//! The comparison of two specs: operations (with their parameters, request bodies and response
//! statuses) and component schemas (with their fields, enumerations and constraints), each change
//! classified by the rules of the module documentation.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::usage::{self, Location, Usage};
use super::{Bump, Change, Subject};
use crate::spec;

/// Keywords that document or check a value without changing its Rust type.
const CONSTRAINTS: [&str; 11] = [
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
];

const REMOVED: &str = "code that uses it stops compiling";
const NEW_API: &str = "new API; nothing existing changes";
const NEW_VARIANT: &str = "the Rust enum gains a variant; it is #[non_exhaustive], so matches already have a \
     wildcard arm, and the value, which decoded as Unknown, now decodes as the new variant";
const LOST_VARIANT: &str = "the Rust enum loses a variant: code naming it stops compiling, and the value decodes as \
     Unknown";
const TYPE_CHANGED: &str = "the Rust type changes";
const OPTION_CHANGED: &str = "the Rust type changes between T and Option<T>";
const FIELD_FOR_BUILDERS: &str = "the struct is #[non_exhaustive] and built with `new`, `Default` or a builder, \
     none of which needs the new optional field";
const REQUIRED_IN_RESPONSE: &str = "decoding now refuses a body without it";
const OPTIONAL_IN_RESPONSE: &str =
    "response types are only read: a body without the field still decodes, to None";
const ERROR_STATUS: &str = "every error status decodes into the crate's Error";
const CONSTRAINT: &str = "documentation and client-side checks only; no Rust type changes";

/// Every change from `old` to `new`, grouped by subject (operations first, then schemas).
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    compare_operations(old, new, &mut changes);
    let usages = Usages {
        old: usage::usage(old),
        new: usage::usage(new),
    };
    compare_schemas(old, new, &usages, &mut changes);
    // A stable sort: the changes of one subject keep the order they were found in.
    changes.sort_by(|a, b| a.subject.cmp(&b.subject));
    changes
}

fn change(subject: &Subject, summary: String, bump: Bump, reason: &'static str) -> Change {
    Change {
        subject: subject.clone(),
        summary,
        bump,
        reason,
        locations: Vec::new(),
    }
}

/// A short description of a schema's Rust-relevant shape: "string (password)", "array of Tag",
/// "map of ProgressInfo". `nullable` is left out: whether it changes the Rust type depends on
/// the field's requiredness (see `compare_field`). A nullable reference in its OpenAPI 3.0
/// spelling is described as the schema it refers to, as the generator reads it; any other
/// composition lists its members, so that a change of any member is a change of type.
pub fn describe(schema: &Value) -> String {
    if let Some(name) = spec::schema_name(schema) {
        return name.to_string();
    }
    if let Some(reference) = spec::nullable_reference(schema) {
        return describe(reference);
    }
    if let Some([only]) = schema["allOf"].as_array().map(Vec::as_slice) {
        return describe(only);
    }
    for (keyword, words) in [
        ("allOf", "all of"),
        ("anyOf", "any of"),
        ("oneOf", "one of"),
    ] {
        if let Some(members) = schema[keyword].as_array() {
            let members: Vec<String> = members.iter().map(describe).collect();
            return format!("{words} ({})", members.join(", "));
        }
    }
    if spec::admits_only_null(schema) {
        return "null".to_string();
    }
    match schema["type"].as_str() {
        Some("array") => format!("array of {}", describe(&schema["items"])),
        Some("object") if schema["additionalProperties"].is_object() => {
            format!("map of {}", describe(&schema["additionalProperties"]))
        }
        Some("object") if schema.get("properties").is_some() => "object".to_string(),
        Some("object") => "free-form object".to_string(),
        Some(kind) => match schema["format"].as_str() {
            Some(format) => format!("{kind} ({format})"),
            None => kind.to_string(),
        },
        None => "any value".to_string(),
    }
}

/// Whether the schema admits `null`: `nullable: true`, or a nullable reference in its OpenAPI
/// 3.0 spelling.
fn is_nullable(schema: &Value) -> bool {
    schema["nullable"] == true || spec::nullable_reference(schema).is_some()
}

/// The values of an inline enumeration on the schema or on its items.
fn enum_values(schema: &Value) -> Option<Vec<String>> {
    let list = schema["enum"]
        .as_array()
        .or_else(|| schema["items"]["enum"].as_array())?;
    Some(spec::enum_values(list))
}

/// Changes of the enumeration of `what`: one per value added or removed.
fn compare_enum(subject: &Subject, what: &str, old: &Value, new: &Value) -> Vec<Change> {
    match (enum_values(old), enum_values(new)) {
        (None, None) => Vec::new(),
        (None, Some(values)) => vec![change(
            subject,
            format!("{what} becomes an enumeration of {} values", values.len()),
            Bump::Major,
            TYPE_CHANGED,
        )],
        (Some(_), None) => vec![change(
            subject,
            format!("{what} is no longer an enumeration"),
            Bump::Major,
            TYPE_CHANGED,
        )],
        (Some(before), Some(after)) => {
            let mut found = Vec::new();
            for value in before.iter().filter(|value| !after.contains(value)) {
                found.push(change(
                    subject,
                    format!("{what}: enumeration value `{value}` removed"),
                    Bump::Major,
                    LOST_VARIANT,
                ));
            }
            for value in after.iter().filter(|value| !before.contains(value)) {
                found.push(change(
                    subject,
                    format!("{what}: enumeration value `{value}` added"),
                    Bump::Minor,
                    NEW_VARIANT,
                ));
            }
            found
        }
    }
}

/// Changes of the defaults and validation keywords of `what`.
fn compare_constraints(subject: &Subject, what: &str, old: &Value, new: &Value) -> Vec<Change> {
    let shown = |value: &Value| match value {
        Value::Null => "none".to_string(),
        other => other.to_string(),
    };
    CONSTRAINTS
        .iter()
        .filter(|keyword| old[**keyword] != new[**keyword])
        .map(|keyword| {
            change(
                subject,
                format!(
                    "{what}: `{keyword}` {} -> {}",
                    shown(&old[*keyword]),
                    shown(&new[*keyword])
                ),
                Bump::Patch,
                CONSTRAINT,
            )
        })
        .collect()
}

fn operations_by_id(document: &Value) -> BTreeMap<String, spec::Operation<'_>> {
    spec::operations(document)
        .into_iter()
        .map(|operation| {
            let key = if operation.id.is_empty() {
                format!("{} {}", operation.method.to_uppercase(), operation.path)
            } else {
                operation.id.to_string()
            };
            (key, operation)
        })
        .collect()
}

fn endpoint(operation: &spec::Operation<'_>) -> String {
    format!("{} {}", operation.method.to_uppercase(), operation.path)
}

fn compare_operations(old: &Value, new: &Value, changes: &mut Vec<Change>) {
    let before = operations_by_id(old);
    let after = operations_by_id(new);
    for (id, operation) in &before {
        if !after.contains_key(id) {
            let subject = Subject::Operation(id.clone());
            let summary = format!("operation removed ({})", endpoint(operation));
            changes.push(change(&subject, summary, Bump::Major, REMOVED));
        }
    }
    for (id, operation) in &after {
        let subject = Subject::Operation(id.clone());
        match before.get(id) {
            None => {
                let summary = format!("operation added ({})", endpoint(operation));
                changes.push(change(&subject, summary, Bump::Minor, NEW_API));
            }
            Some(previous) => {
                if endpoint(previous) != endpoint(operation) {
                    changes.push(change(
                        &subject,
                        format!(
                            "moved from {} to {}",
                            endpoint(previous),
                            endpoint(operation)
                        ),
                        Bump::Patch,
                        "the method keeps its name and setters; requests go where the spec says",
                    ));
                }
                let parameters_before = parameters_by_name(old, previous.body);
                let parameters_after = parameters_by_name(new, operation.body);
                compare_parameters(&subject, &parameters_before, &parameters_after, changes);
                compare_request_body(&subject, previous.body, operation.body, changes);
                compare_responses(&subject, previous.body, operation.body, changes);
            }
        }
    }
}

fn parameters_by_name<'a>(
    document: &'a Value,
    operation: &'a Value,
) -> BTreeMap<&'a str, &'a Value> {
    spec::parameters(document, operation)
        .into_iter()
        .map(|parameter| (parameter["name"].as_str().unwrap_or("?"), parameter))
        .collect()
}

fn compare_parameters(
    subject: &Subject,
    before: &BTreeMap<&str, &Value>,
    after: &BTreeMap<&str, &Value>,
    changes: &mut Vec<Change>,
) {
    let label = |parameter: &Value, name: &str| {
        format!(
            "{} parameter `{name}`",
            parameter["in"].as_str().unwrap_or("?")
        )
    };
    for (name, parameter) in before {
        if !after.contains_key(name) {
            let summary = format!("{} removed", label(parameter, name));
            changes.push(change(
                subject,
                summary,
                Bump::Major,
                "its setter disappears",
            ));
        }
    }
    for (name, parameter) in after {
        let what = label(parameter, name);
        let Some(previous) = before.get(name) else {
            let required = parameter["required"] == true;
            let summary = format!(
                "{what} added: {}, {}",
                describe(&parameter["schema"]),
                if required { "required" } else { "optional" }
            );
            changes.push(if required {
                change(
                    subject,
                    summary,
                    Bump::Major,
                    "`send` fails until callers set the new parameter",
                )
            } else {
                change(subject, summary, Bump::Minor, NEW_API)
            });
            continue;
        };
        if previous["in"] != parameter["in"] {
            changes.push(change(
                subject,
                format!(
                    "{what}: moved from the {} to the {}",
                    previous["in"].as_str().unwrap_or("?"),
                    parameter["in"].as_str().unwrap_or("?")
                ),
                Bump::Patch,
                "the setter stays the same; the value travels where the spec says",
            ));
        }
        match (previous["required"] == true, parameter["required"] == true) {
            (false, true) => changes.push(change(
                subject,
                format!("{what} becomes required"),
                Bump::Major,
                "`send` fails until callers set it",
            )),
            (true, false) => changes.push(change(
                subject,
                format!("{what} becomes optional"),
                Bump::Patch,
                "the setter does not change",
            )),
            _ => {}
        }
        changes.extend(type_change(
            subject,
            &what,
            &previous["schema"],
            &parameter["schema"],
        ));
        changes.extend(compare_enum(
            subject,
            &what,
            &previous["schema"],
            &parameter["schema"],
        ));
        changes.extend(compare_constraints(
            subject,
            &what,
            &previous["schema"],
            &parameter["schema"],
        ));
    }
}

/// The request body's schema, described, if the operation takes a JSON body.
fn request_body(operation: &Value) -> Option<String> {
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    (!schema.is_null()).then(|| describe(schema))
}

fn compare_request_body(subject: &Subject, old: &Value, new: &Value, changes: &mut Vec<Change>) {
    let required = new["requestBody"]["required"] == true;
    match (request_body(old), request_body(new)) {
        (None, None) => {}
        (None, Some(body)) => changes.push(if required {
            change(
                subject,
                format!("request body added: {body}, required"),
                Bump::Major,
                "`send` fails until callers set the body",
            )
        } else {
            change(
                subject,
                format!("request body added: {body}, optional"),
                Bump::Minor,
                NEW_API,
            )
        }),
        (Some(body), None) => changes.push(change(
            subject,
            format!("request body removed (was {body})"),
            Bump::Major,
            REMOVED,
        )),
        (Some(before), Some(after)) => {
            if before != after {
                changes.push(change(
                    subject,
                    format!("request body: {before} -> {after}"),
                    Bump::Major,
                    TYPE_CHANGED,
                ));
            }
            if old["requestBody"]["required"] != true && required {
                changes.push(change(
                    subject,
                    "request body becomes required".to_string(),
                    Bump::Major,
                    "`send` fails until callers set the body",
                ));
            }
        }
    }
}

/// Each documented status with its body, described ("no body" when there is none).
fn responses(operation: &Value) -> BTreeMap<String, String> {
    operation["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, response)| {
            let schema = &response["content"]["application/json"]["schema"];
            let body = if schema.is_null() {
                "no body".to_string()
            } else {
                describe(schema)
            };
            (status.clone(), body)
        })
        .collect()
}

fn compare_responses(subject: &Subject, old: &Value, new: &Value, changes: &mut Vec<Change>) {
    let before = responses(old);
    let after = responses(new);
    let successes = |responses: &BTreeMap<String, String>| -> BTreeSet<String> {
        responses
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .map(|(_, body)| body.clone())
            .collect()
    };
    // Adding or removing a success status breaks callers only when it changes what a call can
    // return.
    let same_successes = successes(&before) == successes(&after);
    let bump_of = |status: &str| {
        if status.starts_with('2') && !same_successes {
            (Bump::Major, "what a successful call returns changes")
        } else if status.starts_with('2') {
            (
                Bump::Patch,
                "another success status already returns this body",
            )
        } else {
            (Bump::Patch, ERROR_STATUS)
        }
    };
    for (status, body) in &before {
        if !after.contains_key(status) {
            let (bump, reason) = bump_of(status);
            changes.push(change(
                subject,
                format!("status {status} removed (body: {body})"),
                bump,
                reason,
            ));
        }
    }
    for (status, body) in &after {
        match before.get(status) {
            None => {
                let (bump, reason) = bump_of(status);
                let summary = format!("status {status} added (body: {body})");
                changes.push(change(subject, summary, bump, reason));
            }
            Some(previous) if previous != body => {
                let summary = format!("status {status}: body {previous} -> {body}");
                let (bump, reason) = if status.starts_with('2') {
                    (Bump::Major, TYPE_CHANGED)
                } else {
                    (Bump::Patch, ERROR_STATUS)
                };
                changes.push(change(subject, summary, bump, reason));
            }
            Some(_) => {}
        }
    }
}

/// The usages of both documents: a schema's role is the union of its roles in either.
struct Usages {
    old: Usage,
    new: Usage,
}

impl Usages {
    /// Where the schema is reached: in the new document, or in the old one if it is gone.
    fn locations(&self, schema: &str) -> &[Location] {
        match self.new.get(schema) {
            Some(found) if !found.is_empty() => found,
            _ => self.old.get(schema).map_or(&[], Vec::as_slice),
        }
    }

    /// Whether callers build values of the schema: a request reaches it, or nothing does.
    fn built_by_callers(&self, schema: &str) -> bool {
        let all: Vec<&Location> = [&self.old, &self.new]
            .iter()
            .filter_map(|usage| usage.get(schema))
            .flatten()
            .collect();
        all.is_empty() || all.iter().any(|location| location.in_request)
    }
}

fn compare_schemas(old: &Value, new: &Value, usages: &Usages, changes: &mut Vec<Change>) {
    let before = spec::schemas(old);
    let after = spec::schemas(new);
    for name in before.keys().filter(|name| !after.contains_key(*name)) {
        let subject = Subject::Schema(name.clone());
        let mut removed = change(&subject, "schema removed".into(), Bump::Major, REMOVED);
        removed.locations = located(usages, name, "");
        changes.push(removed);
    }
    for (name, schema) in after {
        let subject = Subject::Schema(name.clone());
        let Some(previous) = before.get(name) else {
            let summary = format!("schema added: {}", describe(schema));
            let mut added = change(&subject, summary, Bump::Minor, NEW_API);
            added.locations = located(usages, name, "");
            changes.push(added);
            continue;
        };
        let start = changes.len();
        compare_schema(&subject, name, previous, schema, usages, changes);
        for found in &mut changes[start..] {
            if found.locations.is_empty() {
                found.locations = located(usages, name, "");
            }
        }
    }
}

fn located(usages: &Usages, schema: &str, field: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    usages
        .locations(schema)
        .iter()
        .map(|location| location.describe(field))
        .filter(|text| seen.insert(text.clone()))
        .collect()
}

/// A field of a schema: a property, or a property of an inline object inside one.
struct Field<'a> {
    required: bool,
    schema: &'a Value,
}

/// Every field of a schema by its path ("name", "filter.name", "items[].name"), without
/// following `$ref`s: a named schema is compared on its own.
fn fields(schema: &Value) -> BTreeMap<String, Field<'_>> {
    let mut found = BTreeMap::new();
    collect_fields(schema, "", &mut found);
    found
}

fn collect_fields<'a>(schema: &'a Value, prefix: &str, found: &mut BTreeMap<String, Field<'a>>) {
    let required: BTreeSet<&str> = spec::strings(&schema["required"]).collect();
    for (name, field_schema) in schema["properties"].as_object().into_iter().flatten() {
        let path = usage::join(prefix, name);
        found.insert(
            path.clone(),
            Field {
                required: required.contains(name.as_str()),
                schema: field_schema,
            },
        );
        collect_inline(field_schema, &path, found);
    }
}

fn collect_inline<'a>(schema: &'a Value, path: &str, found: &mut BTreeMap<String, Field<'a>>) {
    if schema.get("properties").is_some() {
        collect_fields(schema, path, found);
    } else if schema.get("items").is_some() {
        collect_inline(&schema["items"], &format!("{path}[]"), found);
    }
}

fn compare_schema(
    subject: &Subject,
    name: &str,
    old: &Value,
    new: &Value,
    usages: &Usages,
    changes: &mut Vec<Change>,
) {
    let (old_type, new_type) = (describe(old), describe(new));
    if old_type != new_type {
        changes.push(change(
            subject,
            format!("type {old_type} -> {new_type}"),
            Bump::Major,
            TYPE_CHANGED,
        ));
    }
    changes.extend(compare_enum(subject, "schema", old, new));
    changes.extend(compare_constraints(subject, "schema", old, new));

    let before = fields(old);
    let after = fields(new);
    let built = usages.built_by_callers(name);
    for path in before.keys().filter(|path| !after.contains_key(*path)) {
        let mut removed = change(
            subject,
            format!("field `{path}` removed"),
            Bump::Major,
            REMOVED,
        );
        removed.locations = located(usages, name, path);
        changes.push(removed);
    }
    for (path, field) in &after {
        let start = changes.len();
        match before.get(path) {
            None => changes.push(added_field(subject, path, field, built)),
            Some(previous) => compare_field(subject, path, previous, field, changes),
        }
        for found in &mut changes[start..] {
            found.locations = located(usages, name, path);
        }
    }
}

fn added_field(subject: &Subject, path: &str, field: &Field<'_>, built: bool) -> Change {
    let requiredness = if field.required {
        "required"
    } else {
        "optional"
    };
    let nullable = if is_nullable(field.schema) {
        ", nullable"
    } else {
        ""
    };
    let summary = format!(
        "field `{path}` added: {}, {requiredness}{nullable}",
        describe(field.schema)
    );
    let (bump, reason) = match (built, field.required) {
        (true, true) => (
            Bump::Major,
            "callers must set the new field: `new` takes it",
        ),
        (true, false) => (Bump::Minor, FIELD_FOR_BUILDERS),
        (false, true) => (Bump::Major, REQUIRED_IN_RESPONSE),
        (false, false) => (Bump::Minor, OPTIONAL_IN_RESPONSE),
    };
    change(subject, summary, bump, reason)
}

/// `what` (a parameter or a field) changing Rust type between the two schemas.
fn type_change(subject: &Subject, what: &str, old: &Value, new: &Value) -> Option<Change> {
    let (old_type, new_type) = (describe(old), describe(new));
    (old_type != new_type).then(|| {
        change(
            subject,
            format!("{what}: type {old_type} -> {new_type}"),
            Bump::Major,
            TYPE_CHANGED,
        )
    })
}

fn compare_field(
    subject: &Subject,
    path: &str,
    old: &Field<'_>,
    new: &Field<'_>,
    changes: &mut Vec<Change>,
) {
    let what = format!("field `{path}`");
    changes.extend(type_change(subject, &what, old.schema, new.schema));
    if old.required != new.required {
        let now = if new.required { "required" } else { "optional" };
        changes.push(change(
            subject,
            format!("{what} becomes {now}"),
            Bump::Major,
            OPTION_CHANGED,
        ));
    }
    if is_nullable(old.schema) != is_nullable(new.schema) {
        let now = if is_nullable(new.schema) {
            "nullable"
        } else {
            "not nullable"
        };
        let summary = format!("{what} becomes {now}");
        // An optional field is an `Option` either way; a required one becomes one, or stops
        // being one.
        let (bump, reason) = if old.required || new.required {
            (Bump::Major, OPTION_CHANGED)
        } else {
            (
                Bump::Patch,
                "an optional field is an Option either way; only null's acceptance changes",
            )
        };
        changes.push(change(subject, summary, bump, reason));
    }
    changes.extend(compare_enum(subject, &what, old.schema, new.schema));
    changes.extend(compare_constraints(subject, &what, old.schema, new.schema));
}
