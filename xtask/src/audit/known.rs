//! The differences the spec makes on purpose: `spec/known-differences.yaml` names each one by
//! section, kind and subject, and the `ERRATA.md` entry that explains it. The audit reports those
//! as corrected instead of missing, and reports entries that no longer match anything.

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::compare::{Finding, Kind};

/// One expected difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub section: String,
    pub kind: Kind,
    pub subject: String,
    /// The start of the heading of each ERRATA.md entry that explains it (usually one).
    pub errata: Vec<String>,
}

/// Reads the list; a missing file is an empty list.
pub fn load(text: Option<&str>) -> Result<Vec<Known>> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    let entries: Value = serde_norway::from_str(text).context("parsing the known differences")?;
    let Some(entries) = entries.as_array() else {
        if entries.is_null() {
            return Ok(Vec::new());
        }
        bail!("the known differences must be a list of entries");
    };
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let field = |key: &str| -> Result<String> {
                match &entry[key] {
                    Value::String(text) => Ok(text.clone()),
                    Value::Number(number) => Ok(number.to_string()),
                    other => bail!(
                        "entry {}: `{key}` must be a string, found {other}",
                        index + 1
                    ),
                }
            };
            let kind_name = field("kind")?;
            let Some(kind) = Kind::ALL.into_iter().find(|kind| kind.name() == kind_name) else {
                let names: Vec<&str> = Kind::ALL.iter().map(|kind| kind.name()).collect();
                bail!(
                    "entry {}: kind `{kind_name}` is not one of {}",
                    index + 1,
                    names.join(", ")
                );
            };
            let errata = match &entry["errata"] {
                Value::Array(items) => items
                    .iter()
                    .map(|item| item.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>(),
                Value::String(text) => Some(vec![text.clone()]),
                _ => None,
            };
            let errata = match errata {
                Some(errata) if !errata.is_empty() => errata,
                _ => bail!(
                    "entry {}: `errata` must be a heading of ERRATA.md or a list of them",
                    index + 1
                ),
            };
            Ok(Known {
                section: field("section")?,
                kind,
                subject: field("subject")?,
                errata,
            })
        })
        .collect()
}

/// The `### ` headings of ERRATA.md.
pub fn errata_headings(errata: &str) -> Vec<&str> {
    errata
        .lines()
        .filter_map(|line| line.strip_prefix("### "))
        .map(str::trim)
        .collect()
}

/// The findings split by what the list of known differences says of them.
#[derive(Debug, Default)]
pub struct Sorted {
    /// Findings no known difference explains.
    pub open: Vec<Finding>,
    /// Findings a known difference explains, with the ERRATA.md headings.
    pub corrected: Vec<(Finding, Vec<String>)>,
    /// Known differences that match no finding.
    pub stale: Vec<Known>,
    /// Known differences with an `errata` that starts no heading, or more than one: the entry,
    /// the text and how many headings it starts.
    pub unexplained: Vec<(Known, String, usize)>,
}

pub fn sort(findings: Vec<Finding>, known: &[Known], headings: &[&str]) -> Sorted {
    let mut sorted = Sorted::default();
    let mut matched = vec![false; known.len()];
    for finding in findings {
        let entry = known.iter().position(|entry| {
            entry.section == finding.section
                && entry.kind == finding.kind
                && entry.subject == finding.subject
        });
        match entry {
            Some(index) => {
                matched[index] = true;
                let named = known[index]
                    .errata
                    .iter()
                    .map(|start| match starting_with(headings, start)[..] {
                        [heading] => heading.to_string(),
                        _ => start.clone(),
                    })
                    .collect();
                sorted.corrected.push((finding, named));
            }
            None => sorted.open.push(finding),
        }
    }
    for (entry, matched) in known.iter().zip(matched) {
        if !matched {
            sorted.stale.push(entry.clone());
        }
        for start in &entry.errata {
            let count = starting_with(headings, start).len();
            if count != 1 {
                sorted
                    .unexplained
                    .push((entry.clone(), start.clone(), count));
            }
        }
    }
    sorted
}

/// The headings that start with `start`: an entry names its heading by exactly one.
fn starting_with<'a>(headings: &[&'a str], start: &str) -> Vec<&'a str> {
    headings
        .iter()
        .copied()
        .filter(|heading| heading.starts_with(start))
        .collect()
}
