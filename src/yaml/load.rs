//! The hardened loader: builds the span tree from `saphyr-parser` events,
//! so that no input can recurse the stack, expand aliases or grow without
//! bound. Every refusal is an error with a location, never a panic.

use super::scalar::{boxed, resolve_plain};
use super::{Entry, Node, Pos, Value, YamlDocument};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// Bounds on what one file may make the loader build.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Most nodes (scalars, lists, mappings) in one file.
    pub max_nodes: usize,
    /// Most nodes in one document. Rules walk a document's lists value by
    /// value, so this bounds the work and memory of auditing one document;
    /// a real course has a few hundred.
    pub max_document_nodes: usize,
    /// Most YAML documents (`---`) in one file. Each blcheck document
    /// gives up to a few dozen findings, so this bounds what one small file
    /// can make the run report.
    pub max_documents: usize,
    /// Longest mapping key, in characters. YAML itself limits implicit keys
    /// to 1024; a longer key would be copied into every path and message.
    pub max_key_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_nodes: 1_000_000,
            max_document_nodes: 100_000,
            max_documents: 1_000,
            max_key_chars: 1_024,
        }
    }
}

/// Why a file is not usable YAML, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

/// Loads every document of a YAML text. Any error voids the whole file.
pub fn load(text: &str, limits: Limits) -> Result<Vec<YamlDocument>, LoadError> {
    let mut builder = Builder {
        limits,
        nodes: 0,
        document_nodes: 0,
        started: 0,
        stack: Vec::new(),
        documents: Vec::new(),
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| LoadError {
            pos: Pos {
                line: clamp(e.marker().line()),
                column: clamp(e.marker().col() + 1),
            },
            message: match e.info() {
                // The scanner's own bound on flow nesting (`[[[…`), which it
                // can meet before the builder sees the events.
                "recursion limit exceeded" => nested_too_deep(limits.max_depth),
                info => info.to_string(),
            },
        })?;
        builder.event(event, span)?;
    }
    Ok(builder.documents)
}

fn nested_too_deep(max_depth: usize) -> String {
    format!("nested deeper than {max_depth} levels; blcheck documents are never this deep")
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: clamp(span.start.line()),
        column: clamp(span.start.col() + 1),
    }
}

/// A collection being built, with the key waiting for its value.
enum Frame {
    List {
        pos: Pos,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        entries: Vec<Entry>,
        pending_key: Option<(Box<str>, Pos)>,
        // Only large mappings pay for a set; small ones are scanned.
        seen: Option<HashSet<Box<str>>>,
    },
}

struct Builder {
    limits: Limits,
    nodes: usize,
    /// Nodes of the current document.
    document_nodes: usize,
    /// Documents begun so far.
    started: usize,
    stack: Vec<Frame>,
    documents: Vec<YamlDocument>,
}

const LINEAR_SCAN_LIMIT: usize = 32;

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), LoadError> {
        let pos = pos_of(&span);
        let is_list = matches!(event, Event::SequenceStart(..));
        match event {
            Event::DocumentStart(_) => {
                self.started += 1;
                self.document_nodes = 0;
                if self.started > self.limits.max_documents {
                    return Err(refuse(
                        pos,
                        &format!(
                            "more than {} YAML documents in one file; split the file",
                            self.limits.max_documents
                        ),
                    ));
                }
                Ok(())
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => Ok(()),
            Event::Alias(_) => Err(refuse(
                pos,
                "aliases (*name) are not allowed in blcheck documents",
            )),
            Event::Scalar(text, style, anchor, tag) => {
                refuse_anchor(anchor, pos)?;
                let plain = match tag {
                    None => style == ScalarStyle::Plain,
                    Some(tag) if tag.handle == "tag:yaml.org,2002:" && tag.suffix == "str" => false,
                    Some(tag) => {
                        return Err(refuse(
                            pos,
                            &format!(
                                "tags such as '{}{}' are not allowed in blcheck documents",
                                tag.handle, tag.suffix
                            ),
                        ))
                    }
                };
                self.count(pos)?;
                if self.awaits_key() {
                    // A key is kept as written (`1:` is the key "1"): it is
                    // never resolved to a value.
                    return self.push_key(text, pos);
                }
                let value = if plain {
                    resolve_plain(text)
                } else {
                    Value::Text(boxed(text))
                };
                self.push_value(Node { pos, value })
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                refuse_anchor(anchor, pos)?;
                if let Some(tag) = tag {
                    return Err(refuse(
                        pos,
                        &format!(
                            "tags such as '{}{}' are not allowed in blcheck documents",
                            tag.handle, tag.suffix
                        ),
                    ));
                }
                self.count(pos)?;
                if self.stack.len() >= self.limits.max_depth {
                    return Err(refuse(pos, &nested_too_deep(self.limits.max_depth)));
                }
                self.stack.push(if is_list {
                    Frame::List {
                        pos,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        pos,
                        entries: Vec::new(),
                        pending_key: None,
                        seen: None,
                    }
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::List { pos, items }) => Node {
                        pos,
                        value: Value::List(items),
                    },
                    Some(Frame::Map { pos, entries, .. }) => Node {
                        pos,
                        value: Value::Map(entries),
                    },
                    None => return Err(refuse(pos, "unbalanced YAML structure")),
                };
                self.push_value(node)
            }
        }
    }

    fn count(&mut self, pos: Pos) -> Result<(), LoadError> {
        self.nodes += 1;
        self.document_nodes += 1;
        let (limit, place) = if self.nodes > self.limits.max_nodes {
            (self.limits.max_nodes, "file; split the file")
        } else if self.document_nodes > self.limits.max_document_nodes {
            (
                self.limits.max_document_nodes,
                "document; blcheck documents hold a few hundred",
            )
        } else {
            return Ok(());
        };
        Err(refuse(
            pos,
            &format!("more than {limit} values in one {place}"),
        ))
    }

    /// Whether the next scalar is a mapping key.
    fn awaits_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                pending_key: None,
                ..
            })
        )
    }

    /// Places a finished node: as a document root, a list item, or the
    /// value of the pending key. A collection where a key belongs is
    /// refused.
    fn push_value(&mut self, mut node: Node) -> Result<(), LoadError> {
        match self.stack.last_mut() {
            None => {
                self.documents.push(YamlDocument { root: node });
                Ok(())
            }
            Some(Frame::List { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                Some((key, key_pos)) => {
                    node.pos = key_pos;
                    entries.push(Entry {
                        key,
                        key_pos,
                        value: node,
                    });
                    Ok(())
                }
                None => Err(refuse(
                    node.pos,
                    "mapping keys must be plain text, not lists or mappings",
                )),
            },
        }
    }

    /// Holds a scalar as the key of the mapping being built, once it is
    /// known to be short and new there.
    fn push_key(&mut self, text: Cow<'_, str>, pos: Pos) -> Result<(), LoadError> {
        let Some(Frame::Map {
            entries,
            pending_key,
            seen,
            ..
        }) = self.stack.last_mut()
        else {
            return Err(refuse(pos, "unbalanced YAML structure"));
        };
        if text.len() > self.limits.max_key_chars
            && text.chars().nth(self.limits.max_key_chars).is_some()
        {
            return Err(refuse(
                pos,
                &format!(
                    "a key longer than {} characters; blcheck keys are short names",
                    self.limits.max_key_chars
                ),
            ));
        }
        let duplicate = match seen {
            Some(set) => set.contains(&*text),
            None => entries.iter().any(|e| *e.key == *text),
        };
        if duplicate {
            return Err(refuse(
                pos,
                &format!("duplicate key '{text}' in the same mapping"),
            ));
        }
        let key = boxed(text);
        match seen {
            Some(set) => {
                set.insert(key.clone());
            }
            // Only large mappings pay for a set; small ones are scanned.
            None if entries.len() >= LINEAR_SCAN_LIMIT => {
                let mut set: HashSet<Box<str>> = entries.iter().map(|e| e.key.clone()).collect();
                set.insert(key.clone());
                *seen = Some(set);
            }
            None => {}
        }
        *pending_key = Some((key, pos));
        Ok(())
    }
}

fn refuse(pos: Pos, message: &str) -> LoadError {
    LoadError {
        pos,
        message: message.to_string(),
    }
}

fn refuse_anchor(anchor: usize, pos: Pos) -> Result<(), LoadError> {
    if anchor == 0 {
        Ok(())
    } else {
        Err(refuse(
            pos,
            "anchors (&name) are not allowed in blcheck documents",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str, limits: Limits) -> LoadError {
        match load(text, limits) {
            Ok(_) => panic!("expected {text:?} to be refused"),
            Err(e) => e,
        }
    }

    #[test]
    fn aliases_anchors_and_tags_are_refused_where_they_stand() {
        let e = refused("a: &x 1\nb: *x\n", Limits::default());
        assert_eq!(
            (e.pos.to_string(), e.message.contains("anchors")),
            ("1:4".into(), true)
        );
        let e = refused("a: !!binary aGk=\n", Limits::default());
        assert!(e.message.contains("tags"), "{e}");
        assert_eq!(e.pos.line, 1);
    }

    #[test]
    fn nesting_is_bounded_in_block_and_flow_style() {
        let limits = Limits::default();
        let block = format!("{}x\n", "- ".repeat(10_000));
        assert!(refused(&block, limits)
            .message
            .contains("nested deeper than 64"));
        // The scanner refuses `[` nested past 255 before the builder counts.
        let flow = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = refused(&flow, limits);
        assert!(e.message.contains("nested deeper than 64"), "{e}");
        assert_eq!(e.pos.line, 1);
        let ok = format!("{}1{}", "[".repeat(60), "]".repeat(60));
        assert!(load(&ok, limits).is_ok());
    }

    #[test]
    fn documents_nodes_and_keys_are_bounded() {
        let limits = Limits {
            max_documents: 3,
            max_nodes: 10,
            max_document_nodes: 6,
            max_key_chars: 8,
            ..Limits::default()
        };
        let e = refused("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n", limits);
        assert_eq!(e.pos.line, 6, "{e}"); // the fourth `---`
        assert!(e.message.contains("more than 3 YAML documents"), "{e}");
        let e = refused("[1, 2, 3, 4, 5, 6]\n", limits);
        assert!(
            e.message.contains("more than 6 values in one document"),
            "{e}"
        );
        let e = refused("[1, 2, 3, 4, 5]\n---\n[6, 7, 8, 9, 10]\n", limits);
        assert!(e.message.contains("more than 10 values in one file"), "{e}");
        let e = refused("short: 1\nmuch_too_long: 2\n", limits);
        assert_eq!(e.pos.to_string(), "2:1");
        assert!(e.message.contains("longer than 8 characters"), "{e}");
        assert!(load("a: 1\n---\nb: 2\n---\nc: 3\n", limits).is_ok());
    }

    #[test]
    fn duplicate_keys_are_refused_in_small_and_large_mappings() {
        let e = refused("a: 1\nb: 2\na: 3\n", Limits::default());
        assert_eq!(e.pos.to_string(), "3:1");
        let many: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        let e = refused(&format!("{many}k42: again\n"), Limits::default());
        assert_eq!(e.pos.line, 101);
    }
}
