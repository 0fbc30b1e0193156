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

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("the errors are UTF-8")
}

/// A file under the test's scratch directory holding `text`.
fn scratch(name: &str, text: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn diff_refuses_an_unknown_format_or_a_missing_spec() {
    let old = fixture("diff/old.yaml");
    let output = xtask(&["diff", old.to_str().unwrap(), "--format", "html"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let errors = stderr(&output);
    assert!(
        errors.starts_with("error: unknown format `html`: expected text or markdown\n\nusage:"),
        "{errors}"
    );
    let output = xtask(&["diff", old.to_str().unwrap(), "missing.yaml"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = stderr(&output);
    assert!(errors.contains("reading missing.yaml"), "{errors}");
}

#[test]
fn audit_of_the_fixture_reports_only_the_documented_correction() {
    let reference = fixture("audit/reference.txt");
    let spec = fixture("audit/drs-v3.yaml");
    let output = xtask(&[
        "audit",
        "--reference",
        reference.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.contains(
            "Read 2 sections, 10 tables with 20 rows and 9 listed values, 3 examples, 2 request URLs.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("Documented by the reference, missing from the spec: 0\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "Corrected, see ERRATA.md: 1\n  4.1.2   example   200 response example `ok` (different)"
        ),
        "{text}"
    );
    assert!(
        text.contains("      ERRATA: 4.1.2 response example: full-width comma\n"),
        "{text}"
    );
}

#[test]
fn audit_fails_when_the_spec_lacks_a_documented_field() {
    // A copy of the fixture directory whose spec lost `error_msg` of table 4-6.
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-missing-field");
    std::fs::create_dir_all(&directory).unwrap();
    for file in ["ERRATA.md", "known-differences.yaml"] {
        std::fs::copy(fixture("audit").join(file), directory.join(file)).unwrap();
    }
    let spec = std::fs::read_to_string(fixture("audit/drs-v3.yaml")).unwrap();
    let removed = "        error_msg:\n          type: string\n";
    assert!(spec.contains(removed));
    std::fs::write(directory.join("drs-v3.yaml"), spec.replace(removed, "")).unwrap();

    let reference = fixture("audit/reference.txt");
    let spec = directory.join("drs-v3.yaml");
    let output = xtask(&[
        "audit",
        "--spec",
        spec.to_str().unwrap(),
        "--reference",
        reference.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.contains(
            "Documented by the reference, missing from the spec: 1\n  4.1.1   field     StopJobResult.error_msg (missing from the spec): table 4-6 (line 115)\n"
        ),
        "{text}"
    );
}

#[test]
fn audit_needs_a_reference() {
    let output = xtask(&["audit"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

#[test]
fn an_unknown_command_is_named() {
    let output = xtask(&["bogus"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let errors = stderr(&output);
    assert!(
        errors.starts_with("error: unknown command `bogus`\n\nusage: cargo xtask generate"),
        "{errors}"
    );
}

#[test]
fn diff_refuses_an_empty_file_and_an_operation_without_an_id() {
    let new = fixture("diff/new.yaml");
    let empty = scratch("empty.yaml", "");
    let output = xtask(&["diff", empty.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        format!(
            "error: {} is not a spec `diff` can compare: 1 problem(s)\n  the file holds no document: it is empty\n",
            empty.display()
        )
    );

    let text = std::fs::read_to_string(fixture("diff/old.yaml")).unwrap();
    assert!(text.contains("      operationId: delete_job\n"));
    let anonymous = scratch(
        "anonymous.yaml",
        &text.replace("      operationId: delete_job\n", ""),
    );
    let output = xtask(&["diff", anonymous.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        stderr(&output),
        format!(
            "error: {} is not a spec `diff` can compare: 1 problem(s)\n  \
             DELETE /v3/{{project_id}}/jobs/{{job_id}}: no `operationId`; operations are matched by it\n",
            anonymous.display()
        )
    );
}

#[test]
fn check_names_the_file_it_checked() {
    let spec = fixture("diff/old.yaml");
    let output = xtask(&["check", spec.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = stderr(&output);
    assert!(
        errors.starts_with(&format!(
            "error: {} does not pass its checks: ",
            spec.display()
        )),
        "{errors}"
    );
    assert!(!errors.contains("spec/drs-v3.yaml"), "{errors}");
}

#[test]
fn audit_refuses_a_text_that_is_not_the_reference() {
    let text = fixture("diff/old.yaml");
    let spec = fixture("audit/drs-v3.yaml");
    let output = xtask(&[
        "audit",
        "--reference",
        text.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        format!(
            "error: {} does not look like the DRS API reference: no section 4.x.y found\n",
            text.display()
        )
    );
}

/// Runs the binary with a standard output whose reader is already gone, as under `| head` once
/// head has read its lines.
fn xtask_into_closed_pipe(arguments: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(arguments)
        .stdout(writer)
        .output()
        .expect("the xtask binary runs")
}

#[test]
fn a_closed_standard_output_ends_the_command_without_a_panic() {
    let old = fixture("diff/old.yaml");
    let new = fixture("diff/new.yaml");
    let reference = fixture("audit/reference.txt");
    let spec = fixture("audit/drs-v3.yaml");
    for (arguments, code) in [
        (
            vec!["diff", old.to_str().unwrap(), new.to_str().unwrap()],
            0,
        ),
        (
            vec![
                "audit",
                "--reference",
                reference.to_str().unwrap(),
                "--spec",
                spec.to_str().unwrap(),
            ],
            0,
        ),
        (vec!["help"], 0),
    ] {
        let output = xtask_into_closed_pipe(&arguments);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{arguments:?}: {output:?}"
        );
        assert_eq!(stderr(&output), "", "{arguments:?}");
    }
}
