//! Evidence, the way a quality manager works: two courses written in a
//! folder, one giving an address and its accessibility review's report
//! beside it, one naming a report that was never added; the audit reports
//! the missing file at file:line:column, and the HTML report and the
//! workbook link the evidence there is (and never a `javascript:` entry).

use super::support::blcheck;
use calamine::{open_workbook, Xlsx};
use std::fs;

const REVIEWED: &str = "kind: Course
id: CS-L2-BL
title: Level 2 Customer Service (blended)
owner: Head of Business
delivery:
  mode: blended
accessibility_review:
  date: 2025-10-14
  reviewer: Digital Learning Lead
  outcome: fail
  evidence:
    - reviews/access-2025.pdf
    - https://intranet.example.org/quality/access-2025
";

const MISSING: &str = "kind: Course
id: ESOL-E3
title: ESOL Entry 3
owner: Head of English
delivery:
  mode: blended
accessibility_review:
  date: 2025-10-14
  evidence: [reviews/access-2024.pdf, \"javascript:alert(1)\"]
";

#[test]
fn missing_evidence_is_a_finding_and_the_reports_link_what_there_is() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    fs::create_dir_all(dir.path().join("courses/reviews")).unwrap();
    fs::write(dir.path().join("courses/cs-l2.yaml"), REVIEWED).unwrap();
    fs::write(
        dir.path().join("courses/reviews/access-2025.pdf"),
        b"%PDF-1.7",
    )
    .unwrap();
    fs::write(dir.path().join("courses/esol-e3.yaml"), MISSING).unwrap();

    let out = blcheck()
        .current_dir(dir.path())
        .args([
            "audit",
            "courses/",
            "--as-of",
            "2025-11-01",
            "--select",
            "DOC016",
        ])
        .args(["--format", "github"])
        .output()
        .expect("blcheck runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("file=courses/esol-e3.yaml,line=9,col=14"),
        "{text}"
    );
    assert!(text.contains("access-2024.pdf"), "{text}");
    assert!(
        text.contains("file=courses/esol-e3.yaml,line=9,col=39"),
        "{text}"
    );
    assert!(
        !text.contains("cs-l2.yaml"),
        "the course with its evidence passes: {text}"
    );

    for (format, file) in [("html", "report.html"), ("xlsx", "audit.xlsx")] {
        let out = blcheck()
            .current_dir(dir.path())
            .args(["audit", "courses/", "--as-of", "2025-11-01"])
            .args(["--format", format, "--output", file])
            .output()
            .expect("blcheck runs");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        html.contains(r#"<a href="courses/reviews/access-2025.pdf">reviews/access-2025.pdf</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<a href="https://intranet.example.org/quality/access-2025">"#));
    assert!(!html.contains(r#"href="javascript"#));
    assert!(!html.contains("href=\"courses/reviews/access-2024.pdf"));

    let mut book: Xlsx<_> =
        open_workbook(dir.path().join("audit.xlsx")).expect("calamine opens it");
    let links = format!(
        "{:?}",
        book.hyperlinks_by_sheet_name("Findings")
            .expect("links read")
    );
    // The failed review of CS-L2-BL (BLP002) links its report.
    assert!(links.contains("courses/reviews/access-2025.pdf"), "{links}");
    assert!(!links.contains("javascript"), "{links}");
}

/// A policy author requires evidence of the accessibility review with the
/// `non_empty` check on the section's list, as docs/documents.md shows.
#[test]
fn a_rule_can_require_evidence_of_its_section() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let built_in =
        fs::read_to_string(super::support::root().join("policies/sts-blended-learning.toml"))
            .expect("the built-in policy");
    let outcome = r#"values = ["pass", "pass_with_actions"] },"#;
    let policy = built_in.replacen(
        outcome,
        &format!(
            "{outcome}\n  {{ check = \"non_empty\", path = \"accessibility_review.evidence\" }},"
        ),
        1,
    );
    assert_ne!(policy, built_in, "the BLP002 checks were found");
    fs::write(dir.path().join("policy.toml"), policy).unwrap();
    fs::create_dir_all(dir.path().join("courses/reviews")).unwrap();
    fs::write(
        dir.path().join("courses/reviews/access-2025.pdf"),
        b"%PDF-1.7",
    )
    .unwrap();
    let with = REVIEWED.replace("outcome: fail", "outcome: pass");
    fs::write(dir.path().join("courses/with.yaml"), &with).unwrap();
    let without: String = with
        .replace("id: CS-L2-BL", "id: CS-L2-NOEV")
        .lines()
        .take_while(|l| !l.contains("evidence:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(dir.path().join("courses/without.yaml"), without).unwrap();
    let out = blcheck()
        .current_dir(dir.path())
        .args([
            "audit",
            "courses/",
            "--no-builtin-policies",
            "--policy",
            "policy.toml",
        ])
        .args([
            "--select",
            "BLP002",
            "--as-of",
            "2025-11-01",
            "--format",
            "github",
        ])
        .output()
        .expect("blcheck runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("file=courses/without.yaml"), "{text}");
    assert!(text.contains("accessibility_review.evidence"), "{text}");
    assert!(!text.contains("file=courses/with.yaml"), "{text}");
}
