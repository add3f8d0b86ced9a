//! The bodies of the fuzz targets, shared by `fuzz_targets/*.rs` (run by
//! cargo-fuzz and libFuzzer on nightly) and `tests/fuzz_smoke.rs` (a short
//! deterministic run in every `cargo test`). Each takes arbitrary bytes and
//! must return without panicking, whatever they are; `discovery_to_render`
//! also checks what it renders against each format's reader (its oracles
//! panic when an output is not what its consumer can read).

use blcheck::audit::corpus::{
    course_comparisons, distinct_in_run, duplicate_ids, unknown_courses, CourseSets,
    DocumentSummary,
};
use blcheck::audit::{audit_document, AuditTerms};
use blcheck::dates::parse_date;
use blcheck::document::validate::validate;
use blcheck::maturity::Model;
use blcheck::policy::{built_in, load_policy, Catalogue, Origin, PolicySet};
use blcheck::selection::RuleFilter;
use blcheck::source::{parse, FileContent, FileLimits};
use std::collections::BTreeSet;
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
        group_by: None,
    };
    let mut outcomes = Vec::new();
    let mut plans = Vec::new();
    let mut pending = Vec::new();
    let mut sets = CourseSets::default();
    for (i, doc) in documents.iter().enumerate() {
        if let Some(kind) = doc.kind {
            let _ = validate(&doc.root, kind.fields());
        }
        let audit = audit_document(doc, &ctx);
        pending.extend(audit.pending.into_iter().map(|p| (i, p)));
        let summary = DocumentSummary::of(doc, policies);
        sets.add(i, summary.sets);
        outcomes.push(summary.outcome);
        plans.extend(summary.course.map(|(course, pos)| (i, course, pos)));
    }
    let _ = duplicate_ids(&outcomes, &ctx);
    let _ = unknown_courses(&outcomes, &plans, &ctx);
    let _ = distinct_in_run(&outcomes, &pending, &ctx);
    let _ = course_comparisons(&outcomes, &sets, &pending, &ctx);
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

/// The most files one input of [`discovery_to_render`] makes.
const MAX_FILES: usize = 6;

/// The input of [`discovery_to_render`] that makes `files` (name, content):
/// each a length byte and the name, two length bytes and the content. Used
/// by the smoke run to build its seeds; libFuzzer finds the layout itself.
pub fn encode_files(files: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, content) in files {
        let name = &name[..name.len().min(usize::from(u8::MAX))];
        let content = &content[..content.len().min(usize::from(u16::MAX))];
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        out.extend_from_slice(&(content.len() as u16).to_be_bytes());
        out.extend_from_slice(content);
    }
    out
}

/// The files an input makes: up to [`MAX_FILES`] (name, content) pairs,
/// each name a possible file name (no `/` or NUL, not hidden, at most 200
/// bytes, ending `.yaml` so that the walk takes it).
fn decode_files(mut data: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let take = |n: usize, data: &mut &[u8]| -> Vec<u8> {
        let n = n.min(data.len());
        let (head, tail) = data.split_at(n);
        *data = tail;
        head.to_vec()
    };
    let mut files = Vec::new();
    while !data.is_empty() && files.len() < MAX_FILES {
        let name_len = usize::from(data[0]).min(195);
        data = &data[1..];
        let mut name = take(name_len, &mut data);
        let len = take(2, &mut data);
        let content_len = match len.as_slice() {
            [a, b] => usize::from(u16::from_be_bytes([*a, *b])),
            _ => 0,
        };
        let content = take(content_len, &mut data);
        for byte in &mut name {
            if matches!(*byte, b'/' | b'\0') {
                *byte = b'_';
            }
        }
        if name.first() == Some(&b'.') || name.is_empty() {
            name.insert(0, b'f');
        }
        name.extend_from_slice(b".yaml");
        files.push((name, content));
    }
    files
}

#[cfg(unix)]
fn file_name(bytes: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes).to_os_string()
}

/// Off Unix a name must be text: bytes that are not are replaced.
#[cfg(not(unix))]
fn file_name(bytes: &[u8]) -> std::ffi::OsString {
    String::from_utf8_lossy(bytes).into_owned().into()
}

/// Arbitrary file names and documents, written to a temporary directory,
/// discovered, audited and rendered in every audit format, each output read
/// back with the oracle of its consumer: no file missed or merged with
/// another, JSON and SARIF parse with a result per finding, JUnit is
/// well-formed XML 1.0 of junit-10.xsd's shape, the Markdown has one table
/// row per listed finding, the table and the workflow commands hold no
/// control character and no forged command line, CSV a record per finding.
pub fn discovery_to_render(data: &[u8]) {
    use blcheck::audit::{run, RunOptions};
    use blcheck::cli::{ColorChoice, Format};
    use blcheck::discover::{discover, exclusions};
    use blcheck::render::{render_audit, RenderOptions, ReportView};

    let files = decode_files(data);
    let Ok(temp) = tempfile::tempdir() else {
        return;
    };
    let root = temp.path().join("c");
    if std::fs::create_dir(&root).is_err() {
        return;
    }
    let mut written = BTreeSet::new();
    for (name, content) in &files {
        let name = file_name(name);
        // A name the file system refuses (too long, not valid there) is no
        // file of the run.
        if std::fs::write(root.join(&name), content).is_ok() {
            written.insert(name);
        }
    }
    let Ok(set) = exclusions(&[]) else {
        panic!("no excludes cannot fail")
    };
    let candidates = match discover(std::slice::from_ref(&root), &set, temp.path()) {
        Ok(candidates) => candidates,
        Err(e) => panic!("discovery of plain files failed: {e:#}"),
    };
    // Every file found once, under a name of its own.
    let shown: BTreeSet<String> = candidates.iter().map(|c| c.display.to_string()).collect();
    assert_eq!(candidates.len(), written.len(), "files missed or doubled");
    assert_eq!(shown.len(), candidates.len(), "two files shown alike");
    let (policies, catalogue, filter, model) = context_parts();
    let ctx = AuditTerms {
        policies,
        catalogue,
        content_checks: &[model],
        as_of: chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap_or_default(),
        filter,
        keep_results: true,
        group_by: None,
    };
    let options = RunOptions {
        jobs: None,
        keep_details: true,
        keep_titles: true,
        progress: false,
        limits: FileLimits::default(),
        run_limits: Default::default(),
    };
    let report = match run(candidates, &ctx, options) {
        Ok(report) => report,
        Err(e) => panic!("the audit failed: {e:#}"),
    };
    let output = ReportView {
        report: &report,
        catalogue,
        policies,
        docs_url: None,
        maturity: &[],
        config: None,
        history: None,
        identity: &Default::default(),
        group_by: None,
        links: Default::default(),
    };
    let options = RenderOptions {
        quiet: false,
        color: ColorChoice::Never,
        all: false,
        csv_dialect: Default::default(),
    };
    let render = |format: Format| -> String {
        let mut bytes = Vec::new();
        if let Err(e) = render_audit(format, &output, &options, false, &mut bytes) {
            panic!("{format:?} failed: {e:#}");
        }
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => panic!("{format:?} is not UTF-8: {e}"),
        }
    };
    let findings = report.findings.len();

    let json = parse_json(&render(Format::Json), "JSON");
    let listed = json["findings"].as_array().map_or(0, Vec::len);
    assert_eq!(listed, findings, "JSON findings");
    for document in json["documents"].as_array().into_iter().flatten() {
        let file = document["file"].as_str().unwrap_or_default();
        assert!(
            shown.contains(file),
            "JSON names a file not found: {file:?}"
        );
    }

    let sarif = parse_json(&render(Format::Sarif), "SARIF");
    let results = sarif["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert_eq!(results, findings, "SARIF results");

    check_junit(&render(Format::Junit));

    let table = render(Format::Table);
    assert_no_control(&table, "table");
    let github = render(Format::Github);
    assert_no_control(&github, "github");
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), findings, "one workflow command per finding");
    for line in lines {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|c| line.starts_with(c)),
            "not a workflow command: {line:?}"
        );
    }

    let gitlab = parse_json(&render(Format::Gitlab), "GitLab Code Quality");
    let issues = gitlab.as_array().map_or(0, Vec::len);
    assert_eq!(issues, findings, "GitLab issues");

    check_markdown(&render(Format::Markdown), &report);

    let csv = render(Format::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let width = reader.headers().map_or(0, |h| h.len());
    let mut records = 0;
    for record in reader.records() {
        match record {
            Ok(record) => assert_eq!(record.len(), width, "a CSV record's width"),
            Err(e) => panic!("CSV does not read back: {e}"),
        }
        records += 1;
    }
    assert_eq!(records, findings, "CSV records");

    let html = render(Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"), "HTML");
    assert_eq!(html.matches("<script").count(), 1, "one script, its own");
    assert_eq!(html.matches("</script>").count(), 1, "one script end");
}

fn parse_json(text: &str, what: &str) -> serde_json::Value {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => panic!("{what} does not parse: {e}\n{text}"),
    }
}

/// Control characters (but the line break) and bidirectional controls:
/// what a terminal or a CI log would obey.
fn assert_no_control(text: &str, what: &str) {
    let bad = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    });
    assert_eq!(bad, None, "{what} holds a control character: {text:?}");
}

/// JUnit read to its end as XML (quick-xml), only characters XML 1.0
/// allows, and junit-10.xsd's shape: `testsuites` holding `testsuite`s
/// (name and tests given), holding `testcase`s (name and classname),
/// holding at most `failure`, `error`, `skipped`, `system-out`.
fn check_junit(xml: &str) {
    use quick_xml::events::Event;
    let bad = xml.chars().find(|&c| {
        matches!(c, '\u{fffe}' | '\u{ffff}') || (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    });
    assert_eq!(bad, None, "a character XML 1.0 excludes: {xml}");
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut suites = 0;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => panic!("JUnit is not well-formed: {e}\n{xml}"),
        };
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.name().into_inner().to_string();
            let parent = path.last().map(String::as_str);
            let allowed = match name.as_str() {
                "testsuites" => parent.is_none(),
                "testsuite" => parent == Some("testsuites"),
                "testcase" => parent == Some("testsuite"),
                "failure" | "error" | "skipped" | "system-out" => parent == Some("testcase"),
                _ => false,
            };
            assert!(allowed, "<{name}> inside {parent:?}:\n{xml}");
            let required: &[&str] = match name.as_str() {
                "testsuite" => &["name", "tests"],
                "testcase" => &["name", "classname"],
                _ => &[],
            };
            for attribute in required {
                match e.try_get_attribute(attribute) {
                    Ok(Some(a)) => {
                        if let Err(err) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                            panic!("<{name} {attribute}> does not read back: {err}");
                        }
                    }
                    other => panic!("<{name}> without {attribute}: {other:?}\n{xml}"),
                }
            }
            if name == "testsuite" {
                suites += 1;
            }
            if !empty {
                path.push(name);
            }
        }
        match event {
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(path.is_empty(), "unclosed elements {path:?}");
    assert!(suites > 0 || !xml.contains("<testsuite "), "JUnit suites");
}

/// The cells of one Markdown table row as GitHub's reader (cmark-gfm)
/// splits them: a backslash escapes the character after it, and every
/// other `|` ends a cell. Returns the number of unescaped `|`.
fn pipes(row: &str) -> usize {
    let mut count = 0;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => count += 1,
            _ => {}
        }
    }
    count
}

/// The Markdown summary: one row per document (four cells) and one per
/// listed finding (six), no line that a document's text could have
/// started (a heading, a list, HTML), no control character.
fn check_markdown(markdown: &str, report: &blcheck::report::Report) {
    use blcheck::report::{Severity, Status};
    assert_no_control(markdown, "Markdown");
    let listed = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Waived || f.severity >= Severity::Warning)
        .count();
    let rows: Vec<&str> = markdown.lines().filter(|l| l.starts_with('|')).collect();
    let documents = rows.iter().filter(|r| pipes(r) == 5).count();
    let findings = rows.iter().filter(|r| pipes(r) == 7).count();
    // Header and delimiter rows included.
    let tables = |n: usize| if n == 0 { 0 } else { n + 2 };
    assert_eq!(
        documents,
        tables(report.documents.len()),
        "document rows:\n{markdown}"
    );
    assert_eq!(findings, tables(listed), "finding rows:\n{markdown}");
    assert_eq!(rows.len(), documents + findings, "rows:\n{markdown}");
    for line in markdown.lines() {
        let ours = line.is_empty()
            || line.starts_with('|')
            || line.starts_with("## blcheck audit: ")
            || line == "### Findings"
            || line.starts_with("As of ")
            || line.starts_with("Policies applied: ")
            || line == "No findings.";
        assert!(ours, "a line blcheck does not write: {line:?}\n{markdown}");
    }
}
