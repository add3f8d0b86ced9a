//! One module per command. Each returns what the render layer prints and
//! the run's exit status; none writes output itself.

pub mod audit;
pub mod audited;
pub mod authoring;
pub mod baseline;
pub mod config;
pub mod diff;
pub mod lsp;
pub mod maturity;
pub mod policy_files;
pub mod renewals;
pub mod rules;
pub mod trace;
pub mod trend;

use crate::cli::{PolicyChoice, PolicySwitches};
use crate::discover::display_path;
use crate::policy::{self, load_policy, Origin, Policy, PolicySet};
use crate::report::{AppliedConfig, PolicyOff};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// The built-in policies plus the `--policy` files, validated before any
/// document is read. Every problem of every file is listed.
pub fn load_policies(files: &[PathBuf], cwd: &Path) -> Result<PolicySet> {
    let mut problems = Vec::new();
    let mut loaded: Vec<Policy> = match policy::built_in() {
        Ok(policies) => policies,
        Err(errors) => {
            problems.extend(errors);
            Vec::new()
        }
    };
    let mut from_files: Vec<(String, String)> = Vec::new();
    for file in files {
        let display = display_path(file, cwd);
        // Policy files can come from a pull request too (`renewals PATHS`,
        // `policies` of a blcheck.toml in the audited repository): bounded,
        // and never a FIFO or a device.
        let text = crate::safe_read::read_text(
            file,
            crate::safe_read::Links::Follow,
            crate::safe_read::MAX_POLICY_BYTES,
        )
        .map_err(|e| anyhow::anyhow!("{display}: cannot read the policy file: {e}"))?;
        match load_policy(&text, Origin::File(display.clone())) {
            Ok(policy) => {
                if let Some((_, other)) = from_files.iter().find(|(id, _)| **id == *policy.id) {
                    bail!(
                        "{display}: policy id '{}' is also loaded from {other}",
                        policy.id
                    );
                }
                from_files.push((policy.id.to_string(), display));
                loaded.push(policy);
            }
            Err(errors) => problems.extend(errors),
        }
    }
    if !problems.is_empty() {
        return Err(invalid("policy", &problems));
    }
    let set = PolicySet::new(loaded);
    let unknown = policy::trace::unknown_rules(&set);
    if !unknown.is_empty() {
        return Err(invalid("policy", &unknown));
    }
    let conflicts = policy::fields::formats(&set.policies).1;
    if !conflicts.is_empty() {
        return Err(invalid("policy", &conflicts));
    }
    let mut seen = std::collections::BTreeMap::new();
    for policy in &set.policies {
        for rule in &policy.rules {
            if let Some(other) = seen.insert(rule.id.clone(), policy.id.clone()) {
                bail!(
                    "rule {} is defined by both {} and {}",
                    rule.id,
                    other,
                    policy.id
                );
            }
        }
    }
    Ok(set)
}

/// What a run's rules are: the settings file (unless `no_config`), the
/// policies it and the flags name, and the catalogue, with the file's
/// severity and parameter overrides applied and the policies switched off
/// left out. Also the rules turned off, and what the settings changed.
pub struct LoadedRules {
    pub settings: crate::settings::Settings,
    pub policies: PolicySet,
    pub catalogue: crate::policy::Catalogue,
    pub off: Vec<String>,
    pub config: AppliedConfig,
}

pub fn load_rules(choice: &PolicyChoice, cwd: &Path) -> Result<LoadedRules> {
    use crate::settings;
    let settings = match (
        choice.no_config,
        settings::find(choice.config.as_deref(), cwd)?,
    ) {
        (false, Some(file)) => settings::load(&file, cwd)?,
        _ => settings::Settings::default(),
    };
    let files: Vec<PathBuf> = settings
        .policies
        .iter()
        .chain(&choice.policy)
        .cloned()
        .collect();
    let mut policies = load_policies(&files, cwd)?;
    let mut catalogue = crate::policy::Catalogue::built_in();
    let (off, overrides) = settings.apply(&mut policies, &mut catalogue)?;
    let policies_off = policies_off(&settings, &choice.switches, &policies)?;
    if !policies_off.is_empty() {
        let kept = policies
            .policies
            .into_iter()
            .filter(|p| !policies_off.iter().any(|off| off.id == *p.id))
            .collect();
        policies = PolicySet::new(kept);
    }
    Ok(LoadedRules {
        config: AppliedConfig {
            file: settings.file.clone(),
            overrides,
            policies_off,
        },
        settings,
        policies,
        catalogue,
        off,
    })
}

/// The loaded policies not to apply, and what says so: blcheck.toml's
/// `builtin_policies = false` and `disabled_policies`, the flags
/// `--no-builtin-policies` and `--without-policy`. An id that names no
/// loaded policy is an error, where it is written.
fn policies_off(
    settings: &crate::settings::Settings,
    switches: &PolicySwitches,
    policies: &PolicySet,
) -> Result<Vec<PolicyOff>> {
    let mut off: Vec<PolicyOff> = Vec::new();
    let mut switch_off = |id: &str, by: String| {
        if !off.iter().any(|o| o.id == id) {
            off.push(PolicyOff {
                id: id.to_string(),
                by,
            });
        }
    };
    let builtin_off = match (&settings.no_builtin_policies, switches.no_builtin_policies) {
        (_, true) => Some("--no-builtin-policies".to_string()),
        (Some(place), false) => Some(format!("{place}: builtin_policies = false")),
        (None, false) => None,
    };
    if let Some(by) = builtin_off {
        for policy in &policies.policies {
            if matches!(policy.origin, Origin::BuiltIn(_)) {
                switch_off(&policy.id, by.clone());
            }
        }
    }
    let named = settings
        .disabled_policies
        .iter()
        .map(|(id, place)| (id.clone(), format!("{place}: disabled_policies")))
        .chain(switches.without_policy.iter().map(|id| {
            (
                id.trim().to_string(),
                format!("--without-policy {}", id.trim()),
            )
        }));
    for (id, by) in named {
        if policies.get(&id).is_none() {
            let known: Vec<&str> = policies.policies.iter().map(|p| &*p.id).collect();
            // A shortened id (`sts-blended`) is as likely as a typo.
            let hint = crate::document::validate::suggestion(&id, known.iter().copied())
                .or_else(|| known.iter().copied().find(|k| k.starts_with(id.as_str())))
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
            bail!(
                "{by}: no loaded policy '{id}'{hint}; loaded: {}",
                known.join(", ")
            );
        }
        switch_off(&id, by);
    }
    Ok(off)
}

/// The built-in maturity model. It is tested to load; were it broken, every
/// problem is listed, as for an invalid policy.
pub fn load_model() -> Result<crate::maturity::Model> {
    crate::maturity::Model::built_in().map_err(|problems| invalid("maturity model", &problems))
}

/// The error for an invalid file: every problem on its own line.
fn invalid(what: &str, problems: &[policy::PolicyError]) -> anyhow::Error {
    let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    anyhow::anyhow!("invalid {what}:\n{}", lines.join("\n"))
}

/// The date an audit is made as of: `--as-of`, or today.
pub fn as_of(flag: Option<&str>) -> Result<chrono::NaiveDate> {
    match flag {
        Some(text) => {
            crate::dates::parse_date(text).map_err(|e| anyhow::anyhow!("--as-of '{text}': {e}"))
        }
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// How many times the available cores `--jobs` may ask for. Audit work is
/// CPU-bound: more threads than a few per core buy nothing, and each costs
/// a stack (2 MiB reserved by rayon), so `--jobs 100000` would exhaust
/// the runner's memory or thread limit before the first file is read.
const JOBS_PER_CORE: usize = 4;

/// `--jobs` as a run uses it: `requested` capped at [`JOBS_PER_CORE`]
/// times `cores`, with the warning that says so when it was.
pub fn capped_jobs(requested: Option<usize>, cores: usize) -> (Option<usize>, Option<String>) {
    let most = cores.max(1).saturating_mul(JOBS_PER_CORE);
    match requested {
        Some(n) if n > most => (
            Some(most),
            Some(format!(
                "--jobs {n} is more than {JOBS_PER_CORE} threads per available core \
                 ({cores}); using {most}"
            )),
        ),
        other => (other, None),
    }
}

/// The cores this process may run on (its affinity and cgroup quota
/// included, as `std` reads them), 1 when they cannot be told.
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The largest logo blcheck embeds: a report is mailed and printed, and
/// a logo of more than this is most likely the wrong file.
const MAX_LOGO_BYTES: u64 = 1024 * 1024;

/// Who the report is for and what it covers, from blcheck.toml and the
/// command line; the logo is read now, so that a missing one is an error
/// before the audit runs.
pub fn report_identity(
    settings: &crate::settings::Settings,
    paths: &[PathBuf],
    generated_at: bool,
    cwd: &Path,
) -> Result<crate::render::identity::ReportIdentity> {
    use crate::render::identity::{Logo, ReportIdentity};
    let logo = match &settings.report_logo {
        None => None,
        Some(path) => {
            let shown = display_path(path, cwd);
            let bytes = crate::safe_read::read_bounded(
                path,
                crate::safe_read::Links::Follow,
                MAX_LOGO_BYTES,
            )
            .map_err(|e| anyhow::anyhow!("{shown}: cannot read the report_logo: {e}"))?;
            let media_type = path
                .extension()
                .and_then(|e| e.to_str())
                .and_then(Logo::media_type_of)
                .unwrap_or("application/octet-stream");
            Some(Logo { media_type, bytes })
        }
    };
    Ok(ReportIdentity {
        organisation: settings.organisation.clone(),
        title: settings.report_title.clone(),
        logo,
        config: settings.file.clone(),
        audited: paths.iter().map(|p| display_path(p, cwd)).collect(),
        generated_at: generated_at.then(chrono::Utc::now),
        thresholds: settings.thresholds,
    })
}

#[cfg(test)]
mod jobs_tests {
    use super::capped_jobs;

    #[test]
    fn jobs_are_capped_at_four_per_core_with_a_warning() {
        assert_eq!(capped_jobs(None, 2), (None, None));
        assert_eq!(capped_jobs(Some(1), 2), (Some(1), None));
        assert_eq!(capped_jobs(Some(8), 2), (Some(8), None));
        let (jobs, warning) = capped_jobs(Some(9), 2);
        assert_eq!(jobs, Some(8));
        assert_eq!(
            warning.as_deref(),
            Some("--jobs 9 is more than 4 threads per available core (2); using 8")
        );
        assert_eq!(capped_jobs(Some(usize::MAX), 0).0, Some(4));
    }
}
