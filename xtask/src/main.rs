//! The maintainer commands of the workspace: `cargo xtask generate [--check]` regenerates, from
//! `spec/drs-v3.yaml`, its JSON rendering, the low-level client, the ergonomic crate's request
//! builders and constraints, the appendix tables and the test dispatch tables; `cargo xtask check
//! [SPEC]` runs only the checks of the spec, or of another file; `cargo xtask diff`
//! compares two versions of the spec and says which version bump they need; `cargo xtask audit`
//! compares the spec with the text of the reference.

mod appendix;
mod audit;
mod codegen;
mod diff;
mod ergonomic;
mod open_enum;
mod prepare;
mod spec;
mod testgen;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask generate [--check]
       cargo xtask check [SPEC]
       cargo xtask diff OLD NEW [--format text|markdown]
       cargo xtask audit --reference FILE [--spec SPEC]

  generate          check spec/drs-v3.yaml, regenerate spec/drs-v3.json, the client crate and
                    the test tables
  generate --check  write nothing; fail with a unified diff if the checked-in code is stale
  check [SPEC]      only check a spec (spec/drs-v3.yaml by default) and print its counts
  diff OLD NEW      list the changes from spec OLD to spec NEW, whether each breaks callers of
                    the crates, and the version bump; `--format markdown` drafts CHANGELOG.md
  audit             list what the reference text FILE documents that the spec lacks, and the
                    reverse; the spec's known-differences.yaml names the deliberate ones";

/// A command line that parsed.
#[derive(Debug, PartialEq)]
enum Command<'a> {
    Generate {
        check: bool,
    },
    Check(Option<&'a Path>),
    Diff(&'a Path, &'a Path, diff::Format),
    Audit {
        reference: &'a Path,
        spec: Option<&'a Path>,
    },
    Help,
}

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let command = match parse(&arguments) {
        Ok(command) => command,
        Err(problem) => {
            eprintln!("error: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Generate { check } => generate(check),
        Command::Check(path) => match path {
            Some(path) => check_only(path),
            None => check_only(&workspace_root().join("spec/drs-v3.yaml")),
        },
        Command::Diff(old, new, format) => {
            diff::run(&workspace_root(), old, new, format).map(|()| true)
        }
        Command::Audit { reference, spec } => match spec {
            Some(spec) => audit::run(reference, spec),
            None => audit::run(reference, &workspace_root().join("spec/drs-v3.yaml")),
        },
        Command::Help => emit(&format!("{USAGE}\n")).map(|()| true),
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

/// The command a command line asks for, or what is wrong with it, naming the word at fault.
fn parse<'a>(arguments: &[&'a str]) -> Result<Command<'a>, String> {
    let Some((&name, rest)) = arguments.split_first() else {
        return Err("no command given".to_string());
    };
    let unexpected = |word: &str| format!("unexpected argument `{word}` to `{name}`");
    match (name, rest) {
        ("generate", []) => Ok(Command::Generate { check: false }),
        ("generate", ["--check"]) => Ok(Command::Generate { check: true }),
        ("generate", ["--check", extra, ..] | [extra, ..]) => Err(unexpected(extra)),
        ("check", []) => Ok(Command::Check(None)),
        ("check", [path]) if !path.starts_with('-') => Ok(Command::Check(Some(Path::new(*path)))),
        ("check", [_, extra, ..] | [extra]) => Err(unexpected(extra)),
        ("diff", _) => diff_arguments(rest),
        ("audit", _) => audit_arguments(rest),
        ("help" | "--help" | "-h", []) => Ok(Command::Help),
        ("help" | "--help" | "-h", [extra, ..]) => Err(unexpected(extra)),
        _ => Err(format!("unknown command `{name}`")),
    }
}

/// `diff OLD NEW [--format text|markdown]`, the option anywhere.
fn diff_arguments<'a>(arguments: &[&'a str]) -> Result<Command<'a>, String> {
    let mut format = diff::Format::Text;
    let mut paths = Vec::new();
    let mut rest = arguments.iter();
    while let Some(&argument) = rest.next() {
        let value = match argument {
            "--format" => Some(
                *rest
                    .next()
                    .ok_or("`--format` needs a value: text or markdown")?,
            ),
            other => other.strip_prefix("--format="),
        };
        match value {
            Some("text") => format = diff::Format::Text,
            Some("markdown") => format = diff::Format::Markdown,
            Some(other) => {
                return Err(format!(
                    "unknown format `{other}`: expected text or markdown"
                ));
            }
            None if argument.starts_with("--") => {
                return Err(format!("unknown option `{argument}` to `diff`"));
            }
            None => paths.push(Path::new(argument)),
        }
    }
    match paths[..] {
        [old, new] => Ok(Command::Diff(old, new, format)),
        _ => Err(format!(
            "`diff` compares two specs, OLD and NEW; {} given",
            paths.len()
        )),
    }
}

/// `audit --reference FILE [--spec SPEC]`, in either order.
fn audit_arguments<'a>(arguments: &[&'a str]) -> Result<Command<'a>, String> {
    let mut reference = None;
    let mut spec = None;
    let mut rest = arguments.iter();
    while let Some(&argument) = rest.next() {
        let slot = match argument {
            "--reference" => &mut reference,
            "--spec" => &mut spec,
            other => return Err(format!("unexpected argument `{other}` to `audit`")),
        };
        let value = rest
            .next()
            .ok_or_else(|| format!("`{argument}` needs a file"))?;
        *slot = Some(Path::new(*value));
    }
    let reference =
        reference.ok_or("`audit` needs `--reference FILE`, the text of the reference")?;
    Ok(Command::Audit { reference, spec })
}

/// Writes to standard output. A reader that stops early (`| head`) closes the pipe: what is left
/// is dropped, and the command still finishes its work and exits with its own status.
fn emit(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(error).context("writing to standard output")
        }
        _ => Ok(()),
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
    let report = spec::check(&document, &spec_path)?;
    check_crate_versions(&root, &document)?;
    let prepared = prepare::for_generator(&document)?;
    let client = codegen::client(&prepared)?;
    let tables = testgen::tables(&document, &prepared)?;
    let operations = ergonomic::operations(&document, &client.syntax)?;
    let constraints = ergonomic::constraints(&document)?;
    let appendix = appendix::generate(&root, &document)?;
    let json = spec::to_json(&document)?;

    let outputs = [
        Output {
            path: root.join("spec/drs-v3.json"),
            text: json,
        },
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
            emit(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
                    .to_string(),
            )?;
        } else {
            std::fs::write(&output.path, &output.text)
                .with_context(|| format!("writing {}", output.path.display()))?;
            emit(&format!("wrote {shown}\n"))?;
        }
    }

    emit(&format!(
        "{} operations, {} schemas, {} examples checked, {} request examples, \
         {} error codes, {} job statuses, {:.2} s\n",
        report.operations,
        report.schemas,
        report.examples,
        report.request_examples,
        appendix.codes,
        appendix.statuses,
        started.elapsed().as_secs_f64()
    ))?;
    if check && stale > 0 {
        eprintln!(
            "{stale} generated file(s) are stale: run `cargo xtask generate` and commit the result"
        );
        return Ok(false);
    }
    if stale == 0 {
        emit("generated code is up to date\n")?;
    }
    Ok(true)
}

fn check_only(spec_path: &Path) -> Result<bool> {
    let document = spec::load(spec_path)?;
    let report = spec::check(&document, spec_path)?;
    prepare::for_generator(&document).with_context(|| format!("{}", spec_path.display()))?;
    emit(&format!(
        "{}: {} operations, {} schemas, {} examples checked, {} request examples\n",
        spec_path.display(),
        report.operations,
        report.schemas,
        report.examples,
        report.request_examples
    ))?;
    Ok(true)
}

/// The crates whose version follows the spec, with the manifest each version is read from.
const CRATES: [(&str, &str); 2] = [
    ("huaweicloud-drs-api", "crates/drs-api/Cargo.toml"),
    ("huaweicloud-drs", "crates/drs/Cargo.toml"),
];

/// The published crates carry the reference revision of the spec they were generated from as
/// the build metadata of their version (`0.1.0+ref.2023-11-30`), so that a user can tell which
/// revision a release follows.
fn check_crate_versions(root: &Path, document: &serde_json::Value) -> Result<()> {
    let revision = document["info"]["version"].as_str().unwrap_or_default();
    let expected = format!("+ref.{revision}");
    let mut problems = Vec::new();
    for (_, manifest) in CRATES {
        let version = manifest_version(root, manifest)?;
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

/// The version the manifest at `manifest` (below `root`) gives its package.
fn manifest_version(root: &Path, manifest: &str) -> Result<String> {
    let path = root.join(manifest);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let version = package_version(&text)
        .with_context(|| format!("{}: no `version = \"...\"` line", path.display()))?;
    Ok(version.to_string())
}

/// The `version` of a manifest's `[package]` table.
fn package_version(manifest: &str) -> Option<&str> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(rest) = line.strip_prefix("version") {
            let value = rest.trim_start().strip_prefix('=')?.trim();
            return value.strip_prefix('"')?.strip_suffix('"');
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_parse_to_their_commands() {
        assert_eq!(parse(&["generate"]), Ok(Command::Generate { check: false }));
        assert_eq!(
            parse(&["generate", "--check"]),
            Ok(Command::Generate { check: true })
        );
        assert_eq!(
            parse(&["check", "other.yaml"]),
            Ok(Command::Check(Some(Path::new("other.yaml"))))
        );
        assert_eq!(
            parse(&["diff", "--format=markdown", "a.yaml", "b.yaml"]),
            Ok(Command::Diff(
                Path::new("a.yaml"),
                Path::new("b.yaml"),
                diff::Format::Markdown
            ))
        );
        assert_eq!(
            parse(&["audit", "--spec", "s.yaml", "--reference", "r.txt"]),
            Ok(Command::Audit {
                reference: Path::new("r.txt"),
                spec: Some(Path::new("s.yaml"))
            })
        );
    }

    #[test]
    fn the_package_version_is_read_from_the_package_table() {
        let manifest =
            "[package]\nname = \"a\"\nversion = \"0.3.1\"\n\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(package_version(manifest), Some("0.3.1"));
        assert_eq!(package_version("[dependencies]\nversion = \"9\"\n"), None);
    }

    #[test]
    fn a_refused_command_line_names_the_word_at_fault() {
        let refused = |arguments: &[&str]| parse(arguments).expect_err("refused");
        assert_eq!(refused(&[]), "no command given");
        assert_eq!(refused(&["bogus"]), "unknown command `bogus`");
        assert_eq!(
            refused(&["generate", "--check", "--fix"]),
            "unexpected argument `--fix` to `generate`"
        );
        assert_eq!(
            refused(&["check", "a.yaml", "b.yaml"]),
            "unexpected argument `b.yaml` to `check`"
        );
        assert_eq!(
            refused(&["check", "--all"]),
            "unexpected argument `--all` to `check`"
        );
        assert_eq!(
            refused(&["diff", "a", "b", "--format", "html"]),
            "unknown format `html`: expected text or markdown"
        );
        assert_eq!(
            refused(&["diff", "a", "b", "--format"]),
            "`--format` needs a value: text or markdown"
        );
        assert_eq!(
            refused(&["diff", "a", "--colour", "b"]),
            "unknown option `--colour` to `diff`"
        );
        assert_eq!(
            refused(&["diff", "a"]),
            "`diff` compares two specs, OLD and NEW; 1 given"
        );
        assert_eq!(
            refused(&["audit", "--spec", "s.yaml"]),
            "`audit` needs `--reference FILE`, the text of the reference"
        );
        assert_eq!(
            refused(&["audit", "--reference"]),
            "`--reference` needs a file"
        );
        assert_eq!(
            refused(&["audit", "r.txt"]),
            "unexpected argument `r.txt` to `audit`"
        );
    }
}
