//! Hostile runs (issue 14): trees whose file names and values are built to
//! confuse what reads the report, rather than the parser. Names git cannot
//! hold on every platform (bytes that are not UTF-8, a line break, `|`, raw
//! control characters) are made here at run time; the values come from
//! `fixtures/hostile/` (`nonchar-id.yaml`, `workflow-command.yaml`,
//! `markup-values.yaml`). Every format is read back by its consumer's kind
//! of reader: JSON and SARIF parsed, JUnit parsed as XML (and, where it is
//! installed, by xmllint against junit-10.xsd), Markdown by markdown-it
//! with GFM tables, CSV by the csv crate, and the table, the workflow
//! commands and stderr scanned for control characters and commands.

use super::super::support::{audit_json_in, blcheck, root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

const AS_OF: &str = "2025-11-01";

/// The failing online course, under another id.
fn course(id: &str) -> String {
    fs::read_to_string(root().join("fixtures/courses/digital-marketer-l3-online.yaml"))
        .expect("fixture")
        .replace("id: DM-L3-ONLINE-2025", &format!("id: {id}"))
}

/// `blcheck audit courses --as-of AS_OF --format FORMAT` in `dir`.
fn audit_as(dir: &Path, format: &str, more: &[&str]) -> Output {
    blcheck()
        .current_dir(dir)
        .args(["audit", "courses", "--as-of", AS_OF, "--format", format])
        .args(more)
        .output()
        .expect("blcheck runs")
}

/// A raw control character (C0 but LF, DEL, C1) or a bidirectional
/// control, which a terminal or a log would obey.
fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// A line GitHub Actions would run as a workflow command.
fn workflow_command(text: &str) -> Option<&str> {
    text.lines()
        .find(|l| l.trim_start().starts_with("::") || l.contains("##["))
}

/// stderr of a run: text with no raw control character and no line a
/// workflow command.
fn assert_clean_stderr(output: &Output, what: &str) {
    let stderr = String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8");
    assert_eq!(raw_control(&stderr), None, "{what}: stderr {stderr:?}");
    assert_eq!(workflow_command(&stderr), None, "{what}: stderr {stderr:?}");
}

/// Every artifact URI of a SARIF log.
fn sarif_uris(sarif: &Value) -> BTreeSet<String> {
    sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .flat_map(|r| r["locations"].as_array().cloned().unwrap_or_default())
        .filter_map(|l| {
            l["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .map(str::to_string)
        })
        .collect()
}

/// A JUnit report read as XML to its end (quick-xml, which refuses what is
/// not well-formed), no character XML 1.0 excludes in it, and the name of
/// every `<testsuite>` with its `failures` count.
fn junit_suites(xml: &str) -> Vec<(String, usize)> {
    use quick_xml::events::Event;
    assert!(
        !xml.chars().any(|c| matches!(c, '\u{fffe}' | '\u{ffff}')
            || (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))),
        "a character XML 1.0 cannot hold: {xml}"
    );
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut suites = Vec::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.name().into_inner() == "testsuite" => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .expect("attributes parse")
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("value unescapes")
                                .into_owned()
                        })
                };
                let name = attr("name").expect("a testsuite has a name");
                let failures = attr("failures")
                    .and_then(|n| n.parse().ok())
                    .expect("failures is a number");
                suites.push((name, failures));
                depth += 1;
            }
            Ok(Event::Text(t)) => {
                t.xml_content(quick_xml::XmlVersion::Implicit1_0);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("JUnit is not well-formed XML: {e}\n{xml}"),
        }
    }
    assert!(depth > 0, "no testsuite: {xml}");
    suites
}

/// xmllint on the report, against junit-10.xsd, when `.ci/install-tools`
/// installed them; outside CI a missing tool is skipped, saying so.
fn xmllint(xml: &str, dir: &Path) {
    let xsd = root().join(".ci/tools/junit-10.xsd");
    let tool = PathBuf::from("/usr/bin/xmllint");
    if !xsd.exists() || !tool.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint or .ci/tools/junit-10.xsd is missing: .ci/run installs them"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping: run .ci/install-tools to validate the JUnit with xmllint"
        );
        return;
    }
    let file = dir.join("report.xml");
    fs::write(&file, xml).expect("write");
    let output = std::process::Command::new(tool)
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output()
        .expect("xmllint runs");
    assert!(
        output.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What markdown-it (CommonMark with GFM tables, HTML allowed, as GitHub
/// reads a comment) makes of `markdown`: the cell count of every row of
/// every table, the headings, and the HTML and link tokens.
fn read_markdown(markdown: &str) -> Option<Value> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let parser = root().join(".ci/tools/markdown/node_modules/markdown-it");
    super::super::support::installed(parser.join("package.json"))?;
    const SCRIPT: &str = r#"
const md = require(process.argv[1])("commonmark").enable("table");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const tokens = md.parse(input, {});
  const tables = [];
  const headings = [];
  const html = [];
  const links = [];
  const walk = (list) => {
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      if (t.type === "table_open") tables.push([]);
      if (t.type === "tr_open") tables[tables.length - 1].push(0);
      if (t.type === "td_open" || t.type === "th_open") {
        const rows = tables[tables.length - 1];
        rows[rows.length - 1]++;
      }
      if (t.type === "heading_open") headings.push(list[i + 1].content);
      if (t.type === "html_inline" || t.type === "html_block") html.push(t.content);
      if (t.type === "link_open") links.push(t.attrGet("href"));
      if (t.children) walk(t.children);
    }
  };
  walk(tokens);
  process.stdout.write(JSON.stringify({ tables, headings, html, links }));
});
"#;
    let mut child = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(&parser)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(markdown.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("node ends");
    assert!(output.status.success(), "{output:?}");
    Some(serde_json::from_slice(&output.stdout).expect("JSON"))
}

/// The findings the Markdown report lists (failing at warning or above,
/// or waived), from the JSON report of the same run.
fn listed_in_markdown(json: &Value) -> usize {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "waived" || f["severity"] != "info")
        .count()
}

/// Checks the Markdown of a run: one row per document in the first table
/// (four cells), one per listed finding in the second (six), only
/// blcheck's own headings, no HTML and no link a document wrote.
fn check_markdown(markdown: &str, json: &Value) {
    assert_eq!(raw_control(markdown), None, "{markdown}");
    let Some(read) = read_markdown(markdown) else {
        return;
    };
    let tables = read["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 2, "{read}\n{markdown}");
    let rows = |i: usize| -> Vec<u64> {
        tables[i]
            .as_array()
            .expect("rows")
            .iter()
            .map(|n| n.as_u64().expect("count"))
            .collect()
    };
    let documents = json["documents"].as_array().expect("documents").len();
    assert_eq!(rows(0), vec![4; documents + 1], "{read}\n{markdown}");
    assert_eq!(
        rows(1),
        vec![6; listed_in_markdown(json) + 1],
        "{read}\n{markdown}"
    );
    assert_eq!(
        read["headings"],
        serde_json::json!(["blcheck audit: ❌ Some documents fail", "Findings"]),
        "{markdown}"
    );
    assert_eq!(read["html"], serde_json::json!([]), "{markdown}");
    // Links are rule ids pointing at docs_url; there is none here.
    assert_eq!(read["links"], serde_json::json!([]), "{markdown}");
}

/// Two failing courses whose names are not UTF-8 and differ only in that
/// byte, and one whose name reads like the escape of the first.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_each_audited_under_their_own_name() {
    use std::os::unix::ffi::OsStrExt;
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    fs::create_dir_all(dir.join("courses")).expect("mkdir");
    // (name on disk, name shown, SARIF URI)
    let files: [(&[u8], &str, &str); 3] = [
        (
            b"course\xfe.yaml",
            r"courses/course\xfe.yaml",
            "courses/course%FE.yaml",
        ),
        (
            b"course\xff.yaml",
            r"courses/course\xff.yaml",
            "courses/course%FF.yaml",
        ),
        (
            br"course\xfe.yaml",
            r"courses/course\\xfe.yaml",
            "courses/course%5Cxfe.yaml",
        ),
    ];
    for (i, (name, _, _)) in files.iter().enumerate() {
        let path = dir.join("courses").join(std::ffi::OsStr::from_bytes(name));
        fs::write(path, course(&format!("BYTES-{i}"))).expect("write");
    }
    let shown: BTreeSet<String> = files.iter().map(|f| f.1.to_string()).collect();

    let (json, code) = audit_json_in(dir, &["courses", "--as-of", AS_OF]);
    assert_eq!(code, 1, "{json:#}");
    let documents: BTreeSet<String> = json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            assert_eq!(d["status"], "fail", "{d}");
            d["file"].as_str().expect("file").to_string()
        })
        .collect();
    assert_eq!(documents, shown);
    for file in &shown {
        assert!(
            json["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .any(|f| f["file"] == file.as_str() && f["status"] == "fail"),
            "no failing finding for {file}"
        );
    }

    let sarif = audit_as(dir, "sarif", &[]);
    assert_eq!(sarif.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&sarif.stdout).expect("SARIF is JSON");
    let uris: BTreeSet<String> = sarif_uris(&sarif)
        .into_iter()
        .filter(|u| u.starts_with("courses/"))
        .collect();
    let wanted: BTreeSet<String> = files.iter().map(|f| f.2.to_string()).collect();
    assert_eq!(uris, wanted);

    let junit = audit_as(dir, "junit", &[]);
    assert_eq!(junit.status.code(), Some(1));
    let xml = String::from_utf8(junit.stdout).expect("UTF-8");
    let suites = junit_suites(&xml);
    for file in &shown {
        let of_file: Vec<_> = suites
            .iter()
            .filter(|(name, _)| name.starts_with(&format!("{file}: ")))
            .collect();
        assert_eq!(of_file.len(), 1, "{file}: {suites:?}");
        assert!(of_file[0].1 > 0, "{file} has no failure: {suites:?}");
    }
    xmllint(&xml, dir);

    let table = audit_as(dir, "table", &[]);
    assert_eq!(table.status.code(), Some(1));
    let text = String::from_utf8(table.stdout).expect("UTF-8");
    for file in &shown {
        assert!(
            text.contains(&format!("{file}:")),
            "{file} missing:\n{text}"
        );
    }
    assert_eq!(raw_control(&text), None, "{text}");

    let markdown = audit_as(dir, "markdown", &[]);
    assert_eq!(markdown.status.code(), Some(1));
    let text = String::from_utf8(markdown.stdout).expect("UTF-8");
    for file in &shown {
        assert!(
            text.contains(&format!("`{file}`")),
            "{file} missing:\n{text}"
        );
    }
    check_markdown(&text, &json);

    // CSV's `file` column, the annotations' `file=` and the HTML page.
    let csv = audit_as(dir, "csv", &[]);
    assert_eq!(csv.status.code(), Some(1));
    let mut reader = csv::Reader::from_reader(&csv.stdout[..]);
    let files: BTreeSet<String> = reader
        .records()
        .map(|r| r.expect("a record")[0].to_string())
        .filter(|f| f.starts_with("courses/"))
        .collect();
    assert_eq!(files, shown);
    let github = audit_as(dir, "github", &[]);
    assert_eq!(github.status.code(), Some(1));
    let text = String::from_utf8(github.stdout).expect("UTF-8");
    for file in &shown {
        assert!(text.contains(&format!("file={file},")), "{file}:\n{text}");
    }
    let html = audit_as(dir, "html", &[]);
    assert_eq!(html.status.code(), Some(1));
    let text = String::from_utf8(html.stdout).expect("UTF-8");
    for file in &shown {
        assert!(text.contains(file.as_str()), "{file} missing from the page");
    }
}

/// A tree of hostile names and values, beside a good course: every format
/// is well-formed for its reader and reports every file.
#[cfg(unix)]
#[test]
fn hostile_names_and_values_leave_every_format_well_formed() {
    use std::os::unix::ffi::OsStrExt;
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let courses = dir.join("courses");
    fs::create_dir_all(&courses).expect("mkdir");
    let names: [&[u8]; 2] = [
        b"bad|name\n## Injected <img src=x onerror=alert(1)>.yaml",
        b"esc\x1b[2J\x07.yaml",
    ];
    for (i, name) in names.iter().enumerate() {
        fs::write(
            courses.join(std::ffi::OsStr::from_bytes(name)),
            course(&format!("NAMED-{i}")),
        )
        .expect("write");
    }
    for fixture in [
        "nonchar-id.yaml",
        "workflow-command.yaml",
        "markup-values.yaml",
    ] {
        fs::copy(
            root().join("fixtures/hostile").join(fixture),
            courses.join(fixture),
        )
        .expect("copy");
    }
    fs::copy(
        root().join("fixtures/courses/forklift-safety-face-to-face.yaml"),
        courses.join("good.yaml"),
    )
    .expect("copy");
    let shown = [
        "courses/bad|name\n## Injected <img src=x onerror=alert(1)>.yaml",
        "courses/esc\u{1b}[2J\u{7}.yaml",
        "courses/good.yaml",
        "courses/markup-values.yaml",
        "courses/nonchar-id.yaml",
        "courses/workflow-command.yaml",
    ];

    let json_run = audit_as(dir, "json", &[]);
    assert_eq!(json_run.status.code(), Some(1));
    assert_clean_stderr(&json_run, "json");
    let json: Value = serde_json::from_slice(&json_run.stdout).expect("JSON");
    let files: BTreeSet<&str> = json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["file"].as_str().expect("file"))
        .collect();
    assert_eq!(files, shown.into_iter().collect::<BTreeSet<_>>());
    let failing = json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .filter(|d| d["status"] == "fail")
        .count();
    assert_eq!(failing, 5, "{json:#}");
    let findings = json["findings"].as_array().expect("findings").len();

    for format in [
        "table", "sarif", "junit", "github", "markdown", "csv", "html",
    ] {
        let run = audit_as(dir, format, &[]);
        assert_eq!(run.status.code(), Some(1), "{format}");
        assert_clean_stderr(&run, format);
        let text = String::from_utf8(run.stdout).expect("UTF-8");
        match format {
            "table" => {
                assert_eq!(raw_control(&text), None, "{text}");
                assert_eq!(workflow_command(&text), None, "{text}");
                assert!(text.contains(r"courses/esc\u{1b}[2J\u{7}.yaml:"), "{text}");
            }
            "sarif" => {
                let sarif: Value = serde_json::from_str(&text).expect("SARIF is JSON");
                let results = sarif["runs"][0]["results"].as_array().expect("results");
                assert_eq!(results.len(), findings);
                for uri in sarif_uris(&sarif) {
                    assert!(
                        uri.bytes().all(|b| b.is_ascii_graphic()),
                        "not a URI reference: {uri:?}"
                    );
                }
            }
            "junit" => {
                let suites = junit_suites(&text);
                // Each document a suite, failing where JSON says it fails:
                // no failure is lost to a malformed neighbour.
                let failing_suites = suites.iter().filter(|(_, n)| *n > 0).count();
                assert!(failing_suites >= failing, "{suites:?}");
                xmllint(&text, dir);
            }
            "github" => {
                assert_eq!(raw_control(&text), None, "{text}");
                let lines: Vec<&str> = text.lines().collect();
                assert_eq!(lines.len(), findings, "{text}");
                for line in lines {
                    assert!(
                        line.starts_with("::error ")
                            || line.starts_with("::warning ")
                            || line.starts_with("::notice "),
                        "{line}"
                    );
                    // One command a line: the message is the last `::`.
                    let properties = line.split("::").nth(1).expect("properties");
                    assert!(!properties.contains('\n'), "{line}");
                }
            }
            "markdown" => check_markdown(&text, &json),
            "csv" => {
                let mut reader = csv::Reader::from_reader(text.as_bytes());
                let width = reader.headers().expect("a header").len();
                let records: Vec<_> = reader
                    .records()
                    .map(|r| r.expect("a well-formed record"))
                    .collect();
                assert_eq!(records.len(), findings, "{text}");
                assert!(records.iter().all(|r| r.len() == width), "{text}");
            }
            "html" => {
                assert!(text.starts_with("<!DOCTYPE html>"), "{text}");
                assert!(!text.contains("<img"), "markup from a file: {text}");
                assert_eq!(text.matches("<script").count(), 1, "{text}");
                assert_eq!(text.matches("</script>").count(), 1, "{text}");
            }
            _ => unreachable!(),
        }
    }
}

/// `renewals` and `maturity` quote document values on stderr (a problem
/// the calendar has no place for, an error): no value beginning
/// `::error file=…` on a line of its own may start a line there, and no
/// control character gets through.
#[test]
fn renewals_and_maturity_stderr_holds_no_workflow_command() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    fs::create_dir_all(dir.join("register")).expect("mkdir");
    fs::write(
        dir.join("register/policy.yaml"),
        "kind: PolicyDocument\n\
         id: \"pol\\n::error file=README.md,line=1::forged\"\n\
         title: \"T\\e[2J\\n::add-mask::x\"\n\
         version: \"1\"\n\
         owner: \"O\\n##[error]old\"\n\
         issued: \"12/09/2024\\n::error file=a::b\"\n\
         renewal: 12/09/2025\n",
    )
    .expect("write");
    let renewals = blcheck()
        .current_dir(dir)
        .args(["renewals", "register", "--as-of", AS_OF])
        .args(["--format", "ics", "--output", "calendar.ics"])
        .output()
        .expect("runs");
    assert_eq!(renewals.status.code(), Some(1), "{renewals:?}");
    assert!(!renewals.stderr.is_empty(), "the problem is on stderr");
    assert_clean_stderr(&renewals, "renewals --format ics");

    // An error that quotes the document's `kind`.
    fs::write(
        dir.join("not-maturity.yaml"),
        "kind: \"MaturityAssessment\\n::error file=README.md,line=1::forged\\e[2J\"\nid: X\n",
    )
    .expect("write");
    let maturity = blcheck()
        .current_dir(dir)
        .args(["maturity", "not-maturity.yaml"])
        .output()
        .expect("runs");
    assert_eq!(maturity.status.code(), Some(2), "{maturity:?}");
    assert!(
        String::from_utf8_lossy(&maturity.stderr).contains("not a MaturityAssessment"),
        "{maturity:?}"
    );
    assert_clean_stderr(&maturity, "maturity");
}

/// `maturity --format markdown` on an assessment whose values hold ESC,
/// `</script>`, backticks, table pipes and line breaks: one value each,
/// read back as text.
#[test]
fn maturity_markdown_shows_hostile_values_as_text() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    fs::write(
        dir.join("assessment.yaml"),
        "kind: MaturityAssessment\n\
         id: \"ID\\e[2J `tick` </script><script>alert(1)</script>\"\n\
         organisation: \"Org\\n::error file=README.md::forged\\n# Heading\"\n\
         assessed: 2025-09-01\n\
         assessor: \"A ``` x\"\n\
         met:\n\
         \x20 - indicator: M2.prior-learning\n\
         \x20   evidence: \"</script>\\e[31m `x` | y\\n## H <img src=x onerror=alert(1)>\"\n\
         \x20 - indicator: \"M9.x|y`\"\n\
         \x20   evidence: e\n",
    )
    .expect("write");
    let output = blcheck()
        .current_dir(dir)
        .args(["maturity", "assessment.yaml", "--format", "markdown"])
        .output()
        .expect("runs");
    assert_clean_stderr(&output, "maturity --format markdown");
    let markdown = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(raw_control(&markdown), None, "{markdown}");
    // `\</script\>` at most: a page that embeds the Markdown raw is not
    // ended by it either.
    assert!(!markdown.contains("</script>"), "{markdown}");
    assert_eq!(workflow_command(&markdown), None, "{markdown}");
    let Some(read) = read_markdown(&markdown) else {
        return;
    };
    assert_eq!(read["html"], serde_json::json!([]), "{markdown}");
    assert_eq!(read["links"], serde_json::json!([]), "{markdown}");
    let headings: Vec<&str> = read["headings"]
        .as_array()
        .expect("headings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        headings
            .iter()
            .all(|h| !h.starts_with("H") && *h != "Heading"),
        "{headings:?}"
    );
    // Each table keeps its cells: four, three (statements met) and four.
    for table in read["tables"].as_array().expect("tables") {
        let rows: Vec<u64> = table
            .as_array()
            .expect("rows")
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        assert!(rows.windows(2).all(|w| w[0] == w[1]), "{read}\n{markdown}");
    }
}

/// `--jobs` far above the cores is capped, with a warning, and the run
/// gives the same report.
#[test]
fn jobs_far_above_the_cores_are_capped_with_a_warning() {
    let run = |jobs: &str| {
        blcheck()
            .args(["audit", "fixtures/courses", "--as-of", AS_OF])
            .args(["--format", "json", "--jobs", jobs])
            .output()
            .expect("runs")
    };
    let capped = run("100000");
    let stderr = String::from_utf8_lossy(&capped.stderr);
    assert!(
        stderr.starts_with(
            "blcheck: warning: --jobs 100000 is more than 4 threads per available core"
        ),
        "{stderr}"
    );
    assert_eq!(capped.status.code(), Some(1));
    let one = run("1");
    assert!(one.stderr.is_empty(), "{one:?}");
    assert_eq!(capped.stdout, one.stdout);
}
