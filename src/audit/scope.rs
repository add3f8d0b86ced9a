//! What a run covers: the files found under its paths less the excludes,
//! and what to tell the user when an exclude or a selection did nothing, or
//! when nothing was left to audit.

use crate::discover::{
    discover_excluding, display_path, Candidate, Discovery, Exclude, WalkOptions,
};
use crate::policy::{Catalogue, PolicySet};
use crate::report::Report;
use crate::selection::RuleFilter;
use anyhow::{anyhow, Result};
use globset::GlobSet;
use std::path::{Path, PathBuf};

/// The files of a run and how they were found.
pub struct Scope {
    pub candidates: Vec<Candidate>,
    /// YAML files the excludes left out.
    pub excluded_files: usize,
    excludes: Vec<Exclude>,
    /// Whether each exclude matched something.
    matched: Vec<bool>,
    /// The paths as the user would read them, for messages.
    shown_paths: String,
}

impl Scope {
    /// Walks `paths` (sorted, every file once) less the excludes.
    pub fn discover(
        paths: &[PathBuf],
        excludes: Vec<Exclude>,
        compiled: &GlobSet,
        cwd: &Path,
        walk: WalkOptions,
    ) -> Result<Scope> {
        let Discovery {
            candidates,
            excluded_files,
            matched,
        } = discover_excluding(paths, compiled, cwd, walk)?;
        let shown_paths = paths
            .iter()
            .map(|p| display_path(p, cwd))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Scope {
            candidates,
            excluded_files,
            excludes,
            matched,
            shown_paths,
        })
    }

    /// Refuses, before the run, a report written over one of its inputs or
    /// as a YAML file in an audited folder (which the next run would read).
    pub fn refuse_reports_among_inputs<F>(
        &self,
        outputs: &[(F, crate::render::Destination)],
        paths: &[PathBuf],
    ) -> Result<()> {
        let audited_folders: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.is_dir())
            .filter_map(|p| crate::render::destination::resolved(p))
            .collect();
        crate::render::refuse_inputs(
            outputs,
            self.candidates.iter().map(|c| &*c.path),
            |report| {
                crate::discover::is_yaml(report)
                    && audited_folders.iter().any(|f| report.starts_with(f))
            },
        )
    }

    /// Warnings for the excludes that matched no file or directory.
    pub fn unmatched_excludes(&self) -> Vec<String> {
        unmatched_excludes(&self.excludes, &self.matched, &self.shown_paths)
    }

    /// The error of a run with nothing to audit, saying whether the
    /// excludes left everything out.
    pub fn nothing_found(&self, skipped: usize) -> anyhow::Error {
        let by = excludes_used(&self.excludes, &self.matched);
        nothing_found(&self.shown_paths, skipped, (self.excluded_files, by))
    }
}

/// Warnings for the excludes that matched no file or directory of the walk.
fn unmatched_excludes(excludes: &[Exclude], matched: &[bool], shown_paths: &str) -> Vec<String> {
    excludes
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !**matched)
        .map(|(e, _)| {
            format!(
                "{} '{}' matches no file or directory in {shown_paths}; nothing is excluded by it",
                e.origin, e.glob
            )
        })
        .collect()
}

/// The excludes that matched something, as given (`--exclude 'drafts'`).
fn excludes_used(excludes: &[Exclude], matched: &[bool]) -> String {
    excludes
        .iter()
        .zip(matched)
        .filter(|(_, matched)| **matched)
        .map(|(e, _)| format!("{} '{}'", e.origin, e.glob))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error of a run with nothing to audit, saying whether the excludes
/// (`excluded`: how many files, by which) left everything out.
fn nothing_found(
    shown_paths: &str,
    skipped: usize,
    (excluded, by): (usize, String),
) -> anyhow::Error {
    match (skipped, excluded) {
        (0, 1..) => anyhow!(
            "no blcheck document found in {shown_paths}: the excludes left out all {excluded} \
             YAML file(s) there ({by})"
        ),
        (_, 0) => anyhow!(
            "no blcheck document found in {shown_paths} ({skipped} YAML file(s) without a \
             top-level `kind`)"
        ),
        _ => anyhow!(
            "no blcheck document found in {shown_paths} ({skipped} YAML file(s) without a \
             top-level `kind`; {excluded} excluded by {by})"
        ),
    }
}

/// Warnings for the `--select` selectors that report nothing in this run:
/// every rule they select is of a policy that applied to no document, or
/// is ignored or turned off. The run still passes or fails as usual; the
/// warning says why it reported nothing for them.
pub fn idle_selections(
    filter: &RuleFilter,
    report: &Report,
    policies: &PolicySet,
    catalogue: &Catalogue,
) -> Vec<String> {
    let live: Vec<&str> = policies
        .policies
        .iter()
        .filter(|p| report.policies.iter().any(|applied| *applied.id == *p.id))
        .flat_map(|p| p.rules.iter().map(|r| &*r.id))
        .chain(catalogue.rules.iter().map(|r| &*r.id))
        .collect();
    filter
        .idle_selectors(&live)
        .into_iter()
        .map(|selector| {
            format!(
                "--select '{selector}' reports nothing in this run: the rules it selects are of \
                 policies that applied to no document, or are ignored or turned off"
            )
        })
        .collect()
}
