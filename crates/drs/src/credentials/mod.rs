//! Credentials: what authenticates each request. One trait, [`Credentials`], with the three kinds
//! Huawei Cloud offers built in: a static IAM token ([`Token`]), an IAM user's password exchanged
//! for tokens as needed ([`IamPassword`]), and an access key pair that signs every request
//! ([`AkSk`]). [`from_env`] reads the variables the official SDKs read.

mod aksk;
mod env;
mod iam;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use reqwest::header::{HeaderName, HeaderValue};

pub use aksk::{AkSk, Signature, sign};
pub use env::{Environment, from_env};
pub use iam::IamPassword;
pub(crate) use iam::lookup_project_id;

use crate::error::AuthenticationError;

/// A boxed future, as [`Credentials`] returns them (the trait stays object safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a request is sent for, as far as credentials need to know.
#[derive(Clone, Copy, Debug)]
pub struct RequestContext<'a> {
    /// The project the request acts in; `None` for requests outside any project (looking the
    /// project id up in IAM).
    pub project_id: Option<&'a str>,
    /// The HTTP client of the DRS client, for credentials that must call IAM themselves.
    pub http: &'a reqwest::Client,
}

/// Authenticates requests. Implement it to bring credentials of your own.
pub trait Credentials: Send + Sync + fmt::Debug {
    /// Adds authentication (headers, a signature) to a request about to be sent. It is called
    /// again for every retry, so that signatures and tokens are fresh.
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        context: RequestContext<'a>,
    ) -> BoxFuture<'a, Result<(), AuthenticationError>>;

    /// The service answered 401: forget any cached token. Returns whether authorizing again may
    /// give a different answer, in which case the request is sent once more.
    fn renew(&self) -> bool {
        false
    }
}

/// A fixed IAM token, sent as `X-Auth-Token` (reference chapter 3.2). It is valid for 24 hours;
/// [`IamPassword`] obtains and renews tokens by itself.
#[derive(Clone)]
pub struct Token {
    value: HeaderValue,
}

impl Token {
    /// Fails when the token holds characters an HTTP header cannot carry.
    /// Fails when the token is empty or holds anything but visible ASCII characters, as IAM
    /// tokens do.
    pub fn new(token: &str) -> Result<Self, AuthenticationError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(AuthenticationError::new("the token is empty"));
        }
        if !token.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(AuthenticationError::new(
                "the token holds characters other than visible ASCII, which IAM tokens never do",
            ));
        }
        Ok(Self {
            value: sensitive_header(token, "token")?,
        })
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(\"***\")")
    }
}

pub(crate) const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");

impl Credentials for Token {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        _context: RequestContext<'a>,
    ) -> BoxFuture<'a, Result<(), AuthenticationError>> {
        request
            .headers_mut()
            .insert(X_AUTH_TOKEN, self.value.clone());
        Box::pin(Authorized)
    }
}

/// The future of credentials that had nothing to wait for. It has no size, so boxing it
/// allocates nothing.
struct Authorized;

impl Future for Authorized {
    type Output = Result<(), AuthenticationError>;

    fn poll(self: Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// A header value that must not show in logs or `Debug` output.
pub(crate) fn sensitive_header(
    value: &str,
    what: &str,
) -> Result<HeaderValue, AuthenticationError> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        AuthenticationError::new(format!(
            "the {what} holds characters an HTTP header cannot carry"
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_must_be_visible_ascii() {
        for (token, reason) in [
            ("", "empty"),
            ("  ", "empty"),
            ("t\u{f6}ken", "visible ASCII"),
        ] {
            let error = Token::new(token).unwrap_err();
            assert!(error.message.contains(reason), "{token:?}: {error}");
        }
        assert!(Token::new(" MIIT-abc ").is_ok());
    }
}
