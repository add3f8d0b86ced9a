//! Reads one input file — a document, a policy, `blcheck.toml` — without
//! blocking, without following a link unless asked, from regular files on
//! a real file system only, and never more than a bound: the tree can
//! change while a run walks it (a file swapped for a FIFO or a link), and a
//! pull request can name `/dev/zero` or `/proc/kmsg` as a policy.
//!
//! The file is opened first and checked on the open handle, so what is
//! checked is what is read.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest policy TOML file read: the built-in policies are a few
/// kilobytes.
pub const MAX_POLICY_BYTES: u64 = 10 * 1024 * 1024;

/// The largest `blcheck.toml` read.
pub const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// How a file may be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// A link is refused (`O_NOFOLLOW`): files met in a walk without
    /// `--follow-symlinks`.
    Refuse,
    /// A link is followed to its target, which must still be a regular
    /// file on a real file system: files named on the command line or in
    /// `blcheck.toml`, and walks with `--follow-symlinks`.
    Follow,
}

/// Why a file was not read, in words for a finding or an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Over `max` bytes: stated or found while reading.
    TooLarge {
        size: Option<u64>,
        max: u64,
    },
    /// Not a regular file (a FIFO, a device, a socket, a folder, a link
    /// not followed) or not on a real file system (`/proc`, `/sys`).
    NotRegular(String),
    Io(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge {
                size: Some(size),
                max,
            } => {
                write!(f, "the file is {size} bytes, over the limit of {max} bytes")
            }
            ReadError::TooLarge { size: None, max } => {
                write!(f, "the file is over the limit of {max} bytes")
            }
            ReadError::NotRegular(what) => write!(f, "{what}; not read"),
            ReadError::Io(reason) => write!(f, "cannot read the file: {reason}"),
        }
    }
}

/// The file's bytes, at most `max` of them.
pub fn read_bounded(path: &Path, links: Links, max: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path, links)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::NotRegular("is a directory, not a file".into()));
    }
    if !meta.is_file() {
        return Err(ReadError::NotRegular(
            "not a regular file (a device, FIFO or socket), which could block or never end".into(),
        ));
    }
    if let Some(what) = pseudo_file_system(&file) {
        return Err(ReadError::NotRegular(format!(
            "on {what}, whose files are not documents and can block or never end"
        )));
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            max,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow while it is read: never take more than the limit.
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge { size: None, max });
    }
    Ok(bytes)
}

/// [`read_bounded`] as UTF-8 text, for TOML files.
pub fn read_text(path: &Path, links: Links, max: u64) -> Result<String, ReadError> {
    let bytes = read_bounded(path, links, max)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

fn io(e: std::io::Error) -> ReadError {
    ReadError::Io(crate::discover::io_reason(&e))
}

#[cfg(unix)]
fn open(path: &Path, links: Links) -> Result<File, ReadError> {
    use rustix::fs::{Mode, OFlags};
    // NONBLOCK: opening a FIFO returns at once instead of waiting for a
    // writer; regular files ignore it. NOFOLLOW: a link is refused (ELOOP).
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    if links == Links::Refuse {
        flags |= OFlags::NOFOLLOW;
    }
    match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => Ok(File::from(fd)),
        Err(e) if links == Links::Refuse && e == rustix::io::Errno::LOOP => Err(
            ReadError::NotRegular("a symbolic link, not followed (use --follow-symlinks)".into()),
        ),
        Err(e) => Err(io(std::io::Error::from(e))),
    }
}

#[cfg(not(unix))]
fn open(path: &Path, _links: Links) -> Result<File, ReadError> {
    File::open(path).map_err(io)
}

/// The kernel's own file systems, whose "regular" files are views of the
/// running system (`/proc/kmsg` blocks; `/proc/self/mem` is huge).
#[cfg(target_os = "linux")]
fn pseudo_file_system(file: &File) -> Option<&'static str> {
    const KERNEL: [(u64, &str); 9] = [
        (0x9fa0, "/proc"),
        (0x6265_6572, "/sys (sysfs)"),
        (0x6462_6720, "debugfs"),
        (0x7363_6673, "securityfs"),
        (0x7472_6163, "tracefs"),
        (0x6367_7270, "the cgroup file system"),
        (0x2762_5d1f, "the cgroup file system"),
        (0x6265_6570, "configfs"),
        (0x6e73_6673, "nsfs"),
    ];
    let stat = rustix::fs::fstatfs(file).ok()?;
    // The field's integer type differs between architectures.
    #[allow(clippy::unnecessary_cast)]
    let kind = stat.f_type as u64;
    KERNEL
        .iter()
        .find(|(magic, _)| *magic == kind)
        .map(|(_, name)| *name)
}

#[cfg(not(target_os = "linux"))]
fn pseudo_file_system(_file: &File) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_up_to_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "kind: Course\n").unwrap();
        assert_eq!(
            read_bounded(&file, Links::Refuse, 100).unwrap(),
            b"kind: Course\n"
        );
        assert_eq!(
            read_bounded(&file, Links::Refuse, 4),
            Err(ReadError::TooLarge {
                size: Some(13),
                max: 4
            })
        );
    }

    #[test]
    fn devices_fifos_and_pseudo_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.yaml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        // Without a writer, a blocking open would never return.
        assert!(matches!(
            read_bounded(&fifo, Links::Follow, 100),
            Err(ReadError::NotRegular(_))
        ));
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), Links::Follow, 100),
            Err(ReadError::NotRegular(_))
        ));
        if Path::new("/proc/self/status").exists() {
            let refused = read_bounded(Path::new("/proc/self/status"), Links::Follow, 1 << 20);
            assert!(
                matches!(refused, Err(ReadError::NotRegular(ref m)) if m.contains("/proc")),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn links_are_refused_unless_followed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "x").unwrap();
        let link = dir.path().join("b.yaml");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(matches!(
            read_bounded(&link, Links::Refuse, 100),
            Err(ReadError::NotRegular(_))
        ));
        assert_eq!(read_bounded(&link, Links::Follow, 100).unwrap(), b"x");
        let to_zero = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &to_zero).unwrap();
        assert!(matches!(
            read_bounded(&to_zero, Links::Follow, 100),
            Err(ReadError::NotRegular(_))
        ));
    }
}
