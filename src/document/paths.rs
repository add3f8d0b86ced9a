//! Where a policy's path leads in a document format: the shape of the
//! value it reaches, or why it reaches nothing (an unknown key, with the
//! nearest known path). Policies are checked against this when they load,
//! so a misspelt path is an error in the policy, not a rule that always
//! fails with "is missing".

use super::format::{Field, Shape};
use super::validate::suggestion;
use crate::yaml::path::{Path, Segment};

/// What a path reaches in a format.
#[derive(Debug, Clone, Copy)]
pub enum Reached<'f> {
    /// A value of this shape.
    Shape(&'f Shape),
    /// A value under a free-form mapping: any key, any text.
    Free,
}

/// The shape `path` reaches in `fields` (a kind's top level), or the
/// problem in words, naming the nearest known path where one is close.
pub fn shape_at<'f>(fields: &'f [Field], path: &Path) -> Result<Reached<'f>, String> {
    let mut current: Option<&'f Shape> = None;
    let mut walked = String::new();
    for segment in path.segments() {
        let level: &'f [Field] = match current {
            None => fields,
            Some(Shape::Map(children)) => children,
            Some(Shape::TextMap) => return Ok(Reached::Free),
            Some(Shape::List(item)) => match segment {
                Segment::Key(_) => {
                    return Err(format!(
                        "'{walked}' is a list; write '{walked}[*]' to read its items"
                    ))
                }
                Segment::Filter(key, _) => {
                    if let Shape::Map(children) = item {
                        if !children.iter().any(|c| c.name == key) {
                            return Err(unknown(path, &walked, key, children, fields));
                        }
                    }
                    walked.push_str("[*]");
                    current = Some(item);
                    continue;
                }
                Segment::Each | Segment::Index(_) => {
                    walked.push_str("[*]");
                    current = Some(item);
                    continue;
                }
            },
            Some(other) => {
                return Err(format!(
                    "'{walked}' is {}, so '{path}' cannot be read below it",
                    shape_words(other)
                ))
            }
        };
        let Segment::Key(key) = segment else {
            let at = if walked.is_empty() {
                "the document"
            } else {
                &walked
            };
            return Err(format!(
                "{at} is not a list, so '{path}' cannot step into it"
            ));
        };
        let Some(field) = level.iter().find(|f| f.name == key) else {
            return Err(unknown(path, &walked, key, level, fields));
        };
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(key);
        current = Some(&field.shape);
    }
    match current {
        Some(shape) => Ok(Reached::Shape(shape)),
        None => Err(format!("'{path}' names no field")),
    }
}

/// The problem of an unknown key: the nearest key where it is, else the
/// nearest path of the whole format.
fn unknown(path: &Path, walked: &str, key: &str, level: &[Field], top: &[Field]) -> String {
    let mut message = if walked.is_empty() {
        format!("unknown path '{path}': the format has no '{key}'")
    } else {
        format!("unknown path '{path}': '{walked}' has no '{key}'")
    };
    let near_key = suggestion(key, level.iter().map(|f| f.name));
    let near_path = match near_key {
        Some(near) if walked.is_empty() => Some(near.to_string()),
        Some(near) => Some(format!("{walked}.{near}")),
        None => {
            let known = known_paths(top);
            suggestion(&generic(path), known.iter().map(String::as_str)).map(str::to_string)
        }
    };
    if let Some(near) = near_path {
        message.push_str(&format!(" (did you mean '{near}'?)"));
    }
    message
}

/// `a[*].b` for `a[type=x].b` or `a[0].b`: the path as the format lists it.
fn generic(path: &Path) -> String {
    let mut text = String::new();
    for segment in path.segments() {
        match segment {
            Segment::Key(key) if text.is_empty() => text.push_str(key),
            Segment::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            _ => text.push_str("[*]"),
        }
    }
    text
}

/// Every path of a format, lists stepped into with `[*]`.
pub fn known_paths(fields: &[Field]) -> Vec<String> {
    let mut out = Vec::new();
    collect(fields, "", &mut out);
    out
}

fn collect(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    for field in fields {
        let path = if prefix.is_empty() {
            field.name.to_string()
        } else {
            format!("{prefix}.{}", field.name)
        };
        out.push(path.clone());
        let mut shape = &field.shape;
        let mut here = path;
        while let Shape::List(item) = shape {
            here.push_str("[*]");
            shape = item;
        }
        if let Shape::Map(children) = shape {
            collect(children, &here, out);
        }
    }
}

/// A shape in words, as errors name it.
pub fn shape_words(shape: &Shape) -> &'static str {
    match shape {
        Shape::Text => "text",
        Shape::Integer => "a whole number",
        Shape::Number => "a number",
        Shape::Boolean => "true or false",
        Shape::Date => "a date",
        Shape::Enum(_) => "one of a set of words",
        Shape::QualificationNumber => "a qualification number",
        Shape::List(_) => "a list",
        Shape::Map(_) => "a mapping",
        Shape::TextMap => "a mapping of names to text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Kind;

    fn at(path: &str) -> Result<&'static str, String> {
        let path = Path::parse(path).unwrap();
        shape_at(Kind::Course.fields(), &path).map(|reached| match reached {
            Reached::Shape(shape) => shape_words(shape),
            Reached::Free => "free",
        })
    }

    #[test]
    fn known_paths_reach_their_shapes() {
        assert_eq!(at("accessibility_review.date"), Ok("a date"));
        assert_eq!(at("staff[*].online_delivery_training"), Ok("a date"));
        assert_eq!(
            at("delivery.components[type=live_online].hours"),
            Ok("a number")
        );
        assert_eq!(at("staff"), Ok("a list"));
    }

    #[test]
    fn unknown_paths_name_the_nearest_known_one() {
        assert_eq!(
            at("accessibility_review.dat"),
            Err(
                "unknown path 'accessibility_review.dat': 'accessibility_review' has no 'dat' \
                 (did you mean 'accessibility_review.date'?)"
                    .into()
            )
        );
        assert_eq!(
            at("staff[*].online_delivery_trainig").unwrap_err(),
            "unknown path 'staff[*].online_delivery_trainig': 'staff[*]' has no \
             'online_delivery_trainig' (did you mean 'staff[*].online_delivery_training'?)"
        );
        assert!(at("staff.role").unwrap_err().contains("write 'staff[*]'"));
        assert!(at("title.x").unwrap_err().contains("'title' is text"));
        assert!(at("delivery.components[kind=x].hours")
            .unwrap_err()
            .contains("has no 'kind'"));
    }
}
