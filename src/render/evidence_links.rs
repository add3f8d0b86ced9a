//! The evidence courses give, as links for the HTML report and the
//! workbook. Only an http(s) address or a file found beside the course
//! (`EvidenceLinkTarget`, decided by the audit) becomes a link; anything
//! else is shown as text, so `javascript:` never becomes one.

use crate::report::{DocumentOutcome, EvidenceEntry, EvidenceLinkTarget};
use maud::{html, Markup};

/// The address a report links an entry to: the web address as written, or
/// the file's path (relative to the directory blcheck ran in, where the
/// report is written by `--output report.html`), percent-encoded so a
/// space or `#` in a file name stays part of the path.
pub fn href(entry: &EvidenceEntry) -> Option<String> {
    match entry.link.as_ref()? {
        EvidenceLinkTarget::Web(url) => Some(url.clone()),
        EvidenceLinkTarget::File(path) => Some(percent_encoded(path)),
    }
}

fn percent_encoded(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    // `:` is encoded too, so no path can read as a scheme.
    out
}

/// The "Evidence" section of the HTML report: every course's evidence,
/// by document and section.
pub fn section(documents: &[DocumentOutcome]) -> Markup {
    let rows: Vec<(&DocumentOutcome, &EvidenceEntry)> = documents
        .iter()
        .flat_map(|d| d.evidence.iter().map(move |e| (d, e)))
        .collect();
    html! {
        section #evidence aria-labelledby="evidence-h" {
            h2 #evidence-h { "Evidence" }
            @if rows.is_empty() {
                p { "No course of this run lists evidence." }
            } @else {
                table {
                    caption { "Evidence given by each course (entries that cannot be followed are DOC findings)" }
                    thead { tr { th scope="col" { "Document" } th scope="col" { "Section" } th scope="col" { "Evidence" } } }
                    tbody {
                        @for (doc, entry) in &rows {
                            tr {
                                td { (doc.id.as_deref().unwrap_or("(no id)")) " " span.file { "(" (doc.file) ")" } }
                                td { code { (entry.section.as_deref().unwrap_or("(the course)")) } }
                                td {
                                    @match href(entry) {
                                        Some(target) => a href=(target) { (entry.target) },
                                        None => { (entry.target) " " em { "(not linked: cannot be followed)" } },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(link: Option<EvidenceLinkTarget>) -> EvidenceEntry {
        EvidenceEntry {
            section: Some("accessibility_review".into()),
            path: "accessibility_review.evidence[0]".into(),
            target: "x".into(),
            link,
        }
    }

    #[test]
    fn files_are_percent_encoded_and_refused_entries_are_no_links() {
        assert_eq!(
            href(&entry(Some(EvidenceLinkTarget::File(
                "courses/a b#1.pdf".into()
            ))))
            .as_deref(),
            Some("courses/a%20b%231.pdf")
        );
        assert_eq!(
            href(&entry(Some(EvidenceLinkTarget::File(
                "javascript:x".into()
            ))))
            .as_deref(),
            Some("javascript%3Ax")
        );
        assert_eq!(href(&entry(None)), None);
    }
}
