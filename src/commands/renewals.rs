//! `blcheck renewals`: gather the register (built-in policies, those of
//! blcheck.toml and `--policy`, and the policy TOML files and
//! `PolicyDocument`s under PATHS), check every version-control sheet as of
//! the as-of date, and report each document's renewal status.
//!
//! What under PATHS cannot be read or is invalid is a located problem of
//! the report, listed beside the rest of the register, and fails the run
//! (exit 1) as an overdue policy does: a register read in part cannot say
//! that nothing is overdue, but one broken file should not hide every
//! other renewal either. The policies the run is configured with
//! (blcheck.toml, `--policy`) must load, as for `audit` (exit 2).

use super::{as_of, load_rules, LoadedRules};
use crate::cli::RenewalsArgs;
use crate::discover::{discover_matching, display_path, exclusions, is_yaml, Candidate};
use crate::document::Kind;
use crate::exit_status::ExitStatus;
use crate::policy::{load_policy, Origin, Policy, PolicyError};
use crate::render::{self, renewals::write_renewals};
use crate::renewals::register::{duplicate_ids, from_document, from_policy, DocumentEntry};
use crate::renewals::{RegisterEntry, RenewalReport};
use crate::source::{read, FileContent, FileLimits};
use crate::yaml::Pos;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub fn run(args: &RenewalsArgs, cwd: &Path) -> Result<ExitStatus> {
    let outputs = render::plan_outputs(&args.format, &args.files.output, &args.files.order)?;
    let as_of = as_of(args.date.as_of.as_deref())?;
    let limits = FileLimits::default();
    let LoadedRules {
        settings, policies, ..
    } = load_rules(&args.policy_choice(), cwd)?;
    let named_paths = !args.paths.is_empty();
    let paths: &[PathBuf] = if named_paths {
        &args.paths
    } else {
        &settings.paths
    };
    let found = discover_matching(
        paths,
        &exclusions(&settings.exclude)?,
        cwd,
        is_register_file,
    )?;
    render::refuse_inputs(&outputs, found.iter().map(|c| &*c.path), |_| false)?;

    let mut problems: Vec<PolicyError> = Vec::new();
    let (mut tomls, mut yamls) = (Vec::new(), Vec::new());
    for candidate in found {
        // A link not followed, a loop, a device: never opened, but listed,
        // since it may be part of the register.
        if let Some(problem) = &candidate.problem {
            problems.push(at_start(&candidate.display, problem.to_string()));
        } else if is_toml(&candidate.path) {
            tomls.push(candidate);
        } else {
            yamls.push(candidate);
        }
    }
    let configured: BTreeSet<String> = settings
        .policies
        .iter()
        .chain(&args.policy)
        .map(|path| display_path(path, cwd))
        .collect();
    let mut policies = policies.policies;
    let found_policies = read_policies(&tomls, &configured, &limits, &mut policies, &mut problems);
    // PolicyDocuments follow their format as the loaded policies' declared
    // fields extend it; declarations in conflict are problems of the register.
    let (formats, conflicts) = crate::policy::fields::formats(&policies);
    problems.extend(conflicts);
    let format = formats
        .get(&Kind::PolicyDocument)
        .copied()
        .unwrap_or(Kind::PolicyDocument.fields());
    let documents = read_documents(&yamls, format, as_of, &limits, &mut problems);
    let found_any = found_policies > 0 || !documents.is_empty() || !problems.is_empty();
    // A typo in PATHS should not pass as an empty register; the paths of
    // blcheck.toml are `audit`'s too and may hold no register at all.
    if named_paths && !found_any {
        bail!(
            "no policy TOML file or PolicyDocument found in {}",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut entries: Vec<RegisterEntry> = Vec::new();
    for policy in &policies {
        match from_policy(policy, as_of) {
            Ok(entry) => entries.push(entry),
            Err(problem) => problems.push(problem),
        }
    }
    let (documents, duplicates) = duplicate_ids(&entries, documents);
    problems.extend(duplicates);
    entries.extend(documents.into_iter().map(|d| d.entry));
    let report = RenewalReport::new(entries, as_of, args.within).with_problems(problems);
    write_renewals(&report, &outputs, args.colour.color, args.csv_dialect)?;
    Ok(if report.fails() {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// Directories contribute policy TOML files and YAML documents.
fn is_register_file(path: &Path) -> bool {
    is_toml(path) || is_yaml(path)
}

fn is_toml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// A problem with a whole file: at its start.
fn at_start(file: &str, message: String) -> PolicyError {
    PolicyError {
        file: file.to_string(),
        pos: Pos { line: 1, column: 1 },
        message,
    }
}

/// Adds the policies of the TOML files found under PATHS to `policies` and
/// returns how many policy files were found; every file that cannot be read or loaded
/// is a problem. A file named by blcheck.toml or `--policy` is loaded
/// already. A TOML file without a `[policy]` table (`Cargo.toml`,
/// `blcheck.toml`) is not a policy; one that is not valid TOML is read as
/// a policy, so that its syntax error is listed with its place rather than
/// the file being left out. A policy with a built-in's id replaces the
/// built-in (a newer copy, as in `audit`); one with the id, or a rule id,
/// of another loaded policy is refused.
fn read_policies(
    files: &[Candidate],
    configured: &BTreeSet<String>,
    limits: &FileLimits,
    policies: &mut Vec<Policy>,
    problems: &mut Vec<PolicyError>,
) -> usize {
    let mut found = 0;
    for file in files {
        if configured.contains(&*file.display) {
            // Listed already, and found: PATHS did hold a policy.
            found += 1;
            continue;
        }
        let text = match read_text(&file.path, limits) {
            Ok(text) => text,
            Err(message) => {
                problems.push(at_start(&file.display, message));
                continue;
            }
        };
        let not_a_policy = text
            .parse::<toml::Table>()
            .is_ok_and(|table| !table.get("policy").is_some_and(toml::Value::is_table));
        if not_a_policy {
            continue;
        }
        let policy = match load_policy(&text, Origin::File(file.display.to_string())) {
            Ok(policy) => policy,
            Err(errors) => {
                problems.extend(errors);
                continue;
            }
        };
        let others = || {
            policies
                .iter()
                .filter(|p| p.id != policy.id || !matches!(p.origin, Origin::BuiltIn(_)))
        };
        if let Some(other) = others().find(|p| p.id == policy.id) {
            problems.push(at_start(
                &file.display,
                format!(
                    "policy id '{}' is also loaded from {}",
                    policy.id,
                    other.origin.source()
                ),
            ));
            continue;
        }
        let clash = policy.rules.iter().find_map(|rule| {
            others()
                .find(|p| p.rules.iter().any(|r| r.id == rule.id))
                .map(|p| (rule.id.clone(), p.id.clone()))
        });
        if let Some((rule, other)) = clash {
            problems.push(at_start(
                &file.display,
                format!("rule {rule} is also defined by policy {other}"),
            ));
            continue;
        }
        policies.retain(|p| p.id != policy.id);
        policies.push(policy);
        found += 1;
    }
    found
}

/// A TOML file's text, read like a document (bounded, never a FIFO or a
/// device); why not, otherwise.
fn read_text(path: &Path, limits: &FileLimits) -> Result<String, String> {
    crate::safe_read::read_text(path, limits.links, limits.max_bytes).map_err(|e| e.to_string())
}

/// Every `PolicyDocument` of the YAML files; a file that cannot be read as
/// YAML (it may hold a PolicyDocument) and every invalid PolicyDocument is
/// a problem. Other kinds are not part of the register and are passed
/// over.
fn read_documents(
    files: &[Candidate],
    format: &[crate::document::format::Field],
    as_of: NaiveDate,
    limits: &FileLimits,
    problems: &mut Vec<PolicyError>,
) -> Vec<DocumentEntry> {
    let mut entries = Vec::new();
    for file in files {
        match read(file, limits) {
            FileContent::NotBlcheck => {}
            FileContent::Invalid { pos, message } => problems.push(PolicyError {
                file: file.display.to_string(),
                pos,
                message,
            }),
            FileContent::Documents(documents) => {
                for doc in documents
                    .iter()
                    .filter(|d| d.kind == Some(Kind::PolicyDocument))
                {
                    match from_document(doc, format, as_of) {
                        Ok(entry) => entries.push(entry),
                        Err(errors) => problems.extend(errors),
                    }
                }
            }
        }
    }
    entries
}
