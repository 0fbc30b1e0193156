//! Maintenance tasks of the workspace: `cargo xtask generate [--check]` regenerates the low-level
//! client, the ergonomic crate's operation shortcuts and the test dispatch tables from `spec/drs-v3.yaml`.

mod appendix;
mod codegen;
mod ergonomic;
mod open_enum;
mod prepare;
mod spec;
mod testgen;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask generate [--check]
       cargo xtask check [SPEC]

  generate          check spec/drs-v3.yaml, regenerate the client crate and the test tables
  generate --check  write nothing; fail with a unified diff if the checked-in code is stale
  check [SPEC]      only check a spec (spec/drs-v3.yaml by default) and print its counts";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate"] => generate(false),
        ["generate", "--check"] => generate(true),
        ["check"] => check_only(&workspace_root().join("spec/drs-v3.yaml")),
        ["check", path] => check_only(Path::new(path)),
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            Ok(true)
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// A file the generator owns, with the text it should hold.
struct Output {
    path: PathBuf,
    text: String,
}

fn generate(check: bool) -> Result<bool> {
    let started = Instant::now();
    let root = workspace_root();
    let spec_path = root.join("spec/drs-v3.yaml");

    let document = spec::load(&spec_path)?;
    let report = spec::check(&document)?;
    check_crate_versions(&root, &document)?;
    let prepared = prepare::for_generator(&document)?;
    let client = codegen::client(&prepared)?;
    let tables = testgen::tables(&document, &prepared)?;
    let operations = ergonomic::operations(&document, &client.syntax)?;
    let constraints = ergonomic::constraints(&document)?;
    let appendix = appendix::generate(&root, &document)?;

    let outputs = [
        Output {
            path: root.join("crates/drs-api/src/generated.rs"),
            text: client.text,
        },
        Output {
            path: root.join("crates/drs/src/operations.rs"),
            text: operations,
        },
        Output {
            path: root.join("crates/drs/src/constraints.rs"),
            text: constraints,
        },
        Output {
            path: root.join("crates/drs/src/error_code.rs"),
            text: appendix.error_codes,
        },
        Output {
            path: root.join("crates/drs/src/job_status.rs"),
            text: appendix.job_statuses,
        },
        Output {
            path: root.join("tests/src/generated.rs"),
            text: tables,
        },
    ];

    let mut stale = 0;
    for output in &outputs {
        let current = std::fs::read_to_string(&output.path).unwrap_or_default();
        if current == output.text {
            continue;
        }
        stale += 1;
        let shown = output
            .path
            .strip_prefix(&root)
            .unwrap_or(&output.path)
            .display()
            .to_string();
        if check {
            let diff = similar::TextDiff::from_lines(&current, &output.text);
            print!(
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
            );
        } else {
            std::fs::write(&output.path, &output.text)
                .with_context(|| format!("writing {}", output.path.display()))?;
            println!("wrote {shown}");
        }
    }

    println!(
        "{} operations, {} schemas, {} examples checked, {} request examples, \
         {} error codes, {} job statuses, {:.2} s",
        report.operations,
        report.schemas,
        report.examples,
        report.request_examples,
        appendix.codes,
        appendix.statuses,
        started.elapsed().as_secs_f64()
    );
    if check && stale > 0 {
        eprintln!(
            "{stale} generated file(s) are stale: run `cargo xtask generate` and commit the result"
        );
        return Ok(false);
    }
    if stale == 0 {
        println!("generated code is up to date");
    }
    Ok(true)
}

fn check_only(spec_path: &Path) -> Result<bool> {
    let document = spec::load(spec_path)?;
    let report = spec::check(&document)?;
    prepare::for_generator(&document)?;
    println!(
        "{}: {} operations, {} schemas, {} examples checked, {} request examples",
        spec_path.display(),
        report.operations,
        report.schemas,
        report.examples,
        report.request_examples
    );
    Ok(true)
}

/// The published crates carry the reference revision of the spec they were generated from as
/// the build metadata of their version (`0.1.0+ref.2023-11-30`), so that a user can tell which
/// revision a release follows.
fn check_crate_versions(root: &Path, document: &serde_json::Value) -> Result<()> {
    let revision = document["info"]["version"].as_str().unwrap_or_default();
    let expected = format!("+ref.{revision}");
    let mut problems = Vec::new();
    for manifest in ["crates/drs-api/Cargo.toml", "crates/drs/Cargo.toml"] {
        let text = std::fs::read_to_string(root.join(manifest))
            .with_context(|| format!("reading {manifest}"))?;
        let version = text
            .lines()
            .find_map(|line| line.strip_prefix("version = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_default();
        if !version.ends_with(&expected) {
            problems.push(format!(
                "{manifest}: version `{version}` must end with `{expected}` (info.version of the spec)"
            ));
        }
    }
    fail_on(
        problems,
        "the crate versions do not name the spec's reference revision",
    )
}

/// Fails with every message when `problems` is not empty.
fn fail_on(problems: Vec<String>, what: &str) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    bail!(
        "{what}: {} problem(s)\n  {}",
        problems.len(),
        problems.join("\n  ")
    )
}
