//! blcheck's own checks on documents and policies (DOC, POL): their words
//! and thresholds live in `policies/document-checks.toml`, like any rule's.

use super::raw::RawCatalogue;
use crate::report::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

const CATALOGUE: &str = include_str!("../../policies/document-checks.toml");

/// blcheck's own checks, by what they check. Code names a check by its
/// role; its id, name, words and thresholds are the catalogue's (`role` in
/// policies/document-checks.toml), so renumbering one is a change to the
/// TOML alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnCheck {
    YamlSyntax,
    InvalidDocument,
    UnknownField,
    UnknownKind,
    DuplicateId,
    WaiverExpired,
    WaiverInvalid,
    UnknownPolicy,
    WaiverUnused,
    SupersededPolicyVersion,
    UnknownIndicator,
    EvidenceMissing,
    DuplicateClaim,
    PolicyRenewalOverdue,
    UnknownCourse,
    RunLimit,
    EvidenceFileMissing,
}

impl OwnCheck {
    pub const ALL: [OwnCheck; 17] = [
        OwnCheck::YamlSyntax,
        OwnCheck::InvalidDocument,
        OwnCheck::UnknownField,
        OwnCheck::UnknownKind,
        OwnCheck::DuplicateId,
        OwnCheck::WaiverExpired,
        OwnCheck::WaiverInvalid,
        OwnCheck::UnknownPolicy,
        OwnCheck::WaiverUnused,
        OwnCheck::SupersededPolicyVersion,
        OwnCheck::UnknownIndicator,
        OwnCheck::EvidenceMissing,
        OwnCheck::DuplicateClaim,
        OwnCheck::PolicyRenewalOverdue,
        OwnCheck::UnknownCourse,
        OwnCheck::RunLimit,
        OwnCheck::EvidenceFileMissing,
    ];
}

#[derive(Debug, Clone)]
pub struct CatalogueRule {
    pub id: Arc<str>,
    pub role: OwnCheck,
    pub name: Arc<str>,
    pub title: String,
    pub severity: Severity,
    pub clause: Arc<str>,
    pub help: Arc<str>,
    pub example: Option<String>,
    /// The documents the check applies to, when not every blcheck document.
    pub scope: Option<String>,
    pub params: BTreeMap<String, f64>,
    /// How its findings name it, shared by all of them.
    pub label: Arc<crate::report::RuleLabel>,
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
        Catalogue::from_toml(CATALOGUE)
    }

    fn from_toml(text: &str) -> Catalogue {
        let raw: RawCatalogue = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(_) => return Catalogue { rules: Vec::new() },
        };
        Catalogue {
            rules: raw
                .rules
                .into_iter()
                .map(|r| CatalogueRule {
                    label: Arc::new(crate::report::RuleLabel {
                        id: r.id.as_str().into(),
                        name: r.name.as_str().into(),
                        policy: None,
                        clause: Some(Arc::from(r.clause.trim())),
                        help: Some(Arc::from(r.help.trim())),
                    }),
                    severity: Severity::parse(&r.severity).unwrap_or(Severity::Error),
                    id: r.id.into(),
                    role: r.role,
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

    /// The rule with this id, as findings, waivers and settings name it.
    pub fn get(&self, id: &str) -> Option<&CatalogueRule> {
        self.rules.iter().find(|r| &*r.id == id)
    }

    /// The rule of one of blcheck's own checks.
    pub fn rule(&self, check: OwnCheck) -> Option<&CatalogueRule> {
        self.rules.iter().find(|r| r.role == check)
    }

    /// A parameter of one of blcheck's own checks (`max_days_ahead` of
    /// the invalid-waiver check).
    pub fn param(&self, check: OwnCheck, name: &str) -> Option<f64> {
        self.rule(check)?.params.get(name).copied()
    }

    /// The id prefixes of blcheck's own checks (`DOC`, `POL`), which
    /// policies may not use.
    pub fn id_prefixes(&self) -> Vec<&str> {
        let mut prefixes: Vec<&str> = self
            .rules
            .iter()
            .map(|r| r.id.trim_end_matches(|c: char| c.is_ascii_digit()))
            .collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        prefixes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails to compile when a check is added to `OwnCheck` and not here,
    /// and fails the test when it is left out of `OwnCheck::ALL`.
    #[test]
    fn all_lists_every_own_check() {
        let position = |check: OwnCheck| match check {
            OwnCheck::YamlSyntax => 0,
            OwnCheck::InvalidDocument => 1,
            OwnCheck::UnknownField => 2,
            OwnCheck::UnknownKind => 3,
            OwnCheck::DuplicateId => 4,
            OwnCheck::WaiverExpired => 5,
            OwnCheck::WaiverInvalid => 6,
            OwnCheck::UnknownPolicy => 7,
            OwnCheck::WaiverUnused => 8,
            OwnCheck::SupersededPolicyVersion => 9,
            OwnCheck::UnknownIndicator => 10,
            OwnCheck::EvidenceMissing => 11,
            OwnCheck::DuplicateClaim => 12,
            OwnCheck::PolicyRenewalOverdue => 13,
            OwnCheck::UnknownCourse => 14,
            OwnCheck::RunLimit => 15,
            OwnCheck::EvidenceFileMissing => 16,
        };
        for (i, check) in OwnCheck::ALL.into_iter().enumerate() {
            assert_eq!(position(check), i, "{check:?}");
        }
    }

    #[test]
    fn every_own_check_has_one_entry() {
        let catalogue = Catalogue::built_in();
        for check in OwnCheck::ALL {
            let entries = catalogue.rules.iter().filter(|r| r.role == check).count();
            assert_eq!(entries, 1, "{check:?} has {entries} entries");
        }
        assert_eq!(catalogue.rules.len(), OwnCheck::ALL.len());
        assert_eq!(catalogue.id_prefixes(), ["DOC", "POL"]);
    }

    #[test]
    fn a_check_renumbered_in_the_toml_keeps_its_role() {
        let renumbered = Catalogue::from_toml(&CATALOGUE.replace("\"DOC009\"", "\"DOC099\""));
        let unused = renumbered.rule(OwnCheck::WaiverUnused).expect("an entry");
        assert_eq!(&*unused.id, "DOC099");
        assert_eq!(&*unused.name, "waiver-unused");
    }

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
            Catalogue::built_in().param(OwnCheck::WaiverInvalid, "max_days_ahead"),
            Some(365.0)
        );
    }
}
