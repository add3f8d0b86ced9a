//! `blcheck renewals`: gather the register (built-in policies, `--policy`
//! files, and the policy TOML files and `PolicyDocument`s under PATHS),
//! check every version-control sheet as of the as-of date, and report each
//! document's renewal status. Any problem with the register is exit 2, with
//! every problem located: a register that cannot be read whole could hide an
//! overdue policy.

use super::{as_of, load_policies};
use crate::cli::RenewalsArgs;
use crate::discover::{discover_matching, display_path, is_yaml, Candidate};
use crate::document::Kind;
use crate::exit_status::ExitStatus;
use crate::policy::PolicyError;
use crate::render::{self, renewals::write_renewals};
use crate::renewals::register::{duplicate_ids, from_document, from_policy, DocumentEntry};
use crate::renewals::{RegisterEntry, RenewalReport};
use crate::source::{read, FileContent, FileLimits};
use anyhow::{bail, Result};
use chrono::NaiveDate;
use globset::GlobSet;
use std::path::{Path, PathBuf};

pub fn run(args: &RenewalsArgs, cwd: &Path) -> Result<ExitStatus> {
    let outputs = render::plan_outputs(&args.format, &args.files.output, &args.files.order)?;
    let as_of = as_of(args.date.as_of.as_deref())?;
    let limits = FileLimits::default();
    let found = discover_matching(&args.paths, &GlobSet::empty(), cwd, is_register_file)?;
    render::refuse_inputs(&outputs, found.iter().map(|c| &*c.path), |_| false)?;
    // A link not followed, a loop, a device: a register read in part could
    // hide an overdue policy, so these stop the run as invalid files do.
    let unreadable: Vec<String> = found
        .iter()
        .filter_map(|c| c.problem.as_ref().map(|p| format!("  {}: {p}", c.display)))
        .collect();
    if !unreadable.is_empty() {
        anyhow::bail!("cannot read the register:\n{}", unreadable.join("\n"));
    }
    let (tomls, yamls): (Vec<Candidate>, Vec<Candidate>) =
        found.into_iter().partition(|c| is_toml(&c.path));
    let policy_tomls: Vec<Candidate> = tomls
        .into_iter()
        .filter(|c| holds_policy_table(c, &limits))
        .collect();
    let policy_files = policy_files(&args.policy, &policy_tomls, cwd);
    // Policies first, as for `audit`: an invalid one stops the run here.
    let policies = load_policies(&policy_files, cwd)?;

    let mut problems: Vec<PolicyError> = Vec::new();
    let (documents, unreadable_yaml) = read_documents(&yamls, as_of, &limits, &mut problems);
    let mut entries: Vec<RegisterEntry> = Vec::new();
    for policy in &policies.policies {
        match from_policy(policy, as_of) {
            Ok(entry) => entries.push(entry),
            Err(problem) => problems.push(problem),
        }
    }
    problems.extend(duplicate_ids(&entries, &documents));
    if !problems.is_empty() {
        problems.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
        let mut lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        if unreadable_yaml {
            lines.push(
                "(a YAML file that cannot be read may hold a PolicyDocument, so none is skipped; \
                 point PATHS at the register rather than at every document)"
                    .into(),
            );
        }
        bail!("invalid register:\n{}", lines.join("\n"));
    }
    if !args.paths.is_empty() && policy_tomls.is_empty() && documents.is_empty() {
        bail!(
            "no policy TOML file or PolicyDocument found in {}",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    entries.extend(documents.into_iter().map(|d| d.entry));
    let report = RenewalReport::new(entries, as_of, args.within);
    write_renewals(&report, &outputs, args.colour.color)?;
    Ok(if report.any_overdue() {
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

/// Whether a TOML file found under PATHS is a policy: it has a `[policy]`
/// table. Other TOML (`Cargo.toml`, `blcheck.toml`) is not. A file that
/// cannot be read or parsed is taken as a policy, so that the policy loader
/// reports its problem with its location rather than the file being
/// silently left out.
fn holds_policy_table(candidate: &Candidate, limits: &FileLimits) -> bool {
    let too_big = std::fs::metadata(&candidate.path).is_ok_and(|m| m.len() > limits.max_bytes);
    if too_big {
        return true;
    }
    match std::fs::read_to_string(&candidate.path) {
        Ok(text) => match text.parse::<toml::Table>() {
            Ok(table) => table.get("policy").is_some_and(toml::Value::is_table),
            Err(_) => true,
        },
        Err(_) => true,
    }
}

/// `--policy` files, then the policy files found under PATHS, each once.
fn policy_files(flags: &[PathBuf], found: &[Candidate], cwd: &Path) -> Vec<PathBuf> {
    let mut seen = std::collections::BTreeSet::new();
    flags
        .iter()
        .cloned()
        .chain(found.iter().map(|c| c.path.to_path_buf()))
        .filter(|path| seen.insert(display_path(path, cwd)))
        .collect()
}

/// Every `PolicyDocument` of the YAML files, and whether a file could not
/// be read as YAML; other kinds are not part of the register and are
/// passed over.
fn read_documents(
    files: &[Candidate],
    as_of: NaiveDate,
    limits: &FileLimits,
    problems: &mut Vec<PolicyError>,
) -> (Vec<DocumentEntry>, bool) {
    let mut entries = Vec::new();
    let mut unreadable = false;
    for file in files {
        match read(file, limits) {
            FileContent::NotBlcheck => {}
            FileContent::Invalid { pos, message } => {
                unreadable = true;
                problems.push(PolicyError {
                    file: file.display.to_string(),
                    pos,
                    message,
                });
            }
            FileContent::Documents(documents) => {
                for doc in documents
                    .iter()
                    .filter(|d| d.kind == Some(Kind::PolicyDocument))
                {
                    match from_document(doc, as_of) {
                        Ok(entry) => entries.push(entry),
                        Err(errors) => problems.extend(errors),
                    }
                }
            }
        }
    }
    (entries, unreadable)
}
