//! Where a line of a YAML document is in its structure, read from the
//! text's indentation rather than from a parse, so that it still answers
//! while the author is half-way through typing a key; and what the format
//! says is allowed there.

use super::text::Lines;
use crate::document::format::{Field, Shape};
use crate::document::Kind;

/// A path segment standing for "an item of the list".
pub const ITEM: &str = "-";

/// One line as the outline reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineShape {
    /// Spaces before the content.
    pub indent: usize,
    /// Whether the line starts a list item (`- `).
    pub item: bool,
    /// The column (in characters) where the key or value starts.
    pub content: usize,
    /// The key and the column just past it, for a `key:` line.
    pub key: Option<(String, usize)>,
    /// Where the value after `key:` starts, when one is written.
    pub value: Option<usize>,
}

/// How one line is laid out; `None` for a blank line, a comment or a
/// document marker.
pub fn shape_of(line: &str) -> Option<LineShape> {
    let chars: Vec<char> = line.chars().collect();
    let indent = chars.iter().take_while(|c| **c == ' ').count();
    let rest: String = chars[indent..].iter().collect();
    if rest.trim().is_empty()
        || rest.starts_with('#')
        || rest.starts_with("---")
        || rest.starts_with("...")
    {
        return None;
    }
    let item = rest == "-" || rest.starts_with("- ");
    let content = if item {
        indent
            + 1
            + chars[indent + 1..]
                .iter()
                .take_while(|c| **c == ' ')
                .count()
    } else {
        indent
    };
    let body: String = chars[content.min(chars.len())..].iter().collect();
    let mut key = None;
    let mut value = None;
    if let Some(colon) = key_end(&body) {
        let name: String = body.chars().take(colon).collect();
        let name = name.trim_matches(|c| c == '"' || c == '\'').to_string();
        key = Some((name, content + colon));
        let after = colon + 1;
        let spaces = body.chars().skip(after).take_while(|c| *c == ' ').count();
        if body.chars().count() > after + spaces {
            value = Some(content + after + spaces);
        }
    }
    Some(LineShape {
        indent,
        item,
        content,
        key,
        value,
    })
}

/// Where the key of `key: value` ends (the colon), when `body` is one.
fn key_end(body: &str) -> Option<usize> {
    let chars: Vec<char> = body.chars().collect();
    if matches!(
        chars.first(),
        Some('"' | '\'' | '[' | '{' | '#' | '|' | '>')
    ) {
        return None;
    }
    (0..chars.len()).find(|&i| chars[i] == ':' && chars.get(i + 1).is_none_or(|c| *c == ' '))
}

/// The keys (and list items) leading to the mapping that line `line`'s key
/// belongs to, outermost first.
pub fn parents(lines: &Lines<'_>, line: usize) -> Vec<String> {
    let Some(here) = shape_of(lines.line(line)).or_else(|| typing_at(lines.line(line))) else {
        return Vec::new();
    };
    let mut path = Vec::new();
    let mut threshold = here.indent;
    if here.item {
        path.push(ITEM.to_string());
    } else {
        threshold = here.content;
    }
    for above in (0..line).rev() {
        if threshold == 0 {
            break;
        }
        let text = lines.line(above);
        if text.starts_with("---") {
            break;
        }
        let Some(shape) = shape_of(text) else {
            continue;
        };
        if shape.indent >= threshold {
            continue;
        }
        // A line less indented than the key: the start of the list item it
        // is in, or the key whose mapping holds it.
        if shape.item {
            path.push(ITEM.to_string());
        } else if let Some((key, _)) = shape.key {
            path.push(key);
        }
        threshold = shape.indent;
    }
    path.reverse();
    path
}

/// A line the author is typing a key on (`  acc`): its indentation.
fn typing_at(line: &str) -> Option<LineShape> {
    let indent = line.chars().take_while(|c| *c == ' ').count();
    Some(LineShape {
        indent,
        item: false,
        content: indent,
        key: None,
        value: None,
    })
}

/// The kind of the document line `line` is in: its top-level `kind:`.
pub fn kind_at(lines: &Lines<'_>, line: usize) -> Option<Kind> {
    let mut start = line;
    while start > 0 && !lines.line(start).starts_with("---") {
        start -= 1;
    }
    (start..lines.count())
        .take_while(|&l| l == start || !lines.line(l).starts_with("---"))
        .find_map(|l| {
            let text = lines.line(l).strip_prefix("kind:")?;
            let name = text
                .split('#')
                .next()?
                .trim()
                .trim_matches(|c| c == '"' || c == '\'');
            Kind::from_name(name)
        })
}

/// The fields of the mapping at `path` in a document of `kind`.
pub fn fields_at(kind: Kind, path: &[String]) -> Option<&'static [Field]> {
    let mut shape: Option<&'static Shape> = None;
    let mut fields = kind.fields();
    for segment in path {
        if segment == ITEM {
            match shape? {
                Shape::List(inner) => shape = Some(inner),
                _ => return None,
            }
        } else {
            if let Some(s) = shape {
                match s {
                    Shape::Map(f) => fields = f,
                    _ => return None,
                }
            }
            shape = Some(&fields.iter().find(|f| f.name == segment)?.shape);
        }
    }
    match shape {
        None => Some(fields),
        Some(Shape::Map(f)) => Some(f),
        Some(_) => None,
    }
}

/// The field `key` of the mapping at `path`.
pub fn field_at(kind: Kind, path: &[String], key: &str) -> Option<&'static Field> {
    fields_at(kind, path)?.iter().find(|f| f.name == key)
}

/// What a value of `shape` must look like, in words.
pub fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Text => "Text.".into(),
        Shape::Integer => "A whole number.".into(),
        Shape::Number => "A number.".into(),
        Shape::Boolean => "true or false.".into(),
        Shape::Date => "A date: ISO 2025-10-10 (or UK 10/10/2025).".into(),
        Shape::Enum(values) => format!("One of: {}.", values.join(", ")),
        Shape::QualificationNumber => "An Ofqual qualification number, like 603/5058/0.".into(),
        Shape::List(inner) => match inner {
            Shape::Map(_) => "A list of mappings.".into(),
            other => format!("A list; each item: {}", describe(other)),
        },
        Shape::Map(_) => "A mapping.".into(),
        Shape::TextMap => "A mapping of names to values.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_follow_indentation_and_list_items() {
        let text = "kind: Course\naccessibility_review:\n  date: 2025-01-01\nwaivers:\n  - rule: X\n    reason: y\n  - rule: Z\n";
        let lines = Lines::new(text);
        assert!(parents(&lines, 0).is_empty());
        assert_eq!(parents(&lines, 2), ["accessibility_review"]);
        assert_eq!(parents(&lines, 5), ["waivers", ITEM]);
        assert_eq!(parents(&lines, 6), ["waivers", ITEM]);
        assert_eq!(kind_at(&lines, 5), Some(Kind::Course));
        let review = fields_at(Kind::Course, &parents(&lines, 2)).unwrap();
        assert!(review.iter().any(|f| f.name == "outcome"));
        let waiver = fields_at(Kind::Course, &parents(&lines, 5)).unwrap();
        assert!(waiver.iter().any(|f| f.name == "approved_by"));
    }

    #[test]
    fn a_key_being_typed_is_placed_by_its_indentation() {
        let lines = Lines::new("kind: Course\naccessibility_review:\n  out\n");
        assert_eq!(parents(&lines, 2), ["accessibility_review"]);
        let shape = shape_of("  outcome: pass # ok").unwrap();
        assert_eq!(shape.key, Some(("outcome".into(), 9)));
        assert_eq!(shape.value, Some(11));
    }
}
