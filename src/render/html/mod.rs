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

use super::compliance::{compliance, shown_rate};
use super::grouping::{GroupKey, Grouping};
use super::identity::ReportIdentity;
use super::mark::{Mark, Tone};
use super::text::{css_string, html_text};
use super::waiver_register::{expiring_within, register, WaiverState};
use super::ReportView;
use crate::policy::{Catalogue, Policy, PolicySet, Rule};
use crate::report::{DocumentOutcome, Finding, Report, Status};
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
    let mut slots: Vec<(String, Part)> = vec![(ACTIONS_SLOT.to_string(), Part::Actions)];
    slots.extend((0..page.matrices.len()).map(|k| (rows_slot(k), Part::Rows(k))));
    slots.push((GROUPS_SLOT.to_string(), Part::Groups));
    for (slot, fill) in slots {
        // The matrix has no rows to fill in a run without documents.
        let Some((before, after)) = rest.split_once(&slot) else {
            continue;
        };
        out.write_all(before.as_bytes())?;
        match fill {
            Part::Rows(k) => {
                for &index in &page.matrices[k].rows {
                    let doc = &page.report.documents[index];
                    out.write_all(page.matrix_row(k, index, doc).into_string().as_bytes())?;
                    out.write_all(b"\n")?;
                }
            }
            Part::Actions => {
                for (n, (key, findings)) in page.actions().into_iter().enumerate() {
                    // A row at a time: one owner may have every finding.
                    let group = page.actions_group(n, &key, &findings, true).into_string();
                    let (head, tail) = group.split_once(ROWS_SLOT).unwrap_or((&group, ""));
                    out.write_all(head.as_bytes())?;
                    for f in &findings {
                        out.write_all(page.action_row(f).into_string().as_bytes())?;
                        out.write_all(b"\n")?;
                    }
                    out.write_all(tail.as_bytes())?;
                    out.write_all(b"\n")?;
                }
            }
            Part::Groups => {
                for at in 0..page.order.len() {
                    if let Some(group) = page.group_at(at) {
                        out.write_all(page.group(&group).into_string().as_bytes())?;
                        out.write_all(b"\n")?;
                    }
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
fn rows_slot(matrix: usize) -> String {
    format!("\u{0}rows{matrix}\u{0}")
}
const GROUPS_SLOT: &str = "\u{0}groups\u{0}";
/// Where an "actions by owner" group's rows go, written one at a time.
const ROWS_SLOT: &str = "\u{0}rows\u{0}";
const ACTIONS_SLOT: &str = "\u{0}actions\u{0}";

#[derive(Clone, Copy)]
enum Part {
    /// The rows of one matrix (one document kind).
    Rows(usize),
    Groups,
    /// The findings to act on, group by group (`--group-by`).
    Actions,
}

/// One matrix: the documents of one kind × the rules that apply to some
/// document of that kind, so that a course's row is not mostly "n/a" for
/// the learner-plan rules.
struct Matrix {
    kind: String,
    /// Indices into `Page::columns`.
    columns: Vec<usize>,
    documents: usize,
    /// The documents' indices, in the order of the rows.
    rows: Vec<usize>,
    anchor: String,
}

/// The stylesheet's class of a mark (its colour), and the token the
/// status filter matches.
trait MarkOnPage {
    fn class(self) -> &'static str;
    fn flag(self) -> Option<&'static str>;
}

impl MarkOnPage for Mark {
    fn class(self) -> &'static str {
        match self.tone() {
            Tone::Good => "m-pass",
            Tone::Error => "m-fail",
            Tone::Warning => "m-warning",
            Tone::Info => "m-info",
            Tone::Accepted => "m-waived",
            Tone::Neutral => "m-na",
        }
    }

    /// The token the status filter matches, for marks that flag a document.
    fn flag(self) -> Option<&'static str> {
        match self {
            Mark::Fail => Some("error"),
            Mark::Warning => Some("warning"),
            Mark::Waived => Some("waived"),
            Mark::Baselined => Some("baselined"),
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
/// One section of "Findings by document". A page has one for each
/// document with findings (100,000 at 100,000 failing files), so those are
/// made as they are written ([`Page::group_at`]); the page keeps only
/// their order.
struct Group<'a> {
    document: Option<&'a DocumentOutcome>,
    /// Its place on the page, from 1.
    number: u32,
    file: &'a str,
    label: Option<&'a str>,
    findings: Box<[&'a Finding]>,
}

/// A group in page order: a document's (by its index in the report) or
/// one of the groups of findings about no document.
#[derive(Debug, Clone, Copy)]
enum PageGroup {
    Document(u32),
    Other(u32),
}

/// The anchor of the group at `number` (from 1) on the page.
fn group_anchor(number: usize) -> String {
    format!("findings-{number}")
}

impl Group<'_> {
    fn anchor(&self) -> String {
        group_anchor(self.number as usize)
    }

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
    catalogue: &'a Catalogue,
    identity: &'a ReportIdentity,
    columns: Vec<Column<'a>>,
    matrices: Vec<Matrix>,
    /// The kinds of document no rule applies to, with their number of
    /// documents: they have no matrix.
    kinds_without_rules: Vec<(String, usize)>,
    /// `--group-by`: the findings, the matrix rows and the actions by it.
    grouping: Option<Grouping<'a>>,
    /// The groups in page order.
    order: Vec<PageGroup>,
    /// The groups of findings about no document (a file, a policy).
    other_groups: Vec<Group<'a>>,
    /// The place in `order` of each document's group, if it has findings.
    group_of_document: Vec<Option<u32>>,
    /// Whether the matrix rows and the findings are left as slots, for
    /// `render` to fill.
    slots: bool,
    /// The runs of `--history`, this one last, for the trend chart.
    history: Option<&'a [crate::history::Record]>,
    /// Where the links to local evidence start from.
    links: super::evidence_links::LinkBase,
}

impl<'a> Page<'a> {
    /// The group at `at` in page order, made for writing.
    fn group_at(&self, at: usize) -> Option<Group<'a>> {
        let number = u32::try_from(at + 1).unwrap_or(u32::MAX);
        match *self.order.get(at)? {
            PageGroup::Document(index) => {
                let doc = self.report.documents.get(index as usize)?;
                Some(Group {
                    document: Some(doc),
                    number,
                    file: &doc.file,
                    label: doc.id.as_deref(),
                    findings: self.report.findings_of(index as usize).collect(),
                })
            }
            PageGroup::Other(other) => {
                let group = self.other_groups.get(other as usize)?;
                Some(Group {
                    number,
                    findings: group.findings.clone(),
                    ..*group
                })
            }
        }
    }

    fn new(output: &ReportView<'a>) -> Page<'a> {
        let report = output.report;
        // Inserted one by one: collected, the set would first hold every
        // result of the run (millions at 100,000 files) in a list.
        let mut used: BTreeSet<&str> = BTreeSet::new();
        used.extend(
            report
                .documents
                .iter()
                .flat_map(|d| d.results().iter().map(|r| &*r.rule)),
        );
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
        let mut order: Vec<PageGroup> = Vec::new();
        for index in 0..report.documents.len() {
            if report.findings_of(index).next().is_some() {
                if let Ok(index) = u32::try_from(index) {
                    order.push(PageGroup::Document(index));
                }
            }
        }
        // A file's or a policy's findings, grouped by file and label in
        // the order they first appear.
        let mut other: BTreeMap<(&str, Option<&str>), Vec<&Finding>> = BTreeMap::new();
        let mut first_seen = Vec::new();
        for f in report.findings_of_no_document() {
            let key = (&**f.file(), f.document().as_deref());
            let findings = other.entry(key).or_default();
            if findings.is_empty() {
                first_seen.push(key);
            }
            findings.push(f);
        }
        let mut other_groups = Vec::new();
        for key in first_seen {
            let findings = other.remove(&key).unwrap_or_default();
            if let Ok(at) = u32::try_from(other_groups.len()) {
                order.push(PageGroup::Other(at));
            }
            other_groups.push(Group {
                number: 0,
                document: None,
                file: key.0,
                label: key.1,
                findings: findings.into_boxed_slice(),
            });
        }
        let grouping = output.group_by.map(|field| Grouping::new(report, field));
        if let Some(g) = &grouping {
            // Stable: the report's order within each group.
            order.sort_by_cached_key(|group| match group {
                PageGroup::Document(index) => g.of_document(*index as usize),
                PageGroup::Other(_) => GroupKey::NoDocument,
            });
        }
        let mut group_of_document = vec![None; report.documents.len()];
        for (at, group) in order.iter().enumerate() {
            if let PageGroup::Document(index) = group {
                group_of_document[*index as usize] = u32::try_from(at).ok();
            }
        }
        let mut kinds: BTreeMap<&str, (BTreeSet<&str>, usize)> = BTreeMap::new();
        for doc in &report.documents {
            let (applied, documents) = kinds.entry(&doc.kind).or_default();
            *documents += 1;
            applied.extend(
                doc.results()
                    .iter()
                    .filter(|r| r.status != Status::Skip)
                    .map(|r| &*r.rule),
            );
        }
        // A kind no rule applies to (a maturity assessment under the
        // course policies) has no matrix: a table of no columns says
        // nothing. Its documents are named under the matrices instead.
        let (kinds, without_rules): (Vec<_>, Vec<_>) = kinds
            .into_iter()
            .partition(|(_, (applied, _))| columns.iter().any(|c| applied.contains(&*c.rule.id)));
        let kinds_without_rules = without_rules
            .into_iter()
            .map(|(kind, (_, documents))| (kind.to_string(), documents))
            .collect();
        let matrices = kinds
            .into_iter()
            .enumerate()
            .map(|(k, (kind, (applied, documents)))| Matrix {
                rows: {
                    let mut rows: Vec<usize> = (0..report.documents.len())
                        .filter(|&d| *report.documents[d].kind == *kind)
                        .collect();
                    if let Some(g) = &grouping {
                        rows.sort_by_cached_key(|&d| g.of_document(d));
                    }
                    rows
                },
                kind: kind.to_string(),
                columns: (0..columns.len())
                    .filter(|&c| applied.contains(&*columns[c].rule.id))
                    .collect(),
                documents,
                anchor: format!("matrix-{}", k + 1),
            })
            .collect();
        Page {
            report,
            config: output.config,
            policies: output.policies,
            maturity: output.maturity,
            catalogue: output.catalogue,
            identity: output.identity,
            columns,
            matrices,
            kinds_without_rules,
            grouping,
            order,
            other_groups,
            group_of_document,
            slots: false,
            history: output.history,
            links: output.links.clone(),
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
        let identity = self.identity;
        let heading = identity.heading();
        let style = self.style();
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    "\n" meta charset="utf-8";
                    meta http-equiv="Content-Security-Policy" content=(csp(&style, identity.logo.is_some()));
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="generator" content=(concat!("blcheck ", env!("CARGO_PKG_VERSION")));
                    title { (shown(&heading)) " as of " (as_of) ": " (verdict) }
                    style { (PreEscaped(&style)) }
                }
                "\n"
                body {
                    a.skip href={ "#" (self.matrices.first().map_or("matrix-none", |m| m.anchor.as_str())) } { "Skip to the compliance matrix" }
                    header {
                        @if let Some(logo) = &identity.logo {
                            img.logo src=(data_uri(logo)) alt={ (shown(identity.organisation.as_deref().unwrap_or("Organisation"))) " logo" };
                        }
                        @if let (Some(organisation), Some(_)) = (&identity.organisation, &identity.title) {
                            p.organisation { (shown(organisation)) }
                        }
                        h1 { (shown(&heading)) }
                        p.asof {
                            "As of " strong { time datetime=(as_of) { (as_of) } }
                            ". Every date rule was judged on that day. "
                            @match identity.generated() {
                                Some(at) => {
                                    "Made on " time datetime=(at) { (at) } " (UTC, --generated-at)."
                                }
                                None => {
                                    "The report carries no other date: the day blcheck ran is not recorded "
                                    "(--generated-at records it), so the same documents and as-of date always give the same file."
                                }
                            }
                        }
                        (self.audited())
                        p.verdict.(mark.class()) {
                            span aria-hidden="true" { (mark.symbol()) " " }
                            (verdict) "."
                        }
                    }
                    "\n"
                    (self.contents())
                    "\n"
                    main {
                        (self.summary()) "\n"
                        @for panel in self.maturity {
                            (super::maturity_chart::section(panel)) "\n"
                        }
                        @if let Some(records) = self.history {
                            section aria-labelledby="trend-h" {
                                h2 #trend-h { "Compliance over time" }
                                (super::trend::chart::chart(records))
                            }
                            "\n"
                        }
                        (self.policies_table()) "\n"
                        (self.charts()) "\n"
                        (self.actions_section()) "\n"
                        (self.filters()) "\n"
                        (self.matrix()) "\n"
                        (self.compliance()) "\n"
                        (self.waivers()) "\n"
                        (super::evidence_links::section(&self.report.documents, &self.links)) "\n"
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
                            " as of " (as_of) ". Self-contained: no part of this page is fetched from elsewhere. "
                            "To keep it as a PDF, print it from a browser (A4 landscape, with page numbers)."
                        }
                    }
                    "\n"
                    script { (PreEscaped(SCRIPT)) }
                }
            }
        }
    }

    /// The page's stylesheet, and for print a footer naming the
    /// organisation and the as-of date beside the page number.
    fn style(&self) -> String {
        let mut footer = String::new();
        if let Some(organisation) = &self.identity.organisation {
            footer.push_str(organisation);
            footer.push_str(" · ");
        }
        footer.push_str(&format!("as of {}", self.report.as_of));
        format!(
            "{STYLE}@media print {{ @page {{ @bottom-left {{ content: {}; }} }} }}\n",
            css_string(&footer)
        )
    }

    /// What the report covers: paths, configuration, policy versions and
    /// blcheck's version.
    fn audited(&self) -> Markup {
        let identity = self.identity;
        let s = &self.report.summary;
        let paths = if identity.audited.is_empty() {
            ".".to_string()
        } else {
            identity.audited.join(", ")
        };
        html! {
            dl.identity {
                div {
                    dt { "Audited" }
                    dd {
                        code { (shown(&paths)) } ": " (s.documents) " document" (plural(s.documents))
                        @if s.skipped_files > 0 {
                            ", " (s.skipped_files) " file" (plural(s.skipped_files)) " without a blcheck document"
                        }
                        @if s.excluded_files > 0 {
                            ", " (s.excluded_files) " excluded"
                        }
                        @if self.report.incomplete {
                            strong { " (incomplete: the run stopped at one of its limits)" }
                        }
                    }
                }
                div {
                    dt { "Configuration" }
                    dd {
                        @match &identity.config {
                            Some(file) => code { (shown(file)) },
                            None => "none: blcheck's defaults",
                        }
                    }
                }
                div {
                    dt { "Policies" }
                    dd {
                        @if self.report.policies.is_empty() { "none applied" }
                        @for (i, p) in self.report.policies.iter().enumerate() {
                            @if i > 0 { ", " }
                            (shown(&p.id)) " " (shown(&p.version))
                        }
                    }
                }
                div {
                    dt { "blcheck" }
                    dd { (env!("CARGO_PKG_VERSION")) }
                }
            }
        }
    }

    /// Links to each section: a reader of the printed page or of a link
    /// to one section finds the rest.
    fn contents(&self) -> Markup {
        html! {
            nav.contents aria-label="Contents" {
                ul {
                    li { a href="#summary-h" { "Summary" } }
                    li { a href="#policies-h" { "Policies" } }
                    @if let Some(g) = &self.grouping {
                        li { a href="#actions-h" { "Actions by " (shown(g.field)) } }
                    }
                    @for m in &self.matrices {
                        li { a href={ "#" (m.anchor) } { "Matrix: " (shown(&m.kind)) } }
                    }
                    li { a href="#compliance-h" { "Compliance" } }
                    li { a href="#waivers-h" { "Waivers" } }
                    li { a href="#findings-h" { "Findings" } }
                    li { a href="#rules-h" { "Rules" } }
                }
            }
        }
    }

    /// Where charts go: the maturity levels of a run with a
    /// MaturityAssessment, and the trend of a run with `--history`. Each
    /// is one section of its own, made by its own module and called here;
    /// none is drawn yet.
    fn charts(&self) -> Markup {
        html! {}
    }

    /// The findings to act on (those that fail a document), by group.
    fn actions(&self) -> Vec<(GroupKey, Vec<&'a Finding>)> {
        let Some(g) = &self.grouping else {
            return Vec::new();
        };
        g.split(self.report.findings.iter().filter(|f| f.fails()), |f| {
            g.of_finding(f)
        })
    }

    /// "Actions by owner": each group's findings to act on, a section of
    /// its own with an anchor, to link to, or to print alone (the page
    /// printed with that anchor in its address shows that part only).
    fn actions_section(&self) -> Markup {
        let Some(g) = &self.grouping else {
            return html! {};
        };
        let groups = self.actions();
        html! {
            section #actions aria-labelledby="actions-h" {
                h2 #actions-h { "Actions by " (shown(g.field)) }
                @if groups.is_empty() {
                    p { "Nothing to act on: no finding fails a document." }
                } @else {
                    p {
                        "The findings that fail a document, by " (shown(g.field)) ". "
                        "Each part has its own address (link to it); printed with that address, the page prints that part alone."
                    }
                    ul.contents-list {
                        @for (n, (key, findings)) in groups.iter().enumerate() {
                            li { a href={ "#actions-" (n + 1) } { (shown(g.label(key))) } " (" (findings.len()) ")" }
                        }
                    }
                    @if self.slots {
                        (PreEscaped(ACTIONS_SLOT))
                    } @else {
                        @for (n, (key, findings)) in groups.iter().enumerate() {
                            (self.actions_group(n, key, findings, false))
                            "\n"
                        }
                    }
                }
            }
        }
    }

    /// One owner's part of "Actions by owner"; with `slot`, its rows are
    /// left as a slot for `action_row` to fill.
    fn actions_group(&self, n: usize, key: &GroupKey, findings: &[&Finding], slot: bool) -> Markup {
        let Some(g) = &self.grouping else {
            return html! {};
        };
        let mut documents: BTreeSet<Option<u32>> = BTreeSet::new();
        documents.extend(findings.iter().map(|f| f.document_index));
        html! {
            section.actions-group #{ "actions-" (n + 1) } aria-labelledby={ "actions-" (n + 1) "-h" } {
                h3 #{ "actions-" (n + 1) "-h" } { (shown(g.field)) ": " (shown(g.label(key))) }
                p {
                    (findings.len()) " finding" (plural(findings.len())) " to act on, in "
                    (documents.len()) " document" (plural(documents.len())) "."
                }
                table.plain {
                    caption { "What " (shown(g.label(key))) " must act on, as of " (self.report.as_of) "." }
                    thead {
                        tr {
                            th scope="col" { "Document" }
                            th scope="col" { "Rule" }
                            th scope="col" { "Severity" }
                            th scope="col" { "What is wrong" }
                            th scope="col" { "Where" }
                        }
                    }
                    tbody {
                        @if slot {
                            (PreEscaped(ROWS_SLOT))
                        } @else {
                            @for f in findings {
                                (self.action_row(f))
                                "\n"
                            }
                        }
                    }
                }
            }
        }
    }

    /// A finding's row in "Actions by owner".
    fn action_row(&self, f: &Finding) -> Markup {
        let anchor = f
            .document_index
            .and_then(|d| self.group_of_document.get(d as usize).copied().flatten())
            .map(|at| group_anchor(at as usize + 1));
        html! {
            tr {
                th scope="row" {
                    @let label = f.document().as_deref().unwrap_or(f.file());
                    @match anchor {
                        Some(anchor) => a href={ "#" (anchor) } { (shown(label)) },
                        None => (shown(label)),
                    }
                }
                td { (shown(f.rule())) " " span.where { (shown(f.name())) } }
                td { (f.severity.as_str()) }
                td { (shown(&f.message)) }
                td { code { (shown(f.file())) ":" (f.line) ":" (f.column) } }
            }
        }
    }

    /// Compliance per policy and per rule, each table sortable.
    fn compliance(&self) -> Markup {
        let thresholds = self.identity.thresholds;
        let all = compliance(self.report, self.policies);
        let head = |first: &str, with_policy: bool| {
            html! {
                thead {
                    tr {
                        th scope="col" aria-sort="none" { button type="button" data-sort="text" { (first) } }
                        @if with_policy {
                            th scope="col" aria-sort="none" { button type="button" data-sort="text" { "Policy" } }
                        }
                        @for label in ["In scope", "Passed", "Failed", "Waived", "Compliance"] {
                            th.num scope="col" aria-sort="none" { button type="button" data-sort="number" { (label) } }
                        }
                        th scope="col" aria-sort="none" { button type="button" data-sort="number" { "Status" } }
                    }
                }
            }
        };
        let cells = |tally: &super::compliance::Tally| {
            let rag = tally.rag(thresholds);
            html! {
                @for n in [tally.in_scope, tally.passed, tally.failed, tally.waived] {
                    td.num data-value=(n) { (n) }
                }
                td.num data-value=(tally.rate().map_or(-1.0, |r| r)) { (shown_rate(tally.rate())) }
                @match rag {
                    Some(rag) => {
                        @let (mark, order) = match rag {
                            super::compliance::Rag::Green => (Mark::Pass, 2),
                            super::compliance::Rag::Amber => (Mark::Warning, 1),
                            super::compliance::Rag::Red => (Mark::Fail, 0),
                        };
                        td data-value=(order) {
                            span.badge.(mark.class()) {
                                span.sym aria-hidden="true" { (mark.symbol()) }
                                " " span.word { (rag.as_str()) }
                            }
                        }
                    }
                    None => td data-value="-1" { "–" },
                }
            }
        };
        html! {
            section aria-labelledby="compliance-h" {
                h2 #compliance-h { "Compliance by policy and rule" }
                p {
                    "A document is in scope of a rule when the rule applies to it. Compliance is the share of the documents in scope that pass; "
                    "a waived result is an approved exception, counted apart and not as compliance."
                }
                p {
                    @match thresholds {
                        Some(t) => {
                            "Status: green at " (t.green) "% or more, amber at " (t.amber) "% or more, red below ([compliance] of blcheck.toml)."
                        }
                        None => {
                            "No red/amber/green status: set "
                            code { "[compliance]" } " " code { "green" } " and " code { "amber" }
                            " (percentages) in blcheck.toml to show one."
                        }
                    }
                    " Select a column heading to sort by it."
                }
                @if all.is_empty() {
                    p { "No policy rule applied in this run." }
                } @else {
                    table.plain.sortable #compliance-policies {
                        caption { "Documents by policy: in scope when a rule of the policy applies, failed when one fails, waived when one is waived and none fails." }
                        (head("Policy", false))
                        tbody {
                            @for p in &all {
                                tr {
                                    th scope="row" data-value=(p.id) { (shown(p.id)) " " (shown(p.version)) br; span.where { (shown(p.title)) } }
                                    (cells(&p.tally))
                                }
                                "\n"
                            }
                        }
                    }
                    table.plain.sortable #compliance-rules {
                        caption { "Documents by rule." }
                        (head("Rule", true))
                        tbody {
                            @for p in &all {
                                @for r in p.rules.iter().filter(|r| r.tally.in_scope > 0) {
                                    tr {
                                        th scope="row" data-value=(r.id) {
                                            (shown(r.id)) " " span.where { (shown(r.name)) } br;
                                            span.where { (shown(r.title)) }
                                        }
                                        td data-value=(p.id) { (shown(p.id)) }
                                        (cells(&r.tally))
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

    /// The waiver register: every waiver of the run and its status.
    fn waivers(&self) -> Markup {
        let rows = register(self.report, self.catalogue);
        let counts: Vec<(WaiverState, usize)> = [
            WaiverState::Active,
            WaiverState::Expiring,
            WaiverState::Expired,
            WaiverState::Invalid,
            WaiverState::Unused,
        ]
        .into_iter()
        .map(|state| (state, rows.iter().filter(|r| r.state == state).count()))
        .collect();
        let within = expiring_within(self.catalogue);
        html! {
            section aria-labelledby="waivers-h" {
                h2 #waivers-h { "Waiver register" }
                @if rows.is_empty() {
                    p { "No document of this run has a waiver." }
                } @else {
                    ul.legend aria-label="Waivers by status" {
                        @for (state, n) in &counts {
                            li { (waiver_badge(*state)) " " strong { (n) } " " (state.meaning())
                                @if *state == WaiverState::Expiring { " (within " (within) " days)" } }
                        }
                    }
                    table.plain.sortable #waiver-register {
                        caption { (rows.len()) " waiver" (plural(rows.len())) ", as written in the documents; days left are counted from the as-of date." }
                        thead {
                            tr {
                                @for (label, sort) in [("Document", "text"), ("Rule", "text"), ("Reason", "text"), ("Approved by", "text"), ("Expires", "text"), ("Days left", "number"), ("Status", "text"), ("Findings waived", "number")] {
                                    th scope="col" aria-sort="none" { button type="button" data-sort=(sort) { (label) } }
                                }
                            }
                        }
                        tbody {
                            @for r in &rows {
                                tr {
                                    th scope="row" data-value=(doc_label(r.document)) {
                                        (shown(doc_label(r.document)))
                                        br; span.where { (shown(&r.document.file)) ":" (r.entry.line) }
                                    }
                                    td { (shown(&r.entry.rule)) }
                                    td { (shown(&r.entry.reason)) }
                                    td { (shown(&r.entry.approved_by)) }
                                    td {
                                        @match r.entry.expires {
                                            Some(date) => time datetime=(date) { (date) },
                                            None => (shown(&r.entry.expires_text)),
                                        }
                                    }
                                    td.num data-value=(r.days_left.unwrap_or(i64::MIN)) {
                                        @if let Some(days) = r.days_left { (days) } @else { "–" }
                                    }
                                    td data-value=(r.state.as_str()) { (waiver_badge(r.state)) }
                                    td.num data-value=(r.waived) { (r.waived) }
                                }
                                "\n"
                            }
                        }
                    }
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
        ];
        if let (Some(baselined), Some(fixed)) = (s.baselined, s.fixed) {
            items.push(("Baselined", baselined, Some(Mark::Baselined)));
            items.push(("Fixed since the baseline", fixed, None));
        }
        items.push(("Files without a blcheck document", s.skipped_files, None));
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
                        @if self.report.summary.baselined.is_some() {
                            option value="flag:baselined" { "With baselined findings" }
                        }
                    }
                }
                @if self.report.summary.baselined.is_some() {
                    div {
                        input #f-hide-baselined type="checkbox";
                        " "
                        label for="f-hide-baselined" { "Hide baselined findings" }
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
        html! {
            section aria-labelledby="matrix-h" {
                h2 #matrix-h { "Compliance matrix" }
                (legend(self.has_info()))
                @if report.documents.is_empty() {
                    p #matrix-none { "No document was audited." }
                }
                p { "One matrix per kind of document, with the rules that apply to that kind. "
                    "Each matrix scrolls in its own box; the rule ids link to their title and clause below." }
                @for (k, m) in self.matrices.iter().enumerate() {
                    (self.one_matrix(k, m))
                }
                @if !self.kinds_without_rules.is_empty() {
                    p #matrix-no-rules {
                        "No rule of the policies applies to "
                        @for (n, (kind, documents)) in self.kinds_without_rules.iter().enumerate() {
                            @if n > 0 { ", " }
                            (documents) " " (shown(kind)) " document" (plural(*documents))
                        }
                        ": they have no matrix."
                    }
                }
                p #f-none hidden { "No document matches the filters." }
            }
        }
    }

    fn one_matrix(&self, k: usize, m: &Matrix) -> Markup {
        let columns: Vec<&Column> = m.columns.iter().map(|&c| &self.columns[c]).collect();
        let mut spans: Vec<(&Policy, usize)> = Vec::new();
        for c in &columns {
            match spans.last_mut() {
                Some((p, n)) if p.id == c.policy.id => *n += 1,
                _ => spans.push((c.policy, 1)),
            }
        }
        let caption = format!("{}-caption", m.anchor);
        html! {
            div.matrix-block {
            h3 #(m.anchor) { (shown(&m.kind)) }
            div.scroll role="region" aria-labelledby=(caption) tabindex="0" {
                table.matrix data-kind=(m.kind) {
                    caption #(caption) {
                        (shown(&m.kind)) ": " (m.documents) " document" (plural(m.documents))
                        " × " (columns.len()) " rule" (plural(columns.len()))
                        ". Hover over a cell or rule for the clause it enforces."
                    }
                    colgroup span="2" {}
                    @for (_, n) in &spans {
                        colgroup span=(n) {}
                    }
                    "\n"
                    thead {
                        tr {
                            th.corner scope="col" rowspan="2" { "Document" }
                            th scope="col" rowspan="2" { "Result" }
                            @for (policy, n) in &spans {
                                th.policy scope="colgroup" colspan=(n) data-policy=(policy.id) {
                                    (shown(&policy.id)) " " (shown(&policy.version))
                                }
                            }
                        }
                        tr {
                            @for c in &columns {
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
                            (PreEscaped(rows_slot(k)))
                        } @else {
                            @for &index in &m.rows {
                                (self.matrix_row(k, index, &self.report.documents[index]))
                                "\n"
                            }
                        }
                    }
                }
            }
            }
        }
    }

    /// Whether a rule of severity info fails somewhere in the matrix.
    fn has_info(&self) -> bool {
        self.report.findings.iter().any(|f| {
            Mark::of(f.status, f.severity) == Mark::Info
                && self.columns.iter().any(|c| c.rule.id == *f.rule())
        })
    }

    fn matrix_row(&self, k: usize, index: usize, doc: &DocumentOutcome) -> Markup {
        let group = self
            .group_of_document
            .get(index)
            .copied()
            .flatten()
            .and_then(|at| self.group_at(at as usize));
        let group = group.as_ref();
        let cells: Vec<(&Column, Mark, Option<&Finding>)> = self.matrices[k]
            .columns
            .iter()
            .map(|&c| &self.columns[c])
            .map(|c| {
                let result = doc.results().iter().find(|r| r.rule == c.rule.id);
                let finding = group.and_then(|g| {
                    g.findings
                        .iter()
                        .copied()
                        .find(|f| *f.rule() == c.rule.id && f.status != Status::Pass)
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
                        Some(g) => a.doc href={ "#" (g.anchor()) } { (shown(doc_label(doc))) },
                        None => span.doc { (shown(doc_label(doc))) },
                    }
                    @if let Some(title) = &doc.title() {
                        span.title { (shown(title)) }
                    }
                    @if let Some(g) = &self.grouping {
                        span.where { (shown(g.field)) ": " (shown(g.label(&g.of_document(index)))) }
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
                @if self.order.is_empty() {
                    p { "No findings." }
                }
                @if self.slots {
                    (PreEscaped(GROUPS_SLOT))
                } @else {
                    @for at in 0..self.order.len() {
                        @if let Some(g) = self.group_at(at) {
                            (self.group(&g))
                            "\n"
                        }
                    }
                }
                p #f-none-findings hidden { "No finding matches the filters." }
            }
        }
    }

    /// One document's (or file's, or policy's) findings.
    fn group(&self, g: &Group<'_>) -> Markup {
        html! {
                    @let policies: BTreeSet<&str> = g.findings.iter().filter_map(|f| f.policy().as_deref()).collect();
                    section.group #(g.anchor()) data-status=(g.status()) data-flags=(g.flags())
                        data-policies=(policies.into_iter().collect::<Vec<_>>().join(" ")) {
                        h3 {
                            @match (g.document, g.label) {
                                (Some(d), _) => {
                                    (shown(doc_label(d)))
                                    @if let Some(title) = &d.title() {
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
                            @for f in g.findings.iter() {
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
        applied.sort();
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
        li.finding.(mark.class()) data-policy=(f.policy().as_deref().unwrap_or(""))
            data-baselined[f.status == Status::Baselined] {
            p.head {
                (badge(mark))
                " "
                strong title=[f.clause().as_deref().map(shown)] { (shown(f.rule())) }
                " " (shown(f.name()))
                " · " (f.severity.as_str())
                @if f.line == 0 {
                    " · " code { (shown(f.file())) }
                } @else {
                    " · " code { (shown(f.file())) ":" (f.line) ":" (f.column) }
                }
                @if let Some(path) = &f.path() {
                    " · " code { (shown(path)) }
                }
            }
            p.message { (shown(&f.message)) }
            @if let Some(help) = &f.help() {
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
    let findings = group.map(|g| &*g.findings).unwrap_or_default();
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
fn csp(style: &str, images: bool) -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}';{} base-uri 'none'; form-action 'none'",
        hash(style),
        hash(SCRIPT),
        if images { " img-src data:;" } else { "" }
    )
}

/// The logo, embedded.
fn data_uri(logo: &super::identity::Logo) -> String {
    format!(
        "data:{};base64,{}",
        logo.media_type,
        base64::engine::general_purpose::STANDARD.encode(&logo.bytes)
    )
}

fn waiver_badge(state: WaiverState) -> Markup {
    let (class, symbol) = match state {
        WaiverState::Active => ("m-waived", "~"),
        WaiverState::Expiring => ("m-warning", "!"),
        WaiverState::Expired | WaiverState::Invalid => ("m-fail", "✗"),
        WaiverState::Unused => ("m-info", "i"),
    };
    html! {
        span.badge.(class) {
            span.sym aria-hidden="true" { (symbol) }
            " " span.word { (state.as_str()) }
        }
    }
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
    fn every_mark_has_a_colour_on_the_page() {
        for mark in Mark::ALL {
            assert!(mark.class().starts_with("m-"));
        }
        assert_eq!(Mark::Fixed.class(), "m-pass");
        assert_eq!(Mark::Baselined.class(), Mark::Waived.class());
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
