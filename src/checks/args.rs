//! A check's TOML table as written, and the reading of its fields by its
//! kind: every problem kept with the span it is at, so the policy loader
//! reports it at file:line:column.

use super::contract::{Bounds, Reads};
use super::{format_number, kind_named, CheckKind, Literal, Number, Params, CHECK_KINDS};
use crate::yaml::path::Path;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;
use toml::Spanned;

/// What a field of a check holds, which says how it is read and what the
/// documentation and the registry test give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A path into the document.
    Path,
    /// A non-empty list of paths.
    Paths,
    /// A number, or the name of a rule parameter.
    Number,
    /// Text, a number or true/false.
    Literal,
    /// A non-empty list of literals.
    Literals,
    /// true or false; false when left out (the only optional shape).
    Flag,
}

/// A field of a check kind's table.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    /// For a path: the value it must reach in the document's format.
    pub reads: Reads,
    /// For a number: the range it may take.
    pub bounds: Option<Bounds>,
}

impl Field {
    pub const fn new(name: &'static str, shape: Shape) -> Field {
        Field {
            name,
            shape,
            reads: Reads::Any,
            bounds: None,
        }
    }

    /// A path field whose values must be of this kind in the format.
    pub const fn reading(self, reads: Reads) -> Field {
        Field { reads, ..self }
    }

    /// A number field that must lie within `bounds`.
    pub const fn within(self, bounds: Bounds) -> Field {
        Field {
            bounds: Some(bounds),
            ..self
        }
    }

    fn required(&self) -> bool {
        self.shape != Shape::Flag
    }
}

/// A field's value as written: one value, or a list with each item's span.
#[derive(Debug, Clone)]
pub enum FieldValue {
    One(toml::Value),
    List(Vec<Spanned<toml::Value>>),
}

/// One check as written: `{ check = "at_most", path = "a", limit = 5 }`.
#[derive(Debug, Clone)]
pub struct CheckTable {
    pub check: Spanned<String>,
    /// The other fields, in the order written.
    fields: Vec<(String, Spanned<FieldValue>)>,
}

/// Every field some check kind reads, `check` first: a field no kind reads
/// is refused while the TOML is read, as a misspelt key anywhere else is.
static ALL_FIELDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut all = vec!["check"];
    for field in CHECK_KINDS.iter().flat_map(|kind| kind.fields) {
        if !all.contains(&field.name) {
            all.push(field.name);
        }
    }
    all
});

impl<'de> Deserialize<'de> for CheckTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TableVisitor)
    }
}

struct TableVisitor;

impl<'de> Visitor<'de> for TableVisitor {
    type Value = CheckTable;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a check table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CheckTable, A::Error> {
        let mut check = None;
        let mut fields = Vec::new();
        while let Some(key) = map.next_key_seed(FieldName)? {
            if key == "check" {
                check = Some(map.next_value::<Spanned<String>>()?);
            } else {
                fields.push((key, map.next_value::<Spanned<FieldValue>>()?));
            }
        }
        let check = check.ok_or_else(|| de::Error::missing_field("check"))?;
        Ok(CheckTable { check, fields })
    }
}

/// A key of a check table, refused (where it is written) unless some kind
/// reads it.
struct FieldName;

impl<'de> DeserializeSeed<'de> for FieldName {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldName {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<String, E> {
        match ALL_FIELDS.contains(&key) {
            true => Ok(key.to_string()),
            false => Err(de::Error::unknown_field(key, &ALL_FIELDS)),
        }
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldValueVisitor)
    }
}

struct FieldValueVisitor;

impl<'de> Visitor<'de> for FieldValueVisitor {
    type Value = FieldValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<FieldValue, E> {
        Ok(FieldValue::One(toml::Value::Boolean(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FieldValue, E> {
        Ok(FieldValue::One(toml::Value::Integer(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FieldValue, E> {
        match i64::try_from(v) {
            Ok(v) => self.visit_i64(v),
            Err(_) => Err(de::Error::custom("integer out of range")),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<FieldValue, E> {
        Ok(FieldValue::One(toml::Value::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldValue, E> {
        Ok(FieldValue::One(toml::Value::String(v.to_string())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FieldValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<toml::Value>>()? {
            items.push(item);
        }
        Ok(FieldValue::List(items))
    }

    // A table, or a date (which TOML hands over as a one-entry table).
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldValue, A::Error> {
        toml::Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(FieldValue::One)
    }
}

/// A check's fields as its kind reads them, with the rule's parameters
/// (which a number may name) and the problems found so far.
pub struct CheckArgs<'a> {
    kind: &'static CheckKind,
    table: &'a CheckTable,
    params: &'a Params,
    errors: Vec<(Range<usize>, String)>,
    read: Vec<ReadPath>,
    param_uses: Vec<(String, Bounds)>,
    texts: Vec<(String, Range<usize>)>,
}

/// A path a check reads, where it is written and what it must reach: the
/// policy loader checks it against the document format.
#[derive(Debug, Clone)]
pub struct ReadPath {
    pub path: Path,
    pub span: Range<usize>,
    pub reads: Reads,
    /// Read on a learner plan's Course, not on the policy's own documents:
    /// checked against the Course format.
    pub on_course: bool,
}

impl<'a> CheckArgs<'a> {
    /// The check's table, its kind known; the fields the kind does not
    /// read and those it needs but lacks are problems at `span`, the
    /// check's. `None` when no kind is called `table.check`.
    pub fn new(table: &'a CheckTable, span: Range<usize>, params: &'a Params) -> Option<Self> {
        let kind = kind_named(table.check.get_ref())?;
        let mut args = CheckArgs {
            kind,
            table,
            params,
            errors: Vec::new(),
            read: Vec::new(),
            param_uses: Vec::new(),
            texts: Vec::new(),
        };
        // A field the check does not read is a mistake the author should
        // hear about (a `limit` on `present` would silently do nothing).
        let takes: Vec<&str> = kind.fields.iter().map(|f| f.name).collect();
        for (name, _) in &table.fields {
            if !takes.contains(&name.as_str()) {
                args.errors.push((
                    span.clone(),
                    format!(
                        "check '{}' does not use '{name}'; it takes {}",
                        kind.name,
                        takes.join(", ")
                    ),
                ));
            }
        }
        for field in kind.fields.iter().filter(|f| f.required()) {
            let given = match args.field(field.name).map(Spanned::get_ref) {
                Some(FieldValue::List(items)) => !items.is_empty(),
                Some(FieldValue::One(_)) => true,
                None => false,
            };
            if !given {
                args.errors.push((
                    span.clone(),
                    format!("check '{}' needs '{}'", kind.name, field.name),
                ));
            }
        }
        Some(args)
    }

    pub fn kind(&self) -> &'static CheckKind {
        self.kind
    }

    /// The problems found, each with its span in the policy's text.
    pub fn into_errors(self) -> Vec<(Range<usize>, String)> {
        self.errors
    }

    /// The paths read so far, with their spans.
    pub fn read_paths(&self) -> &[ReadPath] {
        &self.read
    }

    /// The text literals read so far (`value`, `values`), with their spans:
    /// the loader checks them against a field's closed set of words.
    pub fn text_literals(&self) -> &[(String, Range<usize>)] {
        &self.texts
    }

    /// The rule parameters the check's numbers name, with the range each
    /// must lie in.
    pub fn param_uses(&self) -> &[(String, Bounds)] {
        &self.param_uses
    }

    fn declared(&self, name: &str) -> Option<&'static super::Field> {
        self.kind.fields.iter().find(|f| f.name == name)
    }

    fn field(&self, name: &str) -> Option<&'a Spanned<FieldValue>> {
        self.table
            .fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push((span, message.into()));
    }

    /// A path field; `None` (its problem noted) when it is missing or invalid.
    pub fn path(&mut self, name: &str) -> Option<Path> {
        let value = self.field(name)?;
        match value.get_ref() {
            FieldValue::One(toml::Value::String(text)) => self.parse_path(name, text, value.span()),
            other => {
                self.error(value.span(), invalid_type(other, "a string"));
                None
            }
        }
    }

    /// A path read on a learner plan's Course (`at_least_course_field`):
    /// checked against the Course format when the policy loads.
    pub fn course_path(&mut self, name: &str) -> Option<Path> {
        let path = self.path(name)?;
        if let Some(read) = self.read.last_mut() {
            read.on_course = true;
        }
        Some(path)
    }

    /// A path read inside each value of `base` (a milestone's `due`): the
    /// path as written, checked against the format as `base.path`.
    pub fn path_within(&mut self, name: &str, base: Option<&Path>) -> Option<Path> {
        let value = self.field(name)?;
        let FieldValue::One(toml::Value::String(text)) = value.get_ref() else {
            self.error(value.span(), invalid_type(value.get_ref(), "a string"));
            return None;
        };
        let path = match Path::parse(text) {
            Ok(path) => path,
            Err(message) => {
                self.error(value.span(), format!("invalid path {message}"));
                return None;
            }
        };
        if let Some(whole) = base.and_then(|b| Path::parse(&format!("{b}.{path}")).ok()) {
            let reads = self.declared(name).map_or(Reads::Any, |f| f.reads);
            self.read.push(ReadPath {
                path: whole,
                span: value.span(),
                reads,
                on_course: false,
            });
        }
        Some(path)
    }

    /// A list of paths; `None` unless every item is a valid path.
    pub fn paths(&mut self, name: &str) -> Option<Vec<Path>> {
        let items = self.list(name)?;
        let mut paths = Vec::new();
        for item in items {
            match item.get_ref() {
                toml::Value::String(text) => paths.extend(self.parse_path(name, text, item.span())),
                other => self.error(item.span(), invalid_type_of(other, "a string")),
            }
        }
        (paths.len() == items.len() && !paths.is_empty()).then_some(paths)
    }

    /// A number, written in place or naming a parameter of the rule.
    pub fn number(&mut self, name: &str) -> Option<Number> {
        let value = self.field(name)?;
        let span = value.span();
        let FieldValue::One(value) = value.get_ref() else {
            self.error(span, "expected a number or the name of a rule parameter");
            return None;
        };
        let bounds = self.declared(name).and_then(|f| f.bounds);
        if let Some(number) = super::policy_number(value) {
            return match number {
                Ok(n) => match bounds.filter(|b| !b.contains(n)) {
                    Some(bounds) => {
                        self.error(
                            span,
                            format!(
                                "'{name}' of '{}' is {}; it must be {bounds}",
                                self.kind.name,
                                format_number(n)
                            ),
                        );
                        None
                    }
                    None => Some(Number::Literal(n)),
                },
                Err(problem) => {
                    self.error(span, format!("the number {problem}"));
                    None
                }
            };
        }
        match value {
            toml::Value::String(param) if self.params.contains_key(param) => {
                if let Some(bounds) = bounds {
                    self.param_uses.push((param.clone(), bounds));
                }
                Some(Number::Param(param.clone()))
            }
            toml::Value::String(name) => {
                self.error(
                    span,
                    format!("'{name}' is not a parameter of this rule; add it to params"),
                );
                None
            }
            _ => {
                self.error(span, "expected a number or the name of a rule parameter");
                None
            }
        }
    }

    /// A literal a document value is compared with.
    pub fn literal(&mut self, name: &str) -> Option<Literal> {
        let value = self.field(name)?;
        match value.get_ref() {
            FieldValue::One(one) => self.read_literal(one, value.span()),
            FieldValue::List(_) => {
                self.error(value.span(), "expected text, a number or true/false");
                None
            }
        }
    }

    /// A non-empty list of literals; `None` unless every item is one.
    pub fn literals(&mut self, name: &str) -> Option<Vec<Literal>> {
        let items = self.list(name)?;
        let literals: Vec<Literal> = items
            .iter()
            .filter_map(|item| self.read_literal(item.get_ref(), item.span()))
            .collect();
        (literals.len() == items.len() && !literals.is_empty()).then_some(literals)
    }

    /// A true/false field; false when left out.
    pub fn flag(&mut self, name: &str) -> bool {
        let Some(value) = self.field(name) else {
            return false;
        };
        match value.get_ref() {
            FieldValue::One(toml::Value::Boolean(flag)) => *flag,
            other => {
                self.error(value.span(), invalid_type(other, "a boolean"));
                false
            }
        }
    }

    fn list(&mut self, name: &str) -> Option<&'a [Spanned<toml::Value>]> {
        let value = self.field(name)?;
        match value.get_ref() {
            FieldValue::List(items) => Some(items),
            other => {
                self.error(value.span(), invalid_type(other, "a sequence"));
                None
            }
        }
    }

    fn parse_path(&mut self, field: &str, text: &str, span: Range<usize>) -> Option<Path> {
        match Path::parse(text) {
            Ok(path) => {
                let reads = self.declared(field).map_or(Reads::Any, |f| f.reads);
                self.read.push(ReadPath {
                    path: path.clone(),
                    span,
                    reads,
                    on_course: false,
                });
                Some(path)
            }
            Err(message) => {
                self.error(span, format!("invalid path {message}"));
                None
            }
        }
    }

    fn read_literal(&mut self, value: &toml::Value, span: Range<usize>) -> Option<Literal> {
        match value {
            toml::Value::String(s) => {
                self.texts.push((s.clone(), span));
                Some(Literal::Text(s.clone()))
            }
            toml::Value::Boolean(b) => Some(Literal::Bool(*b)),
            toml::Value::Integer(_) | toml::Value::Float(_) => match super::policy_number(value) {
                Some(Ok(n)) => Some(Literal::Number(n)),
                Some(Err(problem)) => {
                    self.error(span, format!("the number {problem}"));
                    None
                }
                None => None,
            },
            _ => {
                self.error(span, "expected text, a number or true/false");
                None
            }
        }
    }
}

/// serde's words for a value of the wrong type, as the TOML reader gives
/// them elsewhere in a policy.
fn invalid_type(value: &FieldValue, wanted: &str) -> String {
    match value {
        FieldValue::One(one) => invalid_type_of(one, wanted),
        FieldValue::List(_) => format!("invalid type: {}, expected {wanted}", de::Unexpected::Seq),
    }
}

fn invalid_type_of(value: &toml::Value, wanted: &str) -> String {
    let unexpected = match value {
        toml::Value::String(s) => de::Unexpected::Str(s),
        toml::Value::Integer(n) => de::Unexpected::Signed(*n),
        toml::Value::Float(n) => de::Unexpected::Float(*n),
        toml::Value::Boolean(b) => de::Unexpected::Bool(*b),
        toml::Value::Array(_) => de::Unexpected::Seq,
        toml::Value::Datetime(_) | toml::Value::Table(_) => de::Unexpected::Map,
    };
    format!("invalid type: {unexpected}, expected {wanted}")
}
