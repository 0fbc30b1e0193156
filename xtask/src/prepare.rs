//! Rewrites the spec into the input progenitor gets. The spec stays a faithful description of the
//! service; this copy is shaped for a client that decodes leniently:
//!
//! - string enumerations become named schemas replaced by hand-rolled open enums, so that a
//!   value the service adds later decodes as `Unknown` instead of failing;
//! - `format: password` strings become `Secret`, which redacts itself in `Debug`;
//! - defaults and validation keywords move into the doc text: typify would otherwise turn them
//!   into serialized defaults (breaking lossless round trips) and checked newtypes (rejecting a
//!   response the service sends outside its documented bounds). Validation before sending belongs
//!   to the ergonomic crate.

use anyhow::Result;
use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};

use crate::{fail_on, spec};

/// The name of the schema every password field is rewritten to.
pub const SECRET: &str = "Secret";

/// The generator's input, and the enumerations it must emit itself.
pub struct Prepared {
    pub document: Value,
    pub enums: Vec<OpenEnum>,
}

/// A string enumeration that becomes an open Rust enum.
pub struct OpenEnum {
    pub name: String,
    pub description: String,
    pub values: Vec<String>,
}

/// Keywords typify would turn into defaults or validating newtypes.
const MOVED_TO_DOCS: [&str; 11] = [
    "default",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "uniqueItems",
];

pub fn for_generator(spec: &Value) -> Result<Prepared> {
    let mut document = spec.clone();
    let mut schemas = std::mem::take(&mut document["components"]["schemas"])
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut hoisted = Map::new();
    let mut problems = Vec::new();

    for (name, schema) in schemas.iter_mut() {
        if is_string_enum(schema) {
            continue;
        }
        rewrite(schema, name, true, &mut hoisted);
    }
    for (name, schema) in hoisted {
        if schemas.contains_key(&name) {
            problems.push(format!(
                "the enumeration hoisted as `{name}` collides with a schema of that name"
            ));
        }
        schemas.insert(name, schema);
    }
    schemas.insert(
        SECRET.to_string(),
        json!({ "type": "string", "description": "A password or key; redacted in `Debug`." }),
    );

    let mut enums = Vec::new();
    for (name, schema) in &mut schemas {
        if is_string_enum(schema) {
            enums.push(OpenEnum {
                name: name.clone(),
                description: describe(schema),
                values: spec::strings(&schema["enum"]).map(str::to_string).collect(),
            });
        }
    }
    fail_on(problems, "the spec cannot be prepared for the generator")?;

    document["components"]["schemas"] = Value::Object(schemas);
    strip_examples(&mut document["paths"]);
    drop_get_bodies(&mut document["paths"]);
    rewrite_parameters(&mut document);
    Ok(Prepared { document, enums })
}

fn is_string_enum(schema: &Value) -> bool {
    schema["type"] == "string" && schema.get("enum").is_some()
}

/// Rewrites one schema in place; `owner` names the type the schema belongs to, from which
/// hoisted enumerations take their names.
fn rewrite(schema: &mut Value, owner: &str, top: bool, hoisted: &mut Map<String, Value>) {
    let required: Vec<String> = spec::strings(&schema["required"])
        .map(str::to_string)
        .collect();
    let Some(map) = schema.as_object_mut() else {
        return;
    };

    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (property, property_schema) in properties.iter_mut() {
            let hoisted_name = format!("{owner}{}", property.to_upper_camel_case());
            rewrite_field(property_schema, &hoisted_name, hoisted);
            if !required.contains(property) {
                keep_empty_collections(property_schema);
            }
        }
    }
    if let Some(items) = map.get_mut("items") {
        rewrite_field(items, &format!("{owner}Item"), hoisted);
    }
    if !top {
        return;
    }
    move_constraints_to_docs(map);
    if map.contains_key("enum") {
        open_number_enum(map);
    }
}

/// An enumeration of numbers is carried as the plain number: its values stay in the
/// description, and an undocumented value still decodes.
fn open_number_enum(map: &mut Map<String, Value>) {
    let values = map.remove("enum").unwrap_or_default();
    append_doc(
        map,
        &format!("Documented values: {}.", join_values(&values)),
    );
}

/// Rewrites the schema of one field (a property or array items).
fn rewrite_field(schema: &mut Value, hoisted_name: &str, hoisted: &mut Map<String, Value>) {
    if let Some(items) = schema.get_mut("items") {
        rewrite_field(items, &format!("{hoisted_name}Item"), hoisted);
    }
    fold_nullable_reference(schema);
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    move_constraints_to_docs(map);

    if map.get("type").is_some_and(|kind| kind == "string")
        && map.get("format").is_some_and(|f| f == "password")
    {
        let description = map.get("description").cloned();
        *schema = reference_with_description(SECRET, description);
        return;
    }
    if map.contains_key("enum") {
        if map.get("type").is_some_and(|kind| kind == "string") {
            let description = map.get("description").cloned();
            let enum_schema = Value::Object(map.clone());
            hoisted.insert(hoisted_name.to_string(), enum_schema);
            *schema = reference_with_description(hoisted_name, description);
        } else {
            open_number_enum(map);
        }
        return;
    }
    if map
        .get("format")
        .is_some_and(|f| !matches!(f.as_str(), Some("int32" | "int64" | "float" | "double")))
    {
        // uuid, date-time and other string formats would become strictly parsed types.
        let format = map.remove("format").unwrap_or_default();
        append_doc(
            map,
            &format!("Format: {}.", format.as_str().unwrap_or_default()),
        );
    }
    if let (Some(Value::String(target)), Some(description)) =
        (map.get("$ref").cloned(), map.get("description").cloned())
    {
        *schema = json!({ "description": description, "allOf": [{ "$ref": target }] });
    }
}

/// OpenAPI 3.0 makes a reference nullable only as an `anyOf` of the reference and a schema that
/// admits nothing but `null`; typify would turn that into a struct of two flattened options. The
/// single-member `allOf` beside `nullable: true` that replaces it becomes an `Option` of the
/// referenced type.
fn fold_nullable_reference(schema: &mut Value) {
    let Some(reference) = spec::nullable_reference(schema).cloned() else {
        return;
    };
    if let Some(map) = schema.as_object_mut() {
        map.remove("anyOf");
        map.insert("nullable".into(), Value::Bool(true));
        map.insert("allOf".into(), Value::Array(vec![reference]));
    }
}

/// typify represents an optional array (or map) as a `Vec` that is left out when empty, so `[]`
/// would not survive a round trip. Marked nullable, it becomes an `Option<Vec<_>>`: absent and `[]`
/// stay apart.
fn keep_empty_collections(schema: &mut Value) {
    let is_map = schema["type"] == "object" && schema.get("additionalProperties").is_some();
    if schema["type"] == "array" || is_map {
        schema["nullable"] = Value::Bool(true);
    }
}

/// A field that refers to a named type and keeps its own description: typify reads the metadata
/// of a single-member `allOf`, whereas OpenAPI 3.0 ignores siblings of `$ref`.
fn reference_with_description(name: &str, description: Option<Value>) -> Value {
    let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
    match description {
        Some(description) => json!({ "description": description, "allOf": [reference] }),
        None => reference,
    }
}

fn move_constraints_to_docs(map: &mut Map<String, Value>) {
    let mut notes = Vec::new();
    for keyword in MOVED_TO_DOCS {
        if let Some(value) = map.remove(keyword) {
            notes.push(format!("{keyword}: `{value}`"));
        }
    }
    if !notes.is_empty() {
        append_doc(map, &format!("Constraints: {}.", notes.join(", ")));
    }
}

fn append_doc(map: &mut Map<String, Value>, note: &str) {
    let text = match map.get("description").and_then(Value::as_str) {
        Some(existing) if !existing.is_empty() => format!("{existing}\n\n{note}"),
        _ => note.to_string(),
    };
    map.insert("description".into(), Value::String(text));
}

fn join_values(values: &Value) -> String {
    values
        .as_array()
        .into_iter()
        .flatten()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(schema: &Value) -> String {
    schema["description"]
        .as_str()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// A GET carries no body in HTTP clients and servers that follow RFC 9110, and the one GET
/// whose table documents a body (4.1.37) sends none in its example; the client does the same.
fn drop_get_bodies(paths: &mut Value) {
    for item in paths
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
    {
        if let Some(get) = item.get_mut("get").and_then(Value::as_object_mut) {
            get.remove("requestBody");
        }
    }
}

/// Examples matter to the tests, not to the generator.
fn strip_examples(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("examples");
            map.remove("example");
            map.values_mut().for_each(strip_examples);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_examples),
        _ => {}
    }
}

/// Parameters carry constraints too; keep their schemas plain for the same reasons as fields.
fn rewrite_parameters(document: &mut Value) {
    let mut rewrite_one = |parameter: &mut Value| {
        if let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut) {
            move_constraints_to_docs(schema);
            if schema
                .get("format")
                .is_some_and(|f| !matches!(f.as_str(), Some("int32" | "int64")))
            {
                schema.remove("format");
            }
        }
    };
    if let Some(shared) = document["components"]["parameters"].as_object_mut() {
        shared.values_mut().for_each(&mut rewrite_one);
    }
    if let Some(paths) = document["paths"].as_object_mut() {
        for item in paths.values_mut() {
            for method in spec::HTTP_METHODS {
                let parameters = item
                    .get_mut(method)
                    .and_then(|operation| operation.get_mut("parameters"));
                if let Some(list) = parameters.and_then(Value::as_array_mut) {
                    list.iter_mut().for_each(&mut rewrite_one);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn prepared() -> Prepared {
        let spec = json!({
            "paths": {},
            "components": { "schemas": {
                "Job": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string", "minLength": 4, "maxLength": 50, "description": "Job name." },
                        "db_password": { "type": "string", "format": "password" },
                        "node_type": { "type": "string", "enum": ["micro", "high"], "default": "high" },
                        "children": { "type": "array", "items": { "type": "string" } },
                        "direction": { "description": "Direction.", "$ref": "#/components/schemas/Direction" },
                        "parent": {
                            "description": "Parent job.",
                            "anyOf": [
                                { "$ref": "#/components/schemas/Job" },
                                { "type": "object", "nullable": true, "enum": [null] }
                            ]
                        }
                    }
                },
                "Direction": { "type": "string", "enum": ["up", "down"] },
                "Status": { "type": "integer", "enum": [0, 2] }
            } }
        });
        for_generator(&spec).expect("prepares")
    }

    #[test]
    fn passwords_become_secrets_and_keep_their_description() {
        let prepared = prepared();
        let field = &prepared.document["components"]["schemas"]["Job"]["properties"]["db_password"];
        assert_eq!(field, &json!({ "$ref": "#/components/schemas/Secret" }));
        assert!(prepared.document["components"]["schemas"]["Secret"].is_object());
    }

    #[test]
    fn inline_enumerations_are_hoisted_and_every_string_enumeration_is_open() {
        let prepared = prepared();
        let schemas = &prepared.document["components"]["schemas"];
        assert_eq!(
            schemas["Job"]["properties"]["node_type"]["allOf"][0]["$ref"],
            "#/components/schemas/JobNodeType"
        );
        let names: Vec<&str> = prepared.enums.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Direction", "JobNodeType"]);
        assert_eq!(prepared.enums[1].values, ["micro", "high"]);
    }

    #[test]
    fn defaults_and_bounds_move_into_the_documentation() {
        let prepared = prepared();
        let schemas = &prepared.document["components"]["schemas"];
        let name = &schemas["Job"]["properties"]["name"];
        assert!(name.get("minLength").is_none() && name.get("maxLength").is_none());
        assert_eq!(
            name["description"],
            "Job name.\n\nConstraints: minLength: `4`, maxLength: `50`."
        );
        assert!(schemas["JobNodeType"].get("default").is_none());
        assert!(
            schemas["JobNodeType"]["description"]
                .as_str()
                .unwrap()
                .contains("default: `\"high\"`")
        );
    }

    #[test]
    fn optional_arrays_keep_empty_apart_from_absent_and_refs_keep_their_text() {
        let prepared = prepared();
        let properties = &prepared.document["components"]["schemas"]["Job"]["properties"];
        assert_eq!(properties["children"]["nullable"], true);
        assert_eq!(
            properties["direction"],
            json!({ "description": "Direction.", "allOf": [{ "$ref": "#/components/schemas/Direction" }] })
        );
    }

    #[test]
    fn a_reference_or_null_becomes_a_nullable_single_member_all_of() {
        let prepared = prepared();
        let parent = &prepared.document["components"]["schemas"]["Job"]["properties"]["parent"];
        assert_eq!(
            parent,
            &json!({
                "description": "Parent job.",
                "nullable": true,
                "allOf": [{ "$ref": "#/components/schemas/Job" }]
            })
        );
    }

    #[test]
    fn number_enumerations_stay_plain_numbers() {
        let prepared = prepared();
        let status = &prepared.document["components"]["schemas"]["Status"];
        assert!(status.get("enum").is_none());
        assert_eq!(status["description"], "Documented values: `0`, `2`.");
    }
}
