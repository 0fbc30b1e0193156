//! Runs one call of the generated client and turns whatever went wrong into the crate's
//! [`Error`]: the transport's own diagnosis first, then the generated code's report, reading the
//! body where the generated code left it unread.
//!
//! Error bodies come in several shapes, and each becomes a typed error rather than a decoding
//! failure: the DRS body of appendix A.1 ([`Error::Api`]); the API gateway's or IAM's
//! `{"error_code": "APIGW.0301", "error_msg": …, "request_id": …}` on a 401, or with a gateway
//! code on a 403 ([`Error::Authentication`]); anything else, an HTML page, an empty body, JSON
//! without a code ([`Error::Http`], with a bounded excerpt). They are read from the bytes the
//! transport kept, whether or not the spec documents the status for the operation.

use std::future::Future;
use std::time::Duration;

use huaweicloud_drs_api::types::ErrorResponse;
use huaweicloud_drs_api::{ByteStream, ResponseValue};
use serde::de::DeserializeOwned;

use crate::Client;
use crate::error::{
    ApiError, AuthenticationError, DecodeError, Error, HttpError, InvalidInput, excerpt,
};
use crate::error_code::ErrorCode;
use crate::transport::{self, CallState};

type Generated<T, E> = Result<ResponseValue<T>, huaweicloud_drs_api::Error<E>>;

/// The error body an operation documents: the shared `ErrorResponse`, or none at all (`()`,
/// for the few operations whose reference section documents no error status).
pub trait ErrorBody {
    /// `error_code` and `error_msg`, as far as the body has them.
    fn into_parts(self) -> (Option<String>, Option<String>, String);
}

impl ErrorBody for ErrorResponse {
    fn into_parts(self) -> (Option<String>, Option<String>, String) {
        let text = serde_json::to_string(&self).unwrap_or_default();
        (self.error_code, self.error_msg, text)
    }
}

impl ErrorBody for () {
    fn into_parts(self) -> (Option<String>, Option<String>, String) {
        (None, None, String::new())
    }
}

impl Client {
    /// Runs a call whose success body is JSON: what every request builder's `send` does.
    pub(crate) async fn send_json<T, E, F>(
        &self,
        operation: &'static str,
        call: F,
    ) -> Result<ResponseValue<T>, Error>
    where
        T: DeserializeOwned,
        E: ErrorBody,
        F: Future<Output = Generated<T, E>>,
    {
        let (outcome, state) = transport::recorded(call).await;
        match outcome {
            Ok(value) => Ok(value),
            Err(error) => Err(
                match convert(operation, error, state, decode_path::<T>).await {
                    Converted::Error(error) => error,
                    Converted::Success(response, timeout) => {
                        return decode_success(operation, response, timeout).await;
                    }
                },
            ),
        }
    }

    /// Runs a call whose success body is a byte stream (a file download).
    pub(crate) async fn send_stream<E, F>(
        &self,
        operation: &'static str,
        call: F,
    ) -> Result<ResponseValue<ByteStream>, Error>
    where
        E: ErrorBody,
        F: Future<Output = Generated<ByteStream, E>>,
    {
        let (outcome, state) = transport::recorded(call).await;
        match outcome {
            Ok(value) => Ok(value),
            Err(error) => match convert(operation, error, state, |_| None).await {
                Converted::Error(error) => Err(error),
                Converted::Success(response, _) => Ok(ResponseValue::stream(response)),
            },
        }
    }
}

enum Converted {
    Error(Error),
    /// A success status the spec does not document for the operation; it is decoded as the
    /// documented success body rather than refused. The time an attempt is allowed comes along
    /// for a timeout while reading it.
    Success(reqwest::Response, Option<Duration>),
}

async fn convert<E: ErrorBody>(
    operation: &'static str,
    error: huaweicloud_drs_api::Error<E>,
    mut state: CallState,
    path_of: impl Fn(&[u8]) -> Option<(String, String)>,
) -> Converted {
    use huaweicloud_drs_api::Error as Generated;

    if let Some(failure) = state.failure.take() {
        return Converted::Error(failure);
    }
    let attempts = state.attempts;
    if let Some(body) = state.error_body.take() {
        let status = state.status.unwrap_or_default();
        return Converted::Error(
            from_error_body(operation, status, state.take_request_id(), &body)
                .after_attempts(attempts),
        );
    }
    let timeout = state.timeout;
    let error = match error {
        Generated::InvalidRequest(message) | Generated::Custom(message) => {
            Error::InvalidInput(invalid_request(operation, &message))
        }
        Generated::CommunicationError(source)
        | Generated::InvalidUpgrade(source)
        | Generated::ResponseBodyError(source) => transport_error(operation, source, timeout),
        // The transport keeps the body of every error answer, so the arms below only see an
        // answer it did not handle.
        Generated::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let request_id = transport::request_id(response.headers());
            let (code, message, text) = response.into_inner().into_parts();
            match code {
                Some(code) => coded(operation, status, code, message, request_id),
                None => Error::Http(HttpError {
                    operation,
                    status,
                    request_id,
                    body_excerpt: excerpt(text.as_bytes()),
                    attempts: 1,
                }),
            }
        }
        Generated::InvalidResponsePayload(bytes, source) => {
            let status = state.status.unwrap_or_default();
            let request_id = state.take_request_id();
            if status >= 400 || status == 0 {
                from_error_body(operation, status, request_id, &bytes)
            } else {
                let (path, message) =
                    path_of(&bytes).unwrap_or_else(|| (".".to_string(), source.to_string()));
                Error::Decode(DecodeError {
                    operation,
                    status,
                    path,
                    message,
                    request_id,
                    body_excerpt: excerpt(&bytes),
                })
            }
        }
        Generated::UnexpectedResponse(response) => {
            if response.status().is_success() {
                return Converted::Success(response, timeout);
            }
            let status = response.status().as_u16();
            let request_id = transport::request_id(response.headers());
            match response.bytes().await {
                Ok(bytes) => from_error_body(operation, status, request_id, &bytes),
                Err(source) => transport_error(operation, source, timeout),
            }
        }
    };
    Converted::Error(error.after_attempts(attempts))
}

/// Decodes the body of a success status the spec does not list for the operation.
async fn decode_success<T: DeserializeOwned>(
    operation: &'static str,
    response: reqwest::Response,
    timeout: Option<Duration>,
) -> Result<ResponseValue<T>, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let request_id = transport::request_id(&headers);
    let bytes = response
        .bytes()
        .await
        .map_err(|source| transport_error(operation, source, timeout))?;
    match decode::<T>(&bytes) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err((path, message)) => Err(Error::Decode(DecodeError {
            operation,
            status: status.as_u16(),
            path,
            message,
            request_id,
            body_excerpt: excerpt(&bytes),
        })),
    }
}

/// `bytes` decoded as `T`, or where (`.` for the root) and why they do not decode.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        (path, error.into_inner().to_string())
    })?;
    // Trailing characters after the value are an error too, as `serde_json::from_slice` has it.
    deserializer
        .end()
        .map_err(|error| (".".to_string(), error.to_string()))?;
    Ok(value)
}

/// Where and why `bytes` fail to decode as `T`; `None` when they decode.
fn decode_path<T: DeserializeOwned>(bytes: &[u8]) -> Option<(String, String)> {
    decode::<T>(bytes).err()
}

/// An error body the generated code could not decode, or did not expect: a coded JSON body of
/// DRS, the gateway or IAM, or anything else.
fn from_error_body(
    operation: &'static str,
    status: u16,
    request_id: Option<String>,
    bytes: &[u8],
) -> Error {
    #[derive(serde::Deserialize)]
    struct CodedBody {
        error_code: Option<String>,
        error_msg: Option<String>,
        request_id: Option<String>,
    }

    if let Ok(CodedBody {
        error_code: Some(code),
        error_msg,
        request_id: in_body,
    }) = serde_json::from_slice::<CodedBody>(bytes)
    {
        return coded(operation, status, code, error_msg, request_id.or(in_body));
    }
    let http = HttpError {
        operation,
        status,
        request_id,
        body_excerpt: excerpt(bytes),
        attempts: 1,
    };
    if status == 401 {
        Error::Authentication(AuthenticationError {
            operation: Some(operation),
            status: Some(status),
            code: None,
            message: http.to_string(),
            request_id: http.request_id,
        })
    } else {
        Error::Http(http)
    }
}

/// A body that names an error code: authentication when the status or the gateway says so,
/// otherwise a DRS error.
fn coded(
    operation: &'static str,
    status: u16,
    code: String,
    message: Option<String>,
    request_id: Option<String>,
) -> Error {
    let message = message.unwrap_or_default();
    let from_gateway = code.starts_with("APIGW.") || code.starts_with("IAM.");
    if status == 401 || (status == 403 && from_gateway) {
        return Error::Authentication(AuthenticationError {
            operation: Some(operation),
            status: Some(status),
            code: Some(code),
            message,
            request_id,
        });
    }
    Error::Api(ApiError {
        operation,
        status,
        code: ErrorCode::parse(&code),
        message,
        request_id,
        attempts: 1,
    })
}

/// A request that got no (complete) answer; `timeout` is the time an attempt was allowed.
fn transport_error(
    operation: &'static str,
    source: reqwest::Error,
    timeout: Option<Duration>,
) -> Error {
    if source.is_timeout() {
        Error::Timeout {
            operation,
            after: timeout,
            attempts: 1,
        }
    } else {
        Error::Transport {
            operation,
            source,
            attempts: 1,
        }
    }
}

/// The generated builders report a missing or unconvertible argument as text:
/// "`job_id` was not initialized" or "conversion to `…` for job_id failed".
fn invalid_request(operation: &'static str, message: &str) -> InvalidInput {
    // The body's own builder names a required member left unset this way.
    if let Some(member) = message.strip_prefix("no value supplied for ") {
        return InvalidInput {
            operation,
            field: format!("body.{member}"),
            expected: "set (a required member of the request body)".into(),
            found: "missing".into(),
        };
    }
    let field = message
        .strip_suffix(" was not initialized")
        .or_else(|| {
            message
                .rsplit_once(" for ")
                .and_then(|(_, rest)| rest.strip_suffix(" failed"))
        })
        .map(|field| field.trim_matches('`').to_string());
    match field {
        Some(field) if message.ends_with("was not initialized") => InvalidInput {
            operation,
            field,
            expected: "set".into(),
            found: "missing".into(),
        },
        Some(field) => InvalidInput {
            operation,
            field,
            expected: "a value of the documented type".into(),
            found: message.to_string(),
        },
        None => InvalidInput {
            operation,
            field: "(request)".into(),
            expected: "a well-formed request".into(),
            found: message.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_messages_name_the_field() {
        let missing = invalid_request("list_jobs", "cur_page was not initialized");
        assert_eq!(
            (missing.field.as_str(), missing.found.as_str()),
            ("cur_page", "missing")
        );
        let bad = invalid_request("list_jobs", "conversion to `i32` for per_page failed");
        assert_eq!(bad.field, "per_page");
        let unset = invalid_request("list_jobs", "no value supplied for cur_page");
        assert_eq!(
            (unset.field.as_str(), unset.found.as_str()),
            ("body.cur_page", "missing")
        );
        let other = invalid_request("list_jobs", "something else");
        assert_eq!(other.field, "(request)");
    }

    #[test]
    fn gateway_and_drs_bodies_are_told_apart() {
        let gateway = br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"abc"}"#;
        match from_error_body("list_jobs", 401, None, gateway) {
            Error::Authentication(error) => {
                assert_eq!(error.code.as_deref(), Some("APIGW.0301"));
                assert_eq!(error.request_id.as_deref(), Some("abc"));
            }
            other => panic!("{other:?}"),
        }
        let drs = br#"{"error_code":"DRS.M00202","error_msg":"job_id is invalid"}"#;
        match from_error_body("list_jobs", 400, Some("r".into()), drs) {
            Error::Api(error) => {
                assert_eq!(error.code, ErrorCode::parse("DRS.M00202"));
                assert_eq!(error.request_id.as_deref(), Some("r"));
            }
            other => panic!("{other:?}"),
        }
        match from_error_body("list_jobs", 502, None, b"<html>Bad Gateway</html>") {
            Error::Http(error) => assert_eq!(error.body_excerpt, "<html>Bad Gateway</html>"),
            other => panic!("{other:?}"),
        }
    }
}
