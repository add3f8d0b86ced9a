//! The YAML documents blcheck reads, as a tree whose every node knows where
//! a finding about it should point.

mod load;
pub mod path;
mod scalar;

pub use load::{load, Limits, LoadError};

use std::fmt;

/// A 1-based line and column, counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A node of a document. `pos` is where findings about the node point: for
/// a value under a mapping key, the key; otherwise the node itself (a block
/// mapping starts at its first key).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// YAML 1.2 core-schema values. `Text` keeps the scalar as written; numbers
/// keep their source text too, so `version: 1.10` is not read as `1.1`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64, Box<str>),
    Float(f64, Box<str>),
    Text(Box<str>),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Box<str>,
    pub key_pos: Pos,
    pub value: Node,
}

impl Node {
    /// The value under `key`, when this node is a mapping holding it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|e| same_key(&e.key, key))
                .map(|e| &e.value),
            _ => None,
        }
    }

    /// The scalar's text as the author wrote it; `None` for null and
    /// collections.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Text(s) | Value::Int(_, s) | Value::Float(_, s) => Some(s),
            Value::Bool(true) => Some("true"),
            Value::Bool(false) => Some("false"),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }

    /// The node's number, when it is one.
    pub fn as_number(&self) -> Option<f64> {
        match self.value {
            Value::Int(n, _) => Some(n as f64),
            Value::Float(n, _) => Some(n),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// What kind of value this is, for messages ("a list", "a number").
    pub fn type_name(&self) -> &'static str {
        self.value.type_name()
    }

    /// A short rendering of the value for messages: scalars quoted, collections
    /// by their type.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Text(s) => format!("'{}'", quoted(s)),
            Value::Int(_, s) | Value::Float(_, s) => quoted(s),
            Value::Bool(b) => b.to_string(),
            Value::Null => "empty".to_string(),
            Value::List(_) | Value::Map(_) => self.type_name().to_string(),
        }
    }
}

/// Whether two keys are the same. Every rule looks its keys up in
/// mappings of a few dozen entries; most differ in length or in their first
/// byte, which are compared before the bytes are.
pub fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "empty",
            Value::Bool(_) => "a true/false value",
            Value::Int(..) | Value::Float(..) => "a number",
            Value::Text(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// How many characters of a document's value a message quotes. A finding
/// names the value, it does not reproduce a document: a 9 MB scalar must
/// not become a 9 MB message.
pub const QUOTED_CHARS: usize = 60;

/// A document's text as a message quotes it: at most [`QUOTED_CHARS`].
pub fn quoted(text: &str) -> String {
    shorten_to(text, QUOTED_CHARS)
}

/// `text` cut to at most `max` characters, with `…` where it was cut.
pub fn shorten_to(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// One YAML document of a file: its root node (whose `pos` is where
/// findings about missing top-level keys point).
#[derive(Debug, Clone)]
pub struct YamlDocument {
    pub root: Node,
}
