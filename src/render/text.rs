//! Text from documents made safe for a terminal: control characters and
//! escape sequences are shown, never obeyed.

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

/// Text for a Markdown table cell or paragraph: control characters made
/// visible, Markdown and HTML specials escaped so a value cannot become a
/// link, an image, a heading or markup.
pub fn markdown_safe(text: &str) -> String {
    let text = terminal_safe(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            // Inline specials only: with `[` and `]` escaped no link or image
            // can form, and values never start a line of their own.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

/// A CSV cell that a spreadsheet will not run as a formula: cells starting
/// with `=`, `+`, `-`, `@`, tab or carriage return get a leading `'`, as
/// OWASP advises. Quoting is the CSV writer's job.
pub fn csv_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod escaping_tests {
    use super::*;

    #[test]
    fn markdown_specials_are_escaped() {
        assert_eq!(markdown_safe("a|b"), "a\\|b");
        assert_eq!(markdown_safe("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(markdown_safe("DM-L3-2025"), "DM-L3-2025");
        assert_eq!(markdown_safe("<script>"), "&lt;script\\>");
        assert_eq!(markdown_safe("plain words"), "plain words");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("+1"), "'+1");
        assert_eq!(csv_safe("-2"), "'-2");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("BLP001"), "BLP001");
    }
}

/// As `terminal_safe`, but line breaks stay: formats that encode them
/// (GitHub's `%0A`) carry them safely.
pub fn terminal_safe_keep_newlines(text: &str) -> String {
    text.split('\n')
        .map(terminal_safe)
        .collect::<Vec<_>>()
        .join("\n")
}
