//! Client for Huawei Cloud's Data Replication Service (DRS) v3 API: database migration,
//! synchronization and disaster recovery jobs.
//!
//! [`Client`] is built once from a place (an endpoint or a region), credentials and a project
//! id (given, or looked up in IAM), and hands out every operation of the API with the project
//! id and the language already filled in:
//!
//! ```no_run
//! # async fn run() -> Result<(), huaweicloud_drs::Error> {
//! use huaweicloud_drs::{Client, types};
//!
//! let client = Client::new("drs.cn-north-4.myhuaweicloud.com", "0549...ef0", "MIIT...")?;
//! let body = types::BatchShowPrecheckResultsRequest::new(vec!["a1b2...jb01".into()]);
//! let results = client.batch_show_precheck_results().body(body).send().await?;
//! println!("{} results", results.count.unwrap_or_default());
//! # Ok(())
//! # }
//! ```
//!
//! Every call returns the crate's one [`Error`], whose variants tell a refused request (with the
//! typed [`ErrorCode`] of appendix A.3) from an authentication failure, a network failure, a
//! timeout, an answer that does not decode and a request that breaks a documented constraint.
//!
//! The request and response types are those of the low-level crate `huaweicloud-drs-api`,
//! re-exported as [`types`].

mod call;
mod client;
pub mod cluster;
pub mod credentials;
mod error;
#[rustfmt::skip]
mod constraints;
#[rustfmt::skip]
pub mod error_code;
mod jobs;
#[rustfmt::skip]
pub mod job_status;
#[rustfmt::skip]
pub mod operations;
mod pagination;
pub mod region;
mod retry;
pub mod time;
mod transport;
mod validate;
mod wait;

pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_JOBS_PER_REQUEST, DEFAULT_TIMEOUT,
    USER_AGENT,
};
pub use cluster::ClusterConnectionRequestExt;
pub use credentials::{AkSk, Credentials, IamPassword, Token};
pub use error::{
    ApiError, AuthenticationError, BODY_EXCERPT_LIMIT, ConfigError, DecodeError, Error, HttpError,
    InvalidInput,
};
pub use error_code::{ErrorCode, ErrorCodeInfo};
pub use huaweicloud_drs_api::{ByteStream, ResponseValue, Secret, types};
pub use job_status::{DocumentedJobStatus, JobPhase, documented_job_status};
pub use jobs::{JobError, JobErrorKind, JobOutcome, job_phase};
pub use pagination::ItemStream;
pub use retry::RetryPolicy;
pub use time::{ServiceTime, TimeField};
pub use wait::{
    DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT, JobWait, MIN_POLL_INTERVAL, StatusChange,
    WaitTarget,
};

/// The README's example, compiled as a documentation test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
