//! Jobs as the unit of work: batch calls that answer job by job, single-job calls built on them,
//! and the phase of a job status.
//!
//! The batch endpoints (4.1.11-4.1.14, 4.1.19, 4.1.21, 4.1.22) answer with a `results` array in
//! which each job succeeds or fails on its own, often under HTTP 200 or 202. The batch methods
//! of [`Client`] turn that array into one [`JobOutcome`] per requested job, in the order asked,
//! sending long lists in several requests ([`ClientBuilder::max_jobs_per_request`]). The
//! single-job methods return the crate's [`Error`], with [`Error::JobNotFound`] for a job that
//! does not exist, whichever way the service says so.
//!
//! [`ClientBuilder::max_jobs_per_request`]: crate::ClientBuilder::max_jobs_per_request

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;

use huaweicloud_drs_api::ResponseValue;

use crate::error::{ApiError, DecodeError, Error, write_request_id};
use crate::error_code::ErrorCode;
use crate::job_status::{JobPhase, documented_job_status};
use crate::types::{self, JobStatus, PauseJobRequestPauseMode, StopOrDeleteJobRequestDeleteType};
use crate::{Client, transport};

/// The most items a page of the status and detail queries holds (`page_req.per_page`, tables
/// 4-155 and 4-177): a request of those two never carries more jobs than one page returns.
const PAGE_REQ_MAX: usize = 100;

/// The phase of a job status, from appendix A.4; `None` for a status the reference does not list.
pub fn job_phase(status: &JobStatus) -> Option<JobPhase> {
    documented_job_status(status.as_str()).map(|documented| documented.phase)
}

/// What became of one job of a batch call.
#[derive(Clone, Debug, PartialEq)]
pub struct JobOutcome<T> {
    pub job_id: String,
    pub result: Result<T, JobError>,
}

/// Why one job of a batch call did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobError {
    /// The operation (`operationId`) of the request the job was sent in.
    pub operation: &'static str,
    pub job_id: String,
    pub kind: JobErrorKind,
    /// The service's error code (appendix A.3); `None` when it gave none.
    pub code: Option<ErrorCode>,
    /// The service's message, or what its answer lacks.
    pub message: String,
    /// The HTTP status of the answer: 200 or 202 for a failure reported job by job.
    pub status: u16,
    pub request_id: Option<String>,
}

/// Where a [`JobError`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JobErrorKind {
    /// The answer's result for the job reports a failure: `status: failed`, or an error code.
    Failed,
    /// The service refused the whole request the job was sent in, carrying `jobs` jobs: when
    /// there were several, the code may concern another of them.
    RequestRefused { jobs: usize },
    /// The answer has no result for the job, or one without the documented value.
    NoResult,
}

impl JobError {
    /// Whether the service said that this job does not exist: `DRS.M00298` or `DRS.M05003` for
    /// the job itself, or for a refused request that carried only this job.
    pub fn is_job_not_found(&self) -> bool {
        let own = match self.kind {
            JobErrorKind::Failed => true,
            JobErrorKind::RequestRefused { jobs } => jobs == 1,
            JobErrorKind::NoResult => false,
        };
        own && self.code.as_ref().is_some_and(means_job_not_found)
    }
}

/// The codes of appendix A.3 that say a job does not exist. `DRS.M05004` ("deleted or its
/// resources released") is not one of them: a job whose resources were released still exists.
fn means_job_not_found(code: &ErrorCode) -> bool {
    matches!(code, ErrorCode::DrsM00298 | ErrorCode::DrsM05003)
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: job {}: ", self.operation, self.job_id)?;
        match self.kind {
            JobErrorKind::Failed => write!(f, "failed (HTTP {})", self.status)?,
            JobErrorKind::RequestRefused { jobs } => write!(
                f,
                "the request carrying it and {} other job(s) was refused with HTTP {}",
                jobs.saturating_sub(1),
                self.status
            )?,
            JobErrorKind::NoResult => write!(f, "no result in the HTTP {} answer", self.status)?,
        }
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        write_request_id(f, self.request_id.as_deref())
    }
}

impl std::error::Error for JobError {}

/// The error a single-job call reports: [`Error::JobNotFound`] when the service said the job
/// does not exist, [`Error::Decode`] when its answer had no result for the job, and
/// [`Error::Api`] otherwise.
impl From<JobError> for Error {
    fn from(error: JobError) -> Self {
        if error.is_job_not_found() {
            return Error::JobNotFound {
                job_id: error.job_id,
            };
        }
        match error.kind {
            JobErrorKind::NoResult => Error::Decode(DecodeError {
                operation: error.operation,
                status: error.status,
                path: "results".into(),
                message: format!(
                    "expected a result for job {}: {}",
                    error.job_id, error.message
                ),
                request_id: error.request_id,
                body_excerpt: String::new(),
            }),
            JobErrorKind::Failed | JobErrorKind::RequestRefused { .. } => Error::Api(ApiError {
                operation: error.operation,
                status: error.status,
                // A result marked failed without a code keeps an empty one rather than a
                // made-up code.
                code: error
                    .code
                    .unwrap_or_else(|| ErrorCode::Unknown(String::new())),
                message: error.message,
                request_id: error.request_id,
                attempts: 1,
            }),
        }
    }
}

/// One item of a batch answer's `results`.
trait BatchItem {
    type Value;

    fn job_id(&self) -> Option<&str>;

    /// `Some((code, message))` when the item reports a failure.
    fn failure(&self) -> Option<(Option<&str>, Option<&str>)>;

    /// The item's value, or what it lacks.
    fn into_value(self) -> Result<Self::Value, &'static str>;
}

/// An error code that says something: the service sometimes sends an empty one.
fn present(code: Option<&String>) -> Option<&str> {
    code.map(|code| code.trim()).filter(|code| !code.is_empty())
}

impl BatchItem for types::JobActionResult {
    type Value = ();

    fn job_id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    fn failure(&self) -> Option<(Option<&str>, Option<&str>)> {
        let code = present(self.error_code.as_ref());
        let failed = matches!(self.status, Some(types::ResultStatus::Failed));
        (failed || code.is_some()).then_some((code, self.error_msg.as_deref()))
    }

    fn into_value(self) -> Result<(), &'static str> {
        Ok(())
    }
}

impl BatchItem for types::JobStatusInfo {
    type Value = JobStatus;

    fn job_id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    fn failure(&self) -> Option<(Option<&str>, Option<&str>)> {
        present(self.error_code.as_ref()).map(|code| (Some(code), self.error_message.as_deref()))
    }

    fn into_value(self) -> Result<JobStatus, &'static str> {
        self.status.ok_or("the result has no `status`")
    }
}

impl BatchItem for types::JobProgress {
    type Value = types::JobProgress;

    fn job_id(&self) -> Option<&str> {
        self.job_id.as_deref()
    }

    fn failure(&self) -> Option<(Option<&str>, Option<&str>)> {
        present(self.error_code.as_ref()).map(|code| (Some(code), self.error_msg.as_deref()))
    }

    fn into_value(self) -> Result<types::JobProgress, &'static str> {
        Ok(self)
    }
}

impl BatchItem for types::JobDetail {
    type Value = types::JobDetail;

    fn job_id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    fn failure(&self) -> Option<(Option<&str>, Option<&str>)> {
        present(self.error_code.as_ref()).map(|code| (Some(code), self.error_message.as_deref()))
    }

    fn into_value(self) -> Result<types::JobDetail, &'static str> {
        Ok(self)
    }
}

/// The `results` of one batch answer, with what identifies the answer.
struct BatchAnswer<I> {
    items: Vec<I>,
    status: u16,
    request_id: Option<String>,
}

impl<I> BatchAnswer<I> {
    fn new<B>(response: ResponseValue<B>, results: impl FnOnce(B) -> Option<Vec<I>>) -> Self {
        let status = response.status().as_u16();
        let request_id = transport::request_id(response.headers());
        Self {
            items: results(response.into_inner()).unwrap_or_default(),
            status,
            request_id,
        }
    }
}

impl<I: BatchItem> BatchAnswer<I> {
    /// One outcome per job of `job_ids`, in that order. Results are matched by job id; a
    /// result without one is taken as the job's only when the request carried a single job.
    fn outcomes(self, operation: &'static str, job_ids: Vec<String>) -> Vec<JobOutcome<I::Value>> {
        let mut by_id: HashMap<String, VecDeque<I>> = HashMap::new();
        let mut unnamed = VecDeque::new();
        for item in self.items {
            match item.job_id().filter(|id| !id.is_empty()) {
                Some(id) => by_id.entry(id.to_string()).or_default().push_back(item),
                None => unnamed.push_back(item),
            }
        }
        let single = job_ids.len() == 1;
        job_ids
            .into_iter()
            .map(|job_id| {
                let mut item = by_id.get_mut(&job_id).and_then(VecDeque::pop_front);
                if item.is_none() && single {
                    item = unnamed.pop_front();
                }
                let error = |kind, code: Option<&str>, message: &str| JobError {
                    operation,
                    job_id: job_id.clone(),
                    kind,
                    code: code.map(ErrorCode::parse),
                    message: message.to_string(),
                    status: self.status,
                    request_id: self.request_id.clone(),
                };
                let result = match item {
                    None => Err(error(
                        JobErrorKind::NoResult,
                        None,
                        "the answer has no result for this job",
                    )),
                    Some(item) => match item.failure() {
                        Some((code, message)) => Err(error(
                            JobErrorKind::Failed,
                            code,
                            message.unwrap_or_default(),
                        )),
                        None => item
                            .into_value()
                            .map_err(|lack| error(JobErrorKind::NoResult, None, lack)),
                    },
                };
                JobOutcome { job_id, result }
            })
            .collect()
    }
}

impl Client {
    /// Sends `job_ids` in requests of at most `max_jobs_per_request` (and `cap`) jobs, one after
    /// another, and merges the outcomes in input order. A request the service refuses with a
    /// DRS error becomes a failure of each of its jobs; any other failure (network,
    /// authentication, an answer that does not decode) ends the call, and jobs of earlier
    /// requests may already have been acted on.
    async fn run_batch<S, I, F, Fut>(
        &self,
        operation: &'static str,
        job_ids: &[S],
        cap: usize,
        mut send: F,
    ) -> Result<Vec<JobOutcome<I::Value>>, Error>
    where
        S: AsRef<str>,
        I: BatchItem,
        F: FnMut(Vec<String>) -> Fut,
        Fut: Future<Output = Result<BatchAnswer<I>, Error>>,
    {
        if let Some(index) = job_ids.iter().position(|id| id.as_ref().trim().is_empty()) {
            return Err(Error::InvalidInput(crate::InvalidInput {
                operation,
                field: format!("job_ids[{index}]"),
                expected: "a job id".into(),
                found: format!("{:?}", job_ids[index].as_ref()),
            }));
        }
        let chunk_size = self.shared.max_jobs_per_request.min(cap).max(1);
        let mut outcomes = Vec::with_capacity(job_ids.len());
        for chunk in job_ids.chunks(chunk_size) {
            let ids: Vec<String> = chunk.iter().map(|id| id.as_ref().to_string()).collect();
            match send(ids.clone()).await {
                Ok(answer) => outcomes.extend(answer.outcomes(operation, ids)),
                Err(Error::Api(refusal)) => {
                    let jobs = ids.len();
                    outcomes.extend(ids.into_iter().map(|job_id| JobOutcome {
                        result: Err(JobError {
                            operation,
                            job_id: job_id.clone(),
                            kind: JobErrorKind::RequestRefused { jobs },
                            code: Some(refusal.code.clone()),
                            message: refusal.message.clone(),
                            status: refusal.status,
                            request_id: refusal.request_id.clone(),
                        }),
                        job_id,
                    }));
                }
                Err(other) => return Err(other),
            }
        }
        Ok(outcomes)
    }

    /// Starts jobs now (4.1.11).
    pub async fn start_jobs<S: AsRef<str>>(
        &self,
        job_ids: &[S],
    ) -> Result<Vec<JobOutcome<()>>, Error> {
        self.run_batch("batch_start_jobs", job_ids, usize::MAX, |ids| async move {
            let jobs = ids
                .into_iter()
                .map(types::StartJobRequest::new)
                .collect::<Vec<_>>();
            let body = types::BatchStartJobsRequest::new(jobs);
            let response = self.batch_start_jobs().body(body).send().await?;
            Ok(BatchAnswer::new(response, |body| body.results))
        })
        .await
    }

    /// Resumes paused jobs, or retries failed ones (4.1.12).
    pub async fn retry_jobs<S: AsRef<str>>(
        &self,
        job_ids: &[S],
    ) -> Result<Vec<JobOutcome<()>>, Error> {
        self.run_batch("batch_retry_jobs", job_ids, usize::MAX, |ids| async move {
            let jobs = ids
                .into_iter()
                .map(types::RetryJobRequest::new)
                .collect::<Vec<_>>();
            let body = types::BatchRetryJobsRequest::new(jobs);
            let response = self.batch_retry_jobs().body(body).send().await?;
            Ok(BatchAnswer::new(response, |body| body.results))
        })
        .await
    }

    /// Pauses jobs (4.1.13): `Target` stops the replay, `All` the log capture and the replay.
    pub async fn pause_jobs<S: AsRef<str>>(
        &self,
        job_ids: &[S],
        mode: PauseJobRequestPauseMode,
    ) -> Result<Vec<JobOutcome<()>>, Error> {
        self.run_batch("batch_pause_jobs", job_ids, usize::MAX, |ids| {
            let mode = mode.clone();
            async move {
                let jobs = ids
                    .into_iter()
                    .map(|job_id| types::PauseJobRequest::new(job_id, mode.clone()))
                    .collect::<Vec<_>>();
                let body = types::BatchPauseJobsRequest::new(jobs);
                let response = self.batch_pause_jobs().body(body).send().await?;
                Ok(BatchAnswer::new(response, |body| body.results))
            }
        })
        .await
    }

    /// Ends jobs (4.1.14, `delete_type: terminate`).
    pub async fn stop_jobs<S: AsRef<str>>(
        &self,
        job_ids: &[S],
    ) -> Result<Vec<JobOutcome<()>>, Error> {
        self.stop_or_delete(job_ids, StopOrDeleteJobRequestDeleteType::Terminate)
            .await
    }

    /// Ends jobs forcibly (4.1.14, `delete_type: force_terminate`).
    pub async fn force_stop_jobs<S: AsRef<str>>(
        &self,
        job_ids: &[S],
    ) -> Result<Vec<JobOutcome<()>>, Error> {
        self.stop_or_delete(job_ids, StopOrDeleteJobRequestDeleteType::ForceTerminate)
            .await
    }

    /// Deletes jobs (4.1.14, `delete_type: delete`). Only jobs in `CREATE_FAILED`,
    /// `RELEASE_RESOURCE_COMPLETE` or `RELEASE_CHILD_TRANSFER_COMPLETE` can be deleted.
    pub async fn delete_jobs<S: AsRef<str>>(
        &self,
        job_ids: &[S],
    ) -> Result<Vec<JobOutcome<()>>, Error> {
        self.stop_or_delete(job_ids, StopOrDeleteJobRequestDeleteType::Delete)
            .await
    }

    async fn stop_or_delete<S: AsRef<str>>(
        &self,
        job_ids: &[S],
        delete_type: StopOrDeleteJobRequestDeleteType,
    ) -> Result<Vec<JobOutcome<()>>, Error> {
        self.run_batch("batch_stop_or_delete_jobs", job_ids, usize::MAX, |ids| {
            let delete_type = delete_type.clone();
            async move {
                let jobs = ids
                    .into_iter()
                    .map(|job_id| types::StopOrDeleteJobRequest::new(delete_type.clone(), job_id))
                    .collect::<Vec<_>>();
                let body = types::BatchStopOrDeleteJobsRequest::new(jobs);
                let response = self.batch_stop_or_delete_jobs().body(body).send().await?;
                Ok(BatchAnswer::new(response, |body| body.results))
            }
        })
        .await
    }

    /// The status of each job (4.1.22). A deleted job's status is `DELETED` here.
    pub async fn job_statuses<S: AsRef<str>>(
        &self,
        job_ids: &[S],
    ) -> Result<Vec<JobOutcome<JobStatus>>, Error> {
        self.run_batch(
            "batch_show_job_statuses",
            job_ids,
            PAGE_REQ_MAX,
            |ids| async move {
                let page_req = Some(one_page(ids.len()));
                let mut body = types::BatchShowJobStatusesRequest::new(ids);
                body.page_req = page_req;
                let response = self.batch_show_job_statuses().body(body).send().await?;
                Ok(BatchAnswer::new(response, |body| body.results))
            },
        )
        .await
    }

    /// The progress of each job: full migration percentage, incremental delay (4.1.19).
    pub async fn jobs_progress<S: AsRef<str>>(
        &self,
        job_ids: &[S],
    ) -> Result<Vec<JobOutcome<types::JobProgress>>, Error> {
        self.run_batch(
            "batch_show_progress",
            job_ids,
            usize::MAX,
            |ids| async move {
                let body = types::BatchShowProgressRequest::new(ids);
                let response = self.batch_show_progress().body(body).send().await?;
                Ok(BatchAnswer::new(response, |body| body.results))
            },
        )
        .await
    }

    /// The details of each job (4.1.21).
    pub async fn job_details<S: AsRef<str>>(
        &self,
        job_ids: &[S],
    ) -> Result<Vec<JobOutcome<types::JobDetail>>, Error> {
        self.run_batch(
            "batch_show_job_details",
            job_ids,
            PAGE_REQ_MAX,
            |ids| async move {
                let page_req = Some(one_page(ids.len()));
                let mut body = types::BatchShowJobDetailsRequest::new(ids);
                body.page_req = page_req;
                let response = self.batch_show_job_details().body(body).send().await?;
                Ok(BatchAnswer::new(response, |body| body.results))
            },
        )
        .await
    }

    /// Starts one job now (4.1.11).
    pub async fn start_job(&self, job_id: &str) -> Result<(), Error> {
        single(
            "batch_start_jobs",
            job_id,
            self.start_jobs(&[job_id]).await?,
        )
    }

    /// Resumes a paused job, or retries a failed one (4.1.12).
    pub async fn retry_job(&self, job_id: &str) -> Result<(), Error> {
        single(
            "batch_retry_jobs",
            job_id,
            self.retry_jobs(&[job_id]).await?,
        )
    }

    /// Pauses one job (4.1.13).
    pub async fn pause_job(
        &self,
        job_id: &str,
        mode: PauseJobRequestPauseMode,
    ) -> Result<(), Error> {
        single(
            "batch_pause_jobs",
            job_id,
            self.pause_jobs(&[job_id], mode).await?,
        )
    }

    /// Ends one job (4.1.14, `terminate`).
    pub async fn stop_job(&self, job_id: &str) -> Result<(), Error> {
        single(
            "batch_stop_or_delete_jobs",
            job_id,
            self.stop_jobs(&[job_id]).await?,
        )
    }

    /// Ends one job forcibly (4.1.14, `force_terminate`).
    pub async fn force_stop_job(&self, job_id: &str) -> Result<(), Error> {
        single(
            "batch_stop_or_delete_jobs",
            job_id,
            self.force_stop_jobs(&[job_id]).await?,
        )
    }

    /// Deletes one job (4.1.14, `delete`).
    pub async fn delete_job(&self, job_id: &str) -> Result<(), Error> {
        single(
            "batch_stop_or_delete_jobs",
            job_id,
            self.delete_jobs(&[job_id]).await?,
        )
    }

    /// The status of one job (4.1.22); a `DELETED` job is [`Error::JobNotFound`].
    pub async fn job_status(&self, job_id: &str) -> Result<JobStatus, Error> {
        match self.current_status(job_id).await? {
            JobStatus::Deleted => Err(not_found(job_id)),
            status => Ok(status),
        }
    }

    /// The status of one job as the service gives it, `DELETED` included.
    pub(crate) async fn current_status(&self, job_id: &str) -> Result<JobStatus, Error> {
        single(
            "batch_show_job_statuses",
            job_id,
            self.job_statuses(&[job_id]).await?,
        )
    }

    /// The progress of one job (4.1.19); a job whose `transfer_status` is `DELETED` is
    /// [`Error::JobNotFound`].
    pub async fn job_progress(&self, job_id: &str) -> Result<types::JobProgress, Error> {
        let progress = single(
            "batch_show_progress",
            job_id,
            self.jobs_progress(&[job_id]).await?,
        )?;
        if progress.transfer_status.as_deref() == Some(JobStatus::Deleted.as_str()) {
            return Err(not_found(job_id));
        }
        Ok(progress)
    }

    /// The details of one job (4.1.21); a `DELETED` job is [`Error::JobNotFound`].
    pub async fn job_detail(&self, job_id: &str) -> Result<types::JobDetail, Error> {
        let detail = single(
            "batch_show_job_details",
            job_id,
            self.job_details(&[job_id]).await?,
        )?;
        if detail.status == Some(JobStatus::Deleted) {
            return Err(not_found(job_id));
        }
        Ok(detail)
    }
}

/// A `page_req` asking for all `jobs` of a request on its first page.
fn one_page(jobs: usize) -> types::PageReq {
    let mut page = types::PageReq::default();
    page.cur_page = Some(1);
    page.per_page = Some(i32::try_from(jobs).unwrap_or(i32::MAX));
    page
}

fn not_found(job_id: &str) -> Error {
    Error::JobNotFound {
        job_id: job_id.to_string(),
    }
}

/// The outcome of the one job of a single-job call.
fn single<T>(
    operation: &'static str,
    job_id: &str,
    outcomes: Vec<JobOutcome<T>>,
) -> Result<T, Error> {
    match outcomes.into_iter().next() {
        Some(outcome) => outcome.result.map_err(Error::from),
        // run_batch gives one outcome per job asked for, so this is not reached; it is an
        // error rather than a panic all the same.
        None => Err(Error::Decode(DecodeError {
            operation,
            status: 0,
            path: "results".into(),
            message: format!("expected a result for job {job_id}, found none"),
            request_id: None,
            body_excerpt: String::new(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(id: &str, status: &str, code: Option<&str>) -> types::JobActionResult {
        let mut result = types::JobActionResult::default();
        result.error_code = code.map(str::to_string);
        result.error_msg = code.map(|_| "message".to_string());
        result.id = Some(id.to_string());
        result.status = Some(status.into());
        result
    }

    fn answer(items: Vec<types::JobActionResult>) -> BatchAnswer<types::JobActionResult> {
        BatchAnswer {
            items,
            status: 202,
            request_id: None,
        }
    }

    #[test]
    fn results_are_matched_by_id_in_input_order() {
        let outcomes = answer(vec![
            action("b", "failed", Some("DRS.M01504")),
            action("a", "success", None),
        ])
        .outcomes(
            "batch_stop_or_delete_jobs",
            vec!["a".into(), "b".into(), "c".into()],
        );
        let ids: Vec<_> = outcomes.iter().map(|o| o.job_id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(outcomes[0].result, Ok(()));
        let failed = outcomes[1].result.clone().unwrap_err();
        assert_eq!(failed.kind, JobErrorKind::Failed);
        assert_eq!(failed.code, Some(ErrorCode::DrsM01504));
        assert_eq!(failed.status, 202);
        let missing = outcomes[2].result.clone().unwrap_err();
        assert_eq!(missing.kind, JobErrorKind::NoResult);
        assert_eq!(missing.code, None);
    }

    #[test]
    fn an_error_code_fails_a_job_even_under_success_and_an_empty_one_does_not() {
        let outcomes = answer(vec![
            action("a", "success", Some("DRS.KE0008")),
            action("b", "success", Some("")),
        ])
        .outcomes("batch_start_jobs", vec!["a".into(), "b".into()]);
        assert_eq!(
            outcomes[0].result.as_ref().unwrap_err().code,
            Some(ErrorCode::parse("DRS.KE0008"))
        );
        assert_eq!(outcomes[1].result, Ok(()));
    }

    #[test]
    fn an_unnamed_result_belongs_to_a_lone_job_only() {
        let mut unnamed = action("x", "success", None);
        unnamed.id = None;
        let lone = answer(vec![unnamed.clone()]).outcomes("batch_start_jobs", vec!["a".into()]);
        assert_eq!(lone[0].result, Ok(()));
        let pair = answer(vec![unnamed]).outcomes("batch_start_jobs", vec!["a".into(), "b".into()]);
        assert!(pair.iter().all(|o| o.result.is_err()));
    }

    #[test]
    fn not_found_needs_the_code_to_concern_the_job() {
        let error = |kind| JobError {
            operation: "batch_start_jobs",
            job_id: "a".into(),
            kind,
            code: Some(ErrorCode::DrsM00298),
            message: "Job does not exist, please check job id.".into(),
            status: 400,
            request_id: None,
        };
        assert!(error(JobErrorKind::Failed).is_job_not_found());
        assert!(error(JobErrorKind::RequestRefused { jobs: 1 }).is_job_not_found());
        assert!(!error(JobErrorKind::RequestRefused { jobs: 2 }).is_job_not_found());
        let shared = Error::from(error(JobErrorKind::RequestRefused { jobs: 2 }));
        assert_eq!(shared.code(), Some(&ErrorCode::DrsM00298));
        assert!(matches!(
            Error::from(error(JobErrorKind::Failed)),
            Error::JobNotFound { job_id } if job_id == "a"
        ));
    }

    #[test]
    fn phases_come_from_appendix_a4() {
        assert_eq!(
            job_phase(&JobStatus::FullTransferComplete),
            Some(JobPhase::Finished)
        );
        assert_eq!(
            job_phase(&JobStatus::IncreTransferFailed),
            Some(JobPhase::Failed)
        );
        assert_eq!(job_phase(&JobStatus::Deleted), Some(JobPhase::Released));
        assert_eq!(job_phase(&JobStatus::from("SOMETHING_NEW")), None);
    }
}
