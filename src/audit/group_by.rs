//! `--group-by FIELD`: the document field that groups the findings and
//! the matrix, so that actions can be handed to whoever owns them. The
//! usual ones have short names (`owner`, `subcontractor`, `provider`,
//! `awarding-body`, `mode`); any other is a top-level key or a dotted
//! path (`qualification.level`). Each document's value is read while the
//! document is audited and kept in its report entry.

use crate::document::Document;
use anyhow::{bail, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBy {
    /// As the user named it, for headings and the CSV column.
    pub name: String,
    path: Vec<String>,
}

/// The short names and the fields they stand for.
const SHORT_NAMES: [(&str, &str); 5] = [
    ("owner", "owner"),
    ("subcontractor", "subcontractor"),
    ("provider", "provider"),
    ("awarding-body", "qualification.awarding_body"),
    ("mode", "delivery.mode"),
];

impl GroupBy {
    pub fn parse(text: &str) -> Result<GroupBy> {
        let name = text.trim();
        let field = SHORT_NAMES
            .iter()
            .find(|(short, _)| *short == name)
            .map_or(name, |(_, field)| field);
        let path: Vec<String> = field.split('.').map(str::to_string).collect();
        let valid = |part: &String| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        if !path.iter().all(valid) {
            bail!(
                "--group-by '{}': name a field (owner, subcontractor, provider, awarding-body, mode, or a key such as qualification.level)",
                crate::render::text::terminal_safe(text)
            );
        }
        Ok(GroupBy {
            name: name.to_string(),
            path,
        })
    }

    /// The document's value of the field, when it is a scalar.
    pub fn value(&self, doc: &Document) -> Option<String> {
        let mut node = &doc.root;
        for key in &self.path {
            node = node.get(key)?;
        }
        node.scalar_text()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_and_paths() {
        assert_eq!(
            GroupBy::parse("awarding-body").unwrap().path,
            ["qualification", "awarding_body"]
        );
        assert_eq!(GroupBy::parse("owner").unwrap().path, ["owner"]);
        assert_eq!(
            GroupBy::parse("qualification.level").unwrap().path,
            ["qualification", "level"]
        );
        for bad in ["", "a..b", "owner name", "x.\u{1b}"] {
            assert!(GroupBy::parse(bad).is_err(), "{bad}");
        }
    }
}
