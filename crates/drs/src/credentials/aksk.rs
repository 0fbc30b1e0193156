//! AK/SK request signing as Huawei Cloud's API gateway defines it (`SDK-HMAC-SHA256`).
//! Work in progress: signing is being written against the official SDK's test vectors.

use std::fmt;

use super::{BoxFuture, Credentials, RequestContext};
use crate::Secret;
use crate::error::AuthenticationError;

/// An access key pair (and, for temporary credentials, a security token).
#[derive(Clone)]
pub struct AkSk {
    access_key: String,
    secret_key: Secret,
    security_token: Option<Secret>,
}

impl AkSk {
    pub fn new(access_key: &str, secret_key: impl Into<Secret>) -> Self {
        Self {
            access_key: access_key.to_string(),
            secret_key: secret_key.into(),
            security_token: None,
        }
    }

    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }
}

impl fmt::Debug for AkSk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AkSk")
            .field("access_key", &self.access_key)
            .field("secret_key", &self.secret_key)
            .field("security_token", &self.security_token)
            .finish()
    }
}

impl Credentials for AkSk {
    fn authorize<'a>(
        &'a self,
        _request: &'a mut reqwest::Request,
        _context: RequestContext<'a>,
    ) -> BoxFuture<'a, Result<(), AuthenticationError>> {
        Box::pin(std::future::ready(Err(AuthenticationError {
            operation: None,
            status: None,
            code: None,
            message: "AK/SK signing is not available yet".into(),
            request_id: None,
        })))
    }
}
