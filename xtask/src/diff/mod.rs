//! `cargo xtask diff OLD NEW`: what changed between two versions of the spec, and which version
//! bump the crates need for it.
//!
//! Operations are matched by `operationId`, their parameters by name, schemas by component name
//! and fields by their path inside the schema. Each change is listed under its operation or its
//! schema, with the field paths through which operations reach it (`$ref`s are followed).
//!
//! # What breaks a caller of the Rust crates
//!
//! The rules follow how the generated code is shaped today: every schema is a struct with
//! public fields, `#[non_exhaustive]`, built with a `new` taking its required fields (in the
//! order of the schema's `required` list), with `Default` when it has none, or with the
//! generated builders; an optional field is an `Option`; every string enumeration is a
//! `#[non_exhaustive]` Rust enum with one variant per documented value plus `Unknown`. Callers
//! build request types and read response types.
//!
//! Major (breaking):
//! - an operation, a parameter, a schema or a field removed;
//! - a required parameter added, or a parameter made required (`send` fails until it is set);
//! - a request body added as required or removed, or its schema changed; a success response
//!   whose body schema changes, or a success status added or removed that changes the set of
//!   body schemas a call can return;
//! - a required field added to a type that callers build: `new` takes one more argument. A
//!   type is built by callers when a request body or a parameter reaches it, or when no
//!   operation reaches it at all;
//! - a required field added to a type only read from responses: decoding refuses a body
//!   without it;
//! - the type or the format of a schema or a field changed (typify derives the Rust type from
//!   both: `int32` is `i32`, `int64` is `i64`, `password` is `Secret`);
//! - a field made required or optional, or a required field made nullable or not: its Rust
//!   type changes between `T` and `Option<T>`;
//! - an enumeration value removed: code naming its variant stops compiling, and the value
//!   decodes as `Unknown`.
//!
//! Minor (an addition that breaks nothing):
//! - an operation added (a new `Client` method), an optional parameter added (a new setter), a
//!   schema added (a new type), an optional request body added;
//! - an optional field added to any type: it is `None` in what `new` and `Default` build, and a
//!   body without it still decodes, to `None`;
//! - an enumeration value added: the enum is `#[non_exhaustive]`, so every `match` on it
//!   already has a wildcard arm; the value, which decoded as `Unknown`, now has its variant.
//!
//! Patch (the Rust API stays the same, the behaviour follows the spec):
//! - an operation's path or method changed (the method keeps its name and setters); a
//!   parameter's location changed; a parameter made optional (its setter does not change);
//! - an error status added, removed or changed (every error decodes into the crate's `Error`);
//!   a success status added or removed while the set of success body schemas stays the same;
//! - a default or a validation keyword changed (`minLength`, `maximum`, `pattern`, ...): these
//!   are documentation and client-side checks, not types;
//! - an optional field made nullable or not: it is an `Option` either way.
//!
//! Descriptions, summaries, examples and the `x-drs-*` annotations are not compared.
//!
//! A reference to a schema and the OpenAPI 3.0 spelling of a nullable reference (`anyOf` of the
//! `$ref` and a schema that admits only `null`) are the same type to the generator, which folds
//! the second into the first (`prepare.rs`): both are described as that schema, nullable.
//!
//! # What the two documents must be
//!
//! OLD may be an earlier revision written before today's conventions, so neither document has
//! to pass `cargo xtask check`. Both must hold what the comparison matches on, or a change would
//! pass unseen: an OpenAPI 3.0 document (`openapi: 3.0.x`) with `info.version` and `paths`, each
//! path item a mapping, each operation with an `operationId` used once, each parameter (a shared
//! one through its `$ref`) with a `name` and an `in`, and `components.schemas`, when present, a
//! mapping. Anything else fails, naming the file and every problem.
//!
//! # From the bump to a version
//!
//! The crates are 0.x. Cargo treats the first non-zero number as the compatibility boundary, so
//! for 0.x.y a major bump gives 0.(x+1).0, and a minor or a patch bump gives 0.x.(y+1): a
//! 0.x release has no separate number for additions. From 1.0.0 on, the three bumps move the
//! three numbers as usual.

mod compare;
mod render;
mod usage;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;
use serde_json::Value;

use crate::{fail_on, spec};

pub use compare::compare;

/// How far a change moves the crates' version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn name(self) -> &'static str {
        match self {
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }
}

/// What a change is listed under: the operation or the schema it touches.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Operation(String),
    Schema(String),
}

/// One difference between the two specs.
#[derive(Clone, Debug)]
pub struct Change {
    pub subject: Subject,
    /// What changed, in a few words: "field `x` added: string, optional".
    pub summary: String,
    pub bump: Bump,
    /// Why the change has this bump, for a caller of the crates.
    pub reason: &'static str,
    /// Where operations reach the changed item: "list_jobs request body: jobs[].name".
    pub locations: Vec<String>,
}

/// The output format of the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
}

/// A published crate and the version its manifest holds.
pub struct CrateVersion {
    pub name: &'static str,
    pub version: String,
}

/// What the report says about the two documents besides their changes.
pub struct Header {
    pub old_version: String,
    pub new_version: String,
    pub crates: Vec<CrateVersion>,
}

pub fn run(root: &Path, old_path: &Path, new_path: &Path, format: Format) -> Result<()> {
    let old = spec::load(old_path)?;
    let new = spec::load(new_path)?;
    for (path, document) in [(old_path, &old), (new_path, &new)] {
        fail_on(
            comparable(document),
            &format!("{} is not a spec `diff` can compare", path.display()),
        )?;
    }
    let changes = compare(&old, &new);
    let header = Header {
        old_version: info_version(&old),
        new_version: info_version(&new),
        crates: crate_versions(root)?,
    };
    let report = match format {
        Format::Text => render::text(&header, &changes),
        Format::Markdown => render::markdown(&header, &changes),
    };
    crate::emit(&report)
}

fn info_version(document: &Value) -> String {
    document["info"]["version"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// What keeps `document` from being compared, by the rules of the module documentation.
pub fn comparable(document: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if document.is_null() {
        problems.push("the file holds no document: it is empty".to_string());
        return problems;
    }
    if !document.is_object() {
        problems.push(format!(
            "the document must be a mapping, found {}",
            kind(document)
        ));
        return problems;
    }
    match document["openapi"].as_str() {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => problems.push(format!(
            "`openapi` must be a 3.0.x version, found \"{version}\""
        )),
        None => problems.push(format!(
            "`openapi` must be a 3.0.x version, found {}",
            kind(&document["openapi"])
        )),
    }
    if document["info"]["version"]
        .as_str()
        .is_none_or(|version| version.trim().is_empty())
    {
        problems.push(format!(
            "`info.version` must be a non-empty string, found {}",
            kind(&document["info"]["version"])
        ));
    }
    let schemas = &document["components"]["schemas"];
    if !schemas.is_null() && !schemas.is_object() {
        problems.push(format!(
            "`components.schemas` must be a mapping, found {}",
            kind(schemas)
        ));
    }
    let Some(paths) = document["paths"].as_object() else {
        problems.push(format!(
            "`paths` must be a mapping, found {}",
            kind(&document["paths"])
        ));
        return problems;
    };
    for (path, item) in paths {
        if !item.is_object() {
            problems.push(format!(
                "path `{path}` must be a mapping, found {}",
                kind(item)
            ));
        }
    }
    let mut ids = BTreeSet::new();
    for operation in spec::operations(document) {
        let at = format!(
            "{} {path}",
            operation.method.to_uppercase(),
            path = operation.path
        );
        if !operation.body.is_object() {
            problems.push(format!(
                "{at}: must be a mapping, found {}",
                kind(operation.body)
            ));
            continue;
        }
        if operation.id.trim().is_empty() {
            problems.push(format!(
                "{at}: no `operationId`; operations are matched by it"
            ));
        } else if !ids.insert(operation.id) {
            problems.push(format!(
                "{at}: `operationId` `{}` is used by another operation too",
                operation.id
            ));
        }
        for (index, parameter) in spec::parameters(document, operation.body)
            .into_iter()
            .enumerate()
        {
            if !parameter["name"].is_string() || !parameter["in"].is_string() {
                problems.push(format!(
                    "{at}: parameter {index} has no `name` and `in` (or its `$ref` does not resolve)"
                ));
            }
        }
    }
    problems
}

/// How a value that is not what was expected is shown: its kind, or nothing at all.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn crate_versions(root: &Path) -> Result<Vec<CrateVersion>> {
    crate::CRATES
        .iter()
        .map(|(name, manifest)| {
            Ok(CrateVersion {
                name,
                version: crate::manifest_version(root, manifest)?,
            })
        })
        .collect()
}

/// The highest bump among the changes, if any change needs one.
pub fn bump(changes: &[Change]) -> Option<Bump> {
    changes.iter().map(|change| change.bump).max()
}

/// The version after `bump`, following the 0.x rule of the module documentation; `None` when
/// the version is not a plain `major.minor.patch`.
pub fn next_version(version: &str, bump: Bump, revision: &str) -> Option<String> {
    // The build metadata (`+ref.2023-11-30`) names the reference revision: it takes the new
    // spec's, and plays no part in the bump.
    let (semver, metadata) = match version.split_once('+') {
        Some((semver, metadata)) => (semver, Some(metadata)),
        None => (version, None),
    };
    let numbers: Vec<u64> = semver
        .split('.')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let [major, minor, patch] = numbers[..] else {
        return None;
    };
    let next = match (major, bump) {
        (0, Bump::Major) => (0, minor + 1, 0),
        (0, Bump::Minor | Bump::Patch) => (0, minor, patch + 1),
        (_, Bump::Major) => (major + 1, 0, 0),
        (_, Bump::Minor) => (major, minor + 1, 0),
        (_, Bump::Patch) => (major, minor, patch + 1),
    };
    let mut next = format!("{}.{}.{}", next.0, next.1, next.2);
    match metadata {
        Some(metadata) if metadata.starts_with("ref.") => {
            next.push_str("+ref.");
            next.push_str(revision);
        }
        Some(metadata) => {
            next.push('+');
            next.push_str(metadata);
        }
        None => {}
    }
    Some(next)
}
