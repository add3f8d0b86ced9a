//! A course's evidence entries that cannot be followed (DOC016): a local
//! file that does not exist, a path through a symbolic link, or an entry
//! that is neither an `https://` address nor a path relative to the course
//! file. A local file is looked at only through its metadata, link by link
//! (`symlink_metadata`): nothing is opened, and no link is followed, so a
//! course cannot make the audit reach outside the tree it was given.

use super::engine::AuditTerms;
use crate::document::evidence::{self, normalised, Target};
use crate::document::Document;
use crate::policy::OwnCheck;
use crate::report::Finding;
use crate::yaml::quoted;
use std::path::{Component, Path, PathBuf};

/// The DOC016 findings of one course, in document order.
pub fn findings(doc: &Document, ctx: &AuditTerms<'_>) -> Vec<Finding> {
    let base = Path::new(&*doc.file).parent().unwrap_or(Path::new(""));
    let mut found = Vec::new();
    for link in evidence::links(&doc.root) {
        let problem = match link.target() {
            Target::Web(_) => None,
            Target::Refused(text) => Some(format!(
                "evidence '{}' is neither an http(s):// address nor a path relative to the course file",
                quoted(text)
            )),
            Target::Local(path) => local_problem(base, path)
                .map(|why| format!("evidence '{}' {why}", quoted(path))),
        };
        if let Some(message) = problem {
            found.extend(ctx.doc_finding(
                OwnCheck::EvidenceFileMissing,
                doc,
                link.pos,
                Some(link.path.clone()),
                message,
            ));
        }
    }
    found
}

/// Why the file at `relative` (from the course's folder `base`) cannot be
/// linked to, or `None` when it is a regular file reached without a link.
pub fn local_problem(base: &Path, relative: &str) -> Option<String> {
    let mut current: PathBuf = base.to_path_buf();
    let components: Vec<Component<'_>> = Path::new(relative).components().collect();
    if components.is_empty() {
        return Some("names no file".into());
    }
    for (i, component) in components.iter().enumerate() {
        match component {
            Component::CurDir => continue,
            Component::ParentDir => {
                current.push("..");
                continue;
            }
            Component::Normal(name) => current.push(name),
            Component::RootDir | Component::Prefix(_) => {
                return Some("is not relative to the course file".into())
            }
        }
        let last = i + 1 == components.len();
        let meta = match std::fs::symlink_metadata(&current) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Some(format!("does not exist (looked for {})", current.display()))
            }
            Err(e) => return Some(format!("cannot be looked at: {e}")),
        };
        if meta.file_type().is_symlink() {
            return Some(format!(
                "goes through the symbolic link {}, which blcheck does not follow",
                current.display()
            ));
        }
        if last && !meta.is_file() {
            return Some("is not a regular file".into());
        }
        if !last && !meta.is_dir() {
            return Some(format!(
                "goes through {}, which is not a folder",
                current.display()
            ));
        }
    }
    None
}

/// A course's evidence entries for the reports, each with its link when it
/// can be followed (what DOC016 does not report).
pub fn entries(doc: &Document) -> Vec<crate::report::EvidenceEntry> {
    use crate::report::{EvidenceEntry, EvidenceLinkTarget};
    if doc.kind != Some(crate::document::Kind::Course) {
        return Vec::new();
    }
    let base = Path::new(&*doc.file).parent().unwrap_or(Path::new(""));
    evidence::links(&doc.root)
        .into_iter()
        .map(|link| {
            let target = match link.target() {
                Target::Web(url) => Some(EvidenceLinkTarget::Web(url.to_string())),
                Target::Local(path) if local_problem(base, path).is_none() => {
                    Some(EvidenceLinkTarget::File(
                        shown_path(&base.join(path))
                            .to_string_lossy()
                            .replace('\\', "/"),
                    ))
                }
                _ => None,
            };
            EvidenceEntry {
                section: link.section,
                path: link.path,
                target: link.target,
                link: target,
            }
        })
        .collect()
}

/// The evidence file's path as the reports show it: `courses/../evidence/a.pdf`
/// as `evidence/a.pdf`, unless `courses` is a link to another folder, where
/// `..` leads elsewhere than the shorter path (the path is then kept as
/// written: it is right, if longer).
fn shown_path(joined: &Path) -> PathBuf {
    let short = normalised(joined);
    if !joined.components().any(|c| c == Component::ParentDir) {
        return short;
    }
    match (short.canonicalize(), joined.canonicalize()) {
        (Ok(a), Ok(b)) if a == b => short,
        _ => joined.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_beside_the_course_is_found_and_a_missing_or_linked_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        std::fs::create_dir(base.join("reviews")).unwrap();
        std::fs::write(base.join("reviews/access.pdf"), b"%PDF").unwrap();
        assert_eq!(local_problem(base, "reviews/access.pdf"), None);
        assert_eq!(local_problem(base, "./reviews/access.pdf"), None);
        assert!(local_problem(base, "reviews/gone.pdf")
            .unwrap()
            .starts_with("does not exist"));
        assert_eq!(
            local_problem(base, "reviews").as_deref(),
            Some("is not a regular file")
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", base.join("outside")).unwrap();
            assert!(local_problem(base, "outside/passwd")
                .unwrap()
                .contains("symbolic link"));
        }
    }

    #[test]
    fn a_path_up_from_a_linked_folder_is_kept_as_the_file_system_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("evidence")).unwrap();
        std::fs::create_dir_all(root.join("courses")).unwrap();
        std::fs::write(root.join("evidence/a.pdf"), b"%PDF").unwrap();
        assert_eq!(
            shown_path(&root.join("courses/../evidence/a.pdf")),
            root.join("evidence/a.pdf")
        );
        #[cfg(unix)]
        {
            // `linked` leads to store/courses: its `..` is store, not root.
            std::fs::create_dir_all(root.join("store/courses")).unwrap();
            std::fs::create_dir_all(root.join("store/evidence")).unwrap();
            std::fs::write(root.join("store/evidence/a.pdf"), b"%PDF").unwrap();
            std::os::unix::fs::symlink(root.join("store/courses"), root.join("linked")).unwrap();
            let written = root.join("linked/../evidence/a.pdf");
            assert_eq!(shown_path(&written), written);
        }
    }
}
