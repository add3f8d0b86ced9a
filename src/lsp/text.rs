//! Positions as the protocol counts them (0-based lines, UTF-16 code units
//! within a line) and as blcheck does (1-based lines, columns in
//! characters), over the lines of one document's text. Lines end as the
//! YAML parser ends them: LF, CR LF, or a lone CR.

use crate::yaml::Pos;
use lsp_types::Position;

/// A text's lines, without their line breaks.
pub struct Lines<'a> {
    text: &'a str,
    /// Byte ranges of each line's content.
    lines: Vec<(usize, usize)>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push((start, i));
                    start = i + 1;
                }
                b'\r' => {
                    lines.push((start, i));
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        lines.push((start, bytes.len()));
        Lines { text, lines }
    }

    pub fn count(&self) -> usize {
        self.lines.len()
    }

    /// Line `index` (0-based), empty past the end. The first line's
    /// byte-order mark is no part of it, as it is no column for blcheck.
    pub fn line(&self, index: usize) -> &'a str {
        match self.lines.get(index) {
            Some(&(start, end)) => {
                let line = &self.text[start..end];
                match index {
                    0 => line.strip_prefix('\u{feff}').unwrap_or(line),
                    _ => line,
                }
            }
            None => "",
        }
    }

    /// Where line `index` starts, in bytes (the text's end past the last).
    pub fn line_start(&self, index: usize) -> usize {
        self.lines
            .get(index)
            .map_or(self.text.len(), |&(start, _)| start)
    }

    /// The protocol's position of character `column` (0-based) of line
    /// `line` (0-based).
    pub fn position(&self, line: usize, column: usize) -> Position {
        let units: usize = self
            .line(line)
            .chars()
            .take(column)
            .map(char::len_utf16)
            .sum();
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(units).unwrap_or(u32::MAX),
        }
    }

    /// The protocol's position of a blcheck position.
    pub fn position_of(&self, pos: Pos) -> Position {
        self.position(
            (pos.line as usize).saturating_sub(1),
            (pos.column as usize).saturating_sub(1),
        )
    }

    /// The line (0-based) and character column (0-based) of a protocol
    /// position; a position past a line's end is at its end.
    pub fn column_of(&self, position: Position) -> (usize, usize) {
        let line = position.line as usize;
        let mut units = 0;
        let mut column = 0;
        for c in self.line(line).chars() {
            if units >= position.character as usize {
                break;
            }
            units += c.len_utf16();
            column += 1;
        }
        (line, column)
    }

    /// The byte offset in the text of a protocol position.
    pub fn offset_of(&self, position: Position) -> usize {
        let (line, column) = self.column_of(position);
        let Some(&(start, end)) = self.lines.get(line) else {
            return self.text.len();
        };
        let content = &self.text[start..end];
        let bom = match line {
            0 if content.starts_with('\u{feff}') => '\u{feff}'.len_utf8(),
            _ => 0,
        };
        start
            + bom
            + content[bom..]
                .char_indices()
                .nth(column)
                .map_or(content.len() - bom, |(i, _)| i)
    }
}

/// Where the value at character `start` of `line` ends (a character
/// column, exclusive): for `key: value` the end of the value when it is on
/// the line (the key's end when the value is a block below it), for a
/// scalar its end, a comment never included.
pub fn value_end(line: &str, start: usize) -> usize {
    let chars: Vec<char> = line.chars().collect();
    if start >= chars.len() {
        return chars.len();
    }
    let token = scalar_end(&chars, start);
    let after_colon = token + 1;
    if chars.get(token) == Some(&':') && chars.get(after_colon).is_none_or(|c| c.is_whitespace()) {
        let mut value = after_colon;
        while chars.get(value).is_some_and(|c| c.is_whitespace()) {
            value += 1;
        }
        return match chars.get(value) {
            None | Some('#' | '|' | '>') => token,
            Some(_) => scalar_end(&chars, value),
        };
    }
    token
}

/// The end of the scalar (or flow collection) starting at `start`.
fn scalar_end(chars: &[char], start: usize) -> usize {
    let n = chars.len();
    match chars[start] {
        '"' => {
            let mut i = start + 1;
            while i < n {
                match chars[i] {
                    '\\' => i += 2,
                    '"' => return i + 1,
                    _ => i += 1,
                }
            }
            n
        }
        '\'' => {
            let mut i = start + 1;
            while i < n {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            n
        }
        open @ ('[' | '{') => {
            let close = if open == '[' { ']' } else { '}' };
            let mut depth = 0;
            for (i, &c) in chars.iter().enumerate().skip(start) {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
            }
            n
        }
        _ => {
            let mut end = start;
            let mut i = start;
            while i < n {
                let c = chars[i];
                let next_blank = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
                if c == ':' && next_blank {
                    break;
                }
                if c == '#' && i > start && chars[i - 1].is_whitespace() {
                    break;
                }
                if !c.is_whitespace() {
                    end = i + 1;
                }
                i += 1;
            }
            end
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_end_where_they_are_written() {
        assert_eq!(value_end("id: FS-ENG  # the id", 0), 10);
        assert_eq!(value_end("  title: \"a: b\" # x", 2), 15);
        assert_eq!(value_end("delivery:", 0), 8);
        assert_eq!(value_end("notes: |", 0), 5);
        assert_eq!(value_end("  - 12/10/2025", 4), 14);
        assert_eq!(value_end("tags: [a, b]", 0), 12);
        assert_eq!(value_end("x", 5), 1);
    }

    #[test]
    fn positions_count_utf16_units_and_every_line_break() {
        let lines = Lines::new("a: é😀x\r\nb: 2\rc: 3\n");
        assert_eq!(lines.count(), 4);
        assert_eq!(lines.line(2), "c: 3");
        assert_eq!(
            lines.position(0, 5),
            Position {
                line: 0,
                character: 6
            }
        );
        assert_eq!(
            lines.column_of(Position {
                line: 0,
                character: 6
            }),
            (0, 5)
        );
        assert_eq!(
            lines.offset_of(Position {
                line: 1,
                character: 1
            }),
            13
        );
        let bom = Lines::new("\u{feff}kind: Course");
        assert_eq!(bom.line(0), "kind: Course");
        assert_eq!(
            bom.offset_of(Position {
                line: 0,
                character: 0
            }),
            3
        );
    }
}
