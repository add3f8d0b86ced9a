//! blcheck's own checks on documents and policies (DOC, POL): their words
//! and thresholds live in `policies/document-checks.toml`, like any rule's.

use super::raw::RawCatalogue;
use crate::report::Severity;
use std::collections::BTreeMap;
use std::sync::Arc;

const CATALOGUE: &str = include_str!("../../policies/document-checks.toml");

#[derive(Debug, Clone)]
pub struct CatalogueRule {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub title: String,
    pub severity: Severity,
    pub clause: Arc<str>,
    pub help: Arc<str>,
    pub example: Option<String>,
    /// The documents the check applies to, when not every blcheck document.
    pub scope: Option<String>,
    pub params: BTreeMap<String, f64>,
}

/// The DOC and POL rules.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub rules: Vec<CatalogueRule>,
}

impl Catalogue {
    /// The embedded catalogue. A test proves it parses, so the fallback to an
    /// empty catalogue is never reached by a release.
    pub fn built_in() -> Catalogue {
        let raw: RawCatalogue = match toml::from_str(CATALOGUE) {
            Ok(raw) => raw,
            Err(_) => return Catalogue { rules: Vec::new() },
        };
        Catalogue {
            rules: raw
                .rules
                .into_iter()
                .map(|r| CatalogueRule {
                    severity: Severity::parse(&r.severity).unwrap_or(Severity::Error),
                    id: r.id.into(),
                    name: r.name.into(),
                    title: r.title,
                    clause: Arc::from(r.clause.trim()),
                    help: Arc::from(r.help.trim()),
                    example: r.example,
                    scope: r.scope,
                    params: r.params,
                })
                .collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&CatalogueRule> {
        self.rules.iter().find(|r| &*r.id == id)
    }

    /// A parameter of a catalogue rule (`DOC007.max_days_ahead`).
    pub fn param(&self, id: &str, name: &str) -> Option<f64> {
        self.get(id)?.params.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_parses_and_covers_every_doc_and_pol_rule() {
        let raw: RawCatalogue = toml::from_str(CATALOGUE).unwrap();
        let ids: Vec<&str> = raw.rules.iter().map(|r| r.id.as_str()).collect();
        for n in 1..=9 {
            assert!(ids.contains(&format!("DOC00{n}").as_str()), "DOC00{n}");
        }
        assert!(ids.contains(&"POL001"));
        for rule in &raw.rules {
            assert!(Severity::parse(&rule.severity).is_some(), "{}", rule.id);
            assert!(!rule.help.trim().is_empty() && !rule.title.trim().is_empty());
        }
        assert_eq!(
            Catalogue::built_in().param("DOC007", "max_days_ahead"),
            Some(365.0)
        );
    }
}
