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
pub mod renewals;
mod sarif;
mod table;
pub mod text;

use crate::cli::{ColorChoice, Format};
use crate::policy::{Catalogue, PolicySet};
use crate::report::Report;
use anyhow::{bail, Context, Result};
use std::io::{IsTerminal, Write};
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
}

/// Renders the report in every planned format and writes each rendering.
pub fn write_audit(
    output: &AuditOutput<'_>,
    plan: &[(Format, Destination)],
    options: &RenderOptions,
) -> Result<()> {
    write_each(plan, |format, destination, bytes| {
        let color = *destination == Destination::Stdout && use_color(options.color);
        match format {
            Format::Table => table::render(output.report, options.quiet, color, bytes),
            Format::Json => json::render(output.report, bytes),
            Format::Sarif => sarif::render(output, bytes),
            Format::Junit => junit::render(output, bytes),
            Format::Github => github::render(output.report, bytes),
            Format::Markdown => markdown::render(output.report, bytes),
            Format::Csv => csv::render(output.report, options.all, bytes),
            Format::Html => html::render(output, bytes),
        }
    })
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
    match destination {
        Destination::Stdout => write_stdout(bytes),
        Destination::File(path) => write_atomic(path, bytes),
    }
}

pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`blcheck ... | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into
/// place, so a reader never sees half a report.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    temp_beside(path, bytes)?
        .persist(path)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}

/// A temporary file beside `path` holding `bytes`, synced, to rename into
/// place.
fn temp_beside(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
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
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(temp)
}

/// Writes `bytes` to a new file at `path`, atomically, and never over an
/// existing file, even one created since the caller looked.
pub fn write_atomic_new(path: &Path, bytes: &[u8]) -> Result<()> {
    match temp_beside(path, bytes)?.persist_noclobber(path) {
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
