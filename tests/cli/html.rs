//! `--format html`: the page's bytes (snapshot, determinism, escaping), and
//! the page in a real browser: headless Debian Chromium driven by
//! playwright-core (tests/browser/report.cjs), with axe-core's accessibility
//! check. The browser part needs the tools `.ci/install-tools` installs; it
//! is skipped outside CI when they are missing, and fails in CI.

use super::support::{audit_json, blcheck, root};
use std::fs;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2025-11-01";
/// The courses, the plans, and a course with evidence (a file beside it,
/// whose name has spaces and non-ASCII letters, and a web address).
const FIXTURES: [&str; 3] = ["fixtures/courses", "fixtures/plans", "fixtures/evidence"];

fn html(dir: &Path, args: &[&str]) -> String {
    let output = blcheck()
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .args(["--as-of", AS_OF, "--format", "html"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn fixture_html() -> String {
    html(&root(), &FIXTURES)
}

/// The markup the test course's values are made of; none may run.
const SCRIPT: &str = "<script>window.__blcheckInjected=true</script>";
const IMG: &str = "<img src=x onerror=\"window.__blcheckInjected=true\">";
/// A file name can hold markup too (but no `/`).
const FILE: &str = "c<img src=x onerror=window.__blcheckInjected=true>.yaml";

/// A course whose id, title, a value quoted in a message and file name are
/// markup.
fn injected_course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = fs::read_to_string(root().join("fixtures/spec/course.example.yaml"))
        .expect("read")
        .replace(
            "id: FS-ENG-L2-2025 ",
            &format!("id: \"{}\" ", SCRIPT.replace('"', "\\\"")),
        )
        .replace(
            "title: Functional Skills English Level 2",
            &format!("title: \"{}\"", IMG.replace('"', "\\\"")),
        )
        .replace(
            "  status: approved ",
            &format!("  status: \"<b>bold</b>{SCRIPT}\" "),
        );
    assert!(text.contains("<img"), "the example's title was replaced");
    fs::write(dir.path().join(FILE), text).expect("write");
    dir
}

#[test]
fn html_snapshot_of_the_fixture_audit() {
    insta::assert_snapshot!("audit_html", fixture_html());
}

#[test]
fn html_is_one_self_contained_deterministic_page() {
    let page = fixture_html();
    assert_eq!(page, fixture_html(), "same input, same bytes");
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert_eq!(page.matches("<script>").count(), 1, "one inline script");
    assert_eq!(page.matches("<style>").count(), 1, "one inline stylesheet");
    // The evidence's web addresses are links for a reader to follow (each
    // written twice: the href and the text), not assets the page loads.
    let (before, rest) = page
        .split_once("<section id=\"evidence\"")
        .expect("an Evidence section");
    let (evidence, after) = rest.split_once("</section>").expect("its end");
    let links = evidence.matches("<a href=\"https://").count();
    assert!(links > 0, "{evidence}");
    assert_eq!(
        evidence.matches("https://").count(),
        2 * links,
        "{evidence}"
    );
    let rest_of_page = format!("{before}{after}");
    for external in ["src=", "<link", "url(", "@import", "http://", "https://"] {
        assert!(
            !rest_of_page.contains(external),
            "no external asset: {external}"
        );
    }
    // The as-of date, never the wall clock.
    assert!(page.contains("As of <strong><time datetime=\"2025-11-01\">2025-11-01</time>"));
    let today = chrono::Local::now().date_naive().to_string();
    assert!(!page.contains(&today) || today == AS_OF);
    // Policies with versions; the overdue one flagged.
    assert!(page.contains(
        "<th scope=\"row\">sts-blended-learning</th><td>Blended Learning Policy</td><td>1.2</td>"
    ));
    assert!(page.contains("overdue"));
}

#[test]
fn html_matrix_has_a_row_per_document_and_a_column_per_rule() {
    let page = fixture_html();
    let (json, _) = audit_json(
        &FIXTURES
            .iter()
            .copied()
            .chain(["--as-of", AS_OF])
            .collect::<Vec<_>>(),
    );
    let documents = json["documents"].as_array().expect("documents");
    let of_kind = |kind: &str| documents.iter().filter(|d| d["kind"] == kind).count();
    let rows = page.matches("<tr data-status=").count();
    assert_eq!(rows, documents.len());
    // One matrix per kind: courses × the 22 course rules (EVL, BLP),
    // learner plans × the 10 plan rules that apply to a fixture plan (ILP011
    // applies only to a plan that records its attendance, which none does;
    // a rule that applies to no document of a kind gets no column).
    assert_eq!(page.matches("<table class=\"matrix\"").count(), 2);
    assert_eq!(
        page.matches("<th class=\"rule\" scope=\"col\"").count(),
        22 + 10
    );
    // Every cell says what it is in a symbol and a word, with the clause on hover.
    assert_eq!(
        page.matches("<td class=\"cell ").count(),
        of_kind("Course") * 22 + of_kind("LearnerPlan") * 10
    );
    assert!(page.contains("title=\"BLP013 equal-scrutiny: waived\n"));
    for word in ["pass", "fail", "warning", "waived", "n/a"] {
        assert!(
            page.contains(&format!("<span class=\"word\">{word}</span>")),
            "{word}"
        );
    }
}

#[test]
fn html_has_no_matrix_for_a_kind_no_rule_applies_to() {
    // A self-assessment audited with the courses: the course policies
    // have no rule for a MaturityAssessment, so it gets no empty matrix,
    // and the page says why it has none.
    let page = html(
        &root(),
        &["fixtures/courses", "fixtures/maturity/level-2.yaml"],
    );
    assert_eq!(page.matches("<table class=\"matrix\"").count(), 1, "{page}");
    assert!(page.contains("data-kind=\"Course\""));
    assert!(!page.contains("data-kind=\"MaturityAssessment\""));
    assert!(!page.contains("× 0 rules"));
    assert!(!page.contains("Matrix: MaturityAssessment"));
    assert!(page.contains(
        "No rule of the policies applies to 1 MaturityAssessment document: they have no matrix."
    ));
}

#[test]
fn html_shows_markup_from_documents_as_text() {
    let dir = injected_course();
    let page = html(dir.path(), &["."]);
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.contains("<img") && !page.contains("<b>"), "{page}");
    assert!(page.contains("&lt;script&gt;window.__blcheckInjected=true&lt;/script&gt;"));
    assert!(page.contains("&lt;img src=x onerror=&quot;window.__blcheckInjected=true&quot;&gt;"));
    assert!(page.contains("c&lt;img src=x onerror=window.__blcheckInjected=true&gt;.yaml:"));
}

/// The printed report: A4 pages, none of them blank. The page count is the
/// PDF's; where Debian's pdftotext is installed (poppler-utils), the last
/// page is read back and must hold the report's own closing words, not
/// only the page footer.
fn check_print(report: &Path, seen: &serde_json::Value) {
    let pages = seen["pdfPages"].as_u64().expect("a page count");
    assert!(pages >= 5, "every section starts a page: {pages} pages");
    let pdf = report.with_extension("html.pdf");
    let Some(pdftotext) = super::support::installed(PathBuf::from("/usr/bin/pdftotext")) else {
        return;
    };
    let text = |page: u64| -> String {
        let out = std::process::Command::new(&pdftotext)
            .args(["-f", &page.to_string(), "-l", &page.to_string()])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let last = text(pages);
    assert!(
        last.contains("Made by blcheck"),
        "the last page is not blank: {last}"
    );
    assert!(
        last.contains(&format!("Page {pages} of {pages}")) && last.contains("as of 2025-11-01"),
        "the footer has the page number and the date: {last}"
    );
}

/// The browser test's tools: playwright-core and axe-core under .ci/tools,
/// Debian's chromium, node. `None` (skip) only outside CI.
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    let tools = root().join(".ci/tools");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let missing: Vec<String> = [
        tools.join("node_modules/playwright-core/package.json"),
        tools.join("node_modules/axe-core/axe.min.js"),
        chromium.clone(),
    ]
    .into_iter()
    .filter(|p| !p.exists())
    .map(|p| p.display().to_string())
    .chain(
        std::process::Command::new("node")
            .arg("--version")
            .output()
            .is_err()
            .then(|| "node".to_string()),
    )
    .collect();
    if missing.is_empty() {
        return Some((tools, chromium));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "missing for the browser test: {}; .ci/run installs them with .ci/install-tools",
        missing.join(", ")
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipping the browser test: run .ci/install-tools (missing: {})",
        missing.join(", ")
    );
    None
}

#[test]
fn html_report_works_in_headless_chromium() {
    let Some((tools, chromium)) = browser_tools() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    // Written by --output, as a user does, so its evidence links start
    // from the report's folder (not the directory blcheck ran in).
    let report = dir.path().join("report.html");
    let written = blcheck()
        .current_dir(root())
        .arg("audit")
        .args(FIXTURES)
        .args(["--as-of", AS_OF, "--format", "html", "--output"])
        .arg(&report)
        .output()
        .expect("runs");
    assert_eq!(written.status.code(), Some(1), "{written:?}");
    let course = injected_course();
    let injected = dir.path().join("injected.html");
    fs::write(&injected, html(course.path(), &["."])).expect("write");
    let grouped = dir.path().join("grouped.html");
    let mut grouped_args: Vec<&str> = FIXTURES.to_vec();
    grouped_args.extend(["--group-by", "owner"]);
    fs::write(&grouped, html(&root(), &grouped_args)).expect("write");
    let output = std::process::Command::new("node")
        .arg(root().join("tests/browser/report.cjs"))
        .arg(&tools)
        .arg(&report)
        .arg(&injected)
        .env("CHROMIUM", chromium)
        .env("GROUPED_REPORT", &grouped)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "the browser script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let (json, _) = audit_json(
        &FIXTURES
            .iter()
            .copied()
            .chain(["--as-of", AS_OF])
            .collect::<Vec<_>>(),
    );
    let mut documents: Vec<(&str, &str, &str)> = json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap_or_default(),
                d["id"].as_str().unwrap_or_default(),
                d["status"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // One matrix per kind, in the kinds' order; the report's order within each.
    documents.sort_by_key(|d| d.0);
    let documents: Vec<(&str, &str)> = documents.iter().map(|d| (d.1, d.2)).collect();
    let rules = rule_ids();
    let f = &seen["fixture"];

    // One row per document; one column per rule that applies to its kind.
    let rows: Vec<(&str, &str)> = f["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default(),
                r["status"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(rows, documents);
    let mut columns_of: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for c in f["ruleColumns"].as_array().expect("columns") {
        assert_eq!(c["scope"], "col");
        assert!(c["title"].as_str().is_some_and(|t| t.contains("Clause: ")));
        columns_of
            .entry(c["kind"].as_str().unwrap_or_default())
            .or_default()
            .push(c["rule"].as_str().unwrap_or_default());
    }
    let mut every: Vec<&str> = columns_of.values().flatten().copied().collect();
    every.sort_unstable();
    every.dedup();
    // ILP011 applies only to a plan that records its attendance, which no
    // fixture plan does: a rule that applies to no document has no column.
    let mut expected: Vec<&str> = rules
        .iter()
        .map(String::as_str)
        .filter(|r| *r != "ILP011")
        .collect();
    expected.sort_unstable();
    assert_eq!(
        every, expected,
        "every rule that applies is a column of some matrix"
    );
    assert!(
        columns_of["Course"].iter().all(|r| !r.starts_with("ILP")),
        "no learner-plan rule in the course matrix: {columns_of:?}"
    );
    for row in f["rows"].as_array().expect("rows") {
        let kind = row["kind"].as_str().unwrap_or_default();
        assert_eq!(row["cells"], columns_of[kind].len(), "{row}");
    }
    assert_eq!(f["cellTitles"], 0, "every cell has its clause on hover");
    assert_eq!(f["lang"], "en");

    // The script ran (under the page's own Content-Security-Policy too) and
    // the filters work: failing documents only hides every passing row.
    assert_eq!(f["filtersShown"], true);
    assert_eq!(seen["csp"]["scriptRan"], true, "{}", seen["csp"]);
    assert_eq!(seen["csp"]["problems"], serde_json::json!([]));
    let failing: Vec<(&str, &str)> = documents
        .iter()
        .copied()
        .filter(|d| d.1 == "fail")
        .collect();
    let shown = |key: &str| -> Vec<(String, String)> {
        f[key]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap_or_default().into(),
                    r["status"].as_str().unwrap_or_default().into(),
                )
            })
            .collect()
    };
    let owned = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert!(!failing.is_empty() && failing.len() < documents.len());
    assert_eq!(shown("failingOnly"), owned(&failing));
    assert!(f["failingFindingGroups"]
        .as_array()
        .expect("groups")
        .iter()
        .all(|s| s == "fail"));
    let passing: Vec<(&str, &str)> = documents
        .iter()
        .copied()
        .filter(|d| d.1 == "pass")
        .collect();
    assert_eq!(shown("passingOnly"), owned(&passing));
    // The policy filter keeps that policy's columns and the documents it applies to.
    let ilp: Vec<&String> = rules
        .iter()
        .filter(|r| r.starts_with("ILP") && *r != "ILP011")
        .collect();
    assert_eq!(f["policyColumns"], serde_json::json!(ilp));
    assert!(shown("policyRows")
        .iter()
        .all(|(id, _)| id.starts_with("ILP-")));
    assert_eq!(
        shown("searchRows"),
        vec![("ILP-ESOL-E3-1002".to_string(), "fail".to_string())]
    );
    assert!(f["searchFindings"].as_u64().is_some_and(|n| n > 0));
    assert_eq!(f["allRowsAgain"], documents.len());
    assert_eq!(
        f["problems"],
        serde_json::json!([]),
        "no console error, no request"
    );
    assert_eq!(f["printHidesFilters"], true);
    assert!(f["pdfBytes"].as_u64().is_some_and(|n| n > 10_000));
    check_print(&report, f);

    // The inspection pack's sections, each matrix sticky in its own box,
    // and the page no wider than 1,280 px.
    let sections: Vec<&str> = f["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    for wanted in [
        "Summary",
        "Compliance by policy and rule",
        "Compliance matrix",
        "Waiver register",
        "Evidence",
        "Findings by document",
    ] {
        assert!(sections.contains(&wanted), "{wanted}: {sections:?}");
    }
    assert_eq!(f["pageScrollsSideways"], false);
    let sticky = f["sticky"].as_array().expect("matrix boxes");
    assert_eq!(sticky.len(), columns_of.len(), "one box per matrix");
    for box_ in sticky {
        if box_["scrolled"] == true {
            assert_eq!(box_["headerAtTop"], true, "{box_}");
            assert_eq!(box_["firstColumnAtLeft"], true, "{box_}");
        }
    }
    assert!(
        sticky.iter().any(|b| b["scrolled"] == true),
        "some matrix scrolls in its box at 1,280 × 600: {sticky:?}"
    );
    let rates: Vec<f64> = f["sortedRates"]
        .as_array()
        .expect("rates")
        .iter()
        .filter_map(|r| r.as_f64())
        .collect();
    assert!(
        rates.len() > 1 && rates.windows(2).all(|w| w[0] <= w[1]),
        "{rates:?}"
    );
    assert_eq!(f["sortState"], "ascending");
    // Grouped by owner: a part per owner, accessible, each printable alone.
    let g = &seen["grouped"];
    let parts = g["parts"].as_array().expect("parts");
    assert!(parts.len() > 1, "{parts:?}");
    assert!(parts
        .iter()
        .all(|p| p.as_str().is_some_and(|p| p.starts_with("owner: "))));
    let serious: Vec<&serde_json::Value> = g["axe"]
        .as_array()
        .expect("axe")
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    assert_eq!(g["printedAlone"], serde_json::json!([parts[0]]), "{g}");
    let alone = g["pages"].as_u64().expect("pages");
    let whole = f["pdfPages"].as_u64().expect("pages");
    assert!(
        (1..=3).contains(&alone) && alone < whole,
        "one owner's part prints on its own pages: {alone} of {whole}"
    );
    assert_eq!(g["problems"], serde_json::json!([]));
    let waivers = f["waiverStatuses"].as_array().expect("waiver statuses");
    assert!(
        !waivers.is_empty(),
        "the fixtures' waivers are in the register"
    );

    check_evidence(f);

    // Without script, nothing is hidden and the filters (which would do
    // nothing) are not shown.
    let n = &seen["noScript"];
    assert_eq!(n["filtersShown"], false);
    assert_eq!(n["rows"], documents.len());
    assert_eq!(n["findings"], n["allFindings"]);
    assert!(n["findings"].as_u64().is_some_and(|n| n > 0));

    // axe-core: no serious or critical violation (and, today, none at all).
    let violations = f["axe"].as_array().expect("axe violations");
    let serious: Vec<&serde_json::Value> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    assert!(violations.is_empty(), "{violations:#?}");

    // Markup in an id, a title, a value and a file name is shown as text.
    let i = &seen["injected"];
    assert_eq!(i["ran"], false, "an injected script ran");
    assert_eq!(i["scripts"], 1, "only the page's own script element");
    assert_eq!(i["injectedElements"], 0);
    assert_eq!(i["rowHeader"], SCRIPT);
    let heads = i["findingHeads"][0].as_str().unwrap_or_default();
    assert!(
        heads.starts_with(SCRIPT) && heads.contains(IMG) && heads.contains(FILE),
        "{heads}"
    );
    assert!(i["messages"].as_array().expect("messages").iter().any(|m| m
        .as_str()
        .is_some_and(|m| m.contains(&format!("'<b>bold</b>{SCRIPT}'")))));
    assert_eq!(i["problems"], serde_json::json!([]));
}

/// The Evidence section as the browser saw it: a row per entry of the
/// fixture course, its web address a link as written, and each local link,
/// resolved against the page's address, the very file beside the course;
/// axe-core finds no serious or critical violation in it.
fn check_evidence(f: &serde_json::Value) {
    let sections = f["evidence"].as_array().expect("evidence sections");
    assert_eq!(sections.len(), 1, "one Evidence section: {sections:?}");
    let section = &sections[0];
    assert_eq!(section["heading"], "Evidence");
    assert_eq!(section["rows"], 3, "{section}");
    assert_eq!(section["unlinked"], 0, "{section}");
    let links = section["links"].as_array().expect("links");
    let web: Vec<&str> = links
        .iter()
        .filter_map(|l| l["href"].as_str())
        .filter(|h| h.starts_with("https://"))
        .collect();
    assert_eq!(
        web,
        ["https://intranet.example.org/quality/fs-english-l2-access-2025"]
    );
    let mut files: Vec<PathBuf> = links
        .iter()
        .filter(|l| {
            l["resolved"]
                .as_str()
                .is_some_and(|r| r.starts_with("file:"))
        })
        .map(|l| {
            assert_eq!(l["exists"], true, "a local link leads nowhere: {l}");
            PathBuf::from(l["file"].as_str().expect("a file"))
                .canonicalize()
                .expect("exists")
        })
        .collect();
    files.sort();
    let evidence = root().join("fixtures/evidence");
    let wanted: Vec<PathBuf> = [
        "handbook/course handbook.pdf",
        "reviews/accessibility review – Zoë Brontë.pdf",
    ]
    .iter()
    .map(|name| evidence.join(name).canonicalize().expect("the fixture"))
    .collect();
    assert_eq!(files, wanted);
    let serious: Vec<&serde_json::Value> = f["evidenceAxe"]
        .as_array()
        .expect("axe on the evidence")
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
}

/// The policy rules of the built-in policies, in the matrix's order: by
/// policy (`policy` is "id version"), then by id, as the policies list them.
fn rule_ids() -> Vec<String> {
    let output = blcheck()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    let rules: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut ids: Vec<(String, String)> = rules["rules"]
        .as_array()
        .expect("a rule list")
        .iter()
        .map(|r| {
            (
                r["policy"].as_str().unwrap_or_default().to_string(),
                r["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .filter(|(policy, _)| !policy.starts_with("blcheck"))
        .collect();
    ids.sort();
    ids.into_iter().map(|(_, id)| id).collect()
}
