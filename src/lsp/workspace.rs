//! The server's picture of the workspace: every file the audit reads, each
//! with its audit kept until it changes; the editor's open buffers, whose
//! unsaved text counts in place of the file's; and the findings last
//! published for each file, so that only what changed is sent again.

use super::diagnostics::diagnostics;
use super::rules::Rules;
use crate::audit::baseline;
use crate::audit::incremental::{report_of, AuditedFile, Coverage};
use crate::discover::{absolute, display_path};
use crate::document::format::Field;
use crate::document::Kind;
use crate::report::{Finding, Report, Status};

use crate::source::{parse, read, FileLimits};
use lsp_types::{Diagnostic, Url};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file the audit reads.
struct Tracked {
    path: PathBuf,
    audit: AuditedFile,
}

/// A buffer open in the editor.
pub struct OpenDocument {
    pub uri: Url,
    pub text: String,
    /// The editor's version of the text, given back with its diagnostics
    /// so that the editor can drop those of an older text.
    pub version: Option<i32>,
}

pub struct Workspace {
    pub root: PathBuf,
    pub rules: Option<Arc<Rules>>,
    /// By the name findings give (relative to the root), in the order the
    /// audit reads files.
    files: BTreeMap<Arc<str>, Tracked>,
    open: HashMap<Arc<str>, OpenDocument>,
    /// Whether every file on disk has been read (the first scan is done).
    pub scanned: bool,
    published: HashMap<Arc<str>, (Url, Vec<Finding>)>,
    /// Buffers changed since the last publication.
    touched: HashSet<Arc<str>>,
}

impl Workspace {
    pub fn new(root: PathBuf, rules: Option<Arc<Rules>>) -> Workspace {
        Workspace {
            root,
            rules,
            files: BTreeMap::new(),
            open: HashMap::new(),
            scanned: false,
            published: HashMap::new(),
            touched: HashSet::new(),
        }
    }

    /// The name findings give a document, and its path.
    pub fn name_of(&self, uri: &Url) -> Option<(Arc<str>, PathBuf)> {
        let path = absolute(&uri.to_file_path().ok()?, &self.root);
        Some((display_path(&path, &self.root).into(), path))
    }

    /// The format documents of `kind` follow here: the built-in one with
    /// the fields the loaded policies declare.
    pub fn format(&self, kind: Kind) -> &'static [Field] {
        match &self.rules {
            Some(rules) => rules.policies.format(kind),
            None => kind.fields(),
        }
    }

    /// The version of an open buffer's text.
    pub fn version_of(&self, uri: &Url) -> Option<i32> {
        self.open_document(uri).and_then(|d| d.version)
    }

    pub fn open_document(&self, uri: &Url) -> Option<&OpenDocument> {
        self.open.get(&self.name_of(uri)?.0)
    }

    /// The text of a file as the editor sees it: the open buffer, else the
    /// file on disk.
    pub fn text_of(&self, name: &str, path: &Path) -> Option<Cow<'_, str>> {
        match self.open.get(name) {
            Some(open) => Some(Cow::Borrowed(&open.text)),
            None => crate::safe_read::read_text(
                path,
                crate::safe_read::Links::Follow,
                crate::source::DEFAULT_MAX_FILE_BYTES,
            )
            .ok()
            .map(Cow::Owned),
        }
    }

    /// A buffer opened or changed: its text replaces the file's.
    pub fn set_buffer(&mut self, uri: Url, text: String, version: Option<i32>) {
        let Some((name, path)) = self.name_of(&uri) else {
            return;
        };
        let covered = self.files.contains_key(&name)
            || self
                .rules
                .as_ref()
                .is_some_and(|r| r.covers(&path, &self.root));
        if covered {
            self.audit_text(name.clone(), path, text.as_bytes());
        }
        self.touched.insert(name.clone());
        self.open.insert(name, OpenDocument { uri, text, version });
    }

    /// A buffer closed: the file on disk counts again, if it is there.
    pub fn close_buffer(&mut self, uri: &Url) {
        if let Some((name, path)) = self.name_of(uri) {
            self.open.remove(&name);
            self.reread(name, path);
        }
    }

    /// A file changed, appeared or went on disk (not through an open buffer).
    pub fn file_changed(&mut self, uri: &Url) {
        if let Some((name, path)) = self.name_of(uri) {
            if !self.open.contains_key(&name) {
                self.reread(name, path);
            }
        }
    }

    fn reread(&mut self, name: Arc<str>, path: PathBuf) {
        let covered = self
            .rules
            .as_ref()
            .is_some_and(|r| r.covers(&path, &self.root));
        if !path.exists() || !covered {
            self.files.remove(&name);
            return;
        }
        let Some(rules) = self.rules.clone() else {
            return;
        };
        let candidate = crate::discover::Candidate::file(path.clone(), name.to_string());
        let content = read(&candidate, &FileLimits::default());
        let audit = rules.with_terms(|terms| AuditedFile::of(name.clone(), content, terms));
        self.files.insert(name, Tracked { path, audit });
    }

    fn audit_text(&mut self, name: Arc<str>, path: PathBuf, bytes: &[u8]) {
        let Some(rules) = self.rules.clone() else {
            return;
        };
        let content = parse(bytes, name.clone(), &FileLimits::default());
        let audit = rules.with_terms(|terms| AuditedFile::of(name.clone(), content, terms));
        self.files.insert(name, Tracked { path, audit });
    }

    /// The first scan's files. Open buffers keep their unsaved text.
    pub fn scanned(&mut self, files: Vec<(Arc<str>, PathBuf, AuditedFile)>) {
        let open: Vec<(Arc<str>, Tracked)> = self
            .open
            .keys()
            .filter_map(|name| self.files.remove_entry(name))
            .collect();
        self.files = files
            .into_iter()
            .map(|(name, path, audit)| (name, Tracked { path, audit }))
            .collect();
        self.files.extend(open);
        self.scanned = true;
    }

    /// Forgets every file's audit, for new rules; the open buffers are
    /// audited again at once, the rest by the next scan.
    pub fn reset(&mut self, rules: Option<Arc<Rules>>) {
        self.rules = rules;
        self.files.clear();
        self.scanned = false;
        let buffers: Vec<(Url, String, Option<i32>)> = self
            .open
            .values()
            .map(|o| (o.uri.clone(), o.text.clone(), o.version))
            .collect();
        for (uri, text, version) in buffers {
            self.set_buffer(uri, text, version);
        }
    }

    /// The report of the workspace as it is now.
    pub fn audit(&self) -> Option<Report> {
        let rules = self.rules.as_ref()?;
        let coverage = match self.scanned {
            true => Coverage::Whole,
            false => Coverage::Partial,
        };
        let report = rules.with_terms(|terms| {
            report_of(
                self.files.iter().map(|(name, t)| (name, &t.audit)),
                terms,
                rules.limits,
                coverage,
            )
        });
        Some(match &rules.baseline {
            Some(baseline) => {
                let (report, _) =
                    baseline::apply(report, baseline, |entry| rules.filter.includes(&entry.rule));
                report
            }
            None => report,
        })
    }

    /// Audits the workspace and returns the diagnostics of every file whose
    /// findings changed since they were last published (an empty list for
    /// a file that has none now), and of every buffer changed since, so
    /// that the editor hears of each edit.
    pub fn refresh(&mut self) -> Vec<(Url, Vec<Diagnostic>)> {
        let Some(report) = self.audit() else {
            return self.clear_all();
        };
        let touched = std::mem::take(&mut self.touched);
        // A baseline's entries that matched nothing are findings of no
        // line in no open text (and, before the first scan is done, of
        // files not yet read): the audit's summary, not the editor's.
        let findings: Vec<Finding> = report
            .findings
            .into_iter()
            .filter(|f| f.status != Status::Fixed)
            .collect();
        // The report's findings are in file order: one slice per file.
        let now: BTreeMap<Arc<str>, &[Finding]> = findings
            .chunk_by(|a, b| a.file() == b.file())
            .map(|findings| (findings[0].file().clone(), findings))
            .collect();
        let mut out = Vec::new();
        let mut gone: Vec<Arc<str>> = self
            .published
            .keys()
            .filter(|name| !now.contains_key(*name))
            .cloned()
            .collect();
        gone.sort();
        for name in gone {
            if let Some((uri, _)) = self.published.remove(&name) {
                out.push((uri, Vec::new()));
            }
        }
        let docs_url = self
            .rules
            .as_ref()
            .and_then(|r| r.settings.docs_url.clone());
        for (name, findings) in &now {
            let same = self
                .published
                .get(name)
                .is_some_and(|(_, before)| before.as_slice() == *findings);
            if same && !touched.contains(name) {
                continue;
            }
            let Some(uri) = self.uri_of(name) else {
                continue;
            };
            let path = self.path_of(name);
            let text = self.text_of(name, &path).unwrap_or_default();
            out.push((
                uri.clone(),
                diagnostics(findings, &text, docs_url.as_deref()),
            ));
            self.published
                .insert(name.clone(), (uri, findings.to_vec()));
        }
        let mut quiet: Vec<&Arc<str>> = touched
            .iter()
            .filter(|name| !now.contains_key(*name))
            .collect();
        quiet.sort();
        for name in quiet {
            if let Some(open) = self.open.get(name) {
                if !out.iter().any(|(uri, _)| *uri == open.uri) {
                    out.push((open.uri.clone(), Vec::new()));
                }
            }
        }
        out
    }

    fn clear_all(&mut self) -> Vec<(Url, Vec<Diagnostic>)> {
        self.touched.clear();
        let mut cleared: Vec<Url> = self.published.drain().map(|(_, (uri, _))| uri).collect();
        cleared.sort();
        cleared.into_iter().map(|uri| (uri, Vec::new())).collect()
    }

    /// The findings last published for a file.
    pub fn findings_of(&self, uri: &Url) -> &[Finding] {
        self.name_of(uri)
            .and_then(|(name, _)| self.published.get(&name))
            .map_or(&[], |(_, findings)| findings.as_slice())
    }

    fn path_of(&self, name: &str) -> PathBuf {
        match self.files.get(name) {
            Some(tracked) => tracked.path.clone(),
            None => absolute(Path::new(name), &self.root),
        }
    }

    /// Where a finding's file is, for the editor: a file of the workspace
    /// (a document, or a policy file of blcheck.toml); a built-in policy
    /// is nowhere the editor can show.
    fn uri_of(&self, name: &str) -> Option<Url> {
        if let Some(open) = self.open.get(name) {
            return Some(open.uri.clone());
        }
        let path = self.path_of(name);
        if !self.files.contains_key(name) && !path.is_file() {
            return None;
        }
        Url::from_file_path(path).ok()
    }
}
