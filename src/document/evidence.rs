//! The evidence a course gives (`evidence:` lists in its sections and at
//! its top level), read the same way for the check of local files
//! (src/audit/evidence.rs) and for the reports' links.

use crate::yaml::{Node, Pos, Value};

/// One evidence entry as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceLink {
    /// The section it supports (`accessibility_review`), or `None` for the
    /// course as a whole.
    pub section: Option<String>,
    /// The document path of the entry, e.g. `accessibility_review.evidence[0]`.
    pub path: String,
    pub target: String,
    pub pos: Pos,
}

/// What an evidence entry points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// An `http://` or `https://` address, which reports link to as it is.
    Web(&'a str),
    /// A path relative to the course file.
    Local(&'a str),
    /// Anything else (`javascript:`, `file:`, an absolute path): never a
    /// link, and a finding.
    Refused(&'a str),
}

impl EvidenceLink {
    pub fn target(&self) -> Target<'_> {
        classify(&self.target)
    }
}

/// Whether `text` is a web address, a relative path or neither. The scheme
/// test is RFC 3986's (letters, digits, `+-.` before a `:`), so
/// `JavaScript:` and ` javascript:` are schemes too, not paths.
pub fn classify(text: &str) -> Target<'_> {
    let trimmed = text.trim();
    if let Some((scheme, _)) = trimmed.split_once(':') {
        let is_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme {
            let lower = scheme.to_ascii_lowercase();
            let rest = &trimmed[scheme.len() + 1..];
            return if (lower == "http" || lower == "https") && rest.starts_with("//") {
                Target::Web(trimmed)
            } else {
                Target::Refused(text)
            };
        }
    }
    if trimmed.is_empty()
        || trimmed.starts_with('/')
        || trimmed.starts_with('\\')
        || trimmed.contains('\0')
        || trimmed.chars().any(char::is_control)
    {
        return Target::Refused(text);
    }
    Target::Local(trimmed)
}

/// Every evidence entry of a course root that is text, in document order:
/// the top-level list first, then each section's.
pub fn links(root: &Node) -> Vec<EvidenceLink> {
    let mut found = Vec::new();
    let Value::Map(entries) = &root.value else {
        return found;
    };
    if let Some(list) = root.get("evidence") {
        collect(None, "evidence".to_string(), list, &mut found);
    }
    for entry in entries {
        if let Some(list) = entry.value.get("evidence") {
            collect(
                Some(entry.key.to_string()),
                format!("{}.evidence", entry.key),
                list,
                &mut found,
            );
        }
    }
    found
}

fn collect(section: Option<String>, path: String, list: &Node, found: &mut Vec<EvidenceLink>) {
    let Value::List(items) = &list.value else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        if let Some(text) = item.scalar_text() {
            found.push(EvidenceLink {
                section: section.clone(),
                path: format!("{path}[{i}]"),
                target: text.to_string(),
                pos: item.pos,
            });
        }
    }
}

/// `a/./b/../c` as `a/c`, without looking at the file system: for paths
/// that cannot be resolved, or must not be (a folder behind a symbolic
/// link). A `..` past the start is kept.
pub fn normalised(path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let climbs = matches!(
                    out.components().next_back(),
                    None | Some(Component::ParentDir)
                );
                if climbs || !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_addresses_are_web_links() {
        assert_eq!(
            classify("https://x.example/a"),
            Target::Web("https://x.example/a")
        );
        assert_eq!(
            classify("HTTP://x.example"),
            Target::Web("HTTP://x.example")
        );
        assert!(matches!(
            classify("javascript:alert(1)"),
            Target::Refused(_)
        ));
        assert!(matches!(
            classify("JavaScript:alert(1)"),
            Target::Refused(_)
        ));
        assert!(matches!(
            classify(" javascript:alert(1)"),
            Target::Refused(_)
        ));
        assert!(matches!(classify("data:text/html,x"), Target::Refused(_)));
        assert!(matches!(classify("file:///etc/passwd"), Target::Refused(_)));
        assert!(matches!(classify("https:evil"), Target::Refused(_)));
        assert!(matches!(classify("/etc/passwd"), Target::Refused(_)));
        assert!(matches!(classify(""), Target::Refused(_)));
        assert_eq!(
            classify("reviews/access-2025.pdf"),
            Target::Local("reviews/access-2025.pdf")
        );
    }
}
