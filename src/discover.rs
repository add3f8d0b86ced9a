//! Finds the files to audit: explicit files as given, and `*.yaml`/`*.yml`
//! under directories, in sorted order so every run sees the same sequence.

use anyhow::{bail, Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Component, Path, PathBuf};
use walkdir::WalkDir;

/// A file to audit, with the name shown for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// Relative to the current directory, `/`-separated.
    pub display: String,
}

/// Compiles `--exclude` globs. A glob matches a path relative to the
/// current directory, or any file or directory name (`drafts`, `*.old.yaml`).
pub fn exclusions(globs: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(
            Glob::new(glob.trim_end_matches('/'))
                .with_context(|| format!("invalid --exclude glob '{glob}'"))?,
        );
    }
    Ok(builder.build()?)
}

fn excluded(set: &GlobSet, display: &str, path: &Path) -> bool {
    !set.is_empty() && (set.is_match(display) || path.file_name().is_some_and(|n| set.is_match(n)))
}

/// Every file to audit under `roots`, sorted and without duplicates.
pub fn discover(roots: &[PathBuf], exclude: &GlobSet, cwd: &Path) -> Result<Vec<Candidate>> {
    discover_matching(roots, exclude, cwd, is_yaml)
}

/// Every file under `roots` that `wanted` accepts (files named in `roots`
/// are taken whatever their name), sorted and without duplicates.
pub fn discover_matching(
    roots: &[PathBuf],
    exclude: &GlobSet,
    cwd: &Path,
    wanted: fn(&Path) -> bool,
) -> Result<Vec<Candidate>> {
    let mut found = Vec::new();
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                bail!("{}: no such file or directory", root.display())
            }
            Err(e) => bail!("{}: cannot read: {e}", root.display()),
        };
        if meta.is_file() {
            let display = display_path(root, cwd);
            if !excluded(exclude, &display, root) {
                found.push(Candidate {
                    path: root.clone(),
                    display,
                });
            }
            continue;
        }
        if !meta.is_dir() {
            bail!("{}: not a file or directory", root.display());
        }
        let walker = WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                if entry.depth() == 0 {
                    return true;
                }
                let name = entry.file_name().to_string_lossy();
                let display = display_path(entry.path(), cwd);
                !name.starts_with('.') && !excluded(exclude, &display, entry.path())
            });
        for entry in walker {
            // An unreadable directory is skipped; the files around it are still audited.
            let Ok(entry) = entry else { continue };
            if entry.file_type().is_file() && wanted(entry.path()) {
                found.push(Candidate {
                    display: display_path(entry.path(), cwd),
                    path: entry.into_path(),
                });
            }
        }
    }
    found.sort_by(|a, b| a.display.cmp(&b.display));
    found.dedup_by(|a, b| a.display == b.display);
    Ok(found)
}

pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// `path` relative to `cwd` with `/` separators; never absolute when the
/// file is below `cwd`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        relative_to(path, cwd)
    } else {
        path.to_path_buf()
    };
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// `path` relative to `base`, with `..` where it lies elsewhere.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path: Vec<Component> = path.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.iter().collect();
    }
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for part in &path[common..] {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_relative_with_slashes() {
        let cwd = Path::new("/work/project");
        assert_eq!(
            display_path(Path::new("./courses/a.yaml"), cwd),
            "courses/a.yaml"
        );
        assert_eq!(
            display_path(Path::new("/work/project/courses/a.yaml"), cwd),
            "courses/a.yaml"
        );
        assert_eq!(
            display_path(Path::new("/work/other/a.yaml"), cwd),
            "../other/a.yaml"
        );
    }

    #[test]
    fn walks_sorted_yaml_only_and_honours_excludes() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "b.yaml",
            "a.yml",
            "c.txt",
            "drafts/d.yaml",
            ".hidden/e.yaml",
            "x/old.yaml",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "kind: Course\n").unwrap();
        }
        let set = exclusions(&["drafts".into(), "old.yaml".into()]).unwrap();
        let found = discover(&[dir.path().to_path_buf()], &set, dir.path()).unwrap();
        let names: Vec<&str> = found.iter().map(|c| c.display.as_str()).collect();
        assert_eq!(names, ["a.yml", "b.yaml"]);
    }

    #[test]
    fn a_missing_path_is_an_error() {
        let set = exclusions(&[]).unwrap();
        let err = discover(&[PathBuf::from("no/such/dir")], &set, Path::new("/")).unwrap_err();
        assert!(err.to_string().contains("no/such/dir"));
    }
}
