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

/// A course whose evidence has a space, an accent and a `#` in its names,
/// one file beside the course and one up a level.
const NAMED: &str = "kind: Course
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
    - reviews/accès 2025.pdf
    - https://intranet.example.org/quality/access-2025
evidence: [\"../shared/handbook #2.pdf\"]
";

/// The local hrefs of a page (`#…` anchors and web addresses left out),
/// percent-decoded.
fn local_hrefs(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(href, _)| href))
        .filter(|href| !href.starts_with('#') && !href.starts_with("https://"))
        .map(decoded)
        .collect()
}

fn decoded(href: &str) -> String {
    percent_encoding::percent_decode_str(href)
        .decode_utf8()
        .expect("UTF-8 once decoded")
        .into_owned()
}

/// Each link, followed from `folder` (where its report is), reaches one of
/// the evidence files, and every one of them is reached.
fn assert_lead_to(links: &[String], folder: &std::path::Path, files: &[std::path::PathBuf]) {
    let mut reached: Vec<std::path::PathBuf> = links
        .iter()
        .map(|link| {
            folder
                .join(link)
                .canonicalize()
                .unwrap_or_else(|e| panic!("{link} from {}: {e}", folder.display()))
        })
        .collect();
    reached.sort();
    reached.dedup();
    let mut wanted: Vec<std::path::PathBuf> =
        files.iter().map(|f| f.canonicalize().unwrap()).collect();
    wanted.sort();
    assert_eq!(reached, wanted, "{links:?}");
}

/// A quality manager writes the reports elsewhere than where blcheck
/// runs, and runs it from another folder: the links lead to the evidence
/// from wherever the report is.
#[test]
fn local_evidence_links_are_relative_to_the_report_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    for folder in ["courses/reviews", "shared", "out/sub", "elsewhere"] {
        fs::create_dir_all(root.join(folder)).unwrap();
    }
    fs::write(root.join("courses/cs-l2.yaml"), NAMED).unwrap();
    let review = root.join("courses/reviews/accès 2025.pdf");
    let handbook = root.join("shared/handbook #2.pdf");
    fs::write(&review, b"%PDF-1.7").unwrap();
    fs::write(&handbook, b"%PDF-1.7").unwrap();
    let run = |cwd: &std::path::Path, args: &[&str]| {
        let out = blcheck()
            .current_dir(cwd)
            .arg("audit")
            .args(args)
            .args(["--as-of", "2025-11-01"])
            .output()
            .expect("blcheck runs");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };

    run(
        root,
        &[
            "courses/",
            "--format",
            "html",
            "--output",
            "out/sub/report.html",
        ],
    );
    let page = fs::read_to_string(root.join("out/sub/report.html")).unwrap();
    assert!(
        page.contains(r#"href="../../courses/reviews/acc%C3%A8s%202025.pdf""#),
        "one layer of encoding: {page}"
    );
    assert_lead_to(
        &local_hrefs(&page),
        &root.join("out/sub"),
        &[review.clone(), handbook.clone()],
    );
    // The same bytes from another run.
    run(
        root,
        &[
            "courses/",
            "--format",
            "html",
            "--output",
            "out/sub/again.html",
        ],
    );
    assert_eq!(
        page,
        fs::read_to_string(root.join("out/sub/again.html")).unwrap()
    );

    // To standard output, from another folder: relative to that folder.
    let elsewhere = root.join("elsewhere");
    let page = String::from_utf8(run(&elsewhere, &["../courses", "--format", "html"])).unwrap();
    assert!(page.contains(r#"href="../courses/reviews/acc%C3%A8s%202025.pdf""#));
    assert_lead_to(
        &local_hrefs(&page),
        &elsewhere,
        &[review.clone(), handbook.clone()],
    );

    // The workbook's links, read back by calamine, from the workbook's folder.
    run(
        &elsewhere,
        &[
            "../courses",
            "--format",
            "xlsx",
            "--output",
            "../out/sub/audit.xlsx",
        ],
    );
    let mut book: Xlsx<_> =
        open_workbook(root.join("out/sub/audit.xlsx")).expect("calamine opens it");
    let links: Vec<String> = book
        .hyperlinks_by_sheet_name("Findings")
        .expect("links read")
        .into_iter()
        .filter_map(|link| link.target)
        .filter(|target| !target.starts_with("https://"))
        .map(|target| decoded(target.trim_start_matches("file:///")))
        .collect();
    // The failed review (BLP002) links its report; `#` cannot be in a
    // workbook's file link, so the handbook is shown as text.
    assert!(!links.is_empty());
    assert_lead_to(&links, &root.join("out/sub"), &[review]);
}
