//! Policies: encoded organisational policies (version-control sheet, scope,
//! rules) and the catalogue of blcheck's own document checks.

pub mod cases;
mod catalogue;
pub mod describe;
pub mod fields;
pub(crate) mod load;
pub mod placeholders;
mod raw;
pub mod sheet;
pub mod starter;
pub mod trace;

pub use catalogue::{Catalogue, CatalogueRule, OwnCheck};
pub(crate) use load::{is_kebab, LineIndex};
pub use load::{load_policy, PolicyError};
pub use placeholders::Placeholders;
pub use trace::{Commitment, Coverage};

use crate::checks::{Bounds, Check, Params};
use crate::document::extension::Declaration;
use crate::document::format::Field;
use crate::document::Kind;
use crate::report::Severity;
use crate::yaml::Pos;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The policies shipped inside the binary: file name and TOML text.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "sts-blended-learning.toml",
        include_str!("../../policies/sts-blended-learning.toml"),
    ),
    (
        "ld-evaluation.toml",
        include_str!("../../policies/ld-evaluation.toml"),
    ),
    (
        "ilp-quality.toml",
        include_str!("../../policies/ilp-quality.toml"),
    ),
];

/// Where a policy came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary, under this file name.
    BuiltIn(&'static str),
    /// Loaded from a file; the path as shown to users.
    File(String),
}

impl Origin {
    /// `built-in` or the file's relative path, as `renewals` shows it.
    pub fn source(&self) -> String {
        match self {
            Origin::BuiltIn(_) => "built-in".to_string(),
            Origin::File(path) => path.clone(),
        }
    }

    /// The name findings about the policy file give as their `file`.
    pub fn file_label(&self) -> String {
        match self {
            Origin::BuiltIn(name) => format!("built-in:{name}"),
            Origin::File(path) => path.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub version: String,
    pub date: NaiveDate,
    pub summary: String,
}

/// A validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub id: Arc<str>,
    pub title: String,
    pub organisation: Option<String>,
    pub version: String,
    pub owner: String,
    pub issued: NaiveDate,
    pub renewal: NaiveDate,
    /// Where `issued` is written, for `renewals` to point at.
    pub issued_pos: Pos,
    pub renewal_pos: Pos,
    pub source_document: Option<String>,
    pub read_with: Vec<ReadWith>,
    pub history: Vec<HistoryEntry>,
    pub origin: Origin,
    pub scope: Scope,
    /// The fields it declares beyond the built-in format.
    pub fields: Vec<DeclaredField>,
    pub rules: Vec<Rule>,
    /// The text its text checks take for no value (`n/a`, `tbc`).
    pub placeholders: Placeholders,
    /// The commitments of its source document, each traced to the rules
    /// that check it or said to be not checkable.
    pub commitments: Vec<Commitment>,
}

/// A document a policy must be read with: its title, and how the register
/// may hold it under another name: the PolicyDocument's `id`, or other
/// titles the policy's owner accepts as the same document ("Safeguarding
/// and Prevent Policy" for "Safeguarding Policy").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadWith {
    pub title: String,
    pub id: Option<String>,
    pub aliases: Vec<String>,
}

impl ReadWith {
    /// An entry named by its title only.
    pub fn title(title: &str) -> ReadWith {
        ReadWith {
            title: title.to_string(),
            id: None,
            aliases: Vec::new(),
        }
    }
}

/// A field a policy declares, with where it is declared.
#[derive(Debug, Clone)]
pub struct DeclaredField {
    pub declaration: Declaration,
    pub pos: Pos,
}

/// Which documents a policy applies to.
#[derive(Debug, Clone)]
pub struct Scope {
    pub kinds: Vec<Kind>,
    /// Conditions on the document; when one fails, every rule skips.
    pub when: Vec<Check>,
}

/// A validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub title: String,
    pub severity: Severity,
    pub clause: Arc<str>,
    pub help: Arc<str>,
    pub example: Option<String>,
    pub params: Params,
    /// Where a parameter's number comes from, for those the policy says.
    pub param_sources: BTreeMap<String, String>,
    /// The range each parameter must lie in, as the checks reading it say.
    pub param_bounds: BTreeMap<String, Bounds>,
    pub when: Vec<Check>,
    pub checks: Vec<Check>,
    /// How its findings name it, shared by all of them.
    pub label: Arc<crate::report::RuleLabel>,
    /// Its id as each document's list of results holds it.
    pub result_ref: crate::report::RuleRef,
}

impl Rule {
    /// How findings of the rule, in `policy`, name it.
    pub fn label_in(&self, policy: &Arc<str>) -> crate::report::RuleLabel {
        crate::report::RuleLabel {
            id: self.id.clone(),
            name: self.name.clone(),
            policy: Some(policy.clone()),
            clause: Some(self.clause.clone()),
            help: Some(self.help.clone()),
        }
    }

    /// Why the rule's parameters cannot stand, if they cannot: one outside
    /// the range its checks allow, or a lower limit of a field above its
    /// upper limit (a rule no document could pass).
    pub fn param_problem(&self) -> Option<String> {
        for (name, bounds) in &self.param_bounds {
            if let Some(value) = self.params.get(name).filter(|v| !bounds.contains(**v)) {
                return Some(format!(
                    "parameter '{name}' is {}; it must be {bounds}",
                    crate::checks::format_number(*value)
                ));
            }
        }
        limits_problem(&self.checks, &self.params)
    }
}

/// A lower limit above the upper limit of the same field, in words.
pub(crate) fn limits_problem(checks: &[Check], params: &Params) -> Option<String> {
    use crate::checks::LimitSide;
    let limits: Vec<_> = checks.iter().filter_map(Check::limit).collect();
    for (path, side, lower) in &limits {
        if *side != LimitSide::Lower {
            continue;
        }
        for (other, other_side, upper) in &limits {
            let (low, high) = (lower.value(params), upper.value(params));
            if *other_side == LimitSide::Upper && other == path && low > high {
                return Some(format!(
                    "the lower limit of `{path}` ({} = {}) is above its upper limit ({} = {})",
                    lower.describe(),
                    crate::checks::format_number(low),
                    upper.describe(),
                    crate::checks::format_number(high)
                ));
            }
        }
    }
    None
}

/// Every policy of a run, with a lookup from rule id to rule.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    rules: BTreeMap<Arc<str>, (usize, usize)>,
    /// The formats the policies' declared fields extend.
    formats: BTreeMap<Kind, &'static [Field]>,
}

impl PolicySet {
    /// Builds the set; a later policy with the id of an earlier one replaces
    /// it (a user's newer copy of a built-in policy wins).
    pub fn new(policies: Vec<Policy>) -> PolicySet {
        let mut by_id: BTreeMap<Arc<str>, Policy> = BTreeMap::new();
        for policy in policies {
            by_id.insert(policy.id.clone(), policy);
        }
        let policies: Vec<Policy> = by_id.into_values().collect();
        let mut rules = BTreeMap::new();
        for (p, policy) in policies.iter().enumerate() {
            for (r, rule) in policy.rules.iter().enumerate() {
                rules.insert(rule.id.clone(), (p, r));
            }
        }
        let (formats, _conflicts) = fields::formats(&policies);
        PolicySet {
            policies,
            rules,
            formats,
        }
    }

    /// The format documents of `kind` follow in this run: the built-in one
    /// with the fields the policies declare.
    pub fn format(&self, kind: Kind) -> &'static [Field] {
        self.formats.get(&kind).copied().unwrap_or(kind.fields())
    }

    pub fn get(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| &*p.id == id)
    }

    /// The rule with this id and the policy it belongs to.
    pub fn rule(&self, id: &str) -> Option<(&Policy, &Rule)> {
        let &(p, r) = self.rules.get(id)?;
        Some((&self.policies[p], &self.policies[p].rules[r]))
    }

    /// The fields of a Course that rules compare learner plans with
    /// (`at_least_course_field`), each once, in rule order: what the run
    /// keeps of every Course for the comparison, in this order.
    pub fn course_fields(&self) -> Vec<&crate::yaml::path::Path> {
        let mut fields: Vec<&crate::yaml::path::Path> = Vec::new();
        let checks = self.policies.iter().flat_map(|p| &p.rules);
        for field in checks
            .flat_map(|r| &r.checks)
            .filter_map(|c| c.course_field())
        {
            if !fields.iter().any(|f| f.to_string() == field.to_string()) {
                fields.push(field);
            }
        }
        fields
    }

    /// Sets rule parameters (from blcheck.toml); unknown names are refused.
    pub fn rule_mut(&mut self, id: &str) -> Option<&mut Rule> {
        let &(p, r) = self.rules.get(id)?;
        Some(&mut self.policies[p].rules[r])
    }
}

/// Loads the built-in policies. They are tested to load, so a failure here
/// is a defect of the build, reported like any invalid policy.
pub fn built_in() -> Result<Vec<Policy>, Vec<PolicyError>> {
    let mut policies = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in BUILT_IN {
        match load_policy(text, Origin::BuiltIn(name)) {
            Ok(policy) => policies.push(policy),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(policies)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    #[test]
    fn every_shipped_policy_loads_and_its_rules_are_well_formed() {
        let policies = built_in().expect("the built-in policies load");
        let catalogue = Catalogue::built_in();
        let mut ids = BTreeSet::new();
        let mut names = BTreeSet::new();
        let rules = policies.iter().flat_map(|p| {
            p.rules
                .iter()
                .map(|r| (&r.id, &r.name, &r.title, &r.clause, &r.help))
        });
        let own = catalogue
            .rules
            .iter()
            .map(|r| (&r.id, &r.name, &r.title, &r.clause, &r.help));
        for (id, name, title, clause, help) in rules.chain(own) {
            assert!(ids.insert(id.clone()), "rule id {id} is used twice");
            assert!(names.insert(name.clone()), "rule name {name} is used twice");
            assert!(load::is_rule_id(id), "{id} is not of the form ABC123");
            for text in [title.as_str(), clause, help] {
                assert!(!text.trim().is_empty(), "{id} has an empty text");
            }
            let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/rules")
                .join(&**id);
            {
                assert!(
                    fixtures.join("pass.yaml").is_file(),
                    "{id} has no passing fixture"
                );
                assert!(
                    fixtures.join("fail.yaml").is_file(),
                    "{id} has no failing fixture"
                );
            }
        }
        for policy in &policies {
            assert!(policy.renewal > policy.issued, "{}", policy.id);
            for rule in &policy.rules {
                for check in rule.checks.iter().chain(&rule.when) {
                    for param in check.params() {
                        assert!(
                            rule.params.contains_key(param),
                            "{}: unknown parameter {param}",
                            rule.id
                        );
                    }
                }
                for (param, value) in &rule.params {
                    assert!(
                        value.is_finite() && *value >= 0.0,
                        "{}: {param} = {value}",
                        rule.id
                    );
                }
            }
        }
    }

    /// Thresholds say where they come from: every parameter of every
    /// built-in rule has a source, and no source names a parameter the
    /// rule does not have (the loader refuses those).
    #[test]
    fn every_built_in_parameter_has_a_source() {
        let policies = built_in().expect("loads");
        let mut missing = Vec::new();
        for rule in policies.iter().flat_map(|p| &p.rules) {
            for param in rule.params.keys() {
                match rule.param_sources.get(param) {
                    Some(source) if !source.trim().is_empty() => {}
                    _ => missing.push(format!("{} {param}", rule.id)),
                }
            }
        }
        assert_eq!(missing, Vec::<String>::new(), "parameters without a source");
        let evl002 = policies
            .iter()
            .flat_map(|p| &p.rules)
            .find(|r| &*r.id == "EVL002")
            .expect("shipped");
        // The clause quotes 80%; the threshold is 50%, and its source says why.
        assert!(evl002.clause.contains("80%"));
        assert_eq!(evl002.params["min_percent"], 50.0);
        assert!(evl002.param_sources["min_percent"].contains("80%"));
    }

    #[test]
    fn the_blended_learning_policy_matches_its_version_control_sheet() {
        let policies = built_in().expect("loads");
        let sts = policies
            .iter()
            .find(|p| &*p.id == "sts-blended-learning")
            .expect("shipped");
        assert_eq!(sts.version, "1.2");
        assert_eq!(sts.issued.to_string(), "2024-10-10");
        assert_eq!(sts.renewal.to_string(), "2025-10-10");
        assert_eq!(sts.read_with.len(), 8);
        assert_eq!(sts.rules.len(), 18);
    }

    #[test]
    fn every_quoted_clause_is_in_its_source_document() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/seeds/sts-blended-learning-policy-v1.2.md");
        let policy_text = std::fs::read_to_string(seeds).expect("the seed is in fixtures/seeds");
        let policies = built_in().expect("loads");
        let sts = policies
            .iter()
            .find(|p| &*p.id == "sts-blended-learning")
            .expect("shipped");
        for rule in &sts.rules {
            for sentence in rule.clause.split(". ").map(|s| s.trim_end_matches('.')) {
                let sentence = sentence
                    .trim_start_matches("Employers will: ")
                    .trim_start_matches("Learners will: ");
                assert!(
                    policy_text.contains(sentence),
                    "{}: '{sentence}' is not quoted from the policy",
                    rule.id
                );
            }
        }
    }
}
