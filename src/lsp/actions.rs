//! Quick fixes, only those that cannot change what a document means
//! beyond what the author asks for: rename an unknown key to the one the
//! format suggests (DOC003), write a UK date in ISO form, insert a missing
//! required section from `blcheck init`'s template, add a waiver skeleton
//! for a failing rule (its reason, approver and expiry left to fill in),
//! remove an unused waiver (DOC009).

use super::diagnostics::range_of;
use super::outline::{fields_at, kind_at, parents, shape_of};
use super::text::Lines;
use super::workspace::Workspace;
use crate::document::validate::suggestion;
use crate::policy::OwnCheck;
use crate::report::{Finding, Status};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Position, Range, TextEdit,
    Url, WorkspaceEdit,
};
use std::collections::HashMap;

pub fn code_actions(workspace: &Workspace, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let Some(document) = workspace.open_document(uri) else {
        return Vec::new();
    };
    let Some(rules) = &workspace.rules else {
        return Vec::new();
    };
    let text = &document.text;
    let lines = Lines::new(text);
    let wanted = params.range;
    let rule_of = |check: OwnCheck| rules.catalogue.rule(check).map(|r| r.id.clone());
    let (unknown_field, invalid, unused) = (
        rule_of(OwnCheck::UnknownField),
        rule_of(OwnCheck::InvalidDocument),
        rule_of(OwnCheck::WaiverUnused),
    );
    let mut actions = Vec::new();
    let mut waivered = Vec::new();
    for finding in workspace.findings_of(uri) {
        let range = range_of(finding, &lines);
        if range.end.line < wanted.start.line || range.start.line > wanted.end.line {
            continue;
        }
        let fix = if Some(finding.rule()) == unknown_field.as_ref() {
            rename_key(finding, &lines)
        } else if Some(finding.rule()) == invalid.as_ref() {
            insert_section(finding, &lines)
        } else if Some(finding.rule()) == unused.as_ref() {
            remove_waiver(finding, &lines)
        } else {
            None
        };
        if let Some((title, edits)) = fix {
            actions.push(action(uri, title, edits, true));
        }
        if finding.policy().is_some()
            && finding.status == Status::Fail
            && !waivered.contains(finding.rule())
        {
            waivered.push(finding.rule().clone());
            if let Some((title, edits)) = add_waiver(finding, &lines) {
                actions.push(action(uri, title, edits, false));
            }
        }
    }
    for line in wanted.start.line..=wanted.end.line.min(lines.count().saturating_sub(1) as u32) {
        if let Some((title, edits)) = iso_date(&lines, line as usize) {
            actions.push(action(uri, title, edits, false));
        }
    }
    actions
}

fn action(uri: &Url, title: String, edits: Vec<TextEdit>, preferred: bool) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    })
}

/// DOC003: the unknown key renamed to the format's nearest field.
fn rename_key(finding: &Finding, lines: &Lines<'_>) -> Option<(String, Vec<TextEdit>)> {
    let line = (finding.line as usize).checked_sub(1)?;
    let shape = shape_of(lines.line(line))?;
    let (key, end) = shape.key?;
    let kind = kind_at(lines, line)?;
    let fields = fields_at(kind.fields(), &parents(lines, line))?;
    let better = suggestion(&key, fields.iter().map(|f| f.name))?;
    let range = Range {
        start: lines.position(line, shape.content),
        end: lines.position(line, end),
    };
    Some((
        format!("Rename '{key}' to '{better}'"),
        vec![TextEdit {
            range,
            new_text: better.to_string(),
        }],
    ))
}

/// A UK date on `line` (`10/10/2025`) written in ISO form.
fn iso_date(lines: &Lines<'_>, line: usize) -> Option<(String, Vec<TextEdit>)> {
    let text = lines.line(line);
    let shape = shape_of(text)?;
    let start = shape
        .value
        .or((shape.key.is_none()).then_some(shape.content))?;
    let end = super::text::value_end(text, start);
    let written: String = text
        .chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    let bare = written.trim_matches(|c| c == '"' || c == '\'');
    if !bare.contains('/') {
        return None;
    }
    let date = crate::dates::parse_date(bare).ok()?;
    Some((
        format!("Write {bare} as {date} (ISO)"),
        vec![TextEdit {
            range: Range {
                start: lines.position(line, start),
                end: lines.position(line, end),
            },
            new_text: date.to_string(),
        }],
    ))
}

/// DOC002 for a missing top-level section: the section of `blcheck
/// init`'s template, with its comments, at the end of the document.
fn insert_section(finding: &Finding, lines: &Lines<'_>) -> Option<(String, Vec<TextEdit>)> {
    let path = finding.path()?;
    if !finding.message.contains("is missing") {
        return None;
    }
    let section = path.split('.').next()?;
    let line = (finding.line as usize).saturating_sub(1);
    let kind = kind_at(lines, line)?;
    let end = document_end(lines, line);
    let present = (0..end).any(|l| {
        shape_of(lines.line(l))
            .is_some_and(|s| s.indent == 0 && s.key.is_some_and(|k| k.0 == section))
    });
    if present {
        return None;
    }
    let template = crate::document::template::template(kind, None);
    let block = template_section(&template, section)?;
    let at = lines.position(end, 0);
    let before_end = end > 0 && !lines.line(end - 1).is_empty();
    let new_text = match (end >= lines.count(), before_end) {
        (true, true) => format!("\n{block}"),
        _ => block,
    };
    let at = if end >= lines.count() {
        lines.position(
            end.saturating_sub(1),
            lines.line(end.saturating_sub(1)).chars().count(),
        )
    } else {
        at
    };
    Some((
        format!("Insert the '{section}' section from `blcheck init`"),
        vec![TextEdit {
            range: Range { start: at, end: at },
            new_text,
        }],
    ))
}

/// The lines of `template` for top-level `key`: its comments, its line and
/// everything indented under it.
fn template_section(template: &str, key: &str) -> Option<String> {
    let lines: Vec<&str> = template.lines().collect();
    let at = lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    let mut start = at;
    while start > 0 && lines[start - 1].starts_with('#') {
        start -= 1;
    }
    let mut end = at + 1;
    while end < lines.len() && lines[end].starts_with(' ') {
        end += 1;
    }
    Some(lines[start..end].iter().map(|l| format!("{l}\n")).collect())
}

/// The line after the last of the document line `line` is in.
fn document_end(lines: &Lines<'_>, line: usize) -> usize {
    (line + 1..lines.count())
        .find(|&l| lines.line(l).starts_with("---"))
        .unwrap_or(lines.count())
}

/// A waiver for the failing rule, its reason, approver and expiry left for
/// the author to fill in (until they are, DOC007 says so).
fn add_waiver(finding: &Finding, lines: &Lines<'_>) -> Option<(String, Vec<TextEdit>)> {
    let line = (finding.line as usize).saturating_sub(1);
    let mut start = line;
    while start > 0 && !lines.line(start).starts_with("---") {
        start -= 1;
    }
    let end = document_end(lines, line);
    let existing = (start..end).find(|&l| {
        shape_of(lines.line(l))
            .is_some_and(|s| s.indent == 0 && s.key.is_some_and(|k| k.0 == "waivers"))
    });
    let item = |indent: &str| {
        format!(
            "{indent}- rule: {}\n{indent}  reason: \n{indent}  approved_by: \n{indent}  expires: \n",
            finding.rule()
        )
    };
    let (at, new_text) = match existing {
        Some(l) => {
            let indent = (l + 1..end)
                .find_map(|n| shape_of(lines.line(n)).filter(|s| s.indent > 0 || s.item))
                .map_or(2, |s| s.indent);
            (lines.position(l + 1, 0), item(&" ".repeat(indent)))
        }
        None if end >= lines.count() => {
            let last = lines.count().saturating_sub(1);
            let gap = if lines.line(last).is_empty() {
                ""
            } else {
                "\n"
            };
            let at = lines.position(last, lines.line(last).chars().count());
            (at, format!("{gap}waivers:\n{}", item("  ")))
        }
        None => (lines.position(end, 0), format!("waivers:\n{}", item("  "))),
    };
    Some((
        format!(
            "Add a waiver for {} (reason, approver and expiry to fill in)",
            finding.rule()
        ),
        vec![TextEdit {
            range: Range { start: at, end: at },
            new_text,
        }],
    ))
}

/// DOC009: the unused waiver's list item removed, every line of it.
fn remove_waiver(finding: &Finding, lines: &Lines<'_>) -> Option<(String, Vec<TextEdit>)> {
    let mut first = (finding.line as usize).checked_sub(1)?;
    while !shape_of(lines.line(first)).is_some_and(|s| s.item) {
        first = first.checked_sub(1)?;
    }
    let dash = shape_of(lines.line(first))?.indent;
    let mut end = first + 1;
    while end < lines.count() {
        match shape_of(lines.line(end)) {
            Some(s) if s.indent <= dash => break,
            None if lines.line(end).trim().is_empty() => break,
            _ => end += 1,
        }
    }
    Some((
        format!(
            "Remove the unused waiver of {}",
            waived_rule(lines, first).unwrap_or_default()
        ),
        vec![TextEdit {
            range: Range {
                start: Position {
                    line: first as u32,
                    character: 0,
                },
                end: Position {
                    line: end as u32,
                    character: 0,
                },
            },
            new_text: String::new(),
        }],
    ))
}

fn waived_rule(lines: &Lines<'_>, item: usize) -> Option<String> {
    let shape = shape_of(lines.line(item))?;
    let (key, _) = shape.key.as_ref()?;
    (key == "rule").then(|| {
        let start = shape.value.unwrap_or(0);
        lines
            .line(item)
            .chars()
            .skip(start)
            .collect::<String>()
            .trim()
            .to_string()
    })
}
