//! The traceability section of the audit's HTML report: each commitment of
//! the source documents of the policies applied in the run, verbatim, its
//! status, and the rules that check it (linked to their rows in the
//! report's rule list), or why none can. The same matrix as `blcheck
//! trace`. Built with maud, which escapes every value it interpolates.

use super::text::html_text;
use crate::policy::trace::{matrix, TraceStatus};
use crate::policy::PolicySet;
use maud::{html, Markup};

/// The section, for the policies with these ids; `anchor` gives the
/// report's anchor of a rule's row, when it has one.
pub fn section<'a>(
    policies: &PolicySet,
    applied: &[String],
    anchor: impl Fn(&str) -> Option<&'a str>,
) -> Markup {
    let rows = matrix(policies, applied);
    html! {
        section aria-labelledby="trace-h" {
            h2 #trace-h { "Traceability: commitments and the rules that check them" }
            @if rows.is_empty() {
                p { "The policies applied in this run list no commitments." }
            } @else {
                table.plain.trace {
                    caption {
                        "Each commitment of the source documents, verbatim. "
                        em { "Partly checked" } ": the rules check what a document records, and the note says what they cannot see."
                    }
                    thead {
                        tr {
                            th scope="col" { "Commitment" }
                            th scope="col" { "Status" }
                            th scope="col" { "Rules" }
                            th scope="col" { "Note" }
                        }
                    }
                    tbody {
                        @for row in &rows {
                            tr data-trace=(status_word(row.status)) {
                                td {
                                    strong { (html_text(&row.commitment)) } " "
                                    span.where { (html_text(&row.policy)) ", " (html_text(&row.section)) }
                                    blockquote { (html_text(&row.text)) }
                                }
                                td { (row.status.label()) }
                                td {
                                    @for (i, rule) in row.rules.iter().enumerate() {
                                        @if i > 0 { br; }
                                        @match anchor(&rule.id) {
                                            Some(a) => a href={ "#" (a) } { (html_text(&rule.id)) },
                                            None => (html_text(&rule.id)),
                                        }
                                        " " (html_text(&rule.title))
                                    }
                                }
                                td { (row.note.as_deref().map(html_text).unwrap_or_default()) }
                            }
                            "\n"
                        }
                    }
                }
            }
        }
    }
}

fn status_word(status: TraceStatus) -> &'static str {
    match status {
        TraceStatus::Checked => "checked",
        TraceStatus::PartlyChecked => "partly",
        TraceStatus::NotCheckable => "not-checkable",
    }
}
