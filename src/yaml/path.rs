//! Paths into a document, as policies write them: `a.b`, `a[*].b`,
//! `a[type=live_online].b`, `a[0]`. Resolving a path gives every value it
//! reaches, and for each value that is not there, the nearest ancestor that
//! is, so a finding can point somewhere real.

use super::{Node, Pos, Value};
use smallvec::SmallVec;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    /// `[*]`: every item of a list.
    Each,
    /// `[key=value]`: the items of a list whose `key` is `value`.
    Filter(String, String),
    /// `[n]`: one item of a list, 0-based.
    Index(usize),
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    segments: Vec<Segment>,
    text: String,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Path {
    /// Parses `a.b[*].c`; the error says what is wrong with the text.
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut segments = Vec::new();
        for part in text.split('.') {
            let (name, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if name.is_empty() {
                return Err(format!(
                    "'{text}' has an empty key; write keys like a.b[*].c"
                ));
            }
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!(
                    "'{text}': key '{name}' may hold only letters, digits, _ and -"
                ));
            }
            segments.push(Segment::Key(name.to_string()));
            while !rest.is_empty() {
                let Some(end) = rest.find(']') else {
                    return Err(format!("'{text}' has a '[' without its ']'"));
                };
                let inner = &rest[1..end];
                let segment = if inner == "*" {
                    Segment::Each
                } else if let Some((key, value)) = inner.split_once('=') {
                    if key.is_empty() || value.is_empty() {
                        return Err(format!("'{text}': write a filter as [key=value]"));
                    }
                    Segment::Filter(key.to_string(), value.to_string())
                } else if let Ok(index) = inner.parse::<usize>() {
                    Segment::Index(index)
                } else {
                    return Err(format!(
                        "'{text}': '[{inner}]' is not [*], [n] or [key=value]"
                    ));
                };
                segments.push(segment);
                rest = &rest[end + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(format!("'{text}': expected '.' or '[' after ']'"));
                }
            }
        }
        Ok(Path {
            segments,
            text: text.to_string(),
        })
    }

    /// The leading keys up to the first list step: `goals` of
    /// `goals[*].goal`.
    pub fn outer(&self) -> Path {
        let segments: Vec<Segment> = self
            .segments
            .iter()
            .take_while(|s| matches!(s, Segment::Key(_)))
            .cloned()
            .collect();
        let text = segments
            .iter()
            .filter_map(|s| match s {
                Segment::Key(k) => Some(k.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(".");
        Path { segments, text }
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Every place the path reaches in `root`, in document order.
    pub fn resolve<'a>(&'a self, root: &'a Node) -> ReachedList<'a> {
        let mut out = ReachedList::new();
        let walk = Walk {
            path: self,
            verbatim: !self.segments.iter().any(|s| matches!(s, Segment::Index(_))),
        };
        walk.step(root, &self.segments, &Trail::Root, &mut out);
        out
    }
}

/// The places a path reaches. Most paths reach one value or none: kept
/// inline, a rule's look-up allocates nothing.
pub type ReachedList<'a> = SmallVec<[Reached<'a>; 2]>;

/// One place a path reaches: the value, or where it would be.
#[derive(Debug, Clone)]
pub struct Reached<'a> {
    /// The concrete path, with list indices: `staff[1].online_delivery_training`.
    /// Written out only when displayed, so that values that pass cost no
    /// allocation.
    pub path: ReachedPath<'a>,
    /// The value; `None` when missing or null (null counts as missing).
    pub node: Option<&'a Node>,
    /// Where a finding points: the value's place, or its nearest ancestor's.
    pub pos: Pos,
    /// Set when the walk met a value of the wrong type on the way (a list
    /// where a mapping was needed): what it found there.
    pub blocked_by: Option<&'static str>,
}

/// The way down to a node, kept on the stack while walking and written out
/// as text (`a.b[2].c`) only where it is needed: a finding's path.
#[derive(Debug, Clone, Copy)]
pub enum Trail<'a> {
    Root,
    Key(&'a Trail<'a>, &'a str),
    Index(&'a Trail<'a>, usize),
}

impl Trail<'_> {
    /// Whether a list index is on the way.
    fn indexed(&self) -> bool {
        match self {
            Trail::Root => false,
            Trail::Key(parent, _) => parent.indexed(),
            Trail::Index(..) => true,
        }
    }
}

impl fmt::Display for Trail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trail::Root => Ok(()),
            Trail::Key(Trail::Root, key) => f.write_str(key),
            Trail::Key(parent, key) => write!(f, "{parent}.{key}"),
            Trail::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// A reached place's concrete path (`staff[1].online_delivery_training`),
/// kept as the policy's path and the list indices taken, and written out
/// only when displayed: most values reached pass, and need no path.
#[derive(Debug, Clone)]
pub enum ReachedPath<'a> {
    /// The policy's own text: no list step was taken on the way.
    Verbatim(&'a str),
    /// `path` with the indices taken at its first `consumed` segments' list
    /// steps, in order; the segments after them as written.
    Indexed {
        path: &'a Path,
        consumed: usize,
        indices: [u32; MAX_INLINE_INDICES],
    },
    /// Written out at once: more list steps than `Indexed` holds.
    Text(String),
}

/// List steps a path may take and still be written out lazily.
const MAX_INLINE_INDICES: usize = 4;

impl fmt::Display for ReachedPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReachedPath::Verbatim(text) => f.write_str(text),
            ReachedPath::Text(text) => f.write_str(text),
            ReachedPath::Indexed {
                path,
                consumed,
                indices,
            } => {
                let mut taken = indices.iter();
                for (n, segment) in path.segments.iter().enumerate() {
                    match segment {
                        Segment::Key(key) if n == 0 => f.write_str(key)?,
                        Segment::Key(key) => write!(f, ".{key}")?,
                        _ if n < *consumed => write!(f, "[{}]", taken.next().unwrap_or(&0))?,
                        Segment::Each => f.write_str("[*]")?,
                        Segment::Filter(k, v) => write!(f, "[{k}={v}]")?,
                        Segment::Index(i) => write!(f, "[{i}]")?,
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::hash::Hash for ReachedPath<'_> {
    /// As the written-out text hashes.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            ReachedPath::Verbatim(text) => text.hash(state),
            ReachedPath::Text(text) => text.as_str().hash(state),
            ReachedPath::Indexed { .. } => self.to_string().as_str().hash(state),
        }
    }
}

fn full_path(here: &Trail<'_>, rest: &[Segment]) -> String {
    let mut path = here.to_string();
    for segment in rest {
        match segment {
            Segment::Key(k) if path.is_empty() => path.push_str(k),
            Segment::Key(k) => {
                path.push('.');
                path.push_str(k);
            }
            Segment::Each => path.push_str("[*]"),
            Segment::Filter(k, v) => path.push_str(&format!("[{k}={v}]")),
            Segment::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

struct Walk<'a> {
    path: &'a Path,
    /// The path's own text is what `full_path` would write whenever no list
    /// index is on the way (no `[n]` in it, which it would normalise).
    verbatim: bool,
}

impl<'a> Walk<'a> {
    fn text(&self, here: &Trail<'_>, rest: &[Segment]) -> ReachedPath<'a> {
        if self.verbatim && !here.indexed() {
            return ReachedPath::Verbatim(&self.path.text);
        }
        // The indices on the trail, innermost first: counted, then placed.
        let mut count = 0;
        let mut trail = here;
        while let Trail::Key(parent, _) | Trail::Index(parent, _) = trail {
            count += usize::from(matches!(trail, Trail::Index(..)));
            trail = parent;
        }
        if count > MAX_INLINE_INDICES {
            return ReachedPath::Text(full_path(here, rest));
        }
        let mut indices = [0u32; MAX_INLINE_INDICES];
        let mut trail = here;
        while let Trail::Key(parent, _) | Trail::Index(parent, _) = trail {
            if let Trail::Index(_, i) = trail {
                count -= 1;
                match u32::try_from(*i) {
                    Ok(i) => indices[count] = i,
                    Err(_) => return ReachedPath::Text(full_path(here, rest)),
                }
            }
            trail = parent;
        }
        ReachedPath::Indexed {
            path: self.path,
            consumed: self.path.segments.len() - rest.len(),
            indices,
        }
    }

    fn step(&self, node: &'a Node, rest: &[Segment], here: &Trail<'_>, out: &mut ReachedList<'a>) {
        let Some((segment, tail)) = rest.split_first() else {
            out.push(Reached {
                path: self.text(here, rest),
                node: (!node.is_null()).then_some(node),
                pos: node.pos,
                blocked_by: None,
            });
            return;
        };
        let missing = |blocked_by: Option<&'static str>, out: &mut ReachedList<'a>| {
            out.push(Reached {
                path: self.text(here, rest),
                node: None,
                pos: node.pos,
                blocked_by,
            })
        };
        match (segment, &node.value) {
            (_, Value::Null) => {
                // A missing list holds no items: "every item" is vacuously true.
                if !rest
                    .iter()
                    .any(|s| matches!(s, Segment::Each | Segment::Filter(..)))
                {
                    missing(None, out);
                }
            }
            (Segment::Key(key), Value::Map(_)) => match node.get(key) {
                Some(child) => self.step(child, tail, &Trail::Key(here, key), out),
                // A missing list holds no items, even when a section above it is
                // missing too: "every item" is vacuously true.
                None if tail
                    .iter()
                    .any(|s| matches!(s, Segment::Each | Segment::Filter(..))) => {}
                None => missing(None, out),
            },
            (Segment::Each, Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.step(item, tail, &Trail::Index(here, i), out);
                }
            }
            (Segment::Filter(key, wanted), Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if item.get(key).and_then(Node::scalar_text) == Some(wanted.as_str()) {
                        self.step(item, tail, &Trail::Index(here, i), out);
                    }
                }
            }
            (Segment::Index(i), Value::List(items)) => match items.get(*i) {
                Some(item) => self.step(item, tail, &Trail::Index(here, *i), out),
                None => missing(None, out),
            },
            (_, other) => missing(Some(other.type_name()), out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{load, Limits};

    fn doc(text: &str) -> Node {
        load(text, Limits::default()).unwrap().remove(0).root
    }

    fn reached(text: &str, path: &str) -> Vec<(String, Option<String>, String)> {
        let root = doc(text);
        Path::parse(path)
            .unwrap()
            .resolve(&root)
            .into_iter()
            .map(|r| {
                (
                    r.path.to_string(),
                    r.node.and_then(|n| n.scalar_text().map(str::to_string)),
                    r.pos.to_string(),
                )
            })
            .collect()
    }

    const COURSE: &str = "kind: Course\nattendance:\n  monitoring: weekly\nstaff:\n  - role: Tutor\n    training: 2025-01-01\n  - role: Assessor\ndelivery:\n  components:\n    - type: live_online\n      checks: [polls]\n    - type: face_to_face\n    - type: live_online\n";

    #[test]
    fn parses_paths() {
        let p = Path::parse("a.b[*].c[type=live_online].d[2]").unwrap();
        assert_eq!(p.segments().len(), 7);
        assert!(Path::parse("a..b").is_err());
        assert!(Path::parse("a[").is_err());
        assert!(Path::parse("a[x]").is_err());
        assert!(Path::parse("a[=x]").is_err());
        assert!(Path::parse("a]b").is_err());
    }

    #[test]
    fn a_present_key_points_at_its_key() {
        assert_eq!(
            reached(COURSE, "attendance.monitoring"),
            vec![(
                "attendance.monitoring".into(),
                Some("weekly".into()),
                "3:3".into()
            )]
        );
    }

    #[test]
    fn a_missing_key_points_at_the_nearest_ancestor() {
        assert_eq!(
            reached(COURSE, "attendance.follow_up_days"),
            vec![("attendance.follow_up_days".into(), None, "2:1".into())]
        );
        assert_eq!(
            reached(COURSE, "quality.last_review"),
            vec![("quality.last_review".into(), None, "1:1".into())]
        );
    }

    #[test]
    fn every_item_reaches_each_list_item_and_points_at_its_first_key() {
        assert_eq!(
            reached(COURSE, "staff[*].training"),
            vec![
                (
                    "staff[0].training".into(),
                    Some("2025-01-01".into()),
                    "6:5".into()
                ),
                ("staff[1].training".into(), None, "7:5".into()),
            ]
        );
    }

    #[test]
    fn filters_select_items_by_value() {
        let got = reached(COURSE, "delivery.components[type=live_online].checks");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "delivery.components[0].checks");
        assert_eq!(
            got[1],
            ("delivery.components[2].checks".into(), None, "13:7".into())
        );
    }

    #[test]
    fn a_missing_list_has_no_items() {
        assert!(reached(COURSE, "reviews[*].date").is_empty());
        assert!(reached(COURSE, "assessment.assignments[*].deadline").is_empty());
    }

    #[test]
    fn paths_are_written_out_with_the_indices_taken() {
        let text = "a:\n  - b:\n      - type: x\n        c: [1, 2]\n      - type: y\n  - b:\n      - type: x\n        c: [3]\n";
        let got: Vec<String> = reached(text, "a[*].b[type=x].c[01]")
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(got, ["a[0].b[0].c[1]", "a[1].b[0].c[1]"]);
        // Five list steps: written out at once, to the same text.
        let deep = "l: [[[[[1]]]]]\n";
        assert_eq!(reached(deep, "l[*][*][*][*][*]")[0].0, "l[0][0][0][0][0]");
        assert_eq!(
            reached(deep, "l[0][0][0][0][0].k")[0].0,
            "l[0][0][0][0][0].k"
        );
    }

    #[test]
    fn a_wrong_type_on_the_way_is_reported() {
        let root = doc("attendance: weekly\n");
        let path = Path::parse("attendance.monitoring").unwrap();
        let got = path.resolve(&root);
        assert_eq!(got[0].blocked_by, Some("text"));
        assert!(got[0].node.is_none());
    }
}
