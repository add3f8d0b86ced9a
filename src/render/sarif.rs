//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF
//! consumers, built with serde-sarif's typed model.

use super::ReportView;
use crate::discover::name_bytes;
use crate::fingerprint;
use crate::policy::describe::{catalogue, RuleInfo};
use crate::policy::{Origin, PolicySet};
use crate::report::{Finding, Severity, Status};
use anyhow::Result;
use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::io::Write;

/// What a path segment of `artifactLocation.uri` holds as it is: RFC 3986's
/// unreserved characters. Everything else is percent-encoded (UTF-8 bytes
/// for non-ASCII): a space or `%` would make the reference invalid, `#` and
/// `?` would start a fragment or a query that consumers cut the path at,
/// and a `:` in the first segment would read as a URI scheme.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A file name as blcheck shows it (relative to the current directory,
/// `/`-separated, escaped by `discover::shown_name`) as a URI reference:
/// relative when the name is, a `file:` URI when it is absolute. The URI
/// holds the name's own bytes, so a name that is not UTF-8 (shown
/// `course\xfe.yaml`) is `course%FE.yaml`, the file a consumer opens.
fn file_uri(path: &str) -> String {
    let encoded: Vec<String> = path
        .split('/')
        .map(|segment| percent_encode(&name_bytes(segment), SEGMENT).to_string())
        .collect();
    let encoded = encoded.join("/");
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

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

/// Where a finding is. A built-in policy is not a file of the audited
/// repository: its findings (POL001) name it as a logical location, never
/// as a path a consumer would look for in the repository.
fn location(finding: &Finding, policies: &PolicySet) -> sarif::Location {
    // A finding about a policy itself has a policy and no document kind.
    let built_in = finding
        .policy()
        .as_deref()
        .filter(|_| finding.kind().is_none())
        .and_then(|id| policies.get(id))
        .is_some_and(|p| matches!(p.origin, Origin::BuiltIn(_)));
    if built_in {
        let logical = sarif::LogicalLocation::builder()
            .name(finding.policy().as_deref().unwrap_or_default())
            .fully_qualified_name(finding.file().to_string())
            .kind("resource")
            .build();
        return sarif::Location::builder()
            .logical_locations(vec![logical])
            .build();
    }
    let artifact = sarif::ArtifactLocation::builder()
        .uri(file_uri(finding.file()))
        .build();
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

/// A finding's state against the run's baseline, when it has one: held by
/// it (`unchanged`), an entry no finding matches any more (`absent`), or
/// anything else (`new`).
fn baseline_state(finding: &Finding) -> &'static str {
    match finding.status {
        Status::Baselined => "unchanged",
        Status::Fixed => "absent",
        Status::Fail | Status::Pass | Status::Skip | Status::Waived => "new",
    }
}

fn result(
    finding: &Finding,
    fingerprint: String,
    rule_index: Option<usize>,
    policies: &PolicySet,
    with_baseline: bool,
) -> sarif::Result {
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(fingerprint::KEY.to_string(), fingerprint);
    let base = sarif::Result::builder()
        .rule_id(finding.rule().to_string())
        .level(match finding.severity {
            Severity::Error => sarif::ResultLevel::Error,
            Severity::Warning => sarif::ResultLevel::Warning,
            Severity::Info => sarif::ResultLevel::Note,
        })
        .message(
            sarif::Message::builder()
                .text(finding.message.to_string())
                .build(),
        )
        .locations(vec![location(finding, policies)])
        .partial_fingerprints(fingerprints);
    let suppressions = (finding.status == Status::Waived).then(|| {
        vec![sarif::Suppression::builder()
            .kind(serde_json::json!("inSource"))
            .status(serde_json::json!("accepted"))
            .justification(finding.justification().unwrap_or("waived"))
            .build()]
    });
    let mut result = match (rule_index, suppressions) {
        (Some(i), Some(s)) => base.rule_index(i as i64).suppressions(s).build(),
        (Some(i), None) => base.rule_index(i as i64).build(),
        (None, Some(s)) => base.suppressions(s).build(),
        (None, None) => base.build(),
    };
    if with_baseline {
        result.baseline_state = Some(serde_json::json!(baseline_state(finding)));
    }
    result
}

pub fn render(output: &ReportView<'_>, out: &mut dyn Write) -> Result<()> {
    let rules = catalogue(output.policies, output.catalogue);
    let driver = sarif::ToolComponent::builder()
        .name("blcheck")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let log = Log {
        run: Run {
            results: Results {
                output,
                rules: &rules,
            },
            tool: sarif::Tool::builder().driver(driver).build(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The SARIF log of one run, written as serde-sarif's `Sarif` would write
/// it (the same keys, in the same order), but with its results made one at
/// a time as they are written: a run with 100,000 findings never holds
/// 100,000 `sarif::Result`s.
struct Log<'a> {
    run: Run<'a>,
}

struct Run<'a> {
    results: Results<'a>,
    tool: sarif::Tool,
}

struct Results<'a> {
    output: &'a ReportView<'a>,
    rules: &'a [RuleInfo],
}

impl Serialize for Log<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut log = serializer.serialize_map(Some(3))?;
        log.serialize_entry("$schema", sarif::SCHEMA_URL)?;
        log.serialize_entry("runs", std::slice::from_ref(&self.run))?;
        log.serialize_entry("version", "2.1.0")?;
        log.end()
    }
}

impl Serialize for Run<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let config = self.results.output.config;
        let mut run = serializer.serialize_map(Some(2 + usize::from(config.is_some())))?;
        // The run's property bag says which settings made it (SARIF 3.8).
        if let Some(config) = config {
            run.serialize_entry(
                "properties",
                &serde_json::json!({ "blcheckConfig": config }),
            )?;
        }
        run.serialize_entry("results", &self.results)?;
        run.serialize_entry("tool", &self.tool)?;
        run.end()
    }
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let report = self.output.report;
        let with_baseline = report.summary.baselined.is_some();
        serializer.collect_seq(report.findings.iter().map(|f| {
            let index = self.rules.iter().position(|r| *r.id == **f.rule());
            result(
                f,
                fingerprint::of(f).to_string(),
                index,
                self.output.policies,
                with_baseline,
            )
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::file_uri;

    #[test]
    fn file_names_become_valid_uri_references() {
        assert_eq!(file_uri("courses/a.yaml"), "courses/a.yaml");
        assert_eq!(file_uri("sub dir/100%.yaml"), "sub%20dir/100%25.yaml");
        assert_eq!(file_uri("a#b?c.yaml"), "a%23b%3Fc.yaml");
        assert_eq!(file_uri("x:y/z.yaml"), "x%3Ay/z.yaml");
        assert_eq!(file_uri("cours/é ü.yaml"), "cours/%C3%A9%20%C3%BC.yaml");
        assert_eq!(file_uri("../other/a~b_c-d.yaml"), "../other/a~b_c-d.yaml");
        assert_eq!(file_uri("/srv/a b.yaml"), "file:///srv/a%20b.yaml");
        // Bytes that are not UTF-8, and a literal backslash, as the names
        // hold them.
        assert_eq!(file_uri("c/course\\xfe.yaml"), "c/course%FE.yaml");
        assert_eq!(file_uri("course\\xff.yaml"), "course%FF.yaml");
        assert_eq!(file_uri("a\\\\xfe.yaml"), "a%5Cxfe.yaml");
    }
}
