//! Lists the real-time migration jobs of a project, 50 at a time, with their status and when they
//! were created.
//!
//! Credentials come from the environment variables of the official Huawei Cloud SDKs
//! (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, optionally `HUAWEICLOUD_SDK_PROJECT_ID`):
//!
//! ```sh
//! cargo run -p huaweicloud-drs --example list_jobs -- cn-north-4
//! ```

use std::time::SystemTime;

use futures_util::StreamExt;
use huaweicloud_drs::{Client, TimeField, job_phase, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let region = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "cn-north-4".to_string());
    let client = Client::from_env(&region).await?;

    let mut jobs = client
        .list_jobs()
        .body_map(|filter| filter.db_use_type(types::DbUseType::Migration))
        .items(50);
    while let Some(job) = jobs.next().await {
        let job = job?;
        let status = job.status.as_ref().map_or("-", |status| status.as_str());
        let phase = job.status.as_ref().and_then(job_phase);
        let age = job
            .create_time
            .service_time()
            .and_then(|time| time.instant())
            .and_then(|created| SystemTime::now().duration_since(created).ok())
            .map_or_else(
                || "-".to_string(),
                |age| format!("{} h ago", age.as_secs() / 3600),
            );
        println!(
            "{:<40} {:<24} {:<28} {:?} created {}",
            job.id.as_deref().unwrap_or("-"),
            job.name.as_deref().unwrap_or("-"),
            status,
            phase,
            age
        );
    }
    Ok(())
}
