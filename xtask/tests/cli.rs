//! The maintainer commands as a maintainer runs them: the xtask binary on small fixture files,
//! checking exit codes and what it prints.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn xtask(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(arguments)
        .output()
        .expect("the xtask binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("the output is UTF-8")
}

#[test]
fn diff_prints_text_grouped_by_subject_and_exits_zero() {
    let old = fixture("diff/old.yaml");
    let new = fixture("diff/new.yaml");
    let output = xtask(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    assert!(text.starts_with("Spec diff: 1 -> 2\n"), "{text}");
    assert!(
        text.contains(
            "\nOperations\n  delete_job\n    major  operation removed (DELETE /v3/{project_id}/jobs/{job_id})\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "\nSchemas\n  ListJobsResponse\n    minor  field `status` added: string, optional\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("           at:  list_jobs 200 response: status\n"),
        "{text}"
    );
    assert!(
        text.contains("2 change(s): 1 major, 1 minor, 0 patch\nVersion bump: major."),
        "{text}"
    );
}

#[test]
fn diff_drafts_changelog_entries_in_markdown() {
    let old = fixture("diff/old.yaml");
    let new = fixture("diff/new.yaml");
    let output = xtask(&[
        "diff",
        "--format",
        "markdown",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.starts_with("## Unreleased\n\nSpec revision 2 (previous: 1). Version bump: major ("),
        "{text}"
    );
    assert!(
        text.contains("### Breaking changes\n\n- `delete_job`: operation removed (DELETE /v3/{project_id}/jobs/{job_id}). Code that uses it stops compiling.\n"),
        "{text}"
    );
    assert!(
        text.contains("### Added\n\n- `ListJobsResponse`: field `status` added: string, optional (in list_jobs 200 response: status)."),
        "{text}"
    );
}

#[test]
fn diff_refuses_an_unknown_format_or_a_missing_spec() {
    let old = fixture("diff/old.yaml");
    let output = xtask(&["diff", old.to_str().unwrap(), "--format", "html"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let output = xtask(&["diff", old.to_str().unwrap(), "missing.yaml"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(errors.contains("reading missing.yaml"), "{errors}");
}
