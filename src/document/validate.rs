//! Checks a document against its kind's format: DOC002 for missing required
//! fields, wrong types, values outside their set and invalid dates; DOC003
//! for keys the format does not know, with the closest known key.

use super::format::{Field, Shape};
use crate::dates::parse_date;
use crate::yaml::path::Trail;
use crate::yaml::{quoted, same_key, Node, Pos, Value};

/// A problem with a document's format.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatIssue {
    pub unknown_key: bool,
    pub pos: Pos,
    pub path: String,
    pub message: String,
}

/// The most format problems listed for one document. A file that repeats
/// one mistake a million times (a list of a million wrong items) gets this
/// many findings and one saying how many more there are, not a million.
pub const MAX_ISSUES: usize = 50;

/// Validates `root` against a kind's top-level fields. At most
/// [`MAX_ISSUES`] problems are listed, then one that counts the rest.
pub fn validate(root: &Node, fields: &[Field]) -> Vec<FormatIssue> {
    let mut issues = Issues::default();
    match &root.value {
        Value::Map(_) => check_map(root, fields, &Trail::Root, &mut issues),
        _ => issues.push(FormatIssue {
            unknown_key: false,
            pos: root.pos,
            path: String::new(),
            message: format!(
                "a document must be a mapping of keys, not {}",
                root.type_name()
            ),
        }),
    }
    issues.finish()
}

/// The problems found so far, and a count of those past [`MAX_ISSUES`].
#[derive(Default)]
struct Issues {
    listed: Vec<FormatIssue>,
    omitted: usize,
    first_omitted: Option<FormatIssue>,
}

impl Issues {
    fn push(&mut self, issue: FormatIssue) {
        if self.listed.len() < MAX_ISSUES {
            self.listed.push(issue);
        } else {
            self.omitted += 1;
            self.first_omitted.get_or_insert(issue);
        }
    }

    fn finish(mut self) -> Vec<FormatIssue> {
        if let Some(first) = self.first_omitted {
            self.listed.push(FormatIssue {
                message: format!(
                    "{} more problem{} with this document's format, from here on, not listed \
                     (the first: {})",
                    self.omitted,
                    if self.omitted == 1 { "" } else { "s" },
                    first.message
                ),
                ..first
            });
        }
        self.listed
    }
}

/// `path` is where `node` is, kept on the stack and written out only for a
/// problem: most documents have none, and every key and item is visited.
fn check_map(node: &Node, fields: &[Field], path: &Trail<'_>, issues: &mut Issues) {
    let Value::Map(entries) = &node.value else {
        return;
    };
    // Which fields the mapping has, on the stack for any format's mapping
    // (none has more than FIELDS_ON_STACK fields).
    const FIELDS_ON_STACK: usize = 64;
    let mut on_stack = [false; FIELDS_ON_STACK];
    let mut on_heap = Vec::new();
    let present: &mut [bool] = match on_stack.get_mut(..fields.len()) {
        Some(present) => present,
        None => {
            on_heap.resize(fields.len(), false);
            &mut on_heap
        }
    };
    let mut next = 0;
    for entry in entries {
        let here = Trail::Key(path, &entry.key);
        match field_index(fields, &entry.key, next) {
            Some(i) => {
                present[i] = true;
                next = i + 1;
                let field = &fields[i];
                check_value(&entry.value, &field.shape, field.required, &here, issues)
            }
            None => issues.push(FormatIssue {
                unknown_key: true,
                pos: entry.key_pos,
                path: here.to_string(),
                message: unknown_key_message(&entry.key, fields.iter().map(|f| f.name)),
            }),
        }
    }
    let missing_fields = fields
        .iter()
        .zip(present.iter())
        .filter(|(field, seen)| field.required && !**seen);
    for (field, _) in missing_fields {
        let missing = Trail::Key(path, &first_required_leaf(field)).to_string();
        issues.push(FormatIssue {
            unknown_key: false,
            pos: node.pos,
            message: format!("required field '{missing}' is missing"),
            path: missing,
        });
    }
}

/// Where `key` is among `fields`, looked for from `hint` on first: documents
/// mostly list their keys in the format's order (`blcheck init` writes
/// them so), which makes the look-up one comparison per key.
fn field_index(fields: &[Field], key: &str, hint: usize) -> Option<usize> {
    let (before, after) = fields.split_at(hint.min(fields.len()));
    after
        .iter()
        .position(|f| same_key(f.name, key))
        .map(|i| i + before.len())
        .or_else(|| before.iter().position(|f| same_key(f.name, key)))
}

/// For a missing required section, the path of what it must hold:
/// `delivery.mode` rather than `delivery`.
fn first_required_leaf(field: &Field) -> String {
    match &field.shape {
        Shape::Map(children) => match children.iter().find(|c| c.required) {
            Some(child) => format!("{}.{}", field.name, first_required_leaf(child)),
            None => field.name.to_string(),
        },
        _ => field.name.to_string(),
    }
}

fn check_value(node: &Node, shape: &Shape, required: bool, path: &Trail<'_>, issues: &mut Issues) {
    let mut wrong = |message: String| {
        issues.push(FormatIssue {
            unknown_key: false,
            pos: node.pos,
            path: path.to_string(),
            message,
        })
    };
    if node.is_null() {
        if required {
            wrong(format!("required field '{path}' is empty"));
        }
        return;
    }
    match shape {
        Shape::Text => {
            if node.scalar_text().is_none() {
                wrong(format!("'{path}' should be text, not {}", node.type_name()));
            } else if required && node.scalar_text().is_some_and(|t| t.trim().is_empty()) {
                wrong(format!("required field '{path}' is empty"));
            }
        }
        Shape::Integer => match node.value {
            Value::Int(..) => {}
            _ => wrong(format!(
                "'{path}' should be a whole number, not {}",
                node.describe()
            )),
        },
        Shape::Number => {
            if node.as_number().is_none() {
                wrong(format!(
                    "'{path}' should be a number, not {}",
                    node.describe()
                ));
            }
        }
        Shape::Boolean => {
            if !matches!(node.value, Value::Bool(_)) {
                wrong(format!(
                    "'{path}' should be true or false, not {}",
                    node.describe()
                ));
            }
        }
        Shape::Date => match &node.value {
            Value::Text(text) => {
                if let Err(e) = parse_date(text) {
                    wrong(format!("'{path}' is '{}': {e}", quoted(text)));
                }
            }
            _ => wrong(format!(
                "'{path}' should be a date (YYYY-MM-DD or DD/MM/YYYY), not {}",
                node.describe()
            )),
        },
        Shape::Enum(allowed) => match node.scalar_text() {
            Some(text) if allowed.contains(&text) => {}
            Some(text) => wrong(format!(
                "'{path}' is '{}', not one of {}{}",
                quoted(text),
                allowed.join(", "),
                suggestion(text, allowed.iter().copied())
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default()
            )),
            None => wrong(format!(
                "'{path}' should be one of {}, not {}",
                allowed.join(", "),
                node.type_name()
            )),
        },
        Shape::QualificationNumber => match node.scalar_text() {
            Some(text) if is_qualification_number(text) => {}
            Some(text) => wrong(format!(
                "'{path}' is '{}', not an Ofqual qualification number like 603/5058/0",
                quoted(text)
            )),
            None => wrong(format!(
                "'{path}' should be a qualification number, not {}",
                node.type_name()
            )),
        },
        Shape::List(item) => match &node.value {
            Value::List(items) => {
                for (i, child) in items.iter().enumerate() {
                    check_value(child, item, true, &Trail::Index(path, i), issues);
                }
            }
            _ => wrong(format!(
                "'{path}' should be a list, not {}",
                node.describe()
            )),
        },
        Shape::Map(fields) => match &node.value {
            Value::Map(_) => check_map(node, fields, path, issues),
            _ => wrong(format!(
                "'{path}' should be a mapping of keys, not {}",
                node.describe()
            )),
        },
        Shape::TextMap => match &node.value {
            Value::Map(entries) => {
                for entry in entries {
                    if entry.value.scalar_text().is_none() && !entry.value.is_null() {
                        issues.push(FormatIssue {
                            unknown_key: false,
                            pos: entry.key_pos,
                            path: Trail::Key(path, &entry.key).to_string(),
                            message: format!(
                                "'{}' should be text, not {}",
                                Trail::Key(path, &entry.key),
                                entry.value.type_name()
                            ),
                        });
                    }
                }
            }
            _ => wrong(format!(
                "'{path}' should be a mapping of names to text, not {}",
                node.describe()
            )),
        },
    }
}

/// `603/5058/0`: three digits, four digits, and a digit or `X`.
pub fn is_qualification_number(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    matches!(parts.as_slice(), [a, b, c]
        if a.len() == 3 && a.bytes().all(|x| x.is_ascii_digit())
        && b.len() == 4 && b.bytes().all(|x| x.is_ascii_digit())
        && c.len() == 1 && c.bytes().all(|x| x.is_ascii_digit() || x == b'X'))
}

fn unknown_key_message<'a>(key: &str, known: impl Iterator<Item = &'a str> + Clone) -> String {
    let key = quoted(key);
    match suggestion(&key, known.clone()) {
        Some(best) => format!("unknown key '{key}' (did you mean '{best}'?)"),
        None => format!(
            "unknown key '{key}'; known keys here: {}",
            known.collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The closest known word, when it is close enough to be a likely typo.
pub fn suggestion<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // Known words are short, and a typo is about as long as its word; the
    // comparison costs the product of the two lengths, so a document's
    // megabyte-long "key" is not compared at all.
    const LONGEST_TYPO_BYTES: usize = 256;
    if word.len() > LONGEST_TYPO_BYTES {
        return None;
    }
    const LEAST_SIMILARITY: f64 = 0.6;
    let lower = word.to_lowercase();
    let length = lower.chars().count();
    known
        .map(|k| (k, k.to_lowercase()))
        // A word whose length alone differs by more than the edits allowed
        // is not compared (the distance is at least the difference).
        .filter(|(_, other)| {
            let other = other.chars().count();
            let longer = length.max(other).max(1) as f64;
            1.0 - length.abs_diff(other) as f64 / longer >= LEAST_SIMILARITY
        })
        .map(|(k, other)| (strsim::normalized_damerau_levenshtein(&lower, &other), k))
        .filter(|(score, _)| *score >= LEAST_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::format::COURSE;
    use crate::yaml::{load, Limits};

    fn issues(text: &str) -> Vec<(bool, String, String)> {
        let root = load(text, Limits::default()).unwrap().remove(0).root;
        validate(&root, COURSE)
            .into_iter()
            .map(|i| (i.unknown_key, i.pos.to_string(), i.message))
            .collect()
    }

    #[test]
    fn a_minimal_course_is_valid() {
        assert!(issues("kind: Course\nid: C1\ntitle: T\ndelivery:\n  mode: blended\n").is_empty());
    }

    #[test]
    fn missing_required_fields_point_at_the_document_or_section() {
        let got = issues("kind: Course\ntitle: T\n");
        assert_eq!(got[0].1, "1:1");
        assert!(got[0].2.contains("'id'"), "{got:?}");
        assert!(got[1].2.contains("'delivery.mode'"), "{got:?}");
        let got = issues("kind: Course\nid: C\ntitle: T\ndelivery:\n  hours: 3\n");
        assert!(
            got.iter()
                .any(|i| i.1 == "4:1" && i.2.contains("'delivery.mode' is missing")),
            "{got:?}"
        );
    }

    #[test]
    fn unknown_keys_suggest_the_closest_known_key() {
        let got = issues("kind: Course\nid: C1\ntitle: T\ndelivery:\n  mode: online\nassessment:\n  feedbak_days: 3\n");
        assert_eq!(
            got,
            vec![(
                true,
                "7:3".into(),
                "unknown key 'feedbak_days' (did you mean 'feedback_days'?)".into()
            )]
        );
    }

    #[test]
    fn wrong_types_enums_dates_and_numbers() {
        let got = issues(
            "kind: Course\nid: C1\ntitle: T\ndelivery:\n  mode: hybrid\nattendance:\n  follow_up_days: five\nassessment:\n  deadlines_published: yes\n  assignments:\n    - deadline: 2025/10/10\n    - deadline: 2025-02-30\nqualification:\n  number: 603/5058/x\n",
        );
        let messages: Vec<&str> = got.iter().map(|i| i.2.as_str()).collect();
        assert_eq!(got.len(), 6, "{messages:?}");
        assert!(messages[0].contains("'hybrid', not one of"));
        assert!(messages[1].contains("whole number, not 'five'"));
        assert!(messages[2].contains("true or false, not 'yes'"));
        assert!(messages[3].contains("not a date"));
        assert!(messages[4].contains("no such day"));
        assert_eq!(got[4].1, "12:7");
        assert!(messages[5].contains("qualification number"));
    }

    #[test]
    fn qualification_numbers() {
        assert!(is_qualification_number("603/5058/0"));
        assert!(is_qualification_number("601/1234/X"));
        assert!(!is_qualification_number("603/5058/x"));
        assert!(!is_qualification_number("6035/058/0"));
        assert!(!is_qualification_number("603/5058/01"));
    }

    #[test]
    fn a_mistake_repeated_many_times_is_counted_not_listed() {
        let staff: String = (0..10_000).map(|i| format!("  - {i}\n")).collect();
        let got = issues(&format!(
            "kind: Course\nid: C1\ntitle: T\ndelivery:\n  mode: online\nstaff:\n{staff}"
        ));
        assert_eq!(got.len(), MAX_ISSUES + 1);
        let last = &got[MAX_ISSUES].2;
        assert!(
            last.starts_with(&format!("{} more problems", 10_000 - MAX_ISSUES)),
            "{last}"
        );
        assert_eq!(got[MAX_ISSUES].1, format!("{}:5", 7 + MAX_ISSUES));
    }

    #[test]
    fn long_values_are_quoted_short_and_never_compared_for_typos() {
        let long = "x".repeat(100_000);
        let key = "k".repeat(1_000);
        let got = issues(&format!(
            "kind: Course\nid: C1\ntitle: T\ndelivery:\n  mode: {long}\n{key}: 1\n"
        ));
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got.iter().all(|i| !i.2.contains(&"x".repeat(61))),
            "{got:?}"
        );
        assert!(
            got.iter().all(|i| !i.2.contains(&"k".repeat(61))),
            "{got:?}"
        );
        assert_eq!(suggestion(&long, ["x", "xx"].into_iter()), None);
        assert_eq!(
            suggestion("blendd", ["blended", "online"].into_iter()),
            Some("blended")
        );
    }
}
