//! Waiting for a job: polls its status until it reaches a target status or phase, fails, or
//! time runs out, reporting each change of status on the way (to drive a progress display).

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use crate::Client;
use crate::error::Error;
use crate::job_status::JobPhase;
use crate::jobs::job_phase;
use crate::types::JobStatus;

/// The default time between two polls of a job's status.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(10);
/// The default time a wait may take in all.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(3600);

/// The shortest time between two polls.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_millis(10);

/// What a wait waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitTarget {
    /// This status, such as `INCRE_TRANSFER_STARTED`.
    Status(JobStatus),
    /// Any status of this phase (appendix A.4), such as [`JobPhase::Finished`].
    Phase(JobPhase),
}

impl WaitTarget {
    /// Whether `status` is what is waited for.
    pub fn is_reached_by(&self, status: &JobStatus) -> bool {
        match self {
            Self::Status(target) => target == status,
            Self::Phase(phase) => job_phase(status) == Some(*phase),
        }
    }
}

impl std::fmt::Display for WaitTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Status(status) => write!(f, "status {status}"),
            Self::Phase(phase) => write!(f, "a status of phase {phase:?}"),
        }
    }
}

impl From<JobStatus> for WaitTarget {
    fn from(status: JobStatus) -> Self {
        Self::Status(status)
    }
}

impl From<JobPhase> for WaitTarget {
    fn from(phase: JobPhase) -> Self {
        Self::Phase(phase)
    }
}

/// A status a wait saw for the first time since the previous poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub job_id: String,
    /// The status before; `None` at the first poll.
    pub previous: Option<JobStatus>,
    pub status: JobStatus,
    /// The phase of `status`; `None` for a status the reference does not list.
    pub phase: Option<JobPhase>,
    /// The time since the wait began.
    pub elapsed: Duration,
}

type OnChange<'a> = Box<dyn FnMut(&StatusChange) + Send + 'a>;

/// A wait for a job, from [`Client::wait_for_job`]; `.await` it to run it.
#[must_use = "a wait does nothing until it is awaited"]
pub struct JobWait<'a> {
    client: &'a Client,
    job_id: String,
    target: WaitTarget,
    poll_interval: Duration,
    timeout: Duration,
    on_change: Option<OnChange<'a>>,
}

impl Client {
    /// Waits until the job reaches `target` (a [`JobStatus`] or a [`JobPhase`]), polling its
    /// status (4.1.22). The wait ends with:
    /// - the status reached;
    /// - [`Error::JobFailed`] when the job reaches a [`JobPhase::Failed`] status, or a
    ///   [`JobPhase::Released`] one other than `DELETED`, that is not the target;
    /// - [`Error::JobNotFound`] when the job is deleted or unknown, unless `DELETED` is the
    ///   target (or in it), which an unknown job then counts as reaching;
    /// - [`Error::WaitTimeout`], naming the target and the last status seen, once the timeout
    ///   has passed;
    /// - the error of a poll that fails.
    ///
    /// ```no_run
    /// # async fn run(client: huaweicloud_drs::Client) -> Result<(), huaweicloud_drs::Error> {
    /// use std::time::Duration;
    /// use huaweicloud_drs::JobPhase;
    ///
    /// let status = client
    ///     .wait_for_job("140b5236-88ad-43c8-811c-1268453jb101", JobPhase::Finished)
    ///     .poll_interval(Duration::from_secs(30))
    ///     .timeout(Duration::from_secs(6 * 3600))
    ///     .on_change(|change| println!("{} is now {}", change.job_id, change.status))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn wait_for_job(&self, job_id: &str, target: impl Into<WaitTarget>) -> JobWait<'_> {
        JobWait {
            client: self,
            job_id: job_id.to_string(),
            target: target.into(),
            poll_interval: DEFAULT_POLL_INTERVAL,
            timeout: DEFAULT_WAIT_TIMEOUT,
            on_change: None,
        }
    }
}

impl<'a> JobWait<'a> {
    /// The time between two polls, at least [`MIN_POLL_INTERVAL`] (a shorter one is raised to
    /// it, so that a zero interval does not flood the service). Default
    /// [`DEFAULT_POLL_INTERVAL`].
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval.max(MIN_POLL_INTERVAL);
        self
    }

    /// The time the whole wait may take. Default [`DEFAULT_WAIT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Calls `on_change` once for each status change seen, the first status included.
    pub fn on_change(mut self, on_change: impl FnMut(&StatusChange) + Send + 'a) -> Self {
        self.on_change = Some(Box::new(on_change));
        self
    }

    async fn run(mut self) -> Result<JobStatus, Error> {
        let started = Instant::now();
        let timeout = self.timeout;
        let deadline = started + timeout;
        let mut previous: Option<JobStatus> = None;
        let timed_out = |last: &Option<JobStatus>| Error::WaitTimeout {
            job_id: self.job_id.clone(),
            target: self.target.to_string(),
            last_status: last.as_ref().map(|status| status.as_str().to_string()),
            after: timeout,
        };
        loop {
            let polled =
                tokio::time::timeout_at(deadline, self.client.current_status(&self.job_id))
                    .await
                    .map_err(|_| timed_out(&previous))?;
            let status = match polled {
                Ok(status) => status,
                Err(Error::JobNotFound { .. })
                    if self.target.is_reached_by(&JobStatus::Deleted) =>
                {
                    JobStatus::Deleted
                }
                Err(error) => return Err(error),
            };

            if previous.as_ref() != Some(&status) {
                if let Some(on_change) = self.on_change.as_mut() {
                    on_change(&StatusChange {
                        job_id: self.job_id.clone(),
                        previous: previous.clone(),
                        status: status.clone(),
                        phase: job_phase(&status),
                        elapsed: started.elapsed(),
                    });
                }
                previous = Some(status.clone());
            }

            if self.target.is_reached_by(&status) {
                return Ok(status);
            }
            match (job_phase(&status), &status) {
                (Some(JobPhase::Released), JobStatus::Deleted) => {
                    return Err(Error::JobNotFound {
                        job_id: self.job_id,
                    });
                }
                (Some(JobPhase::Failed | JobPhase::Released), _) => {
                    return Err(Error::JobFailed {
                        job_id: self.job_id,
                        status: status.as_str().to_string(),
                    });
                }
                _ => {}
            }

            let now = Instant::now();
            if now >= deadline {
                return Err(timed_out(&previous));
            }
            tokio::time::sleep_until((now + self.poll_interval).min(deadline)).await;
            if Instant::now() >= deadline {
                return Err(timed_out(&previous));
            }
        }
    }
}

impl<'a> IntoFuture for JobWait<'a> {
    type Output = Result<JobStatus, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl fmt::Debug for JobWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobWait")
            .field("job_id", &self.job_id)
            .field("target", &self.target)
            .field("poll_interval", &self.poll_interval)
            .field("timeout", &self.timeout)
            .field("on_change", &self.on_change.is_some())
            .finish()
    }
}
