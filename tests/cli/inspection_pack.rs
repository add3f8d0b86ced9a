//! The inspection pack as a quality manager makes it: a provider's course
//! catalogue with owners, waivers of every status and a blcheck.toml that
//! names the organisation, audited once into JSON, a workbook, an HTML
//! report and CSV. The workbook is read back sheet by sheet with calamine
//! (an independent reader) and checked against the JSON report; where
//! LibreOffice is installed it must convert the workbook too.

use super::support::{blcheck, root};
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use serde_json::Value;
use std::fs;
use std::path::Path;

const AS_OF: &str = "2025-11-01";

/// A Functional Skills Maths course (the fixture), with its own id, title,
/// owner and waivers.
fn course(id: &str, title: &str, owner: &str, waivers: &str) -> String {
    let text = fs::read_to_string(root().join("fixtures/courses/fs-maths-l2-blended-waiver.yaml"))
        .expect("the fixture");
    let (body, _) = text
        .split_once("\nwaivers:\n")
        .expect("the fixture's waivers");
    body.replace("id: FS-MAT-L2-2025-SEP", &format!("id: {id}"))
        .replace(
            "title: Functional Skills Maths Level 2",
            &format!("title: {title}"),
        )
        .replace("owner: Head of Maths", &format!("owner: {owner}"))
        + "\nwaivers:\n"
        + waivers
}

fn waiver(rule: &str, expires: &str, approver: Option<&str>) -> String {
    let mut text = format!(
        "  - rule: {rule}\n    reason: Review booked with Zoë Brontë, the new curriculum manager\n    expires: {expires}\n"
    );
    if let Some(approver) = approver {
        text.push_str(&format!("    approved_by: {approver}\n"));
    }
    text
}

/// The catalogue: one course per waiver status, a title that looks like a
/// spreadsheet formula, and the settings file a quality team keeps.
fn catalogue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let courses = dir.path().join("courses");
    fs::create_dir(&courses).expect("mkdir");
    let qm = Some("Quality Manager");
    let files = [
        (
            "maths-active.yaml",
            course(
                "MATHS-ACTIVE",
                "Maths (active waiver)",
                "Head of Maths",
                &waiver("BLP013", "2026-03-31", qm),
            ),
        ),
        (
            "maths-expiring.yaml",
            course(
                "MATHS-EXPIRING",
                "\"=HYPERLINK(\\\"http://example.org\\\",\\\"x\\\")\"",
                "Head of Maths",
                &waiver("BLP013", "2025-11-20", qm),
            ),
        ),
        (
            "maths-expired.yaml",
            course(
                "MATHS-EXPIRED",
                "Maths (expired waiver)",
                "Head of Adult Learning",
                &waiver("BLP013", "2025-10-01", qm),
            ),
        ),
        (
            "maths-invalid.yaml",
            course(
                "MATHS-INVALID",
                "Maths (waiver without approver)",
                "Head of Adult Learning",
                &waiver("BLP013", "2026-01-31", None),
            ),
        ),
        (
            "maths-unused.yaml",
            course(
                "MATHS-UNUSED",
                "Maths (one waiver not needed)",
                "Head of Maths",
                &(waiver("BLP013", "2026-02-28", qm) + &waiver("BLP003", "2026-02-28", qm)),
            ),
        ),
    ];
    for (name, text) in files {
        fs::write(courses.join(name), text).expect("write");
    }
    fs::write(
        dir.path().join("blcheck.toml"),
        "organisation = \"Northfield College\"\nreport_title = \"Northfield College: blended learning inspection pack\"\npaths = [\"courses\"]\n\n[compliance]\ngreen = 90\namber = 70\n",
    )
    .expect("write");
    dir
}

fn run(dir: &Path, args: &[&str]) -> i32 {
    let output = blcheck()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("blcheck runs");
    output.status.code().unwrap_or(-1)
}

fn sheet(book: &mut Xlsx<std::io::BufReader<fs::File>>, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not a text cell: {other:?}"),
    }
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(n) => *n,
        Data::Int(n) => *n as f64,
        other => panic!("not a number cell: {other:?}"),
    }
}

/// A date cell, as days since 1899-12-30 (the spreadsheet's serial date).
fn serial_date(cell: &Data) -> f64 {
    match cell {
        Data::DateTime(d) => d.as_f64(),
        other => panic!("not a date cell: {other:?}"),
    }
}

fn serial_of(date: &str) -> f64 {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a date");
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("the epoch");
    (day - epoch).num_days() as f64
}

/// The value beside `label` in the first column of the summary.
fn fact<'a>(summary: &'a Range<Data>, label: &str) -> &'a Data {
    summary
        .rows()
        .find(|row| matches!(&row[0], Data::String(s) if s == label))
        .map(|row| &row[1])
        .unwrap_or_else(|| panic!("no {label} in the summary"))
}

#[test]
fn a_quality_manager_makes_the_inspection_pack() {
    let dir = catalogue();
    let code = run(
        dir.path(),
        &[
            "audit",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--output",
            "audit.json",
            "--format",
            "xlsx",
            "--output",
            "audit.xlsx",
            "--format",
            "html",
            "--output",
            "audit.html",
            "--output",
            "audit.csv",
        ],
    );
    assert_eq!(
        code, 1,
        "the expired and invalid waivers leave BLP013 failing"
    );
    let json: Value =
        serde_json::from_slice(&fs::read(dir.path().join("audit.json")).expect("read"))
            .expect("JSON");
    let path = dir.path().join("audit.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).expect("calamine opens the workbook");
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Findings",
            "Matrix Course",
            "Waivers",
            "Policies"
        ]
    );

    // Summary: who, when, the counts of the JSON summary.
    let summary = sheet(&mut book, "Summary");
    assert_eq!(
        text(&summary[(0, 0)]),
        "Northfield College: blended learning inspection pack"
    );
    assert_eq!(text(fact(&summary, "Organisation")), "Northfield College");
    assert_eq!(serial_date(fact(&summary, "As of")), serial_of(AS_OF));
    assert_eq!(text(fact(&summary, "Configuration")), "blcheck.toml");
    assert_eq!(text(fact(&summary, "Audited")), "courses");
    for (label, key) in [
        ("Documents audited", "documents"),
        ("Passed", "passed"),
        ("Failed", "failed"),
        ("Errors", "errors"),
        ("Warnings", "warnings"),
        ("Waived", "waived"),
    ] {
        assert_eq!(
            number(fact(&summary, label)),
            json["summary"][key].as_f64().expect("a count"),
            "{label}"
        );
    }
    // Compliance: the counts add up, the rate is a number, the status
    // follows the thresholds of blcheck.toml.
    let header = summary
        .rows()
        .position(|row| matches!(&row[0], Data::String(s) if s == "Policy"))
        .expect("the compliance table");
    let mut rules_seen = 0;
    for row in summary.rows().skip(header + 1) {
        let [in_scope, passed, failed, waived] = [5, 6, 7, 8].map(|c| number(&row[c]));
        assert_eq!(in_scope, passed + failed + waived, "{row:?}");
        let rate = number(&row[9]);
        assert!((rate - passed / in_scope).abs() < 1e-9, "{row:?}");
        let rag = text(&row[10]);
        let expected = match rate * 100.0 {
            r if r >= 90.0 => "green",
            r if r >= 70.0 => "amber",
            _ => "red",
        };
        assert_eq!(rag, expected, "{row:?}");
        if text(&row[2]) == "BLP013" {
            // Three waivers work; the expired and the invalid one do not.
            assert_eq!([passed, failed, waived], [0.0, 2.0, 3.0], "{row:?}");
        }
        rules_seen += 1;
    }
    assert!(rules_seen > 10, "a row per policy and rule: {rules_seen}");

    // Findings: one row per finding of the JSON, in its order; numbers as numbers.
    let findings = sheet(&mut book, "Findings");
    let expected = json["findings"].as_array().expect("findings");
    assert_eq!(findings.height(), expected.len() + 1);
    assert_eq!(text(&findings[(0, 0)]), "File");
    for (row, f) in findings.rows().skip(1).zip(expected) {
        assert_eq!(text(&row[0]), f["file"].as_str().unwrap_or_default());
        assert_eq!(number(&row[1]), f["line"].as_f64().expect("line"));
        assert_eq!(number(&row[2]), f["column"].as_f64().expect("column"));
        assert_eq!(text(&row[3]), f["document"].as_str().unwrap_or_default());
        assert_eq!(text(&row[5]), f["rule"].as_str().unwrap_or_default());
        assert_eq!(text(&row[8]), f["severity"].as_str().unwrap_or_default());
        assert_eq!(text(&row[11]), f["message"].as_str().unwrap_or_default());
    }

    // Matrix: a row per course, its result the JSON's status; the title
    // that looks like a formula is text.
    let matrix = sheet(&mut book, "Matrix Course");
    let documents = json["documents"].as_array().expect("documents");
    assert_eq!(matrix.height(), documents.len() + 1);
    for (row, d) in matrix.rows().skip(1).zip(documents) {
        assert_eq!(text(&row[0]), d["id"].as_str().unwrap_or_default());
        assert_eq!(text(&row[3]), d["status"].as_str().unwrap_or_default());
    }
    let formula = matrix
        .rows()
        .find(|row| text(&row[0]) == "MATHS-EXPIRING")
        .map(|row| row[1].clone())
        .expect("the expiring course");
    assert_eq!(
        formula,
        Data::String("=HYPERLINK(\"http://example.org\",\"x\")".into())
    );
    let blp013 = (0..matrix.width())
        .find(|&c| text(&matrix[(0, c)]) == "BLP013")
        .expect("a BLP013 column");
    let marks: Vec<String> = matrix
        .rows()
        .skip(1)
        .map(|row| text(&row[blp013]))
        .collect();
    // In file order: active, expired, expiring, invalid, unused (whose
    // BLP013 waiver works).
    assert_eq!(marks, ["waived", "fail", "waived", "fail", "waived"]);

    // Waivers: every status, real dates, days left as numbers.
    let waivers = sheet(&mut book, "Waivers");
    let rows: Vec<(String, String, String)> = waivers
        .rows()
        .skip(1)
        .map(|row| (text(&row[2]), text(&row[4]), text(&row[9])))
        .collect();
    let status = |id: &str, rule: &str| -> String {
        rows.iter()
            .find(|(d, r, _)| d == id && r == rule)
            .map(|(_, _, s)| s.clone())
            .unwrap_or_else(|| panic!("no waiver of {id} for {rule}: {rows:?}"))
    };
    assert_eq!(status("MATHS-ACTIVE", "BLP013"), "active");
    assert_eq!(status("MATHS-EXPIRING", "BLP013"), "expiring");
    assert_eq!(status("MATHS-EXPIRED", "BLP013"), "expired");
    assert_eq!(status("MATHS-INVALID", "BLP013"), "invalid");
    assert_eq!(status("MATHS-UNUSED", "BLP013"), "active");
    assert_eq!(status("MATHS-UNUSED", "BLP003"), "unused");
    let active = waivers
        .rows()
        .find(|row| text(&row[2]) == "MATHS-ACTIVE")
        .expect("the active waiver");
    assert_eq!(serial_date(&active[7]), serial_of("2026-03-31"));
    assert_eq!(number(&active[8]), 150.0, "days from 2025-11-01");
    assert_eq!(number(&active[10]), 1.0, "it waives one finding");

    // Policies: the JSON's, with renewal dates as dates.
    let policies = sheet(&mut book, "Policies");
    let applied = json["policies"].as_array().expect("policies");
    assert_eq!(policies.height(), applied.len() + 1);
    for (row, p) in policies.rows().skip(1).zip(applied) {
        assert_eq!(text(&row[0]), p["id"].as_str().unwrap_or_default());
        assert_eq!(text(&row[2]), p["version"].as_str().unwrap_or_default());
        assert_eq!(
            serial_date(&row[5]),
            serial_of(p["renewal"].as_str().unwrap_or_default())
        );
        let overdue = p["overdue"].as_bool().unwrap_or_default();
        assert_eq!(text(&row[6]), if overdue { "overdue" } else { "current" });
    }

    // The same inputs give the same workbook, byte for byte.
    let first = fs::read(&path).expect("read");
    run(
        dir.path(),
        &["audit", "--as-of", AS_OF, "--output", "again.xlsx"],
    );
    assert_eq!(
        first,
        fs::read(dir.path().join("again.xlsx")).expect("read")
    );

    // The HTML report names the organisation and lists the register.
    let page = fs::read_to_string(dir.path().join("audit.html")).expect("read");
    assert!(page.contains("<h1>Northfield College: blended learning inspection pack</h1>"));
    for state in ["active", "expiring", "expired", "invalid", "unused"] {
        assert!(
            page.contains(&format!("<span class=\"word\">{state}</span>")),
            "{state}"
        );
    }
    assert!(page.contains("green at 90% or more, amber at 70% or more"));

    // CSV for a spreadsheet: a byte-order mark, CRLF, the name intact.
    let csv = fs::read(dir.path().join("audit.csv")).expect("read");
    assert!(csv.starts_with(b"\xEF\xBB\xBFfile,line,"));
    let csv = String::from_utf8(csv).expect("UTF-8");
    assert!(csv.contains("Zoë Brontë"));
    assert_eq!(csv.matches('\n').count(), csv.matches("\r\n").count());

    libreoffice_converts(&path);
}

/// LibreOffice opens the workbook: its headless conversion to CSV gives
/// the summary's first cell. Skipped, with a message, where it is missing.
fn libreoffice_converts(workbook: &Path) {
    let Some(soffice) = ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
    else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping the LibreOffice check: soffice is not installed (Debian's libreoffice-calc-nogui gives it)"
        );
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let profile = out.path().join("profile");
    let status = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "csv", "--outdir"])
        .arg(out.path())
        .arg(workbook)
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let csv = fs::read_to_string(out.path().join("audit.csv")).expect("LibreOffice wrote CSV");
    assert!(
        csv.starts_with("Northfield College: blended learning inspection pack"),
        "{csv}"
    );
}

#[test]
fn renewals_workbook_reads_back_as_the_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("renewals.xlsx");
    let status = blcheck()
        .args([
            "renewals",
            "fixtures/policies",
            "--as-of",
            AS_OF,
            "--format",
            "xlsx",
            "--output",
        ])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(status.status.code().is_some_and(|c| c <= 1));
    let json = blcheck()
        .args([
            "renewals",
            "fixtures/policies",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let mut book: Xlsx<_> = open_workbook(&out).expect("calamine opens it");
    assert_eq!(book.sheet_names(), ["Renewals", "Read with"]);
    let sheet = sheet(&mut book, "Renewals");
    let documents = json["documents"].as_array().expect("documents");
    let problems = json["problems"].as_array().map_or(0, Vec::len);
    assert_eq!(sheet.height(), documents.len() + problems + 1);
    for (row, d) in sheet.rows().skip(1).zip(documents) {
        assert_eq!(text(&row[0]), d["id"].as_str().unwrap_or_default());
        assert_eq!(
            serial_date(&row[4]),
            serial_of(d["issued"].as_str().unwrap_or_default())
        );
        assert_eq!(
            serial_date(&row[5]),
            serial_of(d["renewal"].as_str().unwrap_or_default())
        );
        assert_eq!(
            number(&row[6]),
            d["days_to_renewal"].as_f64().expect("days")
        );
        assert_eq!(text(&row[7]), d["status"].as_str().unwrap_or_default());
    }
}

/// Every sheet of a workbook as text: a line per row, cells separated by
/// ` | `, each with its type (`s:` text, `n:` number, `d:` date), so that a
/// snapshot shows what a spreadsheet application would read.
fn workbook_text(path: &Path) -> String {
    let mut book: Xlsx<_> = open_workbook(path).expect("calamine opens it");
    let mut out = String::new();
    for name in book.sheet_names() {
        out.push_str(&format!("== {name}\n"));
        for row in sheet(&mut book, &name).rows() {
            let cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => format!("s:{s}"),
                    Data::Float(n) => format!("n:{n}"),
                    Data::Int(n) => format!("n:{n}"),
                    Data::DateTime(d) => format!("d:{}", d.as_f64()),
                    other => format!("?:{other:?}"),
                })
                .collect();
            out.push_str(cells.join(" | ").trim_end_matches([' ', '|']));
            out.push('\n');
        }
    }
    out
}

#[test]
fn xlsx_snapshot_of_the_fixture_audit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("audit.xlsx");
    blcheck()
        .args([
            "audit",
            "fixtures/courses",
            "fixtures/plans",
            "--as-of",
            AS_OF,
        ])
        .args(["--format", "xlsx", "--output"])
        .arg(&path)
        .assert()
        .code(1);
    insta::assert_snapshot!("audit_xlsx", workbook_text(&path));
}

#[test]
fn xlsx_has_no_matrix_sheet_for_a_kind_no_rule_applies_to() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("audit.xlsx");
    blcheck()
        .args([
            "audit",
            "fixtures/courses",
            "fixtures/maturity/level-2.yaml",
            "--as-of",
            AS_OF,
        ])
        .args(["--format", "xlsx", "--output"])
        .arg(&path)
        .assert()
        .code(1);
    let book: Xlsx<_> = open_workbook(&path).expect("calamine opens it");
    let names = book.sheet_names();
    assert!(names.iter().any(|n| n == "Matrix Course"), "{names:?}");
    assert!(
        !names.iter().any(|n| n.contains("MaturityAssessment")),
        "a sheet of no rule columns: {names:?}"
    );
}

#[test]
fn xlsx_is_refused_on_a_terminal_only() {
    // Piped (as here), the workbook is written to standard output.
    let output = blcheck()
        .args([
            "audit",
            "fixtures/courses",
            "--as-of",
            AS_OF,
            "--format",
            "xlsx",
        ])
        .output()
        .expect("runs");
    assert!(output.stdout.starts_with(b"PK\x03\x04"), "a zip file");
}

#[test]
fn actions_are_grouped_by_owner_in_every_format_that_groups() {
    let dir = catalogue();
    let output = |format: &str| -> String {
        let out = blcheck()
            .current_dir(dir.path())
            .args([
                "audit",
                "--as-of",
                AS_OF,
                "--group-by",
                "owner",
                "--format",
                format,
            ])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let owners = ["Head of Adult Learning", "Head of Maths"];

    let csv = output("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().expect("a header").get(0), Some("owner"));
    let column: Vec<String> = reader
        .records()
        .map(|r| r.expect("a row")[0].to_string())
        .collect();
    // Owner by owner; the overdue policy's finding (about no course) last.
    let mut seen = column.clone();
    seen.dedup();
    assert_eq!(seen, [owners[0], owners[1], "(not about a document)"]);

    let table = output("table");
    let at = |text: &str, what: &str| text.find(what).unwrap_or_else(|| panic!("{what}: {text}"));
    assert!(at(&table, "owner: Head of Adult Learning (") < at(&table, "owner: Head of Maths ("));

    let markdown = output("markdown");
    insta::assert_snapshot!("grouped_markdown", markdown);
    assert!(
        at(&markdown, "#### owner: Head of Adult Learning")
            < at(&markdown, "#### owner: Head of Maths")
    );

    let page = output("html");
    assert!(page.contains("<h2 id=\"actions-h\">Actions by owner</h2>"));
    // Adult Learning's courses fail (the expired and the invalid waiver);
    // Head of Maths' waivers all work, so it has nothing to act on.
    assert!(page.contains("<h3 id=\"actions-1-h\">owner: Head of Adult Learning</h3>"));
    assert!(!page.contains(">owner: Head of Maths</h3>"));
    // The matrix rows are grouped too: Adult Learning's courses first.
    let first_row = at(&page, "<tr data-status=");
    assert!(
        page[first_row..].find("owner: Head of Adult Learning")
            < page[first_row..].find("owner: Head of Maths")
    );
}

#[test]
fn the_logo_is_embedded_and_the_time_is_recorded_only_when_asked() {
    let dir = catalogue();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
    fs::write(dir.path().join("logo.svg"), svg).expect("write");
    let settings = dir.path().join("blcheck.toml");
    let text = fs::read_to_string(&settings).expect("read");
    fs::write(&settings, format!("report_logo = \"logo.svg\"\n{text}")).expect("write");
    let page = |extra: &[&str]| -> String {
        let out = blcheck()
            .current_dir(dir.path())
            .args(["audit", "--as-of", AS_OF, "--format", "html"])
            .args(extra)
            .output()
            .expect("runs");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let plain = page(&[]);
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(svg);
    assert!(plain.contains(&format!(
        "<img class=\"logo\" src=\"data:image/svg+xml;base64,{data}\" alt=\"Northfield College logo\">"
    )));
    assert!(
        plain.contains("img-src data:;"),
        "the policy lets the logo show"
    );
    assert!(!plain.contains("Made on"));
    assert_eq!(plain, page(&[]), "no wall-clock time: the same bytes");
    let stamped = page(&["--generated-at"]);
    assert!(stamped.contains("Made on <time datetime=\"20"), "{stamped}");

    // A logo that is not there stops the run before anything is audited.
    fs::remove_file(dir.path().join("logo.svg")).expect("remove");
    let out = blcheck()
        .current_dir(dir.path())
        .args(["audit", "--as-of", AS_OF, "--format", "html"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("logo.svg: cannot read the report_logo"));
}
