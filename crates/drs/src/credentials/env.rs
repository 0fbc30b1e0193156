//! Credentials from the environment variables the official Huawei Cloud SDKs read for regional
//! services: an AK/SK pair, optionally temporary (with a security token), the project id and
//! the IAM endpoint.
//!
//! The official SDKs also accept a federated identity (`HUAWEICLOUD_SDK_IDP_ID` with
//! `HUAWEICLOUD_SDK_ID_TOKEN_FILE`), which they exchange for temporary keys; this crate does not
//! make that exchange, says so when only those are set, and prefers an AK/SK pair when both are
//! set (the SDKs prefer the federated identity). They read no IAM user name or password from
//! the environment, and neither does this crate. `HUAWEICLOUD_SDK_DOMAIN_ID` is for global
//! services, which DRS is not.

use std::ffi::OsString;
use std::sync::Arc;

use super::{AkSk, Credentials};
use crate::error::{ConfigError, Error};

/// The access key id.
const ACCESS_KEY_VAR: &str = "HUAWEICLOUD_SDK_AK";
/// The secret access key.
const SECRET_KEY_VAR: &str = "HUAWEICLOUD_SDK_SK";
/// The security token of temporary access keys.
const SECURITY_TOKEN_VAR: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// The project id; without it, the client looks it up in IAM from the region.
const PROJECT_ID_VAR: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// The IAM endpoint, when it is not the region's usual one.
const IAM_ENDPOINT_VAR: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";
const IDP_ID_VAR: &str = "HUAWEICLOUD_SDK_IDP_ID";
const ID_TOKEN_FILE_VAR: &str = "HUAWEICLOUD_SDK_ID_TOKEN_FILE";

/// What the environment says about credentials and where to use them.
#[derive(Debug)]
pub struct Environment {
    pub credentials: Arc<dyn Credentials>,
    pub project_id: Option<String>,
    pub iam_endpoint: Option<String>,
}

/// Reads the credentials from the environment: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`
/// (both required), `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary keys, and optionally
/// `HUAWEICLOUD_SDK_PROJECT_ID` and `HUAWEICLOUD_SDK_IAM_ENDPOINT`. An empty variable counts
/// as unset, as in the official SDKs.
pub fn from_env() -> Result<Environment, Error> {
    from_lookup(|name| std::env::var_os(name))
}

/// The same, reading each variable through `lookup`.
fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Environment, Error> {
    let read = |name: &str| -> Result<Option<String>, ConfigError> {
        match lookup(name) {
            None => Ok(None),
            Some(value) if value.is_empty() => Ok(None),
            Some(value) => value.into_string().map(Some).map_err(|_| {
                ConfigError::new(format!("environment variable {name} is not valid UTF-8"))
            }),
        }
    };
    let access_key = read(ACCESS_KEY_VAR)?;
    let secret_key = read(SECRET_KEY_VAR)?;
    let security_token = read(SECURITY_TOKEN_VAR)?;

    let (access_key, secret_key) = match (access_key, secret_key) {
        (Some(access_key), Some(secret_key)) => (access_key, secret_key),
        (Some(_), None) => return Err(half_pair(ACCESS_KEY_VAR, SECRET_KEY_VAR)),
        (None, Some(_)) => return Err(half_pair(SECRET_KEY_VAR, ACCESS_KEY_VAR)),
        (None, None) => {
            let federated = read(IDP_ID_VAR)?.is_some() || read(ID_TOKEN_FILE_VAR)?.is_some();
            let message = if federated {
                format!(
                    "{IDP_ID_VAR} and {ID_TOKEN_FILE_VAR} (a federated identity) are not \
                     supported: set {ACCESS_KEY_VAR} and {SECRET_KEY_VAR}"
                )
            } else if security_token.is_some() {
                format!(
                    "{SECURITY_TOKEN_VAR} is set without the temporary keys it goes with: set \
                     {ACCESS_KEY_VAR} and {SECRET_KEY_VAR} too"
                )
            } else {
                format!(
                    "no credentials in the environment: expected {ACCESS_KEY_VAR} and \
                     {SECRET_KEY_VAR} (with {SECURITY_TOKEN_VAR} for temporary keys)"
                )
            };
            return Err(ConfigError::new(message).into());
        }
    };

    let rejected = |names: &str, error: crate::AuthenticationError| -> Error {
        ConfigError::new(format!("{names}: {}", error.message)).into()
    };
    let mut credentials = AkSk::new(&access_key, secret_key)
        .map_err(|error| rejected(&format!("{ACCESS_KEY_VAR}/{SECRET_KEY_VAR}"), error))?;
    if let Some(token) = security_token {
        credentials = credentials
            .with_security_token(token)
            .map_err(|error| rejected(SECURITY_TOKEN_VAR, error))?;
    }
    let project_id = read(PROJECT_ID_VAR)?;
    if let Some(project_id) = &project_id {
        crate::client::check_project_id(project_id).map_err(|error| -> Error {
            ConfigError::new(format!("{PROJECT_ID_VAR}: {error}")).into()
        })?;
    }
    Ok(Environment {
        credentials: Arc::new(credentials),
        project_id,
        iam_endpoint: read(IAM_ENDPOINT_VAR)?,
    })
}

fn half_pair(set: &str, missing: &str) -> Error {
    ConfigError::new(format!(
        "{set} is set but {missing} is not: an access key needs both {ACCESS_KEY_VAR} and \
         {SECRET_KEY_VAR}"
    ))
    .into()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn environment(vars: &[(&str, &str)]) -> Result<Environment, Error> {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(name, value)| (name.to_string(), OsString::from(value)))
            .collect();
        from_lookup(|name| vars.get(name).cloned())
    }

    fn config_message(outcome: Result<Environment, Error>) -> String {
        match outcome {
            Err(Error::Config(error)) => error.to_string(),
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn a_full_setup_gives_temporary_keys_a_project_and_an_iam_endpoint() {
        let environment = environment(&[
            ("HUAWEICLOUD_SDK_AK", "TESTAK0123456789"),
            ("HUAWEICLOUD_SDK_SK", "sk-SECRET"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "token-SECRET"),
            (
                "HUAWEICLOUD_SDK_PROJECT_ID",
                "054ba152d480d55b2f5dc0069e7ddef0",
            ),
            ("HUAWEICLOUD_SDK_IAM_ENDPOINT", "https://iam.example.com"),
        ])
        .unwrap();
        assert_eq!(
            environment.project_id.as_deref(),
            Some("054ba152d480d55b2f5dc0069e7ddef0")
        );
        assert_eq!(
            environment.iam_endpoint.as_deref(),
            Some("https://iam.example.com")
        );
        let shown = format!("{environment:?}");
        assert!(shown.contains("TESTAK0123456789"), "{shown}");
        assert!(shown.contains("security_token: Some(\"***\")"), "{shown}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn keys_alone_suffice_and_empty_variables_count_as_unset() {
        let environment = environment(&[
            ("HUAWEICLOUD_SDK_AK", "AK"),
            ("HUAWEICLOUD_SDK_SK", "SK"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", ""),
            ("HUAWEICLOUD_SDK_PROJECT_ID", ""),
        ])
        .unwrap();
        assert_eq!(environment.project_id, None);
        assert_eq!(environment.iam_endpoint, None);
        assert!(format!("{environment:?}").contains("security_token: None"));
    }

    #[test]
    fn missing_or_partial_setups_name_the_variables_expected() {
        type Vars<'a> = &'a [(&'a str, &'a str)];
        let cases: [(Vars, &[&str]); 6] = [
            (&[], &["HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"]),
            (
                &[("HUAWEICLOUD_SDK_AK", "AK")],
                &["HUAWEICLOUD_SDK_SK is not"],
            ),
            (
                &[("HUAWEICLOUD_SDK_SK", "SK"), ("HUAWEICLOUD_SDK_AK", "")],
                &["HUAWEICLOUD_SDK_AK is not"],
            ),
            (
                &[("HUAWEICLOUD_SDK_SECURITY_TOKEN", "token")],
                &[
                    "HUAWEICLOUD_SDK_SECURITY_TOKEN is set",
                    "HUAWEICLOUD_SDK_AK",
                ],
            ),
            (
                &[("HUAWEICLOUD_SDK_IDP_ID", "idp")],
                &[
                    "HUAWEICLOUD_SDK_IDP_ID",
                    "not supported",
                    "HUAWEICLOUD_SDK_SK",
                ],
            ),
            (
                &[("HUAWEICLOUD_SDK_PROJECT_ID", "p1")],
                &["no credentials", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"],
            ),
        ];
        for (vars, expected) in cases {
            let message = config_message(environment(vars));
            for part in expected {
                assert!(message.contains(part), "{vars:?}: {message}");
            }
        }
    }

    #[test]
    fn unusable_values_are_named_by_variable_not_shown() {
        let message = config_message(environment(&[
            ("HUAWEICLOUD_SDK_AK", "AK WITH-SPACE-SECRET"),
            ("HUAWEICLOUD_SDK_SK", "SK"),
        ]));
        assert!(message.contains("HUAWEICLOUD_SDK_AK"), "{message}");
        assert!(!message.contains("SECRET"), "{message}");

        let message = config_message(environment(&[
            ("HUAWEICLOUD_SDK_AK", "AK"),
            ("HUAWEICLOUD_SDK_SK", "SK"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "token\n-SECRET"),
        ]));
        assert!(
            message.contains("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
            "{message}"
        );
        assert!(!message.contains("SECRET"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_utf8_is_named() {
        use std::os::unix::ffi::OsStringExt;

        let outcome = from_lookup(|name| match name {
            "HUAWEICLOUD_SDK_AK" => Some(OsString::from("AK")),
            "HUAWEICLOUD_SDK_SK" => Some(OsString::from_vec(vec![0xff, 0xfe])),
            _ => None,
        });
        let message = config_message(outcome);
        assert!(
            message.contains("HUAWEICLOUD_SDK_SK is not valid UTF-8"),
            "{message}"
        );
    }
}
