//! The TOML of a policy file, as written: a mirror of the format with no
//! meaning attached yet. `load.rs` turns it into a validated `Policy`.

use super::catalogue::OwnCheck;
use crate::checks::CheckTable;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicyFile {
    pub policy: Spanned<RawSheet>,
    pub scope: Spanned<RawScope>,
    /// Fields the policy's rules read that the built-in format lacks.
    #[serde(default)]
    pub fields: Vec<Spanned<RawField>>,
    #[serde(default)]
    pub rules: Vec<Spanned<RawRule>>,
    /// What text counts as no value at all (`n/a`, `tbc`).
    pub placeholders: Option<Spanned<RawPlaceholders>>,
    /// The commitments of the source document, each traced to rules.
    #[serde(default)]
    pub commitments: Vec<Spanned<RawCommitment>>,
}

/// `[placeholders]`: `values` replaces blcheck's list, `extra` adds to it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlaceholders {
    pub values: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub extra: Vec<Spanned<String>>,
    pub source: Option<String>,
}

/// `[[commitments]]`: one commitment of the source document, verbatim.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommitment {
    pub id: Spanned<String>,
    pub section: Spanned<String>,
    pub text: Spanned<String>,
    #[serde(default)]
    pub rules: Vec<Spanned<String>>,
    /// What the rules cannot see, when they check the commitment only in part.
    pub gap: Option<Spanned<String>>,
    /// Why no rule can check it.
    pub not_checkable: Option<Spanned<String>>,
}

/// A declared field: `{ path = "staff[*].dbs_checked", type = "date", ... }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub path: Spanned<String>,
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub values: Vec<String>,
    pub description: Spanned<String>,
    /// The kinds it extends; the policy's scope kinds when left out.
    #[serde(default)]
    pub kinds: Vec<Spanned<String>>,
}

/// The version-control sheet.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSheet {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub organisation: Option<Spanned<String>>,
    pub version: Spanned<String>,
    pub owner: Spanned<String>,
    pub issued: Spanned<toml::Value>,
    pub renewal: Spanned<toml::Value>,
    pub source: Option<String>,
    #[serde(default)]
    pub read_with: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    pub history: Vec<Spanned<RawHistory>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHistory {
    pub version: String,
    pub date: Spanned<toml::Value>,
    pub summary: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScope {
    pub kinds: Vec<Spanned<String>>,
    #[serde(default)]
    pub when: Vec<Spanned<CheckTable>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub title: Spanned<String>,
    pub severity: Spanned<String>,
    pub clause: Spanned<String>,
    pub help: Spanned<String>,
    pub example: Option<String>,
    #[serde(default)]
    pub params: BTreeMap<String, Spanned<toml::Value>>,
    /// Where each parameter's number comes from (a clause, a funding rule).
    #[serde(default)]
    pub param_sources: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub when: Vec<Spanned<CheckTable>>,
    pub checks: Vec<Spanned<CheckTable>>,
}

/// The catalogue of blcheck's own document and policy checks (DOC, POL).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalogue {
    pub rules: Vec<RawCatalogueRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalogueRule {
    pub id: String,
    pub role: OwnCheck,
    pub name: String,
    pub title: String,
    pub severity: String,
    pub clause: String,
    pub help: String,
    pub example: Option<String>,
    /// The documents the check applies to, when not every blcheck document.
    pub scope: Option<String>,
    #[serde(default)]
    pub params: BTreeMap<String, f64>,
}
