//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF
//! consumers, built with serde-sarif's typed model.

use super::AuditOutput;
use crate::policy::describe::{catalogue, RuleInfo};
use crate::report::{Finding, Severity, Status};
use anyhow::Result;
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io::Write;

/// Findings about built-in policies point into blcheck's own policy files,
/// under this base rather than the audited repository.
const BUILT_IN_BASE: &str = "BLCHECK_BUILTIN_POLICIES";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn text(value: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(value)
        .build()
}

fn descriptor(rule: &RuleInfo) -> sarif::ReportingDescriptor {
    let mut markdown = format!("{}\n\n> {}", rule.help, rule.clause);
    if let Some(example) = &rule.example {
        markdown.push_str(&format!(
            "\n\nA passing example:\n\n```yaml\n{}\n```",
            example.trim_end()
        ));
    }
    let mut properties = BTreeMap::new();
    properties.insert("tags".to_string(), serde_json::json!([rule.policy.clone()]));
    sarif::ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule.name.clone())
        .short_description(text(&rule.title))
        .full_description(text(&rule.clause))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(rule.help.clone())
                .markdown(markdown)
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::json!(level(rule.severity)))
                .build(),
        )
        .properties(
            sarif::PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build()
}

/// A fingerprint that survives edits elsewhere in the file and the passing
/// of days: rule, file, document and path, never line or message.
fn fingerprint(finding: &Finding) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    (
        &finding.rule,
        &finding.file,
        &finding.document,
        &finding.path,
    )
        .hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

fn location(finding: &Finding) -> sarif::Location {
    let artifact = match finding.file.strip_prefix("built-in:") {
        Some(name) => sarif::ArtifactLocation::builder()
            .uri(format!("policies/{name}"))
            .uri_base_id(BUILT_IN_BASE)
            .build(),
        None => sarif::ArtifactLocation::builder()
            .uri(finding.file.to_string())
            .build(),
    };
    let region = sarif::Region::builder()
        .start_line(i64::from(finding.line.max(1)))
        .start_column(i64::from(finding.column.max(1)))
        .build();
    sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(region)
                .build(),
        )
        .build()
}

fn result(finding: &Finding, rule_index: Option<usize>) -> sarif::Result {
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("blcheckFinding/v1".to_string(), fingerprint(finding));
    let base = sarif::Result::builder()
        .rule_id(finding.rule.to_string())
        .level(match finding.severity {
            Severity::Error => sarif::ResultLevel::Error,
            Severity::Warning => sarif::ResultLevel::Warning,
            Severity::Info => sarif::ResultLevel::Note,
        })
        .message(
            sarif::Message::builder()
                .text(finding.message.clone())
                .build(),
        )
        .locations(vec![location(finding)])
        .partial_fingerprints(fingerprints);
    let suppressions = (finding.status == Status::Waived).then(|| {
        vec![sarif::Suppression::builder()
            .kind(serde_json::json!("inSource"))
            .status(serde_json::json!("accepted"))
            .justification(
                finding
                    .justification
                    .clone()
                    .unwrap_or_else(|| "waived".into()),
            )
            .build()]
    });
    match (rule_index, suppressions) {
        (Some(i), Some(s)) => base.rule_index(i as i64).suppressions(s).build(),
        (Some(i), None) => base.rule_index(i as i64).build(),
        (None, Some(s)) => base.suppressions(s).build(),
        (None, None) => base.build(),
    }
}

pub fn render(output: &AuditOutput<'_>, out: &mut dyn Write) -> Result<()> {
    let rules = catalogue(output.policies, output.catalogue);
    let results: Vec<sarif::Result> = output
        .report
        .findings
        .iter()
        .map(|f| result(f, rules.iter().position(|r| *r.id == *f.rule)))
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("blcheck")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let mut bases = BTreeMap::new();
    bases.insert(
        BUILT_IN_BASE.to_string(),
        sarif::ArtifactLocation::builder()
            .description(
                sarif::Message::builder()
                    .text("The policies built into blcheck")
                    .build(),
            )
            .build(),
    );
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .original_uri_base_ids(bases)
        .results(results)
        .build();
    let log = sarif::Sarif::builder()
        .schema(sarif::SCHEMA_URL)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")?;
    Ok(())
}
