//! The audit of a workspace that changes one file at a time (the language
//! server): each file's audit is kept, a changed file is audited again on
//! its own, and the report is assembled afresh from the kept audits, the
//! cross-document checks run again on their small summaries. The report is
//! the one `run` makes of the same files in the same order.

use super::assembly::Assembly;
use super::{audit_content, AuditTerms, FilePart, RunLimits};
use crate::report::Report;
use crate::source::FileContent;
use std::collections::BTreeSet;
use std::sync::Arc;

/// One file's audit, kept until the file changes.
#[derive(Clone)]
pub struct AuditedFile {
    part: FilePart,
    /// Indices in the policy set of the policies that applied to it.
    applied: Vec<usize>,
}

impl AuditedFile {
    /// Audits a file's content (read from disk, or an editor's buffer
    /// parsed with `source::parse`).
    pub fn of(file: Arc<str>, content: FileContent, ctx: &AuditTerms<'_>) -> AuditedFile {
        let mut applied = Vec::new();
        let part = audit_content(file, content, ctx, super::Kept::default(), |index| {
            if !applied.contains(&index) {
                applied.push(index);
            }
        });
        AuditedFile { part, applied }
    }
}

/// Whether a report covers every file of the workspace (and so runs the
/// cross-document checks) or only some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    Whole,
    /// Some files only: no cross-document check, whose findings would be
    /// wrong about files not yet read.
    Partial,
}

/// The report of `files`, given in the order `run` reads them (their
/// display names, sorted), as `run` makes it.
pub fn report_of<'a>(
    files: impl ExactSizeIterator<Item = (&'a Arc<str>, &'a AuditedFile)>,
    ctx: &AuditTerms<'_>,
    limits: RunLimits,
    coverage: Coverage,
) -> Report {
    let mut assembly = Assembly::for_files(files.len(), limits);
    assembly.partial = coverage == Coverage::Partial;
    let mut applied = vec![false; ctx.policies.policies.len()];
    let mut parts = Vec::with_capacity(files.len());
    for (name, file) in files {
        for &index in &file.applied {
            if let Some(flag) = applied.get_mut(index) {
                *flag = true;
            }
        }
        parts.push((name.clone(), file.part.clone()));
    }
    assembly.add(parts);
    let applied: BTreeSet<Arc<str>> = ctx
        .policies
        .policies
        .iter()
        .zip(&applied)
        .filter(|(_, applied)| **applied)
        .map(|(policy, _)| policy.id.clone())
        .collect();
    assembly.finish(&applied, ctx)
}
