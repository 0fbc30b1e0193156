//! Huawei Cloud regions and their DRS and IAM endpoints. Work in progress: the table of regions
//! whose endpoints break the usual pattern is being transcribed.

/// The DRS endpoint of `region`.
pub fn drs_endpoint(region: &str) -> String {
    format!("https://drs.{region}.myhuaweicloud.com")
}

/// The IAM endpoint of `region`.
pub fn iam_endpoint(region: &str) -> String {
    format!("https://iam.{region}.myhuaweicloud.com")
}
