//! What the server audits with: the workspace's blcheck.toml, the policies
//! it names and the built-in ones, the catalogue, the maturity model and
//! the as-of date, loaded as `blcheck audit` loads them from the workspace
//! root, and which files of the workspace an audit reads.

use crate::audit::{scope::Scope, AuditTerms, ContentCheck, RunLimits};
use crate::commands::{load_model, load_rules, LoadedRules};
use crate::discover::{absolute, exclusions, is_yaml, Candidate, Exclude, WalkOptions};
use crate::maturity::Model;
use crate::policy::{describe::RuleInfo, Catalogue, PolicySet};
use crate::selection::RuleFilter;
use crate::settings::Settings;
use anyhow::Result;
use chrono::NaiveDate;
use globset::GlobSet;
use std::path::{Path, PathBuf};

/// The rules of one workspace, as loaded; loaded again when blcheck.toml
/// or a policy file changes.
pub struct Rules {
    pub settings: Settings,
    pub policies: PolicySet,
    pub catalogue: Catalogue,
    pub filter: RuleFilter,
    pub model: Model,
    pub as_of: NaiveDate,
    pub limits: RunLimits,
    /// Every rule's explanation, for hover.
    pub explained: Vec<RuleInfo>,
    /// What the audit reads: `paths` of blcheck.toml (else the root), less
    /// its excludes. All absolute.
    paths: Vec<PathBuf>,
    excludes: Vec<Exclude>,
    compiled: GlobSet,
    /// The settings file and the policy files, whose change reloads the rules.
    pub sources: Vec<PathBuf>,
}

impl Rules {
    /// Loads the rules `blcheck audit` run at `root` would use.
    pub fn load(root: &Path, as_of: NaiveDate) -> Result<Rules> {
        let LoadedRules {
            settings,
            policies,
            catalogue,
            off,
            config: _,
        } = load_rules(&crate::cli::PolicyChoice::default(), root)?;
        let known: Vec<(&str, &str)> = policies
            .policies
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| (&*r.id, &*r.name)))
            .chain(catalogue.rules.iter().map(|r| (&*r.id, &*r.name)))
            .collect();
        let mut filter =
            RuleFilter::new(&[], &[], &known)?.with_path_ignores(settings.ignores.clone());
        filter.turn_off(off);
        let excludes = settings.exclude.clone();
        let compiled = exclusions(&excludes)?;
        let paths = match settings.paths.is_empty() {
            true => vec![root.to_path_buf()],
            false => settings.paths.iter().map(|p| absolute(p, root)).collect(),
        };
        let mut sources: Vec<PathBuf> = settings
            .policies
            .iter()
            .map(|p| absolute(p, root))
            .collect();
        sources.extend(crate::settings::find(None, root)?.map(|p| absolute(&p, root)));
        let explained = crate::policy::describe::catalogue(&policies, &catalogue);
        let limits = RunLimits::of(&catalogue, None, None);
        Ok(Rules {
            settings,
            policies,
            catalogue,
            filter,
            model: load_model()?,
            as_of,
            limits,
            explained,
            paths,
            excludes,
            compiled,
            sources,
        })
    }

    /// Runs `work` with the terms every document is audited on.
    pub fn with_terms<R>(&self, work: impl FnOnce(&AuditTerms<'_>) -> R) -> R {
        let checks: [&dyn ContentCheck; 1] = [&self.model];
        work(&AuditTerms {
            policies: &self.policies,
            catalogue: &self.catalogue,
            as_of: self.as_of,
            filter: &self.filter,
            content_checks: &checks,
            keep_results: false,
            group_by: None,
        })
    }

    /// Every file the audit of the workspace reads, as `audit` finds them
    /// (sorted by the names shown, relative to `root`).
    pub fn discover(&self, root: &Path) -> Result<Vec<Candidate>> {
        let scope = Scope::discover(
            &self.paths,
            self.excludes.clone(),
            &self.compiled,
            root,
            WalkOptions::default(),
        )?;
        Ok(scope.candidates)
    }

    /// Whether the audit would read `path` (absolute), as `discover` would
    /// find it; a file not yet saved counts when it is a YAML file under
    /// the audited paths.
    pub fn covers(&self, path: &Path, root: &Path) -> bool {
        if !is_yaml(path) || !self.paths.iter().any(|p| path.starts_with(p)) {
            return false;
        }
        if !path.exists() {
            return true;
        }
        Scope::discover(
            &[path.to_path_buf()],
            self.excludes.clone(),
            &self.compiled,
            root,
            WalkOptions::default(),
        )
        .is_ok_and(|scope| !scope.candidates.is_empty())
    }

    /// Whether a change to `path` changes the rules.
    pub fn is_source(&self, path: &Path) -> bool {
        self.sources.iter().any(|s| s == path)
            || path
                .file_name()
                .is_some_and(|n| n == crate::settings::FILE_NAME)
    }
}
