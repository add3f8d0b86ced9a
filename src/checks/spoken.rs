//! Values named the way a person would name them. A finding's message
//! quotes the value it is about; where that value is inside a list, the
//! quoted path (`'staff[1].online_delivery_training'`, counting from 0) is
//! replaced by words (`staff member 2 (Assessor): online delivery
//! training`). The finding's `path` keeps the path for tools (JSON, SARIF).

use crate::yaml::{Node, Value};

/// The fields that name a list item, first found first: a staff member's
/// role, an assignment's id, a component's type, a milestone's step.
const LABELS: &[&str] = &[
    "role",
    "id",
    "type",
    "step",
    "goal",
    "indicator",
    "by",
    "name",
    "title",
];

/// Longest label quoted, in characters: a goal can be a paragraph.
const MOST_LABEL_CHARS: usize = 40;

/// `message` with every quoted path into a list replaced by its spoken
/// name; quoted paths outside lists, and other quoted text, stay.
pub fn speak(message: &str, root: &Node) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find('\'') {
        let after = &rest[start + 1..];
        let Some(len) = after.find('\'') else {
            break;
        };
        let quoted = &after[..len];
        out.push_str(&rest[..start]);
        match spoken(quoted, root) {
            Some(words) => out.push_str(&words),
            None => {
                out.push('\'');
                out.push_str(quoted);
                out.push('\'');
            }
        }
        rest = &after[len + 1..];
    }
    out.push_str(rest);
    out
}

/// The spoken name of a concrete path with a list index in it, when the
/// path is one (`a[2].b`); `None` for anything else.
fn spoken(path: &str, root: &Node) -> Option<String> {
    if !path.contains('[')
        || !path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c))
    {
        return None;
    }
    let mut node = Some(root);
    let mut items: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for segment in path.split('.') {
        let (key, indices) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if key.is_empty() {
            return None;
        }
        node = node.and_then(|n| n.get(key));
        if indices.is_empty() {
            keys.push(key.replace('_', " "));
            continue;
        }
        for index in indices.split(']').filter(|s| !s.is_empty()) {
            let n: usize = index.strip_prefix('[')?.parse().ok()?;
            node = node.and_then(|list| match &list.value {
                Value::List(entries) => entries.get(n),
                _ => None,
            });
            let mut item = format!("{} {}", noun(key), n + 1);
            if let Some(label) = node.and_then(label) {
                item.push_str(&format!(" ({label})"));
            }
            items.push(item);
            keys.clear();
        }
    }
    let mut words = items.join(", ");
    if !keys.is_empty() {
        words.push_str(": ");
        words.push_str(&keys.join(" "));
    }
    Some(words)
}

/// What one item of the list at `key` is called.
fn noun(key: &str) -> String {
    match key {
        "staff" => "staff member".to_string(),
        "met" => "claim".to_string(),
        "access" => "entry".to_string(),
        _ => {
            let words = key.replace('_', " ");
            match words.strip_suffix('s') {
                Some(singular) if !singular.is_empty() => singular.to_string(),
                _ => words,
            }
        }
    }
}

fn label(item: &Node) -> Option<String> {
    let text = LABELS
        .iter()
        .find_map(|key| item.get(key).and_then(Node::scalar_text))
        .map(str::trim)
        .filter(|t| !t.is_empty())?;
    let mut label: String = text.chars().take(MOST_LABEL_CHARS).collect();
    if text.chars().count() > MOST_LABEL_CHARS {
        label.push('…');
    }
    Some(label)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::doc;
    use super::*;

    #[test]
    fn list_items_are_named_as_a_person_would() {
        let root = doc("staff:\n  - role: Tutor\n  - role: Assessor\n    online_delivery_training: 2023-06-01\n");
        assert_eq!(
            speak(
                "'staff[1].online_delivery_training' is 2023-06-01, 884 days old",
                &root
            ),
            "staff member 2 (Assessor): online delivery training is 2023-06-01, 884 days old"
        );
        assert_eq!(speak("'a.b' is 'x'", &root), "'a.b' is 'x'");
        assert_eq!(
            speak("'staff[5].role' is missing", &root),
            "staff member 6: role is missing"
        );
    }

    #[test]
    fn nested_items_and_long_labels() {
        let root = doc("goals:\n  - goal: Pass Functional Skills English Level 2 writing this year\n    milestones:\n      - step: Draft\n");
        assert_eq!(
            speak("'goals[0].milestones[0]' was due", &root),
            "goal 1 (Pass Functional Skills English Level 2 w…), milestone 1 (Draft) was due"
        );
    }
}
