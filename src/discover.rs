//! Finds the files to audit: explicit files as given, and `*.yaml`/`*.yml`
//! under directories, in sorted order so every run sees the same sequence.

use crate::yaml::shorten_to;
use anyhow::{bail, Context, Result};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// A file to audit, with the name shown for it.
///
/// Kept small (a run holds one per file): the path is boxed, and the display
/// name is the shared text every finding about the file points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: Box<Path>,
    /// Relative to the current directory, `/`-separated.
    pub display: Arc<str>,
    /// Why the path cannot be read as a file (a link not followed, a loop,
    /// an unreadable directory, a device): reported as DOC001 and never
    /// opened, so that nothing a walk meets is silently left out of a gate.
    pub problem: Option<Box<str>>,
}

impl Candidate {
    pub fn file(path: PathBuf, display: String) -> Candidate {
        Candidate {
            path: path.into_boxed_path(),
            display: display.into(),
            problem: None,
        }
    }

    fn problem(path: PathBuf, display: String, problem: String) -> Candidate {
        Candidate {
            path: path.into_boxed_path(),
            display: display.into(),
            problem: Some(problem.into()),
        }
    }
}

/// How directories are walked.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    /// Follow symbolic links met in a walk (`--follow-symlinks`). Off by
    /// default: a link in a pull request can point anywhere on the CI
    /// machine, or back at its own directory.
    pub follow_links: bool,
    /// Which files found in a walk are wanted: `*.yaml`/`*.yml` for audits;
    /// `renewals` wants policy TOML too.
    pub wanted: fn(&Path) -> bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            follow_links: false,
            wanted: is_yaml,
        }
    }
}

/// One `--exclude` glob, or one `exclude` entry of blcheck.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclude {
    pub glob: String,
    /// The absolute directory a relative path in `glob` starts from: the
    /// current directory for `--exclude`, the settings file's directory for
    /// blcheck.toml.
    pub base: PathBuf,
    /// Where it was given, for messages: `--exclude` or
    /// `blcheck.toml:3:12: exclude`.
    pub origin: String,
}

impl Exclude {
    /// An `--exclude` flag, relative to `cwd`.
    pub fn flag(glob: &str, cwd: &Path) -> Exclude {
        Exclude {
            glob: glob.to_string(),
            base: cwd.to_path_buf(),
            origin: "--exclude".into(),
        }
    }

    /// The glob matched against paths. Without a `/` it is a name, matched
    /// against every file and directory name (`drafts`, `*.old.yaml`);
    /// with one it is a path, as the user wrote it (`./courses/x.yaml`,
    /// `courses/*.yaml`, `/srv/courses/x.yaml`, `../shared/**`), made
    /// absolute from `base`, so that it matches however the audited paths
    /// were named.
    fn pattern(&self) -> String {
        let text = match self.glob.trim_end_matches('/') {
            "" => "/",
            text => text,
        };
        if !text.contains('/') {
            return text.to_string();
        }
        let absolute = if text.starts_with('/') {
            text.to_string()
        } else {
            let base = self.base.to_string_lossy();
            format!("{}/{text}", globset::escape(&base))
        };
        lexical(absolute.split('/'))
    }
}

/// `/`-separated `parts` of an absolute path without `.` and with each
/// `..` taking the part before it away, as the shell reads `a/./b/../c`.
fn lexical<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for part in parts {
        match part {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            part => kept.push(part),
        }
    }
    format!("/{}", kept.join("/"))
}

/// `path` (relative to `cwd`, or absolute) as an absolute path without `.`
/// or `..`, as the shell reads `a/./b/../c`: what excludes are matched
/// against, and what tells two files of a run apart. Kept as a path, bytes
/// and all: two names that differ only in bytes that are not UTF-8 are two
/// files.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in cwd.join(path).components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                // The root stays: `/..` is `/`.
                if out.parent().is_some() {
                    out.pop();
                }
            }
            part => out.push(part),
        }
    }
    out
}

/// Compiles the excludes; a glob that cannot be compiled is an error naming
/// where it was given. In a path glob `*` and `?` stay within one
/// directory, `**` crosses directories.
pub fn exclusions(excludes: &[Exclude]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for exclude in excludes {
        builder.add(
            GlobBuilder::new(&exclude.pattern())
                .literal_separator(true)
                .build()
                .with_context(|| format!("{} '{}': invalid glob", exclude.origin, exclude.glob))?,
        );
    }
    Ok(builder.build()?)
}

/// What the excludes did in a walk.
#[derive(Debug, Default)]
struct Tally {
    /// For each exclude, whether it matched a path the walk met.
    matched: Vec<bool>,
    /// Files that would have been audited, left out: their absolute paths,
    /// so that a file reached from two of the roots counts once, as it is
    /// audited once.
    excluded_files: std::collections::HashSet<PathBuf>,
}

impl Tally {
    /// Whether `path` is excluded (its absolute path or its name matches),
    /// noting which excludes matched.
    fn excluded(&mut self, set: &GlobSet, path: &Path, cwd: &Path) -> bool {
        if set.is_empty() {
            return false;
        }
        let mut hits = set.matches(absolute(path, cwd));
        if let Some(name) = path.file_name() {
            hits.extend(set.matches(name));
        }
        for &hit in &hits {
            if let Some(matched) = self.matched.get_mut(hit) {
                *matched = true;
            }
        }
        !hits.is_empty()
    }
}

/// The files a run audits, and what its excludes left out.
#[derive(Debug)]
pub struct Discovery {
    pub candidates: Vec<Candidate>,
    /// Files that would have been audited but for an exclude (the files a
    /// walk would have taken under an excluded directory, too).
    pub excluded_files: usize,
    /// For each exclude, in order, whether it matched any file or directory.
    pub matched: Vec<bool>,
}

/// Every file to audit under `roots`, sorted and without duplicates, with
/// symbolic links in walks not followed.
pub fn discover(roots: &[PathBuf], exclude: &GlobSet, cwd: &Path) -> Result<Vec<Candidate>> {
    discover_with(roots, exclude, cwd, WalkOptions::default())
}

/// Every file under `roots` that `wanted` accepts (files named in `roots`
/// are taken whatever their name), sorted and without duplicates.
pub fn discover_matching(
    roots: &[PathBuf],
    exclude: &GlobSet,
    cwd: &Path,
    wanted: fn(&Path) -> bool,
) -> Result<Vec<Candidate>> {
    let options = WalkOptions {
        wanted,
        ..WalkOptions::default()
    };
    discover_with(roots, exclude, cwd, options)
}

/// [`discover`] with the walk's options.
pub fn discover_with(
    roots: &[PathBuf],
    exclude: &GlobSet,
    cwd: &Path,
    options: WalkOptions,
) -> Result<Vec<Candidate>> {
    Ok(discover_excluding(roots, exclude, cwd, options)?.candidates)
}

/// [`discover_with`], saying what the excludes did.
pub fn discover_excluding(
    roots: &[PathBuf],
    exclude: &GlobSet,
    cwd: &Path,
    options: WalkOptions,
) -> Result<Discovery> {
    let mut tally = Tally {
        matched: vec![false; exclude.len()],
        ..Tally::default()
    };
    // Each file with its path made absolute, in the order of the roots.
    let mut found: Vec<(PathBuf, Candidate)> = Vec::new();
    for root in roots {
        // Paths given by name are followed even when they are links: the
        // user named them.
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                let is_link = std::fs::symlink_metadata(root).is_ok();
                if e.kind() == std::io::ErrorKind::NotFound && !is_link {
                    bail!("{}: no such file or directory", display_path(root, cwd))
                }
                // A broken link, a link loop or a path that cannot be
                // entered: reported against this path, and the other paths
                // are still audited.
                let message =
                    if is_link && (is_loop(&e) || e.kind() == std::io::ErrorKind::NotFound) {
                        format!("{}; not read", link_problem(root, &e))
                    } else {
                        format!("cannot be read: {}", io_reason(&e))
                    };
                found.push((
                    absolute(root, cwd),
                    Candidate::problem(root.clone(), display_path(root, cwd), message),
                ));
                continue;
            }
        };
        let display = display_path(root, cwd);
        if meta.is_dir() {
            let mut walked = Vec::new();
            walk(root, exclude, cwd, options, &mut walked, &mut tally);
            found.extend(walked.into_iter().map(|c| (absolute(&c.path, cwd), c)));
        } else if tally.excluded(exclude, root, cwd) {
            tally.excluded_files.insert(absolute(root, cwd));
        } else {
            // Told apart from the other files by the name given, not by
            // the target of a link: two links named are two files.
            let key = absolute(root, cwd);
            found.push((
                key,
                if meta.is_file() {
                    // Read as the link's target, without following any link
                    // swapped in later (src/safe_read.rs).
                    let is_link = std::fs::symlink_metadata(root).is_ok_and(|m| m.is_symlink());
                    let path = match is_link {
                        true => root.canonicalize().unwrap_or_else(|_| root.clone()),
                        false => root.clone(),
                    };
                    Candidate::file(path, display)
                } else {
                    Candidate::problem(root.clone(), display, NOT_REGULAR.into())
                },
            ));
        }
    }
    // The same file reached twice (named and walked, or from two roots) is
    // audited once. Files are told apart by their paths, never by the names
    // shown: two names that differ only in bytes that are not UTF-8 are two
    // files (and, shown escaped, two names).
    let mut keyed = found;
    keyed.sort_by(|(a_key, a), (b_key, b)| a.display.cmp(&b.display).then(a_key.cmp(b_key)));
    keyed.dedup_by(|(a, _), (b, _)| a == b);
    // A directory named as a root is walked even when an exclude matches it
    // elsewhere: what it yields is audited, so not counted as excluded.
    if !tally.excluded_files.is_empty() {
        for (key, _) in &keyed {
            tally.excluded_files.remove(key);
        }
    }
    Ok(Discovery {
        candidates: keyed.into_iter().map(|(_, c)| c).collect(),
        excluded_files: tally.excluded_files.len(),
        matched: tally.matched,
    })
}

/// The files a walk would take under `dir`, which an exclude left out:
/// noted, never read.
fn note_wanted(dir: &Path, cwd: &Path, options: WalkOptions, tally: &mut Tally) {
    let files = WalkDir::new(dir)
        .follow_links(options.follow_links)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && (options.wanted)(e.path()));
    for file in files {
        tally.excluded_files.insert(absolute(file.path(), cwd));
    }
}

const NOT_REGULAR: &str =
    "not a regular file (a device, FIFO or socket); not read, since reading it could block or never end";

/// Walks one directory, adding the YAML files under it and every path that
/// would have been audited but cannot be.
fn walk(
    root: &Path,
    exclude: &GlobSet,
    cwd: &Path,
    options: WalkOptions,
    found: &mut Vec<Candidate>,
    tally: &mut Tally,
) {
    let walker = WalkDir::new(root)
        .follow_links(options.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            if entry.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            if !tally.excluded(exclude, entry.path(), cwd) {
                return true;
            }
            let file_type = entry.file_type();
            if file_type.is_dir() {
                note_wanted(entry.path(), cwd, options, tally);
            } else if file_type.is_file() && (options.wanted)(entry.path()) {
                tally.excluded_files.insert(absolute(entry.path(), cwd));
            }
            false
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                // walkdir detects loops by comparing each directory with its
                // ancestors, so a followed loop ends here instead of hanging.
                if let Some(problem) = walk_error(&e, cwd) {
                    found.push(problem);
                }
                continue;
            }
        };
        let path = entry.path();
        let file_type = entry.file_type();
        let display = || display_path(path, cwd);
        if file_type.is_file() {
            if (options.wanted)(path) {
                found.push(Candidate::file(path.to_path_buf(), display()));
            }
        } else if file_type.is_symlink() {
            // Only when links are not followed does a walk yield them.
            if let Some(problem) = unfollowed_link(path) {
                found.push(Candidate::problem(path.to_path_buf(), display(), problem));
            }
        } else if file_type.is_dir() {
            // A directory is walked whatever its name, but one named like a
            // YAML file is reported: a reviewer expects a document there.
            if entry.depth() > 0 && is_yaml(path) {
                found.push(Candidate::problem(
                    path.to_path_buf(),
                    display(),
                    "is a directory, not a YAML file; the YAML files inside it are audited".into(),
                ));
            }
        } else if is_yaml(path) {
            found.push(Candidate::problem(
                path.to_path_buf(),
                display(),
                NOT_REGULAR.into(),
            ));
        }
    }
}

/// What a walk error means for the run: a located problem, so that a
/// directory the walk could not enter is not silently left out.
fn walk_error(error: &walkdir::Error, cwd: &Path) -> Option<Candidate> {
    let path = error.path()?.to_path_buf();
    let message = match (error.loop_ancestor(), error.io_error()) {
        (Some(ancestor), _) => format!(
            "a symbolic link loop: it leads back to {}, which is already being walked; \
             not followed again",
            display_path(ancestor, cwd)
        ),
        (None, Some(io)) if is_loop(io) || io.kind() == std::io::ErrorKind::NotFound => {
            format!("{}; not read", link_problem(&path, io))
        }
        (None, Some(io)) => {
            let under = if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                "; nothing under it is audited"
            } else {
                ""
            };
            format!("cannot be read: {}{under}", io_reason(io))
        }
        (None, None) => format!("cannot be read: {error}"),
    };
    let display = display_path(&path, cwd);
    Some(Candidate::problem(path, display, message))
}

/// A link met in a walk without `--follow-symlinks`: a problem when it
/// stands for something that would otherwise have been audited (a YAML
/// file or a directory), or when it cannot be resolved at all (a loop).
fn unfollowed_link(path: &Path) -> Option<String> {
    let what = match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            format!("a symbolic link to the directory{}", target(path))
        }
        Ok(_) if is_yaml(path) => format!("a symbolic link to{}", target(path)),
        Ok(_) => return None,
        Err(e) if is_loop(&e) || is_yaml(path) => {
            return Some(format!("{}; not followed", link_problem(path, &e)))
        }
        Err(_) => return None,
    };
    Some(format!(
        "{what}: not followed, so what it points to is not audited (links can point outside \
         the audited tree); use --follow-symlinks to audit it, or --exclude to skip it"
    ))
}

/// A link whose target cannot be reached.
fn link_problem(path: &Path, error: &std::io::Error) -> String {
    let what = if is_loop(error) {
        "loops back on itself"
    } else {
        "does not exist"
    };
    format!("a symbolic link to{} that {what}", target(path))
}

/// " TARGET" of a link as written, or nothing. Link targets are the
/// author's text: messages name them, shortened.
fn target(path: &Path) -> String {
    const MAX_CHARS: usize = 120;
    std::fs::read_link(path)
        .map(|t| format!(" {}", shorten_to(&shown_name(t.as_os_str()), MAX_CHARS)))
        .unwrap_or_default()
}

/// ELOOP: too many levels of symbolic links. `std` has no stable
/// `ErrorKind` for it, so the OS code is compared (40 on Linux, 62 on
/// macOS and FreeBSD); elsewhere a loop reads as a missing target.
fn is_loop(error: &std::io::Error) -> bool {
    let code = error.raw_os_error();
    (cfg!(target_os = "linux") && code == Some(40))
        || (cfg!(any(target_os = "macos", target_os = "freebsd")) && code == Some(62))
}

/// The reason of an I/O error without the OS's error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "not found".into(),
        _ => e.to_string(),
    }
}

pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// `path` relative to `cwd` with `/` separators, each name as
/// [`shown_name`] shows it; never absolute when the file is below `cwd`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        relative_to(path, cwd)
    } else {
        path.to_path_buf()
    };
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| shown_name(c.as_os_str()))
        .collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// One file or directory name as blcheck shows it: its UTF-8 text as it
/// is, but `\` shown as `\\` and each byte that is not UTF-8 as `\xNN`
/// (two lower-case hex digits), so that `course\xfe.yaml` and
/// `course\xff.yaml` (bytes 0xFE and 0xFF) stay two names, and neither can
/// be mistaken for a file literally named `course\xfe.yaml` (shown
/// `course\\xfe.yaml`). [`name_bytes`] reads it back.
pub fn shown_name(name: &std::ffi::OsStr) -> String {
    // Unix: the name's bytes. Windows: WTF-8, where an unpaired surrogate
    // is the only part that is not UTF-8.
    let bytes = name.as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// The bytes of a name shown by [`shown_name`] (or of a `/`-separated path
/// of them): what a consumer that holds raw bytes needs, such as SARIF's
/// percent-encoded URIs. Text that `shown_name` could not have made (a lone
/// `\`) is kept as written.
pub fn name_bytes(shown: &str) -> Vec<u8> {
    let bytes = shown.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'\\', Some(b'\\')) => {
                out.push(b'\\');
                i += 2;
            }
            (b'\\', Some(b'x')) => {
                let hex = bytes
                    .get(i + 2..i + 4)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 4;
                    }
                    None => {
                        out.push(b'\\');
                        i += 1;
                    }
                }
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
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
    fn names_are_shown_escaped_one_to_one_and_read_back() {
        use std::ffi::OsStr;
        let cases: [(&[u8], &str); 5] = [
            (b"course.yaml", "course.yaml"),
            (b"course\xfe.yaml", "course\\xfe.yaml"),
            (b"course\xff.yaml", "course\\xff.yaml"),
            (b"course\\xfe.yaml", "course\\\\xfe.yaml"),
            ("cours é\u{1b}.yaml".as_bytes(), "cours é\u{1b}.yaml"),
        ];
        for (bytes, shown) in cases {
            // SAFETY-free: any bytes are an OsStr on Unix; elsewhere only
            // the UTF-8 cases are built.
            #[cfg(unix)]
            let name = <OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes);
            #[cfg(not(unix))]
            let Ok(name) = std::str::from_utf8(bytes).map(OsStr::new) else {
                continue;
            };
            assert_eq!(shown_name(name), shown, "{bytes:?}");
            assert_eq!(name_bytes(shown), bytes, "{shown}");
        }
        // What shown_name cannot make is kept as written.
        assert_eq!(name_bytes("a\\xZZ\\"), b"a\\xZZ\\");
        assert_eq!(name_bytes("a\\x+f"), b"a\\x+f");
    }

    #[cfg(unix)]
    #[test]
    fn files_whose_names_differ_in_bytes_that_are_not_utf8_are_both_found() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        for name in [&b"course\xfe.yaml"[..], b"course\xff.yaml", b"course.yaml"] {
            std::fs::write(
                dir.path().join(std::ffi::OsStr::from_bytes(name)),
                "kind: Course\n",
            )
            .unwrap();
        }
        let set = exclusions(&[]).unwrap();
        // Named and walked, the same files: each found once.
        let roots = [
            dir.path().to_path_buf(),
            dir.path()
                .join(std::ffi::OsStr::from_bytes(b"course\xfe.yaml")),
            dir.path()
                .join(".")
                .join(std::ffi::OsStr::from_bytes(b"course\xff.yaml")),
        ];
        let found = discover(&roots, &set, dir.path()).unwrap();
        let names: Vec<&str> = found.iter().map(|c| &*c.display).collect();
        assert_eq!(
            names,
            ["course.yaml", "course\\xfe.yaml", "course\\xff.yaml"]
        );
        let paths: Vec<&[u8]> = found
            .iter()
            .map(|c| c.path.file_name().unwrap().as_bytes())
            .collect();
        assert_eq!(
            paths,
            [&b"course.yaml"[..], b"course\xfe.yaml", b"course\xff.yaml"]
        );
    }

    #[test]
    fn the_same_file_named_in_two_ways_is_found_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("c")).unwrap();
        std::fs::write(dir.path().join("c/a.yaml"), "kind: Course\n").unwrap();
        let set = exclusions(&[]).unwrap();
        let roots = [
            dir.path().join("c"),
            dir.path().join("./c/a.yaml"),
            dir.path().join("c/a.yaml"),
            dir.path().join("c/../c/a.yaml"),
        ];
        let cwd = dir.path();
        let found: Vec<Candidate> = discover(&roots, &set, cwd).unwrap();
        // `c/../c/a.yaml` is shown as given, but is the same path: one of
        // the names is kept, the first in sorted order.
        let names: Vec<&str> = found.iter().map(|c| &*c.display).collect();
        assert_eq!(names, ["c/../c/a.yaml"], "{found:?}");
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
        let flags = |globs: &[&str]| -> Vec<Exclude> {
            globs.iter().map(|g| Exclude::flag(g, dir.path())).collect()
        };
        let set = exclusions(&flags(&["drafts", "old.yaml", "nothing-here"])).unwrap();
        let found = discover_excluding(
            &[dir.path().to_path_buf()],
            &set,
            dir.path(),
            WalkOptions::default(),
        )
        .unwrap();
        let names: Vec<&str> = found.candidates.iter().map(|c| &*c.display).collect();
        assert_eq!(names, ["a.yml", "b.yaml"]);
        assert_eq!(found.excluded_files, 2);
        assert_eq!(found.matched, [true, true, false]);
        // Reached from two roots, a file is excluded, and counted, once.
        let roots = [dir.path().to_path_buf(), dir.path().join("x")];
        let twice = discover_excluding(&roots, &set, dir.path(), WalkOptions::default()).unwrap();
        assert_eq!(twice.excluded_files, 2);
        // A directory named as a root is walked, and what it yields is not
        // counted as excluded where another root's walk excluded it.
        let roots = [dir.path().to_path_buf(), dir.path().join("drafts")];
        let named = discover_excluding(&roots, &set, dir.path(), WalkOptions::default()).unwrap();
        let names: Vec<&str> = named.candidates.iter().map(|c| &*c.display).collect();
        assert_eq!(names, ["a.yml", "b.yaml", "drafts/d.yaml"]);
        assert_eq!(named.excluded_files, 1);
    }

    #[test]
    fn excludes_match_paths_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["courses/x.yaml", "courses/y.yaml", "courses/sub/z.yaml"] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "kind: Course\n").unwrap();
        }
        let absolute = root.join("courses/x.yaml").to_string_lossy().into_owned();
        let left = |glob: &str, base: &Path, paths: &[&str]| -> Vec<String> {
            let set = exclusions(&[Exclude::flag(glob, base)]).unwrap();
            // Named as the user named them, from `root`.
            let roots: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
            discover(&roots, &set, root)
                .unwrap()
                .into_iter()
                .map(|c| c.display.to_string())
                .collect()
        };
        let all = ["courses/sub/z.yaml", "courses/x.yaml", "courses/y.yaml"];
        let others = ["courses/sub/z.yaml", "courses/y.yaml"];
        for glob in [
            "courses/x.yaml",
            "./courses/x.yaml",
            &absolute,
            "courses/./sub/../x.yaml",
        ] {
            for paths in [&["courses"][..], &["./courses"], &[root.to_str().unwrap()]] {
                assert_eq!(left(glob, root, paths), others, "{glob} {paths:?}");
            }
        }
        // `*` stays within a directory; `**` does not.
        assert_eq!(left("courses/*.yaml", root, &["."]), ["courses/sub/z.yaml"]);
        assert_eq!(left("courses/**/*.yaml", root, &["."]).len(), 0);
        // Relative to its base, not to where the walk starts.
        assert_eq!(left("x.yaml", root, &["courses"]), others);
        assert_eq!(
            left("sub", root, &["courses"]),
            ["courses/x.yaml", "courses/y.yaml"]
        );
        assert_eq!(
            left("courses/x.yaml", &root.join("courses"), &["courses"]),
            all
        );
        assert_eq!(
            left("../courses/x.yaml", &root.join("courses"), &["courses"]),
            others
        );
        // A base holding glob characters is taken literally.
        let odd = root.join("c[1]");
        std::fs::create_dir_all(&odd).unwrap();
        std::fs::write(odd.join("a.yaml"), "kind: Course\n").unwrap();
        assert_eq!(
            left("c[1]/a.yaml", root, &["c[1]"]).len(),
            1,
            "a glob class in the pattern itself"
        );
        assert_eq!(left("./a.yaml", &odd, &["c[1]"]).len(), 0);
    }

    #[test]
    fn an_invalid_glob_names_where_it_was_given() {
        let err = exclusions(&[Exclude::flag("a/[b", Path::new("/"))]).unwrap_err();
        assert!(
            format!("{err:#}").starts_with("--exclude 'a/[b': invalid glob"),
            "{err:#}"
        );
    }

    #[test]
    fn a_missing_path_is_an_error() {
        let set = exclusions(&[]).unwrap();
        let err = discover(&[PathBuf::from("no/such/dir")], &set, Path::new("/")).unwrap_err();
        assert!(err.to_string().contains("no/such/dir"));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_reported_not_followed_unless_asked_and_loops_end() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(outside.path().join("secret.yaml"), "kind: Course\n").unwrap();
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(root.join("dir.yaml")).unwrap();
        std::fs::write(root.join("a.yaml"), "kind: Course\n").unwrap();
        symlink(outside.path().join("secret.yaml"), root.join("out.yaml")).unwrap();
        symlink("..", root.join("sub/up")).unwrap();
        symlink("self.yaml", root.join("self.yaml")).unwrap();
        symlink("a.yaml", root.join("notes.txt")).unwrap();
        let set = exclusions(&[]).unwrap();
        let list = |follow_links| {
            discover_with(
                &[root.to_path_buf()],
                &set,
                root,
                WalkOptions {
                    follow_links,
                    ..WalkOptions::default()
                },
            )
            .unwrap()
            .into_iter()
            .map(|c| (c.display.to_string(), c.problem.is_some()))
            .collect::<Vec<_>>()
        };
        let pair = |name: &str, problem| (name.to_string(), problem);
        assert_eq!(
            list(false),
            [
                pair("a.yaml", false),
                pair("dir.yaml", true),
                pair("out.yaml", true),
                pair("self.yaml", true),
                pair("sub/up", true),
            ]
        );
        // Followed: the outside file is audited, the loops are reported.
        assert_eq!(
            list(true),
            [
                pair("a.yaml", false),
                pair("dir.yaml", true),
                pair("out.yaml", false),
                pair("self.yaml", true),
                pair("sub/up", true),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn named_paths_that_cannot_be_read_are_problems_not_aborts() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        symlink("loop.yaml", root.join("loop.yaml")).unwrap();
        symlink("gone.yaml", root.join("dangling.yaml")).unwrap();
        let set = exclusions(&[]).unwrap();
        let found = discover(
            &[root.join("loop.yaml"), root.join("dangling.yaml")],
            &set,
            root,
        )
        .unwrap();
        let problems: Vec<&str> = found.iter().filter_map(|c| c.problem.as_deref()).collect();
        assert_eq!(problems.len(), 2, "{found:?}");
        assert!(problems[0].contains("does not exist"), "{problems:?}");
        assert!(problems[1].contains("loops back"), "{problems:?}");
    }
}
