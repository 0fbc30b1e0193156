//! Passwords and keys never appear in `Debug` output of the generated types.

use drs_api::types;

#[test]
fn passwords_are_redacted_in_debug() {
    let endpoint: types::Endpoint = serde_json::from_value(serde_json::json!({
        "db_type": "mysql",
        "db_user": "root",
        "db_password": "Sup3r-Secret!",
        "ssl_cert_password": "Cert-Pass-1",
    }))
    .expect("an endpoint");
    let printed = format!("{endpoint:?} {endpoint:#?}");
    assert!(!printed.contains("Sup3r-Secret!"), "{printed}");
    assert!(!printed.contains("Cert-Pass-1"), "{printed}");
    assert!(
        printed.contains("root"),
        "non-secret fields still print: {printed}"
    );

    let encoded = serde_json::to_value(&endpoint).expect("encodes");
    assert_eq!(
        encoded["db_password"], "Sup3r-Secret!",
        "the wire still carries the password"
    );
}

#[test]
fn every_password_field_of_the_spec_is_a_secret() {
    // Walk the spec for `format: password` and check the generated field type by decoding a
    // document that sets only that field and looking for the value in Debug output.
    let document = drs_tests::spec::document();
    let mut checked = 0;
    for (schema, body) in document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        for (field, property) in body["properties"].as_object().into_iter().flatten() {
            if property["format"] != "password" {
                continue;
            }
            let mut value = serde_json::Map::new();
            for required in body["required"].as_array().into_iter().flatten() {
                let name = required.as_str().expect("names");
                value.insert(name.to_string(), minimal(&body["properties"][name]));
            }
            value.insert(field.clone(), serde_json::json!("P4ssw0rd-Leak"));
            let decoded =
                drs_tests::generated::roundtrip(schema, &serde_json::Value::Object(value))
                    .expect("a type")
                    .unwrap_or_else(|error| panic!("{schema}.{field}: {error}"));
            assert!(
                !decoded.debug.contains("P4ssw0rd-Leak"),
                "{schema}.{field} leaks: {}",
                decoded.debug
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "the spec marks no password");
}

/// The smallest value a required member can take.
fn minimal(schema: &serde_json::Value) -> serde_json::Value {
    let schema = match drs_tests::spec::schema_name(schema).or_else(|| {
        schema["allOf"][0]
            .get("$ref")
            .and(drs_tests::spec::schema_name(&schema["allOf"][0]))
    }) {
        Some(name) => drs_tests::spec::schema(name),
        None => schema,
    };
    if let Some(first) = schema["enum"].as_array().and_then(|values| values.first()) {
        return first.clone();
    }
    match schema["type"].as_str() {
        Some("array") => serde_json::json!([]),
        Some("integer") | Some("number") => {
            serde_json::json!(schema["minimum"].as_i64().unwrap_or(1))
        }
        Some("boolean") => serde_json::json!(false),
        Some("object") => serde_json::json!({}),
        _ => serde_json::json!("x".repeat(schema["minLength"].as_u64().unwrap_or(1) as usize)),
    }
}
