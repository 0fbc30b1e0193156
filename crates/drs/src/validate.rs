//! Checks a request against the constraints the reference documents (required members,
//! enumerations, lengths, ranges, patterns, item counts) before it is sent, so that a mistake is
//! reported with the field's path instead of as the service's `DRS.M00202`.
//!
//! The rules are the request schemas of the spec, reduced to their constraint keywords by
//! `cargo xtask generate` (see `constraints.rs`) and parsed once on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::constraints::RULES;
use crate::error::InvalidInput;

struct Rules {
    operations: HashMap<String, Value>,
    schemas: Map<String, Value>,
}

fn all_rules() -> &'static Rules {
    static PARSED: OnceLock<Rules> = OnceLock::new();
    PARSED.get_or_init(|| {
        // The text is generated from the spec and checked by the crate's tests, so a parse
        // failure is a build defect; it degrades to "no rules" rather than a panic.
        let mut document: Value = serde_json::from_str(RULES).unwrap_or_default();
        let operations = match document.get_mut("operations").map(Value::take) {
            Some(Value::Object(map)) => map.into_iter().collect(),
            _ => HashMap::new(),
        };
        let schemas = match document.get_mut("schemas").map(Value::take) {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Rules {
            operations,
            schemas,
        }
    })
}

/// The rules of one operation: `{"query": {name: schema}, "body": schema}`.
pub(crate) fn rules(operation: &str) -> Option<&'static Value> {
    all_rules().operations.get(operation)
}

/// Checks the query parameters and the JSON body of a request to `operation`.
pub(crate) fn check(
    operation: &'static str,
    rules: &Value,
    query: &[(String, String)],
    body: Option<&Value>,
) -> Result<(), InvalidInput> {
    let checker = Checker {
        operation,
        schemas: &all_rules().schemas,
    };
    if let Some(Value::Object(parameters)) = rules.get("query") {
        for (name, schema) in parameters {
            if let Some((_, raw)) = query.iter().find(|(key, _)| key == name) {
                let value = query_value(checker.type_of(schema), raw);
                checker.value(schema, &value, name)?;
            }
        }
    }
    if let (Some(schema), Some(body)) = (rules.get("body"), body) {
        checker.value(schema, body, "")?;
    }
    Ok(())
}

/// A query value as the JSON value it spells: query values travel as text, and a number or a
/// boolean is checked (bounds, enumerations) as what it stands for. An integer stays an integer,
/// so that it equals the integers of an enumeration.
fn query_value(kind: Option<&str>, raw: &str) -> Value {
    let text = || Value::String(raw.to_string());
    match kind {
        Some("integer" | "number") => {
            if let Ok(integer) = raw.parse::<i64>() {
                Value::from(integer)
            } else {
                raw.parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(text, Value::Number)
            }
        }
        Some("boolean") => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => text(),
        },
        _ => text(),
    }
}

struct Checker<'a> {
    operation: &'static str,
    schemas: &'a Map<String, Value>,
}

impl Checker<'_> {
    fn fail(&self, path: &str, expected: String, found: String) -> Result<(), InvalidInput> {
        Err(InvalidInput {
            operation: self.operation,
            field: if path.is_empty() {
                "(body)".to_string()
            } else {
                path.to_string()
            },
            expected,
            found,
        })
    }

    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        let mut schema = schema;
        // References chain at most a few levels; the bound guards against a cycle.
        for _ in 0..8 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(target) => {
                    let name = target.rsplit('/').next().unwrap_or(target);
                    match self.schemas.get(name) {
                        Some(found) => schema = found,
                        None => return schema,
                    }
                }
                None => return schema,
            }
        }
        schema
    }

    /// The `type` of a schema, looking through references and `allOf`.
    fn type_of<'s>(&'s self, schema: &'s Value) -> Option<&'s str> {
        let schema = self.resolve(schema);
        if let Some(kind) = schema.get("type").and_then(Value::as_str) {
            return Some(kind);
        }
        match schema.get("allOf") {
            Some(Value::Array(parts)) => parts.iter().find_map(|part| self.type_of(part)),
            _ => None,
        }
    }

    fn value(&self, schema: &Value, value: &Value, path: &str) -> Result<(), InvalidInput> {
        let schema = self.resolve(schema);
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            for part in parts {
                self.value(part, value, path)?;
            }
        }
        if value.is_null() {
            // `null` is how an absent optional value sometimes travels; typing is the
            // generated code's business.
            return Ok(());
        }
        let secret = schema.get("format").and_then(Value::as_str) == Some("password");
        let shown = |value: &Value| {
            if secret {
                "a secret".to_string()
            } else {
                show(value)
            }
        };

        if let Some(Value::Array(allowed)) = schema.get("enum")
            && !allowed.contains(value)
        {
            let listed: Vec<String> = allowed.iter().map(show).collect();
            return self.fail(path, format!("one of {}", listed.join(", ")), shown(value));
        }
        match value {
            Value::String(text) => self.string(schema, text, path, secret),
            Value::Number(number) => self.number(schema, number, path),
            Value::Array(items) => self.array(schema, items, path),
            Value::Object(members) => self.object(schema, members, path),
            Value::Bool(_) | Value::Null => Ok(()),
        }
    }

    fn string(
        &self,
        schema: &Value,
        text: &str,
        path: &str,
        secret: bool,
    ) -> Result<(), InvalidInput> {
        let length = text.chars().count() as u64;
        let found = || {
            if secret {
                format!("a secret of {length} characters")
            } else {
                format!("{} ({length} characters)", shorten(&format!("{text:?}")))
            }
        };
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
            && length < min
        {
            return self.fail(path, format!("at least {min} characters long"), found());
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
            && length > max
        {
            return self.fail(path, format!("at most {max} characters long"), found());
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            // A pattern the engine cannot compile is not the caller's fault: it is skipped.
            if let Ok(regex) = regex_lite::Regex::new(pattern)
                && !regex.is_match(text)
            {
                return self.fail(path, format!("text matching `{pattern}`"), found());
            }
        }
        Ok(())
    }

    fn number(
        &self,
        schema: &Value,
        number: &serde_json::Number,
        path: &str,
    ) -> Result<(), InvalidInput> {
        let Some(value) = number.as_f64() else {
            return Ok(());
        };
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && value < min
        {
            return self.fail(path, format!("at least {}", trim(min)), number.to_string());
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && value > max
        {
            return self.fail(path, format!("at most {}", trim(max)), number.to_string());
        }
        Ok(())
    }

    fn array(&self, schema: &Value, items: &[Value], path: &str) -> Result<(), InvalidInput> {
        let count = items.len() as u64;
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
            && count < min
        {
            return self.fail(
                path,
                format!("a list of at least {min} items"),
                count_of(count),
            );
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
            && count > max
        {
            return self.fail(
                path,
                format!("a list of at most {max} items"),
                count_of(count),
            );
        }
        if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
            for (index, item) in items.iter().enumerate() {
                if items[..index].contains(item) {
                    return self.fail(
                        &format!("{path}[{index}]"),
                        "different from the items before it".to_string(),
                        show(item),
                    );
                }
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (index, item) in items.iter().enumerate() {
                self.value(item_schema, item, &format!("{path}[{index}]"))?;
            }
        }
        Ok(())
    }

    fn object(
        &self,
        schema: &Value,
        members: &Map<String, Value>,
        path: &str,
    ) -> Result<(), InvalidInput> {
        let member_path = |name: &str| {
            if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            }
        };
        if let Some(Value::Array(required)) = schema.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !members.contains_key(name) {
                    return self.fail(&member_path(name), "present".to_string(), "missing".into());
                }
            }
        }
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (name, value) in members {
                if let Some(property) = properties.get(name) {
                    self.value(property, value, &member_path(name))?;
                }
            }
        }
        if let Some(additional @ Value::Object(_)) = schema.get("additionalProperties") {
            for (name, value) in members {
                self.value(additional, value, &member_path(name))?;
            }
        }
        Ok(())
    }
}

/// How many characters of a value an error quotes: enough to recognise it, bounded so that a
/// megabyte of text does not end up in a message.
const SHOWN: usize = 64;

fn show(value: &Value) -> String {
    let text = match value {
        Value::String(text) => format!("{text:?}"),
        other => other.to_string(),
    };
    shorten(&text)
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn count_of(count: u64) -> String {
    format!("{count} item{}", if count == 1 { "" } else { "s" })
}

fn trim(number: f64) -> String {
    if number.fract() == 0.0 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schemas() -> Map<String, Value> {
        let schemas = json!({
            "Job": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": { "type": "string", "minLength": 4, "maxLength": 8 },
                    "port": { "type": "integer", "minimum": 1, "maximum": 65535 },
                    "password": { "type": "string", "format": "password", "maxLength": 3 },
                    "mode": { "type": "string", "enum": ["a", "b"] },
                    "tags": { "type": "array", "maxItems": 1, "items": { "type": "string" } }
                }
            }
        });
        match schemas {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    fn check_job(job: Value) -> Result<(), InvalidInput> {
        let schemas = schemas();
        let checker = Checker {
            operation: "op",
            schemas: &schemas,
        };
        let body = json!({ "jobs": [job] });
        let schema = json!({
            "type": "object",
            "properties": { "jobs": { "type": "array", "items": { "$ref": "#/components/schemas/Job" } } }
        });
        checker.value(&schema, &body, "")
    }

    #[test]
    fn each_constraint_names_the_field_and_what_it_expected() {
        assert_eq!(check_job(json!({ "name": "abcd", "port": 22 })), Ok(()));
        let cases = [
            (json!({}), "jobs[0].name", "present", "missing"),
            (
                json!({ "name": "abc" }),
                "jobs[0].name",
                "at least 4 characters long",
                "\"abc\" (3 characters)",
            ),
            (
                json!({ "name": "abcdefghi" }),
                "jobs[0].name",
                "at most 8 characters long",
                "\"abcdefghi\" (9 characters)",
            ),
            (
                json!({ "name": "abcd", "port": 0 }),
                "jobs[0].port",
                "at least 1",
                "0",
            ),
            (
                json!({ "name": "abcd", "port": 70000 }),
                "jobs[0].port",
                "at most 65535",
                "70000",
            ),
            (
                json!({ "name": "abcd", "mode": "c" }),
                "jobs[0].mode",
                "one of \"a\", \"b\"",
                "\"c\"",
            ),
            (
                json!({ "name": "abcd", "tags": ["x", "y"] }),
                "jobs[0].tags",
                "a list of at most 1 items",
                "2 items",
            ),
        ];
        for (job, field, expected, found) in cases {
            let error = check_job(job.clone()).expect_err(&job.to_string());
            assert_eq!(
                (
                    error.field.as_str(),
                    error.expected.as_str(),
                    error.found.as_str()
                ),
                (field, expected, found)
            );
        }
    }

    #[test]
    fn query_values_are_checked_as_what_their_schema_resolves_to() {
        let schemas = match json!({
            "Status": { "type": "integer", "enum": [0, 2, 27] },
            "Flag": { "type": "boolean" }
        }) {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let checker = Checker {
            operation: "op",
            schemas: &schemas,
        };
        let status = json!({ "$ref": "#/components/schemas/Status" });
        let wrapped = json!({ "allOf": [{ "$ref": "#/components/schemas/Flag" }] });
        assert_eq!(checker.type_of(&status), Some("integer"));
        assert_eq!(checker.type_of(&wrapped), Some("boolean"));

        let two = query_value(checker.type_of(&status), "2");
        assert_eq!(two, json!(2));
        assert_eq!(checker.value(&status, &two, "status"), Ok(()));
        let one = query_value(Some("integer"), "1");
        assert_eq!(
            checker.value(&status, &one, "status").unwrap_err().found,
            "1"
        );
        assert_eq!(query_value(Some("number"), "1.5"), json!(1.5));
        assert_eq!(query_value(Some("integer"), "two"), json!("two"));
        assert_eq!(query_value(Some("boolean"), "true"), json!(true));
        assert_eq!(query_value(None, "2"), json!("2"));
    }

    #[test]
    fn a_long_value_is_quoted_only_in_part() {
        let name = "n".repeat(100_000);
        let error = check_job(json!({ "name": name })).unwrap_err();
        assert_eq!(error.field, "jobs[0].name");
        assert!(
            error.found.ends_with("… (100000 characters)"),
            "{}",
            error.found
        );
        assert!(
            error.to_string().len() < 300,
            "{} characters",
            error.to_string().len()
        );
    }

    #[test]
    fn a_secret_is_never_shown() {
        let error = check_job(json!({ "name": "abcd", "password": "hunter2" })).unwrap_err();
        assert_eq!(error.field, "jobs[0].password");
        assert_eq!(error.found, "a secret of 7 characters");
        assert!(!error.to_string().contains("hunter2"));
    }

    #[test]
    fn the_generated_rules_parse_and_cover_every_operation_with_a_body() {
        let rules = all_rules();
        assert!(
            rules.operations.len() >= 40,
            "{} operations",
            rules.operations.len()
        );
        assert!(rules.operations.contains_key("batch_create_jobs"));
        assert!(rules.schemas.contains_key("Endpoint"));
    }
}
