//! Text from documents made safe for where it is shown: a terminal
//! (control characters and escape sequences are shown, never obeyed),
//! Markdown (no markup, no HTML, no broken table), GitHub workflow commands
//! (no injected command), CSV opened in a spreadsheet (no formula) and
//! XML 1.0 (no character it cannot hold). Every renderer that prints a
//! document's text passes it through one of these.

/// Replaces control characters (C0, DEL, C1) with visible escapes, so that a
/// title holding `\x1b]8;;…` cannot become a hyperlink or move the cursor.
pub fn terminal_safe(text: &str) -> String {
    visible(text, is_unsafe)
}

/// Text of several lines for a terminal or a CI log (an error with its
/// problems listed under it, on stderr): each line as by [`terminal_safe`],
/// the line breaks kept, and no line a GitHub Actions workflow command. The
/// runner reads every line of a step's output, stderr too, and runs one
/// that starts with `::` (leading white space aside) as a command
/// (`::error file=…::`, `::add-mask::`, `::stop-commands::`), and a line
/// holding `##[` as a command of the older syntax: there, the first `:` or
/// the `[` is shown as `\u{3a}` or `\u{5b}`, so a document value quoted in
/// a message cannot forge an annotation or stop the log's commands.
pub fn terminal_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| not_a_command(&terminal_safe(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `line` unable to be read as a workflow command (see [`terminal_lines`]).
fn not_a_command(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    let mut line = if line[indent..].starts_with("::") {
        format!("{}\\u{{3a}}{}", &line[..indent], &line[indent + 1..])
    } else {
        line.to_string()
    };
    if line.contains("##[") {
        line = line.replace("##[", "##\\u{5b}");
    }
    line
}

/// Text for HTML (the report page), before the template's escaping of
/// `<`, `&` and quotes: line breaks kept (tooltips show them), every other
/// control character shown as by [`terminal_safe`], so that a page saved
/// or copied into a terminal carries no escape sequence.
pub fn html_text(text: &str) -> String {
    text.split('\n')
        .map(terminal_safe)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text for a Markdown code span (a file name, a rule id), inside a table
/// cell or not: shown as written, without markup, in a span that nothing
/// in it can end. Control characters are shown as by [`terminal_safe`] (a
/// code span shows them raw, and a line break would end a table row); the
/// span is fenced with one backtick more than the longest run of backticks
/// in the text and, when the text starts or ends with a backtick or a
/// space, padded with a space either side, which CommonMark takes off
/// again, so that the text stays whole; `|`, which would end a table cell even inside a span, is `\|`,
/// which GitHub and CommonMark's table extension read as `|` there.
///
/// Text with a backslash just before a `|` is escaped as by
/// [`markdown_safe`] instead, outside a span: GitHub's table reader
/// (cmark-gfm) takes `\\|` for an escaped backslash and a `|` that ends
/// the cell, markdown-it for a backslash and an escaped `|`, and no text
/// in a span reads alike in both.
pub fn markdown_code(text: &str) -> String {
    let text = terminal_safe(text);
    if text.chars().all(|c| c == ' ') || text.contains("\\|") {
        // A span of spaces alone keeps them; an empty one cannot be written.
        return markdown_safe(&text);
    }
    let text = text.replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let padded = |c: Option<char>| matches!(c, Some('`' | ' '));
    if padded(text.chars().next()) || padded(text.chars().last()) {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Text for Markdown (GitHub-flavoured, CommonMark): control characters
/// shown as by [`terminal_safe`], so a value stays on one line and in its
/// table cell, then every ASCII punctuation character that can start
/// markup, HTML, an entity, a table cell or math escaped with a backslash.
/// `<img src=x onerror=…>`, `[link](http://…)`, `| cell |`, `**bold**` and
/// `$x$` all come out as the literal characters.
pub fn markdown_safe(text: &str) -> String {
    let text = terminal_safe(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if MARKDOWN_SPECIAL.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The characters [`markdown_safe`] escapes: CommonMark's inline and block
/// markers, `<`/`>`/`&` for HTML and entities, `|` for GFM tables, `~` for
/// strikethrough, `$` for GitHub's math. Plain punctuation (`,` `.` `'`
/// `:`…) is left alone: it is inert inside a line, and escaping it would
/// make the Markdown source hard to read.
const MARKDOWN_SPECIAL: &str = "\\`*_{}[]()<>#+-!|~&$";

/// A cell for CSV that a spreadsheet will not run as a formula (OWASP's
/// advice on CSV injection): a cell that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return is prefixed with `'`. Quoting the cell (commas,
/// quotes, line breaks) is the CSV writer's job. Apply it to text from
/// documents, not to numbers blcheck writes itself.
pub fn csv_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// A CSS string (`content: "…"` of the printed page's footer): quoted,
/// every character but letters, digits, space and plain punctuation
/// written as a hex escape, so that no text can end the string, the rule
/// or the stylesheet.
pub fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | ',' | '-' | '_' | ':' | '(' | ')') {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

/// The most characters a spreadsheet cell holds (Excel's limit; a longer
/// string is refused by the writer, and LibreOffice cuts it).
pub const SPREADSHEET_CELL_CHARS: usize = 32_767;

/// Text for a spreadsheet cell (the workbook): written as a string cell,
/// so that `=SUM(A1)` stays text and is never run as a formula; line breaks
/// kept, every other control character shown as by [`terminal_safe`]; cut
/// to [`SPREADSHEET_CELL_CHARS`] with a note saying so.
pub fn spreadsheet_text(text: &str) -> String {
    let shown = html_text(text);
    if shown.chars().count() <= SPREADSHEET_CELL_CHARS {
        return shown;
    }
    const NOTE: &str = " … (cut: a cell holds 32,767 characters)";
    let keep = SPREADSHEET_CELL_CHARS - NOTE.chars().count();
    let mut cut: String = shown.chars().take(keep).collect();
    cut.push_str(NOTE);
    cut
}

/// The message of a GitHub Actions workflow command (`::error …::MESSAGE`),
/// escaped as `@actions/core` does: `%`, CR and LF become `%25`, `%0D`,
/// `%0A`, so a line break in a value is kept (the runner decodes it inside
/// the annotation) but can never start a new command line
/// (`\n::add-mask::`); every other control character is made visible, so
/// no escape sequence reaches the log.
pub fn github_data(text: &str) -> String {
    terminal_safe(
        &text
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// A property of a workflow command (`file=…,title=…`): [`github_data`]
/// and also `:` and `,`, which would end the property.
pub fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Element text for XML 1.0 (the JUnit report): line breaks and tabs kept,
/// every other control character shown as by [`terminal_safe`] (XML 1.0
/// cannot hold most of them, not even as a character reference, and a CI
/// log would obey the rest), and the noncharacters U+FFFE and U+FFFF, which
/// XML excludes, shown too. Escaping `<`, `&` and quotes is the XML
/// writer's.
pub fn xml_text(text: &str) -> String {
    visible(text, |c| {
        (is_unsafe(c) && c != '\n' && c != '\t') || is_xml_nonchar(c)
    })
}

/// An XML attribute value: as [`xml_text`], and line breaks and tabs shown
/// too, since a reader turns them into spaces in an attribute.
pub fn xml_attribute(text: &str) -> String {
    visible(text, |c| is_unsafe(c) || is_xml_nonchar(c))
}

fn is_xml_nonchar(c: char) -> bool {
    matches!(c, '\u{fffe}' | '\u{ffff}')
}

fn visible(text: &str, unsafe_char: impl Fn(char) -> bool) -> String {
    if !text.chars().any(&unsafe_char) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
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
        assert_eq!(terminal_safe("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(
            terminal_lines("invalid:\n  a\x1b[2J\n  b\x07"),
            "invalid:\n  a\\u{1b}[2J\n  b\\u{7}"
        );
    }

    #[test]
    fn no_line_on_stderr_is_a_workflow_command() {
        assert_eq!(
            terminal_lines("bad kind\n::error file=a.yaml,line=1::forged\n  ::add-mask::x"),
            "bad kind\n\\u{3a}:error file=a.yaml,line=1::forged\n  \\u{3a}:add-mask::x"
        );
        assert_eq!(
            terminal_lines("x ##[error]y\n##[group]z"),
            "x ##\\u{5b}error]y\n##\\u{5b}group]z"
        );
        // A `::` inside a line is no command.
        assert_eq!(terminal_lines("a: b::c\n:x"), "a: b::c\n:x");
        // A bidi control cannot hide a command from the check either.
        assert_eq!(terminal_lines("\u{202e}::error::x"), "\\u{202e}::error::x");
    }

    #[test]
    fn code_spans_hold_any_text_whole() {
        assert_eq!(markdown_code("courses/a.yaml"), "`courses/a.yaml`");
        assert_eq!(markdown_code("a|b"), "`a\\|b`");
        assert_eq!(markdown_code("a`b``c"), "```a`b``c```");
        assert_eq!(markdown_code("`x`"), "`` `x` ``");
        assert_eq!(markdown_code(" x "), "`  x  `");
        assert_eq!(markdown_code(" x"), "`  x `");
        assert_eq!(markdown_code("a\nb\x1b"), "`a\\u{a}b\\u{1b}`");
        assert_eq!(markdown_code("<img src=x>"), "`<img src=x>`");
        assert_eq!(markdown_code(""), "");
        assert_eq!(markdown_code("a\\|b"), "a\\\\\\|b");
    }

    #[test]
    fn markdown_markup_is_escaped() {
        assert_eq!(
            markdown_safe("FS-ENG-L2 2025, v1.2"),
            "FS\\-ENG\\-L2 2025, v1.2"
        );
        assert_eq!(
            markdown_safe("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert\\(1\\)\\>"
        );
        assert_eq!(
            markdown_safe("[click](http://evil) | **x** `y` _z_ # $m$ &amp; ~s~ !"),
            "\\[click\\]\\(http://evil\\) \\| \\*\\*x\\*\\* \\`y\\` \\_z\\_ \\# \\$m\\$ \\&amp; \\~s\\~ \\!"
        );
        // A line break cannot end a table row, and an escape cannot reach a
        // terminal: both render as the visible `\u{a}`, `\u{1b}`.
        assert_eq!(
            markdown_safe("a\nb\x1b[2J"),
            "a\\\\u\\{a\\}b\\\\u\\{1b\\}\\[2J"
        );
        assert_eq!(markdown_safe("back\\slash"), "back\\\\slash");
    }

    #[test]
    fn workflow_commands_cannot_be_injected() {
        let hostile = "x\n::add-mask::secret\r\n::stop-commands::t 100%";
        let data = github_data(hostile);
        assert!(!data.contains('\n') && !data.contains('\r'), "{data}");
        assert_eq!(
            data,
            "x%0A::add-mask::secret%0D%0A::stop-commands::t 100%25"
        );
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(github_data("bell\x07"), "bell\\u{7}");
    }

    #[test]
    fn xml_holds_only_what_xml_1_0_allows() {
        assert_eq!(xml_text("a\nb\tc <&>"), "a\nb\tc <&>");
        assert_eq!(
            xml_text("esc\x1b[2J nul\0 cr\r del\x7f \u{fffe}"),
            "esc\\u{1b}[2J nul\\u{0} cr\\u{d} del\\u{7f} \\u{fffe}"
        );
        assert_eq!(xml_attribute("part 1\nof 2\t"), "part 1\\u{a}of 2\\u{9}");
        assert_eq!(xml_attribute("plain: 100%"), "plain: 100%");
    }

    #[test]
    fn css_strings_cannot_end() {
        assert_eq!(css_string("A&B · 1"), "\"A\\26 B \\b7  1\"");
        assert!(!css_string("\"</style><script>").contains('<'));
    }

    #[test]
    fn spreadsheet_cells_are_bounded_and_visible() {
        assert_eq!(spreadsheet_text("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\nc");
        let long = "x".repeat(SPREADSHEET_CELL_CHARS + 10);
        let cut = spreadsheet_text(&long);
        assert_eq!(cut.chars().count(), SPREADSHEET_CELL_CHARS);
        assert!(cut.ends_with("characters)"), "{cut}");
        assert_eq!(spreadsheet_text("=1+1"), "=1+1");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        for formula in ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=x", "\r=x"] {
            assert_eq!(csv_safe(formula), format!("'{formula}"));
        }
        assert_eq!(
            csv_safe("=HYPERLINK(\"http://evil\")"),
            "'=HYPERLINK(\"http://evil\")"
        );
        assert_eq!(csv_safe("FS-ENG-L2-2025"), "FS-ENG-L2-2025");
        assert_eq!(csv_safe(""), "");
        assert_eq!(csv_safe(" =1"), " =1");
    }
}
