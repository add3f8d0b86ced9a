//! The bodies of the fuzz targets, shared by `fuzz_targets/*.rs` (run by
//! cargo-fuzz and libFuzzer on nightly) and `tests/fuzz_smoke.rs` (a short
//! deterministic run in every `cargo test`). Each takes arbitrary bytes and
//! must return without panicking, whatever they are.

use blcheck::audit::corpus::{distinct_in_run, duplicate_ids, unknown_courses, DocumentSummary};
use blcheck::audit::{audit_document, AuditTerms};
use blcheck::dates::parse_date;
use blcheck::document::validate::validate;
use blcheck::maturity::Model;
use blcheck::policy::{built_in, load_policy, Catalogue, Origin, PolicySet};
use blcheck::selection::RuleFilter;
use blcheck::source::{parse, FileContent, FileLimits};
use std::sync::OnceLock;

/// The built-in policies and catalogue, loaded once per process.
fn context_parts() -> &'static (PolicySet, Catalogue, RuleFilter, Model) {
    static PARTS: OnceLock<(PolicySet, Catalogue, RuleFilter, Model)> = OnceLock::new();
    PARTS.get_or_init(|| {
        let policies = built_in().unwrap_or_else(|e| panic!("built-in policies: {e:?}"));
        let model = Model::built_in().unwrap_or_else(|e| panic!("maturity model: {e:?}"));
        (
            PolicySet::new(policies),
            Catalogue::built_in(),
            RuleFilter::default(),
            model,
        )
    })
}

/// A file's bytes through the loader, format validation, every built-in
/// rule and the cross-document checks, as `blcheck audit` takes them.
pub fn document(data: &[u8]) {
    let documents = match parse(data, "fuzz.yaml".into(), &FileLimits::default()) {
        FileContent::Documents(documents) => documents,
        FileContent::NotBlcheck | FileContent::Invalid { .. } => return,
    };
    let (policies, catalogue, filter, model) = context_parts();
    let ctx = AuditTerms {
        policies,
        catalogue,
        content_checks: &[model],
        // A fixed date: every run of an input does the same.
        as_of: chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap_or_default(),
        filter,
        keep_results: true,
    };
    let mut outcomes = Vec::new();
    let mut plans = Vec::new();
    let mut pending = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        if let Some(kind) = doc.kind {
            let _ = validate(&doc.root, kind.fields());
        }
        let audit = audit_document(doc, &ctx);
        pending.extend(audit.pending.into_iter().map(|p| (i, p)));
        let summary = DocumentSummary::of(doc);
        outcomes.push(summary.outcome);
        plans.extend(summary.course.map(|(course, pos)| (i, course, pos)));
    }
    let _ = duplicate_ids(&outcomes, &ctx);
    let _ = unknown_courses(&outcomes, &plans, &ctx);
    let _ = distinct_in_run(&outcomes, &pending, &ctx);
}

/// A policy file's bytes through the TOML loader and its validation.
pub fn policy(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = load_policy(text, Origin::File("fuzz.toml".into()));
    }
}

/// Date parsing. An accepted ISO date must print back as it was written,
/// and an accepted UK date must name the same day, month and year.
pub fn date(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(date) = parse_date(text) else {
        return;
    };
    if text.contains('-') {
        assert_eq!(date.format("%Y-%m-%d").to_string(), text, "ISO round trip");
    } else {
        let parts: Vec<u32> = text.split('/').filter_map(|p| p.parse().ok()).collect();
        let written = date.format("%-d/%-m/%Y").to_string();
        let wanted: Vec<u32> = written.split('/').filter_map(|p| p.parse().ok()).collect();
        assert_eq!(parts, wanted, "UK date {text:?} read as {date}");
    }
}
