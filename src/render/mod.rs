//! The only place blcheck writes output: one renderer per format, and the
//! writers that send a rendering to stdout or, atomically, to a file.

pub mod authoring;
pub mod catalogue;
mod csv;
mod github;
mod html;
mod json;
mod junit;
mod markdown;
pub mod maturity;
pub mod progress;
pub mod renewals;
mod sarif;
mod table;
pub mod text;
pub mod warnings;

use crate::cli::{ColorChoice, Format};
use crate::policy::{Catalogue, PolicySet};
use crate::report::Report;
use anyhow::{bail, Context, Result};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Where one rendering goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File(PathBuf),
}

/// The formats a command's report takes when no `--format` is given, so
/// that every command pairs `--format` with `--output` the same way.
pub trait DefaultFormats: Copy {
    /// To standard output: the table.
    const STDOUT: Self;
    /// To a single `--output` file: JSON.
    const FILE: Self;
}

impl DefaultFormats for Format {
    const STDOUT: Self = Format::Table;
    const FILE: Self = Format::Json;
}

/// Pairs `--format` with `--output` in order. One format may go unpaired,
/// to stdout; with no `--format`, the table goes to stdout (or, with a
/// single `--output`, JSON to that file).
pub fn plan_outputs<F: DefaultFormats>(
    formats: &[F],
    outputs: &[PathBuf],
    force: bool,
) -> Result<Vec<(F, Destination)>> {
    let formats: Vec<F> = if formats.is_empty() {
        match outputs.len() {
            0 => vec![F::STDOUT],
            1 => vec![F::FILE],
            _ => bail!("give one --format for each --output"),
        }
    } else {
        formats.to_vec()
    };
    if outputs.len() > formats.len() {
        bail!(
            "{} --output files but only {} --format; give one --format for each --output",
            outputs.len(),
            formats.len()
        );
    }
    if formats.len() > outputs.len() + 1 {
        bail!("only one --format can go to standard output; give an --output for the others");
    }
    let mut plan = Vec::new();
    for (i, format) in formats.iter().enumerate() {
        let destination = match outputs.get(i) {
            Some(path) => {
                if path.exists() && !force {
                    bail!(
                        "{}: already exists; use --force to overwrite it",
                        path.display()
                    );
                }
                Destination::File(path.clone())
            }
            None => Destination::Stdout,
        };
        plan.push((*format, destination));
    }
    Ok(plan)
}

pub struct RenderOptions {
    pub quiet: bool,
    pub color: ColorChoice,
    /// CSV: one row per document and rule, passes included.
    pub all: bool,
}

/// What the audit renderers read.
pub struct AuditOutput<'a> {
    pub report: &'a Report,
    pub catalogue: &'a Catalogue,
    pub policies: &'a PolicySet,
    /// `docs_url` of blcheck.toml: where Markdown links rule ids to.
    pub docs_url: Option<&'a str>,
}

/// Renders the report in every planned format and writes each rendering.
/// JSON, SARIF and CSV, which grow with the corpus, are written as they are
/// rendered; the other formats are rendered whole, then written.
pub fn write_audit(
    output: &AuditOutput<'_>,
    plan: &[(Format, Destination)],
    options: &RenderOptions,
) -> Result<()> {
    for (format, destination) in plan {
        let color = *destination == Destination::Stdout && use_color(options.color);
        write_streamed(destination, |out| match format {
            Format::Table => buffered(out, |bytes| {
                table::render(output.report, options.quiet, color, bytes)
            }),
            Format::Json => json::render(output.report, out),
            Format::Sarif => sarif::render(output, out),
            Format::Junit => buffered(out, |bytes| junit::render(output, bytes)),
            Format::Github => buffered(out, |bytes| github::render(output.report, bytes)),
            Format::Markdown => buffered(out, |bytes| {
                markdown::render(output.report, output.docs_url, bytes)
            }),
            Format::Csv => csv::render(output.report, options.all, out),
            Format::Html => buffered(out, |bytes| html::render(output, bytes)),
        })?;
    }
    Ok(())
}

/// Whether `format` lists every rule's status on every document, passes
/// included (JUnit test cases, CSV with `--all`, the HTML report, which
/// also shows titles), so that the audit keeps them; the other formats need
/// only the findings.
pub fn lists_every_result(format: Format, options: &RenderOptions) -> bool {
    match format {
        Format::Junit | Format::Html => true,
        Format::Csv => options.all,
        Format::Table | Format::Json | Format::Sarif | Format::Github | Format::Markdown => false,
    }
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

/// Writes `bytes` to a temporary file beside `path`, flushed to the disk,
/// then renames it into place, so a reader never sees half a file (`init
/// --force`, man pages).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    temp_beside(path, Flush::ToDisk, |out| Ok(out.write_all(bytes)?))?
        .persist(path)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}

/// The buffer between a renderer and its destination.
const BUFFER: usize = 64 * 1024;

/// Sends what `render` writes to its destination through a buffer, so a
/// rendering need not be held whole: to standard output, or to a temporary
/// file beside the target that is renamed into place only once complete.
/// Renderers fail only when writing fails, so their errors are write errors.
pub fn write_streamed(
    destination: &Destination,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match destination {
        Destination::Stdout => {
            let stdout = PipeOut {
                inner: std::io::stdout().lock(),
                closed: false,
            };
            let mut out = BufWriter::with_capacity(BUFFER, stdout);
            render(&mut out)
                .and_then(|()| Ok(out.flush()?))
                .context("cannot write to standard output")
        }
        Destination::File(path) => {
            temp_beside(path, Flush::Skip, render)?
                .persist(path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            Ok(())
        }
    }
}

/// Whether a file is flushed to the disk before it is renamed into place.
/// Either way the rename is atomic: nobody reads half a file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flush {
    /// Files a user writes on (`init`'s templates): small, and worth
    /// keeping through a crash.
    ToDisk,
    /// Reports: re-made by running blcheck again, and large (syncing a 7 MB
    /// JSON report took longer than rendering it).
    Skip,
}

/// A temporary file beside `path` holding what `render` writes, to rename
/// into place.
fn temp_beside(
    path: &Path,
    flush: Flush,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).with_context(|| {
        format!(
            "{}: cannot create a file in {}",
            path.display(),
            dir.display()
        )
    })?;
    let mut out = BufWriter::with_capacity(BUFFER, temp.as_file_mut());
    render(&mut out)
        .and_then(|()| Ok(out.flush()?))
        .with_context(|| format!("{}: cannot write", path.display()))?;
    drop(out);
    if flush == Flush::ToDisk {
        temp.as_file()
            .sync_all()
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(temp)
}

/// Writes `bytes` to a new file at `path`, atomically, and never over an
/// existing file, even one created since the caller looked.
pub fn write_atomic_new(path: &Path, bytes: &[u8]) -> Result<()> {
    match temp_beside(path, Flush::ToDisk, |out| Ok(out.write_all(bytes)?))?.persist_noclobber(path)
    {
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

/// Standard output that takes a closed pipe (`blcheck ... | head`) as the
/// reader's choice, not an error: the rest of the report is dropped.
struct PipeOut<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Write for PipeOut<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}
