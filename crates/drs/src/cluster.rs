//! The `property` of a cluster-mode connection test (reference 4.1.3) as typed values. The
//! service takes the connection parameters of table 4-21 as JSON text inside a string; this
//! module writes and reads that text from [`types::ClusterConnectionProperty`] values, so that
//! nobody assembles or escapes JSON by hand.

use huaweicloud_drs_api::Secret;
use huaweicloud_drs_api::types::{ClusterConnectionProperty, TestClusterConnectionRequest};

use crate::error::{Error, InvalidInput};
use crate::types;

const OPERATION: &str = "batch_test_cluster_connections";

/// Typed access to [`TestClusterConnectionRequest::property`].
pub trait ClusterConnectionRequestExt: Sized {
    /// A request of `action` (the reference's examples use `testConnection`) for the job
    /// `job_id` (the parent job in cluster mode), with one property per database address.
    fn with_properties(
        action: &str,
        job_id: &str,
        properties: &[ClusterConnectionProperty],
    ) -> Result<Self, Error>;

    /// The properties the `property` text holds. Keys table 4-21 does not document (the
    /// reference's examples carry `encrypt`, `projectId`, `region`, ...) are not kept; the text
    /// itself stays in `property`.
    fn properties(&self) -> Result<Vec<ClusterConnectionProperty>, Error>;
}

impl ClusterConnectionRequestExt for TestClusterConnectionRequest {
    fn with_properties(
        action: &str,
        job_id: &str,
        properties: &[ClusterConnectionProperty],
    ) -> Result<Self, Error> {
        let text = serde_json::to_string(properties).map_err(|error| {
            Error::InvalidInput(InvalidInput {
                operation: OPERATION,
                field: "property".into(),
                expected: "connection properties that encode as JSON".into(),
                found: error.to_string(),
            })
        })?;
        Ok(Self::new(action, job_id, Secret::new(text)))
    }

    fn properties(&self) -> Result<Vec<ClusterConnectionProperty>, Error> {
        let mut deserializer = serde_json::Deserializer::from_str(self.property.expose());
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            // serde's message names the expected shape; it quotes no value of the text, so no
            // password can reach it.
            let reason = error.into_inner().to_string();
            Error::InvalidInput(InvalidInput {
                operation: OPERATION,
                field: format!("property: {path}"),
                expected: "JSON text holding an array of connection properties (table 4-21)".into(),
                found: reason,
            })
        })
    }
}

/// A property with the members every address needs, the rest left out.
pub fn property(
    dbtype: &str,
    endpoint_type: types::ClusterConnectionPropertyEndpointtype,
    net_type: types::NetType,
    ip: &str,
    db_user: &str,
    db_password: impl Into<Secret>,
) -> ClusterConnectionProperty {
    ClusterConnectionProperty::new(
        dbtype,
        false,
        net_type,
        endpoint_type,
        ip,
        db_user,
        db_password.into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use types::ClusterConnectionPropertyEndpointtype as EndpointType;

    #[test]
    fn properties_travel_as_json_text_and_come_back_typed() {
        let mut shard = property(
            "mongodb",
            EndpointType::Ls,
            types::NetType::Eip,
            "192.168.7.37:8635",
            "rwuser",
            "s3cret!",
        );
        shard.dbport = Some(0);
        shard.db_name = Some("admin".into());
        let source = property(
            "mongodb",
            EndpointType::So,
            types::NetType::Eip,
            "192.168.7.217:8635",
            "rwuser",
            "s3cret!",
        );
        let request = TestClusterConnectionRequest::with_properties(
            "testConnection",
            "35d0d60b-4605-4686-b35d-3a3d059fjb15",
            &[source, shard],
        )
        .unwrap();

        let text: serde_json::Value = serde_json::from_str(request.property.expose()).unwrap();
        assert_eq!(text[0]["endpointtype"], "so");
        assert_eq!(text[1]["dbName"], "admin");
        assert_eq!(text[1]["dbport"], 0);
        assert_eq!(text[1]["dbpassword"], "s3cret!");
        assert!(!format!("{request:?}").contains("s3cret!"));

        let back = request.properties().unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].ip, "192.168.7.37:8635");
        assert_eq!(back[1].endpointtype, EndpointType::Ls);
        assert_eq!(back[0].dbpassword.expose(), "s3cret!");
    }

    #[test]
    fn the_reference_example_reads_and_a_bad_text_names_the_place() {
        // The Kafka example of 4.1.3, as printed.
        let printed = r#"[{"ip":"xxxxxx:xxxx","dbtype":"kafka","dbuser":"xxxxxx","dbpassword":"xxxxxx","ssllink":false,"projectId":"5237e10fe9aa4ad5b16b6a5245248314","region":"region-1","vpcid":"f7ea6af9-dee8-456f-b3d7-0cc34b4c9cbf","subnetid":"b04c1704-5bd9-4195-9bda-ea2a14e0537e","kafkaSecurityConfig":{"type":"SASL_PLAINTEXT","sasl_mechanism":"PLAIN"},"nettype":"vpc","dbUseType":"sync","endpointtype":"ta"}]"#;
        let request =
            TestClusterConnectionRequest::new("testConnection", "j", Secret::new(printed));
        let properties = request.properties().unwrap();
        assert_eq!(properties[0].nettype, types::NetType::Vpc);
        assert_eq!(properties[0].endpointtype, EndpointType::Ta);

        let mut broken = request;
        broken.property = Secret::new(
            r#"[{"ip":"1.2.3.4","dbtype":"mysql","dbuser":"u","dbpassword":"hidden-pw","ssllink":"no"}]"#,
        );
        let error = broken.properties().unwrap_err().to_string();
        assert!(error.contains("[0].ssllink"), "{error}");
        assert!(!error.contains("hidden-pw"), "{error}");
    }
}
