//! Fields a policy declares that the built-in format lacks
//! (`staff[*].dbs_checked`, `safeguarding.lead`): the format of a kind as
//! extended by them, which validation (DOC002, DOC003), `blcheck schema`
//! and `blcheck init` then use as they use the built-in one.
//!
//! The built-in format is `'static` data; an extended format is built once
//! per distinct set of declarations and kept for the life of the process
//! (a handful of fields, a few kilobytes), so that every consumer of the
//! format takes it as it takes the built-in one.

use super::format::{Field, Shape};
use super::Kind;
use crate::yaml::path::{Path, Segment};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// The type of a declared field, as a policy writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclaredType {
    Text,
    Date,
    Bool,
    WholeNumber,
    Number,
    TextList,
    Enum(Vec<String>),
}

/// The words a policy may write for `type`.
pub const TYPE_NAMES: &[&str] = &[
    "text",
    "date",
    "bool",
    "whole_number",
    "number",
    "text_list",
    "enum",
];

impl DeclaredType {
    /// The type `name` stands for; `values` is read for `enum` only.
    pub fn parse(name: &str, values: &[String]) -> Result<DeclaredType, String> {
        Ok(match name {
            "text" => DeclaredType::Text,
            "date" => DeclaredType::Date,
            "bool" => DeclaredType::Bool,
            "whole_number" => DeclaredType::WholeNumber,
            "number" => DeclaredType::Number,
            "text_list" => DeclaredType::TextList,
            "enum" if values.is_empty() => {
                return Err("an enum field needs its `values`".into());
            }
            "enum" => DeclaredType::Enum(values.to_vec()),
            other => {
                return Err(format!(
                    "type '{other}' is not one of {}",
                    TYPE_NAMES.join(", ")
                ))
            }
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            DeclaredType::Text => "text",
            DeclaredType::Date => "date",
            DeclaredType::Bool => "bool",
            DeclaredType::WholeNumber => "whole_number",
            DeclaredType::Number => "number",
            DeclaredType::TextList => "text_list",
            DeclaredType::Enum(_) => "enum",
        }
    }

    fn shape(&self) -> Shape {
        match self {
            DeclaredType::Text => Shape::Text,
            DeclaredType::Date => Shape::Date,
            DeclaredType::Bool => Shape::Boolean,
            DeclaredType::WholeNumber => Shape::Integer,
            DeclaredType::Number => Shape::Number,
            DeclaredType::TextList => Shape::List(&Shape::Text),
            DeclaredType::Enum(values) => {
                let values: Vec<&'static str> = values.iter().map(|v| keep(v)).collect();
                Shape::Enum(Vec::leak(values))
            }
        }
    }
}

/// One declared field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub kind: Kind,
    pub path: Path,
    pub ty: DeclaredType,
    pub about: String,
}

/// Why a path cannot be declared: only keys and `[*]`, a key the format
/// lacks, under mappings (or lists of mappings).
pub fn path_problem(path: &Path) -> Option<String> {
    match path.segments() {
        [.., Segment::Key(_)] => {}
        _ => return Some(format!("a declared path must end in a key, not '{path}'")),
    }
    path.segments()
        .iter()
        .any(|s| matches!(s, Segment::Filter(..) | Segment::Index(_)))
        .then(|| format!("a declared path uses keys and [*] only, not '{path}'"))
}

/// The format of `kind` with `declarations` (those of this kind) added.
/// An error names the declaration (by its index) that cannot be added: a
/// field already in the format, or a path through a value that is not a
/// mapping.
pub fn extended(
    kind: Kind,
    declarations: &[Declaration],
) -> Result<&'static [Field], (usize, String)> {
    let mine: Vec<(usize, &Declaration)> = declarations
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == kind)
        .collect();
    if mine.is_empty() {
        return Ok(kind.fields());
    }
    let key = format!(
        "{kind}:{:?}",
        mine.iter().map(|(_, d)| *d).collect::<Vec<_>>()
    );
    static BUILT: LazyLock<Mutex<HashMap<String, &'static [Field]>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    if let Some(built) = BUILT.lock().ok().and_then(|b| b.get(&key).copied()) {
        return Ok(built);
    }
    let mut fields = kind.fields();
    for (index, declaration) in mine {
        fields = insert(fields, declaration.path.segments(), declaration, "")
            .map_err(|message| (index, message))?;
    }
    if let Ok(mut built) = BUILT.lock() {
        built.insert(key, fields);
    }
    Ok(fields)
}

fn insert(
    fields: &'static [Field],
    segments: &[Segment],
    declaration: &Declaration,
    walked: &str,
) -> Result<&'static [Field], String> {
    let [Segment::Key(key), rest @ ..] = segments else {
        return Err(format!("'{}' cannot be declared", declaration.path));
    };
    let here = if walked.is_empty() {
        key.clone()
    } else {
        format!("{walked}.{key}")
    };
    let mut copy: Vec<Field> = fields.to_vec();
    match copy.iter().position(|f| f.name == key) {
        Some(_) if rest.is_empty() => {
            return Err(format!(
                "'{}' is already in the {} format; a policy declares only fields it lacks",
                declaration.path, declaration.kind
            ))
        }
        Some(i) => copy[i].shape = descend(&copy[i].shape, rest, declaration, &here)?,
        None if rest.is_empty() => copy.push(Field {
            name: keep(key),
            shape: declaration.ty.shape(),
            required: false,
            about: keep(&declaration.about),
        }),
        None => copy.push(Field {
            name: keep(key),
            shape: descend(&Shape::Map(&[]), rest, declaration, &here)?,
            required: false,
            about: keep(&format!("Fields declared for `{here}` by a policy.")),
        }),
    }
    Ok(Vec::leak(copy))
}

fn descend(
    shape: &Shape,
    rest: &[Segment],
    declaration: &Declaration,
    walked: &str,
) -> Result<Shape, String> {
    match (shape, rest.first()) {
        (Shape::List(item), Some(Segment::Each)) => {
            let inner = descend(item, &rest[1..], declaration, &format!("{walked}[*]"))?;
            Ok(Shape::List(Box::leak(Box::new(inner))))
        }
        (Shape::Map(children), Some(Segment::Key(_))) => {
            Ok(Shape::Map(insert(children, rest, declaration, walked)?))
        }
        (Shape::List(_), _) => Err(format!(
            "'{walked}' is a list; declare '{walked}[*].…' for a field of its items"
        )),
        (other, _) => Err(format!(
            "'{walked}' is {}, so '{}' cannot be declared under it",
            super::paths::shape_words(other),
            declaration.path
        )),
    }
}

/// Text kept for the life of the process, as the built-in format's is.
fn keep(text: &str) -> &'static str {
    String::leak(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::paths::{shape_at, shape_words, Reached};

    fn declare(path: &str, ty: DeclaredType) -> Declaration {
        Declaration {
            kind: Kind::Course,
            path: Path::parse(path).unwrap(),
            ty,
            about: format!("about {path}"),
        }
    }

    #[test]
    fn declared_fields_join_the_format_where_their_path_says() {
        let fields = extended(
            Kind::Course,
            &[
                declare("staff[*].dbs_checked", DeclaredType::Date),
                declare("safeguarding.lead", DeclaredType::Text),
                declare("safeguarding.trained", DeclaredType::Bool),
            ],
        )
        .unwrap();
        let at = |p: &str| match shape_at(fields, &Path::parse(p).unwrap()).unwrap() {
            Reached::Shape(shape) => shape_words(shape),
            Reached::Free => "free",
        };
        assert_eq!(at("staff[*].dbs_checked"), "a date");
        assert_eq!(at("staff[*].role"), "text");
        assert_eq!(at("safeguarding.lead"), "text");
        assert_eq!(at("safeguarding.trained"), "true or false");
        // The built-in format is untouched.
        assert!(shape_at(
            Kind::Course.fields(),
            &Path::parse("safeguarding.lead").unwrap()
        )
        .is_err());
    }

    #[test]
    fn a_field_the_format_has_or_a_path_through_a_value_is_refused() {
        let err = extended(
            Kind::Course,
            &[declare("delivery.mode", DeclaredType::Text)],
        );
        assert!(err.unwrap_err().1.contains("already in the Course format"));
        let err = extended(Kind::Course, &[declare("title.x", DeclaredType::Text)]);
        assert!(err.unwrap_err().1.contains("'title' is text"));
        let err = extended(Kind::Course, &[declare("staff.x", DeclaredType::Text)]);
        assert!(err.unwrap_err().1.contains("declare 'staff[*].…'"));
        assert!(path_problem(&Path::parse("a[0].b").unwrap()).is_some());
        assert!(path_problem(&Path::parse("a[*]").unwrap()).is_some());
        assert_eq!(
            DeclaredType::parse("enum", &[]).unwrap_err(),
            "an enum field needs its `values`"
        );
    }
}
