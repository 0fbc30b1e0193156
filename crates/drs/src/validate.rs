//! Checks a request against the constraints the reference documents (required members,
//! enumerations, lengths, ranges, patterns, item counts) before it is sent, so that a mistake is
//! reported with the field's path instead of as the service's `DRS.M00202`.
//!
//! The rules are the request schemas of the spec, reduced to their constraint keywords by
//! `cargo xtask generate` (see `constraints.rs`). On first use they are compiled into a table of
//! [`Rule`]s, references resolved and patterns compiled, so that checking a request walks plain
//! fields; a field's path is only written out when the field breaks a rule.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::constraints::RULES;
use crate::error::InvalidInput;

/// The compiled rules: every schema, and what each operation checks.
struct Rules {
    rules: Vec<Rule>,
    operations: HashMap<String, OperationRules>,
}

/// What one operation checks: query parameters by name, and the JSON body.
pub(crate) struct OperationRules {
    query: Vec<(String, RuleId)>,
    body: Option<RuleId>,
}

type RuleId = usize;

/// One schema's constraints. A `$ref` is not a rule of its own: it stands for its target.
#[derive(Default)]
struct Rule {
    /// The declared type, which says how a query parameter's text is read.
    kind: Option<String>,
    /// `format: password`: the value is never shown in an error.
    secret: bool,
    all_of: Vec<RuleId>,
    enumeration: Option<Vec<Value>>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    /// The pattern as written, and compiled; a pattern the engine cannot compile is not the
    /// caller's fault and is not checked.
    pattern: Option<(String, Option<regex_lite::Regex>)>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    unique_items: bool,
    items: Option<RuleId>,
    required: Vec<String>,
    properties: HashMap<String, RuleId>,
    additional: Option<RuleId>,
}

fn all_rules() -> &'static Rules {
    static COMPILED: OnceLock<Rules> = OnceLock::new();
    COMPILED.get_or_init(|| {
        // The text is generated from the spec and checked by the crate's tests, so a parse
        // failure is a build defect; it degrades to "no rules" rather than a panic.
        let document: Value = serde_json::from_str(RULES).unwrap_or_default();
        Rules::compile(&document)
    })
}

impl Rules {
    /// Compiles `{"operations": {id: {"query": {name: schema}, "body": schema}}, "schemas": {…}}`.
    fn compile(document: &Value) -> Self {
        let empty = Map::new();
        let schemas = document["schemas"].as_object().unwrap_or(&empty);
        let mut compiler = Compiler {
            named: HashMap::new(),
            rules: Vec::new(),
        };
        // Every named schema gets its place first, so that references (even cyclic ones)
        // resolve to it.
        for name in schemas.keys() {
            let id = compiler.reserve();
            compiler.named.insert(name.clone(), id);
        }
        for (name, schema) in schemas {
            let rule = compiler.rule(schema);
            let id = compiler.named[name.as_str()];
            compiler.rules[id] = rule;
        }

        let mut operations = HashMap::new();
        for (id, rules) in document["operations"].as_object().unwrap_or(&empty) {
            let query = rules["query"]
                .as_object()
                .unwrap_or(&empty)
                .iter()
                .map(|(name, schema)| (name.clone(), compiler.compile(schema)))
                .collect();
            let body = rules.get("body").map(|schema| compiler.compile(schema));
            operations.insert(id.clone(), OperationRules { query, body });
        }
        Self {
            rules: compiler.rules,
            operations,
        }
    }
}

struct Compiler {
    named: HashMap<String, RuleId>,
    rules: Vec<Rule>,
}

impl Compiler {
    fn reserve(&mut self) -> RuleId {
        self.rules.push(Rule::default());
        self.rules.len() - 1
    }

    /// The rule of `schema`: the named rule it refers to, or a new one.
    fn compile(&mut self, schema: &Value) -> RuleId {
        if let Some(id) = self.reference(schema) {
            return id;
        }
        let rule = self.rule(schema);
        self.rules.push(rule);
        self.rules.len() - 1
    }

    fn reference(&self, schema: &Value) -> Option<RuleId> {
        let target = schema.get("$ref")?.as_str()?;
        let name = target.rsplit('/').next().unwrap_or(target);
        self.named.get(name).copied()
    }

    fn rule(&mut self, schema: &Value) -> Rule {
        if let Some(id) = self.reference(schema) {
            // A named schema that is only a reference: it checks what its target checks.
            return Rule {
                all_of: vec![id],
                ..Rule::default()
            };
        }
        let text = |key: &str| schema.get(key).and_then(Value::as_str).map(str::to_string);
        let count = |key: &str| schema.get(key).and_then(Value::as_u64);
        let number = |key: &str| schema.get(key).and_then(Value::as_f64);
        let mut rule = Rule {
            kind: text("type"),
            secret: schema.get("format").and_then(Value::as_str) == Some("password"),
            enumeration: schema.get("enum").and_then(Value::as_array).cloned(),
            min_length: count("minLength"),
            max_length: count("maxLength"),
            pattern: text("pattern").map(|pattern| {
                let regex = regex_lite::Regex::new(&pattern).ok();
                (pattern, regex)
            }),
            minimum: number("minimum"),
            maximum: number("maximum"),
            min_items: count("minItems"),
            max_items: count("maxItems"),
            unique_items: schema.get("uniqueItems") == Some(&Value::Bool(true)),
            required: schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            ..Rule::default()
        };
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            rule.all_of = parts.iter().map(|part| self.compile(part)).collect();
        }
        if let Some(items) = schema.get("items") {
            rule.items = Some(self.compile(items));
        }
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (name, property) in properties {
                let id = self.compile(property);
                rule.properties.insert(name.clone(), id);
            }
        }
        if let Some(additional @ Value::Object(_)) = schema.get("additionalProperties") {
            rule.additional = Some(self.compile(additional));
        }
        rule
    }
}

/// Where a value sits in the request, written out only for an error: `jobs[0].name`.
#[derive(Clone, Copy)]
enum FieldPath<'a> {
    Body,
    Member(&'a FieldPath<'a>, &'a str),
    Item(&'a FieldPath<'a>, usize),
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Body => Ok(()),
            Self::Member(Self::Body, name) => f.write_str(name),
            Self::Member(parent, name) => write!(f, "{parent}.{name}"),
            Self::Item(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// The rules of one operation.
pub(crate) fn rules(operation: &str) -> Option<&'static OperationRules> {
    all_rules().operations.get(operation)
}

/// Checks the query parameters of `url` and the JSON `body` of a request to `operation`. The
/// query is read and the body parsed only when the operation has rules for them.
pub(crate) fn check(
    operation: &'static str,
    rules: &OperationRules,
    url: &reqwest::Url,
    body: Option<&[u8]>,
) -> Result<(), InvalidInput> {
    let query: Vec<(String, String)> = if rules.query.is_empty() {
        Vec::new()
    } else {
        url.query_pairs()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect()
    };
    let body: Option<Value> = match (rules.body, body) {
        // A body that is not JSON is not the generated code's: there is nothing to check.
        (Some(_), Some(bytes)) if !bytes.is_empty() => serde_json::from_slice(bytes).ok(),
        _ => None,
    };
    check_with(all_rules(), operation, rules, &query, body.as_ref())
}

fn check_with(
    compiled: &Rules,
    operation: &'static str,
    rules: &OperationRules,
    query: &[(String, String)],
    body: Option<&Value>,
) -> Result<(), InvalidInput> {
    let checker = Checker {
        operation,
        rules: &compiled.rules,
    };
    for (name, id) in &rules.query {
        if let Some((_, raw)) = query.iter().find(|(key, _)| key == name) {
            let value = query_value(compiled.kind_of(*id), raw);
            checker.value(*id, &value, &FieldPath::Member(&FieldPath::Body, name))?;
        }
    }
    if let (Some(id), Some(body)) = (rules.body, body) {
        checker.value(id, body, &FieldPath::Body)?;
    }
    Ok(())
}

/// A query parameter's text as the value it spells, so that `2` is checked as the integer of
/// an integer enumeration and `true` as a boolean: integers stay integers (a JSON `2.0` is not
/// the enumeration value `2`).
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

impl Rules {
    /// The declared type of a rule, looking through the `allOf` of a schema that only wraps
    /// another (a bounded walk: the rules come from the spec, but a cycle must not hang).
    fn kind_of(&self, id: RuleId) -> Option<&str> {
        let mut current = id;
        for _ in 0..8 {
            let rule = self.rules.get(current)?;
            if let Some(kind) = rule.kind.as_deref() {
                return Some(kind);
            }
            current = *rule.all_of.first()?;
        }
        None
    }
}

struct Checker<'a> {
    operation: &'static str,
    rules: &'a [Rule],
}

impl Checker<'_> {
    fn fail(
        &self,
        path: &FieldPath<'_>,
        expected: String,
        found: String,
    ) -> Result<(), InvalidInput> {
        Err(InvalidInput {
            operation: self.operation,
            field: match path {
                FieldPath::Body => "(body)".to_string(),
                path => path.to_string(),
            },
            expected,
            found,
        })
    }

    fn value(&self, id: RuleId, value: &Value, path: &FieldPath<'_>) -> Result<(), InvalidInput> {
        let rule = &self.rules[id];
        for part in &rule.all_of {
            self.value(*part, value, path)?;
        }
        if value.is_null() {
            // `null` is how an absent optional value sometimes travels; typing is the
            // generated code's business.
            return Ok(());
        }
        let shown = |value: &Value| {
            if rule.secret {
                "a secret".to_string()
            } else {
                show(value)
            }
        };

        if let Some(allowed) = &rule.enumeration
            && !allowed.contains(value)
        {
            let listed: Vec<String> = allowed.iter().map(show).collect();
            return self.fail(path, format!("one of {}", listed.join(", ")), shown(value));
        }
        match value {
            Value::String(text) => self.string(rule, text, path),
            Value::Number(number) => self.number(rule, number, path),
            Value::Array(items) => self.array(rule, items, path),
            Value::Object(members) => self.object(rule, members, path),
            Value::Bool(_) | Value::Null => Ok(()),
        }
    }

    fn string(&self, rule: &Rule, text: &str, path: &FieldPath<'_>) -> Result<(), InvalidInput> {
        if rule.min_length.is_none() && rule.max_length.is_none() && rule.pattern.is_none() {
            return Ok(());
        }
        let length = text.chars().count() as u64;
        let found = || {
            if rule.secret {
                format!("a secret of {length} characters")
            } else {
                format!("{} ({length} characters)", shorten(&format!("{text:?}")))
            }
        };
        if let Some(min) = rule.min_length
            && length < min
        {
            return self.fail(path, format!("at least {min} characters long"), found());
        }
        if let Some(max) = rule.max_length
            && length > max
        {
            return self.fail(path, format!("at most {max} characters long"), found());
        }
        if let Some((pattern, Some(regex))) = &rule.pattern
            && !regex.is_match(text)
        {
            return self.fail(path, format!("text matching `{pattern}`"), found());
        }
        Ok(())
    }

    fn number(
        &self,
        rule: &Rule,
        number: &serde_json::Number,
        path: &FieldPath<'_>,
    ) -> Result<(), InvalidInput> {
        let Some(value) = number.as_f64() else {
            return Ok(());
        };
        if let Some(min) = rule.minimum
            && value < min
        {
            return self.fail(path, format!("at least {}", trim(min)), number.to_string());
        }
        if let Some(max) = rule.maximum
            && value > max
        {
            return self.fail(path, format!("at most {}", trim(max)), number.to_string());
        }
        Ok(())
    }

    fn array(
        &self,
        rule: &Rule,
        items: &[Value],
        path: &FieldPath<'_>,
    ) -> Result<(), InvalidInput> {
        let count = items.len() as u64;
        if let Some(min) = rule.min_items
            && count < min
        {
            return self.fail(
                path,
                format!("a list of at least {min} items"),
                count_of(count),
            );
        }
        if let Some(max) = rule.max_items
            && count > max
        {
            return self.fail(
                path,
                format!("a list of at most {max} items"),
                count_of(count),
            );
        }
        if rule.unique_items {
            for (index, item) in items.iter().enumerate() {
                if items[..index].contains(item) {
                    return self.fail(
                        &FieldPath::Item(path, index),
                        "different from the items before it".to_string(),
                        show(item),
                    );
                }
            }
        }
        if let Some(item_rule) = rule.items {
            for (index, item) in items.iter().enumerate() {
                self.value(item_rule, item, &FieldPath::Item(path, index))?;
            }
        }
        Ok(())
    }

    fn object(
        &self,
        rule: &Rule,
        members: &Map<String, Value>,
        path: &FieldPath<'_>,
    ) -> Result<(), InvalidInput> {
        for name in &rule.required {
            if !members.contains_key(name) {
                return self.fail(
                    &FieldPath::Member(path, name),
                    "present".to_string(),
                    "missing".into(),
                );
            }
        }
        if !rule.properties.is_empty() {
            for (name, value) in members {
                if let Some(property) = rule.properties.get(name) {
                    self.value(*property, value, &FieldPath::Member(path, name))?;
                }
            }
        }
        if let Some(additional) = rule.additional {
            for (name, value) in members {
                self.value(additional, value, &FieldPath::Member(path, name))?;
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

    /// A document of the shape of `constraints.rs`: one operation whose body is a list of jobs.
    fn document() -> Value {
        let schemas = json!({
            "Job": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": { "type": "string", "minLength": 4, "maxLength": 8 },
                    "port": { "type": "integer", "minimum": 1, "maximum": 65535 },
                    "password": { "type": "string", "format": "password", "maxLength": 3 },
                    "mode": { "type": "string", "enum": ["a", "b"] },
                    "code": { "type": "string", "pattern": "^[a-z]+$" },
                    "tags": { "type": "array", "maxItems": 1, "items": { "type": "string" } }
                }
            }
        });
        json!({
            "operations": { "op": {
                "query": { "limit": { "type": "integer", "maximum": 10 } },
                "body": {
                    "type": "object",
                    "properties": { "jobs": { "type": "array", "items": { "$ref": "#/components/schemas/Job" } } }
                }
            } },
            "schemas": schemas
        })
    }

    fn check_job(job: Value) -> Result<(), InvalidInput> {
        let rules = Rules::compile(&document());
        let body = json!({ "jobs": [job] });
        check_with(&rules, "op", &rules.operations["op"], &[], Some(&body))
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
                json!({ "name": "abcd", "code": "A1" }),
                "jobs[0].code",
                "text matching `^[a-z]+$`",
                "\"A1\" (2 characters)",
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
    fn query_parameters_are_checked_as_the_values_they_spell() {
        let rules = Rules::compile(&document());
        let query = |value: &str| vec![("limit".to_string(), value.to_string())];
        let check =
            |value: &str| check_with(&rules, "op", &rules.operations["op"], &query(value), None);
        assert_eq!(check("10"), Ok(()));
        let error = check("11").unwrap_err();
        assert_eq!(
            (
                error.field.as_str(),
                error.expected.as_str(),
                error.found.as_str()
            ),
            ("limit", "at most 10", "11")
        );
    }

    #[test]
    fn an_integer_query_value_meets_an_integer_enumeration_behind_a_reference() {
        let document = json!({
            "operations": { "op": { "query": {
                "status": { "$ref": "#/components/schemas/Wrapper" }
            } } },
            "schemas": {
                "Status": { "type": "integer", "enum": [0, 2, 27] },
                "Wrapper": { "allOf": [{ "$ref": "#/components/schemas/Status" }] }
            }
        });
        let rules = Rules::compile(&document);
        let check = |value: &str| {
            let query = vec![("status".to_string(), value.to_string())];
            check_with(&rules, "op", &rules.operations["op"], &query, None)
        };
        assert_eq!(check("2"), Ok(()));
        assert_eq!(check("1").unwrap_err().found, "1");
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
        assert!(rules.operations["batch_create_jobs"].body.is_some());
        // The request schemas use four distinct patterns, all of which compile.
        let patterns: std::collections::BTreeSet<&str> = rules
            .rules
            .iter()
            .filter_map(|rule| rule.pattern.as_ref())
            .map(|(pattern, regex)| {
                assert!(regex.is_some(), "{pattern} compiles");
                pattern.as_str()
            })
            .collect();
        assert_eq!(patterns.len(), 4);
        assert!(patterns.contains("^[0-9]{2}:[0-9]{2}$"));
    }
}
