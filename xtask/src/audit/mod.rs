//! `cargo xtask audit --reference FILE`: compares the text of the reference (a PDF's text, as in
//! the reference README) with the spec, and lists what the reference documents that the spec
//! lacks, what the spec has that the reference does not document, and what both have but
//! differently: operations, parameters, body tables and their fields, enumeration values,
//! JSON examples and request example URLs. Chapter 4 is read; the appendix is not. Fields are
//! compared by name: types, requiredness, defaults and descriptions are not compared.
//!
//! Deliberate departures are listed in `known-differences.yaml` next to the spec, each naming
//! the ERRATA.md entry that explains it; the audit reports them as corrected. It succeeds when
//! nothing else is left, and when every entry of the list still matches a finding and names
//! exactly one ERRATA.md heading.

mod compare;
mod known;
mod reference;

#[cfg(test)]
mod tests;

use std::fmt::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::spec;
use compare::{Counts, Finding, Side};
use known::Sorted;

/// The file, next to the spec, that lists the deliberate differences.
pub const KNOWN_DIFFERENCES: &str = "known-differences.yaml";

pub fn run(reference_path: &Path, spec_path: &Path) -> Result<bool> {
    let started = Instant::now();
    let text = std::fs::read_to_string(reference_path)
        .with_context(|| format!("reading {}", reference_path.display()))?;
    let document = spec::load(spec_path)?;
    let directory = spec_path.parent().unwrap_or(Path::new("."));
    let known_path = directory.join(KNOWN_DIFFERENCES);
    let known_text = read_if_present(&known_path)?;
    let known = known::load(known_text.as_deref())
        .with_context(|| format!("reading {}", known_path.display()))?;
    let errata = read_if_present(&directory.join("ERRATA.md"))?.unwrap_or_default();

    let sections = reference::sections(&text);
    recognise(
        reference_path,
        sections.len(),
        spec::operations(&document).len(),
    )?;
    let counts = compare::counts(&sections);
    let findings = compare::compare(&sections, &document);
    let sorted = known::sort(findings, &known, &known::errata_headings(&errata));

    let mut out = report(
        &format!(
            "Audit of {} against {}",
            spec_path.display(),
            reference_path.display()
        ),
        &counts,
        &sorted,
    );
    let _ = writeln!(out, "{:.2} s", started.elapsed().as_secs_f64());
    crate::emit(&out)?;
    Ok(sorted.open.is_empty() && sorted.stale.is_empty() && sorted.unexplained.is_empty())
}

/// Refuses a text that is not the reference, whose report would only list the whole spec as
/// undocumented: one with no section of chapter 4, or with fewer than half as many sections as
/// the spec has operations (each operation has its own section).
fn recognise(reference_path: &Path, sections: usize, operations: usize) -> Result<()> {
    let what = format!(
        "{} does not look like the DRS API reference",
        reference_path.display()
    );
    if sections == 0 {
        bail!("{what}: no section 4.x.y found");
    }
    if sections * 2 < operations {
        bail!(
            "{what}: {sections} section(s) 4.x.y found, for the {operations} operations of the spec"
        );
    }
    Ok(())
}

fn read_if_present(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

fn report(title: &str, counts: &Counts, sorted: &Sorted) -> String {
    let mut out = format!("{title}\n");
    let _ = writeln!(
        out,
        "Read {} sections, {} tables with {} rows and {} listed values, {} examples, {} request URLs.",
        counts.sections, counts.tables, counts.rows, counts.values, counts.examples, counts.urls
    );
    for (heading, side) in [
        (
            "Documented by the reference, missing from the spec",
            Side::MissingFromSpec,
        ),
        (
            "In the spec, not documented by the reference",
            Side::OnlyInSpec,
        ),
        ("In both, but different", Side::Different),
    ] {
        let listed: Vec<&Finding> = sorted.open.iter().filter(|f| f.side == side).collect();
        let _ = writeln!(out, "\n{heading}: {}", listed.len());
        for finding in listed {
            out.push_str(&line(finding));
        }
    }
    let _ = writeln!(
        out,
        "\nCorrected, see ERRATA.md: {}",
        sorted.corrected.len()
    );
    for (finding, headings) in &sorted.corrected {
        out.push_str(&line(finding));
        for heading in headings {
            let _ = writeln!(out, "      ERRATA: {heading}");
        }
    }
    let _ = writeln!(
        out,
        "\nKnown differences that match no finding: {}",
        sorted.stale.len()
    );
    for entry in &sorted.stale {
        let _ = writeln!(
            out,
            "  {} {} {}",
            entry.section,
            entry.kind.name(),
            entry.subject
        );
    }
    if !sorted.unexplained.is_empty() {
        let _ = writeln!(
            out,
            "\nKnown differences that do not name exactly one ERRATA.md heading: {}",
            sorted.unexplained.len()
        );
        for (entry, start, count) in &sorted.unexplained {
            let _ = writeln!(
                out,
                "  {} {} {}: `{start}` starts {count} headings",
                entry.section,
                entry.kind.name(),
                entry.subject,
            );
        }
    }
    out
}

fn line(finding: &Finding) -> String {
    let side = match finding.side {
        Side::MissingFromSpec => "missing from the spec",
        Side::OnlyInSpec => "only in the spec",
        Side::Different => "different",
    };
    let mut text = format!(
        "  {:<7} {:<9} {} ({side})",
        finding.section,
        finding.kind.name(),
        finding.subject
    );
    if !finding.detail.is_empty() {
        let _ = write!(text, ": {}", finding.detail);
    }
    text.push('\n');
    text
}
