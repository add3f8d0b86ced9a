//! `--format gitlab`: the Code Climate issues that GitLab's Code Quality
//! report (`artifacts:reports:codequality`) reads, with exactly the fields
//! GitLab documents: `description`, `check_name`, `fingerprint`,
//! `severity`, `location.path` and `location.lines.begin`. GitLab ignores
//! the rest of the Code Climate specification, so blcheck writes none of it.
//! A fixed baseline entry is no issue in the code, and is left out: GitLab
//! finds what a merge request resolves by comparing it with the target
//! branch's report.

use super::json::write_list;
use crate::discover::name_bytes;
use crate::fingerprint;
use crate::report::{Finding, Report, Severity, Status};
use serde::Serialize;
use std::io::Write;

/// One Code Quality issue.
#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: &'a str,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// GitLab's scale is info, minor, major, critical, blocker. blcheck's
/// errors fail the audit and are `major`, warnings `minor`, information,
/// waived findings (accepted, with a reason) and baselined ones (known,
/// not failing the run) `info`; `critical` and `blocker` are left free, as
/// blcheck has no grade above error (docs/output.md#gitlab-code-quality).
fn severity(finding: &Finding) -> &'static str {
    match (finding.status, finding.severity) {
        (Status::Waived | Status::Baselined | Status::Fixed, _) | (_, Severity::Info) => "info",
        (_, Severity::Warning) => "minor",
        (_, Severity::Error) => "major",
    }
}

/// The file as GitLab looks it up, relative to the repository: the name's
/// own characters (blcheck's display escapes undone; bytes that are not
/// UTF-8 cannot be written in JSON and become U+FFFD), without a leading
/// `./`.
fn path(file: &str) -> String {
    let name = String::from_utf8_lossy(&name_bytes(file)).into_owned();
    let mut rest = name.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped.trim_start_matches('/');
    }
    rest.to_string()
}

/// The widget shows the description and not the check: it starts with the
/// rule, so a reader knows what to run `blcheck explain` on.
fn description(finding: &Finding) -> String {
    let mut text = format!("{} {}: {}", finding.rule(), finding.name(), finding.message);
    match finding.status {
        Status::Waived => {
            text.push_str(" (waived");
            if let Some(reason) = &finding.justification() {
                text.push_str(": ");
                text.push_str(reason);
            }
            text.push(')');
        }
        Status::Baselined => text.push_str(" (baselined)"),
        Status::Fail | Status::Pass | Status::Skip | Status::Fixed => {}
    }
    text
}

/// A finding, made into its issue only as it is written, so that the
/// report's text is never held whole.
struct Entry<'a>(&'a Finding);

impl Serialize for Entry<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let finding = self.0;
        Issue {
            description: description(finding),
            check_name: finding.rule(),
            fingerprint: &fingerprint::of(finding),
            severity: severity(finding),
            location: Location {
                path: path(finding.file()),
                lines: Lines {
                    begin: finding.line.max(1),
                },
            },
        }
        .serialize(serializer)
    }
}

/// The report's findings as a JSON array of issues, in the report's order,
/// written as they are rendered (as `--format json` writes its lists).
pub fn render(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let entries: Vec<Entry<'_>> = report
        .findings
        .iter()
        .filter(|finding| finding.status != Status::Fixed)
        .map(Entry)
        .collect();
    write_list(&entries, 0, out)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_the_files_own_names_relative_to_the_repository() {
        assert_eq!(path("courses/a.yaml"), "courses/a.yaml");
        assert_eq!(path("./courses/a.yaml"), "courses/a.yaml");
        assert_eq!(path(".//./a.yaml"), "a.yaml");
        assert_eq!(path("c/back\\\\slash.yaml"), "c/back\\slash.yaml");
        assert_eq!(path("c/course\\xfe.yaml"), "c/course\u{fffd}.yaml");
        assert_eq!(path("../other/a.yaml"), "../other/a.yaml");
    }
}
