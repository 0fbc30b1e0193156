//! JSON comparison for round trips: numbers compare by value, and the first difference is
//! reported with its key path.

use serde_json::Value;

/// The generated types hold an absent field and a `null` one alike (`None`, not sent). A
/// document is compared with its `null` members removed; `null` array elements stay.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, member)| !member.is_null())
                .map(|(key, member)| (key.clone(), without_nulls(member)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// The first difference between `expected` and `actual`, as `path: what`; `None` if equal.
pub fn first_difference(expected: &Value, actual: &Value) -> Option<String> {
    difference_at("$", expected, actual)
}

fn difference_at(path: &str, expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Object(left), Value::Object(right)) => {
            for (key, member) in left {
                let at = format!("{path}.{key}");
                match right.get(key) {
                    Some(other) => {
                        if let Some(found) = difference_at(&at, member, other) {
                            return Some(found);
                        }
                    }
                    None => return Some(format!("{at}: missing, expected {member}")),
                }
            }
            right
                .keys()
                .find(|key| !left.contains_key(*key))
                .map(|key| format!("{path}.{key}: unexpected, got {}", right[key]))
        }
        (Value::Array(left), Value::Array(right)) => {
            if left.len() != right.len() {
                return Some(format!(
                    "{path}: {} elements expected, got {}",
                    left.len(),
                    right.len()
                ));
            }
            left.iter()
                .zip(right)
                .enumerate()
                .find_map(|(index, (a, b))| difference_at(&format!("{path}[{index}]"), a, b))
        }
        (Value::Number(left), Value::Number(right)) => {
            let same = match (left.as_i64(), right.as_i64()) {
                (Some(a), Some(b)) => a == b,
                _ => left.as_f64() == right.as_f64(),
            };
            (!same).then(|| format!("{path}: expected {left}, got {right}"))
        }
        _ if expected == actual => None,
        _ => Some(format!("{path}: expected {expected}, got {actual}")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reports_the_key_path_of_the_first_difference() {
        let expected = json!({ "jobs": [{ "name": "a", "port": 1 }] });
        let actual = json!({ "jobs": [{ "name": "b", "port": 1 }] });
        assert_eq!(
            first_difference(&expected, &actual).as_deref(),
            Some("$.jobs[0].name: expected \"a\", got \"b\"")
        );
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(first_difference(&json!(1), &json!(1.0)), None);
        assert!(first_difference(&json!(1), &json!(2)).is_some());
    }

    #[test]
    fn missing_and_unexpected_members_are_reported() {
        assert!(
            first_difference(&json!({ "a": 1 }), &json!({}))
                .unwrap()
                .contains("missing")
        );
        assert!(
            first_difference(&json!({}), &json!({ "a": 1 }))
                .unwrap()
                .contains("unexpected")
        );
    }

    #[test]
    fn nulls_are_dropped_from_objects_only() {
        assert_eq!(
            without_nulls(&json!({ "a": null, "b": [null] })),
            json!({ "b": [null] })
        );
    }
}
