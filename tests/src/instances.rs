//! proptest strategies that generate JSON instances of the spec's schemas, honouring what the
//! schemas say: required members, enumerations, lengths, bounds, array sizes and nullability.
//! Optional members appear or not at random, so that every subset gets exercised.

use proptest::prelude::*;
use serde_json::{Map, Number, Value, json};

use crate::spec;

/// How deep a recursive structure (a job with child jobs) is followed before it stops.
const MAX_DEPTH: u32 = 3;

/// Instances of the named component schema.
pub fn of_schema(name: &str) -> BoxedStrategy<Value> {
    instances(spec::schema(name), 0)
}

fn instances(schema: &'static Value, depth: u32) -> BoxedStrategy<Value> {
    if let Some(name) = spec::schema_name(schema) {
        return instances(spec::schema(name), depth + 1);
    }
    if let Some([member]) = schema["allOf"].as_array().map(Vec::as_slice) {
        return instances(member, depth);
    }
    // A nullable reference: the reference, or a schema that admits only `null`.
    if let Some(members) = schema["anyOf"].as_array() {
        let members = members.iter().map(|member| instances(member, depth));
        return proptest::strategy::Union::new(members).boxed();
    }
    let strategy = if let Some(values) = schema["enum"].as_array() {
        let values: Vec<Value> = values
            .iter()
            .filter(|value| !value.is_null())
            .cloned()
            .collect();
        if values.is_empty() {
            Just(Value::Null).boxed()
        } else {
            proptest::sample::select(values).boxed()
        }
    } else {
        match schema["type"].as_str() {
            Some("object") => object(schema, depth),
            Some("array") => array(schema, depth),
            Some("string") => string(schema),
            Some("integer") => integer(schema),
            Some("number") => number(schema),
            Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
            _ => Just(json!("any")).boxed(),
        }
    };
    if schema["nullable"] == true {
        prop_oneof![1 => Just(Value::Null), 4 => strategy].boxed()
    } else {
        strategy
    }
}

fn object(schema: &'static Value, depth: u32) -> BoxedStrategy<Value> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut members: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, member) in schema["properties"].as_object().into_iter().flatten() {
        let is_required = required.contains(&name.as_str());
        if !is_required && depth >= MAX_DEPTH {
            continue;
        }
        let name = name.clone();
        let values = instances(member, depth).prop_map(move |value| Some((name.clone(), value)));
        if is_required {
            members.push(values.boxed());
        } else {
            members.push(prop_oneof![Just(None), values].boxed());
        }
    }
    if let Some(additional) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        let values =
            proptest::collection::btree_map("[a-z]{1,8}", instances(additional, depth + 1), 0..3);
        return (members, values)
            .prop_map(|(members, extra)| {
                let mut map: Map<String, Value> = extra.into_iter().collect();
                map.extend(members.into_iter().flatten());
                Value::Object(map)
            })
            .boxed();
    }
    members
        .prop_map(|members| Value::Object(members.into_iter().flatten().collect()))
        .boxed()
}

fn array(schema: &'static Value, depth: u32) -> BoxedStrategy<Value> {
    let min = schema["minItems"].as_u64().unwrap_or(0) as usize;
    let max = schema["maxItems"]
        .as_u64()
        .map_or(min + 3, |max| max.min(min as u64 + 3) as usize);
    let max = if depth >= MAX_DEPTH { min } else { max };
    let items = instances(&schema["items"], depth + 1);
    if schema["uniqueItems"] == true {
        return proptest::collection::vec(items, min..=max)
            .prop_map(|mut items| {
                let mut seen = Vec::new();
                items.retain(|item| {
                    let fresh = !seen.contains(item);
                    if fresh {
                        seen.push(item.clone());
                    }
                    fresh
                });
                Value::Array(items)
            })
            .prop_filter("uniqueItems drops below minItems", move |value| {
                value.as_array().is_some_and(|items| items.len() >= min)
            })
            .boxed();
    }
    proptest::collection::vec(items, min..=max)
        .prop_map(Value::Array)
        .boxed()
}

fn string(schema: &'static Value) -> BoxedStrategy<Value> {
    let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
    let max = schema["maxLength"]
        .as_u64()
        .map_or(min + 12, |max| max as usize)
        .min(min + 24);
    if let Some(pattern) = schema["pattern"].as_str() {
        // Patterns are anchored rules such as `^[A-Za-z][A-Za-z0-9_-]*$`; proptest generates
        // from the regex itself, and the length bounds are enforced by a filter.
        let inner = pattern
            .trim_start_matches('^')
            .trim_end_matches('$')
            .to_string();
        return proptest::string::string_regex(&inner)
            .expect("spec patterns are regexes proptest understands")
            .prop_filter("length bounds", move |text| {
                (min..=max).contains(&text.chars().count())
            })
            .prop_map(Value::String)
            .boxed();
    }
    proptest::collection::vec(
        prop_oneof![4 => proptest::char::range('a', 'z'), 1 => any::<char>()],
        min..=max,
    )
    .prop_map(|chars| Value::String(chars.into_iter().collect()))
    .boxed()
}

fn integer(schema: &'static Value) -> BoxedStrategy<Value> {
    let (low, high) = match schema["format"].as_str() {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let low = schema["minimum"].as_i64().unwrap_or(low);
    let high = schema["maximum"].as_i64().unwrap_or(high);
    (low..=high).prop_map(|value| json!(value)).boxed()
}

fn number(schema: &'static Value) -> BoxedStrategy<Value> {
    let low = schema["minimum"].as_f64().unwrap_or(-1e9);
    let high = schema["maximum"].as_f64().unwrap_or(1e9);
    (low..=high)
        .prop_map(|value| Number::from_f64(value).map_or(Value::Null, Value::Number))
        .boxed()
}

/// Every member of `value` that the schema does not declare, as key paths.
pub fn undeclared_members(schema: &'static Value, value: &Value, path: &str) -> Vec<String> {
    if let Some(name) = spec::schema_name(schema) {
        return undeclared_members(spec::schema(name), value, path);
    }
    if let Some([member]) = schema["allOf"].as_array().map(Vec::as_slice) {
        return undeclared_members(member, value, path);
    }
    // The value belongs to the alternative that declares the most of it.
    if let Some(members) = schema["anyOf"].as_array() {
        return members
            .iter()
            .map(|member| undeclared_members(member, value, path))
            .min_by_key(Vec::len)
            .unwrap_or_default();
    }
    match value {
        Value::Object(map) => {
            let properties = schema["properties"].as_object();
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            let mut found = Vec::new();
            for (key, member) in map {
                let at = format!("{path}.{key}");
                match (properties.and_then(|p| p.get(key)), additional) {
                    (Some(member_schema), _) => {
                        found.extend(undeclared_members(member_schema, member, &at))
                    }
                    (None, Some(additional)) => {
                        found.extend(undeclared_members(additional, member, &at))
                    }
                    (None, None) => found.push(at),
                }
            }
            found
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(index, item)| {
                undeclared_members(&schema["items"], item, &format!("{path}[{index}]"))
            })
            .collect(),
        _ => Vec::new(),
    }
}
