//! `blcheck.toml`: project defaults for `audit`, found in the current
//! directory or the nearest parent (or given with `--config`). Flags win
//! over the file. Paths in the file are relative to the file's directory.

use crate::checks::format_number;
use crate::discover::{display_path, exclusions, Exclude};
use crate::policy::load::LineIndex;
use crate::policy::{Catalogue, PolicySet};
use crate::render::compliance::RagThresholds;
use crate::render::identity::Logo;
use crate::report::{ConfigOverride, Severity};
use anyhow::{anyhow, bail, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "blcheck.toml";

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    policies: Vec<String>,
    /// `false`: apply none of the built-in policies.
    builtin_policies: Option<Spanned<bool>>,
    /// Ids of loaded policies not to apply.
    #[serde(default)]
    disabled_policies: Vec<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RawRuleSettings>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
    docs_url: Option<Spanned<String>>,
    baseline: Option<String>,
    organisation: Option<Spanned<String>>,
    report_title: Option<Spanned<String>>,
    report_logo: Option<Spanned<String>>,
    compliance: Option<Spanned<RawCompliance>>,
}

/// `[compliance]`: the red/amber/green thresholds, in percent.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompliance {
    green: f64,
    amber: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSettings {
    severity: Option<Spanned<String>>,
    #[serde(default)]
    params: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    paths: Vec<Spanned<String>>,
    rules: Vec<String>,
}

/// What a rule's severity becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeverityOverride {
    Off,
    To(Severity),
}

/// The validated settings of a `blcheck.toml`.
#[derive(Debug, Default)]
pub struct Settings {
    /// The file, as shown to users; `None` when there is none.
    pub file: Option<String>,
    pub paths: Vec<PathBuf>,
    /// Relative to the settings file's directory.
    pub exclude: Vec<Exclude>,
    pub policies: Vec<PathBuf>,
    /// Where `builtin_policies = false` is written, when it is.
    pub no_builtin_policies: Option<String>,
    /// Policy ids not applied, each with where it is written.
    pub disabled_policies: Vec<(String, String)>,
    /// `None`: never fail.
    pub fail_on: Option<Option<Severity>>,
    pub severities: BTreeMap<String, (SeverityOverride, String)>,
    pub params: BTreeMap<String, Vec<(String, f64, String)>>,
    pub ignores: Vec<PathIgnore>,
    /// Where the rule docs are published (`docs/rules.md` on a web host):
    /// Markdown reports link each rule id to its heading there.
    pub docs_url: Option<String>,
    /// The baseline `audit` reads (relative to the settings file's
    /// directory), as `--baseline` would name it.
    pub baseline: Option<PathBuf>,
    /// `organisation`: who the HTML report and the workbook are for.
    pub organisation: Option<String>,
    /// `report_title`: the heading of the HTML report and the workbook.
    pub report_title: Option<String>,
    /// `report_logo`: an image embedded in the HTML report's header.
    pub report_logo: Option<PathBuf>,
    /// `[compliance]`: the red/amber/green thresholds of the compliance rates.
    pub thresholds: Option<RagThresholds>,
}

/// Rules not reported for files matching some globs. The globs are
/// relative to the settings file's directory, wherever blcheck runs from.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    pub globs: GlobSet,
    pub rules: Vec<String>,
    /// The settings file's directory and the current directory.
    pub base: PathBuf,
    pub cwd: PathBuf,
}

impl PathIgnore {
    /// Whether `file` (as shown: relative to the current directory) is
    /// matched.
    pub fn matches(&self, file: &str) -> bool {
        let absolute = self.cwd.join(file);
        let relative = display_path(&absolute, &self.base);
        self.globs.is_match(&relative)
    }
}

/// Finds the settings file: `explicit`, or `blcheck.toml` in `cwd` or the
/// nearest parent.
pub fn find(explicit: Option<&Path>, cwd: &Path) -> Result<Option<PathBuf>> {
    if let Some(path) = explicit {
        if path.symlink_metadata().is_err() {
            bail!("{}: no such configuration file", path.display());
        }
        return Ok(Some(path.to_path_buf()));
    }
    // Anything by that name but a folder is taken, and `load` refuses what
    // is not a regular file: a FIFO or a dangling link named blcheck.toml
    // must not leave its settings silently unapplied.
    Ok(cwd
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.symlink_metadata().is_ok() && !p.is_dir()))
}

/// Loads and validates a settings file; every problem is located.
pub fn load(path: &Path, cwd: &Path) -> Result<Settings> {
    let display = display_path(path, cwd);
    let text = crate::safe_read::read_text(
        path,
        crate::safe_read::Links::Follow,
        crate::safe_read::MAX_SETTINGS_BYTES,
    )
    .map_err(|e| anyhow!("{display}: {e}"))?;
    let lines = LineIndex::new(&text);
    let at = |span: std::ops::Range<usize>| format!("{display}:{}", lines.pos(span.start));
    let raw: RawSettings = toml::from_str(&text).map_err(|e| {
        anyhow!(
            "invalid configuration:\n  {}: {}",
            at(e.span().unwrap_or(0..0)),
            e.message().trim()
        )
    })?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    let fail_on = match &raw.fail_on {
        None => None,
        Some(value) => match value.get_ref().as_str() {
            "error" => Some(Some(Severity::Error)),
            "warning" => Some(Some(Severity::Warning)),
            "never" => Some(None),
            other => {
                problems.push(format!(
                    "{}: fail_on '{other}' is not error, warning or never",
                    at(value.span())
                ));
                None
            }
        },
    };
    let mut severities = BTreeMap::new();
    let mut params = BTreeMap::new();
    for (rule, settings) in &raw.rules {
        let id = rule.get_ref().to_uppercase();
        if let Some(severity) = &settings.severity {
            let chosen = match severity.get_ref().as_str() {
                "off" => Some(SeverityOverride::Off),
                word => Severity::parse(word).map(SeverityOverride::To),
            };
            match chosen {
                Some(chosen) => {
                    severities.insert(id.clone(), (chosen, at(severity.span())));
                }
                None => problems.push(format!(
                    "{}: severity '{}' is not error, warning, info or off",
                    at(severity.span()),
                    severity.get_ref()
                )),
            }
        }
        for (name, value) in &settings.params {
            match crate::policy::load::policy_number(value.get_ref()) {
                Some(Ok(n)) => params.entry(id.clone()).or_insert_with(Vec::new).push((
                    name.clone(),
                    n,
                    at(value.span()),
                )),
                Some(Err(problem)) => problems.push(format!(
                    "{}: parameter '{name}' {problem}",
                    at(value.span())
                )),
                None => problems.push(format!(
                    "{}: parameter '{name}' must be a number",
                    at(value.span())
                )),
            }
        }
    }
    let absolute_base = if base.is_absolute() {
        base.to_path_buf()
    } else {
        cwd.join(base)
    };
    let mut exclude = Vec::new();
    for glob in &raw.exclude {
        let entry = Exclude {
            glob: glob.get_ref().clone(),
            base: absolute_base.clone(),
            origin: format!("{}: exclude", at(glob.span())),
        };
        match exclusions(std::slice::from_ref(&entry)) {
            Ok(_) => exclude.push(entry),
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    let mut ignores = Vec::new();
    for ignore in &raw.ignore {
        let mut builder = GlobSetBuilder::new();
        for glob in &ignore.paths {
            match Glob::new(glob.get_ref()) {
                Ok(g) => {
                    builder.add(g);
                }
                Err(e) => problems.push(format!("{}: invalid glob: {e}", at(glob.span()))),
            }
        }
        if let Ok(globs) = builder.build() {
            ignores.push(PathIgnore {
                globs,
                rules: ignore
                    .rules
                    .iter()
                    .map(|r| r.trim().to_uppercase())
                    .collect(),
                base: absolute_base.clone(),
                cwd: cwd.to_path_buf(),
            });
        }
    }
    let docs_url = raw
        .docs_url
        .as_ref()
        .and_then(|url| match docs_url_problem(url.get_ref()) {
            None => Some(url.get_ref().clone()),
            Some(problem) => {
                problems.push(format!("{}: docs_url {problem}", at(url.span())));
                None
            }
        });
    let text_value = |value: &Option<Spanned<String>>, key: &str, problems: &mut Vec<String>| {
        let value = value.as_ref()?;
        if value.get_ref().trim().is_empty() {
            problems.push(format!("{}: {key} is empty", at(value.span())));
            return None;
        }
        Some(value.get_ref().clone())
    };
    let organisation = text_value(&raw.organisation, "organisation", &mut problems);
    let report_title = text_value(&raw.report_title, "report_title", &mut problems);
    let report_logo = raw.report_logo.as_ref().and_then(|logo| {
        let path = Path::new(logo.get_ref());
        let known = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Logo::media_type_of);
        match known {
            Some(_) => Some(base.join(path)),
            None => {
                problems.push(format!(
                    "{}: report_logo must be a .png, .jpg, .gif, .svg or .webp image",
                    at(logo.span())
                ));
                None
            }
        }
    });
    let thresholds = raw.compliance.as_ref().and_then(|c| {
        let RawCompliance { green, amber } = *c.get_ref();
        let in_range = |n: f64| (0.0..=100.0).contains(&n);
        if in_range(green) && in_range(amber) && amber <= green {
            Some(RagThresholds { green, amber })
        } else {
            problems.push(format!(
                "{}: [compliance] needs 0 <= amber <= green <= 100 (percentages), not green = {green}, amber = {amber}",
                at(c.span())
            ));
            None
        }
    });
    if !problems.is_empty() {
        bail!("invalid configuration:\n  {}", problems.join("\n  "));
    }
    let no_builtin_policies = raw
        .builtin_policies
        .as_ref()
        .filter(|on| !on.get_ref())
        .map(|on| at(on.span()));
    let disabled_policies = raw
        .disabled_policies
        .iter()
        .map(|id| (id.get_ref().trim().to_string(), at(id.span())))
        .collect();
    Ok(Settings {
        organisation,
        report_title,
        report_logo,
        thresholds,
        file: Some(display),
        paths: raw.paths.iter().map(|p| base.join(p)).collect(),
        exclude,
        policies: raw.policies.iter().map(|p| base.join(p)).collect(),
        no_builtin_policies,
        disabled_policies,
        fail_on,
        severities,
        params,
        ignores,
        docs_url,
        baseline: raw.baseline.as_ref().map(|b| base.join(b)),
    })
}

/// Why `url` cannot be the rule docs' address, if it cannot. A report
/// read in a course repository or a pull-request comment needs an
/// absolute web address; the rule's anchor is added to it, and it is
/// written into Markdown as is, so it holds nothing that could end the
/// link.
fn docs_url_problem(url: &str) -> Option<&'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        None => Some("must be an absolute http:// or https:// address"),
        Some("") => Some("must name a host after the scheme"),
        Some(_) if url.contains('#') => {
            Some("must not hold a '#': the rule's anchor (#blp001) is added to it")
        }
        Some(_)
            if url.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`')
            }) =>
        {
            Some("must not hold spaces, control characters, quotes or angle brackets")
        }
        Some(_) => None,
    }
}

impl Settings {
    /// Applies severity and parameter overrides to the loaded rules. Rules
    /// turned `off` are returned, to be left out of the run, with every
    /// change made (for the reports to show). Every rule and parameter
    /// named must exist, and every parameter lie in its checks' range.
    pub fn apply(
        &self,
        policies: &mut PolicySet,
        catalogue: &mut Catalogue,
    ) -> Result<(Vec<String>, Vec<ConfigOverride>)> {
        let mut off = Vec::new();
        let mut changes = Vec::new();
        for (id, (choice, place)) in &self.severities {
            let was = match (policies.rule(id), catalogue.get(id)) {
                (Some((_, rule)), _) => rule.severity,
                (None, Some(rule)) => rule.severity,
                (None, None) => bail!("{place}: no rule {id}; `blcheck rules` lists them"),
            };
            changes.push(ConfigOverride {
                rule: id.clone(),
                setting: "severity".into(),
                value: match choice {
                    SeverityOverride::Off => "off".into(),
                    SeverityOverride::To(severity) => severity.as_str().into(),
                },
                policy_value: was.as_str().into(),
                place: place.clone(),
            });
            match choice {
                SeverityOverride::Off => off.push(id.clone()),
                SeverityOverride::To(severity) => {
                    if let Some(rule) = policies.rule_mut(id) {
                        rule.severity = *severity;
                    }
                    if let Some(rule) = catalogue.rules.iter_mut().find(|r| &*r.id == id.as_str()) {
                        rule.severity = *severity;
                    }
                }
            }
        }
        for (id, values) in &self.params {
            for (name, value, place) in values {
                let slot = match policies.rule_mut(id) {
                    Some(rule) => rule.params.get_mut(name),
                    None => catalogue
                        .rules
                        .iter_mut()
                        .find(|r| &*r.id == id.as_str())
                        .and_then(|r| r.params.get_mut(name)),
                };
                match slot {
                    Some(slot) => {
                        changes.push(ConfigOverride {
                            rule: id.clone(),
                            setting: name.clone(),
                            value: format_number(*value),
                            policy_value: format_number(*slot),
                            place: place.clone(),
                        });
                        *slot = *value;
                    }
                    None => bail!("{place}: {id} has no parameter '{name}'; `blcheck explain {id}` lists its parameters"),
                }
            }
            if let Some(problem) = policies.rule(id).and_then(|(_, rule)| rule.param_problem()) {
                let place = values
                    .iter()
                    .find(|(name, ..)| problem.contains(&format!("'{name}'")))
                    .map_or(&values[0].2, |(_, _, place)| place);
                bail!("{place}: {id}: {problem} (as blcheck.toml sets it)");
            }
        }
        Ok((off, changes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn loads_every_key() {
        let (dir, path) = write(
            "paths = [\"courses\"]\nbaseline = \"blcheck-baseline.json\"\nexclude = [\"drafts\"]\nfail_on = \"warning\"\n[rules.BLP014]\nseverity = \"off\"\n[rules.blp002]\nparams = { max_age_days = 400 }\n[[ignore]]\npaths = [\"legacy/**\"]\nrules = [\"EVL\"]\n",
        );
        let settings = load(&path, dir.path()).unwrap();
        assert_eq!(settings.paths, [dir.path().join("courses")]);
        assert_eq!(settings.fail_on, Some(Some(Severity::Warning)));
        assert_eq!(settings.severities["BLP014"].0, SeverityOverride::Off);
        assert_eq!(settings.params["BLP002"][0].1, 400.0);
        assert!(settings.ignores[0].matches("legacy/a.yaml"));
        assert_eq!(settings.exclude[0].glob, "drafts");
        assert_eq!(settings.exclude[0].base, dir.path());
        assert_eq!(settings.exclude[0].origin, "blcheck.toml:3:12: exclude");
        assert_eq!(
            settings.baseline,
            Some(dir.path().join("blcheck-baseline.json"))
        );
        assert!(!settings.ignores[0].matches("courses/a.yaml"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located() {
        let (dir, path) = write("paths = []\nfail-on = \"x\"\n");
        let err = load(&path, dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("blcheck.toml:2:1") && err.contains("fail-on"),
            "{err}"
        );
        let (dir, path) = write("fail_on = \"sometimes\"\n[rules.BLP001]\nseverity = \"fatal\"\n");
        let err = load(&path, dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("blcheck.toml:1:11: fail_on 'sometimes'"),
            "{err}"
        );
        assert!(err.contains("blcheck.toml:3:12: severity 'fatal'"), "{err}");
    }

    #[test]
    fn docs_url_must_be_an_absolute_web_address() {
        let (dir, path) = write("docs_url = \"https://example.org/blcheck/rules.md\"\n");
        let settings = load(&path, dir.path()).unwrap();
        assert_eq!(
            settings.docs_url.as_deref(),
            Some("https://example.org/blcheck/rules.md")
        );
        for bad in [
            "docs/rules.md",
            "https://",
            "ftp://example.org/rules.md",
            "https://example.org/rules.md#blp001",
            "https://example.org/a b.md",
            "https://example.org/a>b.md",
            "https://example.org/\\u001b]8;;",
        ] {
            let (dir, path) = write(&format!("\n\ndocs_url = \"{bad}\"\n"));
            let err = load(&path, dir.path()).unwrap_err().to_string();
            assert!(err.contains("blcheck.toml:3:12: docs_url"), "{bad}: {err}");
        }
    }

    #[test]
    fn names_the_organisation_and_the_compliance_thresholds() {
        let (dir, path) = write(
            "organisation = \"Northfield College\"\nreport_title = \"Inspection pack\"\nreport_logo = \"brand/logo.svg\"\n[compliance]\ngreen = 95\namber = 80.5\n",
        );
        let settings = load(&path, dir.path()).unwrap();
        assert_eq!(settings.organisation.as_deref(), Some("Northfield College"));
        assert_eq!(settings.report_title.as_deref(), Some("Inspection pack"));
        assert_eq!(
            settings.report_logo,
            Some(dir.path().join("brand/logo.svg"))
        );
        assert_eq!(
            settings.thresholds,
            Some(RagThresholds {
                green: 95.0,
                amber: 80.5
            })
        );
        for (bad, expected) in [
            (
                "[compliance]\ngreen = 80\namber = 90\n",
                "blcheck.toml:1:1: [compliance] needs",
            ),
            (
                "[compliance]\ngreen = 101\namber = 90\n",
                "[compliance] needs",
            ),
            (
                "report_logo = \"logo.bmp\"\n",
                "blcheck.toml:1:15: report_logo must be",
            ),
            (
                "organisation = \" \"\n",
                "blcheck.toml:1:16: organisation is empty",
            ),
        ] {
            let (dir, path) = write(bad);
            let err = load(&path, dir.path()).unwrap_err().to_string();
            assert!(err.contains(expected), "{bad}: {err}");
        }
    }

    #[test]
    fn is_found_in_the_nearest_parent() {
        let (dir, path) = write("");
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(find(None, &nested).unwrap(), Some(path));
    }
}
