//! The evidence courses give, as links for the HTML report and the
//! workbook. Only an http(s) address or a file found beside the course
//! (`EvidenceLinkTarget`, decided by the audit) becomes a link; anything
//! else is shown as text, so `javascript:` never becomes one.

use super::destination::Destination;
use crate::document::evidence::normalised;
use crate::report::{DocumentOutcome, EvidenceEntry, EvidenceLinkTarget};
use maud::{html, Markup};
use std::path::{Component, Path, PathBuf};

/// Where a report's links to local evidence start from: the folder the
/// report file is written to, so that `--output elsewhere/report.html`
/// links `../courses/reviews/access.pdf`. Standard output and devices have
/// no folder: their links start from the directory blcheck ran in.
#[derive(Debug, Clone, Default)]
pub struct LinkBase {
    /// The directory blcheck ran in: the evidence paths of the report are
    /// relative to it.
    run_folder: PathBuf,
    /// The folder the report is written to, its links resolved
    /// (`canonicalize`) when it can be.
    report_folder: PathBuf,
}

impl LinkBase {
    /// Links for a report read where blcheck ran (standard output).
    pub fn new(run_folder: &Path) -> LinkBase {
        LinkBase {
            run_folder: run_folder.to_path_buf(),
            report_folder: real(run_folder).unwrap_or_else(|| run_folder.to_path_buf()),
        }
    }

    /// Links for the report written to `destination`.
    pub fn for_destination(&self, destination: &Destination) -> LinkBase {
        let folder = match destination {
            Destination::File(path) => match path.parent() {
                Some(folder) => self.run_folder.join(folder),
                None => self.run_folder.clone(),
            },
            Destination::Stdout | Destination::Stream(_) => self.run_folder.clone(),
        };
        LinkBase {
            run_folder: self.run_folder.clone(),
            report_folder: real(&folder).unwrap_or_else(|| normalised(&folder)),
        }
    }

    /// The address the HTML report links an entry to: the web address as
    /// written, or the file's path relative to the report's folder,
    /// percent-encoded (a space, a `#` or a non-ASCII letter in a file name
    /// stays part of the path). `None` for an entry that cannot be followed.
    pub fn href(&self, entry: &EvidenceEntry) -> Option<String> {
        match entry.link.as_ref()? {
            EvidenceLinkTarget::Web(url) => Some(url.clone()),
            EvidenceLinkTarget::File(path) => Some(match self.file_link(path) {
                FileLink::Relative(path) => percent_encoded(&path),
                FileLink::Absolute(path) => file_url(&path),
            }),
        }
    }

    /// An evidence file's path from the report's folder, `/`-separated and
    /// not encoded (the workbook's writer encodes it); `None` where no
    /// relative path leads there (another Windows drive).
    pub fn relative_path(&self, evidence: &str) -> Option<String> {
        match self.file_link(evidence) {
            FileLink::Relative(path) => Some(path),
            FileLink::Absolute(_) => None,
        }
    }

    /// The file `evidence` (relative to the run's folder) as seen from the
    /// report's folder. Both are resolved first, so `..` and links in
    /// either path lead where the file system says; a path that cannot be
    /// resolved (a file removed since the audit) is taken as written.
    fn file_link(&self, evidence: &str) -> FileLink {
        let written = self.run_folder.join(evidence);
        let target = real(&written).unwrap_or_else(|| normalised(&written));
        match relative(&self.report_folder, &target) {
            Some(path) => FileLink::Relative(slashed(&path)),
            None if target.has_root() => FileLink::Absolute(slashed(&target)),
            // Neither resolved (the default base of a test): as written.
            None => FileLink::Relative(slashed(&normalised(Path::new(evidence)))),
        }
    }
}

enum FileLink {
    Relative(String),
    Absolute(String),
}

fn real(path: &Path) -> Option<PathBuf> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    path.canonicalize().ok()
}

/// `to` from the folder `from`: `..` for each of `from`'s names past what
/// they share, then the rest of `to`. `None` when they share no root (two
/// Windows drives) or `from` climbs out of what is known (`..` left in it).
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<Component<'_>> = from
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let to: Vec<Component<'_>> = to
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let rooted =
        |c: &[Component<'_>]| matches!(c.first(), Some(Component::RootDir | Component::Prefix(_)));
    if rooted(&from) != rooted(&to) {
        return None;
    }
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if rooted(&from) && shared == 0 {
        return None;
    }
    if from[shared..].contains(&Component::ParentDir) {
        return None;
    }
    let mut path = PathBuf::new();
    for _ in shared..from.len() {
        path.push("..");
    }
    for component in &to[shared..] {
        path.push(component);
    }
    Some(path)
}

/// A path with `/` between its names, as links write it; a Windows drive
/// or share prefix is kept without the `\\?\` of a resolved path.
fn slashed(path: &Path) -> String {
    let mut names: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => {
                let text = prefix.as_os_str().to_string_lossy();
                names.push(text.trim_start_matches(r"\\?\").replace('\\', "/"));
            }
            Component::RootDir => {}
            other => names.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let joined = names.join("/");
    match path.has_root() && !matches!(path.components().next(), Some(Component::Prefix(_))) {
        true => format!("/{joined}"),
        false => joined,
    }
}

/// `file:///C:/reviews/a%20b.pdf`: a drive's colon stays a colon.
fn file_url(path: &str) -> String {
    let path = path.trim_start_matches('/');
    match path.split_once('/') {
        Some((drive, rest)) if drive.len() == 2 && drive.ends_with(':') => {
            format!("file:///{drive}/{}", percent_encoded(rest))
        }
        _ => format!("file:///{}", percent_encoded(path)),
    }
}

fn percent_encoded(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    // `:` is encoded too, so no path can read as a scheme.
    out
}

/// The "Evidence" section of the HTML report: every course's evidence,
/// by document and section.
pub fn section(documents: &[DocumentOutcome], links: &LinkBase) -> Markup {
    let rows: Vec<(&DocumentOutcome, &EvidenceEntry)> = documents
        .iter()
        .flat_map(|d| d.evidence().iter().map(move |e| (d, e)))
        .collect();
    html! {
        section #evidence aria-labelledby="evidence-h" {
            h2 #evidence-h { "Evidence" }
            @if rows.is_empty() {
                p { "No course of this run lists evidence." }
            } @else {
                table {
                    caption { "Evidence given by each course (entries that cannot be followed are DOC findings)" }
                    thead { tr { th scope="col" { "Document" } th scope="col" { "Section" } th scope="col" { "Evidence" } } }
                    tbody {
                        @for (doc, entry) in &rows {
                            tr {
                                td { (doc.id.as_deref().unwrap_or("(no id)")) " " span.file { "(" (doc.file) ")" } }
                                td { code { (entry.section.as_deref().unwrap_or("(the course)")) } }
                                td {
                                    @match links.href(entry) {
                                        Some(target) => a href=(target) { (entry.target) },
                                        None => { (entry.target) " " em { "(not linked: cannot be followed)" } },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(link: Option<EvidenceLinkTarget>) -> EvidenceEntry {
        EvidenceEntry {
            section: Some("accessibility_review".into()),
            path: "accessibility_review.evidence[0]".into(),
            target: "x".into(),
            link,
        }
    }

    fn file(path: &str) -> EvidenceEntry {
        entry(Some(EvidenceLinkTarget::File(path.into())))
    }

    #[test]
    fn files_are_percent_encoded_and_refused_entries_are_no_links() {
        let here = LinkBase::default();
        assert_eq!(
            here.href(&file("courses/a b#1.pdf")).as_deref(),
            Some("courses/a%20b%231.pdf")
        );
        assert_eq!(
            here.href(&file("javascript:x")).as_deref(),
            Some("javascript%3Ax")
        );
        assert_eq!(here.href(&entry(None)), None);
        let web = entry(Some(EvidenceLinkTarget::Web(
            "https://example.org/a?b=1".into(),
        )));
        assert_eq!(
            here.href(&web).as_deref(),
            Some("https://example.org/a?b=1")
        );
    }

    #[test]
    fn a_path_climbs_from_the_folder_past_what_the_two_share() {
        let path =
            |from: &str, to: &str| relative(Path::new(from), Path::new(to)).map(|p| slashed(&p));
        assert_eq!(
            path("/w/out/sub", "/w/courses/a.pdf").as_deref(),
            Some("../../courses/a.pdf")
        );
        assert_eq!(
            path("/w", "/w/courses/a.pdf").as_deref(),
            Some("courses/a.pdf")
        );
        assert_eq!(
            path("/w/courses", "/w/courses/a.pdf").as_deref(),
            Some("a.pdf")
        );
        assert_eq!(
            path("/srv/r", "/home/u/a.pdf").as_deref(),
            Some("../../home/u/a.pdf")
        );
        assert_eq!(path("", "courses/a.pdf").as_deref(), Some("courses/a.pdf"));
        // Nothing known to climb out of, or no shared root.
        assert_eq!(path("../up", "a.pdf"), None);
        assert_eq!(path("out", "/w/a.pdf"), None);
        assert_eq!(
            file_url("/C:/reviews/a b.pdf"),
            "file:///C:/reviews/a%20b.pdf"
        );
    }

    #[test]
    fn links_start_from_the_report_folder_with_its_links_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(run.join("courses/reviews")).unwrap();
        std::fs::create_dir_all(run.join("out/sub")).unwrap();
        std::fs::write(run.join("courses/reviews/zoë 1.pdf"), b"%PDF").unwrap();
        let base = LinkBase::new(&run);
        let evidence = file("courses/reviews/zoë 1.pdf");
        assert_eq!(
            base.href(&evidence).as_deref(),
            Some("courses/reviews/zo%C3%AB%201.pdf")
        );
        let report = Destination::File(PathBuf::from("out/sub/report.html"));
        assert_eq!(
            base.for_destination(&report).href(&evidence).as_deref(),
            Some("../../courses/reviews/zo%C3%AB%201.pdf")
        );
        let device = Destination::Stream(PathBuf::from("/dev/null"));
        assert_eq!(
            base.for_destination(&device).href(&evidence),
            base.href(&evidence)
        );
        #[cfg(unix)]
        {
            // `reports` leads to out/sub: the link is from where the file is.
            std::os::unix::fs::symlink(run.join("out/sub"), run.join("reports")).unwrap();
            let linked = Destination::File(PathBuf::from("reports/../report.html"));
            assert_eq!(
                base.for_destination(&linked)
                    .relative_path("courses/reviews/zoë 1.pdf")
                    .as_deref(),
                Some("../courses/reviews/zoë 1.pdf")
            );
        }
    }
}
