//! `blcheck policy test [DIR]`: a policy's test cases audited and compared
//! with what they state (`policy/cases.rs`), with the rules' coverage; and
//! `blcheck policy check FILE...`: policy files validated alone.

use super::{as_of, load_model, load_policies};
use crate::audit::{self, scope::Scope, AuditTerms, RunLimits, RunOptions};
use crate::cli::{PolicyArgs, PolicyCheckArgs, PolicyCommand, PolicyTestArgs};
use crate::discover::{display_path, exclusions, WalkOptions};
use crate::exit_status::ExitStatus;
use crate::policy::cases::{compare, read_case, Case};
use crate::policy::load::is_rule_id;
use crate::policy::Catalogue;
use crate::render;
use crate::render::text::terminal_safe as safe;
use crate::report::Report;
use crate::selection::RuleFilter;
use crate::source::FileLimits;
use anyhow::{bail, Result};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub fn run(args: &PolicyArgs, cwd: &Path) -> Result<ExitStatus> {
    match &args.command {
        PolicyCommand::Test(args) => test(args, cwd),
        PolicyCommand::Check(args) => check(args, cwd),
    }
}

/// `policy check FILE...`: every problem of every file (exit 2), else one
/// line per policy.
fn check(args: &PolicyCheckArgs, cwd: &Path) -> Result<ExitStatus> {
    let set = load_policies(&args.files, cwd)?;
    let mut out = String::new();
    for file in &args.files {
        let display = display_path(file, cwd);
        if let Some(policy) = set
            .policies
            .iter()
            .find(|p| p.origin == crate::policy::Origin::File(display.clone()))
        {
            let params: usize = policy.rules.iter().map(|r| r.params.len()).sum();
            let sourced: usize = policy.rules.iter().map(|r| r.param_sources.len()).sum();
            writeln!(
                out,
                "{}: policy {} {} is valid: {} rule{}, {} declared field{}, {sourced} of {params} parameters with a source",
                safe(&display),
                safe(&policy.id),
                safe(&policy.version),
                policy.rules.len(),
                plural(policy.rules.len()),
                policy.fields.len(),
                plural(policy.fields.len()),
            )?;
        }
    }
    render::write_stdout(out.as_bytes())?;
    Ok(ExitStatus::Clean)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn test(args: &PolicyTestArgs, cwd: &Path) -> Result<ExitStatus> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        bail!(
            "{}: not a directory of policy tests",
            display_path(&dir, cwd)
        );
    }
    let (policy_files, case_files) = files_under(&dir)?;
    let set = load_policies(&policy_files, cwd)?;
    let catalogue = Catalogue::built_in();
    // The rules under test: the folder's policies', else (a folder of cases
    // only, as fixtures/rules) every built-in rule and blcheck's own checks.
    let tested: Vec<String> = if policy_files.is_empty() {
        set.policies
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| r.id.to_string()))
            .chain(catalogue.rules.iter().map(|r| r.id.to_string()))
            .collect()
    } else {
        let files: Vec<String> = policy_files.iter().map(|f| display_path(f, cwd)).collect();
        set.policies
            .iter()
            .filter(|p| matches!(&p.origin, crate::policy::Origin::File(f) if files.contains(f)))
            .flat_map(|p| p.rules.iter().map(|r| r.id.to_string()))
            .collect()
    };
    let known: Vec<(&str, &str)> = set
        .policies
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| (&*r.id, &*r.name)))
        .chain(catalogue.rules.iter().map(|r| (&*r.id, &*r.name)))
        .collect();
    let filter = RuleFilter::new(&[], &[], &known)?;
    let model = load_model()?;
    let default_as_of = as_of(args.date.as_of.as_deref())?;
    let mut out = String::new();
    let mut mismatched_cases = 0;
    let mut passed = BTreeSet::new();
    let mut failed = BTreeSet::new();
    for file in &case_files {
        let display = display_path(file, cwd);
        // A case that cannot be read is a case not as expected; the others
        // still run.
        let text = match crate::safe_read::read_text(
            file,
            crate::safe_read::Links::Refuse,
            crate::source::DEFAULT_MAX_FILE_BYTES,
        ) {
            Ok(text) => text,
            Err(e) => {
                mismatched_cases += 1;
                writeln!(
                    out,
                    "{}: cannot be read: {}",
                    safe(&display),
                    safe(&e.to_string())
                )?;
                continue;
            }
        };
        let folder_rule = file
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .filter(|n| is_rule_id(n));
        let case = match read_case(&text, folder_rule) {
            Ok(case) => case,
            Err(problems) => {
                mismatched_cases += 1;
                for (pos, message) in problems {
                    writeln!(out, "{}:{pos}: {}", safe(&display), safe(&message))?;
                }
                continue;
            }
        };
        let as_of = case.as_of.unwrap_or(default_as_of);
        let terms = AuditTerms {
            policies: &set,
            catalogue: &catalogue,
            as_of,
            filter: &filter,
            content_checks: &[&model],
            keep_results: true,
            group_by: None,
        };
        let report = audit_case(file, &case, &terms, &catalogue, cwd)?;
        let outcome = compare(&case, &report, &display);
        if !outcome.mismatches.is_empty() {
            mismatched_cases += 1;
        }
        for line in &outcome.mismatches {
            writeln!(out, "{}", safe(line))?;
        }
        passed.extend(outcome.passed);
        failed.extend(outcome.failed);
    }
    let covered: Vec<&String> = tested
        .iter()
        .filter(|r| passed.contains(*r) && failed.contains(*r))
        .collect();
    let percent = match tested.len() {
        0 => 100.0,
        n => covered.len() as f64 * 100.0 / n as f64,
    };
    writeln!(
        out,
        "{} case{}: {} as expected, {} not.",
        case_files.len(),
        plural(case_files.len()),
        case_files.len() - mismatched_cases,
        mismatched_cases
    )?;
    writeln!(
        out,
        "Rule coverage: {} of {} rules have a passing and a failing case ({}%).",
        covered.len(),
        tested.len(),
        crate::checks::format_number((percent * 10.0).floor() / 10.0)
    )?;
    for rule in tested.iter().filter(|r| !covered.contains(r)) {
        let lacks = match (passed.contains(rule), failed.contains(rule)) {
            (false, false) => "no passing and no failing case",
            (false, true) => "no passing case",
            _ => "no failing case",
        };
        writeln!(out, "  {}: {lacks}", safe(rule))?;
    }
    let below = args
        .min_coverage
        .filter(|min| percent < f64::from(*min))
        .map(|min| format!("Coverage is below --min-coverage {min}%."));
    if let Some(below) = &below {
        writeln!(out, "{below}")?;
    }
    render::write_stdout(out.as_bytes())?;
    Ok(match (mismatched_cases, below) {
        (0, None) => ExitStatus::Clean,
        _ => ExitStatus::Findings,
    })
}

/// The policy files (TOML with a `[policy]` table) and case files (YAML)
/// under `dir`, sorted.
fn files_under(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut policies = Vec::new();
    let mut cases = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => cases.push(path.to_path_buf()),
            Some("toml") => {
                // Bounded as every policy read is; a file that cannot be
                // read or parsed is taken as a policy, so that loading it
                // reports its problem with its place.
                let text = crate::safe_read::read_text(
                    path,
                    crate::safe_read::Links::Refuse,
                    crate::safe_read::MAX_POLICY_BYTES,
                );
                let is_policy = text.map_or(true, |text| {
                    text.parse::<toml::Table>()
                        .map_or(true, |t| t.get("policy").is_some_and(toml::Value::is_table))
                });
                if is_policy {
                    policies.push(path.to_path_buf());
                }
            }
            _ => {}
        }
    }
    Ok((policies, cases))
}

/// The case audited as `blcheck audit FILE --as-of ...` would.
fn audit_case(
    file: &Path,
    case: &Case,
    terms: &AuditTerms<'_>,
    catalogue: &Catalogue,
    cwd: &Path,
) -> Result<Report> {
    let mut scope = Scope::discover(
        &[file.to_path_buf()],
        Vec::new(),
        &exclusions(&[])?,
        cwd,
        WalkOptions::default(),
    )?;
    let run = RunOptions {
        jobs: Some(1),
        keep_details: true,
        keep_titles: false,
        progress: false,
        limits: FileLimits::default(),
        run_limits: RunLimits::of(catalogue, case.max_documents, case.max_findings),
    };
    audit::run(std::mem::take(&mut scope.candidates), terms, run)
}
