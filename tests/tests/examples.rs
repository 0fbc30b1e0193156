//! Every example the spec embeds, checked three ways: it validates against its schema with an
//! independent JSON Schema validator, it survives decoding into the generated type and encoding
//! back, and its typed form is recorded as a snapshot so that a regeneration changing a type
//! shows up in review.

use drs_tests::generated::roundtrip;
use drs_tests::json::{first_difference, without_nulls};
use drs_tests::spec;
use serde_json::{Value, json};

/// OpenAPI 3.0 schemas read as JSON Schema draft 4 once `nullable` becomes a `null` type and
/// the annotation-only `format` is dropped; objects are closed, so that an example using an
/// undocumented member fails.
fn as_json_schema(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, member) in map {
                if key == "format" && member.is_string() {
                    continue;
                }
                out.insert(key.clone(), as_json_schema(member));
            }
            // Examples may only use documented members.
            if out.contains_key("properties") && !out.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            if out.remove("nullable") == Some(Value::Bool(true)) {
                return match out.get("type").cloned() {
                    Some(Value::String(kind)) => {
                        out.insert("type".into(), json!([kind, "null"]));
                        if let Some(Value::Array(values)) = out.get_mut("enum")
                            && !values.contains(&Value::Null)
                        {
                            values.push(Value::Null);
                        }
                        Value::Object(out)
                    }
                    _ => json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] }),
                };
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(as_json_schema).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_example_validates_against_its_schema() {
    let schemas = as_json_schema(&spec::document()["components"]["schemas"]);
    let mut failures = Vec::new();
    let examples = spec::examples();
    for example in &examples {
        let root = json!({
            "$ref": format!("#/components/schemas/{}", example.schema),
            "components": { "schemas": schemas },
        });
        let validator = jsonschema::draft4::new(&root).expect("the spec's schemas compile");
        for error in validator.iter_errors(example.value) {
            failures.push(format!(
                "{}: at `{}`: {error}",
                example.label(),
                error.instance_path()
            ));
        }
    }
    assert!(!examples.is_empty(), "the spec embeds no examples");
    assert!(
        failures.is_empty(),
        "{} example error(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_example_round_trips_through_its_type() {
    let mut failures = Vec::new();
    for example in spec::examples() {
        let decoded = roundtrip(example.schema, example.value)
            .unwrap_or_else(|| panic!("no Rust type for schema {}", example.schema));
        match decoded {
            Err(error) => failures.push(format!(
                "{}: does not decode into {}: {error}",
                example.label(),
                example.schema
            )),
            Ok(decoded) => {
                if let Some(difference) =
                    first_difference(&without_nulls(example.value), &decoded.encoded)
                {
                    failures.push(format!("{}: {difference}", example.label()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} round trip failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_example_has_a_snapshot_of_its_typed_value() {
    for example in spec::examples() {
        let decoded = roundtrip(example.schema, example.value)
            .expect("every schema has a type")
            .unwrap_or_else(|error| panic!("{}: {error}", example.label()));
        let text = format!("{}\n\n{}", example.schema, decoded.debug);
        insta::assert_snapshot!(example.label(), text);
    }
}

#[test]
fn every_operation_documents_at_least_one_example() {
    let bare: Vec<&str> = spec::operations()
        .iter()
        .filter(|operation| {
            operation.examples().is_empty() && operation.request_examples().is_empty()
        })
        .map(|operation| operation.id)
        .collect();
    assert!(bare.is_empty(), "operations without any example: {bare:?}");
}
