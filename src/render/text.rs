//! Text from documents made safe for where it is shown: in a terminal,
//! control characters and escape sequences are shown, never obeyed; in a
//! Markdown table, `|` and line breaks stay inside their cell.

/// Replaces control characters (C0, DEL, C1) with visible escapes, so that a
/// title holding `\x1b]8;;…` cannot become a hyperlink or move the cursor.
pub fn terminal_safe(text: &str) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for one cell of a Markdown table: a `|` would end the cell and a
/// line break the row.
pub fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(terminal_safe("plain"), "plain");
        assert_eq!(
            terminal_safe("a\x1b]8;;http://x\x07b"),
            "a\\u{1b}]8;;http://x\\u{7}b"
        );
        assert_eq!(terminal_safe("line\nbreak"), "line\\u{a}break");
        assert_eq!(terminal_safe("\u{202e}evil"), "\\u{202e}evil");
    }
}
