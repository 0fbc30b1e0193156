//! What every request of the client goes through between the generated code and the network:
//! validation of documented constraints, credentials, retries and a `tracing` span.
//!
//! The generated code reports failures as `progenitor_client::Error`, which loses the status of
//! a body that does not decode, decodes error bodies into a type that drops what it does not
//! know, and cannot carry a structured error from a hook. So each call runs inside a
//! [`CallRecord`] scope: the transport writes down what it saw (status, request id, the bytes of
//! an error body, a failure of its own), and [`crate::Client`] reads it back to build the
//! crate's [`Error`].

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use huaweicloud_drs_api::{Transport, TransportFuture};
use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use tracing::Instrument;

use crate::credentials::{Credentials, RequestContext};
use crate::error::{Error, InvalidInput};
use crate::retry::RetryPolicy;
use crate::validate;

tokio::task_local! {
    static CALL: CallRecord;
}

/// What the transport saw of one call.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    state: Mutex<CallState>,
}

#[derive(Debug, Default)]
pub(crate) struct CallState {
    pub status: Option<u16>,
    /// The `X-Request-Id` header as received: made into text only when an error reports it.
    pub request_id: Option<HeaderValue>,
    /// A failure the transport diagnosed itself; it wins over what the generated code reports.
    pub failure: Option<Error>,
    /// The start of the body of a final answer whose status is not a success (at most
    /// [`ERROR_BODY_LIMIT`] bytes), as the service sent it.
    pub error_body: Option<Bytes>,
    /// The time one attempt was allowed, for a timeout to say how long it waited.
    pub timeout: Option<Duration>,
    pub attempts: u32,
}

/// How much of an error body is read: far more than any error body DRS or the gateway sends,
/// little enough that a proxy's endless error page is not held in memory.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

impl CallState {
    /// The request id as text, taken out of the state.
    pub(crate) fn take_request_id(&mut self) -> Option<String> {
        self.request_id.take().and_then(|id| request_id_text(&id))
    }
}

impl CallRecord {
    fn update(&self, change: impl FnOnce(&mut CallState)) {
        // A poisoned lock only means another thread panicked while holding it; the record is
        // still the best information there is.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        change(&mut state);
    }

    fn take(&self) -> CallState {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::take(&mut *state)
    }
}

/// Runs `call` with a fresh record, and returns its output with what the transport recorded.
pub(crate) async fn recorded<F: Future>(call: F) -> (F::Output, CallState) {
    let with_record = async {
        let output = call.await;
        let state = CALL.try_with(CallRecord::take).unwrap_or_default();
        (output, state)
    };
    CALL.scope(CallRecord::default(), with_record).await
}

fn record(change: impl FnOnce(&mut CallState)) {
    let _ = CALL.try_with(|record| record.update(change));
}

/// The `X-Request-Id` header of a response.
pub(crate) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers.get(X_REQUEST_ID).and_then(request_id_text)
}

/// A request id header as text; `None` when it is not visible ASCII.
fn request_id_text(value: &HeaderValue) -> Option<String> {
    value.to_str().ok().map(str::to_string)
}

const X_REQUEST_ID: &str = "x-request-id";

/// The future of a check that has nothing to wait for. It has no size, so boxing it allocates
/// nothing: a call that is not validated pays nothing for the hook.
struct Accepted;

impl Future for Accepted {
    type Output = Result<(), String>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(Ok(()))
    }
}

/// The transport of a [`crate::Client`].
#[derive(Debug)]
pub(crate) struct DrsTransport {
    pub credentials: Arc<dyn Credentials>,
    pub project_id: String,
    pub retry: RetryPolicy,
    pub validate: bool,
    /// The time the HTTP client allows one attempt.
    pub timeout: Duration,
}

impl Transport for DrsTransport {
    fn prepare<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        operation: &'static str,
    ) -> TransportFuture<'a, Result<(), String>> {
        let outcome = if self.validate {
            check_request(request, operation)
        } else {
            Ok(())
        };
        match outcome {
            Ok(()) => Box::pin(Accepted),
            Err(invalid) => {
                let message = invalid.to_string();
                record(|state| state.failure = Some(Error::InvalidInput(invalid)));
                Box::pin(std::future::ready(Err(message)))
            }
        }
    }

    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
    ) -> TransportFuture<'a, reqwest::Result<reqwest::Response>> {
        let span = tracing::debug_span!(
            "drs.request",
            operation,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        Box::pin(
            self.send(client, request, operation, span.clone())
                .instrument(span),
        )
    }
}

impl DrsTransport {
    async fn send(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
        // The span the future runs in, given rather than looked up as the current span, which
        // only subscribers that track entered spans can answer.
        span: tracing::Span,
    ) -> reqwest::Result<reqwest::Response> {
        let started = Instant::now();
        let read_only = is_read_only(operation, request.method());
        let context = RequestContext {
            project_id: Some(&self.project_id),
            http: client,
        };
        let mut attempt = 0u32;
        let mut renewed = false;
        let mut original = Some(request);
        // `None` when nothing was sent: the credentials failed, and said why in the record.
        let outcome = loop {
            attempt += 1;
            // A body that cannot be cloned (a stream) is sent once, with no retry.
            let (mut this_try, last_chance) =
                match original.as_ref().and_then(reqwest::Request::try_clone) {
                    Some(copy) => (copy, false),
                    None => match original.take() {
                        Some(request) => (request, true),
                        // Only reached if a loop went on after its last chance, which the
                        // `last_chance` checks below rule out.
                        None => break None,
                    },
                };
            if let Err(mut failure) = self.credentials.authorize(&mut this_try, context).await {
                failure.operation = Some(operation);
                tracing::debug!(error = %failure, "credentials failed");
                record(|state| state.failure = Some(Error::Authentication(failure)));
                break None;
            }

            let sent = Instant::now();
            let outcome = client.execute(this_try).await;
            let waited = started.elapsed();
            let delay = match &outcome {
                Ok(response) if response.status() == StatusCode::UNAUTHORIZED && !renewed => {
                    renewed = true;
                    if self.credentials.renew() {
                        tracing::debug!("401: renewing the credentials and sending again");
                        if !last_chance {
                            continue;
                        }
                    }
                    None
                }
                Ok(response) => self.retry.delay_after_status(
                    response.status(),
                    response.headers(),
                    read_only,
                    attempt,
                    waited,
                ),
                Err(error) => self
                    .retry
                    .delay_after_error(error, read_only, attempt, waited),
            };
            match delay {
                Some(delay) if !last_chance => {
                    tracing::debug!(
                        attempt,
                        outcome = %describe(&outcome),
                        took_ms = sent.elapsed().as_millis() as u64,
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
                _ => break Some(outcome),
            }
        };

        span.record("attempts", attempt);
        let answered = match &outcome {
            Some(Ok(response)) => {
                let status = response.status().as_u16();
                let id = response.headers().get(X_REQUEST_ID).cloned();
                span.record("status", status);
                if let Some(text) = id.as_ref().and_then(|id| id.to_str().ok()) {
                    span.record("request_id", text);
                }
                Some((status, id))
            }
            _ => None,
        };
        let timeout = self.timeout;
        record(|state| {
            state.attempts = attempt;
            state.timeout = Some(timeout);
            if let Some((status, id)) = answered {
                state.status = Some(status);
                state.request_id = id;
            }
        });
        let Some(outcome) = outcome else {
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            return Ok(refusal());
        };
        let outcome = match outcome {
            Ok(response) if !response.status().is_success() => keep_error_body(response).await,
            other => other,
        };

        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &outcome {
            Ok(response) => tracing::debug!(status = response.status().as_u16(), "answered"),
            Err(error) => tracing::debug!(error = %error, "no answer"),
        }
        outcome
    }
}

/// Reads the start of an error answer's body into the call record, and hands the generated code
/// the same answer with that start as its body. The generated code would decode the body into
/// `ErrorResponse`, which keeps two members, or not at all for a status it does not expect; the
/// bytes themselves tell the client what the service said.
async fn keep_error_body(mut response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let mut body = BytesMut::new();
    while body.len() < ERROR_BODY_LIMIT {
        match response.chunk().await? {
            Some(chunk) => body.extend_from_slice(&chunk),
            None => break,
        }
    }
    body.truncate(ERROR_BODY_LIMIT);
    let body = body.freeze();

    let mut copy = http::Response::new(body.clone());
    *copy.status_mut() = response.status();
    *copy.version_mut() = response.version();
    *copy.headers_mut() = response.headers().clone();
    // The body may have been cut short.
    copy.headers_mut()
        .insert(reqwest::header::CONTENT_LENGTH, body.len().into());
    record(|state| state.error_body = Some(body));
    Ok(reqwest::Response::from(copy))
}

/// Whether repeating `operation` cannot change anything on the service. The spec's operation
/// ids follow a convention: reads are named `list_…`, `show_…` or `batch_show_…` (some of them
/// are POSTs because they take a list of jobs in the body).
pub(crate) fn is_read_only(operation: &str, method: &reqwest::Method) -> bool {
    method == reqwest::Method::GET
        || ["list_", "show_", "batch_show_"]
            .iter()
            .any(|prefix| operation.starts_with(prefix))
}

fn describe(outcome: &reqwest::Result<reqwest::Response>) -> String {
    match outcome {
        Ok(response) => format!("HTTP {}", response.status().as_u16()),
        Err(error) => error.to_string(),
    }
}

/// The answer the generated code gets when the transport gives up before sending (the
/// credentials failed): an empty 401. The real failure is in the call record, which the client
/// reads first; a caller of the low-level client sees a 401 with no body.
fn refusal() -> reqwest::Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    reqwest::Response::from(response)
}

/// Checks a JSON request body and the query against the documented constraints.
fn check_request(request: &reqwest::Request, operation: &'static str) -> Result<(), InvalidInput> {
    match validate::rules(operation) {
        Some(rules) => validate::check(
            operation,
            rules,
            request.url(),
            request.body().and_then(reqwest::Body::as_bytes),
        ),
        None => Ok(()),
    }
}
