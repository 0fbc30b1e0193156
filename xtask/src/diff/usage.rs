//! Where operations reach each named schema: following `$ref`s from parameters, request bodies
//! and responses, with the field path of every place a schema is used. This says whether callers
//! build a type (it is reached from a request) or only read it (reached from responses only).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::spec;

/// One place where an operation reaches a schema.
#[derive(Clone, Debug)]
pub struct Location {
    pub operation: String,
    /// "request body", "200 response", "query parameter".
    pub part: String,
    /// The field path from the body (or the parameter) to the schema: "jobs[]", or "" for the
    /// body itself.
    pub path: String,
    pub in_request: bool,
}

impl Location {
    /// The location of `field` inside the schema found here.
    pub fn describe(&self, field: &str) -> String {
        let path = join(&self.path, field);
        if path.is_empty() {
            format!("{} {}", self.operation, self.part)
        } else {
            format!("{} {}: {path}", self.operation, self.part)
        }
    }
}

/// Every place each schema is reached, by schema name.
pub type Usage = BTreeMap<String, Vec<Location>>;

pub fn usage(document: &Value) -> Usage {
    let mut found = Usage::new();
    for operation in spec::operations(document) {
        let name = if operation.id.is_empty() {
            format!("{} {}", operation.method.to_uppercase(), operation.path)
        } else {
            operation.id.to_string()
        };
        let mut walker = Walker {
            document,
            found: &mut found,
            operation: &name,
            stack: Vec::new(),
        };
        for parameter in spec::parameters(document, operation.body) {
            let part = format!("{} parameter", parameter["in"].as_str().unwrap_or("?"));
            let path = parameter["name"].as_str().unwrap_or("?");
            walker.walk(&parameter["schema"], &part, path, true);
        }
        for media in operation.body["requestBody"]["content"]
            .as_object()
            .into_iter()
            .flat_map(|content| content.values())
        {
            walker.walk(&media["schema"], "request body", "", true);
        }
        for (status, response) in operation.body["responses"]
            .as_object()
            .into_iter()
            .flatten()
        {
            for media in response["content"]
                .as_object()
                .into_iter()
                .flat_map(|content| content.values())
            {
                walker.walk(&media["schema"], &format!("{status} response"), "", false);
            }
        }
    }
    found
}

/// Joins two field paths: "jobs[]" and "name" give "jobs[].name".
pub fn join(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (true, _) => field.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{field}"),
    }
}

struct Walker<'a> {
    document: &'a Value,
    found: &'a mut Usage,
    operation: &'a str,
    /// The schemas being walked, so that a recursive schema is entered once per path.
    stack: Vec<String>,
}

impl Walker<'_> {
    fn walk(&mut self, schema: &Value, part: &str, path: &str, in_request: bool) {
        if let Some(name) = spec::schema_name(schema) {
            self.found
                .entry(name.to_string())
                .or_default()
                .push(Location {
                    operation: self.operation.to_string(),
                    part: part.to_string(),
                    path: path.to_string(),
                    in_request,
                });
            if !self.stack.iter().any(|seen| seen == name) {
                self.stack.push(name.to_string());
                let target = &self.document["components"]["schemas"][name];
                self.walk(target, part, path, in_request);
                self.stack.pop();
            }
            return;
        }
        for (field, field_schema) in schema["properties"].as_object().into_iter().flatten() {
            self.walk(field_schema, part, &join(path, field), in_request);
        }
        if schema.get("items").is_some() {
            self.walk(&schema["items"], part, &format!("{path}[]"), in_request);
        }
        if schema["additionalProperties"].is_object() {
            let entries = join(path, "*");
            self.walk(&schema["additionalProperties"], part, &entries, in_request);
        }
        for list in ["allOf", "oneOf", "anyOf"] {
            for member in schema[list].as_array().into_iter().flatten() {
                self.walk(member, part, path, in_request);
            }
        }
    }
}
