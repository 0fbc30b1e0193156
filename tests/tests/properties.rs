//! Property tests over the spec's own schemas: any instance the schema allows decodes into the
//! generated type and encodes back to the same JSON, and encoding never emits a member the
//! schema does not declare.

use drs_tests::generated::{SCHEMAS, roundtrip};
use drs_tests::instances::{of_schema, undeclared_members};
use drs_tests::json::{first_difference, without_nulls};
use drs_tests::spec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Cases per schema; `PROPTEST_CASES` raises it for a longer run.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

#[test]
fn instances_of_every_schema_round_trip() {
    let mut cases = 0u64;
    for &name in SCHEMAS {
        let mut runner = TestRunner::new(config());
        let result = runner.run(&of_schema(name), |value| {
            let decoded = roundtrip(name, &value).expect("every schema has a type");
            let decoded = decoded.map_err(|error| {
                TestCaseError::fail(format!("{name}: {value} does not decode: {error}"))
            })?;
            if let Some(difference) = first_difference(&without_nulls(&value), &decoded.encoded) {
                return Err(TestCaseError::fail(format!(
                    "{name}: {difference} (input {value})"
                )));
            }
            let undeclared = undeclared_members(spec::schema(name), &decoded.encoded, "$");
            prop_assert!(
                undeclared.is_empty(),
                "{name}: encoding emits undeclared {undeclared:?}"
            );
            Ok(())
        });
        if let Err(error) = result {
            panic!("schema {name}: {error}");
        }
        cases += u64::from(config().cases);
    }
    println!("{} schemas, {cases} generated cases", SCHEMAS.len());
}

#[test]
fn unknown_enum_values_round_trip() {
    for &name in SCHEMAS {
        let schema = spec::schema(name);
        if schema["type"] != "string" || schema.get("enum").is_none() {
            continue;
        }
        let value = serde_json::json!("A_VALUE_THE_REFERENCE_DOES_NOT_LIST");
        let decoded = roundtrip(name, &value)
            .expect("type")
            .expect("an unknown value decodes");
        assert_eq!(decoded.encoded, value, "{name}");
        assert!(
            decoded.debug.contains("Unknown"),
            "{name}: {}",
            decoded.debug
        );
    }
}
