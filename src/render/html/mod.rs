//! `--format html`: one self-contained page for people who do not read a
//! terminal: the as-of date, the policies applied, a summary, a compliance
//! matrix of documents × rules, the findings grouped by document, and the
//! rules with their clauses.
//!
//! Built with maud, which escapes every value it interpolates; the only
//! unescaped text is the page's own stylesheet and script, compiled in.
//! No external asset, no wall-clock date: the same inputs give the same
//! bytes, and the file works offline or as an e-mail attachment. A
//! Content-Security-Policy allows only that stylesheet and script (by
//! hash), so even markup that slipped through could not run.

use super::text::html_text;
use super::ReportView;
use crate::policy::{Policy, PolicySet, Rule};
use crate::report::{DocumentOutcome, Finding, Report, Severity, Status};
use anyhow::Result;
use base64::Engine as _;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Writes the page a part at a time: the frame (everything but the matrix
/// rows and the findings, with a slot for each), then each row and each
/// document's findings as they are made, so that the page of a large run
/// is never held whole. The bytes are those of the page made at once.
pub fn render(output: &ReportView<'_>, out: &mut dyn Write) -> Result<()> {
    let mut page = Page::new(output);
    page.slots = true;
    let frame = page.markup().into_string();
    let mut rest = frame.as_str();
    for (slot, fill) in [(ROWS_SLOT, Part::Rows), (GROUPS_SLOT, Part::Groups)] {
        // The matrix has no rows to fill in a run without documents.
        let Some((before, after)) = rest.split_once(slot) else {
            continue;
        };
        out.write_all(before.as_bytes())?;
        match fill {
            Part::Rows => {
                for (index, doc) in page.report.documents.iter().enumerate() {
                    out.write_all(page.matrix_row(index, doc).into_string().as_bytes())?;
                    out.write_all(b"\n")?;
                }
            }
            Part::Groups => {
                for group in &page.groups {
                    out.write_all(page.group(group).into_string().as_bytes())?;
                    out.write_all(b"\n")?;
                }
            }
        }
        rest = after;
    }
    out.write_all(rest.as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Where the frame of the page leaves room for the matrix rows and for the
/// findings. Each holds a NUL, which no text of a page can: every value is
/// shown with control characters escaped (`shown`).
const ROWS_SLOT: &str = "\u{0}rows\u{0}";
const GROUPS_SLOT: &str = "\u{0}groups\u{0}";

#[derive(Clone, Copy)]
enum Part {
    Rows,
    Groups,
}

/// What one cell of the matrix (or one finding) shows. Colour is never the
/// only signal: each has a symbol and a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Pass,
    Fail,
    Warning,
    Info,
    Waived,
    NotApplicable,
}

impl Mark {
    fn of(status: Status, severity: Severity) -> Mark {
        match (status, severity) {
            (Status::Pass, _) => Mark::Pass,
            (Status::Fail, Severity::Error) => Mark::Fail,
            (Status::Fail, Severity::Warning) => Mark::Warning,
            (Status::Fail, Severity::Info) => Mark::Info,
            (Status::Waived, _) => Mark::Waived,
            (Status::Skip, _) => Mark::NotApplicable,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Mark::Pass => "✓",
            Mark::Fail => "✗",
            Mark::Warning => "!",
            Mark::Info => "i",
            Mark::Waived => "~",
            Mark::NotApplicable => "–",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Mark::Pass => "pass",
            Mark::Fail => "fail",
            Mark::Warning => "warning",
            Mark::Info => "info",
            Mark::Waived => "waived",
            Mark::NotApplicable => "n/a",
        }
    }

    /// What the mark means, for the key to the matrix.
    fn legend(self) -> &'static str {
        match self {
            Mark::Pass => "the rule passes",
            Mark::Fail => "an error: the rule fails",
            Mark::Warning => "a warning: the rule fails",
            Mark::Info => "for information",
            Mark::Waived => "the rule fails under an approved waiver",
            Mark::NotApplicable => "the rule does not apply to the document",
        }
    }

    /// The words for a tooltip.
    fn meaning(self) -> &'static str {
        match self {
            Mark::Pass => "pass",
            Mark::Fail => "fail (error)",
            Mark::Warning => "fail (warning)",
            Mark::Info => "information",
            Mark::Waived => "waived",
            Mark::NotApplicable => "not applicable",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Mark::Pass => "m-pass",
            Mark::Fail => "m-fail",
            Mark::Warning => "m-warning",
            Mark::Info => "m-info",
            Mark::Waived => "m-waived",
            Mark::NotApplicable => "m-na",
        }
    }

    /// The token the status filter matches, for marks that flag a document.
    fn flag(self) -> Option<&'static str> {
        match self {
            Mark::Fail => Some("error"),
            Mark::Warning => Some("warning"),
            Mark::Waived => Some("waived"),
            _ => None,
        }
    }
}

/// A symbol and a word, the symbol hidden from screen readers.
fn badge(mark: Mark) -> Markup {
    html! {
        span.badge.(mark.class()) {
            span.sym aria-hidden="true" { (mark.symbol()) }
            " "
            span.word { (mark.word()) }
        }
    }
}

/// One column of the matrix: a policy rule that has a result on some
/// document of the run.
struct Column<'a> {
    policy: &'a Policy,
    rule: &'a Rule,
    anchor: String,
}

/// The findings about one document, or about one file or policy that is
/// not an audited document (a YAML error, an overdue policy).
struct Group<'a> {
    document: Option<&'a DocumentOutcome>,
    file: &'a str,
    label: Option<&'a str>,
    findings: Vec<&'a Finding>,
    anchor: String,
}

impl Group<'_> {
    fn status(&self) -> &'static str {
        match self.document {
            Some(d) => d.status.as_str(),
            None if self.findings.iter().any(|f| f.fails()) => "fail",
            None => "pass",
        }
    }

    fn flags(&self) -> String {
        let flags: BTreeSet<&str> = self
            .findings
            .iter()
            .filter_map(|f| Mark::of(f.status, f.severity).flag())
            .collect();
        flags.into_iter().collect::<Vec<_>>().join(" ")
    }
}

struct Page<'a> {
    report: &'a Report,
    config: Option<&'a crate::report::AppliedConfig>,
    policies: &'a PolicySet,
    maturity: &'a [super::maturity_chart::MaturityPanel],
    columns: Vec<Column<'a>>,
    groups: Vec<Group<'a>>,
    /// The group of each document's findings, if it has any.
    group_of_document: Vec<Option<usize>>,
    /// Whether the matrix rows and the findings are left as slots, for
    /// `render` to fill.
    slots: bool,
}

impl<'a> Page<'a> {
    fn new(output: &ReportView<'a>) -> Page<'a> {
        let report = output.report;
        let used: BTreeSet<&str> = report
            .documents
            .iter()
            .flat_map(|d| d.results.iter().map(|r| &*r.rule))
            .collect();
        let mut columns = Vec::new();
        for policy in &output.policies.policies {
            for rule in &policy.rules {
                if used.contains(&*rule.id) {
                    columns.push(Column {
                        policy,
                        rule,
                        anchor: format!("rule-{}", columns.len() + 1),
                    });
                }
            }
        }
        let mut groups: Vec<Group<'a>> = Vec::new();
        let mut group_of_document = vec![None; report.documents.len()];
        for (index, doc) in report.documents.iter().enumerate() {
            let findings: Vec<&Finding> = report.findings_of(index).collect();
            if !findings.is_empty() {
                group_of_document[index] = Some(groups.len());
                groups.push(Group {
                    document: Some(doc),
                    file: &doc.file,
                    label: doc.id.as_deref(),
                    findings,
                    anchor: String::new(),
                });
            }
        }
        // A file's or a policy's findings, grouped by file and label in
        // the order they first appear.
        let mut other: BTreeMap<(&str, Option<&str>), usize> = BTreeMap::new();
        for f in report.findings_of_no_document() {
            let key = (&*f.file, f.document.as_deref());
            match other.get(&key) {
                Some(&at) => groups[at].findings.push(f),
                None => {
                    other.insert(key, groups.len());
                    groups.push(Group {
                        document: None,
                        file: &f.file,
                        label: f.document.as_deref(),
                        findings: vec![f],
                        anchor: String::new(),
                    });
                }
            }
        }
        for (i, group) in groups.iter_mut().enumerate() {
            group.anchor = format!("findings-{}", i + 1);
        }
        Page {
            report,
            config: output.config,
            policies: output.policies,
            maturity: output.maturity,
            columns,
            groups,
            group_of_document,
            slots: false,
        }
    }

    fn verdict(&self) -> (Mark, String) {
        let s = &self.report.summary;
        if s.failed == 0 {
            let all = if s.documents == 1 {
                "The document passes".to_string()
            } else {
                format!("All {} documents pass", s.documents)
            };
            (Mark::Pass, all)
        } else {
            (
                Mark::Fail,
                format!(
                    "{} of {} document{} fail{}",
                    s.failed,
                    s.documents,
                    plural(s.documents),
                    if s.failed == 1 { "s" } else { "" }
                ),
            )
        }
    }

    fn markup(&self) -> Markup {
        let as_of = self.report.as_of.to_string();
        let (mark, verdict) = self.verdict();
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    "\n" meta charset="utf-8";
                    meta http-equiv="Content-Security-Policy" content=(csp());
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="generator" content=(concat!("blcheck ", env!("CARGO_PKG_VERSION")));
                    title { "blcheck audit as of " (as_of) ": " (verdict) }
                    style { (PreEscaped(STYLE)) }
                }
                "\n"
                body {
                    a.skip href="#matrix" { "Skip to the compliance matrix" }
                    header {
                        h1 { "Policy compliance report" }
                        p.asof {
                            "As of " strong { time datetime=(as_of) { (as_of) } }
                            ". Every date rule was judged on that day. The report carries no other date: "
                            "the day blcheck ran is not recorded, so the same documents and as-of date always give the same file."
                        }
                        p.verdict.(mark.class()) {
                            span aria-hidden="true" { (mark.symbol()) " " }
                            (verdict) "."
                        }
                    }
                    "\n"
                    main {
                        (self.summary()) "\n"
                        @for panel in self.maturity {
                            (super::maturity_chart::section(panel)) "\n"
                        }
                        (self.policies_table()) "\n"
                        (self.filters()) "\n"
                        (self.matrix()) "\n"
                        (self.findings()) "\n"
                        (self.rules()) "\n"
                        (self.traceability()) "\n"
                    }
                    "\n"
                    footer {
                        @if let Some(config) = self.config {
                            section.settings aria-label="Settings applied" {
                                h2 { "Settings applied" }
                                ul {
                                    @for line in super::config::lines(config) {
                                        li { (line) }
                                    }
                                }
                            }
                        }
                        p {
                            "Made by blcheck " (env!("CARGO_PKG_VERSION"))
                            " as of " (as_of) ". Self-contained: no part of this page is fetched from elsewhere."
                        }
                    }
                    "\n"
                    script { (PreEscaped(SCRIPT)) }
                }
            }
        }
    }

    fn summary(&self) -> Markup {
        let s = &self.report.summary;
        let mut items: Vec<(&str, usize, Option<Mark>)> = vec![
            ("Documents audited", s.documents, None),
            ("Passed", s.passed, Some(Mark::Pass)),
            ("Failed", s.failed, Some(Mark::Fail)),
            ("Errors", s.errors, Some(Mark::Fail)),
            ("Warnings", s.warnings, Some(Mark::Warning)),
            ("Waived", s.waived, Some(Mark::Waived)),
            ("Files without a blcheck document", s.skipped_files, None),
        ];
        // Only a run with excludes says how many files they left out.
        if s.excluded_files > 0 {
            items.push(("Files excluded", s.excluded_files, None));
        }
        html! {
            section aria-labelledby="summary-h" {
                h2 #summary-h { "Summary" }
                dl.summary {
                    @for (label, n, mark) in items {
                        div class=[mark.filter(|_| n > 0).map(Mark::class)] {
                            dt { (label) }
                            dd { (n) }
                        }
                    }
                }
                @if !s.cohorts.is_empty() {
                    table.plain {
                        caption { "Learner plans by course" }
                        thead {
                            tr {
                                th scope="col" { "Course" }
                                th scope="col" { "Plans" }
                                th scope="col" { "Passing" }
                                th scope="col" { "Failing" }
                                th scope="col" { "Copies of another plan (ILP009)" }
                            }
                        }
                        tbody {
                            @for c in &s.cohorts {
                                tr {
                                    th scope="row" { (shown(&c.course)) }
                                    td.num { (c.plans) }
                                    td.num { (c.passed) }
                                    td.num { (c.failed) }
                                    td.num { (c.clones) }
                                }
                                "\n"
                            }
                        }
                    }
                }
            }
        }
    }

    fn policies_table(&self) -> Markup {
        html! {
            section aria-labelledby="policies-h" {
                h2 #policies-h { "Policies applied" }
                @if self.report.policies.is_empty() {
                    p { "No policy applied to any document of this run." }
                } @else {
                    table.plain {
                        caption { "Each policy with its version and renewal date; an overdue policy may no longer reflect current requirements." }
                        thead {
                            tr {
                                th scope="col" { "Policy" }
                                th scope="col" { "Title" }
                                th scope="col" { "Version" }
                                th scope="col" { "Owner" }
                                th scope="col" { "Renewal" }
                                th scope="col" { "Renewal status" }
                            }
                        }
                        tbody {
                            @for p in &self.report.policies {
                                @let policy = self.policies.get(&p.id);
                                tr {
                                    th scope="row" { (shown(&p.id)) }
                                    td { (shown(policy.map(|x| x.title.as_str()).unwrap_or(""))) }
                                    td { (shown(&p.version)) }
                                    td { (shown(policy.map(|x| x.owner.as_str()).unwrap_or(""))) }
                                    td { time datetime=(p.renewal) { (p.renewal) } }
                                    td {
                                        @if p.overdue {
                                            span.badge.m-warning {
                                                span.sym aria-hidden="true" { "!" }
                                                " "
                                                span.word { "overdue" }
                                            }
                                        } @else {
                                            span.badge.m-pass {
                                                span.sym aria-hidden="true" { "✓" }
                                                " "
                                                span.word { "current" }
                                            }
                                        }
                                    }
                                }
                                "\n"
                            }
                        }
                    }
                }
            }
        }
    }

    /// The filter controls: hidden until the script shows them, since
    /// without it they would do nothing (and everything is shown).
    fn filters(&self) -> Markup {
        let ids: BTreeSet<&str> = self.columns.iter().map(|c| &*c.policy.id).collect();
        html! {
            div #filters .filters role="search" aria-label="Filter the matrix and findings" hidden {
                div {
                    label for="f-status" { "Status" }
                    select #f-status {
                        option value="" { "All documents" }
                        option value="status:fail" { "Failing documents" }
                        option value="status:pass" { "Passing documents" }
                        option value="flag:error" { "With errors" }
                        option value="flag:warning" { "With warnings" }
                        option value="flag:waived" { "With waivers" }
                    }
                }
                div {
                    label for="f-policy" { "Policy" }
                    select #f-policy {
                        option value="" { "All policies" }
                        @for id in &ids {
                            option value=(id) { (shown(id)) }
                        }
                    }
                }
                div {
                    label for="f-search" { "Search" }
                    input #f-search type="search" placeholder="document, file or message";
                }
                p #f-count role="status" aria-live="polite" {}
            }
        }
    }

    fn matrix(&self) -> Markup {
        let report = self.report;
        let mut spans: Vec<(&Policy, usize)> = Vec::new();
        for c in &self.columns {
            match spans.last_mut() {
                Some((p, n)) if p.id == c.policy.id => *n += 1,
                _ => spans.push((c.policy, 1)),
            }
        }
        html! {
            section aria-labelledby="matrix-h" {
                h2 #matrix-h { "Compliance matrix" }
                (legend(self.has_info()))
                @if report.documents.is_empty() {
                    p { "No document was audited." }
                } @else {
                    div.scroll role="region" aria-labelledby="matrix-caption" tabindex="0" {
                        table #matrix .matrix {
                            caption #matrix-caption {
                                (report.documents.len()) " document" (plural(report.documents.len()))
                                " × " (self.columns.len()) " rule" (plural(self.columns.len()))
                                ". Hover over a cell or rule for the clause it enforces."
                            }
                            colgroup span="2" {}
                            @for (_, n) in &spans {
                                colgroup span=(n) {}
                            }
                            "\n"
                            thead {
                                tr {
                                    th scope="col" rowspan="2" { "Document" }
                                    th scope="col" rowspan="2" { "Result" }
                                    @for (policy, n) in &spans {
                                        th.policy scope="colgroup" colspan=(n) data-policy=(policy.id) {
                                            (shown(&policy.id)) " " (shown(&policy.version))
                                        }
                                    }
                                }
                                tr {
                                    @for c in &self.columns {
                                        th.rule scope="col" data-rule=(c.rule.id) data-policy=(c.policy.id)
                                            title=(rule_tooltip(c.rule)) {
                                            a href={ "#" (c.anchor) } { span { (shown(&c.rule.id)) } }
                                        }
                                        "\n"
                                    }
                                }
                            }
                            tbody {
                                @if self.slots {
                                    (PreEscaped(ROWS_SLOT))
                                } @else {
                                    @for (index, doc) in report.documents.iter().enumerate() {
                                        (self.matrix_row(index, doc))
                                        "\n"
                                    }
                                }
                            }
                        }
                    }
                }
                p #f-none hidden { "No document matches the filters." }
            }
        }
    }

    /// Whether a rule of severity info fails somewhere in the matrix.
    fn has_info(&self) -> bool {
        self.groups.iter().flat_map(|g| &g.findings).any(|f| {
            Mark::of(f.status, f.severity) == Mark::Info
                && self.columns.iter().any(|c| c.rule.id == f.rule)
        })
    }

    fn matrix_row(&self, index: usize, doc: &DocumentOutcome) -> Markup {
        let group = self
            .group_of_document
            .get(index)
            .copied()
            .flatten()
            .map(|g| &self.groups[g]);
        let cells: Vec<(&Column, Mark, Option<&Finding>)> = self
            .columns
            .iter()
            .map(|c| {
                let result = doc.results.iter().find(|r| r.rule == c.rule.id);
                let finding = group.and_then(|g| {
                    g.findings
                        .iter()
                        .copied()
                        .find(|f| f.rule == c.rule.id && f.status != Status::Pass)
                });
                let mark = match (result, finding) {
                    (Some(r), Some(f)) if r.status == f.status => Mark::of(f.status, f.severity),
                    (Some(r), _) => Mark::of(r.status, c.rule.severity),
                    (None, _) => Mark::NotApplicable,
                };
                (c, mark, finding)
            })
            .collect();
        let applied: BTreeSet<&str> = cells
            .iter()
            .filter(|(_, mark, _)| *mark != Mark::NotApplicable)
            .map(|(c, _, _)| &*c.policy.id)
            .collect();
        let flags = group.map(Group::flags).unwrap_or_default();
        let result = if doc.status == Status::Fail {
            Mark::Fail
        } else {
            Mark::Pass
        };
        html! {
            tr data-status=(doc.status.as_str()) data-flags=(flags)
                data-policies=(applied.into_iter().collect::<Vec<_>>().join(" ")) {
                th scope="row" {
                    @match group {
                        Some(g) => a.doc href={ "#" (g.anchor) } { (shown(doc_label(doc))) },
                        None => span.doc { (shown(doc_label(doc))) },
                    }
                    @if let Some(title) = &doc.title {
                        span.title { (shown(title)) }
                    }
                    span.where { (shown(&doc.kind)) " · " (shown(&doc.file)) }
                }
                td.(result.class()) title=(result_tooltip(doc, group)) { (badge(result)) }
                @for (c, mark, finding) in &cells {
                    td.cell.(mark.class()) data-policy=(c.policy.id)
                        title=(cell_tooltip(c.rule, *mark, *finding)) {
                        span.sym aria-hidden="true" { (mark.symbol()) }
                        " "
                        span.word { (mark.word()) }
                    }
                }
            }
        }
    }

    fn findings(&self) -> Markup {
        html! {
            section aria-labelledby="findings-h" {
                h2 #findings-h { "Findings by document" }
                @if self.groups.is_empty() {
                    p { "No findings." }
                }
                @if self.slots {
                    (PreEscaped(GROUPS_SLOT))
                } @else {
                    @for g in &self.groups {
                        (self.group(g))
                        "\n"
                    }
                }
                p #f-none-findings hidden { "No finding matches the filters." }
            }
        }
    }

    /// One document's (or file's, or policy's) findings.
    fn group(&self, g: &Group<'_>) -> Markup {
        html! {
                    @let policies: BTreeSet<&str> = g.findings.iter().filter_map(|f| f.policy.as_deref()).collect();
                    section.group #(g.anchor) data-status=(g.status()) data-flags=(g.flags())
                        data-policies=(policies.into_iter().collect::<Vec<_>>().join(" ")) {
                        h3 {
                            @match (g.document, g.label) {
                                (Some(d), _) => {
                                    (shown(doc_label(d)))
                                    @if let Some(title) = &d.title {
                                        " " span.title { "— " (shown(title)) }
                                    }
                                },
                                (None, Some(label)) => (shown(label)),
                                (None, None) => (shown(g.file)),
                            }
                            " "
                            span.where {
                                @if let Some(d) = g.document { (shown(&d.kind)) " · " }
                                (shown(g.file))
                            }
                        }
        "\n"
                        ul.findings {
                            @for f in &g.findings {
                                (finding_item(f))
                                "\n"
                            }
                        }
                    }
        }
    }

    /// The commitments of the policies whose rules are in the matrix.
    fn traceability(&self) -> Markup {
        let mut applied: Vec<String> = self
            .columns
            .iter()
            .map(|c| c.policy.id.to_string())
            .collect();
        applied.dedup();
        if applied.is_empty() {
            return html! {};
        }
        super::trace_html::section(self.policies, &applied, |id| {
            self.columns
                .iter()
                .find(|c| &*c.rule.id == id)
                .map(|c| c.anchor.as_str())
        })
    }

    fn rules(&self) -> Markup {
        html! {
            section aria-labelledby="rules-h" {
                h2 #rules-h { "Rules in the matrix" }
                @if self.columns.is_empty() {
                    p { "No policy rule applied in this run." }
                } @else {
                    table.plain.rules {
                        caption { "Each rule's policy, severity and the clause it enforces, quoted from the policy." }
                        thead {
                            tr {
                                th scope="col" { "Rule" }
                                th scope="col" { "Policy" }
                                th scope="col" { "Severity" }
                                th scope="col" { "Title and clause" }
                            }
                        }
                        tbody {
                            @for c in &self.columns {
                                tr #(c.anchor) data-policy=(c.policy.id) {
                                    th scope="row" { (shown(&c.rule.id)) br; span.where { (shown(&c.rule.name)) } }
                                    td { (shown(&c.policy.id)) " " (shown(&c.policy.version)) }
                                    td { (c.rule.severity.as_str()) }
                                    td {
                                        strong { (shown(&c.rule.title)) }
                                        blockquote { (shown(&c.rule.clause)) }
                                    }
                                }
                                "\n"
                            }
                        }
                    }
                }
            }
        }
    }
}

fn finding_item(f: &Finding) -> Markup {
    let mark = Mark::of(f.status, f.severity);
    html! {
        li.finding.(mark.class()) data-policy=(f.policy.as_deref().unwrap_or("")) {
            p.head {
                (badge(mark))
                " "
                strong title=[f.clause.as_deref().map(shown)] { (shown(&f.rule)) }
                " " (shown(&f.name))
                " · " (f.severity.as_str())
                " · " code { (shown(&f.file)) ":" (f.line) ":" (f.column) }
                @if let Some(path) = &f.path {
                    " · " code { (shown(path)) }
                }
            }
            p.message { (shown(&f.message)) }
            @if let Some(help) = &f.help {
                p.help { strong { "How to fix: " } (with_code(help)) }
            }
        }
    }
}

fn legend(info: bool) -> Markup {
    let mut marks = vec![Mark::Pass, Mark::Fail, Mark::Warning];
    if info {
        marks.push(Mark::Info);
    }
    marks.extend([Mark::Waived, Mark::NotApplicable]);
    html! {
        ul.legend aria-label="Key to the matrix" {
            @for mark in marks {
                li { (badge(mark)) " " (mark.legend()) }
            }
        }
    }
}

/// The document's result in words: its findings counted by kind.
fn result_tooltip(doc: &DocumentOutcome, group: Option<&Group<'_>>) -> String {
    let findings = group.map(|g| g.findings.as_slice()).unwrap_or_default();
    let counts: Vec<String> = [Mark::Fail, Mark::Warning, Mark::Waived, Mark::Info]
        .into_iter()
        .filter_map(|mark| {
            let n = findings
                .iter()
                .filter(|f| Mark::of(f.status, f.severity) == mark)
                .count();
            (n > 0).then(|| format!("{n} {}", mark.meaning()))
        })
        .collect();
    if counts.is_empty() {
        format!("{}: no findings", doc.status)
    } else {
        format!("{}: {}", doc.status, counts.join(", "))
    }
}

fn rule_tooltip(rule: &Rule) -> String {
    shown(&format!(
        "{} {}: {}\nClause: {}",
        rule.id, rule.name, rule.title, rule.clause
    ))
}

fn cell_tooltip(rule: &Rule, mark: Mark, finding: Option<&Finding>) -> String {
    let mut text = format!("{} {}: {}", rule.id, rule.name, mark.meaning());
    if let Some(f) = finding {
        text.push_str(&format!("\n{}", f.message));
    }
    text.push_str(&format!("\nClause: {}", rule.clause));
    shown(&text)
}

/// Text with `code` spans, as help texts write them: the text between
/// backticks is shown as code. Every part is escaped by the template.
fn with_code(text: &str) -> Markup {
    let text = shown(text);
    if text.matches('`').count() % 2 == 1 {
        return html! { (text) };
    }
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

fn doc_label(doc: &DocumentOutcome) -> &str {
    doc.id.as_deref().unwrap_or("(no id)")
}

/// A value from a document as the page shows it: control characters made
/// visible. HTML escaping is maud's, on interpolation.
fn shown(text: &str) -> String {
    html_text(text)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The page may run its own script and style only, named by their hashes.
fn csp() -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; base-uri 'none'; form-action 'none'",
        hash(STYLE),
        hash(SCRIPT)
    )
}

fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mark_has_a_symbol_and_a_word() {
        for mark in [
            Mark::Pass,
            Mark::Fail,
            Mark::Warning,
            Mark::Info,
            Mark::Waived,
            Mark::NotApplicable,
        ] {
            assert!(!mark.symbol().is_empty() && !mark.word().is_empty());
        }
    }

    #[test]
    fn values_are_escaped_by_the_template() {
        let value = shown("<script>alert(1)</script>\u{1b}");
        let page = html! { p title=(value) { (value) } }.into_string();
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&lt;script&gt;"), "{page}");
        assert!(page.contains("\\u{1b}"), "{page}");
    }

    #[test]
    fn the_hash_is_of_the_text_as_written() {
        // `printf %s abc | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            hash("abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }
}
