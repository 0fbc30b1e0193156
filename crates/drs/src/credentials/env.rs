//! Credentials from the environment variables the official Huawei Cloud SDKs read.
//! Work in progress.

use std::sync::Arc;

use super::Credentials;
use crate::error::{ConfigError, Error};

/// What the environment says about credentials and where to use them.
#[derive(Debug)]
pub struct Environment {
    pub credentials: Arc<dyn Credentials>,
    pub project_id: Option<String>,
    pub iam_endpoint: Option<String>,
}

/// Reads the credentials from the environment.
pub fn from_env() -> Result<Environment, Error> {
    Err(ConfigError::new("reading credentials from the environment is not available yet").into())
}
