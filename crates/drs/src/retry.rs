//! When a request is sent again: exponential backoff with jitter on throttling (429), gateway
//! failures (502, 503, 504) and connection failures, honouring `Retry-After`, bounded in attempts
//! and in total time.
//!
//! A request that may already have changed something on the service (the gateway timed out after
//! forwarding it, say) is repeated only when the operation is read-only or the caller opted in
//! with [`RetryPolicy::retry_writes`]. Throttling (429) and failures to connect mean the request
//! was not processed, so they are retried for every operation.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::time::parse_http_date;

/// How a client retries. The default makes up to 3 attempts within 30 seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included; 1 disables retries.
    pub max_attempts: u32,
    /// The delay before the second attempt; each later one doubles it, up to `max_delay`.
    pub initial_delay: Duration,
    pub max_delay: Duration,
    /// No retry starts once this much time has passed since the first attempt, and no delay
    /// (`Retry-After` included) is waited that would end past it.
    pub max_elapsed: Duration,
    /// Also repeat requests that are not read-only after a gateway failure or a timeout.
    pub retry_writes: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            retry_writes: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never sends a request twice.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The same policy, repeating requests that are not read-only too.
    pub fn retry_writes(mut self, retry_writes: bool) -> Self {
        self.retry_writes = retry_writes;
        self
    }

    /// The delay before another attempt after an answer with `status`, or `None` to stop.
    pub(crate) fn delay_after_status(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        read_only: bool,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        // Throttling means the request was not processed; a gateway failure may come after
        // the service acted.
        let status = status.as_u16();
        let repeatable = is_transient(status) && (status == 429 || read_only || self.retry_writes);
        if !repeatable {
            return None;
        }
        let delay = match retry_after(headers, SystemTime::now()) {
            Some(asked) => asked,
            None => self.backoff(attempt),
        };
        self.within_bounds(delay, attempt, elapsed)
    }

    /// The delay before another attempt after a request that got no answer, or `None` to stop.
    pub(crate) fn delay_after_error(
        &self,
        error: &reqwest::Error,
        read_only: bool,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        // A failure to connect means nothing reached the service; a timeout or a broken
        // connection may come after the service acted.
        let repeatable = if error.is_connect() {
            true
        } else {
            (error.is_timeout() || error.is_request()) && (read_only || self.retry_writes)
        };
        if !repeatable {
            return None;
        }
        self.within_bounds(self.backoff(attempt), attempt, elapsed)
    }

    fn within_bounds(&self, delay: Duration, attempt: u32, elapsed: Duration) -> Option<Duration> {
        if attempt >= self.max_attempts || elapsed.saturating_add(delay) > self.max_elapsed {
            return None;
        }
        Some(delay)
    }

    /// A random delay between half and all of `initial_delay * 2^(attempt-1)`, capped at
    /// `max_delay`: the jitter spreads out clients that failed together, and the lower half
    /// is kept so that no retry comes back at once.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        let ceiling = self
            .initial_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        let half = ceiling / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Whether an answer with `status` says the service is throttling (429) or unavailable for now
/// (502, 503, 504): the same request may succeed later.
pub(crate) fn is_transient(status: u16) -> bool {
    matches!(status, 429 | 502..=504)
}

/// The delay a `Retry-After` header asks for: a number of seconds, or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn backoff_doubles_within_jitter_and_stops_at_the_cap() {
        let policy = RetryPolicy::default();
        for (attempt, ceiling_ms) in [(1, 200), (2, 400), (3, 800), (6, 5000), (40, 5000)] {
            for _ in 0..50 {
                let delay = policy.backoff(attempt).as_millis() as u64;
                assert!(
                    (ceiling_ms / 2..=ceiling_ms).contains(&delay),
                    "attempt {attempt}: {delay} ms"
                );
            }
        }
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        // 2015-10-21 07:28:00 UTC is 1445412480; ten seconds later:
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:10 GMT"), now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:27:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
    }

    #[test]
    fn writes_are_repeated_only_after_throttling_unless_opted_in() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        let zero = Duration::ZERO;
        assert!(
            policy
                .delay_after_status(StatusCode::TOO_MANY_REQUESTS, &none, false, 1, zero)
                .is_some()
        );
        assert!(
            policy
                .delay_after_status(StatusCode::BAD_GATEWAY, &none, false, 1, zero)
                .is_none()
        );
        assert!(
            policy
                .delay_after_status(StatusCode::BAD_GATEWAY, &none, true, 1, zero)
                .is_some()
        );
        let writes = policy.clone().retry_writes(true);
        assert!(
            writes
                .delay_after_status(StatusCode::GATEWAY_TIMEOUT, &none, false, 1, zero)
                .is_some()
        );
        assert!(
            policy
                .delay_after_status(StatusCode::INTERNAL_SERVER_ERROR, &none, true, 1, zero)
                .is_none()
        );
    }

    #[test]
    fn attempts_and_total_time_are_bounded() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        let status = StatusCode::SERVICE_UNAVAILABLE;
        assert!(
            policy
                .delay_after_status(status, &none, true, 2, Duration::ZERO)
                .is_some()
        );
        assert!(
            policy
                .delay_after_status(status, &none, true, 3, Duration::ZERO)
                .is_none()
        );
        // A Retry-After beyond the time left is not waited for.
        assert!(
            policy
                .delay_after_status(status, &headers("29"), true, 1, Duration::from_secs(2))
                .is_none()
        );
        assert!(
            policy
                .delay_after_status(status, &headers("1"), true, 1, Duration::from_secs(2))
                .is_some()
        );
    }

    /// The error of a request to 127.0.0.1:`port`.
    async fn error_from(port: u16) -> reqwest::Error {
        #[cfg(feature = "rustls")]
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/v3/p/jobs/batch-starting"))
            .body("{}")
            .send()
            .await
            .expect_err("no answer")
    }

    #[tokio::test]
    async fn a_refused_connection_is_repeated_even_for_a_write() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        let refused = error_from(port).await;
        assert!(refused.is_connect(), "{refused:?}");

        let policy = RetryPolicy::default();
        assert!(
            policy
                .delay_after_error(&refused, false, 1, Duration::ZERO)
                .is_some()
        );
        assert!(
            policy
                .delay_after_error(&refused, false, 3, Duration::ZERO)
                .is_none()
        );
    }

    #[tokio::test]
    async fn a_connection_lost_after_sending_is_repeated_only_for_reads() {
        // A server that accepts the connection and closes it without answering: the request
        // may have reached the service.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            if let Ok((stream, _)) = listener.accept() {
                drop(stream);
            }
        });
        let lost = error_from(port).await;
        assert!(!lost.is_connect(), "{lost:?}");

        let policy = RetryPolicy::default();
        let zero = Duration::ZERO;
        assert!(policy.delay_after_error(&lost, false, 1, zero).is_none());
        assert!(policy.delay_after_error(&lost, true, 1, zero).is_some());
        let writes = policy.retry_writes(true);
        assert!(writes.delay_after_error(&lost, false, 1, zero).is_some());
    }
}
