//! Waivers: a document's `waivers` read and checked once (DOC006, DOC007),
//! applied to the findings they waive, and reported when unused (DOC009),
//! for the rules of one document and the cross-document ones alike.

use super::engine::AuditTerms;
use crate::checks::format_number;
use crate::dates::parse_date;
use crate::document::validate::suggestion;
use crate::document::Document;
use crate::policy::OwnCheck;
use crate::report::{Finding, Status, WaiverEntry};
use crate::yaml::{quoted, shorten_to, Node, Pos, Value};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A valid waiver as the cross-document stage needs it.
#[derive(Debug, Clone)]
pub struct WaiverNote {
    pub pos: Pos,
    pub path: String,
    pub text: String,
    pub reason: String,
}

/// How much of a waiver's reason and approver a waived finding quotes.
const NOTE_CHARS: usize = 300;

/// A valid, unexpired waiver.
pub struct Waiver {
    pub pos: Pos,
    pub path: String,
    pub reason: String,
    approved_by: String,
    expires: NaiveDate,
}

impl Waiver {
    /// What a waived finding's message adds.
    pub fn note(&self) -> String {
        format!(
            "waived until {}, approved by {}: {}",
            self.expires, self.approved_by, self.reason
        )
    }

    /// What the cross-document stage keeps of it.
    pub fn kept(&self) -> WaiverNote {
        WaiverNote {
            pos: self.pos,
            path: self.path.clone(),
            text: self.note(),
            reason: self.reason.clone(),
        }
    }
}

/// Checks every waiver of a document (DOC006, DOC007, and DOC009 for a
/// second waiver of one rule) and returns the valid ones by rule.
pub fn read(
    doc: &Document,
    ctx: &AuditTerms<'_>,
    findings: &mut Vec<Finding>,
) -> BTreeMap<String, Waiver> {
    let mut valid = BTreeMap::new();
    let Some(Value::List(items)) = doc.root.get("waivers").map(|n| &n.value) else {
        return valid;
    };
    let max_ahead = ctx
        .catalogue
        .param(OwnCheck::WaiverInvalid, "max_days_ahead")
        .unwrap_or(365.0);
    for (i, item) in items.iter().enumerate() {
        if !matches!(item.value, Value::Map(_)) {
            continue;
        }
        let path = format!("waivers[{i}]");
        let text = |key: &str| {
            item.get(key)
                .and_then(Node::scalar_text)
                .filter(|t| !t.trim().is_empty())
        };
        let mut invalid = |pos: Pos, field: &str, message: String| {
            findings.extend(ctx.doc_finding(
                OwnCheck::WaiverInvalid,
                doc,
                pos,
                Some(format!("{path}{field}")),
                message,
            ));
        };
        let rule = text("rule");
        let shown = rule.map(quoted);
        let lacking: Vec<&str> = ["rule", "reason", "approved_by", "expires"]
            .into_iter()
            .filter(|k| text(k).is_none())
            .collect();
        if !lacking.is_empty() {
            invalid(
                item.pos,
                "",
                format!(
                    "waiver{} lacks {}",
                    shown
                        .as_ref()
                        .map(|r| format!(" for {r}"))
                        .unwrap_or_default(),
                    lacking.join(", ")
                ),
            );
        }
        let mut ok = lacking.is_empty();
        if let Some(rule) = rule {
            let rule_pos = item.get("rule").map_or(item.pos, |n| n.pos);
            if ctx.catalogue.get(rule).is_some() {
                invalid(
                    rule_pos,
                    ".rule",
                    format!("{rule} is one of blcheck's own checks and cannot be waived"),
                );
                ok = false;
            } else if ctx.policies.rule(rule).is_none() {
                let hint = suggestion(
                    rule,
                    ctx.policies
                        .policies
                        .iter()
                        .flat_map(|p| p.rules.iter().map(|r| &*r.id)),
                )
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
                invalid(
                    rule_pos,
                    ".rule",
                    format!("waiver names unknown rule '{}'{hint}", quoted(rule)),
                );
                ok = false;
            }
        }
        let expires_node = item.get("expires");
        let expires = text("expires").map(parse_date);
        let expires_pos = expires_node.map_or(item.pos, |n| n.pos);
        let expires = match expires {
            Some(Ok(date)) => Some(date),
            Some(Err(e)) => {
                invalid(
                    expires_pos,
                    ".expires",
                    format!("waiver expiry is not a date: {e}"),
                );
                ok = false;
                None
            }
            None => None,
        };
        if let Some(date) = expires {
            let ahead = (date - ctx.as_of).num_days();
            if ahead as f64 > max_ahead {
                invalid(
                    expires_pos,
                    ".expires",
                    format!(
                        "waiver expires {date}, {ahead} days after {}; waivers may run at most {} days",
                        ctx.as_of,
                        format_number(max_ahead)
                    ),
                );
                ok = false;
            } else if date < ctx.as_of {
                findings.extend(ctx.doc_finding(
                    OwnCheck::WaiverExpired,
                    doc,
                    expires_pos,
                    Some(format!("{path}.expires")),
                    format!(
                        "waiver for {} expired on {date}; the rule counts as usual",
                        shown.as_deref().unwrap_or("an unnamed rule")
                    ),
                ));
                ok = false;
            }
        }
        if let (true, Some(rule), Some(expires)) = (ok, rule, expires) {
            if let Some(first) = valid.get(rule) {
                let first: &Waiver = first;
                let reason = format!("{} already waives it", first.path);
                findings.extend(unused_because(
                    ctx,
                    WaivedDocument::of(doc),
                    rule,
                    item.pos,
                    &path,
                    &reason,
                ));
                continue;
            }
            valid.entry(rule.to_string()).or_insert(Waiver {
                pos: item.pos,
                path,
                reason: shorten_to(text("reason").unwrap_or_default(), NOTE_CHARS),
                approved_by: shorten_to(text("approved_by").unwrap_or_default(), NOTE_CHARS),
                expires,
            });
        }
    }
    valid
}

/// Every item of a document's `waivers` as written, for the waiver
/// register; `read` checks them.
pub fn entries(doc: &Document) -> Vec<WaiverEntry> {
    let Some(Value::List(items)) = doc.root.get("waivers").map(|n| &n.value) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let text = |key: &str| {
                item.get(key)
                    .and_then(Node::scalar_text)
                    .map(|t| shorten_to(t, NOTE_CHARS))
                    .unwrap_or_default()
            };
            let expires_text = text("expires");
            WaiverEntry {
                path: format!("waivers[{i}]"),
                line: item.pos.line,
                column: item.pos.column,
                rule: text("rule"),
                reason: text("reason"),
                approved_by: text("approved_by"),
                expires: parse_date(&expires_text).ok(),
                expires_text,
            }
        })
        .collect()
}

/// Marks `finding` as waived: its status, the waiver's note in its
/// message, and the reason as SARIF's justification.
pub fn waive(finding: &mut Finding, note: &str, reason: &str) {
    finding.status = Status::Waived;
    finding.message = format!("{} ({note})", finding.message).into();
    finding.set_justification(reason);
}

/// The document a waiver stands in, as findings name it.
#[derive(Clone, Copy)]
pub struct WaivedDocument<'a> {
    pub file: &'a Arc<str>,
    pub id: Option<&'a Arc<str>>,
    pub kind: &'a Arc<str>,
}

impl<'a> WaivedDocument<'a> {
    pub fn of(doc: &'a Document) -> Self {
        WaivedDocument {
            file: &doc.file,
            id: doc.id.as_ref(),
            kind: &doc.kind_text,
        }
    }
}

/// DOC009 for a waiver whose rule does not fail on its document.
pub fn unused(
    ctx: &AuditTerms<'_>,
    doc: WaivedDocument<'_>,
    rule: &str,
    pos: Pos,
    path: &str,
) -> Option<Finding> {
    unused_because(
        ctx,
        doc,
        rule,
        pos,
        path,
        &format!("{rule} does not fail on this document"),
    )
}

fn unused_because(
    ctx: &AuditTerms<'_>,
    doc: WaivedDocument<'_>,
    rule: &str,
    pos: Pos,
    path: &str,
    because: &str,
) -> Option<Finding> {
    let mut finding = ctx.catalogue_finding(
        OwnCheck::WaiverUnused,
        doc.file,
        pos,
        Some(path.to_string()),
        format!("waiver for {rule} is not needed: {because}"),
    )?;
    finding.set_document(Some(doc.kind.clone()), doc.id.cloned());
    Some(finding)
}
