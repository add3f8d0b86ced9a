//! Reads one file into blcheck documents. Size and UTF-8 are checked before
//! parsing; any problem is a located error for DOC001, never a panic.

use crate::discover::{io_reason, Candidate};
use crate::document::Document;
use crate::yaml::{load, Limits, Pos};
use std::io::Read;
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
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits {
            max_bytes: DEFAULT_MAX_FILE_BYTES,
            yaml: Limits::default(),
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
    let bytes = match read_bounded(candidate, limits.max_bytes) {
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

fn read_bounded(candidate: &Candidate, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(&candidate.path)
        .map_err(|e| format!("cannot read the file: {}", io_reason(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read the file: {}", io_reason(&e)))?;
    // Discovery only passes regular files, but the tree can change under
    // a run: never read a directory or a device.
    if meta.is_dir() {
        return Err("is a directory, not a file".into());
    }
    if !meta.is_file() {
        return Err("not a regular file; not read".into());
    }
    if meta.len() > max {
        return Err(format!(
            "the file is {} bytes, over the limit of {max} bytes; blcheck documents are far \
             smaller (--max-file-size sets the limit)",
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow while it is read: never take more than the limit.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {}", io_reason(&e)))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "the file is over the limit of {max} bytes (--max-file-size sets the limit)"
        ));
    }
    Ok(bytes)
}

/// The position just after `text`.
fn end_of(text: &str) -> Pos {
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
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
}
