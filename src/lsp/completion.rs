//! Completion: the keys the format allows at the cursor (those not yet
//! written in the mapping), the values of an enumeration, `true`/`false`,
//! and dates in ISO form (the as-of date, or a UK date written there).

use super::outline::{field_at, fields_at, kind_at, parents, shape_of, LineShape};
use super::text::Lines;
use super::workspace::Workspace;
use crate::document::format::Shape;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation,
};

pub fn complete(workspace: &Workspace, params: &CompletionParams) -> Option<CompletionResponse> {
    let at = &params.text_document_position;
    let document = workspace.open_document(&at.text_document.uri)?;
    let lines = Lines::new(&document.text);
    let (line, column) = lines.column_of(at.position);
    let kind = kind_at(&lines, line)?;
    let path = parents(&lines, line);
    let shape = shape_of(lines.line(line));
    if let Some(LineShape {
        key: Some((key, end)),
        ..
    }) = &shape
    {
        if column > *end {
            let field = field_at(kind, &path, key)?;
            let current = lines.line(line).chars().skip(end + 1).collect::<String>();
            let as_of = workspace.rules.as_ref().map(|r| r.as_of);
            return Some(CompletionResponse::Array(values(
                &field.shape,
                current.trim(),
                as_of,
            )));
        }
    }
    let fields = fields_at(kind, &path)?;
    let written = siblings(&lines, line);
    let items = fields
        .iter()
        .filter(|f| !written.contains(&f.name.to_string()))
        .map(|f| CompletionItem {
            label: f.name.to_string(),
            kind: Some(CompletionItemKind::FIELD),
            detail: Some(super::outline::describe(&f.shape)),
            documentation: Some(Documentation::String(f.about.to_string())),
            insert_text: Some(match f.shape {
                Shape::Map(_) | Shape::List(_) | Shape::TextMap => format!("{}:", f.name),
                _ => format!("{}: ", f.name),
            }),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}

/// The values offered for a field of `shape`, where `current` is written.
fn values(shape: &Shape, current: &str, as_of: Option<chrono::NaiveDate>) -> Vec<CompletionItem> {
    let value = |label: String, detail: &str| CompletionItem {
        label,
        kind: Some(CompletionItemKind::VALUE),
        detail: Some(detail.to_string()),
        ..CompletionItem::default()
    };
    match shape {
        Shape::Enum(allowed) => allowed
            .iter()
            .map(|v| value(v.to_string(), "allowed value"))
            .collect(),
        Shape::Boolean => ["true", "false"]
            .map(|v| value(v.into(), "true or false"))
            .to_vec(),
        Shape::Date => {
            let mut dates = Vec::new();
            if let Some(written) = crate::dates::parse_date(current)
                .ok()
                .filter(|_| current.contains('/'))
            {
                dates.push(value(written.to_string(), "the date written, in ISO form"));
            }
            if let Some(day) = as_of {
                dates.push(value(
                    day.to_string(),
                    "the as-of date (today unless configured)",
                ));
            }
            dates
        }
        _ => Vec::new(),
    }
}

/// The keys already written in the mapping line `line` is in.
fn siblings(lines: &Lines<'_>, line: usize) -> Vec<String> {
    let indent = |l: usize| shape_of(lines.line(l)).map(|s| (s.content, s.item, s.key));
    let here = shape_of(lines.line(line)).map_or_else(
        || lines.line(line).chars().take_while(|c| *c == ' ').count(),
        |s| s.content,
    );
    let mut keys = Vec::new();
    // Upwards to the start of the mapping (a list item's first key is
    // part of it), downwards to its end (the next item starts another).
    let mut scan = |range: &mut dyn Iterator<Item = usize>, upwards: bool| {
        for l in range {
            if lines.line(l).starts_with("---") {
                break;
            }
            let Some((content, item, key)) = indent(l) else {
                continue;
            };
            if content < here || (content == here && item && !upwards) {
                break;
            }
            if content == here {
                keys.extend(key.map(|k| k.0));
                if item {
                    break;
                }
            }
        }
    };
    scan(&mut (0..line).rev(), true);
    scan(&mut (line + 1..lines.count()), false);
    keys
}
