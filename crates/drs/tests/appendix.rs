//! Appendix A of the reference against the generated `ErrorCode` and job status tables: every
//! row of table A-4 (A.3) and of table A-5 (A.4), read from this directory's own transcription of
//! the tables (`reference/`), not from the spec's appendix data the code is generated from.

use huaweicloud_drs::error_code::ERROR_CODES;
use huaweicloud_drs::job_status::JOB_STATUSES;
use huaweicloud_drs::{ErrorCode, JobPhase, documented_job_status};

const TABLE_A4: &str = include_str!("reference/table-a4-error-codes.txt");
const TABLE_A5: &str = include_str!("reference/table-a5-job-statuses.txt");

/// The rows of a transcribed table: each line split at its first space, comments left out.
fn rows(table: &'static str) -> Vec<(&'static str, &'static str)> {
    table
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split_once(' ').unwrap_or((line, "")))
        .collect()
}

#[test]
fn every_code_of_table_a4_is_known_with_its_status() {
    let table = rows(TABLE_A4);
    assert_eq!(table.len(), 110, "table A-4 has 110 rows");

    let mut problems = Vec::new();
    for (code, status) in &table {
        let status: u16 = status.parse().expect("a status");
        let parsed = ErrorCode::parse(code);
        if matches!(parsed, ErrorCode::Unknown(_)) {
            problems.push(format!("{code}: parses as Unknown"));
            continue;
        }
        if parsed.as_str() != *code || parsed.to_string() != *code {
            problems.push(format!("{code}: spelled back as {}", parsed.as_str()));
        }
        if code.parse::<ErrorCode>() != Ok(parsed.clone()) {
            problems.push(format!("{code}: FromStr disagrees with parse"));
        }
        match parsed.info() {
            Some(info) if info.code == *code && info.status == status => {}
            Some(info) => problems.push(format!(
                "{code}: documented as {} with HTTP {}, table A-4 says HTTP {status}",
                info.code, info.status
            )),
            None => problems.push(format!("{code}: known but undocumented")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_generated_codes_are_those_of_table_a4_in_its_order() {
    let table: Vec<&str> = rows(TABLE_A4).into_iter().map(|(code, _)| code).collect();
    let generated: Vec<&str> = ERROR_CODES.iter().map(|info| info.code).collect();
    assert_eq!(generated, table);
}

#[test]
fn an_unknown_code_round_trips_as_unknown() {
    for code in ["DRS.M99999", "APIGW.0301", "DRS.10000010", "drs.m00202", ""] {
        let parsed = ErrorCode::parse(code);
        assert_eq!(parsed, ErrorCode::Unknown(code.to_string()), "{code:?}");
        assert_eq!(parsed.as_str(), code);
        assert_eq!(parsed.to_string(), code);
        assert_eq!(code.parse::<ErrorCode>(), Ok(parsed.clone()));
        assert!(!parsed.is_known());
        assert_eq!(parsed.info(), None);
    }
}

#[test]
fn every_status_of_table_a5_is_documented_with_its_description() {
    let table = rows(TABLE_A5);
    assert_eq!(table.len(), 23, "table A-5 has 23 rows");

    let mut problems = Vec::new();
    for (status, description) in &table {
        let Some(documented) = documented_job_status(status) else {
            problems.push(format!("{status}: not documented"));
            continue;
        };
        if documented.status != *status {
            problems.push(format!("{status}: documented as {}", documented.status));
        }
        if documented.meaning_zh != *description {
            problems.push(format!(
                "{status}: described as {:?}, table A-5 says {description:?}",
                documented.meaning_zh
            ));
        }
        // What the table's own words imply: every `…_FAILED` status is a failure.
        if status.ends_with("_FAILED") && documented.phase != JobPhase::Failed {
            problems.push(format!("{status}: phase {:?}", documented.phase));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn table_a5_comes_first_among_the_documented_statuses() {
    let table: Vec<&str> = rows(TABLE_A5)
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    let generated: Vec<&str> = JOB_STATUSES.iter().map(|s| s.status).collect();
    assert_eq!(&generated[..table.len()], table.as_slice());
}

#[test]
fn an_unknown_status_is_not_documented() {
    for status in [
        "creating",
        "FULL_TRANSFER",
        "",
        "RELEASE_CHILD_TRANSFER_COMPLET",
    ] {
        assert_eq!(documented_job_status(status), None, "{status:?}");
    }
}
