//! The crate's one error type. Every failure says where it happened (the operation and, when
//! the service answered, the HTTP status and request id) and what was expected; none carries a
//! token, a signature or a password.

use std::fmt;
use std::time::Duration;

use crate::error_code::{ErrorCode, ErrorCodeInfo};

/// How many bytes of a response body an error keeps, the `…` marking a cut included: enough to
/// recognise an HTML error page or a gateway message, bounded so that a huge body does not end
/// up in a log line.
pub const BODY_EXCERPT_LIMIT: usize = 512;

/// Everything that can go wrong when calling DRS.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service refused the request with a DRS error body (appendix A.1).
    Api(ApiError),
    /// The credentials were refused or could not be used: a 401 from the API gateway or IAM,
    /// a token that could not be obtained, a secret that cannot be sent in a header.
    Authentication(AuthenticationError),
    /// The service answered with an error status and a body that is not a DRS error: an HTML
    /// page from a proxy, an empty body, JSON of another shape. A redirect (3xx), which DRS
    /// does not document and the client does not follow, ends here too.
    Http(HttpError),
    /// The service could not be reached, or the connection broke before an answer arrived.
    Transport {
        operation: &'static str,
        source: reqwest::Error,
        /// How many times the request was sent (retries included).
        attempts: u32,
    },
    /// No answer arrived in the time each attempt was allowed ([`crate::ClientBuilder::timeout`]).
    Timeout {
        operation: &'static str,
        after: Option<Duration>,
        /// How many times the request was sent (retries included).
        attempts: u32,
    },
    /// A job did not reach what a wait waited for before the wait's timeout
    /// ([`crate::Client::wait_for_job`]); the service answered every poll.
    WaitTimeout {
        job_id: String,
        /// What was waited for: a status, or a phase.
        target: String,
        /// The status of the last answer, if one came.
        last_status: Option<String>,
        after: Duration,
    },
    /// A success answer whose body does not match the documented shape.
    Decode(DecodeError),
    /// A request that breaks a documented constraint, caught before anything was sent.
    InvalidInput(InvalidInput),
    /// A job that does not exist, however the service said so (a per-job error code, or a
    /// status of `DELETED`).
    JobNotFound { job_id: String },
    /// A job reached a state from which the awaited status cannot come.
    JobFailed { job_id: String, status: String },
    /// The client itself is misconfigured: endpoint, region, project id, HTTP set-up.
    Config(ConfigError),
}

impl Error {
    /// The operation (its `operationId` in the spec) the error belongs to, when there is one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Api(error) => Some(error.operation),
            Self::Authentication(error) => error.operation,
            Self::Http(error) => Some(error.operation),
            Self::Transport { operation, .. } | Self::Timeout { operation, .. } => Some(operation),
            Self::WaitTimeout { .. } => None,
            Self::Decode(error) => Some(error.operation),
            Self::InvalidInput(error) => Some(error.operation),
            Self::JobNotFound { .. } | Self::JobFailed { .. } | Self::Config(_) => None,
        }
    }

    /// The HTTP status of the answer the error comes from, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(error) => Some(error.status),
            Self::Authentication(error) => error.status,
            Self::Http(error) => Some(error.status),
            Self::Decode(error) => Some(error.status),
            _ => None,
        }
    }

    /// The `X-Request-Id` of the answer, which Huawei Cloud support asks for.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(error) => error.request_id.as_deref(),
            Self::Authentication(error) => error.request_id.as_deref(),
            Self::Http(error) => error.request_id.as_deref(),
            Self::Decode(error) => error.request_id.as_deref(),
            _ => None,
        }
    }

    /// The DRS error code, for an [`Error::Api`].
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Self::Api(error) => Some(&error.code),
            _ => None,
        }
    }

    /// Whether the same request may succeed if sent again later: the service was throttling
    /// (429) or unavailable (502, 503, 504), the connection failed, or no answer came in time.
    /// The client has already retried as far as its [`crate::RetryPolicy`] allows; this is for
    /// callers who retry on a longer scale. A write whose answer was lost (a timeout, a broken
    /// connection, a gateway timeout) may have taken effect all the same.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { .. } | Self::Timeout { .. } => true,
            Self::Api(_) | Self::Http(_) => self.status().is_some_and(crate::retry::is_transient),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(error) => error.fmt(f),
            Self::Authentication(error) => error.fmt(f),
            Self::Http(error) => error.fmt(f),
            Self::Transport {
                operation,
                source,
                attempts,
            } => {
                // reqwest's own message ("error sending request for url ...") leaves the cause
                // (refused, DNS, TLS) to its source chain, which a reader of the message needs.
                write!(f, "{operation}: no complete answer arrived: {source}")?;
                let mut cause = std::error::Error::source(source);
                while let Some(inner) = cause {
                    write!(f, ": {inner}")?;
                    cause = inner.source();
                }
                write_attempts(f, *attempts)
            }
            Self::Timeout {
                operation,
                after,
                attempts,
            } => {
                match after {
                    Some(after) => write!(f, "{operation}: no answer within {after:?}")?,
                    None => write!(f, "{operation}: timed out")?,
                }
                write_attempts(f, *attempts)
            }
            Self::WaitTimeout {
                job_id,
                target,
                last_status,
                after,
            } => {
                write!(f, "job {job_id} did not reach {target} within {after:?}")?;
                match last_status {
                    Some(status) => write!(f, "; its last status was {status}"),
                    None => f.write_str("; no status was read"),
                }
            }
            Self::Decode(error) => error.fmt(f),
            Self::InvalidInput(error) => error.fmt(f),
            Self::JobNotFound { job_id } => write!(f, "job {job_id} does not exist"),
            Self::JobFailed { job_id, status } => {
                write!(
                    f,
                    "job {job_id} reached status {status}, from which it cannot go on"
                )
            }
            Self::Config(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport { source, .. } => Some(source),
            Self::Config(ConfigError {
                source: Some(source),
                ..
            }) => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// A DRS error body (appendix A.1): the code of appendix A.3 and the service's message.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub operation: &'static str,
    pub status: u16,
    pub code: ErrorCode,
    pub message: String,
    pub request_id: Option<String>,
    /// How many times the request was sent (retries included); 1 for a job's own failure in
    /// a batch answer.
    pub attempts: u32,
}

impl ApiError {
    /// What appendix A.3 documents about the code (meaning and advice), if it lists it.
    pub fn documented(&self) -> Option<&'static ErrorCodeInfo> {
        self.code.info()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: HTTP {} {}: {}",
            self.operation, self.status, self.code, self.message
        )?;
        if let Some(info) = self.code.info() {
            write!(f, " ({})", info.advice)?;
        }
        write_attempts(f, self.attempts)?;
        write_request_id(f, self.request_id.as_deref())
    }
}

/// Credentials that were refused or could not be used.
#[derive(Clone, Debug)]
pub struct AuthenticationError {
    /// The DRS operation being called; `None` when the failure came from obtaining a token.
    pub operation: Option<&'static str>,
    pub status: Option<u16>,
    /// The gateway's or IAM's own code, such as `APIGW.0301`, when the body carried one.
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
}

impl AuthenticationError {
    /// Credentials that cannot be used as given, found before anything was sent: no operation,
    /// no answer, only what is wrong.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            operation: None,
            status: None,
            code: None,
            message: message.into(),
            request_id: None,
        }
    }

    /// The same error, from an answer with `status` (when one came) and `request_id`.
    pub(crate) fn answered(mut self, status: Option<u16>, request_id: Option<String>) -> Self {
        self.status = status;
        self.request_id = request_id;
        self
    }
}

impl fmt::Display for AuthenticationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("authentication failed")?;
        if let Some(operation) = self.operation {
            write!(f, " calling {operation}")?;
        }
        if let Some(status) = self.status {
            write!(f, ": HTTP {status}")?;
        }
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", self.message)?;
        write_request_id(f, self.request_id.as_deref())
    }
}

/// An error status whose body is not a DRS error.
#[derive(Clone, Debug)]
pub struct HttpError {
    pub operation: &'static str,
    pub status: u16,
    pub request_id: Option<String>,
    /// The start of the body: at most [`BODY_EXCERPT_LIMIT`] bytes, cut on a character boundary
    /// and ending in `…` when the body goes on.
    pub body_excerpt: String,
    /// How many times the request was sent (retries included).
    pub attempts: u32,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: HTTP {} without a DRS error body",
            self.operation, self.status
        )?;
        if self.body_excerpt.is_empty() {
            f.write_str(" (the body is empty)")?;
        } else {
            write!(f, "; the body begins {:?}", self.body_excerpt)?;
        }
        write_attempts(f, self.attempts)?;
        write_request_id(f, self.request_id.as_deref())
    }
}

/// A success body that does not decode into the documented type.
#[derive(Clone, Debug)]
pub struct DecodeError {
    pub operation: &'static str,
    pub status: u16,
    /// Where in the body decoding stopped, as a path such as `jobs[2].status` (`.` for the root).
    pub path: String,
    /// What the decoder expected and found there.
    pub message: String,
    pub request_id: Option<String>,
    pub body_excerpt: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the HTTP {} answer does not decode at `{}`: {}",
            self.operation, self.status, self.path, self.message
        )?;
        write_request_id(f, self.request_id.as_deref())
    }
}

/// A request that breaks a documented constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInput {
    pub operation: &'static str,
    /// The field, as a path into the request (`jobs[0].name`, or a parameter name).
    pub field: String,
    /// The documented constraint, such as `at most 255 characters`.
    pub expected: String,
    /// What the request holds instead (never the value of a secret).
    pub found: String,
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: `{}` must be {}, but it is {}",
            self.operation, self.field, self.expected, self.found
        )
    }
}

/// A client that cannot be set up as configured.
#[derive(Debug)]
pub struct ConfigError {
    /// What is wrong, naming the setting.
    pub message: String,
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl From<AuthenticationError> for Error {
    fn from(error: AuthenticationError) -> Self {
        Self::Authentication(error)
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Self::Config(error)
    }
}

/// Says that a request was sent more than once, for errors that come after retries.
fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    Ok(())
}

impl Error {
    /// The same error, saying the request was sent `attempts` times.
    pub(crate) fn after_attempts(mut self, sent: u32) -> Self {
        match &mut self {
            Self::Api(ApiError { attempts, .. })
            | Self::Http(HttpError { attempts, .. })
            | Self::Transport { attempts, .. }
            | Self::Timeout { attempts, .. } => *attempts = sent.max(1),
            _ => {}
        }
        self
    }
}

/// ` [request id …]` after an error's message, when the answer carried one.
pub(crate) fn write_request_id(
    f: &mut fmt::Formatter<'_>,
    request_id: Option<&str>,
) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " [request id {id}]"),
        None => Ok(()),
    }
}

/// The start of `body` as text: at most [`BODY_EXCERPT_LIMIT`] bytes, never splitting a
/// character, with invalid UTF-8 replaced and trailing white space dropped, ending in `…` when
/// something was cut.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const CUT: char = '…';
    // A few bytes past the limit are decoded so that a character straddling it is not taken
    // for invalid UTF-8; replacement characters can make the text longer than the bytes.
    let decoded = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT_LIMIT + 4)]);
    let decoded = decoded.trim_end();
    if body.len() <= BODY_EXCERPT_LIMIT + 4 && decoded.len() <= BODY_EXCERPT_LIMIT {
        return decoded.to_string();
    }
    let mut end = decoded.len().min(BODY_EXCERPT_LIMIT - CUT.len_utf8());
    while !decoded.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{CUT}", decoded[..end].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_and_cut_on_characters() {
        let body = "错".repeat(400);
        let cut = excerpt(body.as_bytes());
        assert!(cut.len() <= BODY_EXCERPT_LIMIT, "{} bytes", cut.len());
        assert!(cut.ends_with('…'));
        let kept = cut.trim_end_matches('…');
        assert!(kept.chars().all(|c| c == '错'));
        // 512 bytes hold the mark (3 bytes) and 169 whole characters of 3 bytes.
        assert_eq!(kept.chars().count(), (BODY_EXCERPT_LIMIT - 3) / 3);

        assert_eq!(
            excerpt(b"<html>bad gateway</html>\n"),
            "<html>bad gateway</html>"
        );
        assert_eq!(excerpt(b""), "");
        let exact = "a".repeat(BODY_EXCERPT_LIMIT);
        assert_eq!(excerpt(exact.as_bytes()), exact);
        let over = "a".repeat(BODY_EXCERPT_LIMIT + 1);
        assert_eq!(
            excerpt(over.as_bytes()),
            format!("{}…", &over[..BODY_EXCERPT_LIMIT - 3])
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_within_the_bound() {
        // Each invalid byte becomes U+FFFD, three bytes long: 300 bytes make 900 of text.
        let cut = excerpt(&[0xff; 300]);
        assert!(cut.len() <= BODY_EXCERPT_LIMIT, "{} bytes", cut.len());
        assert!(cut.ends_with('…'));
        assert!(cut.trim_end_matches('…').chars().all(|c| c == '\u{fffd}'));
        assert_eq!(excerpt(b"ok\xff"), "ok\u{fffd}");
    }

    #[test]
    fn api_errors_name_operation_status_code_and_advice() {
        let error = Error::Api(ApiError {
            operation: "batch_start_jobs",
            status: 400,
            code: ErrorCode::parse("DRS.M00007"),
            message: "Invalid request parameter.".into(),
            request_id: Some("r-1".into()),
            attempts: 1,
        });
        let text = error.to_string();
        assert!(
            text.starts_with("batch_start_jobs: HTTP 400 DRS.M00007: Invalid request parameter.")
        );
        assert!(text.contains("Check the request parameters."), "{text}");
        assert!(text.ends_with("[request id r-1]"), "{text}");
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.request_id(), Some("r-1"));
    }
}
