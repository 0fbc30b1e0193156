//! Creates a MySQL real-time migration job to an RDS instance over a public network, starts it
//! and waits until its full migration is done and incremental replication runs, printing each
//! status change.
//!
//! Between creating and starting, a real migration also tests the connections (4.1.2), sets the
//! source and destination (4.1.4), selects the objects (4.1.5) and prechecks the job (4.1.6,
//! 4.1.7); they are left out here to keep the example short, and the service refuses to start a
//! job that has not been through them.
//!
//! ```sh
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=...
//! cargo run -p huaweicloud-drs --example migrate_mysql -- cn-north-4 <subnet id> <RDS instance id>
//! ```

use std::time::Duration;

use huaweicloud_drs::{Client, Error, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(region), Some(subnet_id), Some(instance_id)) =
        (args.next(), args.next(), args.next())
    else {
        eprintln!("usage: migrate_mysql <region> <subnet id> <destination RDS instance id>");
        std::process::exit(2);
    };
    let client = Client::from_env(&region).await?;

    // The body of the reference's first example of 4.1.1.
    let job: types::CreateJobRequest = types::CreateJobRequest::builder()
        .name("DRS-example-migration")
        .db_use_type(types::DbUseType::Migration)
        .engine_type(types::EngineType::Mysql)
        .job_direction(types::JobDirection::Up)
        .net_type(types::NetType::Eip)
        .node_type(types::NodeType::High)
        .task_type(types::TaskType::FullIncrTrans)
        .customize_sutnet_id(subnet_id)
        .bind_eip(true)
        .is_target_readonly(false)
        .source_endpoint(types::Endpoint::builder().db_type(types::DbType::Mysql))
        .target_endpoint(
            types::Endpoint::builder()
                .db_type(types::DbType::Mysql)
                .region(region.clone())
                .inst_id(instance_id),
        )
        .try_into()?;
    let created = client
        .batch_create_jobs()
        .body(types::BatchCreateJobsRequest::new(vec![job]))
        .send()
        .await?;
    let Some(result) = created
        .results
        .as_deref()
        .and_then(|results| results.first())
    else {
        return Err("the service created no job".into());
    };
    let job_id = match (&result.id, &result.error_code) {
        (Some(id), None) => id.clone(),
        _ => {
            return Err(format!(
                "creation failed: {:?} {:?}",
                result.error_code, result.error_msg
            )
            .into());
        }
    };
    println!("created job {job_id}");

    client.start_job(&job_id).await?;
    let outcome = client
        .wait_for_job(&job_id, types::JobStatus::IncreTransferStarted)
        .poll_interval(Duration::from_secs(15))
        .timeout(Duration::from_secs(6 * 3600))
        .on_change(|change| println!("{:>6} s  {}", change.elapsed.as_secs(), change.status))
        .await;
    match outcome {
        Ok(status) => println!("job {job_id} reached {status}"),
        Err(Error::JobFailed { status, .. }) => eprintln!("job {job_id} failed: {status}"),
        Err(error) => return Err(error.into()),
    }
    // A full + incremental job passes FULL_TRANSFER_COMPLETE on its way to incremental
    // replication, which goes on until the job is stopped (4.1.14).
    let status = client.job_status(&job_id).await?;
    println!(
        "now {status}, phase {:?}",
        huaweicloud_drs::job_phase(&status)
    );
    Ok(())
}
