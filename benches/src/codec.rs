//! From a schema name to its generated type: a typed decoder and encoder for every schema that
//! has a documented success response example. It mirrors the dispatch table of the test suite
//! (`tests/src/generated.rs`) without depending on the test crate, whose `preserve_order`
//! feature of serde_json would change the `serde_json::Value` this benchmark compares against.

use huaweicloud_drs::types;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A decoded value that can encode itself, whatever its type.
pub trait Encode {
    /// Appends the value's JSON to `out`.
    fn encode_into(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;
}

impl<T: Serialize> Encode for T {
    fn encode_into(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        serde_json::to_writer(out, self)
    }
}

/// The typed operations of one schema.
#[derive(Clone, Copy)]
pub struct Codec {
    /// Decodes a body into the generated type and drops it.
    pub decode: fn(&[u8]) -> serde_json::Result<()>,
    /// Decodes a body into the generated type and keeps it, for the encoding benchmark.
    pub decode_kept: fn(&[u8]) -> serde_json::Result<Box<dyn Encode>>,
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<()> {
    let value: T = serde_json::from_slice(bytes)?;
    std::hint::black_box(value);
    Ok(())
}

fn decode_kept<T: DeserializeOwned + Serialize + 'static>(
    bytes: &[u8],
) -> serde_json::Result<Box<dyn Encode>> {
    let value: T = serde_json::from_slice(bytes)?;
    Ok(Box::new(value))
}

macro_rules! schemas {
    ($($name:ident),* $(,)?) => {
        /// The codec of the generated type named `schema`; `None` for a schema this table
        /// does not list.
        pub fn of(schema: &str) -> Option<Codec> {
            match schema {
                $(stringify!($name) => Some(Codec {
                    decode: decode::<types::$name>,
                    decode_kept: decode_kept::<types::$name>,
                }),)*
                _ => None,
            }
        }
    };
}

// The schemas of the spec's success responses.
schemas!(
    BatchCreateJobsResponse,
    BatchTestConnectionsResponse,
    BatchTestClusterConnectionsResponse,
    BatchUpdateJobsResponse,
    BatchSelectDbObjectsResponse,
    BatchPrecheckJobsResponse,
    BatchShowPrecheckResultsResponse,
    BatchSetSpeedLimitsResponse,
    BatchShowDbParametersResponse,
    UpdateDbParametersResponse,
    BatchStartJobsResponse,
    BatchRetryJobsResponse,
    BatchPauseJobsResponse,
    BatchStopOrDeleteJobsResponse,
    BatchUpdateDbPasswordsResponse,
    BatchSetDefinersResponse,
    CreateCompareTaskResponse,
    ShowCompareResultsResponse,
    BatchShowProgressResponse,
    ListJobsResponse,
    BatchShowJobDetailsResponse,
    BatchShowJobStatusesResponse,
    ListNodeTypesResponse,
    ListDataCompareTasksResponse,
    CreateDataCompareTaskResponse,
    CancelDataCompareTaskResponse,
    StartDataCompareTaskResponse,
    ShowRowCountCompareOverviewResponse,
    ShowRowCountCompareDetailsResponse,
    ShowContentCompareOverviewResponse,
    ShowContentCompareDetailsResponse,
    ShowContentCompareDifferencesResponse,
    CreateObjectCompareTaskResponse,
    ShowObjectCompareOverviewResponse,
    ShowObjectCompareDetailsResponse,
    ExportCompareResultFileResponse,
    BatchUpdateMigrationUsersResponse,
    ListSourceDbUsersResponse,
    BatchSetDataTransformationsResponse,
    BatchSetSyncPoliciesResponse,
    BatchSwitchoverResponse,
    BatchShowRpoAndRtoResponse,
    ShowDisasterRecoveryMonitoringDataResponse,
    BatchShowDrInitializationProgressResponse,
    BatchShowDrInitializationObjectDetailsResponse,
);

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::payload;

    /// Every payload decodes into its type and encodes back to the same JSON, numbers compared
    /// as numbers (`100` comes back `100.0` from a float field) and a member sent as `null`
    /// coming back absent, which the types treat alike: the benchmark measures complete,
    /// lossless decoding, not an early error.
    #[test]
    fn every_payload_round_trips_through_its_generated_type() {
        for payload in payload::all_once() {
            let codec = of(&payload.schema)
                .unwrap_or_else(|| panic!("{}: no codec for {}", payload.label, payload.schema));
            (codec.decode)(&payload.body).unwrap_or_else(|e| panic!("{}: {e}", payload.label));
            let kept = (codec.decode_kept)(&payload.body).unwrap();
            let mut encoded = Vec::new();
            kept.encode_into(&mut encoded).unwrap();
            let before = normalized(serde_json::from_slice(&payload.body).unwrap());
            let after = normalized(serde_json::from_slice(&encoded).unwrap());
            if let Some(path) = first_difference(&before, &after, String::new()) {
                panic!("{}: the encoded value differs at `{path}`", payload.label);
            }
        }
    }

    /// The key path of the first place where `a` and `b` differ.
    fn first_difference(a: &Value, b: &Value, path: String) -> Option<String> {
        match (a, b) {
            (Value::Object(left), Value::Object(right)) => left
                .keys()
                .chain(right.keys())
                .find_map(|key| match (left.get(key), right.get(key)) {
                    (Some(l), Some(r)) => first_difference(l, r, format!("{path}.{key}")),
                    _ => Some(format!("{path}.{key}")),
                }),
            (Value::Array(left), Value::Array(right)) if left.len() == right.len() => left
                .iter()
                .zip(right)
                .enumerate()
                .find_map(|(index, (l, r))| first_difference(l, r, format!("{path}[{index}]"))),
            _ => (a != b).then_some(path),
        }
    }

    fn normalized(value: Value) -> Value {
        match value {
            Value::Object(members) => members
                .into_iter()
                .filter(|(_, member)| !member.is_null())
                .map(|(name, member)| (name, normalized(member)))
                .collect(),
            Value::Array(items) => items.into_iter().map(normalized).collect(),
            Value::Number(number) => number.as_f64().map_or(Value::Number(number), Value::from),
            other => other,
        }
    }
}
