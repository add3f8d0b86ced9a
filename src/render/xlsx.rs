//! `--format xlsx`: the audit as a workbook for a quality team. Sheets:
//! Summary (who, when, what was audited, the counts, compliance per policy
//! and rule), Findings (one row per finding, header frozen, filters), one
//! Matrix sheet per document kind (status per document × rule, coloured,
//! with the word as well as the colour), Waivers (the waiver register)
//! and Policies (versions, renewal
//! status). Numbers are numbers, dates are dates, and every text is a
//! string cell: text that looks like a formula stays text.
//!
//! Every sheet is written row by row in constant memory (`workbook`), the
//! findings and the matrix rows in one pass over the report each.

use super::compliance::{compliance, shown_rate, Rag};
use super::mark::{Mark, Tone};
use super::waiver_register::register;
use super::workbook::{self, Formats, MAX_ROWS};
use super::ReportView;
use crate::policy::Rule;
use crate::report::{Finding, Status};
use anyhow::Result;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};
use std::collections::BTreeSet;
use std::io::Write;

const FINDINGS_HEADER: [&str; 15] = [
    "File",
    "Line",
    "Column",
    "Document",
    "Kind",
    "Rule",
    "Name",
    "Policy",
    "Severity",
    "Status",
    "Path",
    "Message",
    "Clause",
    "How to fix",
    "Evidence",
];
const FINDINGS_WIDTHS: [f64; 15] = [
    36.0, 7.0, 7.0, 20.0, 14.0, 9.0, 24.0, 16.0, 9.0, 9.0, 22.0, 60.0, 40.0, 40.0, 40.0,
];

pub fn render(view: &ReportView<'_>, out: &mut dyn Write) -> Result<()> {
    let identity = view.identity;
    let heading = identity.heading();
    let mut book = workbook::new_workbook(view.report.as_of, &heading);
    let f = Formats::new();
    let marks = MarkFormats::new();
    let summary = summary(&mut book, view, &heading, &f)?;
    book.push_worksheet(summary);
    for sheet in findings(&mut book, view, &f, &marks)? {
        book.push_worksheet(sheet);
    }
    for sheet in matrices(&mut book, view, &f, &marks)? {
        book.push_worksheet(sheet);
    }
    let waivers = waivers(&mut book, view, &f)?;
    book.push_worksheet(waivers);
    let policies = policies(&mut book, view, &f)?;
    book.push_worksheet(policies);
    workbook::save(book, out)
}

fn summary(
    book: &mut Workbook,
    view: &ReportView<'_>,
    heading: &str,
    f: &Formats,
) -> Result<Worksheet> {
    let report = view.report;
    let identity = view.identity;
    let mut sheet = workbook::new_sheet(book, "Summary")?;
    sheet.set_column_width(0, 30.0)?;
    sheet.set_column_width(1, 16.0)?;
    sheet.set_column_width(2, 10.0)?;
    sheet.set_column_width(3, 24.0)?;
    sheet.set_column_width(4, 50.0)?;
    workbook::text_with(&mut sheet, 0, 0, heading, &f.heading)?;
    let audited = if identity.audited.is_empty() {
        ".".to_string()
    } else {
        identity.audited.join(", ")
    };
    let versions: Vec<String> = report
        .policies
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    let mut facts: Vec<(&str, Option<String>)> = Vec::new();
    if let Some(organisation) = &identity.organisation {
        facts.push(("Organisation", Some(organisation.clone())));
    }
    facts.push(("As of", None));
    facts.push(("Audited", Some(audited)));
    facts.push((
        "Configuration",
        Some(
            identity
                .config
                .clone()
                .unwrap_or_else(|| "none (built-in defaults)".to_string()),
        ),
    ));
    facts.push(("Policies", Some(versions.join(", "))));
    facts.push((
        "blcheck version",
        Some(env!("CARGO_PKG_VERSION").to_string()),
    ));
    if let Some(at) = identity.generated() {
        facts.push(("Generated at (UTC)", Some(at)));
    }
    if report.incomplete {
        facts.push((
            "Incomplete",
            Some(
                "the run stopped at one of its limits (DOC015): not every file was audited"
                    .to_string(),
            ),
        ));
    }
    let mut row = 2;
    for (label, value) in facts {
        workbook::text_with(&mut sheet, row, 0, label, &f.header)?;
        match value {
            Some(value) => workbook::text(&mut sheet, row, 1, &value)?,
            // The as-of date, as a date.
            None => workbook::date(&mut sheet, row, 1, report.as_of, f)?,
        }
        row += 1;
    }
    row += 1;
    let s = &report.summary;
    let mut counts = vec![
        ("Documents audited", s.documents),
        ("Passed", s.passed),
        ("Failed", s.failed),
        ("Errors", s.errors),
        ("Warnings", s.warnings),
        ("Waived", s.waived),
        ("Files without a blcheck document", s.skipped_files),
    ];
    if s.excluded_files > 0 {
        counts.push(("Files excluded", s.excluded_files));
    }
    for (label, n) in counts {
        workbook::text_with(&mut sheet, row, 0, label, &f.header)?;
        workbook::number(&mut sheet, row, 1, n as f64)?;
        row += 1;
    }
    row += 1;
    workbook::text_with(
        &mut sheet,
        row,
        0,
        "Compliance by policy and rule",
        &f.heading,
    )?;
    row += 1;
    let columns = [
        "Policy",
        "Version",
        "Rule",
        "Name",
        "Title",
        "In scope",
        "Passed",
        "Failed",
        "Waived",
        "Compliance",
        "Status",
    ];
    for (col, name) in columns.iter().enumerate() {
        workbook::text_with(&mut sheet, row, col as u16, name, &f.header)?;
    }
    let first = row;
    row += 1;
    let rag_formats = RagFormats::new();
    for policy in compliance(report, view.policies) {
        let mut line = |sheet: &mut Worksheet,
                        rule: Option<(&str, &str, &str)>,
                        tally: &super::compliance::Tally|
         -> Result<()> {
            workbook::text(sheet, row, 0, policy.id)?;
            workbook::text(sheet, row, 1, policy.version)?;
            let (id, name, title) = rule.unwrap_or(("(all rules)", "", policy.title));
            workbook::text(sheet, row, 2, id)?;
            workbook::text(sheet, row, 3, name)?;
            workbook::text(sheet, row, 4, title)?;
            for (col, n) in [tally.in_scope, tally.passed, tally.failed, tally.waived]
                .into_iter()
                .enumerate()
            {
                workbook::number(sheet, row, 5 + col as u16, n as f64)?;
            }
            match tally.rate() {
                Some(_) => {
                    let share = tally.passed as f64 / tally.in_scope as f64;
                    sheet.write_number_with_format(row, 9, share, &f.percent)?;
                }
                None => workbook::text(sheet, row, 9, &shown_rate(None))?,
            }
            if let Some(rag) = tally.rag(view.identity.thresholds) {
                workbook::text_with(sheet, row, 10, rag.as_str(), rag_formats.of(rag))?;
            }
            row += 1;
            Ok(())
        };
        line(&mut sheet, None, &policy.tally)?;
        for rule in &policy.rules {
            if rule.tally.in_scope > 0 {
                line(
                    &mut sheet,
                    Some((rule.id, rule.name, rule.title)),
                    &rule.tally,
                )?;
            }
        }
    }
    sheet.autofilter(first, 0, row.saturating_sub(1).max(first + 1), 10)?;
    Ok(sheet)
}

/// Findings, one a row; past Excel's row limit, on "Findings 2" and so on.
fn findings(
    book: &mut Workbook,
    view: &ReportView<'_>,
    f: &Formats,
    marks: &MarkFormats,
) -> Result<Vec<Worksheet>> {
    let mut sheets = Vec::new();
    let mut sheet = findings_sheet(book, "Findings", f)?;
    let mut row = 1u32;
    for finding in &view.report.findings {
        if row == MAX_ROWS {
            workbook::filter(&mut sheet, row - 1, FINDINGS_HEADER.len())?;
            sheets.push(sheet);
            sheet = findings_sheet(book, &format!("Findings {}", sheets.len() + 1), f)?;
            row = 1;
        }
        finding_row(&mut sheet, row, finding, marks)?;
        evidence_cell(&mut sheet, row, finding, view)?;
        row += 1;
    }
    workbook::filter(&mut sheet, row - 1, FINDINGS_HEADER.len())?;
    sheets.push(sheet);
    Ok(sheets)
}

fn findings_sheet(book: &mut Workbook, name: &str, f: &Formats) -> Result<Worksheet> {
    let mut sheet = workbook::new_sheet(book, name)?;
    workbook::header(&mut sheet, &FINDINGS_HEADER, &FINDINGS_WIDTHS, f)?;
    Ok(sheet)
}

fn finding_row(sheet: &mut Worksheet, row: u32, f: &Finding, marks: &MarkFormats) -> Result<()> {
    workbook::text(sheet, row, 0, f.file())?;
    workbook::number(sheet, row, 1, f64::from(f.line))?;
    workbook::number(sheet, row, 2, f64::from(f.column))?;
    workbook::text(sheet, row, 3, f.document().as_deref().unwrap_or_default())?;
    workbook::text(sheet, row, 4, f.kind().as_deref().unwrap_or_default())?;
    workbook::text(sheet, row, 5, f.rule())?;
    workbook::text(sheet, row, 6, f.name())?;
    workbook::text(sheet, row, 7, f.policy().as_deref().unwrap_or_default())?;
    workbook::text(sheet, row, 8, f.severity.as_str())?;
    let mark = Mark::of(f.status, f.severity);
    workbook::text_with(sheet, row, 9, f.shown_status(), marks.of(mark))?;
    workbook::text(sheet, row, 10, f.path().unwrap_or_default())?;
    workbook::text(sheet, row, 11, &f.message)?;
    workbook::text(sheet, row, 12, f.clause().as_deref().unwrap_or_default())?;
    workbook::text(sheet, row, 13, f.help().as_deref().unwrap_or_default())?;
    Ok(())
}

/// The evidence behind a finding, as a hyperlink: the first followable
/// entry of the finding's section (`accessibility_review` for a finding at
/// `accessibility_review.date`), else of the course as a whole. Only
/// http(s) addresses and files found become links.
fn evidence_cell(
    sheet: &mut Worksheet,
    row: u32,
    f: &Finding,
    view: &ReportView<'_>,
) -> Result<()> {
    use crate::report::EvidenceLinkTarget;
    let documents = &view.report.documents;
    let Some(doc) = f.document_index.and_then(|d| documents.get(d as usize)) else {
        return Ok(());
    };
    let section = f
        .path()
        .map(|p| p.split(['.', '[']).next().unwrap_or_default());
    let followable = |e: &&crate::report::EvidenceEntry| e.link.is_some();
    let entry = doc
        .evidence()
        .iter()
        .filter(followable)
        .find(|e| e.section.as_deref() == section && section.is_some())
        .or_else(|| {
            doc.evidence()
                .iter()
                .filter(followable)
                .find(|e| e.section.is_none())
        });
    let Some(entry) = entry else {
        return Ok(());
    };
    // A file is linked by its path from the workbook's folder, as written:
    // rust_xlsxwriter percent-encodes it (one layer). A `#` would start a
    // cell anchor, and a `%` could be read as an encoding already made.
    let url = match entry.link.as_ref() {
        Some(EvidenceLinkTarget::Web(url)) => url.clone(),
        Some(EvidenceLinkTarget::File(path)) => match view.links.relative_path(path) {
            Some(relative) if !relative.contains(['#', '%']) => format!("file:///{relative}"),
            _ => return workbook::text(sheet, row, 14, &entry.target),
        },
        None => return workbook::text(sheet, row, 14, &entry.target),
    };
    match sheet.write_url_with_text(
        row,
        14,
        rust_xlsxwriter::Url::new(url),
        super::text::spreadsheet_text(&entry.target),
    ) {
        Ok(_) => Ok(()),
        // Past Excel's limits on links (length, count): the entry as text.
        Err(_) => workbook::text(sheet, row, 14, &entry.target),
    }
}

/// One matrix sheet per document kind: its documents × the rules that
/// apply to some document of that kind; none for a kind no rule applies to.
fn matrices(
    book: &mut Workbook,
    view: &ReportView<'_>,
    f: &Formats,
    marks: &MarkFormats,
) -> Result<Vec<Worksheet>> {
    let report = view.report;
    // Sets filled one by one: collected, each would first list every
    // document (or every result) of the run.
    let mut kinds: BTreeSet<&str> = BTreeSet::new();
    kinds.extend(report.documents.iter().map(|d| &*d.kind));
    let mut sheets = Vec::new();
    for kind in kinds {
        let mut applied: BTreeSet<&str> = BTreeSet::new();
        applied.extend(
            report
                .documents
                .iter()
                .filter(|d| &*d.kind == kind)
                .flat_map(|d| d.results().iter())
                .filter(|r| r.status != Status::Skip)
                .map(|r| &*r.rule),
        );
        let rules: Vec<&Rule> = view
            .policies
            .policies
            .iter()
            .flat_map(|p| p.rules.iter())
            .filter(|r| applied.contains(&*r.id))
            .collect();
        // No rule applies to this kind (a maturity assessment under the
        // course policies): a sheet of no rule columns says nothing.
        if rules.is_empty() {
            continue;
        }
        let name = format!("Matrix {}", sheet_name_part(kind));
        let mut sheet = workbook::new_sheet(book, &name)?;
        let mut names: Vec<&str> = vec!["Document", "Title", "File", "Result"];
        names.extend(rules.iter().map(|r| &*r.id));
        let mut widths = vec![20.0, 30.0, 36.0, 8.0];
        widths.extend(rules.iter().map(|_| 9.0));
        workbook::header(&mut sheet, &names, &widths, f)?;
        sheet.set_freeze_panes(1, 1)?;
        for (col, rule) in rules.iter().enumerate() {
            // The rule's title on the header, for a reader who hovers.
            let note = rust_xlsxwriter::Note::new(format!("{}: {}", rule.name, rule.title))
                .add_author_prefix(false);
            sheet.insert_note(0, 4 + col as u16, &note)?;
        }
        let mut row = 1u32;
        for (index, doc) in report.documents.iter().enumerate() {
            if &*doc.kind != kind {
                continue;
            }
            if row == MAX_ROWS {
                break;
            }
            workbook::text(&mut sheet, row, 0, doc.id.as_deref().unwrap_or("(no id)"))?;
            workbook::text(&mut sheet, row, 1, doc.title().unwrap_or_default())?;
            workbook::text(&mut sheet, row, 2, &doc.file)?;
            let result = if doc.status == Status::Fail {
                Mark::Fail
            } else {
                Mark::Pass
            };
            workbook::text_with(&mut sheet, row, 3, result.word(), marks.of(result))?;
            let found: Vec<&Finding> = report.findings_of(index).collect();
            for (col, rule) in rules.iter().enumerate() {
                let status = doc.results().iter().find(|r| r.rule == rule.id);
                let severity = found
                    .iter()
                    .find(|f| *f.rule() == rule.id)
                    .map_or(rule.severity, |f| f.severity);
                let mark = match status {
                    Some(r) => Mark::of(r.status, severity),
                    None => Mark::NotApplicable,
                };
                workbook::text_with(&mut sheet, row, 4 + col as u16, mark.word(), marks.of(mark))?;
            }
            row += 1;
        }
        workbook::filter(&mut sheet, row - 1, names.len())?;
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// A document kind as part of a sheet name: at most 31 characters in all,
/// none of `[]:*?/\`.
fn sheet_name_part(kind: &str) -> String {
    kind.chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\'' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(24)
        .collect()
}

/// The waiver register (`waiver_register`): every waiver with its status.
fn waivers(book: &mut Workbook, view: &ReportView<'_>, f: &Formats) -> Result<Worksheet> {
    let mut sheet = workbook::new_sheet(book, "Waivers")?;
    let names = [
        "File",
        "Line",
        "Document",
        "Kind",
        "Rule",
        "Reason",
        "Approved by",
        "Expires",
        "Days left",
        "Status",
        "Findings waived",
    ];
    workbook::header(
        &mut sheet,
        &names,
        &[36.0, 7.0, 20.0, 14.0, 9.0, 40.0, 24.0, 11.0, 9.0, 10.0, 9.0],
        f,
    )?;
    let mut row = 1;
    for r in register(view.report, view.catalogue) {
        let doc = r.document;
        workbook::text(&mut sheet, row, 0, &doc.file)?;
        workbook::number(&mut sheet, row, 1, f64::from(r.entry.line))?;
        workbook::text(&mut sheet, row, 2, doc.id.as_deref().unwrap_or("(no id)"))?;
        workbook::text(&mut sheet, row, 3, &doc.kind)?;
        workbook::text(&mut sheet, row, 4, &r.entry.rule)?;
        workbook::text(&mut sheet, row, 5, &r.entry.reason)?;
        workbook::text(&mut sheet, row, 6, &r.entry.approved_by)?;
        match r.entry.expires {
            Some(date) => workbook::date(&mut sheet, row, 7, date, f)?,
            None => workbook::text(&mut sheet, row, 7, &r.entry.expires_text)?,
        }
        if let Some(days) = r.days_left {
            workbook::number(&mut sheet, row, 8, days as f64)?;
        }
        workbook::text(&mut sheet, row, 9, r.state.as_str())?;
        workbook::number(&mut sheet, row, 10, r.waived as f64)?;
        row += 1;
    }
    workbook::filter(&mut sheet, row - 1, names.len())?;
    Ok(sheet)
}

fn policies(book: &mut Workbook, view: &ReportView<'_>, f: &Formats) -> Result<Worksheet> {
    let mut sheet = workbook::new_sheet(book, "Policies")?;
    let names = [
        "Policy", "Title", "Version", "Owner", "Issued", "Renewal", "Status",
    ];
    workbook::header(
        &mut sheet,
        &names,
        &[24.0, 40.0, 9.0, 24.0, 11.0, 11.0, 10.0],
        f,
    )?;
    let mut row = 1;
    for applied in &view.report.policies {
        let policy = view.policies.policies.iter().find(|p| *p.id == *applied.id);
        workbook::text(&mut sheet, row, 0, &applied.id)?;
        workbook::text(&mut sheet, row, 2, &applied.version)?;
        if let Some(policy) = policy {
            workbook::text(&mut sheet, row, 1, &policy.title)?;
            workbook::text(&mut sheet, row, 3, &policy.owner)?;
            workbook::date(&mut sheet, row, 4, policy.issued, f)?;
            workbook::date(&mut sheet, row, 5, policy.renewal, f)?;
        } else {
            workbook::text(&mut sheet, row, 5, &applied.renewal)?;
        }
        let status = if applied.overdue {
            "overdue"
        } else {
            "current"
        };
        workbook::text(&mut sheet, row, 6, status)?;
        row += 1;
    }
    workbook::filter(&mut sheet, row - 1, names.len())?;
    Ok(sheet)
}

/// Fills as the HTML report's: light, so the word stays readable.
struct MarkFormats {
    pass: Format,
    fail: Format,
    warning: Format,
    info: Format,
    waived: Format,
    not_applicable: Format,
}

impl MarkFormats {
    fn new() -> MarkFormats {
        let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
        MarkFormats {
            pass: fill(0xD9F2DD),
            fail: fill(0xF8D7DA),
            warning: fill(0xFFF0C2),
            info: fill(0xDCEBFA),
            waived: fill(0xE8E0F5),
            not_applicable: Format::new().set_font_color(Color::RGB(0x5F6368)),
        }
    }

    fn of(&self, mark: Mark) -> &Format {
        match mark.tone() {
            Tone::Good => &self.pass,
            Tone::Error => &self.fail,
            Tone::Warning => &self.warning,
            Tone::Info => &self.info,
            Tone::Accepted => &self.waived,
            Tone::Neutral => &self.not_applicable,
        }
    }
}

struct RagFormats {
    red: Format,
    amber: Format,
    green: Format,
}

impl RagFormats {
    fn new() -> RagFormats {
        let fill = |rgb: u32| {
            Format::new()
                .set_bold()
                .set_background_color(Color::RGB(rgb))
        };
        RagFormats {
            red: fill(0xF8D7DA),
            amber: fill(0xFFE0A3),
            green: fill(0xD9F2DD),
        }
    }

    fn of(&self, rag: Rag) -> &Format {
        match rag {
            Rag::Red => &self.red,
            Rag::Amber => &self.amber,
            Rag::Green => &self.green,
        }
    }
}
