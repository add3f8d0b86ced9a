//! Hover: on a finding, the rule's explanation as `blcheck explain` gives
//! it (clause, how to fix it, the parameters in force); on a key, what the
//! format says the field is and what its value must look like.

use super::diagnostics::range_of;
use super::outline::{describe, field_at, kind_at, parents, shape_of};
use super::text::Lines;
use super::workspace::Workspace;
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, Position, Range};

pub fn hover(workspace: &Workspace, params: &HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let document = workspace.open_document(&at.text_document.uri)?;
    let lines = Lines::new(&document.text);
    let position = at.position;
    let mut sections = Vec::new();
    if let Some(rules) = &workspace.rules {
        for finding in workspace.findings_of(&at.text_document.uri) {
            let range = range_of(finding, &lines);
            if !contains(range, position) {
                continue;
            }
            let mut text = format!(
                "{} {}: {}\n",
                finding.rule(),
                finding.name(),
                finding.message
            );
            if let Some(info) = rules.explained.iter().find(|r| *r.id == **finding.rule()) {
                let mut out = Vec::new();
                if crate::render::catalogue::explain(info, &mut out).is_ok() {
                    text.push('\n');
                    text.push_str(&String::from_utf8_lossy(&out));
                }
            }
            sections.push(text);
        }
    }
    let (line, column) = lines.column_of(position);
    if let Some(shape) = shape_of(lines.line(line)) {
        if let (Some((key, end)), Some(kind)) = (&shape.key, kind_at(&lines, line)) {
            if (shape.content..*end).contains(&column) {
                let path = parents(&lines, line);
                if let Some(field) = field_at(workspace.format(kind), &path, key) {
                    let required = if field.required { " (required)" } else { "" };
                    let mut text = format!(
                        "{}{required}: {}\n{}",
                        field.name,
                        field.about,
                        describe(&field.shape)
                    );
                    let readers = readers(workspace, &path, key);
                    if !readers.is_empty() {
                        text.push_str("\nRead by: ");
                        text.push_str(&readers.join("; "));
                    }
                    sections.push(text);
                }
            }
        }
    }
    if sections.is_empty() {
        return None;
    }
    // Plain text: rule and document text are shown as written, never read
    // as Markdown.
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::PlainText,
            value: sections.join("\n---\n"),
        }),
        range: None,
    })
}

fn contains(range: Range, position: Position) -> bool {
    let after_start =
        (position.line, position.character) >= (range.start.line, range.start.character);
    let before_end = (position.line, position.character) <= (range.end.line, range.end.character);
    after_start && before_end
}

/// The rules of the loaded policies whose checks read the field at `path`
/// and `key` (as `blcheck explain` names it: `accessibility_review.date`).
fn readers(workspace: &Workspace, path: &[String], key: &str) -> Vec<String> {
    let Some(rules) = &workspace.rules else {
        return Vec::new();
    };
    let dotted: Vec<&str> = path
        .iter()
        .map(String::as_str)
        .filter(|s| *s != super::outline::ITEM)
        .chain([key])
        .collect();
    let named = format!("`{}", dotted.join("."));
    rules
        .explained
        .iter()
        .filter(|info| {
            info.checks.iter().any(|check| {
                check.match_indices(&named).any(|(at, _)| {
                    matches!(
                        check[at + named.len()..].chars().next(),
                        Some('`' | '.' | '[')
                    )
                })
            })
        })
        .map(|info| format!("{} {}", info.id, info.name))
        .collect()
}
