//! The only place blcheck writes output: one renderer per format, and the
//! writers that send a rendering to stdout or, atomically, to a file.

pub mod authoring;
pub mod catalogue;
pub mod compliance;
pub mod config;
pub mod csv;
pub mod destination;
pub mod diff;
pub mod evidence_links;
pub mod formats;
mod github;
mod gitlab;
mod grouping;
mod html;
pub mod identity;
mod json;
mod junit;
pub mod mark;
mod markdown;
pub mod maturity;
pub mod maturity_chart;
pub mod progress;
pub mod renewals;
mod sarif;
mod table;
pub mod text;
pub mod trace;
mod trace_html;
pub mod trend;
pub mod waiver_register;
pub mod warnings;
mod workbook;
mod xlsx;

pub use destination::{plan_outputs, refuse_inputs, write_streamed, Destination, ReportFormat};

use crate::policy::{Catalogue, PolicySet};
use crate::report::{AppliedConfig, Report};
use anyhow::{bail, Context, Result};
use destination::Flush;
use formats::{ColorChoice, CsvDialect, Format};
use identity::ReportIdentity;
use std::io::{IsTerminal, Write};
use std::path::Path;

impl ReportFormat for Format {
    const STDOUT: Self = Format::Table;
    const EXTENSIONS: &'static [(&'static str, Self)] = &[
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("xml", Format::Junit),
        ("md", Format::Markdown),
        ("markdown", Format::Markdown),
        ("csv", Format::Csv),
        ("html", Format::Html),
        ("htm", Format::Html),
        ("txt", Format::Table),
        ("xlsx", Format::Xlsx),
    ];
}

pub struct RenderOptions {
    pub quiet: bool,
    pub color: ColorChoice,
    /// CSV: one row per document and rule, passes included.
    pub all: bool,
    pub csv_dialect: CsvDialect,
}

/// What the audit renderers read: the report, and the rules and policies
/// that give its findings their titles and clauses.
pub struct ReportView<'a> {
    pub report: &'a Report,
    pub catalogue: &'a Catalogue,
    pub policies: &'a PolicySet,
    /// `docs_url` of blcheck.toml: where Markdown links rule ids to.
    pub docs_url: Option<&'a str>,
    /// The maturity charts of the run's MaturityAssessments, for the HTML
    /// report; empty when it has none or writes no HTML.
    pub maturity: &'a [maturity_chart::MaturityPanel],
    /// The settings applied beyond the policies; `None` when none were.
    pub config: Option<&'a AppliedConfig>,
    /// The runs of `--history`, this one last: the HTML report draws them.
    pub history: Option<&'a [crate::history::Record]>,
    /// Who the report is for and what it covers (the HTML report and the
    /// workbook show it).
    pub identity: &'a ReportIdentity,
    /// `--group-by`'s field, when the run groups its findings by it.
    pub group_by: Option<&'a str>,
    /// Where links to local evidence start from: the run's folder, made the
    /// folder of each report file as it is written (`write_audit`).
    pub links: evidence_links::LinkBase,
}

/// Renders the report in every planned format and writes each rendering.
/// Every format but the table (which shows at most 1,000 findings) is
/// written as it is rendered, through a buffer: none is held whole.
pub fn write_audit(
    output: &ReportView<'_>,
    plan: &[(Format, Destination)],
    options: &RenderOptions,
) -> Result<()> {
    for (format, destination) in plan {
        refuse_binary_on_terminal(*format == Format::Xlsx, destination)?;
        let color = destination.is_stdout() && use_color(options.color);
        let view = ReportView {
            links: output.links.for_destination(destination),
            ..*output
        };
        write_streamed(destination, |out| {
            render_audit(*format, &view, options, color, out)
        })?;
    }
    Ok(())
}

/// Renders the report in one format to `out` (the fuzz harness reads every
/// format back through this).
pub fn render_audit(
    format: Format,
    output: &ReportView<'_>,
    options: &RenderOptions,
    color: bool,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Table => buffered(out, |bytes| {
            table::render(output.report, output.group_by, options.quiet, color, bytes)?;
            match (output.config, options.quiet) {
                (Some(applied), false) => config::table_footer(applied, bytes),
                _ => Ok(()),
            }
        }),
        Format::Json => json::render(output.report, output.config, out),
        Format::Sarif => sarif::render(output, out),
        Format::Junit => junit::render(output, out),
        Format::Github => github::render(output.report, out),
        Format::Gitlab => gitlab::render(output.report, out),
        Format::Markdown => {
            markdown::render(output.report, output.docs_url, output.group_by, out)?;
            match output.config {
                Some(applied) => config::markdown_section(applied, out),
                None => Ok(()),
            }
        }
        Format::Csv => csv::render(output, options.all, options.csv_dialect, out),
        Format::Html => html::render(output, out),
        Format::Xlsx => xlsx::render(output, out),
    }
}

/// A workbook is a zip file: on a terminal it would be noise, and could
/// hold bytes the terminal obeys.
pub fn refuse_binary_on_terminal(binary: bool, destination: &Destination) -> Result<()> {
    if binary && destination.is_stdout() && std::io::stdout().is_terminal() {
        bail!("--format xlsx writes a binary workbook: add --output FILE (for example --output audit.xlsx)");
    }
    Ok(())
}

/// Whether `format` lists every rule's status on every document, passes
/// included (JUnit test cases, CSV with `--all`, the HTML report, the
/// workbook), so that the audit keeps them; the other formats need only
/// the findings.
pub fn lists_every_result(format: Format, options: &RenderOptions) -> bool {
    match format {
        Format::Junit | Format::Html | Format::Xlsx => true,
        Format::Csv => options.all,
        Format::Table
        | Format::Json
        | Format::Sarif
        | Format::Github
        | Format::Gitlab
        | Format::Markdown => false,
    }
}

/// Whether `format` shows each document's title (the HTML report's lists,
/// the workbook's matrices), so that the audit keeps them.
pub fn shows_titles(format: Format) -> bool {
    matches!(format, Format::Html | Format::Xlsx)
}

/// Renders whole with `render`, then writes to `out`.
fn buffered(out: &mut dyn Write, render: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> Result<()> {
    let mut bytes = Vec::new();
    render(&mut bytes)?;
    out.write_all(&bytes)?;
    Ok(())
}

/// Renders each planned format with `render` and writes it to its
/// destination, in the order of the plan.
pub fn write_each<F: Copy>(
    plan: &[(F, Destination)],
    mut render: impl FnMut(F, &Destination, &mut Vec<u8>) -> Result<()>,
) -> Result<()> {
    for (format, destination) in plan {
        let mut bytes = Vec::new();
        render(*format, destination, &mut bytes)?;
        write(destination, &bytes)?;
    }
    Ok(())
}

/// Colour when asked, or when stdout is a terminal and NO_COLOR is unset.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Writes a rendering to its destination.
pub fn write(destination: &Destination, bytes: &[u8]) -> Result<()> {
    write_streamed(destination, |out| Ok(out.write_all(bytes)?))
}

pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    write_streamed(&Destination::Stdout, |out| Ok(out.write_all(bytes)?))
}

/// Writes `bytes` over `path`, flushed to the disk, atomically, so a reader
/// never sees half a file (`init --force`, man pages).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    destination::replace(path, Flush::ToDisk, |out| Ok(out.write_all(bytes)?))
}

/// Writes `bytes` to a new file at `path`, atomically, and never over an
/// existing file, even one created since the caller looked.
pub fn write_atomic_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp =
        destination::temp_beside(path, Flush::ToDisk, None, |out| Ok(out.write_all(bytes)?))?;
    match temp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{}: already exists; use --force to overwrite it",
            path.display()
        ),
        Err(e) => Err(e.error).with_context(|| format!("{}: cannot write", path.display())),
    }
}

/// Creates `dir` and its parents when missing.
pub fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))
}
