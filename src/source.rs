//! Reads one file into blcheck documents. Size and UTF-8 are checked before
//! parsing; any problem is a located error for DOC001, never a panic.

use crate::discover::Candidate;
use crate::document::Document;
use crate::safe_read::{self, Links, ReadError};
use crate::yaml::{load, Limits, Pos};
use std::sync::Arc;

/// The default largest file blcheck reads, in bytes (10 MiB); the default
/// of `--max-file-size`. A course is a few kilobytes; the limit keeps a
/// hostile file from costing more memory than a few times this.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Bounds on the files blcheck reads.
#[derive(Debug, Clone, Copy)]
pub struct FileLimits {
    pub max_bytes: u64,
    pub yaml: Limits,
    /// Whether a file that is a link is read (`--follow-symlinks`). A file
    /// named on the command line arrives with its link already resolved.
    pub links: Links,
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits {
            max_bytes: DEFAULT_MAX_FILE_BYTES,
            yaml: Limits::default(),
            links: Links::Refuse,
        }
    }
}

/// What a file holds.
#[derive(Debug)]
pub enum FileContent {
    /// The blcheck documents of the file (those with a top-level `kind`).
    Documents(Vec<Document>),
    /// Valid YAML, but no document with `kind`: skipped, and counted.
    NotBlcheck,
    /// The file could not be read or is not valid YAML.
    Invalid { pos: Pos, message: String },
}

/// Reads and parses one file.
pub fn read(candidate: &Candidate, limits: &FileLimits) -> FileContent {
    if let Some(problem) = &candidate.problem {
        return FileContent::Invalid {
            pos: Pos { line: 1, column: 1 },
            message: problem.to_string(),
        };
    }
    let bytes = match read_bounded(candidate, limits) {
        Ok(bytes) => bytes,
        Err(message) => {
            return FileContent::Invalid {
                pos: Pos { line: 1, column: 1 },
                message,
            }
        }
    };
    let file = candidate.display.clone();
    parse(&bytes, file, limits)
}

/// Parses a file's bytes (the part of `read` that needs no file system).
pub fn parse(bytes: &[u8], file: Arc<str>, limits: &FileLimits) -> FileContent {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let before = std::str::from_utf8(valid).unwrap_or_default();
            return FileContent::Invalid {
                pos: end_of(before),
                message: "not UTF-8 text (a binary file, or another encoding); save it as UTF-8"
                    .into(),
            };
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((at, c)) = first_unprintable(text) {
        let message = if c == '\0' {
            "contains a NUL byte: a binary file, not YAML".to_string()
        } else {
            format!(
                "contains the control character U+{:04X}, which YAML does not allow in a file \
                 (a terminal escape sequence, or a binary file)",
                u32::from(c)
            )
        };
        return FileContent::Invalid {
            pos: end_of(&text[..at]),
            message,
        };
    }
    match load(text, limits.yaml) {
        Err(e) => FileContent::Invalid {
            pos: e.pos,
            message: e.message,
        },
        Ok(yaml) => {
            let documents: Vec<Document> = yaml
                .into_iter()
                .filter_map(|d| Document::from_root(file.clone(), d.root))
                .collect();
            if documents.is_empty() {
                FileContent::NotBlcheck
            } else {
                FileContent::Documents(documents)
            }
        }
    }
}

/// The first character YAML does not allow in a file, and where it is.
fn first_unprintable(text: &str) -> Option<(usize, char)> {
    // Nearly every file is printable ASCII: checked a byte at a time without
    // an early exit, which the compiler vectorises, before any character is
    // decoded.
    let ascii_ok = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'~');
    if text.bytes().fold(true, |ok, b| ok & ascii_ok(b)) {
        return None;
    }
    text.char_indices().find(|&(_, c)| !is_yaml_printable(c))
}

/// YAML's printable characters (YAML 1.2, rule c-printable): tab, line
/// breaks and everything else but the other C0 and C1 controls, DEL and
/// U+FFFE/U+FFFF. The parser accepts raw controls such as ESC in plain
/// scalars; refusing them here keeps raw escape sequences out of documents.
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}')
        || ('\u{a0}'..='\u{fffd}').contains(&c)
        || c >= '\u{10000}'
}

fn read_bounded(candidate: &Candidate, limits: &FileLimits) -> Result<Vec<u8>, String> {
    let max = limits.max_bytes;
    safe_read::read_bounded(&candidate.path, limits.links, max).map_err(|e| match e {
        ReadError::TooLarge { .. } => {
            format!("{e}; blcheck documents are far smaller (--max-file-size sets the limit)")
        }
        other => other.to_string(),
    })
}

/// The position just after `text`.
fn end_of(text: &str) -> Pos {
    crate::position::LineIndex::new(text).end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(bytes: &[u8]) -> FileContent {
        parse(bytes, "f.yaml".into(), &FileLimits::default())
    }

    #[test]
    fn files_without_kind_are_not_blcheck_documents() {
        assert!(matches!(parsed(b"title: x\n"), FileContent::NotBlcheck));
        assert!(matches!(parsed(b""), FileContent::NotBlcheck));
        assert!(matches!(
            parsed(b"# only a comment\n"),
            FileContent::NotBlcheck
        ));
    }

    #[test]
    fn documents_without_kind_are_ignored_in_multi_document_files() {
        let FileContent::Documents(docs) = parsed(b"a: 1\n---\nkind: Course\nid: X\n") else {
            panic!("expected documents");
        };
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id_pos.line, 4);
    }

    #[test]
    fn binary_and_non_utf8_are_located_errors() {
        let FileContent::Invalid { pos, .. } = parsed(b"kind: Course\nid: \xff\n") else {
            panic!("expected an error");
        };
        assert_eq!(pos, Pos { line: 2, column: 5 });
        assert!(matches!(parsed(b"kind: \0"), FileContent::Invalid { .. }));
        let FileContent::Invalid { pos, message } =
            parsed(b"kind: Course\nid: X\ntitle: a\x1b[2Jb\n")
        else {
            panic!("expected an error");
        };
        assert_eq!(
            (pos, message.contains("U+001B")),
            (Pos { line: 3, column: 9 }, true)
        );
        // Escapes written in double quotes are YAML; the renderers neutralise them.
        assert!(matches!(
            parsed(b"kind: Course\nid: \"\\e[2J\"\n\t# tab\r\n"),
            FileContent::Documents(_)
        ));
    }

    #[test]
    fn a_bom_is_accepted_and_crlf_keeps_line_numbers() {
        let FileContent::Documents(docs) = parsed(b"\xef\xbb\xbfkind: Course\r\nid: X\r\n") else {
            panic!("expected documents");
        };
        assert_eq!(docs[0].id_pos, Pos { line: 2, column: 1 });
    }

    /// A file that discovery saw as a regular file and that was swapped
    /// before it was read: read as it is now, never blocking.
    #[test]
    fn a_file_swapped_after_discovery_is_refused_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("course.yaml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let candidate = Candidate::file(fifo, "course.yaml".into());
        let FileContent::Invalid { message, .. } = read(&candidate, &FileLimits::default()) else {
            panic!("a FIFO is not read");
        };
        assert!(message.contains("not a regular file"), "{message}");

        let real = dir.path().join("real.yaml");
        std::fs::write(&real, "kind: Course\nid: X\n").unwrap();
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let candidate = Candidate::file(link, "link.yaml".into());
        let FileContent::Invalid { message, .. } = read(&candidate, &FileLimits::default()) else {
            panic!("a link is not followed without --follow-symlinks");
        };
        assert!(message.contains("symbolic link"), "{message}");
        let follow = FileLimits {
            links: Links::Follow,
            ..FileLimits::default()
        };
        assert!(matches!(
            read(&candidate, &follow),
            FileContent::Documents(_)
        ));
    }
}
