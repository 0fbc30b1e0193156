//! The two outputs of `cargo xtask diff`: text grouped by operation and schema for reading in a
//! terminal, and Markdown sections ready to paste into CHANGELOG.md.

use std::fmt::Write;

use super::{Bump, Change, Header, Subject, bump, next_version};

/// How many locations a change shows before it says how many more there are.
const SHOWN_LOCATIONS: usize = 3;

pub fn text(header: &Header, changes: &[Change]) -> String {
    let mut out = format!(
        "Spec diff: {} -> {}\n",
        header.old_version, header.new_version
    );
    for (group, is_group) in [
        ("Operations", is_operation as fn(&Subject) -> bool),
        ("Schemas", is_schema),
    ] {
        let listed: Vec<&Change> = changes.iter().filter(|c| is_group(&c.subject)).collect();
        if listed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{group}");
        let mut current: Option<&Subject> = None;
        for change in listed {
            if current != Some(&change.subject) {
                let _ = writeln!(out, "  {}", subject_name(&change.subject));
                current = Some(&change.subject);
            }
            let _ = writeln!(out, "    {:<6} {}", change.bump.name(), change.summary);
            let _ = writeln!(out, "           why: {}", change.reason);
            for location in shown_locations(change) {
                let _ = writeln!(out, "           at:  {location}");
            }
        }
    }
    let _ = writeln!(out, "\n{}", counts(changes));
    out.push_str(&version_lines(header, changes));
    out
}

pub fn markdown(header: &Header, changes: &[Change]) -> String {
    let mut out = String::from("## Unreleased\n\n");
    let _ = write!(
        out,
        "Spec revision {} (previous: {}). ",
        header.new_version, header.old_version
    );
    match bump(changes) {
        Some(bump) => {
            let versions: Vec<String> = header
                .crates
                .iter()
                .map(
                    |krate| match next_version(&krate.version, bump, &header.new_version) {
                        Some(next) => format!("{} {} -> {next}", krate.name, krate.version),
                        None => format!("{} {}", krate.name, krate.version),
                    },
                )
                .collect();
            let _ = writeln!(
                out,
                "Version bump: {} ({}).",
                bump.name(),
                versions.join(", ")
            );
        }
        None => out.push_str("No change that affects the crates.\n"),
    }
    for (title, bump) in [
        ("Breaking changes", Bump::Major),
        ("Added", Bump::Minor),
        ("Changed", Bump::Patch),
    ] {
        let listed: Vec<&Change> = changes.iter().filter(|c| c.bump == bump).collect();
        if listed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {title}\n");
        for change in listed {
            let _ = write!(
                out,
                "- `{}`: {}",
                subject_name(&change.subject),
                change.summary
            );
            let locations = shown_locations(change);
            if !locations.is_empty() {
                let _ = write!(out, " (in {})", locations.join("; "));
            }
            let _ = writeln!(out, ". {}.", capitalized(change.reason));
        }
    }
    out
}

fn is_operation(subject: &Subject) -> bool {
    matches!(subject, Subject::Operation(_))
}

fn is_schema(subject: &Subject) -> bool {
    matches!(subject, Subject::Schema(_))
}

fn subject_name(subject: &Subject) -> &str {
    match subject {
        Subject::Operation(name) | Subject::Schema(name) => name,
    }
}

/// The first locations of a change, and how many more there are.
fn shown_locations(change: &Change) -> Vec<String> {
    let mut shown: Vec<String> = change
        .locations
        .iter()
        .take(SHOWN_LOCATIONS)
        .cloned()
        .collect();
    if change.locations.len() > SHOWN_LOCATIONS {
        shown.push(format!(
            "and {} more",
            change.locations.len() - SHOWN_LOCATIONS
        ));
    }
    shown
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn counts(changes: &[Change]) -> String {
    let count = |bump: Bump| changes.iter().filter(|c| c.bump == bump).count();
    format!(
        "{} change(s): {} major, {} minor, {} patch",
        changes.len(),
        count(Bump::Major),
        count(Bump::Minor),
        count(Bump::Patch)
    )
}

fn version_lines(header: &Header, changes: &[Change]) -> String {
    let Some(bump) = bump(changes) else {
        return "No change that affects the crates: no version bump.\n".to_string();
    };
    let mut out = format!("Version bump: {}.", bump.name());
    if header
        .crates
        .iter()
        .any(|krate| krate.version.starts_with("0."))
    {
        out.push_str(
            " For 0.x crates a breaking change bumps the second number and anything else the \
             third.",
        );
    }
    out.push('\n');
    for krate in &header.crates {
        match next_version(&krate.version, bump, &header.new_version) {
            Some(next) => {
                let _ = writeln!(out, "  {} {} -> {next}", krate.name, krate.version);
            }
            None => {
                let _ = writeln!(
                    out,
                    "  {} {} (not a plain major.minor.patch version)",
                    krate.name, krate.version
                );
            }
        }
    }
    out
}
